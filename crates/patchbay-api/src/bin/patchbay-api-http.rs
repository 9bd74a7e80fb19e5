//! `patchbay-api-http`: the editor's commands over HTTP on 127.0.0.1, for
//! running the UI in a plain browser (development, Playwright tests).
//!
//! `POST /api/<command>` with `{"request": …}` answers the response as JSON
//! (or an `ApiError` with status 400); `GET /api/events` streams `AppEvent`s
//! as server-sent events; other `GET`s serve the built UI from `--ui`.
//! There are no native dialogs: commands that would show one answer
//! `cancelled`, and `--allow FILE` stands in for dropping a file.

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use patchbay_api::*;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::{broadcast, mpsc};

const USAGE: &str = "usage: patchbay-api-http [PROJECT] [--port PORT] [--ui DIST_DIR] [--state-dir DIR] [--samples DIR] [--allow FILE]...

Serves the Patchbay editor's commands on http://127.0.0.1:PORT/api/ (default
port 1421) so the UI can run in a browser against the real core.";

struct NoDialogs;

impl Dialogs for NoDialogs {
    fn pick_project(&self) -> Option<PathBuf> {
        None
    }
    fn pick_components(&self) -> Vec<PathBuf> {
        Vec::new()
    }
    fn pick_save_project(&self, _suggested: &Path) -> Option<PathBuf> {
        None
    }
    fn pick_folder(&self, _start: &Path) -> Option<PathBuf> {
        None
    }
    fn show_folder(&self, folder: &Path) -> Result<(), String> {
        Err(format!(
            "the browser harness has no file manager; the folder is {}",
            folder.display()
        ))
    }
}

struct Broadcast(broadcast::Sender<AppEvent>);

impl EventSink for Broadcast {
    fn emit(&self, event: AppEvent) {
        let _ = self.0.send(event);
    }
}

struct NoWindow;

impl WindowControl for NoWindow {
    fn close(&self) {}
}

struct Options {
    project: Option<PathBuf>,
    port: u16,
    ui: Option<PathBuf>,
    state_dir: PathBuf,
    samples: Option<PathBuf>,
    allow: Vec<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        project: None,
        port: 1421,
        ui: None,
        state_dir: std::env::temp_dir().join("patchbay-api-http"),
        samples: None,
        allow: Vec::new(),
    };
    while let Some(a) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--port" => {
                let v = value("--port")?;
                o.port = v
                    .parse()
                    .map_err(|_| format!("--port: `{v}` is not a port number"))?;
            }
            "--ui" => o.ui = Some(PathBuf::from(value("--ui")?)),
            "--state-dir" => o.state_dir = PathBuf::from(value("--state-dir")?),
            "--samples" => o.samples = Some(PathBuf::from(value("--samples")?)),
            "--allow" => o.allow.push(PathBuf::from(value("--allow")?)),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path if o.project.is_none() => o.project = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    Ok(o)
}

/// A response body fed by a channel: one server-sent event per message.
struct EventStream(mpsc::Receiver<Bytes>);

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|m| m.map(|b| Ok(Frame::data(b))))
    }
}

type Reply = Response<http_body_util::combinators::UnsyncBoxBody<Bytes, Infallible>>;

fn json(status: StatusCode, value: &impl serde::Serialize) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_else(|e| {
        format!(
            r#"{{"code":"internal","message":"cannot encode the response: {e}","detail":null}}"#
        )
        .into_bytes()
    });
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)).boxed_unsync())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed_unsync()))
}

fn error(e: ApiError) -> Reply {
    json(StatusCode::BAD_REQUEST, &e)
}

