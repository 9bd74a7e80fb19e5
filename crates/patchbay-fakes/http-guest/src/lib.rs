//! The sealed `http` fake (see `../Cargo.toml`).
//!
//! A sealed artifact cannot get a `future-incoming-response`, an
//! `incoming-response` or an `input-stream` from the host's `wasi:http/types`
//! without the host's network, and `wasi:http` 0.2 has no constructor for
//! them. So this component owns the types: it exports `wasi:http/types` and
//! `wasi:http/outgoing-handler`, and the `wasi:io` interfaces their
//! resources speak in. A stream is either an in-memory body or a host
//! stream it wraps (the node's standard streams, forwarded from the host's
//! `wasi:cli/std*`), a pollable is either always ready (its own) or a host
//! pollable (the monotonic clock's, a host stream's), so the node's console
//! output and timers still reach the host.
//!
//! Requests are answered as the host's fake answers them (patchbay-host,
//! `caps/http.rs`): the URL is built from scheme (HTTPS when unset),
//! authority and path with query; the response is the canned one for that
//! URL, else for the URL without its query, else a 404 whose body says
//! `the http fake has no response for URL`; every response has the header
//! `content-type: text/plain`. A request body is accepted and dropped.
//!
//! The canned responses are the seed, written by the exporter as a data
//! segment at [`PATCHBAY_FAKE_SEED`]: a little-endian `u32` count, then
//! per response a `u32` length and the URL, a `u32` length and
//! `STATUS BODY` (patchbay-fakes' `encode_seed`).

use std::cell::{Cell, RefCell};

wit_bindgen::generate!({
    path: "wit",
    world: "http-fake",
    generate_all,
});

use exports::wasi::cli::{stderr, stdin, stdout};
use exports::wasi::clocks::monotonic_clock;
use exports::wasi::http::outgoing_handler;
use exports::wasi::http::types::{
    self as http, ErrorCode, FieldName, FieldValue, Fields, FutureIncomingResponse, FutureTrailers,
    HeaderError, Headers, IncomingBody, IncomingResponse, Method, OutgoingBody, OutgoingRequest,
    OutgoingResponse, RequestOptions, ResponseOutparam, Scheme, StatusCode, Trailers,
};
use exports::wasi::io::error::{self as error, Error};
use exports::wasi::io::poll::{self as poll, Pollable, PollableBorrow};
use exports::wasi::io::streams::{self as streams, InputStream, OutputStream, StreamError};
use wasi::io::error as host_error;
use wasi::io::poll as host_poll;
use wasi::io::streams as host_streams;

/// How many bytes the exporter may write into [`PATCHBAY_FAKE_SEED`].
pub const SEED_CAPACITY: usize = 64 * 1024;

/// The canned responses, written by the exporter as a data segment at this
/// static's address (the module exports it as a global holding the
/// address). All zeros means no responses.
#[no_mangle]
pub static mut PATCHBAY_FAKE_SEED: [u8; SEED_CAPACITY] = [0; SEED_CAPACITY];

/// How many bytes a request body's stream takes per `check-write`.
const WRITE_BUDGET: u64 = 1024 * 1024;

/// How many bytes the host's `blocking-write-and-flush` takes per call.
const HOST_BLOCKING_CHUNK: usize = 4096;

/// The header names a guest may not set (wasmtime-wasi-http's defaults,
/// which Patchbay's host keeps).
const FORBIDDEN: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "host",
    "http2-settings",
];

/// The seed's entries, in order.
fn seed() -> Vec<(String, String)> {
    // SAFETY: the area is only ever read, after instantiation wrote it.
    let area: &[u8; SEED_CAPACITY] = unsafe { &*std::ptr::addr_of!(PATCHBAY_FAKE_SEED) };
    let mut at = 0usize;
    let mut next = |n: usize| -> Option<&'static [u8]> {
        let bytes = area.get(at..at.checked_add(n)?)?;
        at += n;
        Some(bytes)
    };
    let length = |next: &mut dyn FnMut(usize) -> Option<&'static [u8]>| {
        next(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut entries = Vec::new();
    let Some(count) = length(&mut next) else {
        return entries;
    };
    for _ in 0..count {
        let mut text = || -> Option<String> {
            let len = length(&mut next)?;
            next(len).map(|b| String::from_utf8_lossy(b).into_owned())
        };
        match (text(), text()) {
            (Some(k), Some(v)) => entries.push((k, v)),
            _ => break,
        }
    }
    entries
}

