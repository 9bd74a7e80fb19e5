//! Every recipe rebuilds with the real `wac` CLI (wac-cli 0.12 from
//! crates.io, installed by scripts/setup.sh's `ensure_wac_cli`).
//!
//! Every sample and compose fixture that composes is exported, open and
//! sealed, with `write_export`; the recipe's own rebuild command (the
//! `wac compose … --dep …` its header prints) is run in the export folder,
//! and what wac builds has the WIT of what Patchbay composed. Components a
//! project gives as WAT text are written as binaries beside the recipe,
//! where the command names them.

use patchbay_compose::{write_export, Workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `wac` binary: `$PATCHBAY_WAC`, else `~/.cargo/bin/wac`, else `wac`.
fn wac() -> PathBuf {
    if let Some(path) = std::env::var_os("PATCHBAY_WAC") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = home.join(".cargo/bin/wac");
    if installed.is_file() {
        return installed;
    }
    PathBuf::from("wac")
}

/// The arguments of the rebuild command in a recipe's header.
fn rebuild_command(recipe: &str) -> Vec<String> {
    let start = recipe
        .find("//   wac compose ")
        .unwrap_or_else(|| panic!("no rebuild command in:\n{recipe}"));
    let mut args = Vec::new();
    for line in recipe[start..].lines() {
        let Some(text) = line.strip_prefix("//") else {
            break;
        };
        let text = text.trim().trim_end_matches('\\').trim();
        args.extend(text.split_whitespace().map(str::to_string));
        if !line.ends_with('\\') {
            break;
        }
    }
    assert_eq!(args.first().map(String::as_str), Some("wac"), "{recipe}");
    args.remove(0);
    args
}

fn sorted_wit(bytes: &[u8], what: &str) -> Vec<String> {
    let wit = patchbay_inspect::describe_component(bytes, Path::new(what))
        .unwrap_or_else(|e| panic!("{what} describes: {e}"))
        .wit;
    let mut lines: Vec<String> = wit.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Runs the recipe's rebuild command in `dir`; the component wac wrote.
fn rebuild(dir: &Path, recipe: &Path, what: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(recipe).expect("read recipe");
    let args = rebuild_command(&text);
    let output = Command::new(wac())
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}; install it with scripts/setup.sh (ensure_wac_cli), or set PATCHBAY_WAC",
                wac().display()
            )
        });
    assert!(
        output.status.success(),
        "{what}: `wac {}` failed:\n{}\n{text}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    let out = args
        .iter()
        .position(|a| a == "-o")
        .map(|i| dir.join(&args[i + 1]))
        .expect("the command names its output");
    std::fs::read(&out).expect("wac wrote its output")
}

#[test]
fn every_recipe_rebuilds_with_the_wac_cli() {
    let folders = patchbay_test_programs::project_folders();
    let (mut rebuilt, mut from_wat, mut sealed) = (0, 0, 0);
    for folder in &folders {
        let ws = Workspace::open(patchbay_project::load(folder).expect("loads"));
        let Ok(open) = ws.compose() else { continue };
        let what = folder.display().to_string();
        let dir = tempfile::tempdir().expect("temp dir");
        let name = &ws.project().name;
        let files = write_export(dir.path(), name, &open, &[]).expect("export open");
        from_wat += usize::from(!files.deps.is_empty());
        let theirs = rebuild(dir.path(), &files.wac, &what);
        assert_eq!(
            sorted_wit(&theirs, "wac"),
            sorted_wit(&open.bytes, "ours"),
            "{what}"
        );
        rebuilt += 1;

        let seal = ws.compose_sealed().expect("seals");
        if seal.stubs.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let files = write_export(dir.path(), name, &seal.composed, &seal.stubs).expect("export");
        let theirs = rebuild(dir.path(), &files.wac, &format!("{what} (sealed)"));
        assert_eq!(
            sorted_wit(&theirs, "wac"),
            sorted_wit(&seal.composed.bytes, "ours"),
            "{what} (sealed)"
        );
        sealed += 1;
    }
    assert!(rebuilt >= 8, "only {rebuilt} recipes rebuilt");
    assert!(from_wat >= 1, "no project gives a component as WAT text");
    assert!(sealed >= 2, "only {sealed} sealed recipes rebuilt");
}

/// A project with composites: its recipe instantiates each composite's
/// package, whose composed binary is written beside it, and `wac` rebuilds
/// the same component. So does the recipe of one composite alone, whose
/// nested composite is a binary beside it in turn.
#[test]
fn a_recipe_with_composites_rebuilds_with_the_wac_cli() {
    let project = tempfile::tempdir().expect("temp dir");
    let wat = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/composites");
    for f in ["base.wat", "inc.wat"] {
        std::fs::copy(wat.join(f), project.path().join(f)).unwrap();
    }
    let step = "demo:chain/step";
    let text = format!(
        r#"version = 2
name = "nested"
[components.base]
path = "base.wat"
[components.inc]
path = "inc.wat"
[nodes.base]
component = "base"
[nodes.s0]
composite = "stage"
[[wires]]
from = "base.{step}"
to = "s0.{step}"
[[exports]]
from = "s0.{step}"
as = "chain"
[composites.stage.nodes.b0]
composite = "block"
[composites.stage.nodes.b1]
composite = "block"
[[composites.stage.wires]]
from = "b0.{step}"
to = "b1.{step}"
[[composites.stage.exports]]
from = "b1.{step}"
[composites.block.nodes.n0]
component = "inc"
[composites.block.nodes.n1]
component = "inc"
[[composites.block.wires]]
from = "n0.{step}"
to = "n1.{step}"
[[composites.block.exports]]
from = "n1.{step}"
"#
    );
    std::fs::write(project.path().join("patchbay.toml"), text).unwrap();
    let ws = Workspace::open(patchbay_project::load(project.path()).expect("loads"));
    for (what, composed) in [
        ("nested", ws.compose()),
        ("composite stage", ws.compose_composite("stage")),
    ] {
        let composed = composed.unwrap_or_else(|p| panic!("{what}: {p:#?}"));
        let dir = tempfile::tempdir().expect("temp dir");
        let files = write_export(dir.path(), "nested", &composed, &[]).expect("export");
        assert!(
            files
                .deps
                .iter()
                .any(|d| d.ends_with("deps/project/stage.wasm")
                    || d.ends_with("deps/project/block.wasm")),
            "{what}: {:?}",
            files.deps
        );
        let theirs = rebuild(dir.path(), &files.wac, what);
        assert_eq!(
            sorted_wit(&theirs, "wac"),
            sorted_wit(&composed.bytes, "ours"),
            "{what}"
        );
    }
}
