import { describe, expect, it } from 'vitest';
import { formatWave, parseArgs, parseWave, WaveParseError } from './format';
import type { TypeShape, WaveValue } from './shape';

const prim = (name: Extract<TypeShape, { kind: 'primitive' }>['name']): TypeShape => ({ kind: 'primitive', name });
const int = (v: number | bigint): WaveValue => ({ kind: 'int', value: BigInt(v) });
const str = (value: string): WaveValue => ({ kind: 'string', value });
const none: WaveValue = { kind: 'option', value: null };
const some = (value: WaveValue): WaveValue => ({ kind: 'option', value });

/** Formats, checks the text, parses it back and checks the value is equal. */
function roundTrip(shape: TypeShape, value: WaveValue, text: string) {
  const written = formatWave(shape, value);
  expect(written).toBe(text);
  expect(parseWave(shape, written)).toEqual(value);
}

function parseError(shape: TypeShape, text: string): WaveParseError {
  try {
    parseWave(shape, text);
  } catch (e) {
    expect(e).toBeInstanceOf(WaveParseError);
    return e as WaveParseError;
  }
  throw new Error(`expected ${text} to fail`);
}

const item: TypeShape = {
  kind: 'record',
  name: 'line-item',
  fields: [
    { name: 'sku', shape: prim('string') },
    { name: 'quantity', shape: prim('u32') },
    { name: 'note', shape: { kind: 'option', of: prim('string') } },
  ],
};
const region: TypeShape = { kind: 'enum', name: 'region', cases: ['eu', 'us', 'none'] };
const perms: TypeShape = { kind: 'flags', name: 'perms', flags: ['read', 'write', 'exec'] };
const shapeVariant: TypeShape = {
  kind: 'variant',
  name: 'shape',
  cases: [
    { name: 'empty', shape: null },
    { name: 'circle', shape: prim('f64') },
    { name: 'err', shape: prim('string') },
  ],
};

