//! The sealed `http` fake answers what the host's `http` fake answers.
//!
//! A project binds `wasi:http/outgoing-handler` to the `http` fake on two
//! nodes: the sandbox-demo probe (`fetcher`), which denies the filesystem
//! and the sockets, whose types would otherwise take streams and pollables
//! from the host; and the fetch-log sample (`logger`), which logs each
//! fetch on stdout and stderr. The artifact carries one fake's guest per
//! node, which owns the node's HTTP types and streams and forwards its
//! console output to the host, and imports no `wasi:http` at all. The
//! project is run in Patchbay, then sealed, written out and run as the one
//! component of a new project; every fetch answers the same, and the logs
//! reach the host the same.

use patchbay_compose::{StubKind, Workspace};
use patchbay_host::{Host, HostOptions, Limits};

const PROJECT: &str = r#"
version = 1
name = "http-sealed"

[components.sandbox-demo]
path = "SANDBOX"

[components.fetch-log]
path = "FETCH_LOG"

[nodes.fetcher]
component = "sandbox-demo"

[nodes.logger]
component = "fetch-log"

[[exports]]
from = "fetcher.patchbay:sandbox/probe"
as = "fetcher"

[[exports]]
from = "logger.fetch"
as = "logger"

[bindings."*.wasi:http/outgoing-handler@0.2.12"]
mode = "mock"
fake = "http"
responses = { "http://example.test/hello" = "200 canned hello", "https://example.test/page" = "201 the page, whatever the query", "http://example.test/gone" = "410 " }

[bindings."fetcher.wasi:filesystem/*"]
mode = "deny"

[bindings."fetcher.wasi:sockets/*"]
mode = "deny"

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

/// The names of a component's imports, as `wasm-tools component wit`
/// lists them.
fn imports(bytes: &[u8]) -> Vec<String> {
    let info = patchbay_inspect::describe_component(bytes, "<artifact>".as_ref())
        .expect("the artifact describes");
    info.imports.into_iter().map(|p| p.name).collect()
}

#[test]
fn the_sealed_http_fake_answers_what_the_host_answers() {
    let host = Host::new(HostOptions {
        cache_dir: None,
        max_wasm_stack: 256 * 1024,
        ..HostOptions::default()
    })
    .expect("host starts");
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = PROJECT
        .replace("SANDBOX", patchbay_test_programs::SANDBOX_DEMO)
        .replace("FETCH_LOG", patchbay_test_programs::FETCH_LOG);
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("project loads"));
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));

    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);

    // `fetcher`'s fake is one guest serving its HTTP types and streams.
    let guest: Vec<_> = sealed
        .stubs
        .iter()
        .filter(|s| s.node == "fetcher" && s.kind == StubKind::Fake)
        .collect();
    assert_eq!(guest.len(), 1, "{:?}", sealed.stubs);
    let guest = guest[0];
    assert_eq!(guest.import, "wasi:http/outgoing-handler@0.2.12");
    let mut served: Vec<&str> = std::iter::once(&guest.import)
        .chain(&guest.also)
        .map(String::as_str)
        .collect();
    served.sort_unstable();
    assert_eq!(
        served,
        [
            "wasi:cli/stderr@0.2.12",
            "wasi:cli/stdin@0.2.12",
            "wasi:cli/stdout@0.2.12",
            "wasi:clocks/monotonic-clock@0.2.12",
            "wasi:http/outgoing-handler@0.2.12",
            "wasi:http/types@0.2.12",
            "wasi:io/error@0.2.12",
            "wasi:io/poll@0.2.12",
            "wasi:io/streams@0.2.12",
        ]
    );
    assert!(guest.reads_host);
    // The denied filesystem's stubs take their streams from the guest.
    assert!(
        sealed
            .stubs
            .iter()
            .any(|s| s.node == "fetcher" && s.import == "wasi:filesystem/types@0.2.12"),
        "{:?}",
        sealed.stubs
    );

    // fetch-log waits on no clock: its guest does not import the host's.
    let logger: Vec<&str> = sealed
        .stubs
        .iter()
        .filter(|s| s.node == "logger")
        .flat_map(|s| std::iter::once(&s.import).chain(&s.also))
        .map(String::as_str)
        .collect();
    assert!(
        !logger.iter().any(|i| i.starts_with("wasi:clocks/")),
        "{logger:?}"
    );

    // The artifact imports no HTTP: only what the open composition
    // imports besides, and nothing it did not import.
    let artifact_imports = imports(&sealed.composed.bytes);
    assert!(
        !artifact_imports.iter().any(|i| i.starts_with("wasi:http/")),
        "{artifact_imports:?}"
    );
    let open_imports = imports(&ws.compose().expect("the project composes").bytes);
    for import in &artifact_imports {
        assert!(
            open_imports.contains(import),
            "the sealed artifact imports {import}, which the open one does not: {artifact_imports:?}"
        );
    }

    let in_app = host
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), &sealed.composed.bytes)
        .expect("write artifact");
    let runner = r#"version = 1
