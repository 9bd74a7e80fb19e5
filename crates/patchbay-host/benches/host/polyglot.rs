//! (g) The polyglot components next to the Rust ones: the validator in
//! Rust and in Python (componentize-py), the tax calculator in Rust and in
//! JavaScript (componentize-js), each alone as a one-node project, through
//! the host's own paths: `prepare` (compile and link, no disk cache), a
//! whole `run` (a fresh Store, instantiate, the call, the report) and a
//! call on a live session's kept instance. Instantiation is the run minus
//! the kept-instance call.

use super::*;

/// One component to measure: its label, language, file, the export the
/// project names and the call made.
struct Case {
    label: &'static str,
    language: &'static str,
    file: &'static str,
    export: &'static str,
    call: &'static str,
}

const ORDER: &str = r#"check({id: "o-1", customer: "acme", region: eu, items: [{sku: "a", quantity: 2, unit-price-cents: 1000}, {sku: "b", quantity: 1, unit-price-cents: 250}], coupon: none})"#;
const QUOTE: &str = "quote(eu, 2250)";

const CASES: [Case; 4] = [
    Case {
        label: "validator",
        language: "Rust",
        file: "validator.wasm",
        export: "patchbay:orders/validate@0.1.0",
        call: ORDER,
    },
    Case {
        label: "validator-py",
        language: "Python (componentize-py)",
        file: "validator-py.wasm",
        export: "patchbay:orders/validate@0.1.0",
        call: ORDER,
    },
    Case {
        label: "tax-calculator",
        language: "Rust",
        file: "tax-calculator.wasm",
        export: "patchbay:orders/tax@0.1.0",
        call: QUOTE,
    },
    Case {
        label: "tax-calculator-js",
        language: "JavaScript (componentize-js)",
        file: "tax-calculator-js.wasm",
        export: "patchbay:orders/tax@0.1.0",
        call: QUOTE,
    },
];

/// A one-node project of `case` in `dir`.
fn one_node(dir: &Path, case: &Case) -> Workspace {
    let wasm = Path::new(patchbay_test_programs::SAMPLES_DIR)
        .join("wasm")
        .join(case.file);
    let toml = format!(
        "version = 1\nname = \"bench-{}\"\n\n[components.c]\npath = {:?}\n\n[nodes.n]\ncomponent = \"c\"\nposition = {{ x = 0.0, y = 0.0 }}\n\n[[exports]]\nfrom = \"n.{}\"\n\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n",
        case.label,
        wasm.display().to_string(),
        case.export
    );
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    open(dir)
}

pub(crate) fn polyglot_calls(out: &mut Out, sizes: &Sizes) {
    let reps = (sizes.reps * 20).max(5);
    let limits = Limits::default();
    let rt = runtime();
    out.line("### (g) Polyglot components next to Rust: compile, instantiate, call");
    out.line("");
    out.line(format!(
        "One-node projects, `*.wasi:*` granted; the validator's `check` of a two-item order and \
         the tax calculator's `quote(eu, 2250)`. Compile: `Host::prepare` in a host without a \
         disk cache (once). Run: `Host::run`, a fresh Store, instantiate, call and report \
         (median of {reps}). Call: the same call on a live session's kept instance (median of \
         {reps}). Instantiate = run − call."
    ));
    out.line("");
    out.line(
        "| component | language | size KiB | compile ms | run µs | call µs | instantiate µs |",
    );
    out.line("|---|---|---:|---:|---:|---:|---:|");
    for case in &CASES {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws = one_node(dir.path(), case);
        let size = std::fs::metadata(
            Path::new(patchbay_test_programs::SAMPLES_DIR)
                .join("wasm")
                .join(case.file),
        )
        .map(|m| m.len())
        .unwrap_or_else(|e| panic!("{}: {e} (built by samples/polyglot/build.sh)", case.file));
        let host = new_host(HostOptions {
            cache_dir: None,
            ..HostOptions::default()
        });
        let started = Instant::now();
        let prepared = host
            .prepare(&ws)
            .unwrap_or_else(|e| panic!("{}: prepare: {e}", case.label));
        let compile = started.elapsed();
        let prepared = Arc::new(prepared);
        let mut runs = Vec::with_capacity(reps);
        for _ in 0..reps {
            let started = Instant::now();
            let report = rt.block_on(host.run(&prepared, case.call, &limits));
            runs.push(started.elapsed());
            assert!(
                report.result.is_ok(),
                "{} {}: {:?}",
                case.label,
                case.call,
                report.result
            );
        }
        let mut session = host.session(prepared.clone());
        let first = rt
            .block_on(host.call_in(&mut session, case.call, &limits))
            .unwrap_or_else(|e| panic!("{}: session: {e:?}", case.label));
        assert!(first.result.is_ok(), "{}: {:?}", case.label, first.result);
        let mut calls = Vec::with_capacity(reps);
        for _ in 0..reps {
            let started = Instant::now();
            let report = rt
                .block_on(host.call_in(&mut session, case.call, &limits))
                .unwrap_or_else(|e| panic!("{}: session: {e:?}", case.label));
            calls.push(started.elapsed());
            black_box(report);
        }
        let (run, call) = (median(runs), median(calls));
        out.line(format!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            case.label,
            case.language,
            size / 1024,
            millis(compile),
            micros(run),
            micros(call),
            micros(run.saturating_sub(call)),
        ));
    }
    out.line("");
}