describe('round trips', () => {
  it('bools', () => {
    roundTrip(prim('bool'), { kind: 'bool', value: true }, 'true');
    roundTrip(prim('bool'), { kind: 'bool', value: false }, 'false');
  });

  it('integers at the edges of every width', () => {
    roundTrip(prim('u8'), int(255), '255');
    roundTrip(prim('s8'), int(-128), '-128');
    roundTrip(prim('s16'), int(-32768), '-32768');
    roundTrip(prim('u32'), int(4294967295), '4294967295');
    roundTrip(prim('u64'), int(18446744073709551615n), '18446744073709551615');
    roundTrip(prim('s64'), int(-9223372036854775808n), '-9223372036854775808');
  });

  it('floats including nan, inf and -inf', () => {
    roundTrip(prim('f64'), { kind: 'float', value: 3.14 }, '3.14');
    roundTrip(prim('f64'), { kind: 'float', value: 6.022e23 }, '602200000000000000000000');
    expect(parseWave(prim('f64'), '6.022e+23')).toEqual({ kind: 'float', value: 6.022e23 });
    roundTrip(prim('f64'), { kind: 'float', value: NaN }, 'nan');
    roundTrip(prim('f64'), { kind: 'float', value: Infinity }, 'inf');
    roundTrip(prim('f32'), { kind: 'float', value: -Infinity }, '-inf');
    roundTrip(prim('f32'), { kind: 'float', value: Math.fround(0.1) }, '0.1');
    roundTrip(prim('f64'), { kind: 'float', value: -0 }, '-0');
    expect(parseWave(prim('f64'), '1e3')).toEqual({ kind: 'float', value: 1000 });
  });

  it('chars with escapes', () => {
    roundTrip(prim('char'), { kind: 'char', value: 'x' }, "'x'");
    roundTrip(prim('char'), { kind: 'char', value: '☃' }, "'☃'");
    roundTrip(prim('char'), { kind: 'char', value: '😀' }, "'😀'");
    roundTrip(prim('char'), { kind: 'char', value: "'" }, "'\\''");
    roundTrip(prim('char'), { kind: 'char', value: '"' }, "'\\\"'");
    expect(parseWave(prim('char'), "'\"'")).toEqual({ kind: 'char', value: '"' });
    roundTrip(prim('char'), { kind: 'char', value: '\n' }, "'\\n'");
    roundTrip(prim('char'), { kind: 'char', value: '\0' }, "'\\u{0}'");
    expect(parseWave(prim('char'), "'\\u{1F600}'")).toEqual({ kind: 'char', value: '😀' });
    expect(parseWave(prim('char'), "'\\\"'")).toEqual({ kind: 'char', value: '"' });
  });

  it('strings with escapes', () => {
    roundTrip(prim('string'), str('abc\t123'), '"abc\\t123"');
    roundTrip(prim('string'), str('say "hi"\nback\\slash'), '"say \\"hi\\"\\nback\\\\slash"');
    roundTrip(prim('string'), str("it's"), '"it\\\'s"');
    expect(parseWave(prim('string'), '"it\'s"')).toEqual(str("it's"));
    roundTrip(prim('string'), str('\r\u0007'), '"\\r\\u{7}"');
    expect(parseWave(prim('string'), '"\\u{48}\\u{49} \\\' \\u{1F44B}"')).toEqual(str("HI ' 👋"));
  });

  it('multi-line strings', () => {
    const text = '"""\n    Indentation determined\n      by ending delimiter\n  """';
    expect(parseWave(prim('string'), text)).toEqual(str('  Indentation determined\n    by ending delimiter'));
  });

  it('lists and tuples', () => {
    roundTrip({ kind: 'list', of: prim('u8') }, { kind: 'list', items: [int(1), int(2), int(3)] }, '[1, 2, 3]');
    roundTrip({ kind: 'list', of: prim('char') }, { kind: 'list', items: [] }, '[]');
    roundTrip(
      { kind: 'tuple', items: [prim('string'), prim('u8')] },
      { kind: 'tuple', items: [str('abc'), int(123)] },
      '("abc", 123)',
    );
    expect(parseWave({ kind: 'list', of: prim('u8') }, '[ 1 , 2, ]')).toEqual({ kind: 'list', items: [int(1), int(2)] });
  });

  it('records, with none fields omittable', () => {
    const value: WaveValue = {
      kind: 'record',
      fields: [
        { name: 'sku', value: str('widget') },
        { name: 'quantity', value: int(2) },
        { name: 'note', value: none },
      ],
    };
    roundTrip(item, value, '{sku: "widget", quantity: 2}');
    expect(parseWave(item, '{sku: "widget", quantity: 2, note: none}')).toEqual(value);
    expect(parseWave(item, '{quantity: 2, sku: "widget"}')).toEqual(value);
    expect(parseWave(item, '{ sku: "widget", quantity: 2, }')).toEqual(value);
    const allOptional: TypeShape = {
      kind: 'record',
      name: 'all-optional',
      fields: [{ name: 'a', shape: { kind: 'option', of: prim('u8') } }],
    };
    expect(parseWave(allOptional, '{:}')).toEqual({ kind: 'record', fields: [{ name: 'a', value: none }] });
  });

  it('variants and enums, keyword cases with %', () => {
    roundTrip(shapeVariant, { kind: 'variant', case: 'empty', payload: null }, 'empty');
    roundTrip(shapeVariant, { kind: 'variant', case: 'circle', payload: { kind: 'float', value: 2.5 } }, 'circle(2.5)');
    roundTrip(shapeVariant, { kind: 'variant', case: 'err', payload: str('oops') }, '%err("oops")');
    roundTrip(region, { kind: 'enum', case: 'eu' }, 'eu');
    roundTrip(region, { kind: 'enum', case: 'none' }, '%none');
    expect(parseWave(region, '%eu')).toEqual({ kind: 'enum', case: 'eu' });
  });

  it('options, explicit and flat', () => {
    const opt: TypeShape = { kind: 'option', of: prim('u8') };
    roundTrip(opt, some(int(123)), 'some(123)');
    roundTrip(opt, none, 'none');
    expect(parseWave(opt, '123')).toEqual(some(int(123)));
    const nested: TypeShape = { kind: 'option', of: { kind: 'option', of: prim('u8') } };
    roundTrip(nested, some(none), 'some(none)');
    roundTrip(nested, some(some(int(1))), 'some(some(1))');
    // A bare value is only `some` when the payload is not itself an option or result.
    expect(() => parseWave(nested, '1')).toThrow(WaveParseError);
    // A keyword-named enum case inside an option stays unambiguous thanks to `%`.
    const optRegion: TypeShape = { kind: 'option', of: region };
    expect(parseWave(optRegion, 'none')).toEqual(none);
    expect(parseWave(optRegion, '%none')).toEqual(some({ kind: 'enum', case: 'none' }));
    roundTrip(optRegion, some({ kind: 'enum', case: 'none' }), 'some(%none)');
  });

  it('results with and without payloads', () => {
    const r: TypeShape = { kind: 'result', ok: prim('u8'), err: prim('string') };
    roundTrip(r, { kind: 'result', case: 'ok', value: int(7) }, 'ok(7)');
    roundTrip(r, { kind: 'result', case: 'err', value: str('oops') }, 'err("oops")');
    expect(parseWave(r, '7')).toEqual({ kind: 'result', case: 'ok', value: int(7) });
    const bare: TypeShape = { kind: 'result', ok: null, err: null };
    roundTrip(bare, { kind: 'result', case: 'ok', value: null }, 'ok');
    roundTrip(bare, { kind: 'result', case: 'err', value: null }, 'err');
    const errOnly: TypeShape = { kind: 'result', ok: null, err: prim('string') };
    roundTrip(errOnly, { kind: 'result', case: 'ok', value: null }, 'ok');
    roundTrip(errOnly, { kind: 'result', case: 'err', value: str('no') }, 'err("no")');
  });

  it('flags', () => {
    roundTrip(perms, { kind: 'flags', flags: ['read', 'write'] }, '{read, write}');
    roundTrip(perms, { kind: 'flags', flags: [] }, '{}');
    expect(parseWave(perms, '{write, read,}')).toEqual({ kind: 'flags', flags: ['read', 'write'] });
    // The spec allows `%` on flags; the host's wasm-wave does not.
    expect(() => parseWave(perms, '{%exec}')).toThrow(WaveParseError);
  });

  it('keyword-named record fields and flags are written plainly', () => {
    const kw: TypeShape = {
      kind: 'record',
      name: 'keyword-fields',
      fields: [
        { name: 'true', shape: prim('bool') },
        { name: 'some', shape: { kind: 'option', of: prim('u8') } },
        { name: 'ok', shape: { kind: 'result', ok: null, err: null } },
      ],
    };
    const value: WaveValue = {
      kind: 'record',
      fields: [
        { name: 'true', value: { kind: 'bool', value: true } },
        { name: 'some', value: some(int(1)) },
        { name: 'ok', value: { kind: 'result', case: 'err', value: null } },
      ],
    };
    roundTrip(kw, value, '{true: true, some: some(1), ok: err}');
    expect(parseWave(kw, '{%true: true, %ok: err, %some: 1}')).toEqual(value);
  });

  it('nested records, lists, options and results', () => {
    const order: TypeShape = {
      kind: 'record',
      name: 'order',
      fields: [
        { name: 'id', shape: prim('string') },
        { name: 'region', shape: region },
        { name: 'items', shape: { kind: 'list', of: item } },
        { name: 'coupon', shape: { kind: 'option', of: prim('string') } },
        { name: 'perms', shape: perms },
        {
          name: 'outcome',
          shape: { kind: 'result', ok: { kind: 'list', of: { kind: 'option', of: shapeVariant } }, err: null },
        },
        { name: 'pair', shape: { kind: 'tuple', items: [prim('char'), { kind: 'list', of: prim('s64') }] } },
      ],
    };
    const value: WaveValue = {
      kind: 'record',
      fields: [
        { name: 'id', value: str('ord-1') },
        { name: 'region', value: { kind: 'enum', case: 'eu' } },
        {
          name: 'items',
          value: {
            kind: 'list',
            items: [
              {
                kind: 'record',
                fields: [
                  { name: 'sku', value: str('widget') },
                  { name: 'quantity', value: int(2) },
                  { name: 'note', value: some(str('gift, "wrapped"')) },
                ],
              },
            ],
          },
        },
        { name: 'coupon', value: none },
        { name: 'perms', value: { kind: 'flags', flags: ['exec'] } },
        {
          name: 'outcome',
          value: {
            kind: 'result',
            case: 'ok',
            value: {
              kind: 'list',
              items: [
                some({ kind: 'variant', case: 'err', payload: str('x') }),
                none,
                some({ kind: 'variant', case: 'empty', payload: null }),
              ],
            },
          },
        },
        {
          name: 'pair',
          value: { kind: 'tuple', items: [{ kind: 'char', value: '}' }, { kind: 'list', items: [int(-1)] }] },
        },
      ],
    };
    roundTrip(
      order,
      value,
      '{id: "ord-1", region: eu, items: [{sku: "widget", quantity: 2, note: some("gift, \\"wrapped\\"")}], ' +
        'perms: {exec}, outcome: ok([some(%err("x")), none, some(empty)]), pair: (\'}\', [-1])}',
    );
    const spaced = `{
      // the order
      id: "ord-1", region: eu,
      items: [{sku: "widget", quantity: 2, note: "gift, \\"wrapped\\""}],
      perms: {exec},
      outcome: ok([some(%err("x")), none, some(empty)]),
      pair: ('}', [-1]),
    }`;
    expect(parseWave(order, spaced)).toEqual(value);
  });

  it('function arguments, trailing options omittable', () => {
    const shapes: TypeShape[] = [prim('string'), { kind: 'option', of: prim('u8') }, { kind: 'option', of: prim('u8') }];
    expect(parseArgs(shapes, '"a", some(1)')).toEqual([str('a'), some(int(1)), none]);
    expect(parseArgs(shapes, '"a"')).toEqual([str('a'), none, none]);
    expect(parseArgs([], '  ')).toEqual([]);
    expect(() => parseArgs(shapes, '')).toThrow(/missing argument 1 of 3/);
    expect(() => parseArgs([prim('u8')], '1, 2')).toThrow(/too many arguments/);
  });
});

