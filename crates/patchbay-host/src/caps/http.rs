//! Outgoing HTTP: refused unless an allow-list names the `host:port`, or
//! answered from canned responses by the `http` fake (no network at all).
//!
//! The allow-list compares the request's host as written, after
//! lower-casing and removing IPv6 brackets, with each allowed host:
//! `127.1`, `0x7f000001`, `[::ffff:127.0.0.1]` or a trailing dot are other
//! hosts than `127.0.0.1`, and refused unless listed themselves. Only
//! `localhost` and `127.0.0.1`/`::1` stand for each other. Redirects are
//! never followed by the host: the guest sees the redirect response.

use crate::state::{ScopeLog, ScopeRefusal};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use indexmap::IndexMap;
use patchbay_project::{CannedResponse, HostPort};
use std::future::Future;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// How outgoing HTTP is answered in one scope (a node, or a composition).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpConfig {
    allow: Vec<HostPort>,
    canned: Option<IndexMap<String, CannedResponse>>,
    /// The nodes whose outgoing requests this answers, for refusals.
    nodes: Vec<String>,
}

impl HttpConfig {
    /// Allows requests to these peers.
    pub fn allow(&mut self, peers: &[HostPort]) {
        for p in peers {
            if !self.allow.contains(p) {
                self.allow.push(p.clone());
            }
        }
    }

    /// Notes that `nodes` send requests through this scope.
    pub fn reached(&mut self, nodes: &[String]) {
        for n in nodes {
            if !self.nodes.contains(n) {
                self.nodes.push(n.clone());
            }
        }
    }

    /// Answers every request from this table (by full URL, then by URL
    /// without query); anything else gets a 404 from the fake.
    pub fn canned(&mut self, responses: &IndexMap<String, CannedResponse>) {
        self.canned = Some(responses.clone());
    }

    /// The per-run policy, recording refusals in `log`.
    pub(crate) fn prepare(&self, log: &ScopeLog) -> HttpPolicy {
        HttpPolicy {
            config: self.clone(),
            log: log.clone(),
        }
    }

    /// Whether a request to `host:port` (as the URL writes them) is allowed.
    pub(crate) fn allows(&self, host: &str, port: u16) -> bool {
        let host = host.to_ascii_lowercase();
        let loopback = |h: &str| matches!(h, "localhost" | "127.0.0.1" | "::1");
        self.allow.iter().any(|a| {
            let allowed = a.host.to_ascii_lowercase();
            a.port == port && (allowed == host || (loopback(&allowed) && loopback(&host)))
        })
    }
}

/// The `WasiHttpHooks` of one scope in one run.
pub(crate) struct HttpPolicy {
    config: HttpConfig,
    log: ScopeLog,
}

/// The host (lower-cased, without IPv6 brackets) and port a request goes to.
fn authority_of(uri: &http::Uri) -> Option<(String, u16)> {
    let host = uri.host()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .to_ascii_lowercase();
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
        let target = authority_of(&uri);
        let allowed = target
            .as_ref()
            .is_some_and(|(host, port)| self.config.allows(host, *port));
        if !allowed {
            let peer = match &target {
                Some((host, port)) if host.contains(':') => format!("[{host}]:{port}"),
                Some((host, port)) => format!("{host}:{port}"),
                None => "a URL without a host".into(),
            };
            self.log.record(ScopeRefusal {
                nodes: self.config.nodes.clone(),
                interface: "wasi:http/outgoing-handler".into(),
                refused: true,
                message: format!(
                    "a request to {} was refused: {} is not on its allow-list",
                    crate::state::shown(&uri.to_string()),
                    crate::state::shown(&peer)
                ),
            });
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
