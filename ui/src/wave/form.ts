/**
 * What the run form needs besides WAVE itself: a starting value for every
 * shape, reading and writing the text of primitive inputs (with the same
 * range and character rules the parser applies), and the call text.
 */
import { formatArgs, formatFloat, parseArgs, WaveParseError } from './format';
import { parseF32 } from './numbers';
import type { PrimitiveName, TypeShape, WaveValue } from './shape';
import { INT_RANGES, isFloatName, isIntName, unenterableReason, writtenAs } from './shape';

/**
 * The value a fresh form shows for `shape`: false, 0, 'a', "", empty lists,
 * `none`, `ok` with its default payload, the first case, no flags; a
 * stream's empty list of items, a future's value. Null when the shape
 * cannot be entered at all (resource handles, error contexts).
 */
export function defaultValue(shape: TypeShape): WaveValue | null {
  switch (shape.kind) {
    case 'primitive':
      return defaultPrimitive(shape.name);
    case 'list':
      return { kind: 'list', items: [] };
    case 'option':
      return { kind: 'option', value: null };
    case 'result': {
      if (!shape.ok) return { kind: 'result', case: 'ok', value: null };
      const ok = defaultValue(shape.ok);
      if (ok) return { kind: 'result', case: 'ok', value: ok };
      if (!shape.err) return null;
      const err = defaultValue(shape.err);
      return err ? { kind: 'result', case: 'err', value: err } : null;
    }
    case 'tuple': {
      const items: WaveValue[] = [];
      for (const item of shape.items) {
        const v = defaultValue(item);
        if (!v) return null;
        items.push(v);
      }
      return { kind: 'tuple', items };
    }
    case 'record': {
      const fields: { name: string; value: WaveValue }[] = [];
      for (const field of shape.fields) {
        const v = defaultValue(field.shape);
        if (!v) return null;
        fields.push({ name: field.name, value: v });
      }
      return { kind: 'record', fields };
    }
    case 'variant': {
      for (const c of shape.cases) {
        if (!c.shape) return { kind: 'variant', case: c.name, payload: null };
        const payload = defaultValue(c.shape);
        if (payload) return { kind: 'variant', case: c.name, payload };
      }
      return null;
    }
    case 'enum':
      return shape.cases.length > 0 ? { kind: 'enum', case: shape.cases[0] } : null;
    case 'flags':
      return { kind: 'flags', flags: [] };
    case 'stream':
    case 'future':
      return defaultValue(writtenAs(shape));
    case 'handle':
    case 'unsupported':
      return null;
  }
}

function defaultPrimitive(name: PrimitiveName): WaveValue {
  if (name === 'bool') return { kind: 'bool', value: false };
  if (isIntName(name)) return { kind: 'int', value: 0n };
  if (isFloatName(name)) return { kind: 'float', value: 0 };
  if (name === 'char') return { kind: 'char', value: 'a' };
  return { kind: 'string', value: '' };
}

/** Default values for every parameter, or the reason one cannot be entered. */
export function defaultArgs(shapes: TypeShape[]): { values: WaveValue[] } | { reason: string } {
  const values: WaveValue[] = [];
  for (const shape of shapes) {
    const v = defaultValue(shape);
    if (!v) return { reason: unenterableReason(shape) ?? 'this parameter cannot be entered' };
    values.push(v);
  }
  return { values };
}

/** The text a primitive's input shows for `value`: strings raw, chars raw unless invisible. */
export function primitiveText(value: WaveValue, name?: PrimitiveName): string {
  switch (value.kind) {
    case 'int':
      return value.value.toString();
    case 'float':
      return formatFloat(value.value, name === 'f32');
    case 'char':
      return charInputText(value.value);
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    default:
      return '';
  }
}

export type InputResult = { ok: true; value: WaveValue } | { ok: false; error: string };

/**
 * Reads what someone typed into a primitive's input. Integers must be whole
 * and in range (u64 and s64 exactly, as bigint); floats take decimals,
 * exponents, `nan`, `inf` and `-inf`; a char is one character or one escape
 * (`\n`, `\u{1F600}`); strings are taken as typed.
 */
