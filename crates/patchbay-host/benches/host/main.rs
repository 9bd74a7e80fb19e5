//! Benchmarks of the embedded host (issue 3).
//!
//! Criterion part (statistics in `target/criterion/`):
//! - `instantiate_node/<component>`: every sample component compiled once on
//!   its own in the host's engine (pooling allocator); each iteration makes a
//!   fresh Store and instantiates it (`instantiate_async`), then drops both.
//!   WASI and WASI HTTP are linked; any other import is a trapping stub,
//!   which instantiation never calls.
//! - `instantiate_composed/<sample>`: the same for each composed sample
//!   project, prepared with [`Host::prepare_composed`] (the instance is made from
//!   [`Prepared::component`] with a minimal WASI Store, not the host's full
//!   run state; `call_composed` has the host's whole per-call cost).
//!   `sandbox-demo` binds one import differently per node, so it cannot be
//!   prepared composed; its plain composition is compiled instead.
//! - `call_composed/kv-service`: [`Host::run_composed`] of `handle-request("get a")`:
//!   fresh Store with the run's limits, instantiation, WAVE parse, call,
//!   report.
//!
//! Then plain measurements, printed as markdown tables (and written to the
//! file named by `PATCHBAY_HOST_BENCH_OUT`, if set):
//! - (b) the cost of one call across a composed wire, measured inside the
//!   guest: `hammer(n)` of `samples/kv-bench` makes 2n calls; the slope
//!   between two values of n removes the fixed cost of a run. Also traced
//!   (every wire call goes through a recording host trampoline).
//! - (c) the same 2n set/get calls against an in-process hyper HTTP/1.1
//!   server on loopback holding a `BTreeMap`, over one keep-alive connection:
//!   a blocking client on another thread, and client and server tasks on
//!   one thread.
//! - (d) edit-to-live: a component file of a project changes on disk; time
//!   until a call on the reloaded project answers, through the
//!   [`ProjectWatcher`], and the same pipeline step by step.
//! - (e) the steps of one `patchbay call` (runtime, host, load, prepare
//!   from the disk cache, run), each timed in-process; `bench/host.sh`
//!   times the CLI itself against `wasmtime run`.
//! - (f) how many composed kv-service instances stay live at once in one
//!   process, and the resident memory each costs.
//!
//! Run with `cargo bench -p patchbay-host --bench host` (under a minute on
//! 2 cores). `cargo test --benches` runs everything once with small sizes.

use criterion::{BenchmarkId, Criterion};
use patchbay_compose::Workspace;
use patchbay_host::watch::{ProjectWatcher, WatchOptions};
use patchbay_host::{CacheHit, Host, HostOptions, Limits, Prepared, Runnable};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, InstancePre, Linker, ResourceTable, ResourceType, Val};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

mod call;
mod common;
mod edit;
mod http;
mod instantiate;
mod live;
mod polyglot;
mod wire;

use call::*;
use common::*;
use edit::*;
use http::*;
use instantiate::*;
use live::*;
use polyglot::*;
use wire::*;

/// The composed sample projects measured in (a).
const COMPOSED: [&str; 6] = [
    "kv-service",
    "kv-bench",
    "order-pipeline",
    "sandbox-demo",
    "http-hello",
    "hostile",
];

/// The call used for whole-call timings of kv-service.
const GET_A: &str = r#"handle-request("get a")"#;

/// The benchmark groups, in a private module: `criterion_group!` declares a
/// `pub fn` that the workspace's `missing_docs` lint would otherwise flag.
mod groups {
    use super::{instantiate_composed, instantiate_node};
    criterion::criterion_group!(benches, instantiate_node, instantiate_composed);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then everything runs once with small sizes.
    let full = std::env::args().any(|a| a == "--bench");
    groups::benches();
    Criterion::default().configure_from_args().final_summary();

    let sizes = Sizes::new(full);
    let mut out = Out::default();
    let wire = wire_calls(&mut out, &sizes);
    http_calls(&mut out, &sizes, wire);
    edit_to_live(&mut out, &sizes);
    call_steps(&mut out, &sizes);
    live_instances(&mut out, &sizes);
    polyglot_calls(&mut out, &sizes);
    if let Some(path) = std::env::var_os("PATCHBAY_HOST_BENCH_OUT") {
        let mut text = String::new();
        let _ = writeln!(text, "{}", out.0);
        std::fs::write(&path, text).expect("write PATCHBAY_HOST_BENCH_OUT");
    }
}
