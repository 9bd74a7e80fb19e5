//! Serving a `wasi:http` handler on localhost: WASI 0.2's
//! `wasi:http/incoming-handler` or WASI 0.3's `wasi:http/handler`.
//!
//! [`Server::new`] checks that a prepared composition exports one of them
//! and pre-instantiates it: a `wasi:http/incoming-handler@0.2.x` as a
//! `wasi:http/proxy` (`wasmtime-wasi-http`'s p2 bindings), else a
//! `wasi:http/handler@0.3.x` as a `wasi:http/service` (its p3 bindings,
//! called with Wasmtime's concurrent APIs, [`p3`]), as `wasmtime serve`
//! does; [`Server::serve`] then answers HTTP/1.1 on a listener until a shutdown
//! future resolves. Every request gets a fresh Store and instance with the
//! server's [`Limits`] (timeout, memory cap, fuel), the same per-run state as
//! [`Host::run_composed`]. A guest that traps, runs out of a limit or returns without
//! setting a response gets the host's own `500` with a one-line plain-text
//! reason, and the server keeps serving. Outgoing requests of either kind
//! of handler go through the same allow-list or `http` fake
//! ([`crate::caps::http`]). Each request is reported as
//! [`Event::Served`], followed by the guest's captured output.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use std::sync::Arc;
//! let host = Arc::new(patchbay_host::Host::new(Default::default())?);
//! let doc = patchbay_project::load("samples/http-hello".as_ref())?;
//! let prepared = Arc::new(host.prepare_composed(&patchbay_compose::Workspace::open(doc))?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let stop = async { let _ = tokio::signal::ctrl_c().await; };
//! let stats = patchbay_host::serve::serve(host, prepared, listener, Default::default(), stop).await?;
//! println!("{} requests", stats.requests);
//! # Ok(()) }
//! ```

mod p3;

use crate::events::Event;
use crate::report::{FailureKind, RunFailure};
use crate::run::{classify, refine_failure};
use crate::state::RunState;
use crate::{Host, Limits, Prepared};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use wasmtime::Store;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiHttpView;

/// The WASI 0.2 export a served composition may have (any `0.2.x`
/// version).
pub const INCOMING_HANDLER: &str = "wasi:http/incoming-handler";

/// The WASI 0.3 export a served composition may have instead (a `0.3.x`
/// version Wasmtime's p3 bindings accept, `0.3.0` in Wasmtime 48).
pub const HANDLER_P3: &str = "wasi:http/handler";

/// Whether an export (an interface name with its version) is a handler
/// [`Server`] serves: `wasi:http/incoming-handler@0.2.x` or
/// `wasi:http/handler@0.3.x`.
pub fn is_http_handler(export: &str) -> bool {
    let versioned = |interface: &str, version: &str| {
        export
            .strip_prefix(interface)
            .and_then(|rest| rest.strip_prefix('@'))
            .is_some_and(|v| v.starts_with(version))
    };
    versioned(INCOMING_HANDLER, "0.2.") || versioned(HANDLER_P3, "0.3.")
}

/// How long a connection may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// What a server did, returned when it stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServeStats {
    /// Connections accepted.
    pub connections: u64,
    /// Requests handed to the guest (each in a fresh instance).
    pub requests: u64,
    /// Requests that failed: the host answered with its own error (a guest
    /// trap, limit or missing response, or a request it could not pass on),
    /// or the guest failed after answering.
    pub failed: u64,
}

/// Why a composition cannot be served.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServeError {
    /// The composition exports neither `wasi:http/incoming-handler` nor
    /// `wasi:http/handler`.
    #[error(
        "`{project}` cannot be served: it has no `{INCOMING_HANDLER}` (WASI 0.2) or `{HANDLER_P3}` (WASI 0.3) export; it exports {}",
        if exports.is_empty() { "nothing".to_string() } else { exports.join(", ") }
    )]
    NoHandler {
        /// The project name.
        project: String,
        /// The interfaces and functions it does export.
        exports: Vec<String>,
    },
    /// Wasmtime could not bind the export as a `wasi:http/proxy` or a
    /// `wasi:http/service`.
    #[error("`{project}` cannot be served: {message}")]
    Wasmtime {
        /// The project name.
        project: String,
        /// Wasmtime's message.
        message: String,
    },
}

/// A composition ready to serve HTTP: the checked handler export,
/// pre-instantiated, and the per-request limits.
pub struct Server {
    host: Arc<Host>,
    prepared: Arc<Prepared>,
    handler: Handler,
    node: String,
    limits: Limits,
}

