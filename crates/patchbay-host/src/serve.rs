//! Serving a `wasi:http/incoming-handler` export on localhost.
//!
//! [`Server::new`] checks that a prepared composition exports
//! `wasi:http/incoming-handler` and pre-instantiates it as a `wasi:http/proxy`;
//! [`Server::serve`] then answers HTTP/1.1 on a listener until a shutdown
//! future resolves. Every request gets a fresh Store and instance with the
//! server's [`Limits`] (timeout, memory cap, fuel), the same per-run state as
//! [`Host::run_composed`]. A guest that traps, runs out of a limit or returns without
//! setting a response gets the host's own `500` with a one-line plain-text
//! reason, and the server keeps serving. Each request is reported as
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
use wasmtime_wasi_http::p2::bindings::http::types::{ErrorCode, Scheme};
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiHttpView;

/// The export a served composition must have (any `0.2.x` version).
pub const INCOMING_HANDLER: &str = "wasi:http/incoming-handler";

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
    /// The composition does not export `wasi:http/incoming-handler`.
    #[error(
        "`{project}` cannot be served: it has no `{INCOMING_HANDLER}` export; it exports {}",
        if exports.is_empty() { "nothing".to_string() } else { exports.join(", ") }
    )]
    NoHandler {
        /// The project name.
        project: String,
        /// The interfaces and functions it does export.
        exports: Vec<String>,
    },
    /// Wasmtime could not bind the export as a `wasi:http/proxy`.
    #[error("`{project}` cannot be served: {message}")]
    Wasmtime {
        /// The project name.
        project: String,
        /// Wasmtime's message.
        message: String,
    },
}

/// A composition ready to serve HTTP: the checked `incoming-handler` export,
/// pre-instantiated, and the per-request limits.
pub struct Server {
    host: Arc<Host>,
    prepared: Arc<Prepared>,
    proxy: ProxyPre<RunState>,
    node: String,
    limits: Limits,
}

impl Server {
    /// Checks that the composition exports `wasi:http/incoming-handler`
    /// (naming the project and its exports if not) and pre-instantiates it.
    pub fn new(
        host: Arc<Host>,
        prepared: Arc<Prepared>,
        limits: Limits,
    ) -> Result<Self, ServeError> {
        let project = prepared.project.clone();
        let handler = prepared.exports.iter().find(|e| {
            e.name.starts_with(&format!("{INCOMING_HANDLER}@")) && e.function == "handle"
        });
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
        let proxy = ProxyPre::new(prepared.pre.clone()).map_err(|e| ServeError::Wasmtime {
            project,
            message: format!("{e:#}"),
        })?;
        Ok(Self {
            host,
            prepared,
            proxy,
            node,
            limits,
        })
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

/// What the guest passed to `response-outparam.set`: the status, or the
/// error code it answered with.
type SetResponse = Option<Result<u16, String>>;

impl Shared {
    /// Answers one request: a fresh instance runs the guest's `handle` in
    /// its own task (it keeps running while the body streams out); a guest
    /// that fails before setting a response gets a plain-text `500`.
    async fn handle(self: Arc<Self>, mut req: Request<Incoming>) -> Response<HyperOutgoingBody> {
        let started = Instant::now();
        let guard = self.in_flight.enter();
        let host = &self.server.host;
        let limits = self.server.limits.clone();
        let run = host.next_run();
        let method = req.method().to_string();
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        self.requests.fetch_add(1, Ordering::Relaxed);
        let report = |status: u16, error: String| {
            self.failed.fetch_add(1, Ordering::Relaxed);
            host.events.send(Event::Served {
                run,
                method: method.clone(),
                path: path.clone(),
                status,
                micros: started.elapsed().as_micros() as u64,
                error: Some(error.clone()),
            });
            text_response(status, &error)
        };

        let (mut store, stdout, stderr) = match host.new_store(
            std::slice::from_ref(&self.server.prepared.caps),
            &limits,
            run,
        ) {
            Ok(x) => x,
            Err(e) => return report(500, format!("cannot set up the request's run: {e:#}")),
        };
        // HTTP/1.0 clients may omit `Host`; the guest still needs an authority.
        if !req.headers().contains_key(http::header::HOST) {
            if let Some(addr) = self.local_addr {
                if let Ok(v) = http::HeaderValue::from_str(&addr.to_string()) {
                    req.headers_mut().insert(http::header::HOST, v);
                }
            }
        }
        let request = match store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)
        {
            Ok(r) => r,
            Err(e) => return report(400, format!("bad request: {e:#}")),
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
                            Err(code) => Err(error_code_text(code)),
                        });
                    }
                    let _ = tx.send(response);
                })
        };
        let out = match out {
            Ok(o) => o,
            Err(e) => return report(500, format!("cannot set up the response: {e:#}")),
        };

        // The run's deadline counts from its Store's start, like the epoch
        // deadline, not from when the spawned task first runs.
        let deadline = crate::deadline::Deadline::after(store.data().started, limits.timeout);
        let this = self.clone();
        let guest = tokio::spawn(async move {
            let _guard = guard;
            let node = this.server.node.as_str();
            let host = &this.server.host;
            let outcome = async {
                let proxy = this
                    .server
                    .proxy
                    .instantiate_async(&mut store)
                    .await
                    .map_err(|e| classify(e, node, &limits, true))?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, request, out)
                    .await
                    .map_err(|e| classify(e, node, &limits, false))
            };
            let outcome = crate::run::within_deadline(outcome, node, &limits, deadline)
                .await
                .map(|()| String::new());
            let out = stdout.contents();
            let err = stderr.contents();
            let mut result = outcome;
            {
                let state = store.data();
                refine_failure(&mut result, state, node, &limits, &out, &err);
            }
            drop(store);
            let set = set.lock().ok().and_then(|mut s| s.take());
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
                this.failed.fetch_add(1, Ordering::Relaxed);
            }
            host.events.send(Event::Served {
                run,
                method,
                path,
                status,
                micros: started.elapsed().as_micros() as u64,
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
        });

        match rx.await {
            Ok(Ok(response)) => response,
            _ => {
                let message = match guest.await {
                    Ok(Some(message)) => message,
                    Ok(None) => "the guest answered without a response".to_string(),
                    Err(e) => format!("the request's task failed: {e}"),
                };
                text_response(500, &message)
            }
        }
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

/// `error-code` as the guest sent it, for messages.
fn error_code_text(code: &ErrorCode) -> String {
    format!("{code:?}")
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
