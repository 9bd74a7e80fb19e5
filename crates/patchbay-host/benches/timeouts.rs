//! How late a run stops after its timeout: the overshoot (elapsed time of
//! `Host::run` minus the budget) at budgets of 0.1, 1, 2 and 10 s, for a
//! guest spinning in wasm (`hostile`'s `spin`) and a guest waiting on the
//! host (`sandbox-demo`'s `fetch` of a local TCP server that accepts and
//! never answers, allowed by the node's allow-list), idle and under load
//! (four `yes > /dev/null` processes on the machine's cores).
//!
//! A custom harness that prints a Markdown table of percentiles (p50, p90,
//! p99, max; nearest rank, so with few samples the high percentiles are the
//! maximum):
//!
//! ```text
//! cargo bench -p patchbay-host --bench timeouts            # about 4 minutes
//! cargo bench -p patchbay-host --bench timeouts -- --quick # 0.1 and 1 s only
//! ```
//!
//! Every run must end in a timeout; any other outcome aborts the bench.

use patchbay_compose::Workspace;
use patchbay_host::{FailureKind, Host, HostOptions, Limits, Runnable};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Budgets in milliseconds, with how many runs each gets per guest and
/// load (few at 10 s: each run takes the whole budget).
const BUDGETS: &[(u64, usize)] = &[(100, 40), (1_000, 12), (2_000, 8), (10_000, 3)];

/// Busy processes for the "load" rows.
const LOAD_PROCESSES: usize = 4;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let budgets: Vec<(u64, usize)> = BUDGETS
        .iter()
        .copied()
        .filter(|(ms, _)| !quick || *ms <= 1_000)
        .collect();
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let hostile = prepare(
        &host,
        &workspace(&Path::new(patchbay_test_programs::SAMPLES_DIR).join("hostile")),
    );
    let server = silent_server();
    let dir = tempfile::tempdir().expect("temporary folder");
    let waiting = prepare(&host, &waiting_project(dir.path(), server));
    let guests: [(&str, &Runnable, String); 2] = [
        ("spinning in wasm", &hostile, "spin()".to_string()),
        (
            "waiting on the host",
            &waiting,
            format!(r#"fetch("http://{server}/")"#),
        ),
    ];

    let mut rows = Vec::new();
    for loaded in [false, true] {
        let load = loaded.then(Load::start);
        for &(budget_ms, samples) in &budgets {
            for (guest, prepared, call) in &guests {
                let limits = Limits {
                    timeout: Duration::from_millis(budget_ms),
                    ..Limits::default()
                };
                let mut overshoot_ms = Vec::with_capacity(samples);
                for _ in 0..samples {
                    let start = Instant::now();
                    let report = runtime.block_on(host.run(prepared, call, &limits));
                    let elapsed = start.elapsed();
                    match &report.result {
                        Err(f) if f.kind == FailureKind::Timeout => {}
                        other => {
                            panic!("{guest}, {budget_ms} ms: expected a timeout, got {other:?}")
                        }
                    }
                    overshoot_ms.push((elapsed.as_secs_f64() - limits.timeout.as_secs_f64()) * 1e3);
                }
                let row = Row::new(loaded, budget_ms, guest, overshoot_ms.clone());
                overshoot_ms.sort_by(f64::total_cmp);
                let each: Vec<String> = overshoot_ms.iter().map(|ms| format!("{ms:.1}")).collect();
                eprintln!("{}  runs: {}", row.line(), each.join(" "));
                rows.push(row);
            }
        }
        drop(load);
    }

    println!();
    println!(
        "Overshoot of the timeout, ms (elapsed `Host::run` minus the budget); load = {LOAD_PROCESSES} × `yes > /dev/null` on {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| load | budget | guest | runs | p50 | p90 | p99 | max |");
    println!("|---|---:|---|---:|---:|---:|---:|---:|");
    for row in &rows {
        println!("{}", row.line());
    }
}

struct Row {
    loaded: bool,
    budget_ms: u64,
    guest: &'static str,
    runs: usize,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

impl Row {
    fn new(loaded: bool, budget_ms: u64, guest: &'static str, mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        let rank = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Self {
            loaded,
            budget_ms,
            guest,
            runs: ms.len(),
            p50: rank(0.50),
            p90: rank(0.90),
            p99: rank(0.99),
            max: ms[ms.len() - 1],
        }
    }

    fn line(&self) -> String {
        format!(
            "| {} | {} s | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            if self.loaded { "load" } else { "idle" },
            self.budget_ms as f64 / 1e3,
            self.guest,
            self.runs,
            self.p50,
            self.p90,
            self.p99,
            self.max
        )
    }
}

/// `yes > /dev/null` processes, stopped (by their own handles) on drop.
struct Load(Vec<Child>);

impl Load {
    fn start() -> Self {
        Self(
            (0..LOAD_PROCESSES)
                .map(|_| {
                    Command::new("yes")
                        .stdout(Stdio::null())
                        .spawn()
                        .expect("start `yes`")
                })
                .collect(),
        )
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn workspace(project: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(project).expect("project loads"))
}

fn prepare(host: &Host, ws: &Workspace) -> Runnable {
    host.prepare(ws).unwrap_or_else(|e| panic!("prepare: {e}"))
}

/// One `sandbox-demo` node whose allow-list grants `server`.
fn waiting_project(dir: &Path, server: std::net::SocketAddr) -> Workspace {
    std::fs::write(
        dir.join("patchbay.toml"),
        format!(
            "version = 1\nname = \"waiting\"\n[components.c]\npath = {:?}\n[nodes.demo]\ncomponent = \"c\"\n[[exports]]\nfrom = \"demo.patchbay:sandbox/probe\"\n[bindings.\"demo.wasi:http/outgoing-handler@0.2.12\"]\nmode = \"grant\"\nallow = [\"{server}\"]\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n",
            patchbay_test_programs::SANDBOX_DEMO
        ),
    )
    .expect("write the project");
    workspace(dir)
}

/// A TCP server on 127.0.0.1 that accepts connections, reads nothing and
/// never answers; connections stay open until the bench ends.
fn silent_server() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            open.push(stream);
        }
    });
    addr
}
