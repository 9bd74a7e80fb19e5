//! Calls whose arguments or results are streams or futures (WASI 0.3), on
//! `samples/streams`' components: a `stream<T>` argument is written as the
//! WAVE list of its items, a `future<T>` argument as its value; a stream
//! result is read to its end (capped) and shown as a list, a future result
//! is awaited. Composed and traced runs share the call path, so both are
//! checked.

use patchbay_compose::Workspace;
use patchbay_host::{streams, FailureKind, Host, HostOptions, Limits, RunReport, Runnable};
use std::path::Path;
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

/// The streams sample wired as in `samples/streams`, exporting the
/// summer's stream- and future-taking functions and the counter's
/// `numbers` interface as well.
fn project(dir: &Path) -> Workspace {
    let counter = Path::new(patchbay_test_programs::STREAM_COUNTER);
    let summer = Path::new(patchbay_test_programs::STREAM_SUMMER);
    let text = format!(
        r#"version = 1
name = "stream-args"

[components.counter]
path = {counter:?}

[components.summer]
path = {summer:?}

[nodes.counter]
component = "counter"

[nodes.summer]
component = "summer"

[[wires]]
from = "counter.patchbay:streams/numbers@0.1.0"
to = "summer.patchbay:streams/numbers@0.1.0"

[[exports]]
from = "summer.sum-stream"

[[exports]]
from = "summer.double-later"

[[exports]]
from = "summer.doubled"

[[exports]]
from = "counter.patchbay:streams/numbers@0.1.0"

[bindings."*.wasi:*"]
mode = "grant"
"#
    );
    std::fs::write(dir.join("patchbay.toml"), text).unwrap();
    let ws = Workspace::open(patchbay_project::load(dir).expect("project loads"));
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "check: {errors:?}");
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
fn stream_and_future_arguments_and_results_are_written_as_wave() {
    let dir = tempfile::tempdir().unwrap();
    let ws = project(dir.path());
    for traced in [false, true] {
        let p = prepare(&ws, traced);
        for (call, expected) in [
            ("sum-stream([1, 2, 3])", "6"),
            ("sum-stream([])", "0"),
            ("sum-stream([4294967295, 1])", "4294967296"),
            ("double-later(21)", "42"),
            ("doubled(5)", "10"),
            ("patchbay:streams/numbers@0.1.0#count(4)", "[1, 2, 3, 4]"),
            ("patchbay:streams/numbers@0.1.0#count(0)", "[]"),
        ] {
            let report = run(&p, call);
            assert_eq!(
                report.result.as_deref(),
                Ok(expected),
                "{call} (traced: {traced})"
            );
        }
    }
}

#[test]
fn a_long_stream_result_is_cut_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = prepare(&project(dir.path()), false);
    let n = streams::MAX_STREAM_ITEMS + 5;
    let report = run(&p, &format!("patchbay:streams/numbers@0.1.0#count({n})"));
    let text = report.result.expect("count answers");
    let last = streams::MAX_STREAM_ITEMS;
    assert!(text.starts_with("[1, 2, 3, "), "{}", &text[..40]);
    assert!(
        text.ends_with(&format!(
            ", {last}] (the stream's first {last} items; the rest were dropped)"
        )),
        "{}",
        &text[text.len() - 120..]
    );
}

#[test]
fn stream_and_future_arguments_that_do_not_fit_are_refused_with_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let p = prepare(&project(dir.path()), false);
    for (call, words) in [
        (
            "sum-stream(5)",
            &[
                "`sum-stream(numbers: stream<u32>)`",
                "`numbers`",
                "WAVE list",
            ][..],
        ),
        ("sum-stream([\"a\"])", &["`numbers`", "u32"][..]),
        ("sum-stream([-1])", &["`numbers`"][..]),
        ("double-later([1])", &["`n`", "future<u32>"][..]),
        ("sum-stream()", &["0 argument(s) given, 1 expected"][..]),
    ] {
        let failure = run(&p, call).result.expect_err(call);
        assert_eq!(
            failure.kind,
            FailureKind::BadCall,
            "{call}: {}",
            failure.message
        );
        for w in words {
            assert!(
                failure.message.contains(w),
                "{call}: {w} in {}",
                failure.message
            );
        }
    }
}