/// The canned answer for `url`, as the host's fake finds it: the URL, else
/// the URL without its query, else a 404 naming the URL.
fn answer(url: &str) -> (u16, Vec<u8>) {
    let table = seed();
    let without_query = url.split('?').next().unwrap_or(url);
    let found = table
        .iter()
        .find(|(k, _)| k == url)
        .or_else(|| table.iter().find(|(k, _)| k == without_query));
    match found {
        Some((_, canned)) => {
            let (status, body) = canned.split_once(' ').unwrap_or((canned, ""));
            // The exporter writes a status the project file accepted; any
            // other reads as one the response cannot carry.
            let status = status.parse().unwrap_or(0);
            (status, body.as_bytes().to_vec())
        }
        None => (
            404,
            format!("the http fake has no response for {url}").into_bytes(),
        ),
    }
}

struct HttpFake;

export!(HttpFake);

// ---- wasi:io/error ----

/// An error: the fake's own, with its message, or the host's.
pub enum IoErrorImpl {
    /// Raised by the fake.
    Fake(String),
    /// A host stream's error.
    Host(host_error::Error),
}

impl error::GuestError for IoErrorImpl {
    fn to_debug_string(&self) -> String {
        match self {
            IoErrorImpl::Fake(message) => message.clone(),
            IoErrorImpl::Host(e) => e.to_debug_string(),
        }
    }
}

impl error::Guest for HttpFake {
    type Error = IoErrorImpl;
}

// ---- wasi:io/poll ----

/// A pollable: one of the fake's (always ready: its bodies are in memory)
/// or the host's.
pub enum PollableImpl {
    /// Ready from the start.
    Ready,
    /// The host's.
    Host(host_poll::Pollable),
}

impl poll::GuestPollable for PollableImpl {
    fn ready(&self) -> bool {
        match self {
            PollableImpl::Ready => true,
            PollableImpl::Host(p) => p.ready(),
        }
    }

    fn block(&self) {
        if let PollableImpl::Host(p) = self {
            p.block();
        }
    }
}

impl poll::Guest for HttpFake {
    type Pollable = PollableImpl;

    fn poll(in_: Vec<PollableBorrow<'_>>) -> Vec<u32> {
        if in_.is_empty() {
            // As the host: waiting on nothing would never return.
            std::process::abort();
        }
        let pollables: Vec<&PollableImpl> = in_.iter().map(|p| p.get::<PollableImpl>()).collect();
        let own_ready = pollables.iter().any(|p| matches!(p, PollableImpl::Ready));
        if own_ready {
            // Something is ready now: answer without waiting, with every
            // pollable ready at this moment.
            return pollables
                .iter()
                .enumerate()
                .filter(|(_, p)| poll::GuestPollable::ready(**p))
                .map(|(i, _)| i as u32)
                .collect();
        }
        let host: Vec<&host_poll::Pollable> = pollables
            .iter()
            .filter_map(|p| match p {
                PollableImpl::Host(h) => Some(h),
                PollableImpl::Ready => None,
            })
            .collect();
        // Every pollable is the host's here, in the same order.
        host_poll::poll(&host)
    }
}

// ---- wasi:io/streams ----

/// Converts a host stream error.
fn host_stream_error(e: host_streams::StreamError) -> StreamError {
    match e {
        host_streams::StreamError::LastOperationFailed(e) => {
            StreamError::LastOperationFailed(Error::new(IoErrorImpl::Host(e)))
        }
        host_streams::StreamError::Closed => StreamError::Closed,
    }
}

/// An input stream: a response body in memory, or the host's stdin.
pub enum InputStreamImpl {
    /// The body and how much of it was read.
    Body {
        /// The bytes.
        bytes: Vec<u8>,
        /// How many were read.
        at: Cell<usize>,
    },
    /// The host's.
    Host(host_streams::InputStream),
}

impl InputStreamImpl {
    /// Takes up to `len` bytes of the body; closed at its end.
    fn take(bytes: &[u8], at: &Cell<usize>, len: u64) -> Result<Vec<u8>, StreamError> {
        let start = at.get();
        if start >= bytes.len() {
            return Err(StreamError::Closed);
        }
        let n = usize::try_from(len)
            .unwrap_or(usize::MAX)
            .min(bytes.len() - start);
        at.set(start + n);
        Ok(bytes[start..start + n].to_vec())
    }
}

