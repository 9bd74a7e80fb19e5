//! `check`, `compose` (whole, or one composite with `--composite`) and
//! `call` on a project with composites: a chain of 2000 nodes grouped as 4
//! stages of 10 blocks of 50, composed and called through, where a flat
//! graph stops at wasmparser's 1000 instances.
//!
//! The components are the compose tests' `base.wat` (`run(x) = x`) and
//! `inc.wat` (`run(x) = next(x) + 1`), so `run(0)` answers the number of
//! links that ran.

use std::fmt::Write;
use std::path::Path;
use std::process::{Command, Output};

const STEP: &str = "demo:chain/step";

fn patchbay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .output()
        .expect("run patchbay")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A chain `base` → `stages` × composite `stage` (`blocks` × composite
/// `block` of `per_block` `inc` nodes), exported at the end.
fn chain(dir: &Path, stages: usize, blocks: usize, per_block: usize) {
    let wat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../patchbay-compose/tests/composites");
    for f in ["base.wat", "inc.wat"] {
        std::fs::copy(wat.join(f), dir.join(f)).unwrap();
    }
    let mut t = String::from("version = 2\nname = \"chain\"\n\n[components.base]\npath = \"base.wat\"\n\n[components.inc]\npath = \"inc.wat\"\n\n[nodes.base]\ncomponent = \"base\"\n\n");
    let mut previous = "base".to_string();
    for s in 0..stages {
        let _ = writeln!(t, "[nodes.s{s}]\ncomposite = \"stage\"\n\n[[wires]]\nfrom = \"{previous}.{STEP}\"\nto = \"s{s}.{STEP}\"\n");
        previous = format!("s{s}");
    }
    let _ = writeln!(t, "[[exports]]\nfrom = \"{previous}.{STEP}\"\n");
    for (name, count, what) in [
        ("stage", blocks, "composite = \"block\""),
        ("block", per_block, "component = \"inc\""),
    ] {
        for i in 0..count {
            let _ = writeln!(t, "[composites.{name}.nodes.n{i}]\n{what}\n");
        }
        for i in 1..count {
            let _ = writeln!(
                t,
                "[[composites.{name}.wires]]\nfrom = \"n{}.{STEP}\"\nto = \"n{i}.{STEP}\"\n",
                i - 1
            );
        }
        let _ = writeln!(
            t,
            "[[composites.{name}.exports]]\nfrom = \"n{}.{STEP}\"\n",
            count - 1
        );
    }
    std::fs::write(dir.join("patchbay.toml"), t).unwrap();
}

#[test]
fn a_grouped_chain_of_2000_nodes_checks_composes_and_runs_every_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    chain(dir, 4, 10, 50);
    let project = dir.display().to_string();

    let out = patchbay(&["check", &project]);
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stderr),
        text(&out.stdout)
    );

    let wasm = dir.join("chain.wasm").display().to_string();
    std::fs::create_dir(dir.join("out")).unwrap();
    let wac = dir.join("out/chain.wac").display().to_string();
    let out = patchbay(&["compose", &project, "-o", &wasm, "--wac", &wac]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        dir.join("out/deps/project/stage.wasm").is_file(),
        "the composite's binary is written beside the recipe"
    );

    let out = patchbay(&["call", &project, &format!("{STEP}#run(0)")]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "2000", "every link adds one: {stderr}");
}

#[test]
fn one_composite_composes_alone_and_an_unknown_one_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    chain(dir, 1, 2, 3);
    let project = dir.display().to_string();
    let wasm = dir.join("stage.wasm");
    let wit = dir.join("stage.wit");
    let out = patchbay(&[
        "compose",
        &project,
        "--composite",
        "stage",
        "-o",
        &wasm.display().to_string(),
        "--wit",
        &wit.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let wit = std::fs::read_to_string(wit).unwrap();
    assert!(wit.contains(&format!("import {STEP}")), "{wit}");
    assert!(wit.contains(&format!("export {STEP}")), "{wit}");

    let out = patchbay(&["compose", &project, "--composite", "nope", "-o", "x.wasm"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no composite `nope`; its composites are stage, block"),
        "{stderr}"
    );
}

#[test]
fn check_names_a_problem_inside_a_composite_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    chain(dir, 1, 2, 2);
    let manifest = dir.join("patchbay.toml");
    let text_before = std::fs::read_to_string(&manifest).unwrap();
    let broken = text_before.replacen(
        "[composites.block.nodes.n1]\ncomponent = \"inc\"",
        "[composites.block.nodes.n1]\ncomponent = \"incc\"",
        1,
    );
    assert_ne!(broken, text_before);
    std::fs::write(&manifest, &broken).unwrap();
    let out = patchbay(&["check", &dir.display().to_string()]);
    assert!(!out.status.success());
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let line = broken.lines().position(|l| l.contains("\"incc\"")).unwrap() + 1;
    assert!(
        all.contains(&format!("patchbay.toml:{line}:"))
            && all.contains("composite `block`, node `n1`"),
        "{all}"
    );
}
