//! `patchbay serve` on a WASI 0.3 handler (`samples/http-hello-p3`) and
//! `patchbay call` with a stream argument (`samples/streams`), through the
//! real binary.

use patchbay_test_programs as programs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn sample(name: &str) -> String {
    Path::new(programs::REPO_DIR)
        .join("samples")
        .join(name)
        .display()
        .to_string()
}

/// Kills the server even when an assertion fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One `GET` on its own connection; the raw response.
fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("response read");
    raw
}

#[test]
fn serve_answers_with_a_wasi_http_0_3_handler() {
    let child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(["serve", &sample("http-hello-p3"), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("patchbay serve starts");
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    assert!(
        first.starts_with("serving http-hello-p3 (wasi:http 0.3) on http://127.0.0.1:"),
        "{first}"
    );
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an address")
        .to_string();
    let raw = get(&addr, "/hi?x=1");
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(
        raw.contains("hello from patchbay over wasi:http 0.3: GET /hi?x=1"),
        "{raw}"
    );
    let log = lines.next().expect("a request line").unwrap();
    assert!(log.starts_with("GET /hi?x=1 -> 200 ("), "{log}");
}

#[test]
fn call_takes_a_stream_argument_as_a_wave_list() {
    let out = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args([
            "call",
            &sample("streams"),
            "sum-stream([1, 2, 3])",
            "sum(10)",
        ])
        .output()
        .expect("patchbay call runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout, "6\n55\n");
}