impl streams::GuestInputStream for InputStreamImpl {
    fn read(&self, len: u64) -> Result<Vec<u8>, StreamError> {
        match self {
            InputStreamImpl::Body { bytes, at } => Self::take(bytes, at, len),
            InputStreamImpl::Host(s) => s.read(len).map_err(host_stream_error),
        }
    }

    fn blocking_read(&self, len: u64) -> Result<Vec<u8>, StreamError> {
        match self {
            InputStreamImpl::Body { bytes, at } => Self::take(bytes, at, len),
            InputStreamImpl::Host(s) => s.blocking_read(len).map_err(host_stream_error),
        }
    }

    fn skip(&self, len: u64) -> Result<u64, StreamError> {
        match self {
            InputStreamImpl::Body { bytes, at } => {
                Self::take(bytes, at, len).map(|b| b.len() as u64)
            }
            InputStreamImpl::Host(s) => s.skip(len).map_err(host_stream_error),
        }
    }

    fn blocking_skip(&self, len: u64) -> Result<u64, StreamError> {
        match self {
            InputStreamImpl::Body { bytes, at } => {
                Self::take(bytes, at, len).map(|b| b.len() as u64)
            }
            InputStreamImpl::Host(s) => s.blocking_skip(len).map_err(host_stream_error),
        }
    }

    fn subscribe(&self) -> Pollable {
        match self {
            InputStreamImpl::Body { .. } => Pollable::new(PollableImpl::Ready),
            InputStreamImpl::Host(s) => Pollable::new(PollableImpl::Host(s.subscribe())),
        }
    }
}

/// An output stream: a request or response body (its bytes are counted
/// and dropped), or the host's stdout or stderr.
pub enum OutputStreamImpl {
    /// A body's sink.
    Body(std::rc::Rc<BodySink>),
    /// The host's.
    Host(host_streams::OutputStream),
}

/// What a body's stream wrote, shared with its `outgoing-body`.
#[derive(Default)]
pub struct BodySink {
    /// Bytes written (and dropped).
    written: Cell<u64>,
    /// Set by `outgoing-body.finish`: later writes fail.
    finished: Cell<bool>,
}

impl BodySink {
    fn accept(&self, len: u64) -> Result<(), StreamError> {
        if self.finished.get() {
            return Err(StreamError::Closed);
        }
        self.written.set(self.written.get().saturating_add(len));
        Ok(())
    }
}

impl OutputStreamImpl {
    /// Writes all of `bytes` to the host's stream, waiting as needed.
    fn host_write_all(s: &host_streams::OutputStream, bytes: &[u8]) -> Result<(), StreamError> {
        for chunk in bytes.chunks(HOST_BLOCKING_CHUNK) {
            s.blocking_write_and_flush(chunk)
                .map_err(host_stream_error)?;
        }
        Ok(())
    }
}

