//! Mutators: raw bytes (AFL-style havoc), WebAssembly binaries by section
//! (so a mutation lands inside a section whose size is then fixed up,
//! instead of failing the first size check), and `patchbay.toml` text by
//! line and by token, with a dictionary of the format's keys and values.

use crate::rng::Rng;

/// Values that tend to sit on boundaries.
const INTERESTING_BYTES: &[u8] = &[0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x3f, 0xc0, 0x10, 0x20];

/// Byte strings that mean something to a WebAssembly reader: LEB128
/// lengths at and past 32-bit limits, magic and version headers, value
/// types.
const WASM_TOKENS: &[&[u8]] = &[
    &[0xff, 0xff, 0xff, 0xff, 0x0f],
    &[0x80, 0x80, 0x80, 0x80, 0x10],
    &[0xff, 0xff, 0xff, 0xff, 0x07],
    &[0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
    b"\0asm\x01\0\0\0",
    b"\0asm\x0d\0\x01\0",
    &[0x7f, 0x7e, 0x7d, 0x7c],
    &[0x40],
    &[0x00, 0x00],
];

/// Applies 1 to 8 stacked random byte mutations; `others` are spliced
/// from. The result is at most `max_len` bytes.
pub fn havoc(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]], max_len: usize) {
    let rounds = 1 << rng.below(4);
    for _ in 0..rounds {
        havoc_once(rng, data, others);
    }
    data.truncate(max_len);
}

fn havoc_once(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]]) {
    let len = data.len();
    match rng.below(12) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = *rng.pick(INTERESTING_BYTES).unwrap_or(&0);
        }
        2 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.byte();
        }
        3 if len > 0 => {
            let i = rng.below(len);
            let delta = rng.between(1, 35) as u8;
            data[i] = if rng.chance(1, 2) {
                data[i].wrapping_add(delta)
            } else {
                data[i].wrapping_sub(delta)
            };
        }
        4 => {
            let at = rng.below(len + 1);
            let n = rng.between(1, 16);
            let bytes: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
            data.splice(at..at, bytes);
        }
        5 if len > 0 => {
            let at = rng.below(len);
            let n = rng.between(1, (len - at).min(64));
            data.drain(at..at + n);
        }
        6 if len > 0 => {
            let from = rng.below(len);
            let n = rng.between(1, (len - from).min(64));
            let chunk = data[from..from + n].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, chunk);
        }
        7 => {
            if let Some(other) = rng.pick(others).filter(|o| !o.is_empty()) {
                let from = rng.below(other.len());
                let n = rng.between(1, (other.len() - from).min(256));
                let chunk = other[from..from + n].to_vec();
                let at = rng.below(len + 1);
                if rng.chance(1, 2) && at < len {
                    let end = (at + n).min(len);
                    data.splice(at..end, chunk);
                } else {
                    data.splice(at..at, chunk);
                }
            }
        }
        8 if len > 0 => {
            data.truncate(rng.below(len));
        }
        9 => {
            let token = rng.pick(WASM_TOKENS).copied().unwrap_or(&[]);
            let at = rng.below(len + 1);
            if rng.chance(1, 2) && at < len {
                let end = (at + token.len()).min(len);
                data.splice(at..end, token.iter().copied());
            } else {
                data.splice(at..at, token.iter().copied());
            }
        }
        10 if len > 1 => {
            let a = rng.below(len);
            let b = rng.below(len);
            data.swap(a, b);
        }
        _ => {
            if len > 0 {
                let i = rng.below(len);
                data[i] = if data[i] == 0 { 1 } else { 0 };
            } else {
                data.push(rng.byte());
            }
        }
    }
}

/// A section of a WebAssembly binary: its id and its body.
#[derive(Debug, Clone)]
struct Section {
    id: u8,
    body: Vec<u8>,
}

/// Splits a module or component into its 8-byte header and its sections;
/// `None` when the framing is broken.
fn split(binary: &[u8]) -> Option<([u8; 8], Vec<Section>)> {
    let header: [u8; 8] = binary.get(..8)?.try_into().ok()?;
    if &header[..4] != b"\0asm" {
        return None;
    }
    let mut sections = Vec::new();
    let mut at = 8;
    while at < binary.len() {
        let id = binary[at];
        at += 1;
        let (size, used) = read_leb_u32(&binary[at..])?;
        at += used;
        let end = at.checked_add(size as usize)?;
        let body = binary.get(at..end)?.to_vec();
        sections.push(Section { id, body });
        at = end;
    }
    Some((header, sections))
}

fn join(header: &[u8; 8], sections: &[Section]) -> Vec<u8> {
    let mut out = header.to_vec();
    for s in sections {
        out.push(s.id);
        write_leb_u32(&mut out, s.body.len() as u32);
        out.extend_from_slice(&s.body);
    }
    out
}

fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().take(5).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

fn write_leb_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Whether a section of a component (header layer 1) holds a whole nested
/// binary: a core module (1) or a component (4).
fn nests(header: &[u8; 8], id: u8) -> bool {
    header[6] == 1 && (id == 1 || id == 4)
}

/// Mutates a WebAssembly binary. Mostly structural: picks a section
/// (descending into nested modules and components), mutates its body and
/// re-encodes the sizes on the way out; or drops, duplicates, swaps or
/// imports a section from another seed. Sometimes raw havoc on the whole
/// file, which also breaks the framing itself.
pub fn mutate_wasm(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]], max_len: usize) {
    if rng.chance(1, 5) {
        havoc(rng, data, others, max_len);
        return;
    }
    match mutate_sections(rng, data, others, 0) {
        Some(out) => *data = out,
        None => havoc(rng, data, others, max_len),
    }
    data.truncate(max_len);
}

