//! `patchbay.toml` text mutated by line and by token, with a dictionary
//! of the format's keys and values, and arbitrary project text.

use super::havoc;
use crate::rng::Rng;

/// Strings that tend to break a project: separators, wildcards, versions,
/// WIT-looking names, keywords of WAC, odd Unicode, a long one.
pub const INTERESTING_STRINGS: &[&str] = &[
    "",
    "*",
    ".",
    "..",
    "a.",
    ".b",
    "*.*",
    "a.*",
    "*.wasi:*",
    "x",
    "a-b",
    "-a",
    "a--b",
    "A",
    "1a",
    "let",
    "export",
    "%let",
    "wasi:cli/run@0.2.0",
    "wasi:cli/environment@0.2.6",
    "patchbay:kv/store",
    "patchbay:kv/store@1.0.0",
    "patchbay:kv/store@99999999999999999999.0.0",
    "a:b/c@1.0.0-rc.1+build",
    "foo:bar",
    "handle-request",
    "process-order",
    "[method]book.balance",
    "\"",
    "\\",
    "\n",
    "\0",
    "é",
    "ǅ",
    "🦀",
    "\u{202e}",
    "a b",
    "../wasm/kv-memory.wasm",
    "/",
    "/dev/null",
    "patchbay.toml",
    "sha256:",
    "sha256:00",
    "200 hello",
    "99 no",
    "600 too high",
    "127.0.0.1:8080",
    "[::1]:0",
    ":80",
    "host:99999",
    "some(1)",
    "ok(\"a\")",
    "err(",
    "[1, 2, 3]",
    "{a: 1}",
    "(\"k\")",
    "\"unterminated",
    "real",
    "fixed",
    "kv",
    "log",
    "config",
    "clock",
    "random",
    "http",
    "leave",
    "grant",
    "mock",
    "deny",
];

/// Numbers, as TOML writes them, that sit on limits or are not numbers.
pub(super) const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "255",
    "256",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "1e400",
    "-0.0",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    "1.5",
    "true",
    "\"1\"",
    "[]",
    "{}",
];

/// Lines of the `patchbay.toml` format (both versions), inserted by the text
/// mutator so mutations reach past "unknown field".
pub(super) const TOML_LINES: &[&str] = &[
    "version = 1",
    "version = 0",
    "version = 2",
    "version = \"1\"",
    "version = -1",
    "name = \"fuzz\"",
    "[components.a]",
    "[components.kv-memory]",
    "path = \"../wasm/kv-memory.wasm\"",
    "path = \"\"",
    "build = \"true\"",
    "watch = [\"src\", \"../../wit\"]",
    "hash = \"sha256:00\"",
    "[nodes.a]",
    "[nodes.memory]",
    "component = \"kv-memory\"",
    "component = \"a\"",
    "position = { x = 0.0, y = 0.0 }",
    "position = { x = nan, y = inf }",
    "x = 1.0",
    "y = -1.0",
    "[[wires]]",
    "from = \"memory.patchbay:kv/store\"",
    "to = \"service.patchbay:kv/store\"",
    "from = \"a.\"",
    "to = \"a\"",
    "[[exports]]",
    "from = \"service.handle-request\"",
    "as = \"run\"",
    "as = \"\"",
    "[[connections]]",
    "export = \"memory.patchbay:kv/store\"",
    "import = \"service.patchbay:kv/store\"",
    "[bindings.\"*.wasi:*\"]",
    "[bindings.\"service.patchbay:kv/store\"]",
    "[bindings.\"*.*\"]",
    "[bindings.\"a.b*c\"]",
    "mode = \"grant\"",
    "mode = \"mock\"",
    "mode = \"deny\"",
    "mode = \"leave\"",
    "mode = \"other\"",
    "env = [\"HOME\"]",
    "allow = [\"127.0.0.1:8080\", \"[::1]:1\", \"nope\"]",
    "dirs = [{ host = \".\", guest = \"/data\", writable = true }]",
    "clock = \"real\"",
    "clock = { fixed-unix-ms = 0 }",
    "clock = { fixed-unix-ms = -1 }",
    "random = \"real\"",
    "random = { seed = 18446744073709551615 }",
    "fake = \"kv\"",
    "fake = \"nope\"",
    "values = { a = \"1\" }",
    "responses = { \"http://x/\" = \"200 ok\", \"http://y/\" = \"bad\" }",
    "functions.get = { returns = \"some(\\\"v\\\")\" }",
    "functions.get = { sequence = [\"1\", \"2\"] }",
    "functions.get = { cases = [{ args = \"(\\\"k\\\")\", returns = \"none\" }] }",
    "functions.get = { trap = \"boom\" }",
    "functions.get = {}",
    "functions.get = { returns = \"1\", trap = \"both\" }",
    "[fake-nodes.kv]",
    "[fake-nodes.nope]",
    "[bindings.\"*.wasi:*\".functions.get]",
    "[[bindings]]",
    "[nodes]",
    "nodes = 1",
    "wires = []",
    "a.b.c = 1",
    "\"\" = 1",
    "[components.\"\"]",
    "[nodes.\"A B\"]",
];

/// Mutates `patchbay.toml` text: 1 to 4 stacked line, token or byte
/// mutations, with lines from `others` and from a dictionary of the
/// format. The result is at most `max_len` bytes and may not be UTF-8
/// (callers decode it lossily, as the parser only sees text).
pub fn mutate_text(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]], max_len: usize) {
    let rounds = rng.between(1, 4);
    for _ in 0..rounds {
        match rng.below(10) {
            0..=3 => mutate_lines(rng, data, others),
            4..=7 => mutate_token(rng, data),
            _ => havoc(rng, data, others, max_len),
        }
    }
    data.truncate(max_len);
}

