/**
 * WAVE (WebAssembly Value Encoding, as in the `wasm-wave` crate and
 * `wasmtime run --invoke`) for the values the editor lets people type.
 *
 * `formatWave` writes exactly what the host's wasm-wave writes: options and
 * results always in their variant form (`some(1)`, `ok`), record fields that
 * are `none` left out (`{:}` when none is left), keyword-named cases
 * prefixed with `%`, floats without exponents and text escaped as Rust's
 * `escape_debug` does (`numbers.ts`, `text.ts`). `parseWave` accepts what
 * the WAVE spec accepts for a known type and wasm-wave reads: comments,
 * trailing commas, omitted `none` record fields, `{:}`, `%`-prefixed labels
 * (but not on flags, which wasm-wave refuses), multi-line strings, and the
 * "flat" forms of `some(x)` and `ok(x)` (a bare `x`) when the payload is not
 * itself an option or result, the same restriction the spec makes. Where
 * wasm-wave is laxer than the spec (unknown record fields, missing commas),
 * the editor keeps to the spec. `tests/wave/cases.json` holds both to this.
 */
import type { TypeShape, WaveValue } from './shape';
import { INT_RANGES, describeShape, isFloatName, isIntName, writtenAs } from './shape';
import { parseF32, waveFloat } from './numbers';
import { quoteText } from './text';

export { formatFloat } from './numbers';

/** Words WAVE reserves; cases with these names are written with `%`. */
export const WAVE_KEYWORDS = new Set(['true', 'false', 'inf', 'nan', 'some', 'none', 'ok', 'err']);

