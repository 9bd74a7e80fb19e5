//! `http-hello-p3`: exports `wasi:http/handler@0.3.0`, the WASI 0.3 HTTP
//! handler (`handle: async func(request) -> result<response, error-code>`).
//!
//! - any path: `200`, `content-type: text/plain`, body
//!   `hello from patchbay over wasi:http 0.3: METHOD PATH_WITH_QUERY\n`,
//!   written into the response's `stream<u8>` by a task of its own;
//! - `/fetch?URL`: sends `GET URL` through the imported
//!   `wasi:http/client@0.3.0` and answers `fetched URL: STATUS\n`, or
//!   `502` with `fetch of URL failed: ERROR\n` (a host that refuses the
//!   request answers `HTTP-request-denied`);
//! - `/fail` (any query): panics, so the component traps and the host
//!   answers with its own error.

wit_bindgen::generate!({
    path: "../../../wit/http-p3",
    world: "hello",
    generate_all,
});

use exports::wasi::http::handler::Guest;
use wasi::http::client;
use wasi::http::types::{ErrorCode, Fields, Method, Request, Response, Scheme, Trailers};

struct HelloP3;

/// The method as it appears on the wire.
fn method_name(method: &Method) -> &str {
    match method {
        Method::Get => "GET",
        Method::Head => "HEAD",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
        Method::Connect => "CONNECT",
        Method::Options => "OPTIONS",
        Method::Trace => "TRACE",
        Method::Patch => "PATCH",
        Method::Other(other) => other,
    }
}

/// A `text/plain` response with `status` whose body streams `text`.
fn text_response(status: u16, text: String) -> Result<Response, ErrorCode> {
    let headers = Fields::from_list(&[("content-type".to_string(), b"text/plain".to_vec())])
        .map_err(|e| ErrorCode::InternalError(Some(format!("headers: {e:?}"))))?;
    let (mut body_tx, body_rx) = wit_stream::new::<u8>();
    // Dropping the writer unwritten answers `Ok(None)`: no trailers.
    let (_trailers_tx, trailers_rx) =
        wit_future::new::<Result<Option<Trailers>, ErrorCode>>(|| Ok(None));
    let (response, _sent) = Response::new(headers, Some(body_rx), trailers_rx);
    response
        .set_status_code(status)
        .map_err(|()| ErrorCode::InternalError(Some(format!("status {status}"))))?;
    wit_bindgen::spawn_local(async move {
        let rest = body_tx.write_all(text.into_bytes()).await;
        drop(rest);
    });
    Ok(response)
}

/// Sends `GET url` through the imported client: the status, or the error.
async fn fetch(url: &str) -> Result<u16, String> {
    let (scheme, rest) = match url.split_once("://") {
        Some(("http", rest)) => (Scheme::Http, rest),
        Some(("https", rest)) => (Scheme::Https, rest),
        _ => return Err(format!("not an http(s) URL: {url}")),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (_trailers_tx, trailers_rx) =
        wit_future::new::<Result<Option<Trailers>, ErrorCode>>(|| Ok(None));
    let (request, _sent) = Request::new(Fields::new(), None, trailers_rx, None);
    let set = [
        request.set_scheme(Some(&scheme)),
        request.set_authority(Some(authority)),
        request.set_path_with_query(Some(path)),
    ];
    if set.iter().any(Result::is_err) {
        return Err(format!("cannot address a request to {url}"));
    }
    match client::send(request).await {
        Ok(response) => Ok(response.get_status_code()),
        Err(e) => Err(format!("{e:?}")),
    }
}

impl Guest for HelloP3 {
    async fn handle(request: Request) -> Result<Response, ErrorCode> {
        let method = request.get_method();
        let path_with_query = request
            .get_path_with_query()
            .unwrap_or_else(|| "/".to_string());
        let (path, query) = path_with_query
            .split_once('?')
            .unwrap_or((path_with_query.as_str(), ""));
        match path {
            "/fail" => panic!("http-hello-p3: /fail was requested"),
            "/fetch" => match fetch(query).await {
                Ok(status) => text_response(200, format!("fetched {query}: {status}\n")),
                Err(e) => text_response(502, format!("fetch of {query} failed: {e}\n")),
            },
            _ => text_response(
                200,
                format!(
                    "hello from patchbay over wasi:http 0.3: {} {}\n",
                    method_name(&method),
                    path_with_query
                ),
            ),
        }
    }
}

export!(HelloP3);
