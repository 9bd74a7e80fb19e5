//! Runs the samples in the embedded host: every binding kind, the hostile
//! guests against their limits, traced against composed runs.

use patchbay_compose::Workspace;
use patchbay_host::{FailureKind, Host, HostOptions, Limits, RunMode, RunReport, Runnable};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

mod limits;

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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn workspace(project: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(project).expect("project loads"))
}

fn sample(name: &str) -> Workspace {
    workspace(&Path::new(patchbay_test_programs::SAMPLES_DIR).join(name))
}

fn prepare(ws: &Workspace, traced: bool) -> Runnable {
    let prepared = if traced {
        host().prepare_traced(ws)
    } else {
        host().prepare(ws)
    };
    prepared.unwrap_or_else(|e| panic!("prepare: {e}"))
}

fn run(prepared: &Runnable, call: &str, limits: &Limits) -> RunReport {
    runtime().block_on(host().run(prepared, call, limits))
}

#[track_caller]
fn ok(report: &RunReport) -> &str {
    match &report.result {
        Ok(v) => v,
        Err(e) => panic!("{} failed: {e:?}\nstderr: {}", report.call, report.stderr),
    }
}

#[track_caller]
fn failure(report: &RunReport, kind: FailureKind) -> &str {
    match &report.result {
        Ok(v) => panic!("{} returned {v}", report.call),
        Err(e) => {
            assert_eq!(e.kind, kind, "{}: {}", report.call, e.message);
            &e.message
        }
    }
}

const ORDER: &str = r#"process-order({id: "ord-1", customer: "ada", region: eu, items: [{sku: "widget", quantity: 2, unit-price-cents: 1250}, {sku: "gadget", quantity: 1, unit-price-cents: 305}], coupon: none})"#;