/** A parse failure, with the 1-based line and column it happened at. */
export class WaveParseError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(text: string, offset: number, reason: string) {
    const { line, column } = lineColumn(text, offset);
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'WaveParseError';
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

// ---------------------------------------------------------------------------
// Formatting

/** Writes `value` (which must fit `shape`) as WAVE text. */
export function formatWave(shape: TypeShape, value: WaveValue): string {
  switch (shape.kind) {
    case 'primitive':
      return formatPrimitive(shape.name, value);
    case 'list': {
      const v = expectKind(value, 'list', shape);
      return `[${v.items.map((item) => formatWave(shape.of, item)).join(", ")}]`;
    }
    case 'tuple': {
      const v = expectKind(value, 'tuple', shape);
      if (v.items.length !== shape.items.length) {
        throw new Error(`a ${describeShape(shape)} needs ${shape.items.length} items, got ${v.items.length}`);
      }
      return `(${v.items.map((item, i) => formatWave(shape.items[i], item)).join(", ")})`;
    }
    case 'record': {
      const v = expectKind(value, 'record', shape);
      const parts = shape.fields.flatMap((field) => {
        const entry = v.fields.find((f) => f.name === field.name);
        if (!entry) throw new Error(`record ${describeShape(shape)} has no value for field \`${field.name}\``);
        // As wasm-wave: a `none` field is left out; reading puts it back.
        if (entry.value.kind === 'option' && entry.value.value === null) return [];
        return [`${field.name}: ${formatWave(field.shape, entry.value)}`];
      });
      return parts.length === 0 ? '{:}' : `{${parts.join(", ")}}`;
    }
    case 'variant': {
      const v = expectKind(value, 'variant', shape);
      const c = shape.cases.find((c) => c.name === v.case);
      if (!c) throw new Error(`${describeShape(shape)} has no case \`${v.case}\``);
      const label = formatCaseLabel(c.name);
      if (!c.shape) return label;
      if (!v.payload) throw new Error(`case \`${c.name}\` needs a payload`);
      return `${label}(${formatWave(c.shape, v.payload)})`;
    }
    case 'enum': {
      const v = expectKind(value, 'enum', shape);
      if (!shape.cases.includes(v.case)) throw new Error(`${describeShape(shape)} has no case \`${v.case}\``);
      return formatCaseLabel(v.case);
    }
    case 'option': {
      const v = expectKind(value, 'option', shape);
      return v.value === null ? 'none' : `some(${formatWave(shape.of, v.value)})`;
    }
    case 'result': {
      const v = expectKind(value, 'result', shape);
      const payloadShape = v.case === 'ok' ? shape.ok : shape.err;
      if (!payloadShape) return v.case;
      if (!v.value) throw new Error(`${v.case} of ${describeShape(shape)} needs a payload`);
      return `${v.case}(${formatWave(payloadShape, v.value)})`;
    }
    case 'flags': {
      const v = expectKind(value, 'flags', shape);
      for (const f of v.flags) {
        if (!shape.flags.includes(f)) throw new Error(`${describeShape(shape)} has no flag \`${f}\``);
      }
      return `{${shape.flags.filter((f) => v.flags.includes(f)).join(", ")}}`;
    }
    case 'stream':
    case 'future':
      return formatWave(writtenAs(shape), value);
    case 'handle':
    case 'unsupported':
      throw new Error(`${describeShape(shape)} values cannot be written in WAVE`);
  }
}

/** Writes several values as a function's argument list (without parentheses). */
export function formatArgs(shapes: TypeShape[], values: WaveValue[]): string {
  return values.map((v, i) => formatWave(shapes[i], v)).join(', ');
}

function expectKind<K extends WaveValue['kind']>(
  value: WaveValue,
  kind: K,
  shape: TypeShape,
): Extract<WaveValue, { kind: K }> {
  if (value.kind !== kind) {
    throw new Error(`expected a ${describeShape(shape)} value, got a ${value.kind}`);
  }
  return value as Extract<WaveValue, { kind: K }>;
}

function formatCaseLabel(name: string): string {
  return WAVE_KEYWORDS.has(name) ? `%${name}` : name;
}

function formatPrimitive(name: string, value: WaveValue): string {
  if (name === 'bool') {
    if (value.kind !== 'bool') throw new Error(`expected a bool value, got a ${value.kind}`);
    return value.value ? 'true' : 'false';
  }
  if (isIntName(name)) {
    if (value.kind !== 'int') throw new Error(`expected a ${name} value, got a ${value.kind}`);
    const [min, max] = INT_RANGES[name];
    if (value.value < min || value.value > max) throw new Error(`${value.value} is out of range for ${name}`);
    return value.value.toString();
  }
  if (isFloatName(name)) {
    if (value.kind !== 'float') throw new Error(`expected a ${name} value, got a ${value.kind}`);
    return waveFloat(value.value, name === 'f32');
  }
  if (name === 'char') {
    if (value.kind !== 'char') throw new Error(`expected a char value, got a ${value.kind}`);
    if ([...value.value].length !== 1) throw new Error('a char holds exactly one Unicode scalar value');
    return quoteText(value.value, "'");
  }
  if (value.kind !== 'string') throw new Error(`expected a string value, got a ${value.kind}`);
  return quoteText(value.value, '"');
}

// ---------------------------------------------------------------------------
// Parsing

/** Parses WAVE text as a value of `shape`; throws `WaveParseError`. */
export function parseWave(shape: TypeShape, text: string): WaveValue {
  const p = new Parser(text);
  p.skipSpace();
  const value = p.value(shape);
  p.skipSpace();
  if (!p.atEnd()) p.fail(`unexpected \`${p.peekToken()}\` after the value`);
  return value;
}

/**
 * Parses a function's arguments written without the surrounding parentheses,
 * e.g. `"a", 1`. As the WAVE function-call appendix allows, trailing
 * arguments of option type may be left out and are `none`.
 */
export function parseArgs(shapes: TypeShape[], text: string): WaveValue[] {
  const p = new Parser(text);
  const values: WaveValue[] = [];
  p.skipSpace();
  while (!p.atEnd()) {
    if (values.length >= shapes.length) {
      p.fail(`too many arguments: the function takes ${shapes.length}`);
    }
    values.push(p.value(shapes[values.length]));
    p.skipSpace();
    if (p.atEnd()) break;
    p.expect(',');
    p.skipSpace();
  }
  for (let i = values.length; i < shapes.length; i++) {
    if (shapes[i].kind !== 'option') {
      p.fail(`missing argument ${i + 1} of ${shapes.length} (a ${describeShape(shapes[i])})`);
    }
    values.push({ kind: 'option', value: null });
  }
  return values;
}

const LABEL_CHAR = /[A-Za-z0-9-]/;
const WORD = /^(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)$/;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(reason: string, at: number = this.pos): never {
    throw new WaveParseError(this.text, at, reason);
  }