/// The served export, pre-instantiated with the bindings of its WASI
/// version.
enum Handler {
    /// `wasi:http/incoming-handler@0.2.x`.
    P2(ProxyPre<RunState>),
    /// `wasi:http/handler@0.3.x`.
    P3(wasmtime_wasi_http::p3::bindings::ServicePre<RunState>),
}

/// Which WASI version of `wasi:http` a server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpVersion {
    /// `wasi:http/incoming-handler@0.2.x` (WASI 0.2).
    P2,
    /// `wasi:http/handler@0.3.x` (WASI 0.3).
    P3,
}

impl Server {
    /// Checks that the composition exports `wasi:http/incoming-handler`
    /// `0.2.x` or, failing that, `wasi:http/handler` `0.3.x` (naming the
    /// project and its exports if neither) and pre-instantiates it.
    pub fn new(
        host: Arc<Host>,
        prepared: Arc<Prepared>,
        limits: Limits,
    ) -> Result<Self, ServeError> {
        let project = prepared.project.clone();
        let find = |interface: &str| {
            prepared.exports.iter().find(|e| {
                let name = e.name.split('#').next().unwrap_or(&e.name);
                name.starts_with(interface) && is_http_handler(name) && e.function == "handle"
            })
        };
        let (handler, version) = match find(INCOMING_HANDLER) {
            Some(h) => (Some(h), HttpVersion::P2),
            None => (find(HANDLER_P3), HttpVersion::P3),
        };
        let Some(handler) = handler else {
            let mut exports: Vec<String> = Vec::new();
            for e in &prepared.exports {
                let name = e.name.split('#').next().unwrap_or(&e.name).to_string();
                if !exports.contains(&name) {
                    exports.push(name);
                }
            }
            return Err(ServeError::NoHandler { project, exports });
        };
        let node = handler.node.clone();
        let wasmtime = |e: wasmtime::Error| ServeError::Wasmtime {
            project: project.clone(),
            message: format!("{e:#}"),
        };
        let handler = match version {
            HttpVersion::P2 => Handler::P2(ProxyPre::new(prepared.pre.clone()).map_err(wasmtime)?),
            HttpVersion::P3 => Handler::P3(
                wasmtime_wasi_http::p3::bindings::ServicePre::new(prepared.pre.clone())
                    .map_err(wasmtime)?,
            ),
        };
        Ok(Self {
            host,
            prepared,
            handler,
            node,
            limits,
        })
    }

    /// Which `wasi:http` the served export speaks.
    pub fn http_version(&self) -> HttpVersion {
        match self.handler {
            Handler::P2(_) => HttpVersion::P2,
            Handler::P3(_) => HttpVersion::P3,
        }
    }

    /// The node whose export answers requests.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Answers HTTP/1.1 on `listener` until `shutdown` resolves, then stops
    /// accepting, lets every open connection finish the request it is on
    /// (idle keep-alive connections close at once), waits for the guests
    /// still running, and returns what was served.
    ///
    /// Guest failures never stop the server; accept errors (such as running
    /// out of file descriptors) are retried after a short pause.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> ServeStats {
        let local_addr = listener.local_addr().ok();
        let shared = Arc::new(Shared {
            server: self,
            local_addr,
            connections: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            in_flight: InFlight::default(),
        });
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _peer)) => {
                        // A body that streams in after the headers (a WASI
                        // 0.3 handler's) would otherwise wait on Nagle's
                        // algorithm and the client's delayed ACK, about
                        // 40 ms a response.
                        let _ = stream.set_nodelay(true);
                        shared.connections.fetch_add(1, Ordering::Relaxed);
                        let shared = shared.clone();
                        let mut stop = stop_rx.clone();
                        connections.spawn(async move {
                            let service = service_fn(move |req| {
                                let shared = shared.clone();
                                async move { Ok::<_, Infallible>(shared.handle(req).await) }
                            });
                            let conn = http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(HEADER_READ_TIMEOUT)
                                .keep_alive(true)
                                .serve_connection(TokioIo::new(stream), service);
                            tokio::pin!(conn);
                            tokio::select! {
                                _ = conn.as_mut() => {}
                                () = async { let _ = stop.wait_for(|stop| *stop).await; } => {
                                    conn.as_mut().graceful_shutdown();
                                    let _ = conn.as_mut().await;
                                }
                            }
                        });
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        drop(listener);
        let _ = stop_tx.send(true);
        while connections.join_next().await.is_some() {}
        shared.in_flight.wait_idle().await;
        ServeStats {
            connections: shared.connections.load(Ordering::Relaxed),
            requests: shared.requests.load(Ordering::Relaxed),
            failed: shared.failed.load(Ordering::Relaxed),
        }
    }
}

