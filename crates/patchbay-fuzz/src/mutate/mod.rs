//! Mutators: raw bytes (AFL-style havoc), WebAssembly binaries by section
//! (so a mutation lands inside a section whose size is then fixed up,
//! instead of failing the first size check), and `patchbay.toml` text by
//! line and by token, with a dictionary of the format's keys and values.

use crate::rng::Rng;

mod text;
mod wasm;

pub use text::{arbitrary_toml, mutate_text, INTERESTING_STRINGS};
pub use wasm::mutate_wasm;

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

#[cfg(test)]
mod tests {
    use super::text::*;
    use super::wasm::*;
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