impl streams::GuestOutputStream for OutputStreamImpl {
    fn check_write(&self) -> Result<u64, StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => {
                if sink.finished.get() {
                    Err(StreamError::Closed)
                } else {
                    Ok(WRITE_BUDGET)
                }
            }
            OutputStreamImpl::Host(s) => s.check_write().map_err(host_stream_error),
        }
    }

    fn write(&self, contents: Vec<u8>) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(contents.len() as u64),
            OutputStreamImpl::Host(s) => s.write(&contents).map_err(host_stream_error),
        }
    }

    fn blocking_write_and_flush(&self, contents: Vec<u8>) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(contents.len() as u64),
            OutputStreamImpl::Host(s) => s
                .blocking_write_and_flush(&contents)
                .map_err(host_stream_error),
        }
    }

    fn flush(&self) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(0),
            OutputStreamImpl::Host(s) => s.flush().map_err(host_stream_error),
        }
    }

    fn blocking_flush(&self) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(0),
            OutputStreamImpl::Host(s) => s.blocking_flush().map_err(host_stream_error),
        }
    }

    fn subscribe(&self) -> Pollable {
        match self {
            OutputStreamImpl::Body(_) => Pollable::new(PollableImpl::Ready),
            OutputStreamImpl::Host(s) => Pollable::new(PollableImpl::Host(s.subscribe())),
        }
    }

    fn write_zeroes(&self, len: u64) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(len),
            OutputStreamImpl::Host(s) => s.write_zeroes(len).map_err(host_stream_error),
        }
    }

    fn blocking_write_zeroes_and_flush(&self, len: u64) -> Result<(), StreamError> {
        match self {
            OutputStreamImpl::Body(sink) => sink.accept(len),
            OutputStreamImpl::Host(s) => s
                .blocking_write_zeroes_and_flush(len)
                .map_err(host_stream_error),
        }
    }

    fn splice(&self, src: streams::InputStreamBorrow<'_>, len: u64) -> Result<u64, StreamError> {
        let src = src.get::<InputStreamImpl>();
        match (self, src) {
            (OutputStreamImpl::Host(out), InputStreamImpl::Host(from)) => {
                out.splice(from, len).map_err(host_stream_error)
            }
            _ => {
                let len = len.min(self.check_write()?);
                let bytes = streams::GuestInputStream::read(src, len)?;
                let n = bytes.len() as u64;
                self.write(bytes)?;
                Ok(n)
            }
        }
    }

    fn blocking_splice(
        &self,
        src: streams::InputStreamBorrow<'_>,
        len: u64,
    ) -> Result<u64, StreamError> {
        let src = src.get::<InputStreamImpl>();
        match (self, src) {
            (OutputStreamImpl::Host(out), InputStreamImpl::Host(from)) => {
                out.blocking_splice(from, len).map_err(host_stream_error)
            }
            (OutputStreamImpl::Host(out), _) => {
                let bytes = streams::GuestInputStream::blocking_read(src, len)?;
                Self::host_write_all(out, &bytes)?;
                Ok(bytes.len() as u64)
            }
            (OutputStreamImpl::Body(sink), _) => {
                let bytes = streams::GuestInputStream::blocking_read(src, len)?;
                sink.accept(bytes.len() as u64)?;
                Ok(bytes.len() as u64)
            }
        }
    }
}

impl streams::Guest for HttpFake {
    type InputStream = InputStreamImpl;
    type OutputStream = OutputStreamImpl;
}

// ---- wasi:cli/std* and wasi:clocks/monotonic-clock: the host's ----

impl stdin::Guest for HttpFake {
    fn get_stdin() -> InputStream {
        InputStream::new(InputStreamImpl::Host(wasi::cli::stdin::get_stdin()))
    }
}

impl stdout::Guest for HttpFake {
    fn get_stdout() -> OutputStream {
        OutputStream::new(OutputStreamImpl::Host(wasi::cli::stdout::get_stdout()))
    }
}

impl stderr::Guest for HttpFake {
    fn get_stderr() -> OutputStream {
        OutputStream::new(OutputStreamImpl::Host(wasi::cli::stderr::get_stderr()))
    }
}

impl monotonic_clock::Guest for HttpFake {
    fn now() -> monotonic_clock::Instant {
        wasi::clocks::monotonic_clock::now()
    }

    fn resolution() -> monotonic_clock::Duration {
        wasi::clocks::monotonic_clock::resolution()
    }

    fn subscribe_instant(when: monotonic_clock::Instant) -> Pollable {
        Pollable::new(PollableImpl::Host(
            wasi::clocks::monotonic_clock::subscribe_instant(when),
        ))
    }

    fn subscribe_duration(when: monotonic_clock::Duration) -> Pollable {
        Pollable::new(PollableImpl::Host(
            wasi::clocks::monotonic_clock::subscribe_duration(when),
        ))
    }
}

// ---- wasi:http/types ----

