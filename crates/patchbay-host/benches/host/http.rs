//! (c) The same calls over loopback HTTP.

use super::*;

type Map = Arc<Mutex<BTreeMap<String, String>>>;

pub(crate) async fn kv_http(
    req: hyper::Request<hyper::body::Incoming>,
    map: Map,
) -> Result<hyper::Response<http_body_util::Full<bytes::Bytes>>, Infallible> {
    use http_body_util::BodyExt;
    let reply = |status: u16, body: bytes::Bytes| {
        let mut r = hyper::Response::new(http_body_util::Full::new(body));
        *r.status_mut() = hyper::StatusCode::from_u16(status).expect("status");
        Ok(r)
    };
    let Some(key) = req.uri().path().strip_prefix("/k/").map(str::to_string) else {
        return reply(404, bytes::Bytes::new());
    };
    match *req.method() {
        hyper::Method::GET => {
            let value = map.lock().expect("map").get(&key).cloned();
            match value {
                Some(v) => reply(200, bytes::Bytes::from(v)),
                None => reply(404, bytes::Bytes::new()),
            }
        }
        hyper::Method::PUT => match req.into_body().collect().await {
            Ok(body) => {
                let value = String::from_utf8_lossy(&body.to_bytes()).into_owned();
                map.lock().expect("map").insert(key, value);
                reply(204, bytes::Bytes::new())
            }
            Err(_) => reply(400, bytes::Bytes::new()),
        },
        _ => reply(405, bytes::Bytes::new()),
    }
}

/// Serves the key-value HTTP/1.1 service on `listener` until `stop` fires.
pub(crate) async fn serve_kv(
    listener: tokio::net::TcpListener,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let map: Map = Arc::default();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let map = map.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| kv_http(req, map.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// A loopback HTTP/1.1 key-value server on its own thread (single-threaded
/// runtime). Stops when the returned sender is dropped or used.
pub(crate) fn start_kv_server() -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<()>,
) {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            addr_tx
                .send(listener.local_addr().expect("addr"))
                .expect("send addr");
            serve_kv(listener, stop_rx).await;
        });
    });
    let addr = addr_rx.recv().expect("server address");
    (addr, stop_tx, thread)
}

/// Requests of [`http_hammer`]: n PUTs then n GETs of keys `k0`..`k63`,
/// formatted once, as the guest formats its keys once.
pub(crate) fn http_requests() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    const KEYS: u32 = 64;
    let puts = (0..KEYS)
        .map(|i| {
            format!("PUT /k/k{i} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5\r\n\r\nbench")
                .into_bytes()
        })
        .collect();
    let gets = (0..KEYS)
        .map(|i| format!("GET /k/k{i} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").into_bytes())
        .collect();
    (puts, gets)
}

/// Splits one complete HTTP/1.1 response off the front of `buf`: (status,
/// body), or `None` if more bytes are needed.
pub(crate) fn take_response(buf: &mut Vec<u8>) -> Option<(u16, Vec<u8>)> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..head_end]).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.trim().parse().expect("content-length"))
        .unwrap_or(0);
    if buf.len() < head_end + length {
        return None;
    }
    let body = buf[head_end..head_end + length].to_vec();
    buf.drain(..head_end + length);
    Some((status, body))
}

/// [`http_hammer`] as a task: client and server share one thread, so no
/// request waits for another CPU to wake up.
pub(crate) async fn http_hammer_same_thread(addr: SocketAddr, n: u32) -> u64 {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (puts, gets) = http_requests();
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let mut hits = 0;
    for (i, request) in (0..n)
        .map(|i| &puts[(i % 64) as usize])
        .chain((0..n).map(|i| &gets[(i % 64) as usize]))
        .enumerate()
    {
        let mut sent = 0;
        while sent < request.len() {
            stream.writable().await.expect("writable");
            match stream.try_write(&request[sent..]) {
                Ok(k) => sent += k,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("send: {e}"),
            }
        }
        let (status, body) = loop {
            if let Some(response) = take_response(&mut buf) {
                break response;
            }
            stream.readable().await.expect("readable");
            match stream.try_read(&mut chunk) {
                Ok(0) => panic!("server closed the connection"),
                Ok(k) => buf.extend_from_slice(&chunk[..k]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("receive: {e}"),
            }
        };
        if i < n as usize {
            assert_eq!(status, 204);
        } else if status == 200 && body == b"bench" {
            hits += 1;
        }
    }
    hits
}

/// Reads one HTTP/1.1 response with a `content-length` (or none, for 204);
/// returns the status.
pub(crate) fn read_response(reader: &mut BufReader<TcpStream>, body: &mut Vec<u8>) -> u16 {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("content-length");
            }
        }
    }
    body.resize(length, 0);
    reader.read_exact(body).expect("body");
    status
}

