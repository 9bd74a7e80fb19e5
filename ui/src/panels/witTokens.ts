/**
 * A small tokenizer for highlighting WIT (and the `.wac` recipes, which share
 * its lexical shape). It never fails: anything it does not recognise becomes
 * a `plain` token, so the concatenated token texts always equal the input.
 */

export type WitTokenKind =
  | 'comment'
  | 'doc'
  | 'string'
  | 'keyword'
  | 'type'
  | 'package'
  | 'version'
  | 'definition'
  | 'name'
  | 'ident'
  | 'number'
  | 'punct'
  | 'space'
  | 'plain';

export type WitToken = { kind: WitTokenKind; text: string };

const KEYWORDS = new Set([
  'package',
  'world',
  'interface',
  'import',
  'export',
  'use',
  'type',
  'record',
  'variant',
  'enum',
  'flags',
  'resource',
  'func',
  'constructor',
  'static',
  'async',
  'include',
  'with',
  'as',
  'from',
  // .wac
  'let',
  'new',
  'targets',
]);

const TYPES = new Set([
  'bool',
  's8',
  's16',
  's32',
  's64',
  'u8',
  'u16',
  'u32',
  'u64',
  'f32',
  'f64',
  'float32',
  'float64',
  'char',
  'string',
  'list',
  'option',
  'result',
  'tuple',
  'borrow',
  'own',
  'future',
  'stream',
  'error-context',
  '_',
]);

/** Keywords after which the next identifier is the name being defined. */
const DEFINING = new Set(['world', 'interface', 'type', 'record', 'variant', 'enum', 'flags', 'resource', 'let']);

const PATTERNS: [WitTokenKind, RegExp][] = [
  ['space', /^\s+/],
  ['doc', /^\/\/\/[^\n]*/],
  ['comment', /^\/\/[^\n]*/],
  ['comment', /^\/\*[\s\S]*?(?:\*\/|$)/],
  ['string', /^"(?:\\.|[^"\\\n])*"?/],
  // namespace:package/interface@version, with optional nested namespaces
  ['package', /^%?[A-Za-z][\w-]*(?::%?[A-Za-z][\w-]*)+(?:\/%?[A-Za-z][\w-]*)*(?=@|[^\w:-]|$)/],
  ['version', /^@[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/],
  ['ident', /^%?[A-Za-z_][A-Za-z0-9-]*/],
  ['number', /^[0-9]+/],
  ['punct', /^(?:->|[{}()<>[\],;:=.*/@])/],
];

/** Splits WIT text into tokens for highlighting. */
export function tokenizeWit(text: string): WitToken[] {
  const tokens: WitToken[] = [];
  let rest = text;
  let lastWord: string | null = null;
  while (rest.length > 0) {
    let matched: WitToken | null = null;
    for (const [kind, re] of PATTERNS) {
      const m = re.exec(rest);
      if (m && m[0].length > 0) {
        matched = { kind, text: m[0] };
        break;
      }
    }
    if (!matched) matched = { kind: 'plain', text: rest[0] };
    rest = rest.slice(matched.text.length);
    if (matched.kind === 'ident') {
      const word = matched.text;
      if (!word.startsWith('%') && KEYWORDS.has(word)) {
        matched.kind = 'keyword';
      } else if (!word.startsWith('%') && TYPES.has(word)) {
        matched.kind = 'type';
      } else if (lastWord !== null && DEFINING.has(lastWord)) {
        matched.kind = 'definition';
      } else if (/^\s*:(?!:)/.test(rest)) {
        matched.kind = 'name';
      }
    }
    if (matched.kind !== 'space' && matched.kind !== 'comment' && matched.kind !== 'doc') {
      lastWord = matched.kind === 'keyword' ? matched.text : null;
    }
    const prev = tokens[tokens.length - 1];
    if (prev && prev.kind === matched.kind && (matched.kind === 'space' || matched.kind === 'plain')) {
      prev.text += matched.text;
    } else {
      tokens.push(matched);
    }
  }
  return tokens;
}
