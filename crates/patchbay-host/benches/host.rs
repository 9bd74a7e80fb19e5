//! Benchmarks of the embedded host (issue 3).
//!
//! Criterion part (statistics in `target/criterion/`):
//! - `instantiate_node/<component>`: every sample component compiled once on
//!   its own in the host's engine (pooling allocator); each iteration makes a
//!   fresh Store and instantiates it (`instantiate_async`), then drops both.
//!   WASI and WASI HTTP are linked; any other import is a trapping stub,
//!   which instantiation never calls.
//! - `instantiate_composed/<sample>`: the same for each composed sample
//!   project, prepared with [`Host::prepare`] (the instance is made from
//!   [`Prepared::component`] with a minimal WASI Store, not the host's full
//!   run state; `call_composed` has the host's whole per-call cost).
//!   `sandbox-demo` binds one import differently per node, so it cannot be
//!   prepared composed; its plain composition is compiled instead.
//! - `call_composed/kv-service`: [`Host::call`] of `handle-request("get a")`:
//!   fresh Store with the run's limits, instantiation, WAVE parse, call,
//!   report.
//!
//! Then plain measurements, printed as markdown tables (and written to the
//! file named by `PATCHBAY_HOST_BENCH_OUT`, if set):
//! - (b) the cost of one call across a composed wire, measured inside the
//!   guest: `hammer(n)` of `samples/kv-bench` makes 2n calls; the slope
//!   between two values of n removes the fixed cost of a run. Also traced
//!   (every wire call goes through a recording host trampoline).
//! - (c) the same 2n set/get calls against an in-process hyper HTTP/1.1
//!   server on loopback holding a `BTreeMap`, over one keep-alive connection:
//!   a blocking client on another thread, and client and server tasks on
//!   one thread.
//! - (d) edit-to-live: a component file of a project changes on disk; time
//!   until a call on the reloaded project answers, through the
//!   [`ProjectWatcher`], and the same pipeline step by step.
//! - (e) the steps of one `patchbay call` (runtime, host, load, prepare
//!   from the disk cache, run), each timed in-process; `bench/host.sh`
//!   times the CLI itself against `wasmtime run`.
//! - (f) how many composed kv-service instances stay live at once in one
//!   process, and the resident memory each costs.
//!
//! Run with `cargo bench -p patchbay-host --bench host` (under a minute on
//! 2 cores). `cargo test --benches` runs everything once with small sizes.

use criterion::{BenchmarkId, Criterion};
use patchbay_compose::Workspace;
use patchbay_host::watch::{ProjectWatcher, WatchOptions};
use patchbay_host::{CacheHit, Host, HostOptions, Limits, Prepared, Runnable};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, InstancePre, Linker, ResourceTable, ResourceType, Val};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// The composed sample projects measured in (a).
const COMPOSED: [&str; 6] = [
    "kv-service",
    "kv-bench",
    "order-pipeline",
    "sandbox-demo",
    "http-hello",
    "hostile",
];

/// The call used for whole-call timings of kv-service.
const GET_A: &str = r#"handle-request("get a")"#;

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// A host that keeps compiled code in memory only, so runs do not touch the
/// user's cache folder.
fn new_host(options: HostOptions) -> Host {
    Host::new(HostOptions {
        cache_dir: None,
        ..options
    })
    .expect("host starts")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn sample_dir(name: &str) -> PathBuf {
    Path::new(patchbay_test_programs::SAMPLES_DIR).join(name)
}

fn open(dir: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

fn prepare(host: &Host, name: &str) -> Prepared {
    host.prepare(&open(&sample_dir(name)))
        .unwrap_or_else(|e| panic!("prepare {name}: {e}"))
}

/// Store data for instantiating outside the host's run path: WASI and
/// WASI HTTP contexts only.
struct BenchState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
}

impl WasiView for BenchState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for BenchState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: Default::default(),
        }
    }
}

fn bench_store(engine: &Engine) -> Store<BenchState> {
    let mut store = Store::new(
        engine,
        BenchState {
            wasi: WasiCtxBuilder::new().build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
        },
    );
    // The host's engine meters fuel and interrupts on epochs; give this
    // store room for both, as the host does for a run.
    store.set_fuel(u64::MAX).expect("fuel is enabled");
    store.set_epoch_deadline(u64::MAX / 2);
    store
}