/// Whether `name` is a valid header name (an HTTP token).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `value` is a valid header value (no control characters but
/// horizontal tab).
fn valid_value(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// A header name as stored and compared: lower case, checked.
fn header_name(name: &str) -> Result<String, HeaderError> {
    if !valid_name(name) {
        return Err(HeaderError::InvalidSyntax);
    }
    let name = name.to_ascii_lowercase();
    if FORBIDDEN.contains(&name.as_str()) {
        return Err(HeaderError::Forbidden);
    }
    Ok(name)
}

/// Headers or trailers.
pub struct FieldsImpl {
    /// Name (lower case) and value, in order.
    entries: RefCell<Vec<(String, Vec<u8>)>>,
    /// Fields a request or response holds are immutable.
    mutable: bool,
}

impl FieldsImpl {
    fn new(entries: Vec<(String, Vec<u8>)>, mutable: bool) -> Self {
        Self {
            entries: RefCell::new(entries),
            mutable,
        }
    }

    fn check_mutable(&self) -> Result<(), HeaderError> {
        if self.mutable {
            Ok(())
        } else {
            Err(HeaderError::Immutable)
        }
    }

    /// The entries of an owned `fields` given to a constructor.
    fn taken(fields: Fields) -> Vec<(String, Vec<u8>)> {
        fields.into_inner::<FieldsImpl>().entries.into_inner()
    }
}

impl http::GuestFields for FieldsImpl {
    fn new() -> Self {
        FieldsImpl::new(Vec::new(), true)
    }

    fn from_list(entries: Vec<(FieldName, FieldValue)>) -> Result<Fields, HeaderError> {
        let mut checked = Vec::with_capacity(entries.len());
        for (name, value) in entries {
            let name = header_name(&name)?;
            if !valid_value(&value) {
                return Err(HeaderError::InvalidSyntax);
            }
            checked.push((name, value));
        }
        Ok(Fields::new(FieldsImpl::new(checked, true)))
    }

    fn get(&self, name: FieldName) -> Vec<FieldValue> {
        let name = name.to_ascii_lowercase();
        self.entries
            .borrow()
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn has(&self, name: FieldName) -> bool {
        let name = name.to_ascii_lowercase();
        self.entries.borrow().iter().any(|(n, _)| *n == name)
    }

    fn set(&self, name: FieldName, value: Vec<FieldValue>) -> Result<(), HeaderError> {
        self.check_mutable()?;
        let name = header_name(&name)?;
        if !value.iter().all(|v| valid_value(v)) {
            return Err(HeaderError::InvalidSyntax);
        }
        let mut entries = self.entries.borrow_mut();
        entries.retain(|(n, _)| *n != name);
        entries.extend(value.into_iter().map(|v| (name.clone(), v)));
        Ok(())
    }

    fn delete(&self, name: FieldName) -> Result<(), HeaderError> {
        self.check_mutable()?;
        let name = header_name(&name)?;
        self.entries.borrow_mut().retain(|(n, _)| *n != name);
        Ok(())
    }

    fn append(&self, name: FieldName, value: FieldValue) -> Result<(), HeaderError> {
        self.check_mutable()?;
        let name = header_name(&name)?;
        if !valid_value(&value) {
            return Err(HeaderError::InvalidSyntax);
        }
        self.entries.borrow_mut().push((name, value));
        Ok(())
    }

    fn entries(&self) -> Vec<(FieldName, FieldValue)> {
        self.entries.borrow().clone()
    }

    fn clone(&self) -> Fields {
        Fields::new(FieldsImpl::new(self.entries.borrow().clone(), true))
    }
}

/// An incoming request: only an `incoming-handler` is given one, and the
/// fake serves none, so none ever exists.
pub enum IncomingRequestImpl {}

impl http::GuestIncomingRequest for IncomingRequestImpl {
    fn method(&self) -> Method {
        match *self {}
    }
    fn path_with_query(&self) -> Option<String> {
        match *self {}
    }
    fn scheme(&self) -> Option<Scheme> {
        match *self {}
    }
    fn authority(&self) -> Option<String> {
        match *self {}
    }
    fn headers(&self) -> Headers {
        match *self {}
    }
    fn consume(&self) -> Result<IncomingBody, ()> {
        match *self {}
    }
}

/// A response outparam: only an `incoming-handler` is given one, and the
/// fake serves none, so none ever exists.
pub enum ResponseOutparamImpl {}

impl http::GuestResponseOutparam for ResponseOutparamImpl {
    #[allow(unreachable_code)]
    fn set(param: ResponseOutparam, _response: Result<OutgoingResponse, ErrorCode>) {
        match param.into_inner::<ResponseOutparamImpl>() {}
    }
}

/// Whether `method` is one a request can carry (an HTTP token).
fn valid_method(method: &Method) -> bool {
    match method {
        Method::Other(m) => valid_name(m),
        _ => true,
    }
}

/// Whether `scheme` is one a URI can carry.
fn valid_scheme(scheme: &Scheme) -> bool {
    match scheme {
        Scheme::Other(s) => {
            s.len() <= 64
                && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        }
        _ => true,
    }
}

/// Whether `path` is a path with query a URI can carry.
fn valid_path(path: &str) -> bool {
    path.bytes()
        .all(|b| b > 0x20 && b != 0x7f && !b"\"<>\\^`{|}".contains(&b))
}

/// Whether `authority` is an authority a URI can carry.
fn valid_authority(authority: &str) -> bool {
    !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b > 0x20 && b != 0x7f && !b"\"<>\\^`{|}/?#".contains(&b))
}

/// The path and query part of a URL as the host writes it: the fragment
/// dropped, an empty path written `/`.
fn uri_path(path_with_query: &str) -> String {
    let path = path_with_query.split('#').next().unwrap_or_default();
    if path.is_empty() || path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    }
}

