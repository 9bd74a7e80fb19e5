// Typed call arguments, written once and rendered both ways: as WAVE text
// (for `patchbay call` and `wasmtime run --invoke`) and as the JavaScript
// values jco's bindings take. And the other way round: a value a jco binding
// returned, rendered as the WAVE text `patchbay call` prints, so the three
// runtimes' answers compare as strings.
//
// jco's mapping (the component model's JS bindings): string → string,
// u32 → number, u64 → BigInt, enum case → its name as a string, option<T> →
// T or undefined, record → object with camelCase fields, variant →
// {tag, val}, list → array, result<T, E> → T returned or a ComponentError
// thrown whose `payload` is E.

/** A string argument. */
export const str = (v) => ({ t: 'string', v });
/** A u32 argument. */
export const u32 = (v) => ({ t: 'u32', v });
/** A u64 argument (a BigInt in JavaScript). */
export const u64 = (v) => ({ t: 'u64', v: String(v) });
/** An enum case. */
export const en = (v) => ({ t: 'enum', v });
/** option: some(value). */
export const some = (v) => ({ t: 'some', v });
/** option: none. */
export const none = { t: 'none' };
/** A record; field names in kebab-case, as in WIT. */
export const rec = (fields) => ({ t: 'record', v: fields });
/** A list. */
export const list = (items) => ({ t: 'list', v: items });

/** WAVE text of a string: what wasm-wave writes. */
export function waveString(s) {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: {
        const code = ch.codePointAt(0);
        out += code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : ch;
      }
    }
  }
  return out + '"';
}

/** WAVE text of a typed argument. */
export function toWave(a) {
  switch (a.t) {
    case 'string': return waveString(a.v);
    case 'u32': case 'u64': case 'enum': return String(a.v);
    case 'some': return `some(${toWave(a.v)})`;
    case 'none': return 'none';
    case 'record':
      return `{${Object.entries(a.v).map(([k, v]) => `${k}: ${toWave(v)}`).join(', ')}}`;
    case 'list': return `[${a.v.map(toWave).join(', ')}]`;
    default: throw new Error(`unknown argument type ${a.t}`);
  }
}

/** camelCase name of a kebab-case WIT name, as jco spells it. */
export const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The JavaScript value jco's binding takes for a typed argument. */
export function toJs(a) {
  switch (a.t) {
    case 'string': case 'u32': case 'enum': return a.v;
    case 'u64': return BigInt(a.v);
    case 'some': return toJs(a.v);
    case 'none': return undefined;
    case 'record':
      return Object.fromEntries(Object.entries(a.v).map(([k, v]) => [camel(k), toJs(v)]));
    case 'list': return a.v.map(toJs);
    default: throw new Error(`unknown argument type ${a.t}`);
  }
}

/**
 * WAVE text of a value a jco binding returned. Covers the result types the
 * samples' exports have (strings, integers, records, variants, lists);
 * an enum result would need the WIT to tell it from a string.
 */
export function jsToWave(v) {
  if (typeof v === 'string') return waveString(v);
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(jsToWave).join(', ')}]`;
  if (v && typeof v === 'object') {
    if ('tag' in v) return v.val === undefined ? v.tag : `${v.tag}(${jsToWave(v.val)})`;
    return `{${Object.entries(v).map(([k, x]) => `${kebab(k)}: ${jsToWave(x)}`).join(', ')}}`;
  }
  throw new Error(`cannot render ${typeof v} ${String(v)} as WAVE`);
}
