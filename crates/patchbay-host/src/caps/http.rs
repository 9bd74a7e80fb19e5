//! Outgoing HTTP: refused unless an allow-list names the `host:port`, or
//! answered from canned responses by the `http` fake (no network at all).
//!
//! The allow-list matches the request's host as the URL writes it (the
//! host, not the guest, resolves names, so text is all it can compare):
//! - an IP address matches the same address (compared as addresses, so
//!   `[0:0::1]` is `[::1]`, but `[::1]` is not `127.0.0.1` and
//!   `[::ffff:127.0.0.1]` is neither), or a listed `localhost` when it is
//!   `127.0.0.1` or `[::1]`, as a socket allow-list does;
//! - a name matches the same name (case-insensitive), and `localhost` also
//!   matches a listed `127.0.0.1` or `[::1]`: the request then goes to that
//!   listed address, never to whatever else `localhost` resolves to;
//! - `127.1`, `0x7f000001`, `2130706433` or a trailing dot are names, other
//!   than `127.0.0.1`, and refused unless listed themselves;
//! - a URL with user info (`http://user@host/`) is refused: where it would
//!   connect depends on who parses it.
//!
//! The host connects to exactly the `host:port` it matched (the request's
//! URL is rewritten to it; the `Host` header keeps what the guest wrote, and
//! TLS checks the certificate against the host connected to).
//! Redirects are never followed by the host: the guest sees the redirect
//! response, and its next request is checked like any other.

use super::peer::peer_matches;
use crate::report::ScopeRefusal;
use crate::scope_log::ScopeLog;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use indexmap::IndexMap;
use patchbay_project::{CannedResponse, HostPort};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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
    /// Whether `other` allows the same peers and answers with the same
    /// canned responses, whichever nodes each names.
    pub fn same_reach(&self, other: &Self) -> bool {
        self.allow == other.allow && self.canned == other.canned
    }

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

    /// Where a request to `host:port` (as the URL writes them, without IPv6
    /// brackets) goes, if the allow-list lets it: the host to connect to
    /// (the request's own, or the listed loopback address `localhost`
    /// stands for).
    pub(crate) fn destination(&self, host: &str, port: u16) -> Option<String> {
        let host = host.to_ascii_lowercase();
        if let Ok(ip) = host.parse::<IpAddr>() {
            let addr = SocketAddr::new(ip, port);
            return self
                .allow
                .iter()
                .any(|a| peer_matches(a, &addr))
                .then_some(host);
        }
        self.allow.iter().find_map(|a| {
            if a.port != port {
                return None;
            }
            let listed = a.host.to_ascii_lowercase();
            if listed == host {
                return Some(host.clone());
            }
            match listed.parse::<IpAddr>() {
                Ok(ip) if host == "localhost" && is_localhost(ip) => Some(listed),
                _ => None,
            }
        })
    }
}

/// `127.0.0.1` or `::1`: what `localhost` stands for.
fn is_localhost(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => ip == Ipv4Addr::LOCALHOST,
        IpAddr::V6(ip) => ip == Ipv6Addr::LOCALHOST,
    }
}

/// `uri` with its authority replaced by `host:port`, scheme and path kept.
fn sent_to(uri: &http::Uri, host: &str, port: u16) -> Option<http::Uri> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut parts = uri.clone().into_parts();
    parts.authority = Some(authority.parse().ok()?);
    http::Uri::from_parts(parts).ok()
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
        let user_info = uri.authority().is_some_and(|a| a.as_str().contains('@'));
        let destination = match &target {
            Some((host, port)) if !user_info => self
                .config
                .destination(host, *port)
                .and_then(|to| sent_to(&uri, &to, *port)),
            _ => None,
        };
        let Some(destination) = destination else {
            let peer = match &target {
                Some((host, port)) if host.contains(':') => format!("[{host}]:{port}"),
                Some((host, port)) => format!("{host}:{port}"),
                None => "a URL without a host".into(),
            };
            let why = if user_info {
                "its authority carries user info (`user@`), which no allow-list matches".into()
            } else {
                format!("{} is not on its allow-list", crate::report::shown(&peer))
            };
            self.log.record(ScopeRefusal {
                nodes: self.config.nodes.clone(),
                interface: "wasi:http/outgoing-handler".into(),
                refused: true,
                message: format!(
                    "a request to {} was refused: {why}",
                    crate::report::shown(&uri.to_string()),
                ),
            });
            return Box::new(async { Err(Error::HttpRequestDenied) });
        };
        let mut request = request;
        *request.uri_mut() = destination;
        Box::new(async move {
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}
