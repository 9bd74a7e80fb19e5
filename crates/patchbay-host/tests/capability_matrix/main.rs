//! The capability matrix: nodes of one component (`sandbox-demo`, whose
//! probes each reach for one host capability) with different scopes for the
//! environment, folders (read-only and writable), outgoing HTTP and raw TCP
//! sockets. Each node must reach exactly its own scope, and every reach
//! outside it must leave a scope line naming the node and the interface.
//!
//! Every matrix runs in each mode the project allows: the whole project
//! (nodes bound differently, so `prepare` runs it traced; and
//! `prepare_traced`), then each node alone in a project of its own, composed
//! (`prepare`) and traced. `serve` is not covered: `sandbox-demo` does
//! not export `wasi:http/incoming-handler`, and `serve` runs only composed
//! projects, where one node has one scope anyway.
//!
//! Decisions the cases pin down:
//! - HTTP allow-lists compare the host as the URL writes it (the host
//!   resolves names itself, so it cannot compare addresses): `127.1`,
//!   `0x7f000001`, `2130706433`, `[::ffff:127.0.0.1]` and `127.0.0.1.` are
//!   refused when `127.0.0.1:PORT` is listed. IP addresses compare as
//!   addresses, so `[::1]` is not `127.0.0.1`. `localhost` may stand for a
//!   listed loopback address, and then the host connects to that address,
//!   not to whatever `localhost` resolves to. A URL with user info is
//!   refused. Redirects are not followed.
//! - Socket allow-lists compare the address the guest connects to, never
//!   text: `127.1`, `0x7f000001` and `2130706433` resolve (through
//!   `wasi:sockets/ip-name-lookup`, when granted) to `127.0.0.1`, so they
//!   reach exactly the listed `127.0.0.1:PORT` and nothing else.
//! - An environment miss is a narrowed view, not a refusal: the guest asks
//!   for the whole environment and gets only its granted variables; the
//!   scope line (`refused: false`) names the node and what it was granted.
//!   A node without folders gets the same kind of line for its preopens.

use patchbay_compose::{Severity, Workspace};
use patchbay_host::{Host, HostOptions, Limits, RunMode, RunReport, Runnable};
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::time::Duration;

mod composites;
mod folders;
mod keyvalue;
mod network;

/// The WASI version `sandbox-demo` imports.
const WASI: &str = "0.2.12";
/// Host environment variables the tests grant (set once, before any run).
const GREETING: &str = "hello from the host";
const TOKEN: &str = "token for c only";

fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    static ENV: Once = Once::new();
    // Every test calls `host()` first, so the variables are set before any
    // test thread reads the environment.
    ENV.call_once(|| {
        std::env::set_var("GREETING", GREETING);
        std::env::set_var("PATCHBAY_MATRIX_TOKEN", TOKEN);
    });
    HOST.get_or_init(|| {
        Host::new(HostOptions {
            cache_dir: None,
            ..HostOptions::default()
        })
        .expect("host starts")
    })
}

fn run(prepared: &Runnable, call: &str) -> RunReport {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(host().run(prepared, call, &Limits::default()))
}

// ---------------------------------------------------------------------------
// Peers on the loopback interface.

/// A local server: its address and how many connections it accepted.
struct Peer {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
}

impl Peer {
    fn port(&self) -> u16 {
        self.addr.port()
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// `host:port` of the peer as an allow-list writes it.
    fn entry(&self) -> String {
        self.addr.to_string()
    }
}

/// Accepts connections on `listener` forever; answers each with `reply`
/// after reading the request head, or closes it at once.
fn serve(listener: TcpListener, reply: Option<String>) -> Peer {
    let addr = listener.local_addr().expect("local address");
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let Some(reply) = &reply else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Peer { addr, hits }
}

fn loopback() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1")
}

/// An HTTP server answering `200 body` to every request.
fn http_peer(body: &str) -> Peer {
    serve(
        loopback(),
        Some(format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )),
    )
}

/// An HTTP server redirecting every request to `location`.
fn redirect_peer(location: &str) -> Peer {
    serve(
        loopback(),
        Some(format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )),
    )
}

/// A TCP server that accepts connections and closes them.
fn tcp_peer() -> Peer {
    serve(loopback(), None)
}

/// An HTTP server on `[::1]` at `port`, if this machine has IPv6 loopback
/// and the port is free there.
fn http_peer_v6(port: u16, body: &str) -> Option<Peer> {
    let listener = TcpListener::bind(("::1", port)).ok()?;
    Some(serve(
        listener,
        Some(format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )),
    ))
}

// ---------------------------------------------------------------------------
// Projects.