/// Links WASI and WASI HTTP, and stubs every other import with a trap
/// (instantiation never calls an import).
fn bench_pre(engine: &Engine, component: &Component) -> InstancePre<BenchState> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker).expect("link WASI");
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).expect("link WASI HTTP");
    let trap = |_: wasmtime::StoreContextMut<'_, BenchState>,
                _: wasmtime::component::types::ComponentFunc,
                _: &[Val],
                _: &mut [Val]|
     -> wasmtime::Result<()> { Err(wasmtime::Error::msg("stubbed import called")) };
    for (name, import) in component.component_type().imports(engine) {
        if name.starts_with("wasi:") {
            continue;
        }
        match import.ty {
            ComponentItem::ComponentFunc(_) => linker.root().func_new(name, trap).expect("stub"),
            ComponentItem::ComponentInstance(instance) => {
                let mut stubs = linker.instance(name).expect("stub instance");
                for (item, export) in instance.exports(engine) {
                    match export.ty {
                        ComponentItem::ComponentFunc(_) => {
                            stubs.func_new(item, trap).expect("stub");
                        }
                        ComponentItem::Resource(_) => stubs
                            .resource(item, ResourceType::host::<()>(), |_, _| Ok(()))
                            .expect("stub resource"),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    linker
        .instantiate_pre(component)
        .unwrap_or_else(|e| panic!("instantiate_pre: {e:#}"))
}

/// Median of a set of durations.
fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Lines in a (proc) file.
fn count_lines(path: &str) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Resident set size of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// (a) Criterion: new Store + instantiate
// ---------------------------------------------------------------------------

fn instantiate_node(c: &mut Criterion) {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let mut group = c.benchmark_group("instantiate_node");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for (name, path) in patchbay_test_programs::ALL {
        let component = Component::from_file(host.engine(), path).expect(name);
        let pre = bench_pre(host.engine(), &component);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        let mut store = bench_store(host.engine());
                        let instance = pre.instantiate_async(&mut store).await.expect(name);
                        black_box(instance);
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();
}

fn instantiate_composed(c: &mut Criterion) {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let mut group = c.benchmark_group("instantiate_composed");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for name in COMPOSED {
        let ws = open(&sample_dir(name));
        // sandbox-demo binds one import differently per node, which only a
        // traced run honours: compile its plain composition instead.
        let component = match host.prepare(&ws) {
            Ok(prepared) => prepared.component().clone(),
            Err(_) => {
                let composed = ws.compose().unwrap_or_else(|_| panic!("{name} composes"));
                Component::new(host.engine(), &composed.bytes).expect("compile")
            }
        };
        let pre = bench_pre(host.engine(), &component);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        let mut store = bench_store(host.engine());
                        let instance = pre.instantiate_async(&mut store).await.expect(name);
                        black_box(instance);
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("call_composed");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    let prepared = prepare(&host, "kv-service");
    let limits = Limits::default();
    group.bench_function("kv-service", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    let report = host.call(&prepared, GET_A, &limits).await;
                    assert!(report.result.is_ok(), "{:?}", report.result);
                    black_box(report);
                }
                started.elapsed()
            })
        });
    });
    group.finish();
}

