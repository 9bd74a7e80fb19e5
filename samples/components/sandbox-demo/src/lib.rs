//! `sandbox-demo`: exports `patchbay:sandbox/probe`, each function reaching
//! for one host capability so a host can show what its sandbox allows.
//!
//! - `read-file(path)`: `std::fs::read_to_string` (needs a preopened folder);
//!   error `cannot read PATH: REASON`.
//! - `read-env(name)`: `std::env::var`; error `cannot read env NAME: REASON`.
//! - `fetch(url)`: a GET through `wasi:http/outgoing-handler`; ok is
//!   `STATUS BODY`, errors start with `invalid url`, `cannot fetch URL` or
//!   `cannot read body of URL`.
//! - `write-file(path, contents)`: `std::fs::write` (needs a writable
//!   preopened folder); error `cannot write PATH: REASON`.
//! - `connect(addr)`: a raw TCP connection through `wasi:sockets` to
//!   `HOST:PORT` (IPv6 in brackets). An IP address is used as written
//!   (`std`'s parser: `127.0.0.1`, `[::1]`); anything else is resolved with
//!   `wasi:sockets/ip-name-lookup`, whose answers are tried in order. The
//!   connection is closed at once; ok is `connected to IP:PORT`, errors
//!   start with `invalid address`, `cannot resolve HOST` or
//!   `cannot connect to ADDR` (each address tried, with WASI's error code).
//! - `run-all()`: the three probes with the defaults below, one line each:
//!   `file: ok: TEXT` or `file: error: MSG`, then `env: ...`, then `fetch: ...`.
//!   Inside each line, newlines are escaped as `\n` and trailing whitespace is
//!   dropped, so the reply is always exactly three lines.

use std::io::Read as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, Method, OutgoingRequest, Scheme};
use wasi::sockets::network::{
    ErrorCode, IpAddress, IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress,
    Network,
};
use wasi::sockets::{instance_network, ip_name_lookup, tcp_create_socket};

wit_bindgen::generate!({
    path: "../../../wit/sandbox",
    world: "sandbox-demo",
});

use exports::patchbay::sandbox::probe::Guest;

/// The file `run-all` reads.
const DEFAULT_FILE: &str = "/data/motd.txt";
/// The environment variable `run-all` reads.
const DEFAULT_ENV: &str = "GREETING";
/// The URL `run-all` fetches.
const DEFAULT_URL: &str = "http://127.0.0.1:8080/";
/// At most this many bytes of a response body are read.
const MAX_BODY_BYTES: u64 = 64 * 1024;

struct SandboxDemo;

impl Guest for SandboxDemo {
    fn read_file(path: String) -> Result<String, String> {
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))
    }

    fn read_env(name: String) -> Result<String, String> {
        std::env::var(&name).map_err(|e| format!("cannot read env {name}: {e}"))
    }

    fn fetch(url: String) -> Result<String, String> {
        fetch(&url)
    }

    fn write_file(path: String, contents: String) -> Result<(), String> {
        std::fs::write(&path, contents).map_err(|e| format!("cannot write {path}: {e}"))
    }

    fn connect(addr: String) -> Result<String, String> {
        connect(&addr)
    }

    fn now_ms() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }

    fn random_u64() -> u64 {
        wasi::random::random::get_random_u64()
    }

    fn run_all() -> String {
        let lines = [
            ("file", Self::read_file(DEFAULT_FILE.to_string())),
            ("env", Self::read_env(DEFAULT_ENV.to_string())),
            ("fetch", Self::fetch(DEFAULT_URL.to_string())),
        ];
        let mut out = String::new();
        for (label, result) in lines {
            let (kind, text) = match result {
                Ok(text) => ("ok", text),
                Err(msg) => ("error", msg),
            };
            out.push_str(&format!("{label}: {kind}: {}\n", one_line(&text)));
        }
        out
    }
}

/// Drops trailing whitespace and escapes newlines, for `run-all`.
fn one_line(text: &str) -> String {
    text.trim_end().replace('\r', "\\r").replace('\n', "\\n")
}

/// The parts of an absolute `scheme://authority/path?query` URL.
struct Url<'a> {
    scheme: Scheme,
    authority: &'a str,
    path_with_query: &'a str,
}

/// Splits an absolute URL; any `#fragment` is dropped.
fn parse_url(url: &str) -> Result<Url<'_>, String> {
    let invalid = |why: &str| format!("invalid url {url:?}: {why}");
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("expected scheme://authority/path"))?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        "" => return Err(invalid("empty scheme")),
        other => Scheme::Other(other.to_string()),
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_with_query) = rest.split_at(split);
    if authority.is_empty() {
        return Err(invalid("empty authority"));
    }
    let path_with_query = match path_with_query {
        "" => "/",
        p => p,
    };
    Ok(Url {
        scheme,
        authority,
        path_with_query,
    })
}

