//! WebAssembly binaries mutated by section: split, mutate inside a
//! section, fix the sizes up on the way out.

use super::havoc;
use crate::rng::Rng;

/// A section of a WebAssembly binary: its id and its body.
#[derive(Debug, Clone)]
pub(super) struct Section {
    pub(super) id: u8,
    pub(super) body: Vec<u8>,
}

/// Splits a module or component into its 8-byte header and its sections;
/// `None` when the framing is broken.
pub(super) fn split(binary: &[u8]) -> Option<([u8; 8], Vec<Section>)> {
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

pub(super) fn join(header: &[u8; 8], sections: &[Section]) -> Vec<u8> {
    let mut out = header.to_vec();
    for s in sections {
        out.push(s.id);
        write_leb_u32(&mut out, s.body.len() as u32);
        out.extend_from_slice(&s.body);
    }
    out
}

pub(super) fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().take(5).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

pub(super) fn write_leb_u32(out: &mut Vec<u8>, mut value: u32) {
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
pub(super) fn nests(header: &[u8; 8], id: u8) -> bool {
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

pub(super) fn mutate_sections(
    rng: &mut Rng,
    binary: &[u8],
    others: &[&[u8]],
    depth: u32,
) -> Option<Vec<u8>> {
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
