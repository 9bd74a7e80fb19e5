//! Sealed artifacts run: a project composed with `compose_sealed` is
//! written out and run as the one component of a new project. A call that
//! reaches a sealed denial fails as `denied`, naming the node, interface
//! and function (from the deny stub's name section, so any engine's
//! backtrace shows the same); calls that reach nothing denied still answer.
//! A call that reaches a sealed mock answers exactly what the host's mock
//! answers for the same project, and mock stubs called directly (with
//! Wasmtime, outside the host) answer each behaviour's values in turn.

use patchbay_compose::{Sealed, StubKind, Workspace, MOCK_PREFIX};
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

/// Runs `call` as the app does (traced when the nodes bind alike imports
/// differently); its result.
fn run_in_app(prepared: &patchbay_host::Runnable, call: &str) -> String {
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run(prepared, call, &Limits::default()));
    report
        .result
        .unwrap_or_else(|e| panic!("{call} in the app: {e:?}"))
}

#[test]
fn the_sealed_sandbox_demo_answers_what_its_mocks_answer_in_the_host() {
    let ws = open(&Path::new(patchbay_test_programs::SAMPLES_DIR).join("sandbox-demo"));
    let sealed = seal(&ws);
    assert_eq!(
        sealed
            .stubs
            .iter()
            .filter(|s| s.kind == StubKind::Mock && s.node == "mocked")
            .count(),
        3
    );
    let in_app = host()
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare sandbox-demo: {e}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(dir.path(), &sealed, &["granted", "mocked", "denied"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    for call in [
        r#"mocked#read-env("GREETING")"#,
        r#"mocked#read-env("OTHER")"#,
        r#"mocked#read-file("/data/hello.txt")"#,
        r#"mocked#fetch("http://127.0.0.1:8080/")"#,
    ] {
        let report = run(&prepared, call);
        let value = report.result.unwrap_or_else(|e| panic!("{call}: {e:?}"));
        assert!(
            report.mock_calls.is_empty(),
            "the host mocked nothing itself"
        );
        let expected = run_in_app(&in_app, call);
        assert_eq!(value, expected, "{call}");
    }
    let value = run(&prepared, r#"mocked#read-env("GREETING")"#)
        .result
        .unwrap();
    assert!(value.contains("hello from a mock"), "{value}");
    let value = run(&prepared, r#"mocked#fetch("http://127.0.0.1:8080/")"#)
        .result
        .unwrap();
    assert!(value.contains("answered by a mock"), "{value}");
}

/// An order-service project: `validate`, `tax` and `format` mocked with
/// `VALIDATE`, `TAX` and `FORMAT`; `ledger` (a resource) wired to the
/// invoice-formatter's real one.
const ORDERS: &str = r#"
version = 1
name = "orders-mocked"

[components.order-service]
path = "ORDER_SERVICE"

[nodes.orders]
component = "order-service"

[[exports]]
from = "orders.process-order"

[bindings."orders.patchbay:orders/validate@0.1.0"]
mode = "mock"
functions.check = VALIDATE

[bindings."orders.patchbay:orders/tax@0.1.0"]
mode = "mock"
functions.quote = TAX

[bindings."orders.patchbay:orders/format@0.1.0"]
mode = "mock"
functions.render = FORMAT

[components.invoice-formatter]
path = "LEDGER_COMPONENT"

[nodes.formatter]
component = "invoice-formatter"

[[wires]]
from = "formatter.patchbay:orders/ledger@0.1.0"
to = "orders.patchbay:orders/ledger@0.1.0"

[bindings."*.wasi:*"]
mode = "leave"
"#;

const ORDER: &str = r#"process-order({id: "o-1", customer: "ada", region: eu, items: [{sku: "pen", quantity: 2, unit-price-cents: 50}], coupon: some("TEN")})"#;

fn orders_project(validate: &str, tax: &str, format: &str) -> (tempfile::TempDir, Workspace) {
    let toml = ORDERS
        .replace(
            "LEDGER_COMPONENT",
            patchbay_test_programs::INVOICE_FORMATTER,
        )
        .replace("ORDER_SERVICE", patchbay_test_programs::ORDER_SERVICE)
        .replace("VALIDATE", validate)
        .replace("TAX", tax)
        .replace("FORMAT", format);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = open(dir.path());
    (dir, ws)
}

/// Runs `call` on the project in the host (its mocks) and on its sealed
/// artifact; both results.
fn host_and_sealed(ws: &Workspace, call: &str) -> (RunReport, RunReport, Sealed) {
    let prepared = host()
        .prepare_composed(ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let in_host = run(&prepared, call);
    let sealed = seal(ws);
    let dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(dir.path(), &sealed, &["process-order"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let in_artifact = run(&prepared, call);
    (in_host, in_artifact, sealed)
}

#[test]
fn sealed_mocks_answer_what_the_host_mocks_answer() {
    let (_dir, ws) = orders_project(
        r#"{ returns = "ok" }"#,
        r#"{ cases = [{ args = "(us, 100)", returns = 'err("wrong case")' }, { args = "(eu, 100)", returns = "ok({rule: standard(2000), flags: {exempt, reverse-charge}, amount-cents: 20})" }], returns = 'err("no rule")' }"#,
        r#"{ returns = '"INVOICE o-1 \u{1F4E6}"' }"#,
    );
    let (in_host, in_artifact, sealed) = host_and_sealed(&ws, ORDER);
    let mocks: Vec<&str> = sealed
        .stubs
        .iter()
        .filter(|s| s.kind == StubKind::Mock)
        .map(|s| s.import.as_str())
        .collect();
    assert_eq!(mocks.len(), 3, "{mocks:?}");
    let expected = r#"ok({order-id: "o-1", subtotal-cents: 100, tax-cents: 20, total-cents: 120, text: "INVOICE o-1 📦"})"#;
    assert_eq!(
        in_host.result.as_deref().ok(),
        Some(expected),
        "{in_host:?}"
    );
    assert_eq!(
        in_artifact.result.as_deref().ok(),
        Some(expected),
        "{in_artifact:?}"
    );
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    assert_eq!(in_host.mock_calls.len(), 3, "{:?}", in_host.mock_calls);
    assert!(
        in_artifact.mock_calls.is_empty(),
        "the host mocked nothing itself"
    );
}

#[test]
fn sealed_mocks_answer_errors_fallbacks_and_traps_like_the_host() {
    // `validate` refuses with a variant carrying a string.
    let (_dir, ws) = orders_project(
        r#"{ returns = 'err(invalid-quantity("pen: 0"))' }"#,
        r#"{ returns = 'err("unused")' }"#,
        r#"{ returns = '""' }"#,
    );
    let (in_host, in_artifact, _) = host_and_sealed(&ws, ORDER);
    let expected = r#"err(invalid-quantity("pen: 0"))"#;
    assert_eq!(
        in_host.result.as_deref().ok(),
        Some(expected),
        "{in_host:?}"
    );
    assert_eq!(
        in_artifact.result.as_deref().ok(),
        Some(expected),
        "{in_artifact:?}"
    );
    // No case matches: the fallback answers.
    let (_dir, ws) = orders_project(
        r#"{ returns = "ok" }"#,
        r#"{ cases = [{ args = "(eu, 7)", returns = 'err("seven")' }], returns = 'err("no rule")' }"#,
        r#"{ returns = '""' }"#,
    );
    let (in_host, in_artifact, _) = host_and_sealed(&ws, ORDER);
    let expected = r#"err(tax-failed("no rule"))"#;
    assert_eq!(
        in_host.result.as_deref().ok(),
        Some(expected),
        "{in_host:?}"
    );
    assert_eq!(
        in_artifact.result.as_deref().ok(),
        Some(expected),
        "{in_artifact:?}"
    );
    // A sequence's first value, per run.
    let (_dir, ws) = orders_project(
        r#"{ sequence = ['err(empty-order)', "ok"] }"#,
        r#"{ returns = 'err("unused")' }"#,
        r#"{ returns = '""' }"#,
    );
    let (in_host, in_artifact, _) = host_and_sealed(&ws, ORDER);
    assert_eq!(
        in_host.result.as_deref().ok(),
        Some("err(empty-order)"),
        "{in_host:?}"
    );
    assert_eq!(
        in_artifact.result.as_deref().ok(),
        Some("err(empty-order)"),
        "{in_artifact:?}"
    );
    // A trap, and no case without a fallback: both runs fail.
    for tax in [
        r#"{ trap = "tax service down" }"#,
        r#"{ cases = [{ args = "(us, 1)", returns = 'err("x")' }] }"#,
    ] {
        let (_dir, ws) = orders_project(r#"{ returns = "ok" }"#, tax, r#"{ returns = '""' }"#);
        let (in_host, in_artifact, _) = host_and_sealed(&ws, ORDER);
        assert!(in_host.result.is_err(), "{in_host:?}");
        let failure = in_artifact.result.expect_err("the sealed mock traps");
        assert_eq!(failure.kind, FailureKind::Trap, "{}", failure.message);
        if tax.contains("trap") {
            assert!(
                failure.message.starts_with(MOCK_PREFIX)
                    && failure.message.contains(&format!(
                        " called {TAX}#quote: trap: tax service down, a mock sealed into the component"
                    )),
                "{}",
                failure.message
            );
        }
    }
}

/// A stub component instantiated alone with Wasmtime, its imports (type
/// interfaces only) given as empty instances.
struct StubRun {
    store: wasmtime::Store<()>,
    instance: wasmtime::component::Instance,
}

impl StubRun {
    fn new(bytes: &[u8], imports: &[String]) -> Self {
        let engine = wasmtime::Engine::default();
        let component = wasmtime::component::Component::new(&engine, bytes).expect("compiles");
        let mut linker = wasmtime::component::Linker::<()>::new(&engine);
        for import in imports {
            linker.instance(import).expect("an empty instance");
        }
        let mut store = wasmtime::Store::new(&engine, ());
        let instance = linker
            .instantiate(&mut store, &component)
            .expect("instantiates");
        Self { store, instance }
    }

    /// Calls `function` of `interface` with WAVE arguments; its result as
    /// WAVE, or the error with its backtrace.
    fn call(&mut self, interface: &str, function: &str, args: &[&str]) -> Result<String, String> {
        let iface = self
            .instance
            .get_export_index(&mut self.store, None, interface)
            .expect("the interface");
        let index = self
            .instance
            .get_export_index(&mut self.store, Some(&iface), function)
            .expect("the function");
        let func = self
            .instance
            .get_func(&mut self.store, index)
            .expect("a function");
        let ty = func.ty(&self.store);
        let params: Vec<wasmtime::component::Val> = ty
            .params()
            .zip(args)
            .map(|((_, t), a)| wasmtime::component::Val::from_wave(&t, a).expect("an argument"))
            .collect();
        let mut results = vec![wasmtime::component::Val::Bool(false); ty.results().len()];
        func.call(&mut self.store, &params, &mut results)
            .map_err(|e| format!("{e:?}"))?;
        Ok(results
            .first()
            .map(|v| v.to_wave().expect("WAVE"))
            .unwrap_or_else(|| "()".into()))
    }
}

fn tax_stub(tax: &str) -> StubRun {
    let (_dir, ws) = orders_project(r#"{ returns = "ok" }"#, tax, r#"{ returns = '""' }"#);
    let sealed = seal(&ws);
    let stub = sealed
        .stubs
        .iter()
        .find(|s| s.import.starts_with("patchbay:orders/tax"))
        .expect("a tax stub");
    let imports: Vec<String> = stub_imports(&stub.bytes);
    StubRun::new(&stub.bytes, &imports)
}

fn stub_imports(bytes: &[u8]) -> Vec<String> {
    patchbay_inspect::describe_component(bytes, Path::new("<stub>"))
        .expect("describes")
        .imports
        .into_iter()
        .map(|p| p.name)
        .collect()
}

const TAX: &str = "patchbay:orders/tax@0.1.0";

#[test]
fn a_sequence_stub_answers_in_turn_and_repeats_the_last() {
    let mut stub = tax_stub(
        r#"{ sequence = ['err("first")', "ok({rule: reduced(550), flags: {reduced-rate}, amount-cents: 5})", 'ok({rule: exempt, flags: {}, amount-cents: 0})'] }"#,
    );
    let answers: Vec<String> = (0..5)
        .map(|_| stub.call(TAX, "quote", &["eu", "100"]).expect("answers"))
        .collect();
    assert_eq!(
        answers,
        [
            r#"err("first")"#,
            "ok({rule: reduced(550), flags: {reduced-rate}, amount-cents: 5})",
            "ok({rule: exempt, flags: {}, amount-cents: 0})",
            "ok({rule: exempt, flags: {}, amount-cents: 0})",
            "ok({rule: exempt, flags: {}, amount-cents: 0})",
        ]
    );
}

#[test]
fn a_cases_stub_matches_enum_and_integer_arguments() {
    let mut stub = tax_stub(
        r#"{ cases = [{ args = "(eu, 100)", returns = 'err("eu 100")' }, { args = "(apac, 18446744073709551615)", returns = 'err("apac max")' }] }"#,
    );
    assert_eq!(
        stub.call(TAX, "quote", &["eu", "100"]).as_deref(),
        Ok(r#"err("eu 100")"#)
    );
    assert_eq!(
        stub.call(TAX, "quote", &["apac", "18446744073709551615"])
            .as_deref(),
        Ok(r#"err("apac max")"#)
    );
    let e = stub
        .call(TAX, "quote", &["us", "100"])
        .expect_err("no case");
    assert!(
        e.contains(&format!(
            "{MOCK_PREFIX}orders called {TAX}#quote: no case matches the arguments"
        )),
        "{e}"
    );
}

#[test]
fn a_trap_stub_names_the_mock_in_the_backtrace() {
    let mut stub = tax_stub(r#"{ trap = "tax service down" }"#);
    let e = stub.call(TAX, "quote", &["eu", "1"]).expect_err("traps");
    assert!(
        e.contains(&format!(
            "{MOCK_PREFIX}orders called {TAX}#quote: trap: tax service down"
        )),
        "{e}"
    );
}

#[test]
fn a_string_cases_stub_matches_string_arguments() {
    let toml = format!(
        r#"version = 1
name = "kv-cases"

[components.kv-service]
path = "{}"

[nodes.service]
component = "kv-service"

[[exports]]
from = "service.handle-request"

[bindings."service.patchbay:kv/store"]
mode = "mock"
functions.get = {{ cases = [{{ args = '("a")', returns = 'some("one")' }}, {{ args = '("ключ")', returns = 'some("значение")' }}], returns = "none" }}
functions.set = {{ returns = "()" }}

[bindings."*.wasi:*"]
mode = "deny"
"#,
        patchbay_test_programs::KV_SERVICE
    );
    let project = tempfile::tempdir().expect("temp dir");
    std::fs::write(project.path().join("patchbay.toml"), toml).expect("write project");
    let ws = open(project.path());
    let sealed = seal(&ws);
    assert!(
        sealed.composed.imports.is_empty(),
        "{:?}",
        sealed.composed.imports
    );
    let prepared_host = host().prepare_composed(&ws).expect("prepare the project");
    let dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(dir.path(), &sealed, &["handle-request"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    for (call, expected) in [
        (r#"handle-request("get a")"#, r#""one""#),
        (r#"handle-request("get ключ")"#, r#""значение""#),
        (r#"handle-request("get ab")"#, r#""not found: ab""#),
        (r#"handle-request("get b")"#, r#""not found: b""#),
        (r#"handle-request("set a 1")"#, r#""ok""#),
    ] {
        let in_host = run(&prepared_host, call);
        let in_artifact = run(&prepared, call);
        assert_eq!(
            in_artifact.result.as_deref().ok(),
            Some(expected),
            "{call}: {in_artifact:?}"
        );
        assert_eq!(
            in_host.result.as_deref().ok(),
            Some(expected),
            "{call}: {in_host:?}"
        );
    }
}

/// A composite node's bindings are sealed like any node's: the denial set
/// on the composite node's port is composed in front of the composite's
/// component, so the node inside it traps naming the composite node, and a
/// node beside it with the same component keeps its grant.
#[test]
fn a_composite_nodes_denial_is_sealed_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = format!(
        r#"version = 2
name = "boxed"

[components.sandbox-demo]
path = {path:?}

[composites.boxed.nodes.probe]
component = "sandbox-demo"

[[composites.boxed.exports]]
from = "probe.patchbay:sandbox/probe"

[nodes.inside]
composite = "boxed"

[nodes.outside]
component = "sandbox-demo"

[[exports]]
from = "inside.patchbay:sandbox/probe"
as = "inside"

[[exports]]
from = "outside.patchbay:sandbox/probe"
as = "outside"

[bindings."inside.wasi:cli/environment@0.2.12"]
mode = "deny"

[bindings."*.wasi:*"]
mode = "grant"
"#,
        path = patchbay_test_programs::SANDBOX_DEMO
    );
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = open(dir.path());
    let sealed = seal(&ws);
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    assert!(
        sealed.stubs.iter().any(|s| s.kind == StubKind::Deny
            && s.node == "inside"
            && s.import == "wasi:cli/environment@0.2.12"),
        "{:?}",
        sealed
            .stubs
            .iter()
            .map(|s| (s.kind, &s.node, &s.import))
            .collect::<Vec<_>>()
    );

    // In Patchbay (the composite's inner node runs under the composite
    // node's binding) and in the artifact, the inside probe is denied.
    let in_app = host()
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let call = r#"inside#read-env("HOME")"#;
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(host().run(&in_app, call, &Limits::default()));
    let failure = report
        .result
        .as_ref()
        .expect_err("the denial holds in Patchbay");
    assert_eq!(failure.kind, FailureKind::Denied, "{}", failure.message);

    let art_dir = tempfile::tempdir().expect("temp dir");
    let artifact = artifact_project(art_dir.path(), &sealed, &["inside", "outside"]);
    let prepared = host()
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let report = run(&prepared, call);
    let failure = report.result.as_ref().expect_err("the denial is sealed in");
    assert_eq!(failure.kind, FailureKind::Denied, "{}", failure.message);
    assert!(
        failure
            .message
            .starts_with("denied: node inside called wasi:cli/environment@0.2.12#get-environment"),
        "{}",
        failure.message
    );
    // The node beside it, granted an empty environment, answers.
    let report = run(&prepared, r#"outside#read-env("HOME")"#);
    assert_eq!(
        report.result.as_deref(),
        Ok(r#"err("cannot read env HOME: environment variable not found")"#),
        "{:?}",
        report.result
    );
}