/// Arbitrary project text: 1 to 40 lines drawn from the format's
/// dictionary, interesting strings and random bytes, in any order.
pub fn arbitrary_toml(rng: &mut Rng, max_len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.between(1, 40) {
        match rng.below(8) {
            0 => {
                let word = rng.pick(INTERESTING_STRINGS).copied().unwrap_or("");
                out.extend_from_slice(
                    format!("\"{}\" = \"{}\"", escape_toml(word), escape_toml(word)).as_bytes(),
                );
            }
            1 => out.extend((0..rng.between(1, 12)).map(|_| rng.byte())),
            _ => out.extend_from_slice(rng.pick(TOML_LINES).copied().unwrap_or("").as_bytes()),
        }
        out.push(b'\n');
    }
    out.truncate(max_len);
    out
}

pub(super) fn lines_of(data: &[u8]) -> Vec<Vec<u8>> {
    data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

pub(super) fn mutate_lines(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]]) {
    let mut lines = lines_of(data);
    let n = lines.len();
    match rng.below(7) {
        0 if n > 1 => {
            lines.remove(rng.below(n));
        }
        1 => {
            let line = lines[rng.below(n)].clone();
            lines.insert(rng.below(n + 1), line);
        }
        2 if n > 1 => {
            let (a, b) = (rng.below(n), rng.below(n));
            lines.swap(a, b);
        }
        3 => {
            if let Some(other) = rng.pick(others) {
                let theirs = lines_of(other);
                if let Some(line) = rng.pick(&theirs) {
                    lines.insert(rng.below(n + 1), line.clone());
                }
            }
        }
        4 => {
            // A block of lines from another seed: a whole table, often.
            if let Some(other) = rng.pick(others) {
                let theirs = lines_of(other);
                let from = rng.below(theirs.len());
                let count = rng.between(1, 8).min(theirs.len() - from);
                let at = rng.below(n + 1);
                lines.splice(at..at, theirs[from..from + count].iter().cloned());
            }
        }
        5 if n > 1 => {
            // Move a line: keys change tables.
            let line = lines.remove(rng.below(n));
            lines.insert(rng.below(n), line);
        }
        _ => {
            let line = rng.pick(TOML_LINES).copied().unwrap_or("");
            lines.insert(rng.below(n + 1), line.as_bytes().to_vec());
        }
    }
    *data = lines.join(&b'\n');
}

/// Replaces one quoted string's content, one number or one bare word.
pub(super) fn mutate_token(rng: &mut Rng, data: &mut Vec<u8>) {
    let tokens = tokens(data);
    let Some(&(start, end, kind)) = rng.pick(&tokens) else {
        return;
    };
    let replacement: Vec<u8> = match kind {
        TokenKind::Quoted => {
            let mut s = rng
                .pick(INTERESTING_STRINGS)
                .copied()
                .unwrap_or("")
                .to_string();
            if rng.chance(1, 8) {
                s = s.repeat(rng.between(2, 300));
            } else if rng.chance(1, 4) {
                // Keep part of the old content, add to it.
                let old = String::from_utf8_lossy(&data[start..end]).into_owned();
                let cut = old
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(old.chars().count() + 1))
                    .unwrap_or(old.len());
                s = format!("{}{s}", &old[..cut]);
            }
            escape_toml(&s).into_bytes()
        }
        TokenKind::Number => rng
            .pick(INTERESTING_NUMBERS)
            .copied()
            .unwrap_or("0")
            .as_bytes()
            .to_vec(),
        TokenKind::Word => {
            let word = rng.pick(INTERESTING_STRINGS).copied().unwrap_or("x");
            if rng.chance(1, 2) {
                format!("\"{}\"", escape_toml(word)).into_bytes()
            } else {
                word.as_bytes().to_vec()
            }
        }
    };
    data.splice(start..end, replacement);
}

/// Escapes a string for the inside of a TOML basic string, mostly: a few
/// escapes are left raw on purpose, so the parser also sees bad ones.
pub(super) fn escape_toml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\u0000"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// The content of a `"…"` string (without the quotes).
    Quoted,
    /// A run of digits, signs, dots, `e` and `_`.
    Number,
    /// A bare key or word.
    Word,
}

/// Finds tokens by a rough scan (no full TOML lexing needed to mutate).
pub(super) fn tokens(data: &[u8]) -> Vec<(usize, usize, TokenKind)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < data.len() && data[j] != b'"' && data[j] != b'\n' {
                if data[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = j.min(data.len());
            out.push((start, end, TokenKind::Quoted));
            i = end + 1;
        } else if b.is_ascii_digit()
            || (b == b'-' && data.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while i < data.len() && (data[i].is_ascii_digit() || b"._eE+-".contains(&data[i])) {
                i += 1;
            }
            out.push((start, i, TokenKind::Number));
        } else if b.is_ascii_alphabetic() {
            let start = i;
            while i < data.len()
                && (data[i].is_ascii_alphanumeric() || data[i] == b'-' || data[i] == b'_')
            {
                i += 1;
            }
            out.push((start, i, TokenKind::Word));
        } else {
            i += 1;
        }
    }
    out
}
