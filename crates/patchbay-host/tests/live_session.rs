//! Live sessions: successive calls share one instance (composed or traced),
//! a failure inside the guest ends the session with its reason, and reset
//! and clear empty what it holds.

use patchbay_compose::Workspace;
use patchbay_host::{FailureKind, Host, HostOptions, Limits, LiveSession, RunMode, RunReport};
use std::path::Path;
use std::sync::{Arc, OnceLock};

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

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn sample(name: &str) -> Workspace {
    let dir = Path::new(patchbay_test_programs::SAMPLES_DIR).join(name);
    Workspace::open(patchbay_project::load(&dir).expect("project loads"))
}

fn session(ws: &Workspace, traced: bool) -> LiveSession {
    let runnable = if traced {
        host().prepare_traced(ws)
    } else {
        host().prepare(ws)
    };
    host().session(Arc::new(
        runnable.unwrap_or_else(|e| panic!("prepare: {e}")),
    ))
}

#[track_caller]
fn call(session: &mut LiveSession, call: &str) -> RunReport {
    block_on(host().call_in(session, call, &Limits::default()))
        .unwrap_or_else(|ended| panic!("{call}: {ended}"))
}

#[track_caller]
fn ok(report: &RunReport) -> &str {
    match &report.result {
        Ok(v) => v,
        Err(e) => panic!("{} failed: {e:?}\nstderr: {}", report.call, report.stderr),
    }
}

const SET: &str = r#"handle-request("set a 1")"#;
const GET: &str = r#"handle-request("get a")"#;

