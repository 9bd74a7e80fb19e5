//! Running: one call of the composition in the embedded host, and the
//! HTTP server.

use super::*;
use crate::dto::*;
use crate::ApiError;
use patchbay_compose::Workspace;
use sha2::{Digest, Sha256};
use std::sync::Arc;

impl Session {
    /// Runs one call of the composition in the embedded host, in a fresh
    /// instance.
    pub async fn run(&self, request: RunRequest) -> Result<RunReport, ApiError> {
        let limits = request.limits.to_host()?;
        let ws = self.workspace(&request.doc)?;
        let key = run_key(&request.doc, &ws, request.traced);
        let runnable = self
            .runnable(ws, key, request.traced, &request.call)
            .await?;
        let report = self.host.run(&runnable, &request.call, &limits).await;
        Ok(RunReport::from_host(&report, request.limits))
    }

    /// The project prepared to run (`key` from [`run_key`]), from the
    /// cache of the last one or prepared now; `call` names the failure.
    pub(super) async fn runnable(
        &self,
        ws: Workspace,
        key: String,
        traced: bool,
        call: &str,
    ) -> Result<Arc<Runnable>, ApiError> {
        let cached = self.runnable.lock().ok().and_then(|slot| {
            slot.as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| r.clone())
        });
        if let Some(r) = cached {
            return Ok(r);
        }
        let host = self.host.clone();
        self.events.emit(AppEvent::Busy {
            task: "compiling".into(),
            busy: true,
        });
        let prepared = Self::blocking(move || {
            if traced {
                host.prepare_traced(&ws)
            } else {
                host.prepare(&ws)
            }
        })
        .await;
        self.events.emit(AppEvent::Busy {
            task: "compiling".into(),
            busy: false,
        });
        let prepared = prepared?.map_err(|e| {
            ApiError::run_failed(format!("cannot run `{call}`")).with_detail(e.to_string())
        })?;
        let r = Arc::new(prepared);
        if let Ok(mut slot) = self.runnable.lock() {
            *slot = Some((key, r.clone()));
        }
        Ok(r)
    }

    /// Serves the composition's `wasi:http/incoming-handler` on 127.0.0.1.
    pub async fn serve_start(&self, request: ServeRequest) -> Result<ServeInfo, ApiError> {
        self.stop_serving().await;
        let limits = request.limits.to_host()?;
        let ws = self.workspace(&request.doc)?;
        let host = self.host.clone();
        let prepared = Self::blocking(move || host.prepare_composed(&ws))
            .await?
            .map_err(|e| {
                ApiError::serve_failed("cannot prepare the composition to serve")
                    .with_detail(e.to_string())
            })?;
        let server =
            patchbay_host::serve::Server::new(self.host.clone(), Arc::new(prepared), limits)
                .map_err(|e| ApiError::serve_failed(e.to_string()))?;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], request.port.unwrap_or(0)));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| ApiError::serve_failed(format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| ApiError::serve_failed(format!("cannot read the server address: {e}")))?;
        let info = ServeInfo {
            url: format!("http://{local}/"),
            node: server.node().to_string(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        *self.serving.lock().await = Some(ServeHandle {
            info: info.clone(),
            stop,
            task,
        });
        Ok(info)
    }

    pub(super) async fn stop_serving(&self) -> Option<ServeInfo> {
        let handle = self.serving.lock().await.take()?;
        let _ = handle.stop.send(());
        let _ = handle.task.await;
        Some(handle.info)
    }

    /// Stops the HTTP server.
    pub async fn serve_stop(&self, _request: Empty) -> Result<(), ApiError> {
        self.stop_serving().await;
        Ok(())
    }
}

/// What a run of `doc` depends on: the document without where its nodes
/// are drawn, the mode, and the content of every component. Runs, and the
/// live session, are prepared again (the session ended) when it changes.
pub(super) fn run_key(doc: &ProjectDoc, ws: &Workspace, traced: bool) -> String {
    let mut unplaced = doc.clone();
    for node in &mut unplaced.nodes {
        (node.x, node.y) = (0.0, 0.0);
    }
    for fake in &mut unplaced.fake_nodes {
        (fake.x, fake.y) = (0.0, 0.0);
    }
    // Presets are the run form's, not the composition's.
    unplaced.presets.clear();
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&unplaced).unwrap_or_default());
    h.update([u8::from(traced)]);
    for id in ws.project().components.keys() {
        if let Some(Ok(part)) = ws.part(id) {
            h.update(part.loaded.hash.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
