import { describe, expect, it } from 'vitest';
import { formatWave } from './format';
import type { TypeShape, WaveValue } from './shape';
import { multilineStrings, multilineStringsOf } from './strings';

const str: TypeShape = { kind: 'primitive', name: 'string' };
const u64: TypeShape = { kind: 'primitive', name: 'u64' };

// process-order's result in the order pipeline: result<invoice, string>.
const invoice: TypeShape = {
  kind: 'record',
  name: 'invoice',
  fields: [
    { name: 'order-id', shape: str },
    { name: 'total-cents', shape: u64 },
    { name: 'text', shape: str },
  ],
};
const processOrder: TypeShape = { kind: 'result', ok: invoice, err: str };

const INVOICE_WAVE =
  'ok({order-id: "ord-1042", total-cents: 3366, text: "Invoice ord-1042\\nCustomer: alice\\n\\nwidget x 2 @ $12.50 = $25.00\\n\\tTotal: \\"$33.66\\"\\n"})';

describe('multilineStringsOf', () => {
  it('finds a record field of an ok result and reads its escapes as real characters', () => {
    expect(multilineStringsOf(processOrder, INVOICE_WAVE)).toEqual([
      { path: 'text', text: 'Invoice ord-1042\nCustomer: alice\n\nwidget x 2 @ $12.50 = $25.00\n\tTotal: "$33.66"\n' },
    ]);
  });

  it('names an error, a whole-value string, list items, tuple items, cases and options', () => {
    expect(multilineStringsOf(processOrder, 'err("no such\\ncustomer")')).toEqual([{ path: 'err', text: 'no such\ncustomer' }]);
    expect(multilineStringsOf(str, '"a\\nb"')).toEqual([{ path: 'value', text: 'a\nb' }]);
    const shape: TypeShape = {
      kind: 'record',
      name: null,
      fields: [
        { name: 'pages', shape: { kind: 'list', of: { kind: 'option', of: str } } },
        { name: 'pair', shape: { kind: 'tuple', items: [u64, str] } },
        {
          name: 'body',
          shape: {
            kind: 'variant',
            name: 'body',
            cases: [
              { name: 'empty', shape: null },
              { name: 'plain', shape: str },
            ],
          },
        },
      ],
    };
    expect(
      multilineStringsOf(shape, '{pages: [some("one line"), none, some("two\\nlines")], pair: (1, "x\\ny"), body: plain("p\\nq")}'),
    ).toEqual([
      { path: 'pages[2]', text: 'two\nlines' },
      { path: 'pair[1]', text: 'x\ny' },
      { path: 'body.plain', text: 'p\nq' },
    ]);
  });

  it('finds nothing in one-line strings, in text of another type, or without a type', () => {
    expect(multilineStringsOf(processOrder, 'ok({order-id: "a", total-cents: 1, text: "one line"})')).toEqual([]);
    expect(multilineStringsOf(u64, '"a\\nb"')).toEqual([]);
    expect(multilineStringsOf(null, '"a\\nb"')).toEqual([]);
    // A backslash and an n are not a line break.
    expect(multilineStringsOf(str, '"C:\\\\new"')).toEqual([]);
  });

  it('agrees with the formatter: what it writes escaped comes back as text', () => {
    const value: WaveValue = {
      kind: 'result',
      case: 'ok',
      value: {
        kind: 'record',
        fields: [
          { name: 'order-id', value: { kind: 'string', value: 'o' } },
          { name: 'total-cents', value: { kind: 'int', value: 5n } },
          { name: 'text', value: { kind: 'string', value: 'line 1\r\nline 2 ✓\n' } },
        ],
      },
    };
    const wave = formatWave(processOrder, value);
    expect(wave).not.toContain('\n');
    expect(multilineStringsOf(processOrder, wave)).toEqual(multilineStrings(processOrder, value));
    expect(multilineStrings(processOrder, value)).toEqual([{ path: 'text', text: 'line 1\r\nline 2 ✓\n' }]);
  });
});
