//! Composite nodes: a composite composes into a component of its own, so a
//! grouped chain of 2000 nodes composes where a flat one stops at
//! wasmparser's 1000 instances; problems inside a composite are reported
//! at it, with their place in the file.
//!
//! The chain is made of two tiny WAT components beside this file:
//! `base.wat` exports `demo:chain/step` (`run(x) = x`), `inc.wat` imports
//! and exports it (`run(x) = next(x) + 1`).

use patchbay_compose::{locate, Location, Workspace};
use std::fmt::Write;
use std::path::Path;

const STEP: &str = "demo:chain/step";

/// Writes a project into `dir`: `base`, then `stages` nodes of composite
/// `stage` in a chain, exported at the end. `stage` is `blocks` nodes of
/// composite `block` (`per_block` `inc` nodes each) in a chain.
fn chain(dir: &Path, stages: usize, blocks: usize, per_block: usize) -> String {
    for f in ["base.wat", "inc.wat"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/composites")
            .join(f);
        std::fs::copy(from, dir.join(f)).unwrap();
    }
    let mut t = String::from(
        "version = 2\nname = \"chain\"\n\n[components.base]\npath = \"base.wat\"\n\n[components.inc]\npath = \"inc.wat\"\n\n[nodes.base]\ncomponent = \"base\"\n\n",
    );
    let mut previous = "base".to_string();
    for s in 0..stages {
        let _ = writeln!(t, "[nodes.s{s}]\ncomposite = \"stage\"\n");
        let _ = writeln!(
            t,
            "[[wires]]\nfrom = \"{previous}.{STEP}\"\nto = \"s{s}.{STEP}\"\n"
        );
        previous = format!("s{s}");
    }
    let _ = writeln!(t, "[[exports]]\nfrom = \"{previous}.{STEP}\"\n");
    let inner = |t: &mut String, name: &str, count: usize, prefix: &str, what: &str| {
        for i in 0..count {
            let _ = writeln!(t, "[composites.{name}.nodes.{prefix}{i}]\n{what}\n");
        }
        for i in 1..count {
            let _ = writeln!(
                t,
                "[[composites.{name}.wires]]\nfrom = \"{prefix}{}.{STEP}\"\nto = \"{prefix}{i}.{STEP}\"\n",
                i - 1
            );
        }
        let _ = writeln!(
            t,
            "[[composites.{name}.exports]]\nfrom = \"{prefix}{}.{STEP}\"\n",
            count - 1
        );
    };
    inner(&mut t, "stage", blocks, "b", "composite = \"block\"");
    inner(&mut t, "block", per_block, "n", "component = \"inc\"");
    std::fs::write(dir.join("patchbay.toml"), &t).unwrap();
    t
}

fn open(dir: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(dir).unwrap())
}

#[test]
fn a_grouped_chain_of_2000_nodes_composes() {
    let dir = tempfile::tempdir().unwrap();
    chain(dir.path(), 4, 10, 50);
    let ws = open(dir.path());
    let composed = ws.compose().unwrap_or_else(|p| panic!("{p:#?}"));
    let info = composed.describe().unwrap();
    assert!(info.wit.contains("export demo:chain/step"), "{}", info.wit);
    assert!(composed.imports.is_empty(), "{:?}", composed.imports);
    // The composite's own component: its open import is its port.
    let stage = ws.composite_part("stage").unwrap().as_ref().unwrap();
    let names = |ports: &[patchbay_compose::PortSummary]| {
        ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&stage.imports), [STEP]);
    assert_eq!(names(&stage.exports), [STEP]);
    // The recipe instantiates the composites' packages, whose binaries go
    // beside it.
    assert!(
        composed.wac.contains("new project:stage"),
        "{}",
        composed.wac
    );
    let (_, files) = composed.recipe_at(&dir.path().join("out/chain.wac"));
    let written: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert!(
        written.contains(&"deps/project/stage.wasm".to_string()),
        "{written:?}"
    );
}

#[test]
fn a_composite_composes_alone() {
    let dir = tempfile::tempdir().unwrap();
    chain(dir.path(), 1, 2, 3);
    let ws = open(dir.path());
    let alone = ws
        .compose_composite("stage")
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let info = alone.describe().unwrap();
    assert!(info.wit.contains("import demo:chain/step"), "{}", info.wit);
    assert!(info.wit.contains("export demo:chain/step"), "{}", info.wit);
    let missing = ws.compose_composite("nothing").unwrap_err();
    assert!(
        missing[0].message.contains("no composite `nothing`"),
        "{missing:?}"
    );
}

#[test]
fn problems_inside_a_composite_are_reported_at_it_and_placed() {
    let dir = tempfile::tempdir().unwrap();
    let text = chain(dir.path(), 2, 2, 2);
    // An inner wire to a port `inc` does not have.
    let broken = text.replace(
        "[[composites.block.wires]]\nfrom = \"n0.demo:chain/step\"\nto = \"n1.demo:chain/step\"",
        "[[composites.block.wires]]\nfrom = \"n0.demo:chain/step\"\nto = \"n1.demo:chain/nope\"",
    );
    assert_ne!(broken, text);
    std::fs::write(dir.path().join("patchbay.toml"), &broken).unwrap();
    let ws = open(dir.path());
    let mut problems = ws.check();
    locate(&mut problems, &broken);
    let inner = problems
        .iter()
        .find(|p| matches!(&p.location, Location::Composite { composite, .. } if composite == "block"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert!(inner.is_error());
    let shown = inner.to_string();
    assert!(shown.contains("composite `block`, wire #1"), "{shown}");
    assert!(shown.contains("nope"), "{shown}");
    // Pinned to the wire's entry: its `[[composites.block.wires]]` header.
    let line = broken
        .lines()
        .position(|l| l.contains("n1.demo:chain/nope"))
        .unwrap()
        - 1;
    assert_eq!(inner.position.map(|p| p.line), Some(line), "{shown}");
    // The composite does not compose, and the projects using it say so
    // through the inner problem, not once per node.
    assert!(ws.composite_part("block").unwrap().is_err());
    assert!(ws.composite_part("stage").unwrap().is_err());
    assert!(ws.compose().is_err());
}

#[test]
fn a_flat_chain_past_the_instance_limit_does_not_compose_but_grouped_does() {
    let dir = tempfile::tempdir().unwrap();
    // 600 nodes in one graph.
    chain(dir.path(), 1, 1, 600);
    let flat = open(dir.path()).compose_composite("block").unwrap_err();
    assert!(
        flat.iter().any(|p| p.message.contains("exceeds limit")),
        "{flat:#?}"
    );
    // The same 600 as 2 × 300.
    chain(dir.path(), 1, 2, 300);
    open(dir.path())
        .compose()
        .unwrap_or_else(|p| panic!("{p:#?}"));
}
