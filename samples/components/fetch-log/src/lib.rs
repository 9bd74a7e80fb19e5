//! `fetch-log`: fetches a URL through `wasi:http/outgoing-handler`, logging
//! on stdout and stderr (see `wit/fetch-log`).
//!
//! `fetch(url, body)`: a GET, or a POST of `body` (`content-type:
//! text/plain` and its `content-length`); ok is `STATUS CONTENT-TYPE BODY`
//! (`-` when the response has no content type); errors start with
//! `invalid url`, `cannot send`, `cannot fetch URL` or `cannot read body of
//! URL`. The request's headers are immutable once it holds them: an attempt
//! to change them that succeeds is an error too.

use std::io::Read as _;

use wasi::http::outgoing_handler;
use wasi::http::types::{ErrorCode, Fields, HeaderError, Method, OutgoingBody, OutgoingRequest, Scheme};

wit_bindgen::generate!({
    path: "../../../wit/fetch-log",
    world: "fetch-log",
});

/// At most this many bytes of a response body are read.
const MAX_BODY_BYTES: u64 = 64 * 1024;

struct FetchLog;

impl Guest for FetchLog {
    fn fetch(url: String, body: Option<String>) -> Result<String, String> {
        println!("fetching {url}");
        let answer = fetch(&url, body.as_deref());
        match &answer {
            Ok(text) => eprintln!("fetched {url}: {}", text.split(' ').next().unwrap_or("")),
            Err(e) => eprintln!("failed {url}: {e}"),
        }
        answer
    }
}

export!(FetchLog);

/// Splits `scheme://authority/path?query`.
fn parse_url(url: &str) -> Result<(Scheme, &str, &str), String> {
    let invalid = |why: &str| format!("invalid url {url:?}: {why}");
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("expected scheme://authority/path"))?;
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.to_string()),
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let path = if path.is_empty() { "/" } else { path };
    Ok((scheme, authority, path))
}

fn header_error(e: HeaderError) -> String {
    match e {
        HeaderError::InvalidSyntax => "invalid header".into(),
        HeaderError::Forbidden => "forbidden header".into(),
        HeaderError::Immutable => "immutable headers".into(),
    }
}

fn fetch(url: &str, body: Option<&str>) -> Result<String, String> {
    let (scheme, authority, path) = parse_url(url)?;
    let cannot_send = |why: String| format!("cannot send to {url}: {why}");
    let mut headers = vec![("accept".to_string(), b"text/plain".to_vec())];
    if let Some(body) = body {
        headers.push(("content-type".into(), b"text/plain".to_vec()));
        headers.push(("content-length".into(), body.len().to_string().into_bytes()));
    }
    let fields = Fields::from_list(&headers).map_err(|e| cannot_send(header_error(e)))?;
    let request = OutgoingRequest::new(fields);
    if request.headers().append("x-late", b"no").is_ok() {
        return Err(cannot_send("the request's headers changed after it took them".into()));
    }
    let method = if body.is_some() { Method::Post } else { Method::Get };
    let set = [
        request.set_method(&method),
        request.set_scheme(Some(&scheme)),
        request.set_authority(Some(authority)),
        request.set_path_with_query(Some(path)),
    ];
    if set.iter().any(Result::is_err) {
        return Err(format!("invalid url {url:?}: the request refused a part of it"));
    }
    let outgoing = request
        .body()
        .map_err(|()| cannot_send("no request body".into()))?;
    let cannot_fetch = |e: ErrorCode| format!("cannot fetch {url}: {e}");
    let pending = outgoing_handler::handle(request, None).map_err(cannot_fetch)?;
    if let Some(body) = body {
        let stream = outgoing
            .write()
            .map_err(|()| cannot_send("no body stream".into()))?;
        for chunk in body.as_bytes().chunks(4096) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|e| cannot_send(format!("writing the body: {e:?}")))?;
        }
        // The stream before its body.
        drop(stream);
    }
    OutgoingBody::finish(outgoing, None).map_err(cannot_fetch)?;
    let response = loop {
        match pending.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(e))) => return Err(cannot_fetch(e)),
            Some(Err(())) => return Err(format!("cannot fetch {url}: response already taken")),
            None => pending.subscribe().block(),
        }
    };
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .first()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_else(|| "-".into());
    let cannot_read = |why: &str| format!("cannot read body of {url}: {why}");
    let incoming = response
        .consume()
        .map_err(|()| cannot_read("body already consumed"))?;
    let stream = incoming
        .stream()
        .map_err(|()| cannot_read("stream already taken"))?;
    let mut bytes = Vec::new();
    let read = stream.take(MAX_BODY_BYTES).read_to_end(&mut bytes);
    drop(incoming);
    drop(response);
    read.map_err(|e| cannot_read(&e.to_string()))?;
    Ok(format!(
        "{status} {content_type} {}",
        String::from_utf8_lossy(&bytes)
    ))
}
