//! Answering a request with a `wasi:http/handler@0.3.x` export.
//!
//! The request becomes a p3 `request` (`wasmtime-wasi-http`'s
//! `Request::from_http`), and `handle` runs inside the Store's event loop
//! (`run_concurrent`). Its response's body is a stream the guest keeps
//! writing after `handle` returns, so the loop keeps running until the
//! client has read the body to its end (or gone away): the body handed
//! to hyper says when it is dropped.

use super::{
    guest_message, text_response, Handler, InFlightGuard, RequestInfo, RequestStore, SetResponse,
    Shared,
};
use crate::run::classify;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiHttpView;

/// Runs the guest's `handle` on `req` in a task of its own and answers
/// with its response as soon as it returns one; a guest that fails first
/// gets the host's `500`.
pub(super) async fn handle(
    this: Arc<Shared>,
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
    let (request, body_read) =
        wasmtime_wasi_http::p3::Request::from_http(store.data_mut().http().hooks, req);
    // Resolves once the guest has read or dropped the request's body.
    tokio::spawn(body_read);
    let set: Arc<Mutex<SetResponse>> = Arc::default();
    let (tx, rx) = tokio::sync::oneshot::channel::<Response<HyperOutgoingBody>>();
    let limits = this.server.limits.clone();
    // The run's deadline counts from its Store's start, like the epoch
    // deadline, not from when the spawned task first runs.
    let deadline = crate::deadline::Deadline::after(store.data().started, limits.timeout);
    let server = this.clone();
    let guest = tokio::spawn(async move {
        let _guard = guard;
        let node = server.server.node.as_str();
        let Handler::P3(service) = &server.server.handler else {
            unreachable!("p3::handle serves a p3 handler")
        };
        let answered = set.clone();
        let outcome = async {
            let service = service
                .instantiate_async(&mut store)
                .await
                .map_err(|e| classify(e, node, &limits, true))?;
            store
                .run_concurrent(async move |accessor| {
                    let response = match service.handle(accessor, request).await? {
                        Ok(response) => response,
                        Err(code) => {
                            answer(&answered, Err(format!("{code:?}")));
                            return Ok(());
                        }
                    };
                    let response =
                        accessor.with(|store| response.into_http(store, async { Ok(()) }))?;
                    answer(&answered, Ok(response.status().as_u16()));
                    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
                    let response = response.map(|body| {
                        WatchedBody {
                            inner: body,
                            _done: done_tx,
                        }
                        .boxed_unsync()
                    });
                    if tx.send(response).is_ok() {
                        // The Store's loop feeds the body until hyper drops it.
                        let _ = done_rx.await;
                    }
                    wasmtime::Result::<()>::Ok(())
                })
                .await
                .and_then(|inner| inner)
                .map_err(|e| classify(e, node, &limits, false))
        };
        let outcome = crate::run::within_deadline(outcome, node, &limits, deadline).await;
        let set = set.lock().ok().and_then(|mut s| s.take());
        let run = RequestStore {
            store,
            stdout,
            stderr,
        };
        server.conclude(info, run, outcome, set)
    });
    match rx.await {
        Ok(response) => response,
        Err(_) => text_response(500, &guest_message(guest).await),
    }
}

/// Records what the guest answered.
fn answer(slot: &Mutex<SetResponse>, answered: Result<u16, String>) {
    if let Ok(mut slot) = slot.lock() {
        *slot = Some(answered);
    }
}

/// A response body that says, by dropping `_done`, when hyper is done
/// with it (read to its end, or the client went away).
struct WatchedBody {
    inner: HyperOutgoingBody,
    _done: tokio::sync::oneshot::Sender<()>,
}

impl Body for WatchedBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
