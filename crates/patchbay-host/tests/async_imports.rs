//! Imports declared `async func` (WASI 0.3): mocked, denied, left open and
//! wired (traced), they link and run. Wasmtime links such an import only to
//! a concurrent host function; before, `check` passed these projects and
//! `call` then failed at link time. Every project here passes `check` and
//! runs.
//!
//! The components are WAT: `a` exports `run: async func(x: u32) -> u32`,
//! which calls its import `a:b/c#f: async func(x: u32) -> u32`; `b` exports
//! `a:b/c` with `f(x) = x + 100`.

use patchbay_compose::Workspace;
use patchbay_host::{
    FailureKind, Host, HostOptions, Limits, PrepareError, RunMode, RunReport, Runnable,
};
use std::path::Path;
use std::sync::OnceLock;

const CALLER: &str = r#"(component
  (import "a:b/c" (instance $i (export "f" (func async (param "x" u32) (result u32)))))
  (alias export $i "f" (func $f))
  (core func $fl (canon lower (func $f)))
  (core module $m
    (import "" "f" (func $f (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) local.get 0 call $f))
  (core instance $mi (instantiate $m (with "" (instance (export "f" (func $fl))))))
  (func (export "run") async (param "x" u32) (result u32) (canon lift (core func $mi "run")))
)"#;

/// Exports `a:b/c`; imports the environment only so that it can be
/// granted a scope of its own.
const CALLEE: &str = r#"(component
  (import "wasi:cli/environment@0.2.12" (instance
    (export "get-environment" (func (result (list (tuple string string)))))))
  (core module $m
    (func (export "f") (param i32) (result i32) local.get 0 i32.const 100 i32.add))
  (core instance $mi (instantiate $m))
  (func $f async (param "x" u32) (result u32) (canon lift (core func $mi "f")))
  (instance $c (export "f" (func $f)))
  (export "a:b/c" (instance $c))
)"#;

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| {
        Host::new(HostOptions {
            cache_dir: None,
            ..HostOptions::default()
        })
        .expect("host starts")
    })
}

/// A project of node `a` (and `b` when `wired`), with `bindings` appended.
fn project(dir: &Path, wired: bool, bindings: &str) -> Workspace {
    std::fs::write(dir.join("a.wat"), CALLER).unwrap();
    std::fs::write(dir.join("b.wat"), CALLEE).unwrap();
    let mut text = String::from(
        "version = 1\nname = \"async\"\n\n[components.a]\npath = \"a.wat\"\n\n[nodes.a]\ncomponent = \"a\"\n\n",
    );
    if wired {
        text.push_str(
            "[components.b]\npath = \"b.wat\"\n\n[nodes.b]\ncomponent = \"b\"\n\n[[wires]]\nfrom = \"b.a:b/c\"\nto = \"a.a:b/c\"\n\n",
        );
    }
    text.push_str("[[exports]]\nfrom = \"a.run\"\n\n");
    text.push_str(bindings);
    std::fs::write(dir.join("patchbay.toml"), text).unwrap();
    let ws = Workspace::open(patchbay_project::load(dir).expect("project loads"));
    let problems: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "check: {problems:?}");
    ws
}

fn prepare(ws: &Workspace, traced: bool) -> Runnable {
    let prepared = if traced {
        host().prepare_traced(ws)
    } else {
        host().prepare(ws)
    };
    prepared.unwrap_or_else(|e| panic!("prepare (traced: {traced}): {e}"))
}

fn run(prepared: &Runnable, call: &str) -> RunReport {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run(prepared, call, &Limits::default()))
}

#[test]
fn a_mocked_async_import_answers_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(
        dir.path(),
        false,
        "[bindings.\"a.a:b/c\"]\nmode = \"mock\"\nfunctions.f = { sequence = [\"7\", \"8\"] }\n",
    );
    for traced in [false, true] {
        let p = prepare(&ws, traced);
        let report = run(&p, "run(1)");
        assert_eq!(report.result.as_deref(), Ok("7"), "traced: {traced}");
        assert_eq!(report.mock_calls.len(), 1, "{:?}", report.mock_calls);
        assert_eq!(report.mock_calls[0].function, "f");
        assert_eq!(report.mock_calls[0].args, ["1"]);
        assert_eq!(report.mock_calls[0].result, "7");
    }
}

#[test]
fn a_denied_async_import_is_reported_as_a_blocked_capability() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(
        dir.path(),
        false,
        "[bindings.\"a.a:b/c\"]\nmode = \"deny\"\n",
    );
    for traced in [false, true] {
        let report = run(&prepare(&ws, traced), "run(1)");
        let failure = report.result.expect_err("a denied call fails");
        assert_eq!(failure.kind, FailureKind::Denied, "{failure:?}");
        assert_eq!(report.denials.len(), 1);
        assert_eq!(report.denials[0].function, "f");
        assert_eq!(report.denials[0].nodes, ["a"]);
    }
}

