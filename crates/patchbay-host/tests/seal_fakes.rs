//! Sealed fakes and grant scopes answer what the host answers.
//!
//! One project binds the sandbox-demo probe and the kv-service every way
//! the artifact can carry itself: a grant whose environment, clock and
//! random source are scoped; the clock and random fakes; the kv fake with
//! seeded values. The project is run in Patchbay, then sealed, written out
//! and run as the one component of a new project that grants the artifact
//! more than the original grant did (two environment variables, the real
//! clock and random source): the artifact's own stubs narrow it back, so
//! every call answers the same.
//!
//! One test in its own binary: it sets environment variables of this
//! process, which no other test may read at the same time.

use patchbay_compose::{StubKind, Workspace};
use patchbay_host::{Host, HostOptions, Limits};

const GREETING: &str = "PATCHBAY_SEAL_TEST_GREETING";
const SECRET: &str = "PATCHBAY_SEAL_TEST_SECRET";

const PROJECT: &str = r#"
version = 1
name = "fakes-sealed"

[components.sandbox-demo]
path = "SANDBOX"

[components.kv-service]
path = "KV_SERVICE"

[nodes.scoped]
component = "sandbox-demo"

[nodes.faked]
component = "sandbox-demo"

[nodes.kv]
component = "kv-service"

[[exports]]
from = "scoped.patchbay:sandbox/probe"
as = "scoped"

[[exports]]
from = "faked.patchbay:sandbox/probe"
as = "faked"

[[exports]]
from = "kv.handle-request"
as = "kv"

[bindings."scoped.wasi:cli/environment@0.2.12"]
mode = "grant"
env = ["GREETING_VAR"]

[bindings."scoped.wasi:clocks/wall-clock@0.2.12"]
mode = "grant"
clock = { fixed-unix-ms = 1700000000123 }

[bindings."scoped.wasi:random/random@0.2.12"]
mode = "grant"
random = { seed = 42 }

[bindings."faked.wasi:clocks/wall-clock@0.2.12"]
mode = "mock"
fake = "clock"

[bindings."faked.wasi:random/random@0.2.12"]
mode = "mock"
fake = "random"

[bindings."kv.patchbay:kv/store"]
mode = "mock"
fake = "kv"
values = { a = "one", b = "" }

[bindings."*.wasi:*"]
mode = "grant"
"#;

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn sealed_fakes_and_scopes_answer_what_the_host_answers() {
    // The only test of this binary: nothing else reads the environment
    // meanwhile.
    std::env::set_var(GREETING, "hello from the host");
    std::env::set_var(SECRET, "not for the guest");
    let host = Host::new(HostOptions {
        cache_dir: None,
        max_wasm_stack: 256 * 1024,
        ..HostOptions::default()
    })
    .expect("host starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = PROJECT
        .replace("SANDBOX", patchbay_test_programs::SANDBOX_DEMO)
        .replace("KV_SERVICE", patchbay_test_programs::KV_SERVICE)
        .replace("GREETING_VAR", GREETING);
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("project loads"));
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let mut kinds: Vec<(StubKind, &str, &str)> = sealed
        .stubs
        .iter()
        .map(|s| (s.kind, s.node.as_str(), s.import.as_str()))
        .collect();
    kinds.sort_by_key(|(_, node, import)| (node.to_string(), import.to_string()));
    assert_eq!(
        kinds,
        [
            // `*.wasi:*` grants the environment with no variable: the
            // artifact answers an empty one itself.
            (StubKind::Scope, "faked", "wasi:cli/environment@0.2.12"),
            (StubKind::Fake, "faked", "wasi:clocks/wall-clock@0.2.12"),
            (StubKind::Fake, "faked", "wasi:random/random@0.2.12"),
            (StubKind::Fake, "kv", "patchbay:kv/store"),
            (StubKind::Scope, "kv", "wasi:cli/environment@0.2.6"),
            (StubKind::Scope, "scoped", "wasi:cli/environment@0.2.12"),
            (StubKind::Scope, "scoped", "wasi:clocks/wall-clock@0.2.12"),
            (StubKind::Scope, "scoped", "wasi:random/random@0.2.12"),
        ]
    );

    // Only the scoped node's filter reads the host's environment.
    let reading: Vec<&str> = sealed
        .stubs
        .iter()
        .filter(|s| s.reads_host)
        .map(|s| s.node.as_str())
        .collect();
    assert_eq!(reading, ["scoped"]);

    let in_app = host
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), &sealed.composed.bytes)
        .expect("write artifact");
    // The artifact's runner grants both variables and the real clock and
    // random source: more than the project's grant.
    let runner = format!(
        r#"version = 1
name = "sealed"

[components.sealed]
path = "sealed.wasm"

[nodes.sealed]
component = "sealed"

[[exports]]
from = "sealed.scoped"

[[exports]]
from = "sealed.faked"

[[exports]]
from = "sealed.kv"

[bindings."sealed.wasi:cli/environment@0.2.12"]
mode = "grant"
env = ["{GREETING}", "{SECRET}"]

[bindings."*.wasi:*"]
mode = "grant"
"#
    );
    std::fs::write(art_dir.path().join("patchbay.toml"), runner).expect("write project");
    let artifact = Workspace::open(patchbay_project::load(art_dir.path()).expect("loads"));
    let prepared = host
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));

    let cases = [
        (
            format!(r#"scoped#read-env("{GREETING}")"#),
            Some(r#"ok("hello from the host")"#),
        ),
        (
            format!(r#"scoped#read-env("{SECRET}")"#),
            Some(
                r#"err("cannot read env PATCHBAY_SEAL_TEST_SECRET: environment variable not found")"#,
            ),
        ),
        // Isolation inside the artifact: the variable the scoped node is
        // granted does not reach the faked node, granted none, although
        // both run in one sealed component and the runner offers it.
        (
            format!(r#"faked#read-env("{GREETING}")"#),
            Some(
                r#"err("cannot read env PATCHBAY_SEAL_TEST_GREETING: environment variable not found")"#,
            ),
        ),
        // 1700000000123 ms, to the millisecond.
        ("scoped#now-ms()".to_string(), Some("1700000000123")),
        ("scoped#random-u64()".to_string(), None),
        ("faked#now-ms()".to_string(), Some("0")),
        ("faked#random-u64()".to_string(), None),
        (r#"kv("get a")"#.to_string(), Some(r#""one""#)),
        (r#"kv("get b")"#.to_string(), Some(r#""""#)),
        (r#"kv("get c")"#.to_string(), Some(r#""not found: c""#)),
        (r#"kv("set c 3")"#.to_string(), Some(r#""ok""#)),
    ];
    for (call, expected) in &cases {
        let outside = block_on(host.run_composed(&prepared, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in the sealed artifact: {e:?}"));
        let inside = block_on(host.run(&in_app, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in Patchbay: {e:?}"));
        assert_eq!(outside, inside, "{call}: the artifact and Patchbay differ");
        if let Some(expected) = expected {
            assert_eq!(&outside, expected, "{call}");
        }
    }
    // The seeded sources are seeded: 42 for the grant, 0 for the fake.
    let random = |call: &str| {
        block_on(host.run_composed(&prepared, call, &Limits::default()))
            .result
            .expect("random-u64 answers")
    };
    assert_ne!(random("scoped#random-u64()"), random("faked#random-u64()"));
}
