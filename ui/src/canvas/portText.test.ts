import { describe, expect, it } from 'vitest';
import type { Grant } from '../store';
import { charsIn, elideMiddle, fitMiddle, grantScopeText } from './portText';

const grant = (g: Partial<Grant>): Grant => ({
  env: [],
  dirs: [],
  allow: [],
  clock: null,
  random: null,
  store: null,
  buckets: [],
  config: [],
  configPrefix: null,
  ...g,
});

describe('elideMiddle', () => {
  it('keeps a name that fits', () => {
    expect(elideMiddle('patchbay:kv/store', 30)).toBe('patchbay:kv/store');
  });

  it('cuts in the middle, keeping the package and the end of the interface', () => {
    expect(elideMiddle('wasi:http/outgoing-handler', 19)).toBe('wasi:http/…-handler');
    const cut = elideMiddle('wasi:sockets/ip-name-lookup', 20);
    expect(cut).toHaveLength(20);
    expect(cut.startsWith('wasi:sockets/…')).toBe(true);
    expect(cut.endsWith('lookup')).toBe(true);
  });

  it('cuts a name without a package in the middle too', () => {
    const cut = elideMiddle('a-very-long-export-name-indeed', 12);
    expect(cut).toHaveLength(12);
    expect(cut).toBe('a-very…ndeed');
  });

  it('estimates what an 11 px label holds on the cautious side', () => {
    // An 11 px monospace glyph is 6.6–6.7 px wide: the estimate never counts more.
    expect(charsIn(201)).toBe(28);
    expect(charsIn(201) * 6.7).toBeLessThanOrEqual(201);
    expect(charsIn(10)).toBe(8);
  });
});

describe('fitMiddle', () => {
  const mono = (s: string) => s.length * 6.62;

  it('keeps a name that fits whole', () => {
    expect(fitMiddle('patchbay:kv/store', 200, mono)).toBe('patchbay:kv/store');
  });

  it('cuts once, in the middle, to the longest text that fits', () => {
    const name = 'wasi:http/outgoing-handler';
    const px = 130;
    const cut = fitMiddle(name, px, mono);
    expect(cut).toBe('wasi:http/…-handler');
    expect(mono(cut)).toBeLessThanOrEqual(px);
    // One more character would not fit: nothing is left for CSS to cut.
    expect(mono(elideMiddle(name, cut.length + 1))).toBeGreaterThan(px);
    expect(cut.split('…')).toHaveLength(2);
  });

  it('fits by measured width, not by characters', () => {
    // Wide capitals, narrow rest: a proportional font.
    const prop = (s: string) => [...s].reduce((w, c) => w + (c === c.toUpperCase() && c !== c.toLowerCase() ? 10 : 5), 0);
    const name = 'wasi:cli/ENVIRONMENT-VARIABLES';
    const cut = fitMiddle(name, 100, prop);
    expect(prop(cut)).toBeLessThanOrEqual(100);
    expect(prop(elideMiddle(name, cut.length + 1))).toBeGreaterThan(100);
  });

  it('still shows an ellipsis where almost nothing fits', () => {
    expect(fitMiddle('wasi:http/outgoing-handler', 1, mono)).toBe('w…r');
  });
});

describe('grantScopeText', () => {
  it('shows the scope the import is granted, in short form', () => {
    expect(grantScopeText(['env'], grant({ env: ['GREETING'] }))).toBe('env: GREETING');
    expect(grantScopeText(['dirs'], grant({ dirs: [{ host: './data', guest: '/data', writable: false }] }))).toBe('/data ro');
    expect(grantScopeText(['allow'], grant({ allow: ['127.0.0.1:8080'] }))).toBe('127.0.0.1:8080');
    expect(grantScopeText(['random'], grant({ random: { kind: 'seeded', seed: 7 } }))).toBe('seed 7');
    expect(grantScopeText(['clock'], grant({ clock: { kind: 'fixed', unixMs: 0 } }))).toBe('clock 1970-01-01T00:00:00Z');
  });

  it('says when a scoped grant gives nothing, and shows nothing for imports without a scope', () => {
    expect(grantScopeText(['env'], grant({}))).toBe('env: none');
    expect(grantScopeText(['allow'], grant({}))).toBe('no hosts');
    expect(grantScopeText([], grant({ env: ['X'] }))).toBe('');
    expect(grantScopeText(['clock'], grant({ clock: { kind: 'real' } }))).toBe('');
  });

  it('shows a key-value grant’s file and buckets, and a config grant’s keys and prefix', () => {
    const kv = grant({ store: 'data/kv.redb', buckets: ['default', 'cache'] });
    expect(grantScopeText(['store', 'buckets'], kv)).toBe('data/kv.redb · buckets: default, cache');
    expect(grantScopeText(['store', 'buckets'], grant({}))).toBe('no store');
    const config = grant({ config: [{ key: 'greeting', value: 'hi' }], configPrefix: 'APP_' });
    expect(grantScopeText(['config', 'config-prefix'], config)).toBe('config: greeting · APP_*');
  });
});