  skipSpace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.pos++;
      } else if (ch === '/' && this.text[this.pos + 1] === '/') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      } else {
        return;
      }
    }
  }

  /** A short description of what comes next, for error messages. */
  peekToken(): string {
    if (this.atEnd()) return 'end of input';
    const m = /^(?:%?[A-Za-z0-9-]+|.)/su.exec(this.text.slice(this.pos));
    return m ? m[0] : this.text[this.pos];
  }

  describeNext(): string {
    return this.atEnd() ? 'the end of the input' : `\`${this.peekToken()}\``;
  }

  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected \`${ch}\`, found ${this.describeNext()}`);
    this.pos++;
  }

  eat(ch: string): boolean {
    if (this.text[this.pos] === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Reads a label; `escaped` tells whether it was written with `%`. */
  label(what: string): { name: string; escaped: boolean; start: number } {
    const start = this.pos;
    const escaped = this.eat('%');
    const from = this.pos;
    while (this.pos < this.text.length && LABEL_CHAR.test(this.text[this.pos])) this.pos++;
    const name = this.text.slice(from, this.pos);
    if (name === '') {
      this.pos = start;
      this.fail(`expected ${what}, found ${this.describeNext()}`);
    }
    if (!name.split('-').every((w) => WORD.test(w))) {
      this.fail(`\`${name}\` is not a valid label (kebab-case words, each starting with a letter)`, start);
    }
    return { name, escaped, start };
  }

  /** Peeks at an unescaped keyword without consuming it. */
  peekKeyword(): string | null {
    const m = /^[a-z]+/.exec(this.text.slice(this.pos, this.pos + 8));
    if (!m || !WAVE_KEYWORDS.has(m[0])) return null;
    const after = this.text[this.pos + m[0].length];
    if (after !== undefined && LABEL_CHAR.test(after)) return null;
    return m[0];
  }

  value(shape: TypeShape): WaveValue {
    switch (shape.kind) {
      case 'primitive':
        return this.primitive(shape.name);
      case 'list':
        return this.list(shape.of);
      case 'tuple':
        return this.tuple(shape);
      case 'record':
        return this.record(shape);
      case 'variant':
        return this.variant(shape);
      case 'enum':
        return this.enumCase(shape);
      case 'option':
        return this.option(shape);
      case 'result':
        return this.result(shape);
      case 'flags':
        return this.flags(shape);
      case 'stream':
      case 'future':
        return this.value(writtenAs(shape));
      case 'handle':
      case 'unsupported':
        return this.fail(`${describeShape(shape)} values cannot be written in WAVE`);
    }
  }

  primitive(name: string): WaveValue {
    if (name === 'bool') {
      const start = this.pos;
      const kw = this.peekKeyword();
      if (kw === 'true' || kw === 'false') {
        this.pos += kw.length;
        return { kind: 'bool', value: kw === 'true' };
      }
      return this.fail(`expected \`true\` or \`false\`, found ${this.describeNext()}`, start);
    }
    if (isIntName(name)) return this.integer(name);
    if (isFloatName(name)) return this.float(name === 'f32');
    if (name === 'char') return this.char();
    return this.string();
  }

  /** Reads the text of a JSON-like number, or fails. */
  numberText(integerOnly: boolean, typeName: string): string {
    const rest = this.text.slice(this.pos);
    const m = integerOnly
      ? /^-?[0-9]+/.exec(rest)
      : /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(rest);
    if (!m) this.fail(`expected a ${typeName} number, found ${this.describeNext()}`);
    const digits = m[0].replace(/^-/, '');
    if (/^0[0-9]/.test(digits)) this.fail('numbers must not have leading zeros');
    const after = this.text[this.pos + m[0].length];
    if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) {
      const bad = /^[^\s,)\]}]+/.exec(rest)?.[0] ?? m[0];
      this.fail(
        integerOnly && /^[.eE]/.test(after)
          ? `\`${bad}\` is not an integer; ${typeName} takes whole numbers`
          : `\`${bad}\` is not a valid ${typeName} number`,
      );
    }
    return m[0];
  }

  integer(name: string): WaveValue {
    const start = this.pos;
    const text = this.numberText(true, name);
    const value = BigInt(text);
    // Rust, and so the host, reads no minus sign on an unsigned integer.
    if (value === 0n && text.startsWith('-') && name.startsWith('u')) {
      this.fail(`${name} is unsigned: write 0, not ${text}`, start);
    }
    const [min, max] = INT_RANGES[name];
    if (value < min || value > max) this.fail(`${text} is out of range for ${name} (${min} to ${max})`, start);
    this.pos += text.length;
    return { kind: 'int', value };
  }

  float(f32: boolean): WaveValue {
    const typeName = f32 ? 'f32' : 'f64';
    for (const [word, value] of [
      ['nan', NaN],
      ['inf', Infinity],
      ['-inf', -Infinity],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        const after = this.text[this.pos + word.length];
        if (after === undefined || !LABEL_CHAR.test(after)) {
          this.pos += word.length;
          return { kind: 'float', value };
        }
      }
    }
    const text = this.numberText(false, typeName);
    // Rounded once to the nearest value, as Rust parses it; beyond the
    // largest finite value that is infinity, as the host reads it too.
    const value = f32 ? parseF32(text) : Number(text);
    this.pos += text.length;
    return { kind: 'float', value };
  }

  /** Reads one possibly escaped character inside quotes. */
  quotedChar(quote: string): string {
    const start = this.pos;
    const ch = this.text.codePointAt(this.pos);
    if (ch === undefined) this.fail(`unterminated ${quote === "'" ? "char" : "string"}`);
    if (ch === 0x0a) this.fail(`a line break inside ${quote === "'" ? "a char" : "a string"} must be written \\n`);
    if (ch !== 0x5c) {
      const s = String.fromCodePoint(ch);
      this.pos += s.length;
      return s;
    }
    this.pos++;
    const esc = this.text[this.pos];
    this.pos++;
    switch (esc) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      case "'":
        return "'";
      case '"':
        return '"';
      case 'u': {
        // wasm-wave reads at most six hex digits.
        const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(this.pos));
        if (!m) this.fail('expected a Unicode escape like \\u{1F600}', start);
        const code = parseInt(m[1], 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          this.fail(`\\u{${m[1]}} is not a Unicode scalar value`, start);
        }
        this.pos += m[0].length;
        return String.fromCodePoint(code);
      }
      default:
        return this.fail(
          esc === undefined ? 'unterminated escape' : `unknown escape \`\\${esc}\` (use \\n \\t \\r \\\\ \\' \\" or \\u{…})`,
          start,
        );
    }
  }

  char(): WaveValue {
    const start = this.pos;
    if (!this.eat("'")) this.fail(`expected a char like 'x', found ${this.describeNext()}`);
    if (this.text[this.pos] === "'") this.fail('a char cannot be empty', start);
    const value = this.quotedChar("'");
    if (!this.eat("'")) {
      if (this.atEnd()) this.fail('unterminated char', start);
      this.fail('a char holds exactly one character; use double quotes for a string', start);
    }
    return { kind: 'char', value };
  }

  string(): WaveValue {
    const start = this.pos;
    if (this.text.startsWith('"""', this.pos)) return this.multilineString();
    if (!this.eat('"')) this.fail(`expected a string in double quotes, found ${this.describeNext()}`);
    let value = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string', start);
      if (this.eat('"')) return { kind: 'string', value };
      value += this.quotedChar('"');
    }
  }

  multilineString(): WaveValue {
    const start = this.pos;
    this.pos += 3;
    if (this.text.startsWith('\r\n', this.pos)) this.pos += 2;
    else if (!this.eat('\n')) this.fail('a multi-line string starts with """ and a line break', start);
    // Lines as written (escapes still raw), up to the closing line.
    const lines: string[] = [];
    let indent: number;
    for (;;) {
      const lineStart = this.pos;
      let end = this.text.indexOf('\n', lineStart);
      if (end < 0) end = this.text.length;
      const raw = this.text.slice(lineStart, end).replace(/\r$/, '');
      const closing = /^( *)"""/.exec(raw);
      if (closing) {
        indent = closing[1].length;
        this.pos = lineStart + closing[0].length;
        break;
      }
      if (end >= this.text.length) this.fail('unterminated multi-line string', start);
      lines.push(raw);
      this.pos = end + 1;
    }
    const out: string[] = [];
    for (const raw of lines) {
      // The spec (and wasm-wave) want the indent on blank lines too.
      if (!raw.startsWith(' '.repeat(indent))) {
        this.fail(`every line of a multi-line string needs the closing """'s indent of ${indent} spaces`, start);
      }
      const inner = new Parser(raw.slice(Math.min(indent, raw.length)));
      let line = '';
      while (!inner.atEnd()) line += inner.quotedChar('"');
      out.push(line);
    }
    return { kind: 'string', value: out.join('\n') };
  }

  /** Comma-separated values until `close`, with an optional trailing comma. */
  sequence(close: string, each: (index: number) => void): void {
    this.skipSpace();
    let index = 0;
    while (!this.eat(close)) {
      if (this.atEnd()) this.fail(`expected \`${close}\`, found the end of the input`);
      each(index++);
      this.skipSpace();
      if (this.eat(close)) return;
      if (!this.eat(',')) this.fail(`expected \`,\` or \`${close}\`, found ${this.describeNext()}`);
      this.skipSpace();
    }
  }

  list(of: TypeShape): WaveValue {
    if (!this.eat('[')) this.fail(`expected a list like [a, b], found ${this.describeNext()}`);
    const items: WaveValue[] = [];
    this.sequence(']', () => {
      items.push(this.value(of));
    });
    return { kind: 'list', items };
  }

  tuple(shape: Extract<TypeShape, { kind: 'tuple' }>): WaveValue {
    const start = this.pos;
    if (!this.eat('(')) this.fail(`expected a tuple like (a, b), found ${this.describeNext()}`);
    const items: WaveValue[] = [];
    this.sequence(')', (i) => {
      if (i >= shape.items.length) this.fail(`too many items: ${describeShape(shape)} has ${shape.items.length}`);
      items.push(this.value(shape.items[i]));
    });
    if (items.length !== shape.items.length) {
      this.fail(`${describeShape(shape)} needs ${shape.items.length} items, found ${items.length}`, start);
    }
    return { kind: 'tuple', items };
  }

  record(shape: Extract<TypeShape, { kind: 'record' }>): WaveValue {
    const start = this.pos;
    if (!this.eat('{')) this.fail(`expected a record like {${shape.fields[0]?.name ?? "field"}: …}, found ${this.describeNext()}`);
    const given = new Map<string, WaveValue>();
    this.skipSpace();
    if (this.eat(':')) {
      this.skipSpace();
      this.expect('}');
    } else if (this.text[this.pos] === '}') {
      this.fail('`{}` is empty flags; a record with every field left out is written `{:}`');
    } else {
      this.pos = start + 1;
      this.sequence('}', () => {
        const label = this.label('a field name');
        const field = shape.fields.find((f) => f.name === label.name);
        if (!field) {
          const names = shape.fields.map((f) => f.name).join(', ');
          this.fail(`${describeShape(shape)} has no field \`${label.name}\` (fields: ${names})`, label.start);
        }
        if (given.has(field.name)) this.fail(`field \`${field.name}\` is given twice`, label.start);
        this.skipSpace();
        this.expect(':');
        this.skipSpace();
        given.set(field.name, this.value(field.shape));
      });
    }
    const fields = shape.fields.map((field) => {
      const value = given.get(field.name);
      if (value) return { name: field.name, value };
      if (field.shape.kind === 'option') return { name: field.name, value: { kind: 'option', value: null } as WaveValue };
      return this.fail(`missing field \`${field.name}\` of ${describeShape(shape)}`, start);
    });
    return { kind: 'record', fields };
  }

  caseLabel(cases: string[], typeName: string): { name: string; start: number } {
    const label = this.label(`a case of ${typeName} (${cases.map(formatCaseLabel).join(", ")})`);
    if (!label.escaped && WAVE_KEYWORDS.has(label.name)) {
      if (cases.includes(label.name)) {
        this.fail(`\`${label.name}\` is a WAVE keyword; write the case as %${label.name}`, label.start);
      }
      this.fail(`${typeName} has no case \`${label.name}\` (cases: ${cases.map(formatCaseLabel).join(", ")})`, label.start);
    }
    if (!cases.includes(label.name)) {
      this.fail(`${typeName} has no case \`${label.name}\` (cases: ${cases.map(formatCaseLabel).join(", ")})`, label.start);
    }
    return label;
  }

  variant(shape: Extract<TypeShape, { kind: 'variant' }>): WaveValue {
    const label = this.caseLabel(
      shape.cases.map((c) => c.name),
      describeShape(shape),
    );
    const c = shape.cases.find((c) => c.name === label.name);
    if (!c) return this.fail(`unknown case \`${label.name}\``, label.start);
    const afterLabel = this.pos;
    this.skipSpace();
    if (!c.shape) {
      if (this.text[this.pos] === '(') this.fail(`case \`${c.name}\` has no payload`);
      this.pos = afterLabel;
      return { kind: 'variant', case: c.name, payload: null };
    }
    if (!this.eat('(')) this.fail(`case \`${c.name}\` needs a payload: ${formatCaseLabel(c.name)}(${describeShape(c.shape)})`);
    const payload = this.payload(c.shape);
    return { kind: 'variant', case: c.name, payload };
  }

  /** After `(`: a value, then `)`. */
  payload(shape: TypeShape): WaveValue {
    this.skipSpace();
    const value = this.value(shape);
    this.skipSpace();
    this.expect(')');
    return value;
  }

  enumCase(shape: Extract<TypeShape, { kind: 'enum' }>): WaveValue {
    const label = this.caseLabel(shape.cases, describeShape(shape));
    return { kind: 'enum', case: label.name };
  }

  option(shape: Extract<TypeShape, { kind: 'option' }>): WaveValue {
    const kw = this.peekKeyword();
    if (kw === 'none') {
      this.pos += 4;
      return { kind: 'option', value: null };
    }
    if (kw === 'some') {
      this.pos += 4;
      this.skipSpace();
      if (!this.eat('(')) this.fail('expected `(` after `some`');
      return { kind: 'option', value: this.payload(shape.of) };
    }
    if (shape.of.kind === 'option' || shape.of.kind === 'result') {
      this.fail(`expected \`some(…)\` or \`none\`, found ${this.describeNext()}`);
    }
    return { kind: 'option', value: this.value(shape.of) };
  }

  result(shape: Extract<TypeShape, { kind: 'result' }>): WaveValue {
    const kw = this.peekKeyword();
    if (kw === 'ok' || kw === 'err') {
      const start = this.pos;
      this.pos += kw.length;
      const payloadShape = kw === 'ok' ? shape.ok : shape.err;
      const afterKw = this.pos;
      this.skipSpace();
      if (!payloadShape) {
        if (this.text[this.pos] === '(') this.fail(`\`${kw}\` of ${describeShape(shape)} has no payload`);
        this.pos = afterKw;
        return { kind: 'result', case: kw, value: null };
      }
      if (!this.eat('(')) {
        this.fail(`\`${kw}\` of ${describeShape(shape)} needs a payload: ${kw}(${describeShape(payloadShape)})`, start);
      }
      return { kind: 'result', case: kw, value: this.payload(payloadShape) };
    }
    if (!shape.ok || shape.ok.kind === 'option' || shape.ok.kind === 'result') {
      this.fail(`expected \`ok\` or \`err\`, found ${this.describeNext()}`);
    }
    return { kind: 'result', case: 'ok', value: this.value(shape.ok) };
  }

  flags(shape: Extract<TypeShape, { kind: 'flags' }>): WaveValue {
    if (!this.eat('{')) this.fail(`expected flags like {${shape.flags[0] ?? ""}}, found ${this.describeNext()}`);
    const set = new Set<string>();
    this.sequence('}', () => {
      const label = this.label('a flag name');
      // The spec allows `%` on flags, but the host's wasm-wave refuses it.
      if (label.escaped) this.fail('flags are written without `%`', label.start);
      if (set.has(label.name)) this.fail(`flag \`${label.name}\` is given twice`, label.start);
      if (!shape.flags.includes(label.name)) {
        this.fail(`${describeShape(shape)} has no flag \`${label.name}\` (flags: ${shape.flags.join(", ")})`, label.start);
      }
      set.add(label.name);
    });
    return { kind: 'flags', flags: shape.flags.filter((f) => set.has(f)) };
  }
}