/// 2n requests (n PUT, n GET) over one keep-alive connection; returns how
/// many GETs found their key.
pub(crate) fn http_hammer(addr: SocketAddr, n: u32) -> u64 {
    const KEYS: u32 = 64;
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut writer = stream.try_clone().expect("clone stream");
    let mut reader = BufReader::new(stream);
    let (puts, gets) = http_requests();
    let mut body = Vec::new();
    for i in 0..n {
        writer
            .write_all(&puts[(i % KEYS) as usize])
            .expect("send PUT");
        assert_eq!(read_response(&mut reader, &mut body), 204);
    }
    let mut hits = 0;
    for i in 0..n {
        writer
            .write_all(&gets[(i % KEYS) as usize])
            .expect("send GET");
        if read_response(&mut reader, &mut body) == 200 && body == b"bench" {
            hits += 1;
        }
    }
    hits
}

pub(crate) fn http_calls(out: &mut Out, sizes: &Sizes, wire_micros: f64) {
    let n = sizes.http;
    let reps = sizes.reps.max(3);
    let per_call = |t: Duration| micros(t) / (2.0 * f64::from(n));

    // Client thread and server thread.
    let (addr, stop, thread) = start_kv_server();
    assert_eq!(http_hammer(addr, n.min(1_000)), u64::from(n.min(1_000)));
    let two_threads: Vec<Duration> = (0..reps)
        .map(|_| {
            let started = Instant::now();
            assert_eq!(http_hammer(addr, n), u64::from(n));
            started.elapsed()
        })
        .collect();
    let _ = stop.send(());
    let _ = thread.join();

    // Client and server tasks on one thread.
    let one_thread: Vec<Duration> = runtime().block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let (stop, stop_rx) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(serve_kv(listener, stop_rx));
        let warm = n.min(1_000);
        assert_eq!(http_hammer_same_thread(addr, warm).await, u64::from(warm));
        let mut times = Vec::new();
        for _ in 0..reps {
            let started = Instant::now();
            assert_eq!(http_hammer_same_thread(addr, n).await, u64::from(n));
            times.push(started.elapsed());
        }
        let _ = stop.send(());
        let _ = server.await;
        times
    });

    out.line("### (c) The same calls over loopback HTTP/1.1");
    out.line("");
    out.line(format!(
        "In-process hyper 1 server on 127.0.0.1 holding a `BTreeMap`; one keep-alive connection, \
         TCP_NODELAY; n PUT /k/<key> then n GET /k/<key>, keys k0..k63; n = {n}, median (and \
         best) of {reps} runs. \"two threads\": server on its own single-threaded runtime, \
         blocking client on another thread (every request wakes the other thread, often on the \
         other CPU); \"one thread\": client and server tasks on one single-threaded runtime."
    ));
    out.line("");
    out.line("| path | µs per call (median) | best | ratio to wire (median) |");
    out.line("|---|---:|---:|---:|");
    out.line(format!(
        "| composed wire (slope of (b)) | {wire_micros:.4} | | 1 |"
    ));
    for (label, times) in [
        ("loopback HTTP/1.1, two threads", two_threads),
        ("loopback HTTP/1.1, one thread", one_thread),
    ] {
        let best = times.iter().min().copied().unwrap_or_default();
        let med = per_call(median(times));
        out.line(format!(
            "| {label} | {med:.2} | {:.2} | {:.0} |",
            per_call(best),
            med / wire_micros
        ));
    }
    out.line("");
}