#[test]
fn an_async_import_left_open_fails_as_left_open() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(
        dir.path(),
        false,
        "[bindings.\"a.a:b/c\"]\nmode = \"leave\"\n",
    );
    let report = run(&prepare(&ws, false), "run(1)");
    let failure = report.result.expect_err("a call left open fails here");
    assert_eq!(failure.kind, FailureKind::LeftOpen, "{failure:?}");
}

#[test]
fn an_async_wire_is_traced_and_composed_alike() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(
        dir.path(),
        true,
        "[bindings.\"b.wasi:cli/environment@0.2.12\"]\nmode = \"mock\"\nfunctions.get-environment = { returns = \"[]\" }\n",
    );
    let composed = run(&prepare(&ws, false), "run(1)");
    assert_eq!(composed.mode, RunMode::Composed);
    assert_eq!(composed.result.as_deref(), Ok("101"));
    let traced = run(&prepare(&ws, true), "run(5)");
    assert_eq!(traced.mode, RunMode::Traced);
    assert_eq!(traced.result.as_deref(), Ok("105"));
    assert_eq!(traced.trace.len(), 1, "{:?}", traced.trace);
    let entry = &traced.trace[0];
    assert_eq!((entry.caller.as_str(), entry.callee.as_str()), ("a", "b"));
    assert_eq!(entry.function, "a:b/c#f");
    assert_eq!(
        (entry.args.clone(), entry.result.as_str()),
        (vec!["5".to_string()], "105")
    );
}

/// The escape case: with `b` granted a variable and `a` granted nothing,
/// concurrent calls across the wire could run a task of `a` under `b`'s
/// scope. Traced runs are refused, naming the wire and the nodes; the
/// composed run is unaffected (one instance, one binding per interface).
#[test]
fn an_async_wire_between_differently_granted_nodes_is_not_traced() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(
        dir.path(),
        true,
        "[bindings.\"b.wasi:cli/environment@0.2.12\"]\nmode = \"grant\"\nenv = [\"SECRET\"]\n",
    );
    match host().prepare_traced(&ws) {
        Err(e @ PrepareError::AsyncWireScopes { .. }) => {
            let message = e.to_string();
            for word in ["a:b/c#f", "`a`", "`b`", "async func", "same grants"] {
                assert!(message.contains(word), "{word}: {message}");
            }
        }
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("an async wire between different scopes was traced"),
    }
    let composed = run(&prepare(&ws, false), "run(2)");
    assert_eq!(composed.result.as_deref(), Ok("102"));
}

/// samples/streams: two WASI 0.3 components built from Rust with
/// wit-bindgen's async support, a `stream<u32>` crossing the wire. It runs
/// composed and traced; traced, the stream passes through the host and the
/// trace shows it.
#[test]
fn the_streams_sample_sums_composed_and_traced() {
    let dir = Path::new(patchbay_test_programs::SAMPLES_DIR).join("streams");
    let ws = Workspace::open(patchbay_project::load(&dir).expect("project loads"));
    for traced in [false, true] {
        let p = prepare(&ws, traced);
        for (call, expected) in [("sum(0)", "0"), ("sum(10)", "55"), ("sum(100)", "5050")] {
            let report = run(&p, call);
            assert_eq!(report.result.as_deref(), Ok(expected), "traced: {traced}");
            if traced {
                let n = &call[4..call.len() - 1];
                assert_eq!(report.trace.len(), 1, "{:?}", report.trace);
                let entry = &report.trace[0];
                assert_eq!(entry.function, "patchbay:streams/numbers@0.1.0#count");
                assert_eq!(
                    (entry.args.clone(), entry.result.as_str()),
                    (vec![n.to_string()], "<stream>")
                );
            }
        }
    }
}

/// A mock cannot make a stream from WAVE values: `check` says so in the
/// user's terms (not as a resource-handle parse error), and the run is
/// refused by the same rule.
#[test]
fn a_mock_of_a_function_returning_a_stream_is_refused_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let summer = Path::new(patchbay_test_programs::STREAM_SUMMER);
    let text = format!(
        "version = 1\nname = \"m\"\n\n[components.s]\npath = {summer:?}\n\n[nodes.summer]\ncomponent = \"s\"\n\n[[exports]]\nfrom = \"summer.sum\"\n\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n\n[bindings.\"summer.patchbay:streams/numbers@0.1.0\"]\nmode = \"mock\"\nfunctions.count = {{ returns = \"[1, 2]\" }}\n"
    );
    std::fs::write(dir.path().join("patchbay.toml"), text).unwrap();
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("project loads"));
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    for words in [
        "`count`",
        "stream",
        "cannot make from WAVE values",
        "deny it",
    ] {
        assert!(errors[0].contains(words), "{words}: {}", errors[0]);
    }
    assert!(host().prepare(&ws).is_err());
}
