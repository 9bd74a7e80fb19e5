//! `patchbay_host::serve`: real HTTP requests against `samples/http-hello`
//! (`wasi:http/incoming-handler@0.2`) and `samples/http-hello-p3`
//! (`wasi:http/handler@0.3`).

use patchbay_host::serve::{HttpVersion, ServeError, ServeStats, Server};
use patchbay_host::{Event, Host, HostOptions, Limits, Prepared};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn host() -> Arc<Host> {
    Arc::new(
        Host::new(HostOptions {
            cache_dir: None,
            ..Default::default()
        })
        .expect("host starts"),
    )
}

fn prepare(host: &Host, sample: &str) -> Arc<Prepared> {
    let dir = Path::new(patchbay_test_programs::SAMPLES_DIR).join(sample);
    let doc = patchbay_project::load(&dir).expect("sample loads");
    let ws = patchbay_compose::Workspace::open(doc);
    Arc::new(host.prepare_composed(&ws).expect("sample prepares"))
}

/// A response as read off the wire.
struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request on its own connection (`Connection: close`), with
/// a chunked body decoded.
async fn get(addr: std::net::SocketAddr, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: */*\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .expect("response within 30 s")
        .expect("response read");
    let raw = String::from_utf8(raw).expect("UTF-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let headers = head.to_ascii_lowercase();
    let body = if headers.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").expect("chunk size line");
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16)
            .expect("hex chunk size");
        if size == 0 {
            return out;
        }
        out.push_str(&after[..size]);
        rest = after[size..]
            .strip_prefix("\r\n")
            .expect("CRLF after chunk");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_http_hello_and_survives_a_guest_panic() {
    let host = host();
    let prepared = prepare(&host, "http-hello");
    let mut events = host.subscribe();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().unwrap();
    let server = Server::new(host.clone(), prepared, Limits::default()).expect("servable");
    assert_eq!(server.node(), "hello");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stopped.await;
    }));

    let hello = get(addr, "/hello?x=1").await;
    assert_eq!(hello.status, 200, "{}", hello.body);
    assert!(hello.headers.contains("content-type: text/plain"));
    assert_eq!(hello.body, "hello from patchbay: GET /hello?x=1\n");

    let fail = get(addr, "/fail").await;
    assert_eq!(fail.status, 500, "{}", fail.body);
    assert!(fail.headers.contains("content-type: text/plain"));
    assert!(
        fail.body
            .starts_with("500 Internal Server Error: node `hello` trapped"),
        "{}",
        fail.body
    );

    let again = get(addr, "/again").await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body, "hello from patchbay: GET /again\n");

    stop.send(()).unwrap();
    let stats = tokio::time::timeout(Duration::from_secs(30), serving)
        .await
        .expect("serve stops after shutdown")
        .expect("serve task did not panic");
    assert_eq!(
        stats,
        ServeStats {
            connections: 3,
            requests: 3,
            failed: 1,
        }
    );

    let mut served = Vec::new();
    let mut stderr = String::new();
    while let Ok(event) = events.try_recv() {
        match event {
            Event::Served {
                method,
                path,
                status,
                error,
                ..
            } => served.push((method, path, status, error.is_some())),
            Event::Output {
                stream: "stderr",
                text,
                ..
            } => stderr.push_str(&text),
            _ => {}
        }
    }
    assert_eq!(
        served,
        vec![
            ("GET".into(), "/hello?x=1".into(), 200, false),
            ("GET".into(), "/fail".into(), 500, true),
            ("GET".into(), "/again".into(), 200, false),
        ]
    );
    assert!(stderr.contains("/fail was requested"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_an_idle_keep_alive_connection() {
    let host = host();
    let prepared = prepare(&host, "http-hello");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(patchbay_host::serve::serve(
        host.clone(),
        prepared,
        listener,
        Limits::default(),
        async {
            let _ = stopped.await;
        },
    ));
    // One keep-alive request, then the connection stays open and idle.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET /keep HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    while !String::from_utf8_lossy(&got).contains("GET /keep\n") {
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf))
            .await
            .expect("response within 30 s")
            .unwrap();
        assert!(n > 0, "connection closed early");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));

    stop.send(()).unwrap();
    let stats = tokio::time::timeout(Duration::from_secs(30), serving)
        .await
        .expect("serve stops with an idle connection open")
        .expect("serve task did not panic")
        .expect("servable");
    assert_eq!(stats.requests, 1);
    // The server closed the idle connection without sending more.
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest))
        .await
        .expect("the server closed the idle connection")
        .expect("clean close");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}

#[test]
fn a_composition_without_an_incoming_handler_is_refused() {
    let host = host();
    let prepared = prepare(&host, "kv-service");
    let err = Server::new(host, prepared, Limits::default())
        .err()
        .expect("kv-service has no incoming-handler");
    match &err {
        ServeError::NoHandler { project, exports } => {
            assert_eq!(project, "kv-service");
            assert_eq!(exports, &vec!["handle-request".to_string()]);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "`kv-service` cannot be served: it has no `wasi:http/incoming-handler` (WASI 0.2) or `wasi:http/handler` (WASI 0.3) export; it exports handle-request"
    );
}

/// Serves `prepared` on 127.0.0.1:0 until the returned sender fires.
async fn start(
    host: &Arc<Host>,
    prepared: Arc<Prepared>,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<ServeStats>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().unwrap();
    let server = Server::new(host.clone(), prepared, Limits::default()).expect("servable");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stopped.await;
    }));
    (addr, stop, serving)
}

/// `samples/http-hello-p3`'s component in a project of its own whose
/// grants end with `bindings`.
fn p3_project(host: &Host, dir: &Path, bindings: &str) -> Arc<Prepared> {
    let wasm = Path::new(patchbay_test_programs::HTTP_HELLO_P3);
    let text = format!(
        "version = 1\nname = \"p3\"\n\n[components.p3]\npath = {wasm:?}\n\n\
         [nodes.hello]\ncomponent = \"p3\"\n\n[[exports]]\nfrom = \"hello.wasi:http/handler@0.3.0\"\n\n\
         [bindings.\"*.wasi:*\"]\nmode = \"grant\"\n\n{bindings}"
    );
    std::fs::write(dir.join("patchbay.toml"), text).unwrap();
    let ws = patchbay_compose::Workspace::open(patchbay_project::load(dir).expect("loads"));
    let errors: Vec<String> = ws
        .check()
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "check: {errors:?}");
    Arc::new(host.prepare_composed(&ws).expect("prepares"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_a_wasi_http_0_3_handler_and_survives_a_guest_panic() {
    let host = host();
    let prepared = prepare(&host, "http-hello-p3");
    let server = Server::new(host.clone(), prepared.clone(), Limits::default()).expect("servable");
    assert_eq!(server.http_version(), HttpVersion::P3);
    assert_eq!(server.node(), "hello");
    let mut events = host.subscribe();
    let (addr, stop, serving) = start(&host, prepared).await;

    let hello = get(addr, "/hello?x=1").await;
    assert_eq!(hello.status, 200, "{}", hello.body);
    assert!(hello.headers.contains("content-type: text/plain"));
    assert_eq!(
        hello.body,
        "hello from patchbay over wasi:http 0.3: GET /hello?x=1\n"
    );

    let fail = get(addr, "/fail").await;
    assert_eq!(fail.status, 500, "{}", fail.body);
    assert!(
        fail.body
            .starts_with("500 Internal Server Error: node `hello` trapped"),
        "{}",
        fail.body
    );

    let again = get(addr, "/again").await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        again.body,
        "hello from patchbay over wasi:http 0.3: GET /again\n"
    );

    stop.send(()).unwrap();
    let stats = tokio::time::timeout(Duration::from_secs(30), serving)
        .await
        .expect("serve stops after shutdown")
        .expect("serve task did not panic");
    assert_eq!(
        stats,
        ServeStats {
            connections: 3,
            requests: 3,
            failed: 1,
        }
    );
    let mut served = Vec::new();
    let mut stderr = String::new();
    while let Ok(event) = events.try_recv() {
        match event {
            Event::Served {
                path,
                status,
                error,
                ..
            } => served.push((path, status, error.is_some())),
            Event::Output {
                stream: "stderr",
                text,
                ..
            } => stderr.push_str(&text),
            _ => {}
        }
    }
    assert_eq!(
        served,
        vec![
            ("/hello?x=1".into(), 200, false),
            ("/fail".into(), 500, true),
            ("/again".into(), 200, false),
        ]
    );
    assert!(stderr.contains("/fail was requested"), "{stderr}");
}

/// A p3 handler's outgoing requests (`wasi:http/client@0.3.0`) take the
/// grant's allow-list, with the refusal reported as for WASI 0.2, and the
/// `http` fake answers them: here the p3 handler fetches from the p2
/// sample served beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_p3_handlers_outgoing_requests_keep_the_grants_scope() {
    let host = host();
    let (p2, stop_p2, serving_p2) = start(&host, prepare(&host, "http-hello")).await;
    let target = format!("http://127.0.0.1:{}/from-p3", p2.port());
    let dir = tempfile::tempdir().unwrap();

    // No allow-list: refused, and the refusal names the node.
    let mut events = host.subscribe();
    let (addr, stop, serving) = start(&host, p3_project(&host, dir.path(), "")).await;
    let refused = get(addr, &format!("/fetch?{target}")).await;
    assert_eq!(refused.status, 502, "{}", refused.body);
    assert_eq!(
        refused.body,
        format!("fetch of {target} failed: ErrorCode::HttpRequestDenied\n")
    );
    let mut scope_lines = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let Event::OutOfScope { nodes, message, .. } = event {
            scope_lines.push((nodes, message));
        }
    }
    assert!(
        scope_lines
            .iter()
            .any(|(nodes, message)| nodes == &["hello"]
                && message.contains("127.0.0.1:")
                && message.contains("not on its allow-list")),
        "{scope_lines:?}"
    );
    stop.send(()).unwrap();
    serving.await.unwrap();

    // Allowed: the request reaches the p2 server.
    let allow = format!(
        "[bindings.\"hello.wasi:http/client@0.3.0\"]\nmode = \"grant\"\nallow = [\"127.0.0.1:{}\"]\n",
        p2.port()
    );
    let (addr, stop, serving) = start(&host, p3_project(&host, dir.path(), &allow)).await;
    let fetched = get(addr, &format!("/fetch?{target}")).await;
    assert_eq!(fetched.status, 200, "{}", fetched.body);
    assert_eq!(fetched.body, format!("fetched {target}: 200\n"));
    // Another port of the same host stays refused.
    let other = get(addr, "/fetch?http://127.0.0.1:9/").await;
    assert_eq!(other.status, 502, "{}", other.body);
    stop.send(()).unwrap();
    serving.await.unwrap();

    // The http fake answers from its table, without the network.
    let fake = "[bindings.\"hello.wasi:http/client@0.3.0\"]\nmode = \"mock\"\nfake = \"http\"\n\
                responses = { \"http://example.test/x\" = \"201 made\" }\n";
    let (addr, stop, serving) = start(&host, p3_project(&host, dir.path(), fake)).await;
    let canned = get(addr, "/fetch?http://example.test/x").await;
    assert_eq!(canned.body, "fetched http://example.test/x: 201\n");
    stop.send(()).unwrap();
    serving.await.unwrap();

    // Denied: the guest's `send` traps, the host answers 500, and the
    // denial names the node and the interface.
    let deny = "[bindings.\"hello.wasi:http/client@0.3.0\"]\nmode = \"deny\"\n";
    let mut events = host.subscribe();
    let (addr, stop, serving) = start(&host, p3_project(&host, dir.path(), deny)).await;
    let denied = get(addr, &format!("/fetch?{target}")).await;
    assert_eq!(denied.status, 500, "{}", denied.body);
    let hello = get(addr, "/still-here").await;
    assert_eq!(hello.status, 200, "{}", hello.body);
    stop.send(()).unwrap();
    serving.await.unwrap();
    let mut denials = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let Event::Denied {
            nodes,
            interface,
            function,
            ..
        } = event
        {
            denials.push((nodes, interface, function));
        }
    }
    assert_eq!(
        denials,
        vec![(
            vec!["hello".to_string()],
            "wasi:http/client@0.3.0".to_string(),
            "send".to_string()
        )]
    );

    stop_p2.send(()).unwrap();
    let stats = serving_p2.await.unwrap();
    assert_eq!(
        stats.requests, 1,
        "only the allowed fetch reached the p2 server"
    );
}