#[test]
fn kv_service_answers_requests() {
    let ws = sample("kv-service");
    let p = prepare(&ws, false);
    let limits = Limits::default();
    assert_eq!(
        ok(&run(&p, r#"handle-request("set a 1")"#, &limits)),
        r#""ok""#
    );
    // Each run is a fresh instance, so nothing is remembered.
    assert_eq!(
        ok(&run(&p, r#"handle-request("get a")"#, &limits)),
        r#""not found: a""#
    );
    let report = run(&p, r#"handle-request("frobnicate")"#, &limits);
    assert!(ok(&report).contains("unknown command"));
}

#[test]
fn order_pipeline_passes_rich_types_and_a_resource() {
    let ws = sample("order-pipeline");
    let p = prepare(&ws, false);
    let report = run(&p, ORDER, &Limits::default());
    let value = ok(&report);
    assert!(
        value.starts_with(
            r#"ok({order-id: "ord-1", subtotal-cents: 2805, tax-cents: 561, total-cents: 3366"#
        ),
        "{value}"
    );
    let blocked = ORDER.replace("\"ada\"", "\"blocked\"");
    assert_eq!(
        ok(&run(&p, &blocked, &Limits::default())),
        r#"err(unknown-customer("blocked"))"#
    );
    // Traced runs lend the ledger's `book` across its wire: the order
    // service constructs one, records entries through it, reads it back and
    // drops it, and every step is a call in the trace.
    let traced = prepare(&ws, true);
    assert!(traced.is_traced(), "{:?}", traced.fallback_reason());
    let report = run(&traced, ORDER, &Limits::default());
    assert_eq!(report.mode, RunMode::Traced);
    assert_eq!(ok(&report), value);
    let ledger: Vec<&str> = report
        .trace
        .iter()
        .filter(|t| t.function.starts_with("patchbay:orders/ledger"))
        .map(|t| t.function.rsplit('#').next().unwrap())
        .collect();
    assert_eq!(ledger.first(), Some(&"[constructor]book"), "{ledger:?}");
    assert!(ledger.contains(&"[method]book.record-entry"), "{ledger:?}");
    assert_eq!(ledger.last(), Some(&"[resource-drop]book"), "{ledger:?}");
    for t in &report.trace {
        assert_eq!(
            t.callee == "invoice",
            t.function.contains("ledger") || t.function.contains("format"),
            "{t:?}"
        );
        assert!(!t.result.starts_with("error"), "{t:?}");
    }
    // Entries start in order on one clock; nested calls start inside their
    // caller's span.
    let mut starts: Vec<u64> = report.trace.iter().map(|t| t.start_micros).collect();
    starts.sort();
    assert!(starts.last().unwrap() <= &report.micros);
}

#[test]
fn bad_calls_are_explained() {
    let ws = sample("kv-service");
    let p = prepare(&ws, false);
    let limits = Limits::default();
    let msg = failure(
        &run(&p, "handle-request(42)", &limits),
        FailureKind::BadCall,
    )
    .to_string();
    assert!(
        msg.contains("do not fit `handle-request(req: string)`"),
        "{msg}"
    );
    let msg = failure(&run(&p, "nope()", &limits), FailureKind::BadCall).to_string();
    assert!(
        msg.contains("exports no function `nope`; it exports handle-request"),
        "{msg}"
    );
    let msg = failure(&run(&p, "handle-request", &limits), FailureKind::BadCall).to_string();
    assert!(msg.contains("is not a call"), "{msg}");
    let ws = sample("http-hello");
    let p = prepare(&ws, false);
    let msg = failure(&run(&p, "handle(1, 2)", &limits), FailureKind::BadCall).to_string();
    assert!(
        msg.contains("takes a resource handle (`request`)") && msg.contains("patchbay serve"),
        "{msg}"
    );
}

#[test]
fn runs_report_through_the_event_stream() {
    let ws = sample("sandbox-demo");
    let p = prepare(&ws, false);
    let mut events = host().subscribe();
    let report = run(&p, r#"denied#read-env("GREETING")"#, &Limits::default());
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        if matches!(&event, patchbay_host::Event::RunStarted { run, .. } | patchbay_host::Event::Denied { run, .. } | patchbay_host::Event::RunFinished { run, .. } if *run == report.run)
        {
            seen.push(event);
        }
    }
    assert!(
        matches!(
            seen[0],
            patchbay_host::Event::RunStarted {
                mode: RunMode::Traced,
                ..
            }
        ),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|e| matches!(e, patchbay_host::Event::Denied { function, nodes, .. } if function == "get-environment" && nodes == &["denied"])),
        "{seen:?}"
    );
    assert!(
        matches!(seen.last(), Some(patchbay_host::Event::RunFinished { error: Some(e), .. }) if e.contains("capability denied")),
        "{seen:?}"
    );
}

#[test]
fn sandbox_demo_shows_granted_mocked_and_denied_side_by_side() {
    let ws = sample("sandbox-demo");
    let p = prepare(&ws, false);
    let limits = Limits::default();
    // Bindings differ per node, so the host runs it traced and says why.
    let report = run(&p, r#"granted#read-file("/data/motd.txt")"#, &limits);
    assert_eq!(report.mode, RunMode::Traced);
    // The reason names what each node's binding is, not only its mode.
    assert!(
        report.mode_reason.contains("bound differently")
            && ["grants ", "mocks it", "denies it"]
                .iter()
                .filter(|w| report.mode_reason.contains(*w))
                .count()
                >= 2,
        "{}",
        report.mode_reason
    );
    assert!(ok(&report).contains("Hello from a folder"));

    let report = run(&p, r#"mocked#read-env("GREETING")"#, &limits);
    assert_eq!(ok(&report), r#"ok("hello from a mock")"#);
    assert_eq!(report.mock_calls[0].function, "get-environment");
    let report = run(&p, r#"mocked#read-file("/data/motd.txt")"#, &limits);
    assert!(ok(&report).starts_with("err("), "{}", ok(&report));

    for (call, function) in [
        (r#"denied#read-file("/data/motd.txt")"#, "get-directories"),
        (r#"denied#read-env("GREETING")"#, "get-environment"),
        (r#"denied#fetch("http://127.0.0.1:9/")"#, "handle"),
    ] {
        let report = run(&p, call, &limits);
        let msg = failure(&report, FailureKind::Denied).to_string();
        assert!(msg.contains("node `denied`"), "{msg}");
        assert_eq!(report.denials[0].function, function);
    }
}

#[test]
fn outgoing_http_outside_the_allow_list_is_refused() {
    let ws = sample("sandbox-demo");
    let p = prepare(&ws, false);
    let report = run(
        &p,
        r#"granted#fetch("http://127.0.0.1:9/")"#,
        &Limits::default(),
    );
    assert!(ok(&report).contains("HttpRequestDenied"), "{}", ok(&report));
    let refused: Vec<_> = report.scope.iter().filter(|l| l.refused).collect();
    assert_eq!(refused.len(), 1, "{:?}", report.scope);
    assert_eq!(refused[0].nodes, ["granted"]);
    assert_eq!(refused[0].interface, "wasi:http/outgoing-handler");
    assert!(
        refused[0].message.contains("127.0.0.1:9"),
        "{}",
        refused[0].message
    );
}

#[test]
fn traced_and_composed_runs_agree_on_every_sample() {
    let cases: &[(&str, &[&str])] = &[
        (
            "kv-service",
            &[r#"handle-request("set a 1")"#, r#"handle-request("get a")"#],
        ),
        ("order-pipeline", &[ORDER]),
        ("kv-bench", &["hammer(100)"]),
        ("hostile", &["ok()", "recurse(1000)", "allocate(2)"]),
    ];
    // Not here: sandbox-demo binds one import three ways, which only a traced
    // run can do (tested above), and http-hello's export takes resource
    // handles, so it is served rather than called (tests/serve.rs).
    for (name, calls) in cases {
        let ws = sample(name);
        let composed = prepare(&ws, false);
        let traced = prepare(&ws, true);
        assert!(traced.is_traced(), "{name}: {:?}", traced.fallback_reason());
        for call in *calls {
            let a = run(&composed, call, &Limits::default());
            let b = run(&traced, call, &Limits::default());
            assert_eq!(a.mode, RunMode::Composed, "{name}: {call}");
            assert_eq!(a.result, b.result, "{name}: {call}");
        }
    }
}

#[test]
fn traced_runs_record_every_call_across_a_wire() {
    let ws = sample("kv-bench");
    let p = prepare(&ws, true);
    assert!(p.is_traced());
    let report = run(&p, "hammer(3)", &Limits::default());
    assert_eq!(ok(&report), "3");
    assert_eq!(report.mode, RunMode::Traced);
    assert_eq!(report.trace.len(), 6);
    let first = &report.trace[0];
    assert_eq!(
        (first.caller.as_str(), first.callee.as_str()),
        ("bench", "memory")
    );
    assert_eq!(first.function, "patchbay:kv/store#set");
    assert_eq!(first.args.len(), 2);
    let get = &report.trace[3];
    assert_eq!(get.function, "patchbay:kv/store#get");
    assert_eq!(get.result, r#"some("bench")"#);
}

#[test]
fn mocks_answer_from_canned_values_and_check_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let service = patchbay_test_programs::KV_SERVICE;
    let write = |body: &str| {
        std::fs::write(
            dir.path().join("patchbay.toml"),
            format!(
                "version = 1\nname = \"mocked\"\n[components.kv-service]\npath = {service:?}\n[nodes.service]\ncomponent = \"kv-service\"\n[[exports]]\nfrom = \"service.handle-request\"\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n{body}"
            ),
        )
        .unwrap();
        workspace(dir.path())
    };
    let ws = write(
        "[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfunctions.get = { cases = [{ args = '(\"a\")', returns = 'some(\"from a case\")' }], returns = \"none\" }\nfunctions.set = { trap = \"read-only store\" }\n",
    );
    let p = prepare(&ws, false);
    let report = run(&p, r#"handle-request("get a")"#, &Limits::default());
    assert_eq!(ok(&report), r#""from a case""#);
    assert_eq!(report.mock_calls[0].args, [r#""a""#]);
    assert_eq!(
        ok(&run(&p, r#"handle-request("get b")"#, &Limits::default())),
        r#""not found: b""#
    );
    let report = run(&p, r#"handle-request("set a 1")"#, &Limits::default());
    let msg = failure(&report, FailureKind::Trap).to_string();
    assert!(
        report.mock_calls[0].result.contains("read-only store"),
        "{msg}"
    );

    // The kv fake keeps state within a run and starts from `values`.
    let ws = write("[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfake = \"kv\"\nvalues = { a = \"seeded\" }\n");
    let p = prepare(&ws, false);
    assert_eq!(
        ok(&run(&p, r#"handle-request("get a")"#, &Limits::default())),
        r#""seeded""#
    );

    // A value that does not fit the type is refused before any run.
    let ws = write("[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfunctions.get = { returns = \"42\" }\n");
    let err = host().prepare(&ws).err().expect("refused").to_string();
    assert!(
        err.contains("function `get`") && err.contains("`42`"),
        "{err}"
    );
}

#[test]
fn the_compile_cache_reuses_unchanged_compositions() {
    let ws = sample("kv-service");
    let first = host().prepare_composed(&ws).unwrap();
    let second = host().prepare_composed(&ws).unwrap();
    assert_eq!(
        second.cache_hit(),
        patchbay_host::CacheHit::Memory,
        "{:?}",
        first.cache_hit()
    );
}

/// A one-node project of `component` with extra binding lines.
fn one_node(dir: &Path, component: &str, node: &str, export: &str, bindings: &str) -> Workspace {
    std::fs::write(
        dir.join("patchbay.toml"),
        format!(
            "version = 1\nname = \"fakes\"\n[components.c]\npath = {component:?}\n[nodes.{node}]\ncomponent = \"c\"\n[[exports]]\nfrom = \"{node}.{export}\"\n{bindings}\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n"
        ),
    )
    .unwrap();
    workspace(dir)
}

#[test]
fn clock_random_and_http_fakes_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = patchbay_test_programs::SANDBOX_DEMO;
    let limits = Limits::default();
    let ws = one_node(
        dir.path(),
        sandbox,
        "demo",
        "patchbay:sandbox/probe",
        r#"
[bindings."demo.wasi:clocks/wall-clock@0.2.12"]
mode = "mock"
fake = "clock"
[bindings."demo.wasi:random/random@0.2.12"]
mode = "mock"
fake = "random"
[bindings."demo.wasi:http/outgoing-handler@0.2.12"]
mode = "mock"
fake = "http"
responses = { "http://example.test/hello" = "200 canned hello" }
"#,
    );
    let p = prepare(&ws, false);
    assert_eq!(ok(&run(&p, "now-ms()", &limits)), "0");
    let first = ok(&run(&p, "random-u64()", &limits)).to_string();
    assert_eq!(
        ok(&run(&p, "random-u64()", &limits)),
        first,
        "seeded random repeats per run"
    );
    assert_eq!(
        ok(&run(&p, r#"fetch("http://example.test/hello")"#, &limits)),
        r#"ok("200 canned hello")"#
    );
    let other = run(&p, r#"fetch("http://example.test/other")"#, &limits);
    assert!(
        ok(&other).contains("404 the http fake has no response"),
        "{}",
        ok(&other)
    );

    // Grants can fix the clock and seed the generator too.
    let ws = one_node(
        dir.path(),
        sandbox,
        "demo",
        "patchbay:sandbox/probe",
        "[bindings.\"demo.wasi:clocks/wall-clock@0.2.12\"]\nmode = \"grant\"\nclock = { fixed-unix-ms = 1700000000000 }\n[bindings.\"demo.wasi:random/random@0.2.12\"]\nmode = \"grant\"\nrandom = { seed = 7 }\n",
    );
    let p = prepare(&ws, false);
    assert_eq!(ok(&run(&p, "now-ms()", &limits)), "1700000000000");
    let seven = ok(&run(&p, "random-u64()", &limits)).to_string();
    assert_ne!(seven, first, "another seed gives other numbers");
    assert_eq!(ok(&run(&p, "random-u64()", &limits)), seven);
}

#[test]
fn config_log_and_sequence_mocks_answer_as_configured() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let service = patchbay_test_programs::KV_SERVICE;
    let ws = one_node(
        dir.path(),
        service,
        "service",
        "handle-request",
        // The `config` fake answers `get` only, so `set` needs a value of
        // its own (without one, `check` refuses the fake).
        "[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfake = \"config\"\nvalues = { greeting = \"from config\" }\nfunctions.set = { trap = \"the config is read-only\" }\n",
    );
    let p = prepare(&ws, false);
    assert_eq!(
        ok(&run(&p, r#"handle-request("get greeting")"#, &limits)),
        r#""from config""#
    );
    let report = run(&p, r#"handle-request("set greeting x")"#, &limits);
    failure(&report, FailureKind::Trap);
    assert!(
        report.mock_calls[0]
            .result
            .contains("the config is read-only"),
        "{:?}",
        report.mock_calls
    );

    let ws = one_node(
        dir.path(),
        service,
        "service",
        "handle-request",
        "[bindings.\"service.patchbay:kv/store\"]\nmode = \"mock\"\nfake = \"log\"\nfunctions.get = { returns = \"none\" }\n",
    );
    let p = prepare(&ws, false);
    let report = run(&p, r#"handle-request("set a 1")"#, &limits);
    assert_eq!(ok(&report), r#""ok""#);
    assert_eq!(report.mock_calls[0].function, "set");
    assert_eq!(report.mock_calls[0].args, [r#""a""#, r#""1""#]);

    let bench = patchbay_test_programs::KV_BENCH;
    let ws = one_node(
        dir.path(),
        bench,
        "bench",
        "hammer",
        "[bindings.\"bench.patchbay:kv/store\"]\nmode = \"mock\"\nfunctions.set = { returns = \"()\" }\nfunctions.get = { sequence = ['some(\"1\")', 'some(\"2\")', \"none\"] }\n",
    );
    let p = prepare(&ws, false);
    // 4 gets answer some, some, none, none (the last value repeats).
    let report = run(&p, "hammer(4)", &limits);
    assert_eq!(ok(&report), "2");
    let gets: Vec<&str> = report
        .mock_calls
        .iter()
        .filter(|c| c.function == "get")
        .map(|c| c.result.as_str())
        .collect();
    assert_eq!(gets, [r#"some("1")"#, r#"some("2")"#, "none", "none"]);
}

/// An import left open that this host cannot provide stays an import of
/// the composition (for the host it is deployed to); a run here links a
/// stub, so the component instantiates, and only a call to the import fails,
/// naming the node, the interface and the function.
#[test]
fn an_import_left_open_fails_only_when_called() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let ws = one_node(
        dir.path(),
        patchbay_test_programs::KV_SERVICE,
        "service",
        "handle-request",
        "[bindings.\"service.patchbay:kv/store\"]\nmode = \"leave\"\n",
    );
    let problems = ws.check();
    assert!(
        problems
            .iter()
            .all(|p| p.severity != patchbay_compose::Severity::Error),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.code == "left-open"),
        "check warns that the import is left open: {problems:?}"
    );
    let composed = ws
        .compose()
        .expect("a composition with an open import composes");
    assert!(
        composed.imports.iter().any(|i| i == "patchbay:kv/store"),
        "{:?}",
        composed.imports
    );
    assert!(composed
        .describe()
        .unwrap()
        .import("patchbay:kv/store")
        .is_some());
    for traced in [false, true] {
        let p = prepare(&ws, traced);
        // A request that does not reach the store runs.
        let report = run(&p, r#"handle-request("frobnicate")"#, &limits);
        assert!(ok(&report).contains("unknown command"));
        let report = run(&p, r#"handle-request("get a")"#, &limits);
        let message = failure(&report, FailureKind::LeftOpen);
        assert!(
            message.contains("node `service`")
                && message.contains("patchbay:kv/store#get")
                && message.contains("left open"),
            "{message}"
        );
        assert!(
            report.scope.iter().any(|l| l.refused
                && l.nodes == ["service"]
                && l.interface == "patchbay:kv/store"
                && l.message.contains("left open")),
            "traced={traced}: {:?}",
            report.scope
        );
        assert!(report.denials.is_empty(), "{:?}", report.denials);
    }
}