async fn dispatch(session: &Session, name: &str, body: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        request: T,
    }
    macro_rules! route {
        ($(($cmd:ident, $req:ty, $resp:ty)),* $(,)?) => {
            match name {
                $(
                    stringify!($cmd) => {
                        let request: Envelope<$req> = match serde_json::from_slice(&body) {
                            Ok(r) => r,
                            Err(e) => {
                                return error(ApiError::bad_request(format!(
                                    "the request to `{}` is malformed: {e}",
                                    stringify!($cmd)
                                )))
                            }
                        };
                        match session.$cmd(request.request).await {
                            Ok(response) => json(StatusCode::OK, &response),
                            Err(e) => error(e),
                        }
                    }
                )*
                other => json(
                    StatusCode::NOT_FOUND,
                    &ApiError::bad_request(format!("there is no command `{other}`")),
                ),
            }
        };
    }
    for_each_command!(route)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn static_file(ui: Option<&Path>, uri_path: &str) -> Reply {
    let Some(ui) = ui else {
        return json(
            StatusCode::NOT_FOUND,
            &ApiError::bad_request("no UI folder given (--ui ui/dist)"),
        );
    };
    let rel = uri_path.trim_start_matches('/');
    if rel.split('/').any(|part| part == "..") {
        return json(
            StatusCode::FORBIDDEN,
            &ApiError::not_permitted("`..` in a path"),
        );
    }
    let mut path = ui.join(if rel.is_empty() { "index.html" } else { rel });
    if !path.is_file() {
        path = ui.join("index.html");
    }
    match std::fs::read(&path) {
        Ok(bytes) => Response::builder()
            .header("content-type", content_type(&path))
            .body(Full::new(Bytes::from(bytes)).boxed_unsync())
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed_unsync())),
        Err(e) => json(
            StatusCode::NOT_FOUND,
            &ApiError::io(format!("cannot read {}: {e}", path.display())),
        ),
    }
}

fn events(tx: &broadcast::Sender<AppEvent>) -> Reply {
    let mut rx = tx.subscribe();
    let (out, body) = mpsc::channel::<Bytes>(256);
    tokio::spawn(async move {
        if out
            .send(Bytes::from_static(b": connected\n\n"))
            .await
            .is_err()
        {
            return;
        }
        loop {
            match rx.recv().await {
                Ok(event) => {
                    let Ok(text) = serde_json::to_string(&event) else {
                        continue;
                    };
                    if out
                        .send(Bytes::from(format!("data: {text}\n\n")))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    Response::builder()
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(EventStream(body).boxed_unsync())
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed_unsync()))
}

#[tokio::main]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if e.is_empty() {
                println!("{USAGE}");
                return;
            }
            eprintln!("error: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let (tx, _) = broadcast::channel(1024);
    let session = match Session::new(
        SessionOptions {
            state_dir: options.state_dir.clone(),
            samples_dir: options.samples.clone(),
            startup_project: options.project.clone(),
            ..Default::default()
        },
        Arc::new(NoDialogs),
        Arc::new(Broadcast(tx.clone())),
        Arc::new(NoWindow),
    ) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    for path in &options.allow {
        session.allow_path(path);
    }
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], options.port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("patchbay-api-http listening on http://{addr}/");
    let ui = options.ui.map(Arc::new);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let session = session.clone();
        let tx = tx.clone();
        let ui = ui.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let session = session.clone();
                let tx = tx.clone();
                let ui = ui.clone();
                async move {
                    let path = req.uri().path().to_string();
                    let reply = match (req.method().clone(), path.strip_prefix("/api/")) {
                        (Method::GET, Some("events")) => events(&tx),
                        (Method::POST, Some(name)) => {
                            let name = name.to_string();
                            match req.into_body().collect().await {
                                Ok(body) => dispatch(&session, &name, body.to_bytes()).await,
                                Err(e) => error(ApiError::bad_request(format!(
                                    "cannot read the request: {e}"
                                ))),
                            }
                        }
                        (Method::GET, None) => {
                            static_file(ui.as_deref().map(PathBuf::as_path), &path)
                        }
                        _ => json(
                            StatusCode::METHOD_NOT_ALLOWED,
                            &ApiError::bad_request(format!(
                                "{} {path} is not served",
                                req.method()
                            )),
                        ),
                    };
                    Ok::<_, Infallible>(reply)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