name = "sealed"

[components.sealed]
path = "sealed.wasm"

[nodes.sealed]
component = "sealed"

[[exports]]
from = "sealed.fetcher"

[[exports]]
from = "sealed.logger"

[bindings."*.wasi:*"]
mode = "grant"
"#;
    std::fs::write(art_dir.path().join("patchbay.toml"), runner).expect("write project");
    let artifact = Workspace::open(patchbay_project::load(art_dir.path()).expect("loads"));
    let prepared = host
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));

    let cases = [
        (
            r#"fetcher#fetch("http://example.test/hello")"#,
            r#"ok("200 canned hello")"#,
        ),
        // The URL without its query, when the URL itself has no answer.
        (
            r#"fetcher#fetch("https://example.test/page?q=1&r=2")"#,
            r#"ok("201 the page, whatever the query")"#,
        ),
        (
            r#"fetcher#fetch("http://example.test/gone")"#,
            r#"ok("410 ")"#,
        ),
        // Another scheme is another URL.
        (
            r#"fetcher#fetch("https://example.test/hello")"#,
            r#"ok("404 the http fake has no response for https://example.test/hello")"#,
        ),
        (
            r#"fetcher#fetch("http://example.test/other?x=1")"#,
            r#"ok("404 the http fake has no response for http://example.test/other?x=1")"#,
        ),
        (
            r#"fetcher#fetch("http://example.test")"#,
            r#"ok("404 the http fake has no response for http://example.test/")"#,
        ),
        (
            r#"logger("http://example.test/hello", none)"#,
            r#"ok("200 text/plain canned hello")"#,
        ),
        (
            r#"logger("http://example.test/gone?page=2", none)"#,
            r#"ok("410 text/plain ")"#,
        ),
        (
            r#"logger("http://example.test/missing?page=2", none)"#,
            r#"ok("404 text/plain the http fake has no response for http://example.test/missing?page=2")"#,
        ),
        (
            r#"logger("ftp://example.test/file", none)"#,
            r#"err("cannot fetch ftp://example.test/file: ErrorCode::HttpProtocolError")"#,
        ),
    ];
    for (call, expected) in cases {
        let outside = block_on(host.run_composed(&prepared, call, &Limits::default()));
        let outside = outside
            .result
            .unwrap_or_else(|e| panic!("{call} in the sealed artifact: {e:?}"));
        let inside = block_on(host.run(&in_app, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in Patchbay: {e:?}"));
        assert_eq!(outside, inside, "{call}: the artifact and Patchbay differ");
        assert_eq!(outside, expected, "{call}");
    }

    // fetch-log's console output reaches the host through the guest.
    let call = r#"logger("http://example.test/hello", none)"#;
    let outside = block_on(host.run_composed(&prepared, call, &Limits::default()));
    let inside = block_on(host.run(&in_app, call, &Limits::default()));
    for report in [&outside, &inside] {
        assert_eq!(report.stdout, "fetching http://example.test/hello\n");
        assert_eq!(report.stderr, "fetched http://example.test/hello: 200\n");
    }

    // A request body is taken and dropped; the answer is the URL's.
    let call = r#"logger("http://example.test/hello", some("a body to drop"))"#;
    let outside = block_on(host.run_composed(&prepared, call, &Limits::default()));
    assert_eq!(
        outside.result.as_ref().ok().map(String::as_str),
        Some(r#"ok("200 text/plain canned hello")"#),
        "{call}: {}",
        outside.stderr
    );
}
