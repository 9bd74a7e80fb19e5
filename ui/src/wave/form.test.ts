import { describe, expect, it } from 'vitest';
import { formatWave } from './format';
import {
  callText,
  defaultArgs,
  defaultValue,
  primitiveText,
  readArgsText,
  readPrimitiveInput,
  resultWithCase,
  sameValue,
  variantWithCase,
} from './form';
import type { TypeShape, WaveValue } from './shape';

const prim = (name: Extract<TypeShape, { kind: 'primitive' }>['name']): TypeShape => ({ kind: 'primitive', name });
const handle: TypeShape = { kind: 'handle', name: 'ledger', borrow: true };

describe('form defaults for each shape kind', () => {
  const cases: [string, TypeShape, string | null][] = [
    ['bool', prim('bool'), 'false'],
    ['u64', prim('u64'), '0'],
    ['s8', prim('s8'), '0'],
    ['f32', prim('f32'), '0'],
    ['char', prim('char'), "'a'"],
    ['string', prim('string'), '""'],
    ['list', { kind: 'list', of: prim('u8') }, '[]'],
    ['option', { kind: 'option', of: prim('u8') }, 'none'],
    ['result', { kind: 'result', ok: prim('u8'), err: prim('string') }, 'ok(0)'],
    ['result without payloads', { kind: 'result', ok: null, err: null }, 'ok'],
    ['result whose ok holds a handle', { kind: 'result', ok: handle, err: prim('string') }, 'err("")'],
    ['tuple', { kind: 'tuple', items: [prim('string'), prim('bool')] }, '("", false)'],
    [
      'record',
      {
        kind: 'record',
        name: 'r',
        fields: [
          { name: 'a', shape: prim('u8') },
          { name: 'b', shape: { kind: 'option', of: prim('string') } },
        ],
      },
      '{a: 0}',
    ],
    [
      'variant',
      { kind: 'variant', name: 'v', cases: [{ name: 'num', shape: prim('u32') }, { name: 'nothing', shape: null }] },
      'num(0)',
    ],
    ['variant skipping a handle case', { kind: 'variant', name: 'v', cases: [{ name: 'h', shape: handle }, { name: 'ok', shape: null }] }, '%ok'],
    ['enum', { kind: 'enum', name: 'e', cases: ['eu', 'us'] }, 'eu'],
    ['flags', { kind: 'flags', name: 'f', flags: ['read', 'write'] }, '{}'],
    ['handle', handle, null],
    ['unsupported', { kind: 'unsupported', wit: 'stream<u8>' }, null],
    ['tuple holding a handle', { kind: 'tuple', items: [prim('u8'), handle] }, null],
  ];
  for (const [name, shape, text] of cases) {
    it(name, () => {
      const value = defaultValue(shape);
      if (text === null) {
        expect(value).toBeNull();
      } else {
        expect(value).not.toBeNull();
        expect(formatWave(shape, value as WaveValue)).toBe(text);
      }
    });
  }

  it('defaultArgs explains a parameter that cannot be entered', () => {
    const r = defaultArgs([prim('u8'), handle]);
    expect('reason' in r && r.reason).toMatch(/resource handle/);
    const ok = defaultArgs([prim('u8'), prim('string')]);
    expect('values' in ok && ok.values).toHaveLength(2);
  });
});