/// The benchmark groups, in a private module: `criterion_group!` declares a
/// `pub fn` that the workspace's `missing_docs` lint would otherwise flag.
mod groups {
    use super::{instantiate_composed, instantiate_node};
    criterion::criterion_group!(benches, instantiate_node, instantiate_composed);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// Sizes of the table measurements; smaller under `cargo test --benches`.
struct Sizes {
    /// `n` of `hammer(n)` in composed runs; the first and last give the slope.
    composed: Vec<u32>,
    /// `n` of `hammer(n)` in traced runs.
    traced: Vec<u32>,
    /// Repetitions per measurement (median taken).
    reps: usize,
    /// `n` of the HTTP run (2n requests).
    http: u32,
    /// Edits per case in (d).
    edits: usize,
    /// Most live instances tried in (f).
    live_cap: usize,
}

impl Sizes {
    fn new(full: bool) -> Self {
        if full {
            Sizes {
                composed: vec![1_000, 10_000, 100_000],
                traced: vec![1_000, 10_000],
                reps: 5,
                http: 10_000,
                edits: 5,
                live_cap: 10_000,
            }
        } else {
            Sizes {
                composed: vec![10, 100],
                traced: vec![10, 100],
                reps: 1,
                http: 100,
                edits: 1,
                live_cap: 20,
            }
        }
    }
}

/// Collects the markdown printed by the table measurements.
#[derive(Default)]
struct Out(String);

impl Out {
    fn line(&mut self, s: impl AsRef<str>) {
        println!("{}", s.as_ref());
        self.0.push_str(s.as_ref());
        self.0.push('\n');
    }
}

/// Median wall time of `host.run(prepared, hammer(n))`, checked.
fn time_hammer(
    rt: &tokio::runtime::Runtime,
    host: &Host,
    prepared: &Runnable,
    n: u32,
    reps: usize,
) -> Duration {
    let call = format!("hammer({n})");
    let limits = Limits {
        timeout: Duration::from_secs(120),
        ..Limits::default()
    };
    let times = (0..reps)
        .map(|_| {
            let started = Instant::now();
            let report = rt.block_on(host.run(prepared, &call, &limits));
            let took = started.elapsed();
            assert_eq!(
                report.result.as_deref().ok(),
                Some(n.to_string().as_str()),
                "{call}: {:?}",
                report.result
            );
            took
        })
        .collect();
    median(times)
}

/// (b): time per call across a wire, composed and traced. Returns the
/// composed slope in microseconds per call.
fn wire_calls(out: &mut Out, sizes: &Sizes) -> f64 {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let ws = open(&sample_dir("kv-bench"));
    let composed = host.prepare_auto(&ws).expect("prepare kv-bench");
    assert!(!composed.is_traced());
    let traced = host.prepare_traced(&ws).expect("prepare kv-bench traced");
    assert!(traced.is_traced(), "{:?}", traced.fallback_reason());

    out.line("### (b) One call across a wire, measured inside the guest (`kv-bench`)");
    out.line("");
    out.line(format!(
        "`hammer(n)` makes 2n calls (n `set`, n `get`) to `kv-memory` across the wire. \
         Median of {} runs each, whole `Host::run` (instantiation included).",
        sizes.reps
    ));
    out.line("");
    out.line("| mode | n | wire calls | run ms | µs per call (run / 2n) |");
    out.line("|---|---:|---:|---:|---:|");
    let mut slopes = Vec::new();
    for (mode, prepared, ns) in [
        ("composed", &composed, &sizes.composed),
        ("traced", &traced, &sizes.traced),
    ] {
        let times: Vec<(u32, Duration)> = ns
            .iter()
            .map(|&n| (n, time_hammer(&rt, &host, prepared, n, sizes.reps)))
            .collect();
        for (n, t) in &times {
            out.line(format!(
                "| {mode} | {n} | {} | {:.2} | {:.4} |",
                2 * n,
                millis(*t),
                micros(*t) / (2.0 * f64::from(*n))
            ));
        }
        let (n0, t0) = times[0];
        let (n1, t1) = times[times.len() - 1];
        let slope = (micros(t1) - micros(t0)) / (2.0 * f64::from(n1 - n0));
        slopes.push((mode, n0, n1, slope));
    }
    out.line("");
    out.line("| mode | slope between n | ns per wire call |");
    out.line("|---|---|---:|");
    for (mode, n0, n1, slope) in &slopes {
        out.line(format!("| {mode} | {n0} → {n1} | {:.1} |", slope * 1e3));
    }
    out.line(format!(
        "\nTraced / composed per call: **{:.0}×**.\n",
        slopes[1].3 / slopes[0].3
    ));
    slopes[0].3
}

// ---------------------------------------------------------------------------
// (c) The same calls over loopback HTTP
// ---------------------------------------------------------------------------

type Map = Arc<Mutex<BTreeMap<String, String>>>;

async fn kv_http(
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
async fn serve_kv(listener: tokio::net::TcpListener, mut stop: tokio::sync::oneshot::Receiver<()>) {
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
fn start_kv_server() -> (
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
fn http_requests() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
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
fn take_response(buf: &mut Vec<u8>) -> Option<(u16, Vec<u8>)> {
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
async fn http_hammer_same_thread(addr: SocketAddr, n: u32) -> u64 {
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
fn read_response(reader: &mut BufReader<TcpStream>, body: &mut Vec<u8>) -> u16 {
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
fn http_hammer(addr: SocketAddr, n: u32) -> u64 {
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

fn http_calls(out: &mut Out, sizes: &Sizes, wire_micros: f64) {
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

// ---------------------------------------------------------------------------
// (d) Edit to live
// ---------------------------------------------------------------------------

/// `bytes` with a custom section appended: a different file (and so a
/// different composition) that behaves the same.
fn with_custom_section(bytes: &[u8], tag: &str) -> Vec<u8> {
    fn leb(mut v: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let name = b"patchbay-bench";
    let mut payload = Vec::new();
    leb(name.len(), &mut payload);
    payload.extend_from_slice(name);
    payload.extend_from_slice(tag.as_bytes());
    let mut out = bytes.to_vec();
    out.push(0);
    leb(payload.len(), &mut out);
    out.extend_from_slice(&payload);
    out
}

/// A copy of the kv-service project with its components in `dir`.
fn live_project(dir: &Path) {
    std::fs::copy(
        patchbay_test_programs::KV_MEMORY,
        dir.join("kv-memory.wasm"),
    )
    .expect("copy kv-memory");
    std::fs::copy(
        patchbay_test_programs::KV_SERVICE,
        dir.join("kv-service.wasm"),
    )
    .expect("copy kv-service");
    let text = r#"version = 1
name = "kv-live"

[components.kv-memory]
path = "kv-memory.wasm"

[components.kv-service]
path = "kv-service.wasm"

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
mode = "grant"
"#;
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
}

/// The contents written by edit `i`: even edits write fresh bytes, odd
/// edits restore the original file (a composition compiled before).
fn edit_bytes(original: &[u8], round: usize, i: usize) -> (bool, Vec<u8>) {
    if i.is_multiple_of(2) {
        (true, with_custom_section(original, &format!("{round}-{i}")))
    } else {
        (false, original.to_vec())
    }
}

struct EditTimes {
    fresh: Vec<Duration>,
    seen: Vec<Duration>,
    hits: Vec<CacheHit>,
}

fn watcher_edits(
    rt: &tokio::runtime::Runtime,
    edits: usize,
    round: usize,
    options: WatchOptions,
) -> EditTimes {
    let dir = tempfile::tempdir().expect("temp dir");
    live_project(dir.path());
    let file = dir.path().join("kv-service.wasm");
    let original = std::fs::read(&file).expect("read kv-service");
    let host = Arc::new(new_host(HostOptions::default()));
    let mut watcher =
        ProjectWatcher::start_with(host.clone(), dir.path(), options).expect("watch starts");
    let first = rt
        .block_on(watcher.next_reload())
        .expect("first load arrives");
    assert!(first.is_ok(), "{}", first.message());
    let limits = Limits::default();
    let mut times = EditTimes {
        fresh: Vec::new(),
        seen: Vec::new(),
        hits: Vec::new(),
    };
    for i in 0..edits * 2 {
        let (fresh, bytes) = edit_bytes(&original, round, i);
        // Let mtimes move on and the previous events settle.
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        std::fs::write(&file, &bytes).expect("write component");
        let outcome = rt
            .block_on(async {
                tokio::time::timeout(Duration::from_secs(30), watcher.next_reload()).await
            })
            .expect("reload within 30 s")
            .expect("watcher alive");
        let prepared = outcome
            .prepared()
            .unwrap_or_else(|| panic!("reload failed: {}", outcome.message()))
            .clone();
        let report = rt.block_on(host.call(&prepared, GET_A, &limits));
        let took = started.elapsed();
        assert_eq!(report.result.as_deref().ok(), Some("\"not found: a\""));
        times.hits.push(prepared.cache_hit());
        if fresh {
            times.fresh.push(took);
        } else {
            times.seen.push(took);
        }
    }
    times
}

/// Times of the reload pipeline, step by step, without the watcher.
struct Steps {
    load_open: Duration,
    prepare: Duration,
    call: Duration,
    /// Where the composed code came from (`None` for traced runs).
    hit: Option<CacheHit>,
}

fn pipeline_edit(
    rt: &tokio::runtime::Runtime,
    host: &Host,
    dir: &Path,
    bytes: &[u8],
    traced: bool,
) -> Steps {
    std::fs::write(dir.join("kv-service.wasm"), bytes).expect("write component");
    let limits = Limits::default();
    let started = Instant::now();
    let ws = open(dir);
    let load_open = started.elapsed();
    let started = Instant::now();
    let (report, prepare, call, hit) = if traced {
        let runnable = host.prepare_traced(&ws).expect("prepare traced");
        let prepare = started.elapsed();
        let started = Instant::now();
        let report = rt.block_on(host.run(&runnable, GET_A, &limits));
        (report, prepare, started.elapsed(), None)
    } else {
        let prepared = host.prepare(&ws).expect("prepare");
        let prepare = started.elapsed();
        let started = Instant::now();
        let report = rt.block_on(host.call(&prepared, GET_A, &limits));
        (
            report,
            prepare,
            started.elapsed(),
            Some(prepared.cache_hit()),
        )
    };
    assert_eq!(report.result.as_deref().ok(), Some("\"not found: a\""));
    Steps {
        load_open,
        prepare,
        call,
        hit,
    }
}

fn edit_to_live(out: &mut Out, sizes: &Sizes) {
    let rt = runtime();
    out.line("### (d) Edit to live (kv-service project, `kv-service.wasm` rewritten)");
    out.line("");
    out.line(
        "\"new bytes\": the file gets a fresh custom section, so the composition is new and is \
         compiled; \"seen bytes\": the original file is restored, a composition compiled earlier \
         in this process (memory cache hit). Time from the write to the answer of \
         `handle-request(\"get a\")` on the reloaded project.",
    );
    out.line("");
    out.line("| path | content | median ms | min ms | edits |");
    out.line("|---|---|---:|---:|---:|");
    let mut round = 0;
    for (label, debounce) in [
        (
            "ProjectWatcher, default 200 ms debounce",
            Duration::from_millis(200),
        ),
        ("ProjectWatcher, 10 ms debounce", Duration::from_millis(10)),
    ] {
        round += 1;
        let options = WatchOptions {
            debounce,
            ..WatchOptions::default()
        };
        let t = watcher_edits(&rt, sizes.edits, round, options);
        assert!(
            t.hits
                .iter()
                .enumerate()
                .all(|(i, h)| (*h == CacheHit::Compiled) == i.is_multiple_of(2)),
            "unexpected cache hits {:?}",
            t.hits
        );
        for (content, xs) in [("new bytes", t.fresh), ("seen bytes", t.seen)] {
            let min = xs.iter().min().copied().unwrap_or_default();
            out.line(format!(
                "| {label} | {content} | {:.1} | {:.1} | {} |",
                millis(median(xs.clone())),
                millis(min),
                xs.len()
            ));
        }
    }
    out.line("");

    // The same pipeline step by step, composed and traced.
    out.line("Step by step, without the watcher (medians):");
    out.line("");
    out.line("| mode | content | load + open ms | prepare ms | first call ms | code from |");
    out.line("|---|---|---:|---:|---:|---|");
    for traced in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        live_project(dir.path());
        let original = std::fs::read(dir.path().join("kv-service.wasm")).expect("read");
        let host = new_host(HostOptions::default());
        // Warm the cache with the original project.
        pipeline_edit(&rt, &host, dir.path(), &original, traced);
        round += 1;
        let mut fresh = Vec::new();
        let mut seen = Vec::new();
        for i in 0..sizes.edits * 2 {
            let (is_fresh, bytes) = edit_bytes(&original, round, i);
            let steps = pipeline_edit(&rt, &host, dir.path(), &bytes, traced);
            if is_fresh {
                fresh.push(steps);
            } else {
                seen.push(steps);
            }
        }
        let mode = if traced {
            "traced (per-node cache)"
        } else {
            "composed"
        };
        for (content, xs) in [("new bytes", fresh), ("seen bytes", seen)] {
            let m = |f: fn(&Steps) -> Duration| millis(median(xs.iter().map(f).collect()));
            let from = if traced {
                if content == "new bytes" {
                    "kv-service compiled, kv-memory cached"
                } else {
                    "both nodes cached"
                }
            } else {
                match xs[0].hit {
                    Some(CacheHit::Compiled) => "whole composition compiled",
                    Some(CacheHit::Memory) => "composition cached (memory)",
                    Some(CacheHit::Disk) => "composition cached (disk)",
                    None => "?",
                }
            };
            out.line(format!(
                "| {mode} | {content} | {:.2} | {:.1} | {:.2} | {from} |",
                m(|s| s.load_open),
                m(|s| s.prepare),
                m(|s| s.call),
            ));
        }
    }
    out.line("");
}

// ---------------------------------------------------------------------------
// (e) What one `patchbay call` does, in-process
// ---------------------------------------------------------------------------

/// The steps of one `patchbay call` of kv-service, each in a fresh host
/// with a disk cache that already holds the composition (as on a second
/// CLI run).
fn call_steps(out: &mut Out, sizes: &Sizes) {
    let cache = tempfile::tempdir().expect("temp dir");
    let options = HostOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..HostOptions::default()
    };
    // Fill the disk cache.
    {
        let host = Host::new(options.clone()).expect("host starts");
        let _ = host
            .prepare(&open(&sample_dir("kv-service")))
            .expect("prepare");
    }
    let reps = sizes.reps.max(3) * 2;
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for _ in 0..reps {
        let started = Instant::now();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        steps[0].push(started.elapsed());
        let started = Instant::now();
        let host = Host::new(options.clone()).expect("host starts");
        steps[1].push(started.elapsed());
        let started = Instant::now();
        let ws = open(&sample_dir("kv-service"));
        steps[2].push(started.elapsed());
        let started = Instant::now();
        let prepared = host.prepare_auto(&ws).expect("prepare");
        steps[3].push(started.elapsed());
        let started = Instant::now();
        let report = rt.block_on(host.run(&prepared, GET_A, &Limits::default()));
        steps[4].push(started.elapsed());
        assert!(report.result.is_ok(), "{:?}", report.result);
    }
    out.line("### (e, in-process) The steps of one `patchbay call`");
    out.line("");
    out.line(format!(
        "kv-service, `handle-request(\"get a\")`, a fresh host each time with the composition \
         already in the disk cache (as on every CLI run after the first). Median of {reps}."
    ));
    out.line("");
    out.line("| step | median ms |");
    out.line("|---|---:|");
    let labels = [
        "tokio multi-thread runtime",
        "`Host::new` (engine, pooling allocator, epoch thread)",
        "load project + open workspace (reads and checks components)",
        "`prepare_auto` (compose, disk cache load, link)",
        "`run` (new Store, instantiate, call)",
    ];
    let mut total = 0.0;
    for (label, xs) in labels.iter().zip(steps) {
        let ms = millis(median(xs));
        total += ms;
        out.line(format!("| {label} | {ms:.2} |"));
    }
    out.line(format!("| **sum** | **{total:.2}** |"));
    let small = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let host = Host::new(HostOptions {
                    max_instances: 16,
                    ..options.clone()
                })
                .expect("host starts");
                let took = started.elapsed();
                drop(host);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Host::new` with max_instances 16 | {:.3} |",
        millis(small)
    ));
    let sized = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let engine = wide_engine(16).expect("engine");
                let took = started.elapsed();
                drop(engine);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Engine::new`, host's config, every pool (fiber stacks too) sized for 16 | {:.3} |",
        millis(sized)
    ));
    let plain = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let engine = Engine::default();
                let took = started.elapsed();
                drop(engine);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Engine::default()` (on-demand allocator) | {:.3} |",
        millis(plain)
    ));
    out.line("");
}

// ---------------------------------------------------------------------------
// (f) Live instances per process
// ---------------------------------------------------------------------------

/// Stops (f) before this much resident memory is added, in KiB.
const RSS_BUDGET_KIB: u64 = 6 << 20;

/// An engine configured as the host's (component model, epochs, fuel,
/// 512 KiB wasm stack, pooling allocator with the same per-component limits)
/// but with pools sized for `n` live composed instances: core instances,
/// tables and fiber stacks too, which `HostOptions` does not reach.
fn wide_engine(n: u32) -> wasmtime::Result<Engine> {
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config.consume_fuel(true);
    config.max_wasm_stack(512 * 1024);
    let mut pooling = wasmtime::PoolingAllocationConfig::default();
    pooling.total_component_instances(n);
    pooling.total_core_instances(n.saturating_mul(8));
    pooling.total_memories(n.saturating_mul(2));
    pooling.total_tables(n.saturating_mul(8));
    pooling.total_stacks(n);
    pooling.max_memory_size(4 << 30);
    pooling.max_core_instances_per_component(64);
    pooling.max_memories_per_component(32);
    pooling.max_tables_per_component(64);
    config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pooling));
    Engine::new(&config)
}

/// Instantiates `pre` into new Stores, all kept alive, until it fails or a
/// limit is reached: (instances, KiB RSS added, time, what stopped it).
fn fill(
    rt: &tokio::runtime::Runtime,
    engine: &Engine,
    pre: &InstancePre<BenchState>,
    cap: usize,
) -> (usize, u64, Duration, String) {
    rt.block_on(async {
        {
            let mut store = bench_store(engine);
            pre.instantiate_async(&mut store).await.expect("warm-up");
        }
        let before = rss_kib();
        let mut live = Vec::new();
        let started = Instant::now();
        let stopped = loop {
            if live.len() >= cap {
                break format!("the cap of {cap} instances");
            }
            if live.len().is_multiple_of(256) && rss_kib().saturating_sub(before) > RSS_BUDGET_KIB {
                break format!("the RSS budget of {} GiB", RSS_BUDGET_KIB >> 20);
            }
            let mut store = bench_store(engine);
            match pre.instantiate_async(&mut store).await {
                Ok(instance) => live.push((store, instance)),
                Err(e) => {
                    break format!(
                        "instantiation failed: {} ({} memory mappings; vm.max_map_count {})",
                        first_line(&e),
                        count_lines("/proc/self/maps"),
                        std::fs::read_to_string("/proc/sys/vm/max_map_count")
                            .unwrap_or_default()
                            .trim()
                    )
                }
            }
        };
        let elapsed = started.elapsed();
        let added = rss_kib().saturating_sub(before);
        let count = live.len();
        drop(live);
        (count, added, elapsed, stopped)
    })
}

fn live_instances(out: &mut Out, sizes: &Sizes) {
    let rt = runtime();
    out.line("### (f) Live kv-service instances in one process");
    out.line("");
    out.line(format!(
        "Composed kv-service (2 nodes: 2 linear memories, 7 core instances) instantiated into \
         separate Stores, all kept alive, until instantiation fails, {} instances, or {} GiB \
         more RSS. RSS from /proc/self/status after one warm-up instantiation.",
        sizes.live_cap,
        RSS_BUDGET_KIB >> 20
    ));
    out.line("");
    out.line(
        "| engine | live instances | KiB RSS per instance | µs per instantiation | stopped by |",
    );
    out.line("|---|---:|---:|---:|---|");
    let composed = {
        let host = new_host(HostOptions::default());
        prepare(&host, "kv-service").composed().bytes.clone()
    };
    let cap = u32::try_from(sizes.live_cap).expect("cap fits u32");
    let rows = [
        (
            "`Host`, default `HostOptions` (max_instances 1000)".to_string(),
            Some(1_000),
        ),
        (format!("`Host`, max_instances {cap}"), Some(cap)),
        (
            format!("host's config, every pool sized for {cap} (core instances ×8, stacks ×1)"),
            None,
        ),
    ];
    for (label, max_instances) in rows {
        let made = match max_instances {
            Some(max_instances) => Host::new(HostOptions {
                cache_dir: None,
                max_instances,
                ..HostOptions::default()
            })
            .map(|host| (host.engine().clone(), Some(host)))
            .map_err(|e| e.to_string()),
            None => wide_engine(cap)
                .map(|engine| (engine, None))
                .map_err(|e| first_line(&e)),
        };
        let (engine, _host) = match made {
            Ok(x) => x,
            Err(e) => {
                out.line(format!(
                    "| {label} | – | – | – | engine did not start: {} |",
                    e.replace('|', "/")
                ));
                continue;
            }
        };
        let component = Component::new(&engine, &composed).expect("compile kv-service");
        let pre = bench_pre(&engine, &component);
        let (count, added, elapsed, stopped) = fill(&rt, &engine, &pre, sizes.live_cap);
        out.line(format!(
            "| {label} | {count} | {:.0} | {:.1} | {stopped} |",
            added as f64 / count.max(1) as f64,
            micros(elapsed) / count.max(1) as f64
        ));
    }
    out.line("");
}

fn first_line(e: &wasmtime::Error) -> String {
    let text = format!("{e:#}");
    text.lines().next().unwrap_or_default().replace('|', "/")
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then everything runs once with small sizes.
    let full = std::env::args().any(|a| a == "--bench");
    groups::benches();
    Criterion::default().configure_from_args().final_summary();

    let sizes = Sizes::new(full);
    let mut out = Out::default();
    let wire = wire_calls(&mut out, &sizes);
    http_calls(&mut out, &sizes, wire);
    edit_to_live(&mut out, &sizes);
    call_steps(&mut out, &sizes);
    live_instances(&mut out, &sizes);
    if let Some(path) = std::env::var_os("PATCHBAY_HOST_BENCH_OUT") {
        let mut text = String::new();
        let _ = writeln!(text, "{}", out.0);
        std::fs::write(&path, text).expect("write PATCHBAY_HOST_BENCH_OUT");
    }
}
