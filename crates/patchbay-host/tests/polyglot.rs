//! The polyglot order pipeline (samples/order-pipeline-polyglot: a Python
//! validator built with componentize-py, a JavaScript tax calculator built
//! with componentize-js, the Rust invoice formatter and order service) is
//! composed, traced and run like the all-Rust one, and answers every order
//! exactly as it does.
//!
//! Its components are built by samples/polyglot/build.sh (scripts/setup.sh's
//! `build_samples`). They are large (12 and 18 MB), so this test uses the
//! host's disk cache of compiled components rather than compiling them in
//! memory on every run.

use patchbay_compose::Workspace;
use patchbay_host::{Host, HostOptions, Limits, RunMode, RunReport, Runnable};
use std::path::Path;
use std::sync::OnceLock;

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| Host::new(HostOptions::default()).expect("host starts"))
}

fn sample(name: &str) -> Workspace {
    let dir = Path::new(patchbay_test_programs::SAMPLES_DIR).join(name);
    let project = patchbay_project::load(&dir).unwrap_or_else(|e| {
        panic!("{name}: {e}\n(the polyglot components are built by samples/polyglot/build.sh)")
    });
    Workspace::open(project)
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

#[track_caller]
fn answer(report: &RunReport) -> &str {
    match &report.result {
        Ok(v) => v,
        Err(e) => panic!("{} failed: {e:?}\nstderr: {}", report.call, report.stderr),
    }
}

fn order(id: &str, customer: &str, region: &str, items: &[(&str, u32, u64)]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|(sku, quantity, cents)| {
            format!(r#"{{sku: "{sku}", quantity: {quantity}, unit-price-cents: {cents}}}"#)
        })
        .collect();
    format!(
        r#"process-order({{id: "{id}", customer: "{customer}", region: {region}, items: [{}], coupon: none}})"#,
        items.join(", ")
    )
}

/// Every region (each tax rule and flag), each validation error in the
/// Python validator, and the JavaScript calculator's refusal of a subtotal
/// above 10^12 cents (a u64 past 2^53, where a JS number would round).
fn orders() -> Vec<String> {
    vec![
        order("o-1", "acme", "eu", &[("a", 2, 1000), ("b", 1, 250)]),
        order("o-2", "acme", "us", &[("c", 3, 999)]),
        order("o-3", "globex", "apac", &[("d", 1, 5000)]),
        order("o-4", "acme", "eu", &[("e", 7, 333_333)]),
        order("o-5", "acme", "eu", &[]),
        order("o-6", "acme", "eu", &[("f", 1, 10), ("g", 0, 100)]),
        order("o-7", "", "eu", &[("h", 1, 100)]),
        order("o-8", "blocked", "us", &[("i", 1, 100)]),
        order("o-9", "acme", "eu", &[("j", 1, 999_999_999_999_999)]),
        order("o-10", "acme", "us", &[("k", 1, 1_000_000_000_000)]),
    ]
}

#[test]
fn polyglot_pipeline_answers_as_the_rust_one_composed_and_traced() {
    let rust = sample("order-pipeline");
    let polyglot = sample("order-pipeline-polyglot");
    let rust_run = prepare(&rust, false);
    let composed = prepare(&polyglot, false);
    let traced = prepare(&polyglot, true);
    assert!(traced.is_traced(), "{:?}", traced.fallback_reason());

    let (mut oks, mut errs) = (0, 0);
    for call in orders() {
        let expected = run(&rust_run, &call);
        let expected = answer(&expected);
        let c = run(&composed, &call);
        assert_eq!(c.mode, RunMode::Composed);
        assert_eq!(answer(&c), expected, "composed: {call}");
        let t = run(&traced, &call);
        assert_eq!(t.mode, RunMode::Traced);
        assert_eq!(answer(&t), expected, "traced: {call}");
        if expected.starts_with("ok(") {
            oks += 1;
        } else {
            errs += 1;
        }

        // The trace shows the calls that crossed into the Python and the
        // JavaScript node, with their answers.
        let into = |node: &str| t.trace.iter().filter(|e| e.callee == node).count();
        assert_eq!(into("validator"), 1, "{call}: {:#?}", t.trace);
        let check = t.trace.iter().find(|e| e.callee == "validator").unwrap();
        assert_eq!(check.caller, "orders");
        assert_eq!(check.function, "patchbay:orders/validate@0.1.0#check");
        if expected.starts_with("err(") && !expected.contains("tax-failed") {
            // A refused order never reaches the tax calculator.
            assert_eq!(check.result, expected, "{call}");
            assert_eq!(into("tax"), 0, "{call}: {:#?}", t.trace);
        } else {
            assert_eq!(check.result, "ok", "{call}");
            let quote = t.trace.iter().find(|e| e.callee == "tax").unwrap();
            assert_eq!(quote.function, "patchbay:orders/tax@0.1.0#quote");
            assert!(
                quote.result.starts_with("ok({rule: ")
                    || quote.result == r#"err("subtotal too large")"#,
                "{call}: {quote:?}"
            );
        }
    }
    assert_eq!((oks, errs), (5, 5), "the orders cover both outcomes");
}
