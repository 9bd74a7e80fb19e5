// @vitest-environment node
/// <reference types="node" />
/**
 * The WAVE cases the editor shares with the host (`tests/wave/cases.json`).
 * The host's side (`crates/patchbay-compose/tests/wave_cases.rs`) checks
 * the same file against wasm-wave, so when both pass the editor writes what
 * the host writes and reads what the host reads.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatWave, parseWave, WaveParseError } from './format';
import type { TypeShape, WaveValue } from './shape';

type Case = { wave: string; also?: string[] };
type Group = {
  name: string;
  type: TypeShape;
  values: Case[];
  invalid: string[];
  /** Refused by the spec and the editor, read by wasm-wave all the same. */
  hostLenient?: { wave: string; why: string }[];
};

const casesText = readFileSync(new URL('../../../tests/wave/cases.json', import.meta.url), 'utf8');
const groups = (JSON.parse(casesText) as { groups: Group[] }).groups;

/** JSON-safe text of a value: bigints and the floats JSON cannot hold. */
function show(value: WaveValue): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return Object.is(v, -0) ? '-0' : String(v);
    return v;
  });
}

function refusal(shape: TypeShape, text: string): unknown {
  try {
    return { accepted: show(parseWave(shape, text)) };
  } catch (e) {
    return e;
  }
}

it('reads the shared cases', () => {
  const texts = groups.reduce((n, g) => n + g.invalid.length + g.values.reduce((m, c) => m + 1 + (c.also?.length ?? 0), 0), 0);
  expect(groups.length).toBeGreaterThan(20);
  expect(texts).toBeGreaterThan(300);
});

for (const group of groups) {
  describe(group.name, () => {
    for (const c of group.values) {
      it(`writes back ${JSON.stringify(c.wave)} unchanged`, () => {
        expect(formatWave(group.type, parseWave(group.type, c.wave))).toBe(c.wave);
      });
      for (const alternate of c.also ?? []) {
        it(`reads ${JSON.stringify(alternate)} as ${JSON.stringify(c.wave)}`, () => {
          const value = parseWave(group.type, alternate);
          expect(formatWave(group.type, value)).toBe(c.wave);
          expect(show(value)).toBe(show(parseWave(group.type, c.wave)));
        });
      }
    }
    for (const invalid of group.invalid) {
      it(`refuses ${JSON.stringify(invalid)}`, () => {
        expect(refusal(group.type, invalid)).toBeInstanceOf(WaveParseError);
      });
    }
    for (const lenient of group.hostLenient ?? []) {
      it(`refuses ${JSON.stringify(lenient.wave)}, which wasm-wave reads`, () => {
        expect(refusal(group.type, lenient.wave)).toBeInstanceOf(WaveParseError);
      });
    }
  });
}