fn mutate_sections(rng: &mut Rng, binary: &[u8], others: &[&[u8]], depth: u32) -> Option<Vec<u8>> {
    let (header, mut sections) = split(binary)?;
    if sections.is_empty() {
        return None;
    }
    let i = rng.below(sections.len());
    match rng.below(10) {
        // Descend into a nested module or component.
        0..=2 if depth < 4 && nests(&header, sections[i].id) => {
            let inner = mutate_sections(rng, &sections[i].body, others, depth + 1);
            match inner {
                Some(body) => sections[i].body = body,
                None => havoc(rng, &mut sections[i].body, others, 1 << 20),
            }
        }
        0..=4 => {
            let mut body = std::mem::take(&mut sections[i].body);
            havoc(rng, &mut body, others, 1 << 20);
            sections[i].body = body;
        }
        5 if sections.len() > 1 => {
            sections.remove(i);
        }
        6 => {
            let copy = sections[i].clone();
            let at = rng.below(sections.len() + 1);
            sections.insert(at, copy);
        }
        7 if sections.len() > 1 => {
            let j = rng.below(sections.len());
            sections.swap(i, j);
        }
        8 => {
            // A section of another seed, in place of this one or added.
            let other = rng.pick(others).and_then(|o| split(o))?;
            let pick = rng.pick(&other.1)?.clone();
            if rng.chance(1, 2) {
                sections[i] = pick;
            } else {
                let at = rng.below(sections.len() + 1);
                sections.insert(at, pick);
            }
        }
        _ => {
            sections[i].id = if rng.chance(1, 2) {
                rng.below(14) as u8
            } else {
                rng.byte()
            };
        }
    }
    Some(join(&header, &sections))
}

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
const INTERESTING_NUMBERS: &[&str] = &[
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
const TOML_LINES: &[&str] = &[
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

fn lines_of(data: &[u8]) -> Vec<Vec<u8>> {
    data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect()
}

fn mutate_lines(rng: &mut Rng, data: &mut Vec<u8>, others: &[&[u8]]) {
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
fn mutate_token(rng: &mut Rng, data: &mut Vec<u8>) {
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
fn escape_toml(s: &str) -> String {
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
enum TokenKind {
    /// The content of a `"…"` string (without the quotes).
    Quoted,
    /// A run of digits, signs, dots, `e` and `_`.
    Number,
    /// A bare key or word.
    Word,
}

/// Finds tokens by a rough scan (no full TOML lexing needed to mutate).
fn tokens(data: &[u8]) -> Vec<(usize, usize, TokenKind)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_and_join_back() {
        let module = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b";
        let (header, sections) = split(module).expect("a valid module splits");
        assert_eq!(
            sections.iter().map(|s| s.id).collect::<Vec<_>>(),
            [1, 3, 10]
        );
        assert_eq!(join(&header, &sections), module);
        assert!(
            split(b"\0asm\x01\0\0\0\x01\x09\x01").is_none(),
            "a section running past the end"
        );
    }

    #[test]
    fn leb_round_trips() {
        for v in [0u32, 1, 127, 128, 300, 1 << 20, u32::MAX] {
            let mut out = Vec::new();
            write_leb_u32(&mut out, v);
            assert_eq!(read_leb_u32(&out), Some((v, out.len())));
        }
        assert_eq!(read_leb_u32(&[0xff, 0xff, 0xff, 0xff, 0x7f]), None);
    }

    #[test]
    fn structural_mutation_keeps_the_framing_of_most_outputs() {
        let module =
            b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b".to_vec();
        let mut framed = 0;
        for i in 0..200 {
            let mut rng = Rng::for_input("test", 0, i);
            let mut data = module.clone();
            if let Some(out) = mutate_sections(&mut rng, &data, &[], 0) {
                data = out;
            }
            framed += usize::from(split(&data).is_some());
        }
        assert!(
            framed > 150,
            "only {framed} of 200 mutations kept the section framing"
        );
    }

    #[test]
    fn tokens_cover_strings_numbers_and_words() {
        let text = b"version = 1\n[nodes.a]\ncomponent = \"kv-memory\"";
        let kinds: Vec<_> = tokens(text)
            .into_iter()
            .map(|(s, e, k)| (String::from_utf8_lossy(&text[s..e]).into_owned(), k))
            .collect();
        assert!(kinds.contains(&("1".into(), TokenKind::Number)));
        assert!(kinds.contains(&("kv-memory".into(), TokenKind::Quoted)));
        assert!(kinds.contains(&("nodes".into(), TokenKind::Word)));
    }

    #[test]
    fn mutators_respect_the_size_limit_and_change_inputs() {
        let seed = b"version = 1\nname = \"x\"\n".to_vec();
        let mut changed = 0;
        for i in 0..100 {
            let mut rng = Rng::for_input("test", 1, i);
            let mut text = seed.clone();
            mutate_text(&mut rng, &mut text, &[&seed], 64);
            assert!(text.len() <= 64);
            changed += usize::from(text != seed);
            let mut bytes = seed.clone();
            mutate_wasm(&mut rng, &mut bytes, &[], 16);
            assert!(bytes.len() <= 16);
        }
        assert!(
            changed > 80,
            "only {changed} of 100 text mutations changed the text"
        );
    }
}
