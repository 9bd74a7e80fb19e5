/**
 * The strings with line breaks inside a value, for showing them as text. A
 * result such as an invoice reads badly as WAVE (`"Invoice 1\n\nCustomer: …"`),
 * so the run panel shows each such string, found by walking the parsed value
 * with its type, with real line breaks under the exact WAVE.
 */
import { parseWave } from './format';
import type { TypeShape, WaveValue } from './shape';

/** A string with line breaks and where it is in the value. */
export type TextString = {
  /** Where it is: record fields by name, list and tuple items as `[i]`,
   *  cases by name (`err`, `some-case`); the `ok` of a result is left out,
   *  and a string that is the whole value is `value`. */
  path: string;
  text: string;
};

/** Every string value holding a line break, in the order they are written. */
export function multilineStrings(shape: TypeShape, value: WaveValue): TextString[] {
  const out: TextString[] = [];
  walk(shape, value, '', out);
  return out;
}

/**
 * The strings with line breaks in WAVE `text` of type `shape`; none when
 * the text does not parse as that type (a stale type, say): the WAVE is
 * shown regardless, this only adds to it.
 */
export function multilineStringsOf(shape: TypeShape | null, text: string): TextString[] {
  if (!shape || !(text.includes('\\n') || text.includes('\n'))) return [];
  try {
    return multilineStrings(shape, parseWave(shape, text));
  } catch {
    return [];
  }
}

function join(path: string, segment: string): string {
  if (segment.startsWith('[')) return `${path}${segment}`;
  return path ? `${path}.${segment}` : segment;
}

function walk(shape: TypeShape, value: WaveValue, path: string, out: TextString[]): void {
  switch (shape.kind) {
    case 'primitive':
      if (value.kind === 'string' && value.value.includes('\n')) out.push({ path: path || 'value', text: value.value });
      return;
    case 'list':
      if (value.kind === 'list') value.items.forEach((item, i) => walk(shape.of, item, join(path, `[${i}]`), out));
      return;
    case 'tuple':
      if (value.kind === 'tuple') value.items.forEach((item, i) => walk(shape.items[i], item, join(path, `[${i}]`), out));
      return;
    case 'record':
      if (value.kind === 'record') {
        for (const f of value.fields) {
          const field = shape.fields.find((x) => x.name === f.name);
          if (field) walk(field.shape, f.value, join(path, f.name), out);
        }
      }
      return;
    case 'option':
      if (value.kind === 'option' && value.value) walk(shape.of, value.value, path, out);
      return;
    case 'result': {
      if (value.kind !== 'result' || !value.value) return;
      const payload = value.case === 'ok' ? shape.ok : shape.err;
      if (payload) walk(payload, value.value, value.case === 'ok' ? path : join(path, 'err'), out);
      return;
    }
    case 'variant': {
      if (value.kind !== 'variant' || !value.payload) return;
      const c = shape.cases.find((x) => x.name === value.case);
      if (c?.shape) walk(c.shape, value.payload, join(path, value.case), out);
      return;
    }
    default:
      return;
  }
}