describe('parse errors name the position', () => {
  it('out of range integers', () => {
    const e = parseError(prim('u8'), '256');
    expect(e.line).toBe(1);
    expect(e.column).toBe(1);
    expect(e.message).toBe('line 1, column 1: 256 is out of range for u8 (0 to 255)');
    expect(parseError(prim('u64'), '18446744073709551616').reason).toMatch(/out of range for u64/);
    expect(parseError(prim('u32'), '-1').reason).toMatch(/out of range/);
    expect(parseError(prim('s32'), '1.5').reason).toMatch(/not an integer/);
  });

  it('a missing comma in a list', () => {
    const e = parseError({ kind: 'list', of: prim('u8') }, '[1 2]');
    expect(e.column).toBe(4);
    expect(e.reason).toBe('expected `,` or `]`, found `2`');
  });

  it('unknown fields and missing fields, on the right line', () => {
    const e = parseError(item, '{\n  sku: "a",\n  qty: 1\n}');
    expect([e.line, e.column]).toEqual([3, 3]);
    expect(e.reason).toMatch(/has no field `qty`/);
    expect(parseError(item, '{sku: "a"}').reason).toBe('missing field `quantity` of line-item');
  });

  it('bad chars, strings and escapes', () => {
    expect(parseError(prim('char'), "'ab'").reason).toMatch(/exactly one character/);
    expect(parseError(prim('char'), "''").reason).toMatch(/cannot be empty/);
    expect(parseError(prim('string'), '"abc').reason).toBe('unterminated string');
    const e = parseError(prim('string'), '"a\\qb"');
    expect(e.column).toBe(3);
    expect(e.reason).toMatch(/unknown escape `\\q`/);
    expect(parseError(prim('string'), '"\\u{D800}"').reason).toMatch(/not a Unicode scalar value/);
  });

  it('keyword cases without %', () => {
    const e = parseError(region, 'none');
    expect(e.reason).toBe('`none` is a WAVE keyword; write the case as %none');
    expect(parseError(region, 'west').reason).toMatch(/has no case `west` \(cases: eu, us, %none\)/);
  });

  it('payload rules of variants and results', () => {
    expect(parseError(shapeVariant, 'circle').reason).toMatch(/needs a payload/);
    expect(parseError(shapeVariant, 'empty(1)').reason).toMatch(/has no payload/);
    expect(parseError({ kind: 'result', ok: prim('u8'), err: null }, 'ok').reason).toMatch(/needs a payload/);
  });

  it('trailing input and unknown flags', () => {
    const e = parseError(prim('bool'), 'true false');
    expect(e.column).toBe(6);
    expect(e.reason).toMatch(/unexpected `false` after the value/);
    expect(parseError(perms, '{read, delete}').reason).toMatch(/has no flag `delete`/);
  });

  it('handles cannot be parsed', () => {
    expect(parseError({ kind: 'handle', name: 'ledger', borrow: false }, '0').reason).toMatch(/cannot be written/);
  });
});
