//! The standard `wasi:keyvalue`, `wasi:config/store` and `wasi:logging`
//! interfaces, through `std-interfaces` (built with wasmCloud's SDK,
//! unmodified): a granted store persists in its file and opens only its
//! buckets, the `kv` fake answers from memory, configuration comes from
//! the grant's table, an environment prefix or the `config` fake, and log
//! lines reach the output with their levels.

use patchbay_compose::{Severity, Workspace};
use patchbay_host::{Host, HostOptions, Limits, RunReport, Runnable};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The sample's project in a folder of its own (so its database file is
/// the test's), with `bindings` in place of the sample's.
fn project(dir: &Path, bindings: &str) -> Workspace {
    let wasm = Path::new(patchbay_test_programs::SAMPLES_DIR).join("wasm/std-interfaces.wasm");
    let sample = std::fs::read_to_string(
        Path::new(patchbay_test_programs::SAMPLES_DIR).join("std-interfaces/patchbay.toml"),
    )
    .expect("sample project");
    let head = sample
        .split("# A real database file")
        .next()
        .expect("the sample's bindings follow its exports")
        .replace(
            "path = \"../wasm/std-interfaces.wasm\"",
            &format!("path = {:?}", wasm.display().to_string()),
        )
        .lines()
        .filter(|l| !l.starts_with("build =") && !l.starts_with("watch ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::create_dir_all(dir).expect("project folder");
    std::fs::write(dir.join("patchbay.toml"), format!("{head}\n{bindings}\n")).expect("write");
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

const GRANTED: &str = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "grant"
store = "data/kv.redb"
buckets = ["default", "cache"]

[bindings."*.wasi:config/*"]
mode = "grant"
config = { greeting = "hi" }
config-prefix = "PATCHBAY_STD_TEST_"

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#;

const FAKES: &str = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "kv"
values = { "cache/a" = "seeded", "b" = "in default" }

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = { greeting = "faked" }

[bindings."*.wasi:logging/*"]
mode = "mock"
fake = "log"

[bindings."*.wasi:*"]
mode = "grant"
"#;

fn prepare(ws: &Workspace) -> Runnable {
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "check: {errors:?}");
    host()
        .prepare(ws)
        .unwrap_or_else(|e| panic!("prepare: {e}"))
}

fn run(prepared: &Runnable, call: &str) -> RunReport {
    block_on(host().run(prepared, call, &Limits::default()))
}

#[track_caller]
fn ok(report: &RunReport) -> &str {
    match &report.result {
        Ok(v) => v,
        Err(e) => panic!("{} failed: {e:?}\nstderr: {}", report.call, report.stderr),
    }
}

fn temp() -> PathBuf {
    tempfile::tempdir().expect("temp dir").keep()
}

#[test]
fn granted_data_survives_a_new_run_and_lives_in_the_database_file() {
    let dir = temp();
    {
        let prepared = prepare(&project(&dir, GRANTED));
        assert_eq!(ok(&run(&prepared, r#"put("default", "a", "1")"#)), "ok");
        assert_eq!(ok(&run(&prepared, r#"incr("cache", "n", 5)"#)), "ok(5)");
        assert_eq!(
            ok(&run(
                &prepared,
                r#"put-many("cache", [("x", "1"), ("y", "2")])"#
            )),
            "ok(2)"
        );
    }
    // Everything dropped: a new preparation, a new Store, the same file.
    let prepared = prepare(&project(&dir, GRANTED));
    assert_eq!(
        ok(&run(&prepared, r#"get("default", "a")"#)),
        r#"ok(some("1"))"#
    );
    assert_eq!(ok(&run(&prepared, r#"incr("cache", "n", 1)"#)), "ok(6)");
    assert_eq!(
        ok(&run(&prepared, r#"keys("cache")"#)),
        r#"ok(["n", "x", "y"])"#
    );
    // Buckets are apart: `a` is in `default` only.
    assert_eq!(ok(&run(&prepared, r#"get("cache", "a")"#)), "ok(none)");
    drop(prepared);
    // The file is a redb database with one table per bucket.
    let db = redb::Database::open(dir.join("data/kv.redb")).expect("a redb file");
    let tx = redb::ReadableDatabase::begin_read(&db).expect("read");
    let table = tx
        .open_table(redb::TableDefinition::<&str, &[u8]>::new("default"))
        .expect("the bucket's table");
    let value = redb::ReadableTable::get(&table, "a")
        .expect("get")
        .map(|v| v.value().to_vec());
    assert_eq!(value.as_deref(), Some(&b"1"[..]));
}

#[test]
fn a_bucket_outside_the_grant_is_refused_and_reported() {
    let dir = temp();
    let prepared = prepare(&project(&dir, GRANTED));
    let report = run(&prepared, r#"put("secret", "a", "1")"#);
    assert_eq!(ok(&report), r#"err("bucket `secret`: access denied")"#);
    let line = report
        .scope
        .iter()
        .find(|l| l.interface == "wasi:keyvalue/store")
        .unwrap_or_else(|| panic!("a scope line: {:?}", report.scope));
    assert!(line.refused);
    assert_eq!(line.nodes, ["app"]);
    assert!(
        line.message.contains("bucket `secret`") && line.message.contains("default, cache"),
        "{}",
        line.message
    );
    // Nothing was written for it.
    let again = prepare(&project(&dir, GRANTED));
    assert_eq!(
        ok(&run(&again, r#"put("secret", "a", "1")"#)),
        r#"err("bucket `secret`: access denied")"#
    );
}

#[test]
fn configuration_comes_from_the_table_and_the_environment_prefix() {
    std::env::set_var("PATCHBAY_STD_TEST_REGION", "eu-west");
    std::env::set_var("PATCHBAY_STD_TEST_GREETING", "from the environment");
    let dir = temp();
    let prepared = prepare(&project(&dir, GRANTED));
    // The prefix is stripped and the rest lowercased, as Spin does.
    assert_eq!(
        ok(&run(&prepared, r#"setting("region")"#)),
        r#"ok(some("eu-west"))"#
    );
    // The grant's table wins over the environment.
    assert_eq!(
        ok(&run(&prepared, r#"setting("greeting")"#)),
        r#"ok(some("hi"))"#
    );
    assert_eq!(ok(&run(&prepared, r#"setting("REGION")"#)), "ok(none)");
    assert_eq!(ok(&run(&prepared, r#"setting("nothing")"#)), "ok(none)");
}

#[test]
fn log_lines_are_typed_records_in_the_report_and_on_the_event_stream() {
    use patchbay_host::{Event, LogLevel, LogRecord};
    let dir = temp();
    let prepared = prepare(&project(&dir, GRANTED));
    let line = |level, context: &str, message: &str| LogRecord {
        nodes: vec!["app".to_string()],
        level,
        context: context.to_string(),
        message: message.to_string(),
    };
    let mut events = host().events().subscribe();
    let report = run(&prepared, r#"greet("ana")"#);
    assert_eq!(ok(&report), r#""hi, ana!""#);
    assert_eq!(report.logs, [line(LogLevel::Info, "greet", "greeting ana")]);
    assert_eq!(report.stderr, "", "log lines are not guest output");
    assert_eq!(report.logs[0].to_string(), "INFO greet: greeting ana");
    let mut sent = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let Event::Log { run, line } = event {
            sent.push((run, line));
        }
    }
    assert_eq!(sent, [(report.run, report.logs[0].clone())]);
    let report = run(&prepared, r#"get("default", "missing")"#);
    assert_eq!(
        report.logs,
        [line(LogLevel::Debug, "kv", "miss default/missing")]
    );
    let report = run(&prepared, r#"get("other", "x")"#);
    assert_eq!(
        report.logs,
        [line(
            LogLevel::Warn,
            "kv",
            "cannot open `other`: access denied"
        )]
    );
    // A session's calls each report their own lines.
    let mut session = host().session(std::sync::Arc::new(prepare(&project(&dir, GRANTED))));
    let limits = Limits::default();
    let first = block_on(host().call_in(&mut session, r#"greet("bo")"#, &limits)).expect("lives");
    let second = block_on(host().call_in(&mut session, r#"put("default", "b", "2")"#, &limits))
        .expect("lives");
    assert_eq!(first.logs, [line(LogLevel::Info, "greet", "greeting bo")]);
    assert_eq!(second.logs, [line(LogLevel::Info, "kv", "put default/b")]);
}

#[test]
fn the_kv_and_config_fakes_answer_from_memory() {
    let dir = temp();
    let ws = project(&dir, FAKES);
    let prepared = prepare(&ws);
    assert_eq!(
        ok(&run(&prepared, r#"get("cache", "a")"#)),
        r#"ok(some("seeded"))"#
    );
    assert_eq!(
        ok(&run(&prepared, r#"get("default", "b")"#)),
        r#"ok(some("in default"))"#
    );
    // Any bucket opens in the fake; a fresh instance starts from the seed.
    assert_eq!(ok(&run(&prepared, r#"put("anything", "k", "v")"#)), "ok");
    assert_eq!(ok(&run(&prepared, r#"get("anything", "k")"#)), "ok(none)");
    // In one session the fake keeps what was written.
    let mut session = host().session(std::sync::Arc::new(prepare(&ws)));
    let limits = Limits::default();
    let put = block_on(host().call_in(&mut session, r#"put("anything", "k", "v")"#, &limits))
        .expect("the session lives");
    assert_eq!(ok(&put), "ok");
    let get = block_on(host().call_in(&mut session, r#"get("anything", "k")"#, &limits))
        .expect("the session lives");
    assert_eq!(ok(&get), r#"ok(some("v"))"#);
    // Clearing the session's fake state goes back to the seed.
    session.clear();
    let get = block_on(host().call_in(&mut session, r#"get("anything", "k")"#, &limits))
        .expect("the session lives");
    assert_eq!(ok(&get), "ok(none)");
    let get = block_on(host().call_in(&mut session, r#"get("cache", "a")"#, &limits))
        .expect("the session lives");
    assert_eq!(ok(&get), r#"ok(some("seeded"))"#);
    let greet = run(&prepared, r#"greet("bo")"#);
    assert_eq!(ok(&greet), r#""faked, bo!""#);
    // The log fake records the calls instead of printing them.
    assert_eq!(greet.stderr, "");
    assert!(
        greet
            .mock_calls
            .iter()
            .any(|c| c.interface == "wasi:logging/logging@0.1.0-draft" && c.function == "log"),
        "{:?}",
        greet.mock_calls
    );
    assert!(!dir.join("data").exists(), "a fake writes no file");
}

#[test]
fn a_fake_is_accepted_only_on_the_interface_it_answers() {
    let dir = temp();
    let wrong = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "config"

[bindings."*.wasi:*"]
mode = "grant"
"#;
    let ws = project(&dir, wrong);
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();
    assert!(
        errors.iter().any(|e| e
            .contains("the `config` fake cannot stand in for `wasi:keyvalue/store@0.2.0-draft`")),
        "{errors:?}"
    );
    assert!(host().prepare(&ws).is_err(), "check and prepare agree");
}

#[test]
fn sealed_export_keeps_granted_standard_interfaces_and_says_why() {
    let dir = temp();
    // A key-value and a config grant stay imports, each with its reason;
    // the `kv` and `config` fakes are sealed (seal_std.rs).
    for (bindings, sealed_in) in [(GRANTED, false), (FAKES, true)] {
        let ws = project(&dir, bindings);
        let sealed = ws
            .compose_sealed()
            .unwrap_or_else(|e| panic!("compose_sealed: {e}"));
        let reasons: Vec<String> = sealed.not_sealed.iter().map(|n| n.to_string()).collect();
        for import in [
            "wasi:keyvalue/store@0.2.0-draft",
            "wasi:keyvalue/atomics@0.2.0-draft",
            "wasi:keyvalue/batch@0.2.0-draft",
            "wasi:config/store@0.2.0-draft",
        ] {
            assert_eq!(
                sealed.composed.imports.iter().any(|i| i == import),
                !sealed_in,
                "{import}: {:?}",
                sealed.composed.imports
            );
        }
        if sealed_in {
            assert!(reasons.is_empty(), "{reasons:?}");
        } else {
            assert!(
                reasons
                    .iter()
                    .any(|r| r.contains("wasi:keyvalue/store@0.2.0-draft") && r.contains("kv.redb")),
                "{reasons:?}"
            );
            assert!(
                reasons
                    .iter()
                    .any(|r| r.contains("wasi:config/store@0.2.0-draft")),
                "{reasons:?}"
            );
        }
    }
}
