//! Composite nodes in runs: composed, the composite is a nested component;
//! traced, composites are flattened so every inner node is a node of its
//! own (`NODE-INNER` in the plan) and the trace shows the calls crossing
//! composite boundaries and inside them.
//!
//! The chain's components are the compose tests' `base.wat` (`run(x) = x`)
//! and `inc.wat` (`run(x) = next(x) + 1`).

use patchbay_compose::Workspace;
use patchbay_host::{Host, HostOptions, Limits, RunMode};
use std::path::Path;

const STEP: &str = "demo:chain/step";

/// `base` → `s0` (composite `stage`: `b0` → `b1`, each composite `block`:
/// `n0` → `n1`, both `inc`), exported.
fn project(dir: &Path) -> Workspace {
    let wat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../patchbay-compose/tests/composites");
    for f in ["base.wat", "inc.wat"] {
        std::fs::copy(wat.join(f), dir.join(f)).unwrap();
    }
    let text = format!(
        r#"version = 2
name = "chain"
[components.base]
path = "base.wat"
[components.inc]
path = "inc.wat"
[nodes.base]
component = "base"
[nodes.s0]
composite = "stage"
[[wires]]
from = "base.{STEP}"
to = "s0.{STEP}"
[[exports]]
from = "s0.{STEP}"
[composites.stage.nodes.b0]
composite = "block"
[composites.stage.nodes.b1]
composite = "block"
[[composites.stage.wires]]
from = "b0.{STEP}"
to = "b1.{STEP}"
[[composites.stage.exports]]
from = "b1.{STEP}"
[composites.block.nodes.n0]
component = "inc"
[composites.block.nodes.n1]
component = "inc"
[[composites.block.wires]]
from = "n0.{STEP}"
to = "n1.{STEP}"
[[composites.block.exports]]
from = "n1.{STEP}"
"#
    );
    std::fs::write(dir.join("patchbay.toml"), text).unwrap();
    Workspace::open(patchbay_project::load(dir).unwrap())
}

#[test]
fn a_traced_run_traces_every_call_inside_composites() {
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ws = project(dir.path());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let call = format!("{STEP}#run(10)");

    let composed = host.prepare(&ws).unwrap();
    let report = runtime.block_on(host.run(&composed, &call, &Limits::default()));
    assert_eq!(report.mode, RunMode::Composed);
    assert_eq!(report.result.as_deref().ok(), Some("14"), "{report:?}");

    let traced = host.prepare_traced(&ws).unwrap();
    assert!(traced.is_traced(), "{:?}", traced.fallback_reason());
    let report = runtime.block_on(host.run(&traced, &call, &Limits::default()));
    assert_eq!(report.mode, RunMode::Traced);
    assert_eq!(report.result.as_deref().ok(), Some("14"), "{report:?}");
    let calls: Vec<(&str, &str)> = report
        .trace
        .iter()
        .map(|t| (t.caller.as_str(), t.callee.as_str()))
        .collect();
    // Each inc calls the node before it: inside a block, across blocks
    // inside the stage, and out of the stage to `base`.
    for expected in [
        ("s0-b1-n1", "s0-b1-n0"),
        ("s0-b1-n0", "s0-b0-n1"),
        ("s0-b0-n1", "s0-b0-n0"),
        ("s0-b0-n0", "base"),
    ] {
        assert!(calls.contains(&expected), "{expected:?} not in {calls:?}");
    }
    assert_eq!(calls.len(), 4, "{calls:?}");
}