/// An outgoing request, before `handle` sends it.
pub struct OutgoingRequestImpl {
    method: RefCell<Method>,
    path_with_query: RefCell<Option<String>>,
    scheme: RefCell<Option<Scheme>>,
    authority: RefCell<Option<String>>,
    headers: Vec<(String, Vec<u8>)>,
    /// Its body's sink, once `body` was called.
    body: RefCell<Option<std::rc::Rc<BodySink>>>,
}

impl OutgoingRequestImpl {
    /// The URL the host would send it to, or the error code the host's
    /// `handle` answers.
    fn url(&self) -> Result<String, ErrorCode> {
        let scheme = match &*self.scheme.borrow() {
            None | Some(Scheme::Https) => "https".to_string(),
            Some(Scheme::Http) => "http".to_string(),
            Some(Scheme::Other(s)) if s == "http" || s == "https" => s.clone(),
            Some(Scheme::Other(_)) => return Err(ErrorCode::HttpProtocolError),
        };
        let authority = self.authority.borrow().clone().unwrap_or_default();
        if !valid_authority(&authority) {
            return Err(ErrorCode::HttpRequestUriInvalid);
        }
        let Some(path) = self.path_with_query.borrow().clone() else {
            return Err(ErrorCode::HttpProtocolError);
        };
        Ok(format!("{scheme}://{authority}{}", uri_path(&path)))
    }

    /// The request's `content-length`, if it has one.
    fn content_length(headers: &[(String, Vec<u8>)]) -> Result<Option<u64>, ErrorCode> {
        let mut lengths = headers.iter().filter(|(n, _)| n == "content-length");
        let Some((_, first)) = lengths.next() else {
            return Ok(None);
        };
        if lengths.next().is_some() {
            return Err(ErrorCode::InternalError(Some(
                "the http fake got a request with more than one content-length".into(),
            )));
        }
        std::str::from_utf8(first)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .map(Some)
            .ok_or_else(|| {
                ErrorCode::InternalError(Some(
                    "the http fake got a request whose content-length is not a number".into(),
                ))
            })
    }
}

impl http::GuestOutgoingRequest for OutgoingRequestImpl {
    fn new(headers: Headers) -> Self {
        Self {
            method: RefCell::new(Method::Get),
            path_with_query: RefCell::new(None),
            scheme: RefCell::new(None),
            authority: RefCell::new(None),
            headers: FieldsImpl::taken(headers),
            body: RefCell::new(None),
        }
    }

    fn body(&self) -> Result<OutgoingBody, ()> {
        let mut body = self.body.borrow_mut();
        if body.is_some() {
            return Err(());
        }
        let sink = std::rc::Rc::new(BodySink::default());
        *body = Some(sink.clone());
        Ok(OutgoingBody::new(OutgoingBodyImpl {
            sink,
            expected: Self::content_length(&self.headers).ok().flatten(),
            stream_taken: Cell::new(false),
        }))
    }

    fn method(&self) -> Method {
        self.method.borrow().clone()
    }

    fn set_method(&self, method: Method) -> Result<(), ()> {
        if !valid_method(&method) {
            return Err(());
        }
        *self.method.borrow_mut() = method;
        Ok(())
    }

    fn path_with_query(&self) -> Option<String> {
        self.path_with_query.borrow().clone()
    }

    fn set_path_with_query(&self, path_with_query: Option<String>) -> Result<(), ()> {
        if path_with_query.as_deref().is_some_and(|p| !valid_path(p)) {
            return Err(());
        }
        *self.path_with_query.borrow_mut() = path_with_query;
        Ok(())
    }

    fn scheme(&self) -> Option<Scheme> {
        self.scheme.borrow().clone()
    }

    fn set_scheme(&self, scheme: Option<Scheme>) -> Result<(), ()> {
        if scheme.as_ref().is_some_and(|s| !valid_scheme(s)) {
            return Err(());
        }
        *self.scheme.borrow_mut() = scheme;
        Ok(())
    }

    fn authority(&self) -> Option<String> {
        self.authority.borrow().clone()
    }

