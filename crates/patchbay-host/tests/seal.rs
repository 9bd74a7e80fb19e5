//! Sealed artifacts run: a project composed with `compose_sealed` is
//! written out and run as the one component of a new project. A call that
//! reaches a sealed denial fails as `denied`, naming the node, interface
//! and function (from the deny stub's name section, so any engine's
//! backtrace shows the same); calls that reach nothing denied still answer.

use patchbay_compose::{Sealed, Workspace};
use patchbay_host::{FailureKind, Host, HostOptions, Limits, Prepared, RunReport};
use std::path::Path;
use std::sync::OnceLock;

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| {
        Host::new(HostOptions {
            cache_dir: None,
            max_wasm_stack: 256 * 1024,
            ..HostOptions::default()
        })
        .expect("host starts")
    })
}

fn open(dir: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

fn seal(ws: &Workspace) -> Sealed {
    ws.compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"))
}

/// A project whose one node is the sealed artifact, exporting `exports`,
/// with what is left granted (empty scopes).
fn artifact_project(dir: &Path, sealed: &Sealed, exports: &[&str]) -> Workspace {
    let wasm = dir.join("sealed.wasm");
    std::fs::write(&wasm, &sealed.composed.bytes).expect("write artifact");
    let mut toml = String::from(
        "version = 1\nname = \"sealed\"\n\n[components.sealed]\npath = \"sealed.wasm\"\n\n[nodes.sealed]\ncomponent = \"sealed\"\n",
    );
    for export in exports {
        toml.push_str(&format!("\n[[exports]]\nfrom = \"sealed.{export}\"\n"));
    }
    toml.push_str("\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n");
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    open(dir)
}

fn run(prepared: &Prepared, call: &str) -> RunReport {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run_composed(prepared, call, &Limits::default()))
}

#[test]
fn the_sealed_sandbox_demo_traps_naming_the_denial() {
    let ws = open(&Path::new(patchbay_test_programs::SAMPLES_DIR).join("sandbox-demo"));
    let sealed = seal(&ws);
    let dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(dir.path(), &sealed, &["granted", "mocked", "denied"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let report = run(&prepared, r#"denied#read-env("GREETING")"#);
    let failure = report.result.as_ref().expect_err("the denial traps");
    assert_eq!(failure.kind, FailureKind::Denied, "{}", failure.message);
    assert!(
        failure
            .message
            .starts_with("denied: node denied called wasi:cli/environment@0.2.12#get-environment"),
        "{}",
        failure.message
    );
    assert!(report.denials.is_empty(), "the host denied nothing itself");
    // The granted node, outside the seal, still reads what its host grants
    // (here: an empty environment).
    let report = run(&prepared, r#"granted#read-env("GREETING")"#);
    let value = report.result.expect("a granted call answers");
    assert!(value.contains("cannot read env GREETING"), "{value}");
}

#[test]
fn kv_service_sealed_without_wasi_still_answers() {
    let toml = format!(
        r#"version = 1
name = "kv-sealed"

[components.kv-memory]
path = "{}"

[components.kv-service]
path = "{}"

[nodes.memory]
component = "kv-memory"

[nodes.service]
component = "kv-service"

[[wires]]
from = "memory.patchbay:kv/store"
to = "service.patchbay:kv/store"

[[exports]]
from = "service.handle-request"

[bindings."*.wasi:*"]
mode = "deny"
"#,
        patchbay_test_programs::KV_MEMORY,
        patchbay_test_programs::KV_SERVICE
    );
    let project = tempfile::tempdir().expect("temp dir");
    std::fs::write(project.path().join("patchbay.toml"), toml).expect("write project");
    let sealed = seal(&open(project.path()));
    assert!(
        sealed.composed.imports.is_empty(),
        "{:?}",
        sealed.composed.imports
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(dir.path(), &sealed, &["handle-request"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let report = run(&prepared, r#"handle-request("set a 1")"#);
    assert_eq!(report.result.as_deref().ok(), Some(r#""ok""#), "{report:?}");
}