describe('primitive inputs', () => {
  it('integers: whole, in range, u64 exact', () => {
    expect(readPrimitiveInput('u64', '18446744073709551615')).toEqual({ ok: true, value: { kind: 'int', value: 18446744073709551615n } });
    expect(readPrimitiveInput('u64', '18446744073709551616')).toEqual({ ok: false, error: 'out of range for u64: 0 to 18446744073709551615' });
    expect(readPrimitiveInput('u8', '-1')).toMatchObject({ ok: false });
    expect(readPrimitiveInput('s16', '1.5')).toEqual({ ok: false, error: 's16 takes whole numbers' });
    expect(readPrimitiveInput('s32', '')).toMatchObject({ ok: false });
    expect(readPrimitiveInput('s32', 'abc')).toEqual({ ok: false, error: 'not a number: abc' });
  });

  it('floats: numbers, nan and infinities', () => {
    expect(readPrimitiveInput('f64', '2.5e3')).toEqual({ ok: true, value: { kind: 'float', value: 2500 } });
    expect(readPrimitiveInput('f32', '-inf')).toEqual({ ok: true, value: { kind: 'float', value: -Infinity } });
    expect(readPrimitiveInput('f32', '1e40')).toEqual({ ok: false, error: 'out of range for f32' });
    expect(readPrimitiveInput('f64', 'x')).toMatchObject({ ok: false });
    expect(primitiveText({ kind: 'float', value: Math.fround(0.1) }, 'f32')).toBe('0.1');
  });

  it('chars: one character or one escape', () => {
    expect(readPrimitiveInput('char', '😀')).toEqual({ ok: true, value: { kind: 'char', value: '😀' } });
    expect(readPrimitiveInput('char', '\\n')).toEqual({ ok: true, value: { kind: 'char', value: '\n' } });
    expect(readPrimitiveInput('char', '\\u{41}')).toEqual({ ok: true, value: { kind: 'char', value: 'A' } });
    expect(readPrimitiveInput('char', 'ab')).toEqual({ ok: false, error: 'a char is exactly one character' });
    expect(readPrimitiveInput('char', '')).toMatchObject({ ok: false });
    expect(primitiveText({ kind: 'char', value: '\n' })).toBe('\\n');
  });

  it('strings are taken as typed', () => {
    expect(readPrimitiveInput('string', ' a "b" ')).toEqual({ ok: true, value: { kind: 'string', value: ' a "b" ' } });
  });
});

describe('call text and the raw WAVE box', () => {
  it('joins arguments after the call prefix', () => {
    const shapes: TypeShape[] = [prim('string'), { kind: 'option', of: prim('u8') }];
    const values: WaveValue[] = [
      { kind: 'string', value: 'set a 1' },
      { kind: 'option', value: { kind: 'int', value: 3n } },
    ];
    expect(callText('handle-request', shapes, values)).toBe('handle-request("set a 1", some(3))');
    expect(callText('[method]ledger.total', [], [])).toBe('[method]ledger.total()');
  });

  it('reads argument text back, or says where it fails', () => {
    const shapes: TypeShape[] = [prim('string'), prim('u8')];
    const r = readArgsText(shapes, '"x", 5');
    expect('values' in r && r.values).toEqual([
      { kind: 'string', value: 'x' },
      { kind: 'int', value: 5n },
    ]);
    expect(readArgsText(shapes, '"x", 500')).toEqual({ error: 'line 1, column 6: 500 is out of range for u8 (0 to 255)' });
  });

  it('switching cases starts from defaults; sameValue compares deeply', () => {
    const v: Extract<TypeShape, { kind: 'variant' }> = {
      kind: 'variant',
      name: 'v',
      cases: [{ name: 'a', shape: null }, { name: 'b', shape: { kind: 'list', of: prim('u8') } }],
    };
    expect(variantWithCase(v, 'b')).toEqual({ kind: 'variant', case: 'b', payload: { kind: 'list', items: [] } });
    const r: Extract<TypeShape, { kind: 'result' }> = { kind: 'result', ok: null, err: prim('string') };
    expect(resultWithCase(r, 'err')).toEqual({ kind: 'result', case: 'err', value: { kind: 'string', value: '' } });
    expect(sameValue({ kind: 'float', value: NaN }, { kind: 'float', value: NaN })).toBe(true);
    expect(sameValue({ kind: 'flags', flags: ['a'] }, { kind: 'flags', flags: ['b'] })).toBe(false);
  });
});
