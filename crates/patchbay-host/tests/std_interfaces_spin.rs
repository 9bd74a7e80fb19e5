//! Spin 3's versions of the standard interfaces, `wasi:keyvalue@0.2.0-draft2`
//! and `wasi:config/store@0.2.0-draft-2024-09-27`, through
//! `std-interfaces-spin` (built with Spin's SDK, unmodified), served by the
//! same rules and store as wasmCloud's `@0.2.0-draft`: the two SDKs' samples
//! share one database file, a bucket outside the grant is refused with a
//! scope line, compare-and-swap swaps only an unchanged value, the fakes
//! serve both versions and `check` says which fake fits either.

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

/// A project in `dir/NAME` with one node `app` of `component` (a sample
/// under `samples/wasm`), every export of it, and `bindings`.
fn project(dir: &Path, name: &str, component: &str, exports: &[&str], bindings: &str) -> Workspace {
    let wasm =
        Path::new(patchbay_test_programs::SAMPLES_DIR).join(format!("wasm/{component}.wasm"));
    let mut toml = format!(
        "version = 1\nname = \"{name}\"\n\n[components.{component}]\npath = {:?}\n\n[nodes.app]\ncomponent = \"{component}\"\nposition = {{ x = 0.0, y = 0.0 }}\n",
        wasm.display().to_string()
    );
    for e in exports {
        toml.push_str(&format!("\n[[exports]]\nfrom = \"app.{e}\"\n"));
    }
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("project folder");
    std::fs::write(
        folder.join("patchbay.toml"),
        format!("{toml}\n{bindings}\n"),
    )
    .expect("write");
    Workspace::open(patchbay_project::load(&folder).expect("project loads"))
}

fn spin(dir: &Path, bindings: &str) -> Workspace {
    project(
        dir,
        "spin",
        "std-interfaces-spin",
        &["put", "get", "incr", "swap", "keys", "setting"],
        bindings,
    )
}

fn wasmcloud(dir: &Path, bindings: &str) -> Workspace {
    project(
        dir,
        "wasmcloud",
        "std-interfaces",
        &["put", "get", "incr"],
        bindings,
    )
}

/// Both projects name `../data/kv.redb`: one file for the two SDKs.
const GRANTED: &str = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "grant"
store = "../data/kv.redb"
buckets = ["default", "cache"]

[bindings."*.wasi:config/*"]
mode = "grant"
config = { greeting = "hi" }
config-prefix = "PATCHBAY_SPIN_TEST_"

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#;

const FAKES: &str = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "kv"
values = { "cache/a" = "seeded" }

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = { greeting = "faked" }

[bindings."*.wasi:*"]
mode = "grant"
"#;

fn errors(ws: &Workspace) -> Vec<String> {
    ws.check()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect()
}

fn prepare(ws: &Workspace) -> Runnable {
    let errors = errors(ws);
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
fn the_spin_sdk_component_imports_spin_3s_versions() {
    let ws = spin(&temp(), GRANTED);
    let imports = &ws.compose().expect("composes").imports;
    for import in [
        "wasi:keyvalue/store@0.2.0-draft2",
        "wasi:keyvalue/atomics@0.2.0-draft2",
        "wasi:config/store@0.2.0-draft-2024-09-27",
    ] {
        assert!(imports.iter().any(|i| i == import), "{import}: {imports:?}");
    }
}

#[test]
fn both_versions_share_one_database_file_and_its_numbers() {
    let dir = temp();
    let cloud = prepare(&wasmcloud(&dir, GRANTED));
    assert_eq!(ok(&run(&cloud, r#"put("default", "a", "1")"#)), "ok");
    assert_eq!(ok(&run(&cloud, r#"incr("cache", "n", 5)"#)), "ok(5)");
    let sdk = prepare(&spin(&dir, GRANTED));
    assert_eq!(ok(&run(&sdk, r#"get("default", "a")"#)), r#"ok(some("1"))"#);
    // A signed increment of the same decimal number.
    assert_eq!(ok(&run(&sdk, r#"incr("cache", "n", -2)"#)), "ok(3)");
    assert_eq!(ok(&run(&cloud, r#"incr("cache", "n", 1)"#)), "ok(4)");
    assert_eq!(ok(&run(&sdk, r#"keys("cache")"#)), r#"ok(["n"])"#);
    // Buckets are apart in either version.
    assert_eq!(ok(&run(&sdk, r#"get("cache", "a")"#)), "ok(none)");
    // Data stays after everything is dropped.
    drop((cloud, sdk));
    let sdk = prepare(&spin(&dir, GRANTED));
    assert_eq!(ok(&run(&sdk, r#"get("default", "a")"#)), r#"ok(some("1"))"#);
}

#[test]
fn a_bucket_outside_the_grant_is_refused_with_a_scope_line() {
    let prepared = prepare(&spin(&temp(), GRANTED));
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
}

#[test]
fn compare_and_swap_swaps_only_what_is_unchanged() {
    let prepared = prepare(&spin(&temp(), GRANTED));
    assert_eq!(
        ok(&run(&prepared, r#"swap("default", "k", none, "first")"#)),
        "ok(true)"
    );
    assert_eq!(
        ok(&run(&prepared, r#"swap("default", "k", none, "again")"#)),
        "ok(false)"
    );
    assert_eq!(
        ok(&run(
            &prepared,
            r#"swap("default", "k", some("first"), "second")"#
        )),
        "ok(true)"
    );
    assert_eq!(
        ok(&run(&prepared, r#"get("default", "k")"#)),
        r#"ok(some("second"))"#
    );
}

#[test]
fn configuration_comes_from_the_table_and_the_environment_prefix() {
    std::env::set_var("PATCHBAY_SPIN_TEST_REGION", "eu-west");
    let prepared = prepare(&spin(&temp(), GRANTED));
    assert_eq!(
        ok(&run(&prepared, r#"setting("region")"#)),
        r#"ok(some("eu-west"))"#
    );
    assert_eq!(
        ok(&run(&prepared, r#"setting("greeting")"#)),
        r#"ok(some("hi"))"#
    );
    assert_eq!(ok(&run(&prepared, r#"setting("nothing")"#)), "ok(none)");
}

#[test]
fn the_fakes_serve_spin_3s_versions_and_check_names_the_wrong_one() {
    let dir = temp();
    let prepared = prepare(&spin(&dir, FAKES));
    assert_eq!(
        ok(&run(&prepared, r#"get("cache", "a")"#)),
        r#"ok(some("seeded"))"#
    );
    assert_eq!(
        ok(&run(&prepared, r#"setting("greeting")"#)),
        r#"ok(some("faked"))"#
    );
    assert!(!dir.join("data").exists(), "a fake writes no file");
    let wrong = r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "config"

[bindings."*.wasi:*"]
mode = "grant"
"#;
    let ws = spin(&temp(), wrong);
    let errors = errors(&ws);
    assert!(
        errors.iter().any(|e| e
            .contains("the `config` fake cannot stand in for `wasi:keyvalue/store@0.2.0-draft2`")),
        "{errors:?}"
    );
    assert!(host().prepare(&ws).is_err(), "check and prepare agree");
}