/// The scope one node is granted. Every interface is granted (with these
/// lists, possibly empty); everything else WASI is granted unscoped.
#[derive(Debug, Clone, Default)]
struct Scope {
    env: Vec<String>,
    /// `(host, guest, writable)`, host relative to the project folder.
    dirs: Vec<(String, String, bool)>,
    http: Vec<String>,
    tcp: Vec<String>,
    /// Grant `wasi:sockets/ip-name-lookup` (with the TCP list).
    lookup: bool,
    /// Leave every interface above open (`mode = "leave"`) instead of
    /// granting it: the host then serves it with nothing granted.
    leave: bool,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// Writes `patchbay.toml` in `dir` with one `sandbox-demo` node per entry,
/// each exported as its name, and opens it.
fn write_project(dir: &Path, nodes: &[(&str, &Scope)]) -> Workspace {
    let mut t = format!(
        "version = 1\nname = \"matrix\"\n[components.probe]\npath = {:?}\n",
        patchbay_test_programs::SANDBOX_DEMO
    );
    for (n, _) in nodes {
        t += &format!("[nodes.{n}]\ncomponent = \"probe\"\n");
    }
    for (n, _) in nodes {
        t += &format!("[[exports]]\nfrom = \"{n}.patchbay:sandbox/probe\"\nas = \"{n}\"\n");
    }
    for (n, s) in nodes {
        let grant = |import: &str, setting: String| {
            if s.leave {
                format!("[bindings.\"{n}.{import}@{WASI}\"]\nmode = \"leave\"\n")
            } else {
                format!("[bindings.\"{n}.{import}@{WASI}\"]\nmode = \"grant\"\n{setting}\n")
            }
        };
        let dirs: Vec<String> = s
            .dirs
            .iter()
            .map(|(h, g, w)| format!("{{ host = {h:?}, guest = {g:?}, writable = {w} }}"))
            .collect();
        t += &grant("wasi:cli/environment", format!("env = {}", list(&s.env)));
        t += &grant(
            "wasi:filesystem/preopens",
            format!("dirs = [{}]", dirs.join(", ")),
        );
        t += &grant(
            "wasi:http/outgoing-handler",
            format!("allow = {}", list(&s.http)),
        );
        t += &grant("wasi:sockets/tcp", format!("allow = {}", list(&s.tcp)));
        let lookup = if s.lookup { s.tcp.clone() } else { Vec::new() };
        t += &grant(
            "wasi:sockets/ip-name-lookup",
            format!("allow = {}", list(&lookup)),
        );
    }
    t += "[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n";
    std::fs::write(dir.join("patchbay.toml"), &t).expect("project written");
    let ws = Workspace::open(patchbay_project::load(dir).expect("project loads"));
    let errors: Vec<_> = ws
        .check()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{t}");
    ws
}

// ---------------------------------------------------------------------------
// Cases.

/// One probe call and what it must do.
#[derive(Debug, Clone)]
struct Case {
    /// `node#probe(...)`.
    call: String,
    /// `ok…` or `err(…`, containing this text.
    ok: bool,
    text: String,
    /// A scope line this run must hold, naming the call's node:
    /// (interface, refused, text in the message).
    line: Option<(&'static str, bool, String)>,
}

fn reaches(call: impl Into<String>, text: impl Into<String>) -> Case {
    Case {
        call: call.into(),
        ok: true,
        text: text.into(),
        line: None,
    }
}

fn fails(call: impl Into<String>, text: impl Into<String>) -> Case {
    Case {
        call: call.into(),
        ok: false,
        text: text.into(),
        line: None,
    }
}

impl Case {
    /// The run must record a refusal on `interface` whose message holds
    /// `text`.
    fn refused(mut self, interface: &'static str, text: impl Into<String>) -> Self {
        self.line = Some((interface, true, text.into()));
        self
    }

    /// The run must record the narrowed view of `interface` whose message
    /// holds `text`.
    fn viewed(mut self, interface: &'static str, text: impl Into<String>) -> Self {
        self.line = Some((interface, false, text.into()));
        self
    }