export function readPrimitiveInput(name: PrimitiveName, text: string): InputResult {
  if (name === 'string') return { ok: true, value: { kind: 'string', value: text } };
  if (name === 'bool') {
    if (text === 'true' || text === 'false') return { ok: true, value: { kind: 'bool', value: text === 'true' } };
    return { ok: false, error: 'true or false' };
  }
  const t = text.trim();
  if (isIntName(name)) {
    const [min, max] = INT_RANGES[name];
    if (t === '') return { ok: false, error: `enter a whole number from ${min} to ${max}` };
    if (!/^-?[0-9]+$/.test(t)) {
      return { ok: false, error: /^-?[0-9]*[.eE]/.test(t) ? `${name} takes whole numbers` : `not a number: ${t}` };
    }
    const v = BigInt(t);
    if (v < min || v > max) return { ok: false, error: `out of range for ${name}: ${min} to ${max}` };
    return { ok: true, value: { kind: 'int', value: v } };
  }
  if (isFloatName(name)) {
    if (t === 'nan') return { ok: true, value: { kind: 'float', value: NaN } };
    if (t === 'inf') return { ok: true, value: { kind: 'float', value: Infinity } };
    if (t === '-inf') return { ok: true, value: { kind: 'float', value: -Infinity } };
    if (!/^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) {
      return { ok: false, error: 'enter a number, nan, inf or -inf' };
    }
    const v = name === 'f32' ? parseF32(t) : Number(t);
    if (!Number.isFinite(v)) return { ok: false, error: `out of range for ${name}` };
    return { ok: true, value: { kind: 'float', value: v } };
  }
  // char
  const chars = [...text];
  if (chars.length === 1) return { ok: true, value: { kind: 'char', value: text } };
  if (chars.length === 0) return { ok: false, error: 'enter one character' };
  if (text.startsWith('\\')) {
    const escapes: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\r': '\r', '\\\\': '\\', "\\'": "'", '\\"': '"' };
    if (text in escapes) return { ok: true, value: { kind: 'char', value: escapes[text] } };
    const m = /^\\u\{([0-9a-fA-F]{1,6})\}$/.exec(text);
    if (m) {
      const code = parseInt(m[1], 16);
      if (code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
        return { ok: true, value: { kind: 'char', value: String.fromCodePoint(code) } };
      }
      return { ok: false, error: `\\u{${m[1]}} is not a Unicode scalar value` };
    }
    return { ok: false, error: 'unknown escape; use \\n \\t \\r \\\\ or \\u{…}' };
  }
  return { ok: false, error: 'a char is exactly one character' };
}

/** How a char value is shown in its input: control characters as escapes. */
export function charInputText(value: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  if (value in named) return named[value];
  const code = value.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\u{${code.toString(16)}}`;
  if (value === '\\') return '\\\\';
  return value;
}

/** A short hint for a primitive input: its range or accepted forms. */
export function primitiveHint(name: PrimitiveName): string {
  if (isIntName(name)) {
    const [min, max] = INT_RANGES[name];
    return `${name}: ${min} … ${max}`;
  }
  if (isFloatName(name)) return `${name}: number, nan, inf, -inf`;
  if (name === 'char') return "char: one character or an escape like \\n, \\u{1F600}";
  return name;
}

/** The call text the host takes: `prefix(arg, arg)`. */
export function callText(callPrefix: string, shapes: TypeShape[], values: WaveValue[]): string {
  return `${callPrefix}(${formatArgs(shapes, values)})`;
}

/** Parses the argument text of the raw WAVE box; an error names line and column. */
export function readArgsText(shapes: TypeShape[], text: string): { values: WaveValue[] } | { error: string } {
  try {
    return { values: parseArgs(shapes, text) };
  } catch (e) {
    if (e instanceof WaveParseError) return { error: e.message };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Deep equality of two values (NaN equals NaN, -0 differs from 0 only in sign-sensitive floats). */
export function sameValue(a: WaveValue, b: WaveValue): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'bool':
    case 'int':
    case 'char':
    case 'string':
      return a.value === (b as typeof a).value;
    case 'float':
      return Object.is(a.value, (b as typeof a).value);
    case 'list':
    case 'tuple': {
      const bi = (b as typeof a).items;
      return a.items.length === bi.length && a.items.every((x, i) => sameValue(x, bi[i]));
    }
    case 'record': {
      const bf = (b as typeof a).fields;
      return a.fields.length === bf.length && a.fields.every((f, i) => f.name === bf[i].name && sameValue(f.value, bf[i].value));
    }
    case 'variant': {
      const bv = b as typeof a;
      if (a.case !== bv.case) return false;
      if (!a.payload || !bv.payload) return a.payload === bv.payload;
      return sameValue(a.payload, bv.payload);
    }
    case 'enum':
      return a.case === (b as typeof a).case;
    case 'option': {
      const bv = (b as typeof a).value;
      if (!a.value || !bv) return a.value === bv;
      return sameValue(a.value, bv);
    }
    case 'result': {
      const bv = b as typeof a;
      if (a.case !== bv.case) return false;
      if (!a.value || !bv.value) return a.value === bv.value;
      return sameValue(a.value, bv.value);
    }
    case 'flags': {
      const bf = (b as typeof a).flags;
      return a.flags.length === bf.length && a.flags.every((f) => bf.includes(f));
    }
  }
}

/** When a variant switches case, keep nothing of the old payload: a fresh default. */
export function variantWithCase(shape: Extract<TypeShape, { kind: 'variant' }>, caseName: string): WaveValue | null {
  const c = shape.cases.find((x) => x.name === caseName);
  if (!c) return null;
  if (!c.shape) return { kind: 'variant', case: caseName, payload: null };
  const payload = defaultValue(c.shape);
  return payload ? { kind: 'variant', case: caseName, payload } : null;
}

/** Switching a result between ok and err keeps nothing of the old payload. */
export function resultWithCase(shape: Extract<TypeShape, { kind: 'result' }>, which: 'ok' | 'err'): WaveValue | null {
  const payloadShape = which === 'ok' ? shape.ok : shape.err;
  if (!payloadShape) return { kind: 'result', case: which, value: null };
  const v = defaultValue(payloadShape);
  return v ? { kind: 'result', case: which, value: v } : null;
}
