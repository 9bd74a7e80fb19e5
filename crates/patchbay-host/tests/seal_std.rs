//! Data-store fakes, sealed: the artifact answers them itself, no longer
//! imports them, and every call answers what Patchbay answered.
//!
//! - the `config` fake of the standard `wasi:config/store`, on the
//!   `std-interfaces` sample (wasmCloud's SDK, unmodified; its key-value
//!   store denied and its logging left open);
//! - a `kv` fake with `functions` overrides (kv-service): the mock answers
//!   the functions it sets, the fake the others;
//! - the `kv` fake of the standard `wasi:keyvalue`, at wasmCloud's
//!   `@0.2.0-draft` (`std-interfaces`) and Spin 3's `@0.2.0-draft2`
//!   (`std-interfaces-spin`), run in live sessions so writes last.

use patchbay_compose::{mock_trap_name, StubKind, Workspace};
use patchbay_host::{Host, HostOptions, Limits, RunReport, SessionEnded};
use std::path::Path;

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn open(dir: &Path, text: &str) -> Workspace {
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

#[test]
fn the_sealed_standard_config_fake_answers_its_values_and_imports_no_config() {
    let wasm = Path::new(patchbay_test_programs::SAMPLES_DIR).join("wasm/std-interfaces.wasm");
    let dir = tempfile::tempdir().expect("temp dir");
    // A value with quotes, a backslash and a line break, as WAVE must
    // escape them, and an empty one.
    let project = format!(
        r#"version = 1
name = "config-sealed"

[components.app]
path = {path:?}

[nodes.app]
component = "app"

[[exports]]
from = "app.setting"

[[exports]]
from = "app.greet"

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = {{ greeting = "hi from the fake", quoted = "say \"x\" \\ then\nnext", empty = "" }}

[bindings."*.wasi:keyvalue/*"]
mode = "deny"

[bindings."*.wasi:logging/*"]
mode = "leave"

[bindings."*.wasi:*"]
mode = "grant"
"#,
        path = wasm.display().to_string()
    );
    let ws = open(dir.path(), &project);
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let config: Vec<_> = sealed
        .stubs
        .iter()
        .filter(|s| s.import.starts_with("wasi:config/"))
        .map(|s| s.kind)
        .collect();
    assert_eq!(
        config,
        [StubKind::Fake],
        "one fake stub serves the config store"
    );
    let imports = &sealed.composed.imports;
    assert!(
        imports.iter().all(|i| !i.starts_with("wasi:config/")),
        "the artifact still imports the config store: {imports:?}"
    );
    assert!(
        imports.iter().all(|i| !i.starts_with("wasi:keyvalue/")),
        "the denied key-value store is sealed too: {imports:?}"
    );

    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let in_app = host
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), &sealed.composed.bytes)
        .expect("write artifact");
    // The runner grants the artifact's remaining imports; it has no config
    // store to offer, and needs none.
    let artifact = open(
        art_dir.path(),
        r#"version = 1
name = "sealed"

[components.sealed]
path = "sealed.wasm"

[nodes.sealed]
component = "sealed"

[[exports]]
from = "sealed.setting"

[[exports]]
from = "sealed.greet"

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    let prepared = host
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let cases = [
        (
            r#"setting("greeting")"#,
            Some(r#"ok(some("hi from the fake"))"#),
        ),
        (
            r#"setting("quoted")"#,
            Some(r#"ok(some("say \"x\" \\ then\nnext"))"#),
        ),
        (r#"setting("empty")"#, Some(r#"ok(some(""))"#)),
        (r#"setting("missing")"#, Some("ok(none)")),
        (r#"greet("ada")"#, None),
    ];
    for (call, expected) in cases {
        let outside = block_on(host.run_composed(&prepared, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in the sealed artifact: {e:?}"));
        let inside = block_on(host.run(&in_app, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in Patchbay: {e:?}"));
        assert_eq!(outside, inside, "{call}: the artifact and Patchbay differ");
        if let Some(expected) = expected {
            assert_eq!(outside, expected, "{call}");
        }
    }
}

/// A `kv` fake with `functions` overrides, sealed: the functions the
/// binding sets answer the mock's values (a trap named after the mock, a
/// fixed value), the others the fake (seeded values, writes), as in
/// Patchbay, and the artifact no longer imports the store.
#[test]
fn a_sealed_fake_with_overrides_answers_the_mock_for_those_and_the_fake_for_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = format!(
        r#"version = 1
name = "overridden"

[components.kv-service]
path = {path:?}

[nodes.read-only]
component = "kv-service"

[nodes.fixed]
component = "kv-service"

[[exports]]
from = "read-only.handle-request"
as = "read-only"

[[exports]]
from = "fixed.handle-request"
as = "fixed"

[bindings."read-only.patchbay:kv/store"]
mode = "mock"
fake = "kv"
values = {{ a = "one" }}
functions.set = {{ trap = "read-only store" }}

[bindings."fixed.patchbay:kv/store"]
mode = "mock"
fake = "kv"
values = {{ a = "one" }}
functions.get = {{ cases = [{{ args = '("a")', returns = 'some("mocked a")' }}], returns = "none" }}

[bindings."*.wasi:*"]
mode = "grant"
"#,
        path = patchbay_test_programs::KV_SERVICE
    );
    let ws = open(dir.path(), &project);
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let mut fakes: Vec<(&str, &[String])> = sealed
        .stubs
        .iter()
        .filter(|s| s.kind == StubKind::Fake)
        .map(|s| (s.node.as_str(), &s.functions[..]))
        .collect();
    fakes.sort();
    let both = ["patchbay:kv/store#get", "patchbay:kv/store#set"].map(String::from);
    assert_eq!(fakes, [("fixed", &both[..]), ("read-only", &both[..])]);
    let imports = &sealed.composed.imports;
    assert!(
        imports.iter().all(|i| !i.starts_with("patchbay:kv/")),
        "the artifact still imports the store: {imports:?}"
    );
    // The overridden function's trap is named after the mock in the stub.
    let read_only = sealed
        .stubs
        .iter()
        .find(|s| s.node == "read-only")
        .expect("the read-only node's stub");
    assert!(
        String::from_utf8_lossy(&read_only.bytes).contains(&mock_trap_name(
            "read-only",
            "patchbay:kv/store#set",
            "trap: read-only store"
        )),
        "the trap is named after the mock"
    );

    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let in_app = host
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), &sealed.composed.bytes)
        .expect("write artifact");
    let artifact = open(
        art_dir.path(),
        r#"version = 1
name = "sealed"

[components.sealed]
path = "sealed.wasm"

[nodes.sealed]
component = "sealed"

[[exports]]
from = "sealed.read-only"

[[exports]]
from = "sealed.fixed"

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    let runnable = std::sync::Arc::new(
        host.prepare(&artifact)
            .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}")),
    );
    let in_app = std::sync::Arc::new(in_app);
    // One live session each, so the fake's writes last from call to call.
    let mut outside = host.session(runnable);
    let mut inside = host.session(in_app);
    let cases = [
        // The fake answers `get` from its seeded values.
        (r#"read-only("get a")"#, r#""one""#),
        (r#"read-only("get b")"#, r#""not found: b""#),
        // The mock answers `get`; the fake's `set` stores, unseen by it.
        (r#"fixed("get a")"#, r#""mocked a""#),
        (r#"fixed("get b")"#, r#""not found: b""#),
        (r#"fixed("set b 2")"#, r#""ok""#),
        (r#"fixed("get b")"#, r#""not found: b""#),
    ];
    for (call, expected) in cases {
        let answer = |report: Result<RunReport, SessionEnded>, place: &str| {
            report
                .unwrap_or_else(|e| panic!("{call} in {place}: the session ended: {e:?}"))
                .result
                .unwrap_or_else(|e| panic!("{call} in {place}: {e:?}"))
        };
        let out = answer(
            block_on(host.call_in(&mut outside, call, &Limits::default())),
            "the sealed artifact",
        );
        let ins = answer(
            block_on(host.call_in(&mut inside, call, &Limits::default())),
            "Patchbay",
        );
        assert_eq!(out, ins, "{call}: the artifact and Patchbay differ");
        assert_eq!(out, expected, "{call}");
    }
    // The mock's `set` traps in both, and in the artifact the trap names
    // the mock.
    let call = r#"read-only("set a 2")"#;
    let ins = block_on(host.run(
        &host.prepare(&ws).expect("prepare"),
        call,
        &Limits::default(),
    ));
    assert!(ins.result.is_err(), "{ins:?}");
    let prepared = host
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let out = block_on(host.run_composed(&prepared, call, &Limits::default()));
    let failure = out.result.expect_err("the sealed mock traps");
    assert!(
        failure.message.starts_with(&mock_trap_name(
            "read-only",
            "patchbay:kv/store#set",
            "trap: read-only store"
        )),
        "{}",
        failure.message
    );
}

/// The sealed artifact of `ws` (whose only node is `app`, exporting
/// `exports`) and Patchbay answer `cases` alike, each in one live session
/// so that writes last from call to call; each answer is also the one
/// expected.
fn sealed_answers_like_patchbay(
    ws: &Workspace,
    bytes: &[u8],
    exports: &[&str],
    cases: &[(&str, &str)],
) {
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let in_app = host
        .prepare(ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), bytes).expect("write artifact");
    // The runner grants the artifact's remaining imports (WASI, logging).
    let mut runner = String::from(
        "version = 1\nname = \"sealed\"\n\n[components.sealed]\npath = \"sealed.wasm\"\n\n[nodes.sealed]\ncomponent = \"sealed\"\n",
    );
    for export in exports {
        runner.push_str(&format!("\n[[exports]]\nfrom = \"sealed.{export}\"\n"));
    }
    runner.push_str("\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n");
    let artifact = open(art_dir.path(), &runner);
    let outside = host
        .prepare(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let mut outside = host.session(std::sync::Arc::new(outside));
    let mut inside = host.session(std::sync::Arc::new(in_app));
    for (call, expected) in cases {
        let answer = |report: Result<RunReport, SessionEnded>, place: &str| {
            report
                .unwrap_or_else(|e| panic!("{call} in {place}: the session ended: {e:?}"))
                .result
                .unwrap_or_else(|e| panic!("{call} in {place}: {e:?}"))
        };
        let out = answer(
            block_on(host.call_in(&mut outside, call, &Limits::default())),
            "the sealed artifact",
        );
        let ins = answer(
            block_on(host.call_in(&mut inside, call, &Limits::default())),
            "Patchbay",
        );
        assert_eq!(out, ins, "{call}: the artifact and Patchbay differ");
        assert_eq!(&out, expected, "{call}");
    }
}

/// A project of one node `app` of the sample `sample` (its `[[exports]]`
/// as the sample has them) with `bindings`.
fn sample_project(dir: &Path, sample: &str, bindings: &str) -> Workspace {
    let samples = Path::new(patchbay_test_programs::SAMPLES_DIR);
    let text = std::fs::read_to_string(samples.join(sample).join("patchbay.toml"))
        .expect("sample project");
    let head = text
        .split("\n[bindings.")
        .next()
        .expect("the sample's bindings follow its exports")
        .replace(
            &format!("path = \"../wasm/{sample}.wasm\""),
            &format!(
                "path = {:?}",
                samples
                    .join(format!("wasm/{sample}.wasm"))
                    .display()
                    .to_string()
            ),
        )
        .lines()
        .filter(|l| !l.starts_with("build =") && !l.starts_with("watch =") && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    open(dir, &format!("{head}\n{bindings}\n"))
}

/// The sealed artifact's only imports are WASI's and logging's: the
/// key-value store is its own.
fn assert_no_keyvalue_import(sealed: &patchbay_compose::Sealed) {
    let imports = &sealed.composed.imports;
    assert!(
        imports.iter().all(|i| !i.starts_with("wasi:keyvalue/")),
        "the artifact still imports the key-value store: {imports:?}"
    );
    assert!(!imports.is_empty(), "WASI stays granted: {imports:?}");
}

/// The `kv` fake of `wasi:keyvalue@0.2.0-draft` (wasmCloud's SDK), sealed:
/// one stub serves the node's `store`, `atomics` and `batch`; seeded
/// buckets, bucket isolation, writes read back in the same call and in
/// later calls, paging, increments and their errors answer as in Patchbay.
#[test]
fn the_sealed_standard_kv_fake_answers_like_patchbay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = sample_project(
        dir.path(),
        "std-interfaces",
        r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "kv"
values = { "cache/a" = "seeded", "b" = "in default", "cache/n" = "not a number", "cache/max" = "18446744073709551615" }

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = { greeting = "faked" }

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let kv: Vec<_> = sealed
        .stubs
        .iter()
        .filter(|s| s.import.starts_with("wasi:keyvalue/"))
        .collect();
    assert_eq!(kv.len(), 1, "one stub serves the node's key-value imports");
    assert_eq!(
        (kv[0].kind, kv[0].import.as_str(), &kv[0].also[..]),
        (
            StubKind::Fake,
            "wasi:keyvalue/store@0.2.0-draft",
            &[
                "wasi:keyvalue/atomics@0.2.0-draft".to_string(),
                "wasi:keyvalue/batch@0.2.0-draft".to_string()
            ][..]
        )
    );
    assert_no_keyvalue_import(&sealed);
    sealed_answers_like_patchbay(
        &ws,
        &sealed.composed.bytes,
        &["put", "get", "incr", "put-many", "keys", "setting"],
        &[
            // Seeded, each value in its bucket.
            (r#"get("cache", "a")"#, r#"ok(some("seeded"))"#),
            (r#"get("default", "b")"#, r#"ok(some("in default"))"#),
            (r#"get("default", "a")"#, "ok(none)"),
            (r#"get("elsewhere", "b")"#, "ok(none)"),
            (r#"keys("cache")"#, r#"ok(["a", "max", "n"])"#),
            // Written and read back in one call (batch set then get).
            (r#"put-many("cache", [("x", "1"), ("y", "2")])"#, "ok(2)"),
            (r#"keys("cache")"#, r#"ok(["a", "max", "n", "x", "y"])"#),
            // Written in one call, read in the next; only in its bucket.
            (r#"put("other", "a", "mine")"#, "ok"),
            (r#"get("other", "a")"#, r#"ok(some("mine"))"#),
            (r#"get("cache", "a")"#, r#"ok(some("seeded"))"#),
            // Increments: from nothing, on, and the host's errors.
            (r#"incr("cache", "count", 5)"#, "ok(5)"),
            (r#"incr("cache", "count", 2)"#, "ok(7)"),
            (r#"get("cache", "count")"#, r#"ok(some("7"))"#),
            (
                r#"incr("cache", "n", 1)"#,
                r#"err("`n` does not hold a decimal number to increment")"#,
            ),
            (
                r#"incr("cache", "max", 1)"#,
                r#"err("incrementing `max` overflows u64")"#,
            ),
            (r#"setting("greeting")"#, r#"ok(some("faked"))"#),
        ],
    );
}

/// The `kv` fake of `wasi:keyvalue@0.2.0-draft2` (Spin 3's SDK), sealed:
/// signed increments, compare-and-swap handles and string cursors answer
/// as in Patchbay.
#[test]
fn the_sealed_standard_kv_fake_of_spin_answers_like_patchbay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = sample_project(
        dir.path(),
        "std-interfaces-spin",
        r#"
[bindings."*.wasi:keyvalue/*"]
mode = "mock"
fake = "kv"
values = { "b" = "in default", "cache/a" = "seeded" }

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = { greeting = "faked" }

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    assert_no_keyvalue_import(&sealed);
    sealed_answers_like_patchbay(
        &ws,
        &sealed.composed.bytes,
        &["put", "get", "incr", "swap", "keys", "setting"],
        &[
            (r#"get("default", "b")"#, r#"ok(some("in default"))"#),
            (r#"get("default", "a")"#, "ok(none)"),
            (r#"keys("cache")"#, r#"ok(["a"])"#),
            (r#"incr("cache", "n", -3)"#, "ok(-3)"),
            (r#"incr("cache", "n", 10)"#, "ok(7)"),
            (
                r#"incr("cache", "a", 1)"#,
                r#"err("`a` does not hold a decimal number to increment")"#,
            ),
            // Compare-and-swap: the value seen, then swapped in.
            (
                r#"swap("default", "b", some("in default"), "swapped")"#,
                "ok(true)",
            ),
            (r#"get("default", "b")"#, r#"ok(some("swapped"))"#),
            (
                r#"swap("default", "b", some("in default"), "again")"#,
                "ok(false)",
            ),
            (r#"swap("default", "new", none, "made")"#, "ok(true)"),
            (r#"keys("default")"#, r#"ok(["b", "new"])"#),
            (r#"put("cache", "z", "last")"#, "ok"),
            (r#"keys("cache")"#, r#"ok(["a", "n", "z"])"#),
        ],
    );
}