    fn node(&self) -> &str {
        self.call.split('#').next().unwrap_or_default()
    }
}

fn check_case(report: &RunReport, case: &Case, mode: &str) {
    let node = case.node();
    let context = || {
        format!(
            "[{mode}] {} → {:?}\nscope: {:#?}\nstderr: {}",
            case.call, report.result, report.scope, report.stderr
        )
    };
    let value = match &report.result {
        Ok(v) => v,
        Err(_) => panic!("the call itself failed: {}", context()),
    };
    let shape = if case.ok { "ok" } else { "err(" };
    assert!(
        value.starts_with(shape) && value.contains(&case.text),
        "expected {shape}… containing {:?}: {}",
        case.text,
        context()
    );
    if let Some((interface, refused, text)) = &case.line {
        assert!(
            report.scope.iter().any(|l| l.nodes == [node]
                && l.interface == *interface
                && l.refused == *refused
                && l.message.contains(text.as_str())),
            "expected a scope line for node `{node}` on `{interface}` (refused: {refused}) containing {text:?}: {}",
            context()
        );
    } else if case.ok {
        assert!(
            report.scope.iter().all(|l| !l.refused),
            "a reach inside the scope was refused somewhere: {}",
            context()
        );
    }
    // A run of one node's export never speaks for another node.
    for l in &report.scope {
        assert!(
            l.nodes.iter().all(|n| n == node),
            "a scope line names another node: {}",
            context()
        );
    }
}

/// Runs `cases` against the project of `nodes` in every mode it allows:
/// the whole project traced (auto and forced), then each node alone,
/// composed and traced. `dir` holds the folders the scopes name; the
/// project file in it is rewritten for each project.
fn run_matrix(dir: &Path, nodes: &[(&str, &Scope)], cases: &[Case]) {
    let ws = write_project(dir, nodes);
    for traced in [false, true] {
        let prepared = if traced {
            host().prepare_traced(&ws)
        } else {
            host().prepare(&ws)
        }
        .unwrap_or_else(|e| panic!("prepare: {e}"));
        assert!(prepared.is_traced(), "{:?}", prepared.fallback_reason());
        let mode = if traced {
            "all nodes, traced"
        } else {
            "all nodes, auto"
        };
        for case in cases {
            let report = run(&prepared, &case.call);
            assert_eq!(report.mode, RunMode::Traced, "{}", report.mode_reason);
            check_case(&report, case, mode);
        }
    }
    for (node, scope) in nodes {
        let ws = write_project(dir, &[(node, scope)]);
        let own: Vec<&Case> = cases.iter().filter(|c| c.node() == *node).collect();
        for (traced, mode) in [(false, RunMode::Composed), (true, RunMode::Traced)] {
            let prepared = if traced {
                host().prepare_traced(&ws)
            } else {
                host().prepare(&ws)
            }
            .unwrap_or_else(|e| panic!("prepare `{node}` alone: {e}"));
            let label = format!("`{node}` alone, {mode}");
            for case in &own {
                let report = run(&prepared, &case.call);
                assert_eq!(report.mode, mode, "{}", report.mode_reason);
                check_case(&report, case, &label);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The matrices.

/// Issue 8's escape: node `b` is granted the same three interfaces as `a`
/// with empty scopes, and must reach none of `a`'s.
#[test]
fn a_node_with_empty_scopes_reaches_nothing_of_its_neighbour() {
    host();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/motd.txt"), "motd of a\n").unwrap();
    let server = http_peer("hello from the server");
    let a = Scope {
        env: strings(&["GREETING"]),
        dirs: vec![("data".into(), "/data".into(), false)],
        http: vec![server.entry()],
        ..Scope::default()
    };
    let b = Scope::default();
    let url = format!("http://127.0.0.1:{}/", server.port());
    let cases = [
        reaches(r#"a#read-env("GREETING")"#, GREETING)
            .viewed("wasi:cli/environment", "it is granted GREETING"),
        reaches(r#"a#read-file("/data/motd.txt")"#, "motd of a"),
        reaches(format!("a#fetch({url:?})"), "200 hello from the server"),
        fails(r#"b#read-env("GREETING")"#, "cannot read env GREETING").viewed(
            "wasi:cli/environment",
            "it is granted no variables; the host's environment is withheld",
        ),
        fails(
            r#"b#read-file("/data/motd.txt")"#,
            "cannot read /data/motd.txt",
        )
        .viewed("wasi:filesystem/preopens", "it is granted no folders"),
        fails(format!("b#fetch({url:?})"), "HttpRequestDenied").refused(
            "wasi:http/outgoing-handler",
            format!("127.0.0.1:{} is not on its allow-list", server.port()),
        ),
    ];
    let before = server.hits();
    run_matrix(dir.path(), &[("a", &a), ("b", &b)], &cases);
    // `a` fetched once per mode (2 whole-project modes, 2 alone); `b` never.
    assert_eq!(server.hits() - before, 4);
}

/// A node that leaves its WASI imports open (`mode = "leave"`) beside a
/// node granted env, a folder and an allow-list: the host serves the open
/// imports with nothing granted, so leaving open never inherits a
/// neighbour's scope (or the host's).
#[test]
fn a_node_leaving_wasi_open_reaches_nothing_of_its_neighbour() {
    host();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/motd.txt"), "motd of a\n").unwrap();
    let server = http_peer("hello from the server");
    let a = Scope {
        env: strings(&["GREETING"]),
        dirs: vec![("data".into(), "/data".into(), false)],
        http: vec![server.entry()],
        ..Scope::default()
    };
    let open = Scope {
        leave: true,
        ..Scope::default()
    };
    let url = format!("http://127.0.0.1:{}/", server.port());
    let cases = [
        reaches(r#"a#read-env("GREETING")"#, GREETING),
        reaches(r#"a#read-file("/data/motd.txt")"#, "motd of a"),
        fails(r#"open#read-env("GREETING")"#, "cannot read env GREETING").viewed(
            "wasi:cli/environment",
            "it is granted no variables; the host's environment is withheld",
        ),
        fails(r#"open#read-env("HOME")"#, "cannot read env HOME"),
        fails(
            r#"open#read-file("/data/motd.txt")"#,
            "cannot read /data/motd.txt",
        )
        .viewed("wasi:filesystem/preopens", "it is granted no folders"),
        fails(format!("open#fetch({url:?})"), "HttpRequestDenied").refused(
            "wasi:http/outgoing-handler",
            format!("127.0.0.1:{} is not on its allow-list", server.port()),
        ),
    ];
    let before = server.hits();
    run_matrix(dir.path(), &[("a", &a), ("open", &open)], &cases);
    assert_eq!(
        server.hits() - before,
        0,
        "only `open` fetched, and it must not reach"
    );
}

/// Environment lists: two variables, two nodes granted one each, one node
/// granted none. Each reads exactly its own.
#[test]
fn each_node_sees_only_its_own_environment_variables() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let a = Scope {
        env: strings(&["GREETING"]),
        ..Scope::default()
    };
    let c = Scope {
        env: strings(&["PATCHBAY_MATRIX_TOKEN", "PATCHBAY_MATRIX_UNSET"]),
        ..Scope::default()
    };
    let b = Scope::default();
    let cases = [
        reaches(r#"a#read-env("GREETING")"#, GREETING),
        fails(r#"a#read-env("PATCHBAY_MATRIX_TOKEN")"#, "cannot read env").viewed(
            "wasi:cli/environment",
            "it is granted GREETING; every other host variable is withheld",
        ),
        fails(r#"a#read-env("PATH")"#, "cannot read env PATH"),
        reaches(r#"c#read-env("PATCHBAY_MATRIX_TOKEN")"#, TOKEN),
        fails(r#"c#read-env("GREETING")"#, "cannot read env GREETING").viewed(
            "wasi:cli/environment",
            "the host does not set PATCHBAY_MATRIX_UNSET",
        ),
        fails(r#"b#read-env("GREETING")"#, "cannot read env")
            .viewed("wasi:cli/environment", "it is granted no variables"),
        fails(r#"b#read-env("PATCHBAY_MATRIX_TOKEN")"#, "cannot read env"),
        fails(r#"b#read-env("HOME")"#, "cannot read env HOME"),
    ];
    run_matrix(dir.path(), &[("a", &a), ("b", &b), ("c", &c)], &cases);
}

/// A binding that cannot serve its import (here the `kv` fake on `a`'s
/// environment, beside `b`'s real grant) is refused before anything runs,
/// in every mode, with the rule `check` reports: the host never falls back
/// to granting the import, and `a` never reaches `b`'s environment.
#[test]
fn a_binding_that_cannot_serve_its_import_is_refused_in_every_mode() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let t = format!(
        "version = 1\nname = \"matrix\"\n[components.probe]\npath = {:?}\n\
         [nodes.a]\ncomponent = \"probe\"\n[nodes.b]\ncomponent = \"probe\"\n\
         [[exports]]\nfrom = \"a.patchbay:sandbox/probe\"\nas = \"a\"\n\
         [[exports]]\nfrom = \"b.patchbay:sandbox/probe\"\nas = \"b\"\n\
         [bindings.\"a.wasi:cli/environment@{WASI}\"]\nmode = \"mock\"\nfake = \"kv\"\n\
         [bindings.\"b.wasi:cli/environment@{WASI}\"]\nmode = \"grant\"\nenv = [\"GREETING\"]\n\
         [bindings.\"*.wasi:*\"]\nmode = \"grant\"\n",
        patchbay_test_programs::SANDBOX_DEMO
    );
    std::fs::write(dir.path().join("patchbay.toml"), &t).unwrap();
    let ws = Workspace::open(patchbay_project::load(dir.path()).expect("project loads"));
    let why = format!("the `kv` fake cannot stand in for `wasi:cli/environment@{WASI}`");
    assert!(
        ws.check().iter().any(|p| p.message.contains(&why)),
        "check reports it"
    );
    for traced in [false, true] {
        let refused = if traced {
            host().prepare_traced(&ws)
        } else {
            host().prepare(&ws)
        };
        match refused {
            Ok(_) => panic!("prepared (traced: {traced}) a project whose binding cannot serve"),
            Err(e) => assert!(e.to_string().contains(&why), "traced: {traced}: {e}"),
        }
    }
}
