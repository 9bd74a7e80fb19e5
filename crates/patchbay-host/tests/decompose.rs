//! A composed binary, decomposed into a project (`patchbay import`) and
//! composed again, answers the samples' calls as the binary does: every
//! sample's and fixture's export, open and sealed, and a composite's
//! composition (which decomposes to a composite), run as the one
//! component of a project with WASI granted, call for call.

use patchbay_compose::{import_file, write_import, Workspace};
use patchbay_host::{Host, HostOptions, Limits, Prepared};
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

const ORDER: &str = r#"process-order({id: "ord-1", customer: "ada", region: eu, items: [{sku: "widget", quantity: 2, unit-price-cents: 1250}, {sku: "gadget", quantity: 1, unit-price-cents: 305}], coupon: none})"#;

/// The calls tried on every composition, by the export they need.
const CALLS: &[(&str, &str)] = &[
    ("handle-request", r#"handle-request("set a 1")"#),
    ("handle-request", r#"handle-request("get a")"#),
    ("handle-request", r#"handle-request("frobnicate")"#),
    ("process-order", ORDER),
    ("hammer", "hammer(50)"),
    ("ok", "ok()"),
    ("recurse", "recurse(20)"),
    ("fail", r#"fail("boom")"#),
    ("granted", r#"granted#read-env("GREETING")"#),
    ("granted", "granted#run-all()"),
    ("mocked", r#"mocked#read-env("GREETING")"#),
    ("mocked", "mocked#run-all()"),
    ("denied", r#"denied#read-env("GREETING")"#),
];

/// A project whose one node is `bytes`, exporting `exports`, with WASI
/// granted (empty scopes) and any other import left open.
fn artifact(dir: &Path, bytes: &[u8], exports: &[String]) -> Prepared {
    std::fs::create_dir_all(dir).expect("folder");
    std::fs::write(dir.join("artifact.wasm"), bytes).expect("write artifact");
    let mut toml = String::from(
        "version = 1\nname = \"artifact\"\n\n[components.artifact]\npath = \"artifact.wasm\"\n\n[nodes.artifact]\ncomponent = \"artifact\"\n",
    );
    for export in exports {
        toml.push_str(&format!("\n[[exports]]\nfrom = \"artifact.{export}\"\n"));
    }
    toml.push_str("\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n");
    // What else a fixture leaves open stays open (a call to it fails alike).
    toml.push_str("\n[bindings.\"*.*\"]\nmode = \"leave\"\n");
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    let ws = Workspace::open(patchbay_project::load(dir).expect("loads"));
    host()
        .prepare_composed(&ws)
        .unwrap_or_else(|e| panic!("{}: prepare: {e}", dir.display()))
}

/// The result of `call` on `prepared`, as text (failures by kind and
/// message).
fn answer(prepared: &Prepared, call: &str) -> String {
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run_composed(prepared, call, &Limits::default()));
    match report.result {
        Ok(value) => format!("ok {value}\n{}", report.stdout),
        Err(failure) => format!("{:?}: {}", failure.kind, failure.message),
    }
}

/// Decomposes and recomposes `bytes`; runs every call that fits its
/// exports on both. How many calls answered.
fn same_answers(bytes: &[u8], what: &str) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("composed.wasm");
    std::fs::write(&file, bytes).expect("write");
    let out = dir.path().join("project");
    let imported = import_file(&file, &[], &out).unwrap_or_else(|e| panic!("{what}: {e}"));
    let manifest = write_import(&out, &imported).unwrap_or_else(|e| panic!("{what}: {e}"));
    let ws = Workspace::open(patchbay_project::load(&manifest).expect("loads"));
    let again = ws
        .compose()
        .unwrap_or_else(|e| panic!("{what}: recompose: {e:?}"));
    let exports: Vec<String> = imported
        .project
        .exports
        .iter()
        .map(|e| e.export_name().to_string())
        .collect();
    let theirs = artifact(&dir.path().join("binary"), bytes, &exports);
    let ours = artifact(&dir.path().join("recomposed"), &again.bytes, &exports);
    let mut answered = 0;
    for (export, call) in CALLS {
        if !exports.iter().any(|e| e == export) {
            continue;
        }
        let expected = answer(&theirs, call);
        assert_eq!(answer(&ours, call), expected, "{what}: {call}");
        answered += usize::from(expected.starts_with("ok "));
    }
    answered
}

#[test]
fn decomposed_and_recomposed_exports_answer_the_samples_calls_alike() {
    let (mut compositions, mut answered) = (0, 0);
    for folder in patchbay_test_programs::project_folders() {
        let ws = Workspace::open(patchbay_project::load(&folder).expect("loads"));
        let Ok(composed) = ws.compose() else { continue };
        let what = folder.display().to_string();
        answered += same_answers(&composed.bytes, &what);
        compositions += 1;
        let seal = ws.compose_sealed().expect("seals");
        if !seal.stubs.is_empty() {
            answered += same_answers(&seal.composed.bytes, &format!("{what} (sealed)"));
            compositions += 1;
        }
    }
    assert!(compositions >= 10, "only {compositions} compositions");
    assert!(answered >= 20, "only {answered} calls answered");
}

#[test]
fn a_composite_decomposed_to_a_composite_and_recomposed_answers_alike() {
    // kv-service with both its nodes grouped into composite `store`: the
    // binary nests the composite's composition, which opens as a
    // composite again.
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = format!(
        "version = 2\nname = \"grouped\"\n\n[components.kv-memory]\npath = {:?}\n\n[components.kv-service]\npath = {:?}\n\n[nodes.kv]\ncomposite = \"store\"\n\n[[exports]]\nfrom = \"kv.handle-request\"\n\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n\n[composites.store.nodes.memory]\ncomponent = \"kv-memory\"\n\n[composites.store.nodes.service]\ncomponent = \"kv-service\"\n\n[[composites.store.wires]]\nfrom = \"memory.patchbay:kv/store\"\nto = \"service.patchbay:kv/store\"\n\n[[composites.store.exports]]\nfrom = \"service.handle-request\"\n",
        patchbay_test_programs::KV_MEMORY,
        patchbay_test_programs::KV_SERVICE,
    );
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("loads"));
    let composed = ws.compose().unwrap_or_else(|p| panic!("{p:#?}"));
    let file = dir.path().join("grouped.wasm");
    std::fs::write(&file, &composed.bytes).expect("write");
    let imported = import_file(&file, &[], &dir.path().join("decomposed")).expect("imports");
    let p = &imported.project;
    assert_eq!(p.composites.len(), 1, "{:?}", p.composites.keys());
    assert!(p.is_composite(&p.nodes["kv"].component), "{:?}", p.nodes);
    // `set a 1`, `get a` and `frobnicate` (an error message the service
    // returns) answer alike.
    assert_eq!(same_answers(&composed.bytes, "grouped kv-service"), 3);
}
