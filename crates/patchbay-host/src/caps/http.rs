//! Outgoing HTTP: refused unless an allow-list names the `host:port`, or
//! answered from canned responses by the `http` fake (no network at all).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use indexmap::IndexMap;
use patchbay_project::{CannedResponse, HostPort};
use std::future::Future;
use std::sync::{Arc, Mutex};
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// How outgoing HTTP is answered in a prepared project.
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    allow: Vec<HostPort>,
    canned: Option<IndexMap<String, CannedResponse>>,
}

impl HttpConfig {
    /// Allows requests to these peers.
    pub fn allow(&mut self, peers: &[HostPort]) {
        self.allow.extend(peers.iter().cloned());
    }

    /// Adds another node's policy (traced runs share one HTTP context).
    pub fn merge(&mut self, other: &HttpConfig) {
        self.allow.extend(other.allow.iter().cloned());
        if let Some(table) = &other.canned {
            self.canned
                .get_or_insert_with(IndexMap::new)
                .extend(table.clone());
        }
    }

    /// Answers every request from this table (by full URL, then by URL
    /// without query); anything else gets a 404 from the fake.
    pub fn canned(&mut self, responses: &IndexMap<String, CannedResponse>) {
        self.canned = Some(responses.clone());
    }

    /// The per-run policy.
    pub(crate) fn prepare(&self) -> HttpPolicy {
        HttpPolicy {
            config: self.clone(),
            refused: Arc::default(),
        }
    }
}

/// The `WasiHttpHooks` of one run.
pub(crate) struct HttpPolicy {
    config: HttpConfig,
    /// Requests refused by the allow-list, as `host:port`.
    pub refused: Arc<Mutex<Vec<String>>>,
}

fn authority_of(uri: &http::Uri) -> Option<(String, u16)> {
    let host = uri.host()?.to_string();
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    Some((host, port))
}

impl WasiHttpHooks for HttpPolicy {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<WasiBody>,
                        Box<dyn Future<Output = Result<(), Error>> + Send>,
                    ),
                    Error,
                >,
            > + Send,
    > {
        drop(fut);
        let uri = request.uri().clone();
        if let Some(table) = &self.config.canned {
            let url = uri.to_string();
            let without_query = url.split('?').next().unwrap_or(&url).to_string();
            let answer = table
                .get(&url)
                .or_else(|| table.get(&without_query))
                .cloned()
                .unwrap_or(CannedResponse {
                    status: 404,
                    body: format!("the http fake has no response for {url}"),
                });
            return Box::new(async move {
                let body = Full::new(Bytes::from(answer.body))
                    .map_err(|never| match never {})
                    .boxed_unsync();
                let response = http::Response::builder()
                    .status(answer.status)
                    .header("content-type", "text/plain")
                    .body(body)
                    .map_err(|_| Error::InternalError(Some("bad canned response".into())))?;
                Ok((
                    response,
                    Box::new(async { Ok(()) }) as Box<dyn Future<Output = _> + Send>,
                ))
            });
        }
        let allowed = authority_of(&uri).is_some_and(|(host, port)| {
            self.config.allow.iter().any(|a| {
                a.port == port
                    && (a.host == host
                        || (a.host == "localhost" && host == "127.0.0.1")
                        || (a.host == "127.0.0.1" && host == "localhost"))
            })
        });
        if !allowed {
            let (host, port) = authority_of(&uri).unwrap_or_default();
            self.refused
                .lock()
                .expect("refused lock")
                .push(format!("{host}:{port}"));
            return Box::new(async { Err(Error::HttpRequestDenied) });
        }
        Box::new(async move {
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}
