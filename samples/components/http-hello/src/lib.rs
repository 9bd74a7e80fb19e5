//! `http-hello`: exports `wasi:http/incoming-handler` through the `wasi`
//! crate's `wasi:http/proxy` export macro.
//!
//! Every request gets `200`, `content-type: text/plain` and the body
//! `hello from patchbay: METHOD PATH_WITH_QUERY\n`, except path `/fail`
//! (any query), which panics so the component traps and the host answers
//! with its own error (typically 500).

use std::io::Write;

use wasi::exports::http::incoming_handler::Guest;
use wasi::http::types::{
    Fields, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

struct HttpHello;

wasi::http::proxy::export!(HttpHello);

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

impl Guest for HttpHello {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let method = request.method();
        let path_with_query = request.path_with_query().unwrap_or_else(|| "/".to_string());
        let path = path_with_query.split('?').next().unwrap_or_default();
        if path == "/fail" {
            panic!("http-hello: /fail was requested");
        }
        let body_text = format!(
            "hello from patchbay: {} {}\n",
            method_name(&method),
            path_with_query
        );

        let headers = Fields::from_list(&[("content-type".to_string(), b"text/plain".to_vec())])
            .expect("content-type is a valid header");
        let response = OutgoingResponse::new(headers);
        response
            .set_status_code(200)
            .expect("200 is a valid status");
        let body = response.body().expect("body is taken once");
        ResponseOutparam::set(response_out, Ok(response));

        let mut stream = body.write().expect("stream is taken once");
        stream
            .write_all(body_text.as_bytes())
            .and_then(|()| Write::flush(&mut stream))
            .expect("writing the response body");
        drop(stream);
        OutgoingBody::finish(body, None).expect("finishing the response body");
    }
}