/// Checks the composition and serves it: [`Server::new`], then
/// [`Server::serve`] on `listener` until `shutdown` resolves.
pub async fn serve(
    host: Arc<Host>,
    prepared: Arc<Prepared>,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Result<ServeStats, ServeError> {
    let server = Server::new(host, prepared, limits)?;
    Ok(server.serve(listener, shutdown).await)
}

/// The server's state shared by its connections.
struct Shared {
    server: Server,
    local_addr: Option<SocketAddr>,
    connections: AtomicU64,
    requests: AtomicU64,
    failed: AtomicU64,
    in_flight: InFlight,
}

/// What the guest answered: the status of its response (`response-outparam.set`
/// in WASI 0.2, `handle`'s result in WASI 0.3), or the error code it
/// answered with; `None` while it has not answered.
type SetResponse = Option<Result<u16, String>>;

/// One request as the server's reports name it.
pub(super) struct RequestInfo {
    run: u64,
    method: String,
    path: String,
    started: Instant,
}

/// The Store of one request's run and its captured output.
pub(super) struct RequestStore {
    store: Store<RunState>,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
}

impl Shared {
    /// Answers one request: a fresh instance runs the guest's handler in
    /// its own task (it keeps running while the body streams out); a guest
    /// that fails before answering gets a plain-text `500`.
    async fn handle(self: Arc<Self>, mut req: Request<Incoming>) -> Response<HyperOutgoingBody> {
        let guard = self.in_flight.enter();
        let host = &self.server.host;
        let info = RequestInfo {
            run: host.next_run(),
            method: req.method().to_string(),
            path: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            started: Instant::now(),
        };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let (store, stdout, stderr) = match host.new_store(
            std::slice::from_ref(&self.server.prepared.caps),
            &self.server.limits,
            info.run,
        ) {
            Ok(x) => x,
            Err(e) => {
                let error = format!("cannot set up the request's run: {e:#}");
                return self.refuse(&info, 500, error);
            }
        };
        // HTTP/1.0 clients may omit `Host`; the guest still needs an authority.
        if !req.headers().contains_key(http::header::HOST) {
            if let Some(addr) = self.local_addr {
                if let Ok(v) = http::HeaderValue::from_str(&addr.to_string()) {
                    req.headers_mut().insert(http::header::HOST, v);
                }
            }
        }
        let run = RequestStore {
            store,
            stdout,
            stderr,
        };
        match &self.server.handler {
            Handler::P2(_) => self.clone().handle_p2(req, info, run, guard).await,
            Handler::P3(_) => p3::handle(self.clone(), req, info, run, guard).await,
        }
    }

    /// The host's own answer to a request it could not hand to the guest,
    /// reported as served with that error.
    fn refuse(
        &self,
        info: &RequestInfo,
        status: u16,
        error: String,
    ) -> Response<HyperOutgoingBody> {
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.server.host.events.send(Event::Served {
            run: info.run,
            method: info.method.clone(),
            path: info.path.clone(),
            status,
            micros: info.started.elapsed().as_micros() as u64,
            error: Some(error.clone()),
        });
        text_response(status, &error)
    }

    /// A `wasi:http/incoming-handler@0.2.x` answers the request: the
    /// response arrives through the `response-outparam` callback.
    async fn handle_p2(
        self: Arc<Self>,
        req: Request<Incoming>,
        info: RequestInfo,
        run: RequestStore,
        guard: InFlightGuard,
    ) -> Response<HyperOutgoingBody> {
        let RequestStore {
            mut store,
            stdout,
            stderr,
        } = run;
        let request = match store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)
        {
            Ok(r) => r,
            Err(e) => return self.refuse(&info, 400, format!("bad request: {e:#}")),
        };
        let set: Arc<Mutex<SetResponse>> = Arc::default();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let out = {
            let set = set.clone();
            store
                .data_mut()
                .http()
                .new_response_outparam_from_callback(move |response| {
                    if let Ok(mut slot) = set.lock() {
                        *slot = Some(match &response {
                            Ok(r) => Ok(r.status().as_u16()),
                            Err(code) => Err(format!("{code:?}")),
                        });
                    }
                    let _ = tx.send(response);
                })
        };
        let out = match out {
            Ok(o) => o,
            Err(e) => return self.refuse(&info, 500, format!("cannot set up the response: {e:#}")),
        };

        // The run's deadline counts from its Store's start, like the epoch
        // deadline, not from when the spawned task first runs.
        let limits = self.server.limits.clone();
        let deadline = crate::deadline::Deadline::after(store.data().started, limits.timeout);
        let this = self.clone();
        let guest = tokio::spawn(async move {
            let _guard = guard;
            let node = this.server.node.as_str();
            let Handler::P2(proxy) = &this.server.handler else {
                unreachable!("handle_p2 serves a p2 handler")
            };
            let outcome = async {
                let proxy = proxy
                    .instantiate_async(&mut store)
                    .await
                    .map_err(|e| classify(e, node, &limits, true))?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, request, out)
                    .await
                    .map_err(|e| classify(e, node, &limits, false))
            };
            let outcome = crate::run::within_deadline(outcome, node, &limits, deadline).await;
            let set = set.lock().ok().and_then(|mut s| s.take());
            let run = RequestStore {
                store,
                stdout,
                stderr,
            };
            this.conclude(info, run, outcome, set)
        });

        match rx.await {
            Ok(Ok(response)) => response,
            _ => text_response(500, &guest_message(guest).await),
        }
    }

    /// Reports the end of one request's run: the failure refined with what
    /// the Store recorded, `Event::Served` with the status the client got,
    /// a limit hit, the guest's output. Returns the failure's message.
    fn conclude(
        &self,
        info: RequestInfo,
        run: RequestStore,
        outcome: Result<(), RunFailure>,
        set: SetResponse,
    ) -> Option<String> {
        let node = self.server.node.as_str();
        let limits = &self.server.limits;
        let host = &self.server.host;
        let out = run.stdout.contents();
        let err = run.stderr.contents();
        let mut result = outcome.map(|()| String::new());
        refine_failure(&mut result, run.store.data(), node, limits, &out, &err);
        drop(run.store);
        let (status, error) = match (set, result) {
            (Some(Ok(status)), Ok(_)) => (status, None),
            (Some(Ok(status)), Err(f)) => (status, Some(f)),
            (Some(Err(code)), result) => (
                500,
                Some(result.err().unwrap_or(RunFailure {
                    kind: FailureKind::Trap,
                    message: format!("node `{node}` answered with an error: {code}"),
                })),
            ),
            (None, Err(f)) => (500, Some(f)),
            (None, Ok(_)) => (
                500,
                Some(RunFailure {
                    kind: FailureKind::Trap,
                    message: format!("node `{node}` returned without setting a response"),
                }),
            ),
        };
        if error.is_some() {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        let run = info.run;
        host.events.send(Event::Served {
            run,
            method: info.method,
            path: info.path,
            status,
            micros: info.started.elapsed().as_micros() as u64,
            error: error.as_ref().map(|f| f.message.clone()),
        });
        if let Some(f) = &error {
            if let Some(limit) = f.kind.limit() {
                host.events.send(Event::LimitHit {
                    run,
                    node: node.to_string(),
                    limit,
                    message: f.message.clone(),
                });
            }
        }
        for (stream, bytes) in [("stdout", &out), ("stderr", &err)] {
            if !bytes.is_empty() {
                host.events.send(Event::Output {
                    run,
                    stream,
                    text: String::from_utf8_lossy(bytes).into_owned(),
                });
            }
        }
        error.map(|f| f.message)
    }
}

/// Why a guest task ended without an answer, for the host's `500`.
async fn guest_message(guest: tokio::task::JoinHandle<Option<String>>) -> String {
    match guest.await {
        Ok(Some(message)) => message,
        Ok(None) => "the guest answered without a response".to_string(),
        Err(e) => format!("the request's task failed: {e}"),
    }
}

/// The host's own answer: a status and a one-line plain-text reason.
fn text_response(status: u16, message: &str) -> Response<HyperOutgoingBody> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = format!(
        "{} {}: {message}\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let body = Full::new(Bytes::from(text))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Guest tasks still running, so shutdown can wait for them.
#[derive(Default)]
struct InFlight {
    count: Arc<AtomicUsize>,
    idle: Arc<Notify>,
}

/// One running guest; leaving decrements the count.
struct InFlightGuard {
    count: Arc<AtomicUsize>,
    idle: Arc<Notify>,
}

impl InFlight {
    fn enter(&self) -> InFlightGuard {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard {
            count: self.count.clone(),
            idle: self.idle.clone(),
        }
    }

    async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }
}