#[test]
fn kv_service_remembers_within_a_session_and_forgets_with_fresh_instances() {
    let ws = sample("kv-service");
    for traced in [false, true] {
        let mut s = session(&ws, traced);
        assert_eq!(s.status().calls, 0);
        assert_eq!(s.status().age, None);
        assert_eq!(ok(&call(&mut s, SET)), r#""ok""#);
        let get = call(&mut s, GET);
        assert_eq!(ok(&get), r#""1""#, "traced: {traced}");
        let status = s.status();
        assert_eq!(status.calls, 2);
        assert!(status.age.is_some());
        assert!(status.ended.is_none());
        // Two Rust nodes: each core module has a memory of at least a page.
        assert!(status.memory_bytes >= 2 << 16, "{status:?}");
        assert_eq!(
            status.mode,
            if traced {
                RunMode::Traced
            } else {
                RunMode::Composed
            }
        );
        if traced {
            // Each call's report holds its own wire calls; the session
            // holds them all.
            assert!(get.trace.iter().all(|t| t.function.ends_with("#get")));
            assert_eq!(s.trace().len(), status.trace_entries);
            assert!(s.trace().iter().any(|t| t.function.ends_with("#set")));
            assert!(s.trace().iter().any(|t| t.function.ends_with("#get")));
        }

        // Reset drops the instance and its state.
        s.reset();
        assert_eq!(s.status().calls, 0);
        assert_eq!(ok(&call(&mut s, GET)), r#""not found: a""#);
        assert!(s.trace().iter().all(|t| !t.function.ends_with("#set")));
    }
    // A fresh instance per call remembers nothing.
    let runnable = host().prepare(&ws).expect("prepares");
    let limits = Limits::default();
    assert_eq!(
        ok(&block_on(host().run(&runnable, SET, &limits))),
        r#""ok""#
    );
    assert_eq!(
        ok(&block_on(host().run(&runnable, GET, &limits))),
        r#""not found: a""#
    );
}

#[test]
fn a_trap_ends_the_session_with_its_reason_until_reset() {
    let ws = sample("hostile");
    let mut s = session(&ws, false);
    assert_eq!(ok(&call(&mut s, "ok()")), r#""still healthy""#);
    // A call that never reaches the guest does not end the session.
    let bad = call(&mut s, "nonesuch()");
    assert_eq!(bad.result.unwrap_err().kind, FailureKind::BadCall);
    assert!(s.status().ended.is_none());

    let report = call(&mut s, r#"fail("boom")"#);
    let failure = report.result.expect_err("fail traps");
    assert_eq!(failure.kind, FailureKind::Trap);
    let ended = s.status().ended.expect("the trap ended the session");
    assert_eq!(ended.call, r#"fail("boom")"#);
    assert_eq!(ended.failure, failure);
    let refused = block_on(host().call_in(&mut s, "ok()", &Limits::default()))
        .expect_err("an ended session refuses calls");
    let message = refused.to_string();
    assert!(
        message.contains(r#"`fail("boom")` failed (trap)"#) && message.contains("reset"),
        "{message}"
    );
    // Calls that reached the instance count; the bad and refused ones not.
    assert_eq!(s.status().calls, 2);

    s.reset();
    assert!(s.status().ended.is_none());
    assert_eq!(ok(&call(&mut s, "ok()")), r#""still healthy""#);
    assert_eq!(s.status().calls, 1);
}

#[test]
fn limits_apply_to_each_call_and_a_limit_hit_ends_the_session() {
    let ws = sample("hostile");
    let mut s = session(&ws, false);
    let small = Limits {
        max_memory: 16 << 20,
        ..Limits::default()
    };
    // Memory in use grows with what the guest allocates and stays.
    let before = {
        ok(&call(&mut s, "ok()"));
        s.status().memory_bytes
    };
    let report = block_on(host().call_in(&mut s, "allocate(4)", &small)).expect("live");
    ok(&report);
    let after = s.status().memory_bytes;
    assert!(after >= before + (4 << 20), "{before} → {after}");
    // The deadline counts from each call: a session older than the timeout
    // still runs calls within it.
    let short = Limits {
        timeout: std::time::Duration::from_millis(200),
        ..Limits::default()
    };
    std::thread::sleep(std::time::Duration::from_millis(250));
    let report = block_on(host().call_in(&mut s, "ok()", &short)).expect("live");
    ok(&report);
    // A call past the memory cap ends the session, named as a memory hit.
    let report = block_on(host().call_in(&mut s, "allocate(64)", &small)).expect("live");
    assert_eq!(report.result.unwrap_err().kind, FailureKind::Memory);
    let ended = s.ended().expect("ended").to_string();
    assert!(
        ended.contains("(memory)") && ended.contains("16 MiB"),
        "{ended}"
    );
}

#[test]
fn the_kv_fake_keeps_its_map_for_the_session_and_clear_empties_it() {
    let dir = tempfile::tempdir().unwrap();
    let service = patchbay_test_programs::KV_SERVICE;
    std::fs::write(
        dir.path().join("patchbay.toml"),
        format!(
            "version = 1\nname = \"faked\"\n[components.kv-service]\npath = {service:?}\n[nodes.service]\ncomponent = \"kv-service\"\n[[exports]]\nfrom = \"service.handle-request\"\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfake = \"kv\"\nvalues = {{ b = \"seeded\" }}\n"
        ),
    )
    .unwrap();
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("loads"));
    let mut s = session(&ws, false);
    let set = call(&mut s, SET);
    assert_eq!(ok(&set), r#""ok""#);
    assert_eq!(set.mock_calls.len(), 1);
    let get = call(&mut s, GET);
    assert_eq!(ok(&get), r#""1""#);
    // Each report holds its own call's mock calls; the session all of them.
    assert_eq!(get.mock_calls.len(), 1);
    assert_eq!(get.mock_calls[0].function, "get");
    assert_eq!(s.mock_calls().len(), 2);
    let status = s.status();
    assert_eq!((status.mock_calls, status.fake_entries), (2, 2));

    s.clear();
    let status = s.status();
    assert_eq!(
        (status.mock_calls, status.fake_entries, status.calls),
        (0, 0, 2)
    );
    assert_eq!(ok(&call(&mut s, GET)), r#""not found: a""#);
    assert_eq!(
        ok(&call(&mut s, r#"handle-request("get b")"#)),
        r#""seeded""#
    );
    assert_eq!(s.mock_calls().len(), 2);
}
