/**
 * Chars and strings as the host's wasm-wave writes them, checked by the
 * shared cases in `tests/wave/cases.json`.
 */

/**
 * What Rust's `char::escape_debug` writes as `\u{…}`: controls, format
 * characters, surrogates, private use, unassigned code points, separators
 * other than the plain space, and combining marks (`Grapheme_Extend`), which
 * would otherwise join the quote before them.
 */
const UNICODE_ESCAPED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Grapheme_Extend}]/u;

/** One character (a code point) as wasm-wave writes it inside quotes. */
function escapeChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case "'":
      return "\\'";
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    case '\n':
      return '\\n';
    case ' ':
      return ch;
    default:
      return UNICODE_ESCAPED.test(ch) ? `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}` : ch;
  }
}

/**
 * Text in quotes as wasm-wave writes it. Both quotes are escaped in chars
 * and strings alike (`"it\'s"`), as the host does.
 */
export function quoteText(text: string, quote: "'" | '"'): string {
  let out = quote;
  for (const ch of text) out += escapeChar(ch);
  return out + quote;
}