    fn set_authority(&self, authority: Option<String>) -> Result<(), ()> {
        if authority.as_deref().is_some_and(|a| !valid_authority(a)) {
            return Err(());
        }
        *self.authority.borrow_mut() = authority;
        Ok(())
    }

    fn headers(&self) -> Headers {
        Fields::new(FieldsImpl::new(self.headers.clone(), false))
    }
}

/// Request options: kept and answered, though the fake never waits.
pub struct RequestOptionsImpl {
    connect: Cell<Option<u64>>,
    first_byte: Cell<Option<u64>>,
    between_bytes: Cell<Option<u64>>,
}

impl http::GuestRequestOptions for RequestOptionsImpl {
    fn new() -> Self {
        Self {
            connect: Cell::new(None),
            first_byte: Cell::new(None),
            between_bytes: Cell::new(None),
        }
    }
    fn connect_timeout(&self) -> Option<http::Duration> {
        self.connect.get()
    }
    fn set_connect_timeout(&self, duration: Option<http::Duration>) -> Result<(), ()> {
        self.connect.set(duration);
        Ok(())
    }
    fn first_byte_timeout(&self) -> Option<http::Duration> {
        self.first_byte.get()
    }
    fn set_first_byte_timeout(&self, duration: Option<http::Duration>) -> Result<(), ()> {
        self.first_byte.set(duration);
        Ok(())
    }
    fn between_bytes_timeout(&self) -> Option<http::Duration> {
        self.between_bytes.get()
    }
    fn set_between_bytes_timeout(&self, duration: Option<http::Duration>) -> Result<(), ()> {
        self.between_bytes.set(duration);
        Ok(())
    }
}

/// A canned response, received.
pub struct IncomingResponseImpl {
    status: u16,
    /// The body, until `consume` takes it.
    body: RefCell<Option<Vec<u8>>>,
}

impl http::GuestIncomingResponse for IncomingResponseImpl {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn headers(&self) -> Headers {
        Fields::new(FieldsImpl::new(
            vec![("content-type".into(), b"text/plain".to_vec())],
            false,
        ))
    }

    fn consume(&self) -> Result<IncomingBody, ()> {
        let bytes = self.body.borrow_mut().take().ok_or(())?;
        Ok(IncomingBody::new(IncomingBodyImpl {
            bytes: RefCell::new(Some(bytes)),
        }))
    }
}

/// A canned response's body.
pub struct IncomingBodyImpl {
    /// The bytes, until `stream` takes them.
    bytes: RefCell<Option<Vec<u8>>>,
}

impl http::GuestIncomingBody for IncomingBodyImpl {
    fn stream(&self) -> Result<InputStream, ()> {
        let bytes = self.bytes.borrow_mut().take().ok_or(())?;
        Ok(InputStream::new(InputStreamImpl::Body {
            bytes,
            at: Cell::new(0),
        }))
    }

    fn finish(this: IncomingBody) -> FutureTrailers {
        drop(this);
        FutureTrailers::new(FutureTrailersImpl {
            taken: Cell::new(false),
        })
    }
}

/// A canned response's trailers: none, at once.
pub struct FutureTrailersImpl {
    taken: Cell<bool>,
}

impl http::GuestFutureTrailers for FutureTrailersImpl {
    fn subscribe(&self) -> Pollable {
        Pollable::new(PollableImpl::Ready)
    }

    fn get(&self) -> Option<Result<Result<Option<Trailers>, ErrorCode>, ()>> {
        if self.taken.replace(true) {
            return Some(Err(()));
        }
        Some(Ok(Ok(None)))
    }
}

/// A response a guest builds; only an `incoming-handler` could send one,
/// which the fake does not serve, but it is built as the WIT says.
pub struct OutgoingResponseImpl {
    status: Cell<u16>,
    headers: Vec<(String, Vec<u8>)>,
    body_taken: Cell<bool>,
}

impl http::GuestOutgoingResponse for OutgoingResponseImpl {
    fn new(headers: Headers) -> Self {
        Self {
            status: Cell::new(200),
            headers: FieldsImpl::taken(headers),
            body_taken: Cell::new(false),
        }
    }

    fn status_code(&self) -> StatusCode {
        self.status.get()
    }

    fn set_status_code(&self, status_code: StatusCode) -> Result<(), ()> {
        if !(100..=999).contains(&status_code) {
            return Err(());
        }
        self.status.set(status_code);
        Ok(())
    }