/// Makes a GET request and returns `STATUS BODY`.
fn fetch(url: &str) -> Result<String, String> {
    let parts = parse_url(url)?;
    let invalid = |what: &str| format!("invalid url {url:?}: bad {what}");

    let request = OutgoingRequest::new(Fields::new());
    request
        .set_method(&Method::Get)
        .map_err(|()| invalid("method"))?;
    request
        .set_scheme(Some(&parts.scheme))
        .map_err(|()| invalid("scheme"))?;
    request
        .set_authority(Some(parts.authority))
        .map_err(|()| invalid("authority"))?;
    request
        .set_path_with_query(Some(parts.path_with_query))
        .map_err(|()| invalid("path"))?;

    let cannot_fetch = |why: String| format!("cannot fetch {url}: {why}");
    let pending =
        outgoing_handler::handle(request, None).map_err(|e| cannot_fetch(e.to_string()))?;
    let response = loop {
        match pending.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(e))) => return Err(cannot_fetch(e.to_string())),
            Some(Err(())) => return Err(cannot_fetch("response already taken".to_string())),
            None => pending.subscribe().block(),
        }
    };
    let status = response.status();

    let cannot_read = |why: String| format!("cannot read body of {url}: {why}");
    let body = response
        .consume()
        .map_err(|()| cannot_read("body already consumed".to_string()))?;
    let stream = body
        .stream()
        .map_err(|()| cannot_read("stream already taken".to_string()))?;
    let mut bytes = Vec::new();
    let read = stream.take(MAX_BODY_BYTES).read_to_end(&mut bytes);
    // `take` consumed and dropped the stream: child before parent `body`,
    // and `body` before `response`.
    drop(body);
    drop(response);
    read.map_err(|e| cannot_read(e.to_string()))?;

    Ok(format!("{status} {}", String::from_utf8_lossy(&bytes)))
}

/// Connects to `HOST:PORT` and returns `connected to IP:PORT`.
fn connect(addr: &str) -> Result<String, String> {
    let invalid = |why: &str| format!("invalid address {addr:?}: {why}");
    let (host, port) = addr
        .rsplit_once(':')
        .ok_or_else(|| invalid("expected host:port"))?;
    let port: u16 = port.parse().map_err(|_| invalid("bad port"))?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() {
        return Err(invalid("empty host"));
    }
    let network = instance_network::instance_network();
    let ips = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => resolve(&network, host)?,
    };
    let mut tried = Vec::new();
    for ip in ips {
        let target = SocketAddr::new(ip, port);
        match connect_to(&network, target) {
            Ok(()) => return Ok(format!("connected to {target}")),
            Err(e) => tried.push(format!("{target}: {}", e.name())),
        }
    }
    Err(format!("cannot connect to {addr}: {}", tried.join("; ")))
}

/// The addresses `host` resolves to, in the resolver's order.
fn resolve(network: &Network, host: &str) -> Result<Vec<IpAddr>, String> {
    let fail = |e: ErrorCode| format!("cannot resolve {host}: {}", e.name());
    let stream = ip_name_lookup::resolve_addresses(network, host).map_err(fail)?;
    let mut ips = Vec::new();
    loop {
        match stream.resolve_next_address() {
            Ok(Some(IpAddress::Ipv4((a, b, c, d)))) => {
                ips.push(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
            }
            Ok(Some(IpAddress::Ipv6((a, b, c, d, e, f, g, h)))) => {
                ips.push(IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h)))
            }
            Ok(None) => break,
            Err(ErrorCode::WouldBlock) => stream.subscribe().block(),
            Err(e) => return Err(fail(e)),
        }
    }
    if ips.is_empty() {
        return Err(format!("cannot resolve {host}: no addresses"));
    }
    Ok(ips)
}

/// Opens a TCP connection to `target` and closes it again.
fn connect_to(network: &Network, target: SocketAddr) -> Result<(), ErrorCode> {
    let (family, remote) = match target {
        SocketAddr::V4(v4) => {
            let [a, b, c, d] = v4.ip().octets();
            (
                IpAddressFamily::Ipv4,
                IpSocketAddress::Ipv4(Ipv4SocketAddress {
                    port: v4.port(),
                    address: (a, b, c, d),
                }),
            )
        }
        SocketAddr::V6(v6) => {
            let [a, b, c, d, e, f, g, h] = v6.ip().segments();
            (
                IpAddressFamily::Ipv6,
                IpSocketAddress::Ipv6(Ipv6SocketAddress {
                    port: v6.port(),
                    flow_info: 0,
                    address: (a, b, c, d, e, f, g, h),
                    scope_id: 0,
                }),
            )
        }
    };
    let socket = tcp_create_socket::create_tcp_socket(family)?;
    socket.start_connect(network, remote)?;
    let (input, output) = loop {
        match socket.finish_connect() {
            Ok(streams) => break streams,
            Err(ErrorCode::WouldBlock) => socket.subscribe().block(),
            Err(e) => return Err(e),
        }
    };
    // The streams are children of the socket: dropped first.
    drop(input);
    drop(output);
    drop(socket);
    Ok(())
}

export!(SandboxDemo);
