//! Documents for the saving tests: many of them, of very different sizes,
//! so that a torn file (a short new text written over the start of a long
//! old one) is never one of them.

#![allow(dead_code)]

use patchbay_project::{parse, to_toml, Project};
use std::collections::HashSet;
use std::path::Path;

/// Document `round` of writer `writer`: 1 to 400 nodes.
pub fn document(writer: usize, round: usize) -> Project {
    let nodes = 1 + (writer * 37 + round * 101) % 400;
    let mut text =
        format!("version = 1\nname = \"w{writer}-r{round}\"\n[components.c]\npath = \"c.wasm\"\n");
    for n in 0..nodes {
        text.push_str(&format!(
            "[nodes.n{n}]\ncomponent = \"c\"\nposition = {{ x = {n}.0, y = {round}.0 }}\n"
        ));
    }
    parse(&text, Path::new("patchbay.toml"))
        .expect("a generated document parses")
        .0
}

/// The texts of `document(w, r)` for every writer and round given.
pub fn texts(writers: impl Iterator<Item = usize> + Clone, rounds: usize) -> HashSet<String> {
    let mut all = HashSet::new();
    for w in writers {
        for r in 0..rounds {
            all.insert(to_toml(&document(w, r)));
        }
    }
    all
}

/// Checks that `text` is one of the written documents; describes it if not.
pub fn check_whole(text: &str, written: &HashSet<String>) -> Result<(), String> {
    if written.contains(text) {
        return Ok(());
    }
    let start: String = text.chars().take(60).collect();
    Err(format!(
        "read a text that no save wrote ({} bytes, starting {start:?})",
        text.len()
    ))
}

/// The names of the files in `dir` other than `keep`: temporaries and
/// lock files left behind.
pub fn leftovers(dir: &Path, keep: &str) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("the folder lists")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n != keep)
        .collect();
    names.sort();
    names
}