    fn headers(&self) -> Headers {
        Fields::new(FieldsImpl::new(self.headers.clone(), false))
    }

    fn body(&self) -> Result<OutgoingBody, ()> {
        if self.body_taken.replace(true) {
            return Err(());
        }
        Ok(OutgoingBody::new(OutgoingBodyImpl {
            sink: std::rc::Rc::new(BodySink::default()),
            expected: OutgoingRequestImpl::content_length(&self.headers)
                .ok()
                .flatten(),
            stream_taken: Cell::new(false),
        }))
    }
}

/// A body being written: its bytes are counted and dropped.
pub struct OutgoingBodyImpl {
    sink: std::rc::Rc<BodySink>,
    /// The `content-length` its headers promise.
    expected: Option<u64>,
    stream_taken: Cell<bool>,
}

impl http::GuestOutgoingBody for OutgoingBodyImpl {
    fn write(&self) -> Result<OutputStream, ()> {
        if self.stream_taken.replace(true) {
            return Err(());
        }
        Ok(OutputStream::new(OutputStreamImpl::Body(self.sink.clone())))
    }

    fn finish(this: OutgoingBody, trailers: Option<Trailers>) -> Result<(), ErrorCode> {
        let body = this.into_inner::<OutgoingBodyImpl>();
        drop(trailers);
        body.sink.finished.set(true);
        let written = body.sink.written.get();
        match body.expected {
            Some(expected) if expected != written => {
                Err(ErrorCode::HttpRequestBodySize(Some(written)))
            }
            _ => Ok(()),
        }
    }
}

/// A canned answer: status and body, or the error the request gets.
type Answer = Result<(u16, Vec<u8>), ErrorCode>;

/// A response on its way: ready at once.
pub struct FutureIncomingResponseImpl {
    /// The answer, until `get` takes it.
    answer: RefCell<Option<Answer>>,
}

impl http::GuestFutureIncomingResponse for FutureIncomingResponseImpl {
    fn subscribe(&self) -> Pollable {
        Pollable::new(PollableImpl::Ready)
    }

    fn get(&self) -> Option<Result<Result<IncomingResponse, ErrorCode>, ()>> {
        let Some(answer) = self.answer.borrow_mut().take() else {
            return Some(Err(()));
        };
        Some(Ok(answer.map(|(status, body)| {
            IncomingResponse::new(IncomingResponseImpl {
                status,
                body: RefCell::new(Some(body)),
            })
        })))
    }
}

impl http::Guest for HttpFake {
    type Fields = FieldsImpl;
    type IncomingRequest = IncomingRequestImpl;
    type OutgoingRequest = OutgoingRequestImpl;
    type RequestOptions = RequestOptionsImpl;
    type ResponseOutparam = ResponseOutparamImpl;
    type IncomingResponse = IncomingResponseImpl;
    type IncomingBody = IncomingBodyImpl;
    type FutureTrailers = FutureTrailersImpl;
    type OutgoingResponse = OutgoingResponseImpl;
    type OutgoingBody = OutgoingBodyImpl;
    type FutureIncomingResponse = FutureIncomingResponseImpl;

    fn http_error_code(_err: http::IoErrorBorrow<'_>) -> Option<ErrorCode> {
        // The fake's errors are its own, and a host stream's are no HTTP
        // errors: the fake speaks to no network.
        None
    }
}

// ---- wasi:http/outgoing-handler ----

impl outgoing_handler::Guest for HttpFake {
    fn handle(
        request: OutgoingRequest,
        _options: Option<RequestOptions>,
    ) -> Result<FutureIncomingResponse, ErrorCode> {
        let request = request.into_inner::<OutgoingRequestImpl>();
        let length = OutgoingRequestImpl::content_length(&request.headers)?;
        if request.body.borrow().is_none() && length.is_some_and(|n| n != 0) {
            return Err(ErrorCode::HttpRequestBodySize(Some(0)));
        }
        let url = request.url()?;
        let (status, body) = answer(&url);
        let answer = if (100..=999).contains(&status) {
            Ok((status, body))
        } else {
            Err(ErrorCode::InternalError(Some(format!(
                "the http fake's response for {url} has the status {status}, which is not an HTTP status"
            ))))
        };
        Ok(FutureIncomingResponse::new(FutureIncomingResponseImpl {
            answer: RefCell::new(Some(answer)),
        }))
    }
}
