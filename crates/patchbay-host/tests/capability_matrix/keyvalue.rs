//! Key-value stores are per node: nodes of `std-interfaces` (built with
//! wasmCloud's SDK) with their own database files, or none, in one
//! project. A node reaches only the buckets of its own grant; a node
//! without a key-value grant opens nothing, so it cannot read or write
//! another node's store, and each refusal is a scope line naming it.

use super::host;
use patchbay_compose::{Severity, Workspace};
use patchbay_host::{Limits, RunMode, RunReport, Runnable};
use std::path::Path;

/// The project: `owner` holds `a.redb` (bucket `shared`), `neighbour`
/// holds `b.redb` (bucket `shared` too), `bare` has no key-value grant.
fn project(dir: &Path) -> Workspace {
    let wasm = Path::new(patchbay_test_programs::SAMPLES_DIR).join("wasm/std-interfaces.wasm");
    let mut text = format!(
        "version = 1\nname = \"kv-matrix\"\n\n[components.std-interfaces]\npath = {:?}\n",
        wasm.display().to_string()
    );
    for node in ["owner", "neighbour", "bare"] {
        text.push_str(&format!(
            "\n[nodes.{node}]\ncomponent = \"std-interfaces\"\nposition = {{ x = 0.0, y = 0.0 }}\n"
        ));
        for f in ["put", "get"] {
            text.push_str(&format!(
                "\n[[exports]]\nfrom = \"{node}.{f}\"\nas = \"{node}-{f}\"\n"
            ));
        }
    }
    text.push_str(
        r#"
[bindings."owner.wasi:keyvalue/*"]
mode = "grant"
store = "a.redb"
buckets = ["shared"]

[bindings."neighbour.wasi:keyvalue/*"]
mode = "grant"
store = "b.redb"
buckets = ["shared"]

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
    let ws = Workspace::open(patchbay_project::load(dir).expect("project loads"));
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    ws
}

fn run(prepared: &Runnable, call: &str) -> RunReport {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run(prepared, call, &Limits::default()))
}

#[track_caller]
fn answer(report: &RunReport) -> &str {
    match &report.result {
        Ok(v) => v,
        Err(e) => panic!("{} failed: {e:?}", report.call),
    }
}

#[track_caller]
fn refused_for(report: &RunReport, node: &str) {
    assert_eq!(
        answer(report),
        r#"err("bucket `shared`: access denied")"#,
        "{}",
        report.call
    );
    assert!(
        report.scope.iter().any(|l| l.refused
            && l.nodes == [node]
            && l.interface == "wasi:keyvalue/store"
            && l.message.contains("bucket `shared`")),
        "{}: {:?}",
        report.call,
        report.scope
    );
}

#[test]
fn a_node_reaches_only_its_own_store() {
    for traced in [false, true] {
        // Each way of preparing starts from empty files.
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = project(dir.path());
        let (prepared, how) = if traced {
            (
                host().prepare_traced(&ws).expect("prepare traced"),
                "traced",
            )
        } else {
            (host().prepare(&ws).expect("prepare"), "prepare")
        };
        assert_eq!(
            run(&prepared, r#"owner-get("shared", "k")"#).mode,
            RunMode::Traced,
            "{how}: nodes bound differently run traced"
        );
        assert_eq!(
            answer(&run(&prepared, r#"owner-put("shared", "k", "by-owner")"#)),
            "ok"
        );
        // The by-neighbour bucket of the same name is its own file.
        assert_eq!(
            answer(&run(&prepared, r#"neighbour-get("shared", "k")"#)),
            "ok(none)"
        );
        assert_eq!(
            answer(&run(
                &prepared,
                r#"neighbour-put("shared", "k", "by-neighbour")"#
            )),
            "ok"
        );
        assert_eq!(
            answer(&run(&prepared, r#"owner-get("shared", "k")"#)),
            r#"ok(some("by-owner"))"#
        );
        // No grant, no store: neither read nor write reaches either file.
        refused_for(&run(&prepared, r#"bare-get("shared", "k")"#), "bare");
        refused_for(
            &run(&prepared, r#"bare-put("shared", "k", "by-bare")"#),
            "bare",
        );
        assert_eq!(
            answer(&run(&prepared, r#"owner-get("shared", "k")"#)),
            r#"ok(some("by-owner"))"#
        );
        // A bucket outside a grant is refused for that node.
        let other = run(&prepared, r#"owner-get("other", "k")"#);
        assert_eq!(answer(&other), r#"err("bucket `other`: access denied")"#);
        assert!(other
            .scope
            .iter()
            .any(|l| l.refused && l.nodes == ["owner"]));
        assert!(dir.path().join("a.redb").is_file());
        assert!(dir.path().join("b.redb").is_file());
    }
}
