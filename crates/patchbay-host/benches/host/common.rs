//! Shared helpers: hosts, samples, bench Stores, statistics, sizes and
//! the markdown output.

use super::*;

/// A host that keeps compiled code in memory only, so runs do not touch the
/// user's cache folder.
pub(crate) fn new_host(options: HostOptions) -> Host {
    Host::new(HostOptions {
        cache_dir: None,
        ..options
    })
    .expect("host starts")
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

pub(crate) fn sample_dir(name: &str) -> PathBuf {
    Path::new(patchbay_test_programs::SAMPLES_DIR).join(name)
}

pub(crate) fn open(dir: &Path) -> Workspace {
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

pub(crate) fn prepare(host: &Host, name: &str) -> Prepared {
    host.prepare_composed(&open(&sample_dir(name)))
        .unwrap_or_else(|e| panic!("prepare {name}: {e}"))
}

/// Store data for instantiating outside the host's run path: WASI and
/// WASI HTTP contexts only.
pub(crate) struct BenchState {
    pub(crate) wasi: WasiCtx,
    pub(crate) http: WasiHttpCtx,
    pub(crate) table: ResourceTable,
}

impl WasiView for BenchState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for BenchState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: Default::default(),
        }
    }
}

pub(crate) fn bench_store(engine: &Engine) -> Store<BenchState> {
    let mut store = Store::new(
        engine,
        BenchState {
            wasi: WasiCtxBuilder::new().build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
        },
    );
    // The host's engine meters fuel and interrupts on epochs; give this
    // store room for both, as the host does for a run.
    store.set_fuel(u64::MAX).expect("fuel is enabled");
    store.set_epoch_deadline(u64::MAX / 2);
    store
}

/// Links WASI and WASI HTTP, and stubs every other import with a trap
/// (instantiation never calls an import).
pub(crate) fn bench_pre(engine: &Engine, component: &Component) -> InstancePre<BenchState> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker).expect("link WASI");
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).expect("link WASI HTTP");
    let trap = |_: wasmtime::StoreContextMut<'_, BenchState>,
                _: wasmtime::component::types::ComponentFunc,
                _: &[Val],
                _: &mut [Val]|
     -> wasmtime::Result<()> { Err(wasmtime::Error::msg("stubbed import called")) };
    for (name, import) in component.component_type().imports(engine) {
        if linked_wasi(name) {
            continue;
        }
        match import.ty {
            ComponentItem::ComponentFunc(_) => linker.root().func_new(name, trap).expect("stub"),
            ComponentItem::ComponentInstance(instance) => {
                let mut stubs = linker.instance(name).expect("stub instance");
                for (item, export) in instance.exports(engine) {
                    match export.ty {
                        // An `async func` (WASI 0.3) takes a concurrent
                        // host function.
                        ComponentItem::ComponentFunc(f) if f.async_() => {
                            stubs
                                .func_new_concurrent(item, |_, _, _, _| {
                                    Box::pin(async {
                                        Err(wasmtime::Error::msg("stubbed import called"))
                                    })
                                })
                                .expect("stub");
                        }
                        ComponentItem::ComponentFunc(_) => {
                            stubs.func_new(item, trap).expect("stub");
                        }
                        ComponentItem::Resource(_) => stubs
                            .resource(item, ResourceType::host::<()>(), |_, _| Ok(()))
                            .expect("stub resource"),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    linker
        .instantiate_pre(component)
        .unwrap_or_else(|e| panic!("instantiate_pre: {e:#}"))
}

/// Whether wasmtime-wasi's and wasmtime-wasi-http's WASI 0.2 linked above
/// define `import`; the rest (WASI 0.3, the standard key-value, config and
/// logging interfaces) is stubbed like any other import.
fn linked_wasi(import: &str) -> bool {
    const LINKED: [&str; 7] = [
        "wasi:cli/",
        "wasi:clocks/",
        "wasi:filesystem/",
        "wasi:io/",
        "wasi:random/",
        "wasi:sockets/",
        "wasi:http/",
    ];
    LINKED.iter().any(|p| import.starts_with(p)) && import.contains("@0.2.")
}

/// Median of a set of durations.
pub(crate) fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

pub(crate) fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

pub(crate) fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Lines in a (proc) file.
pub(crate) fn count_lines(path: &str) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Resident set size of this process, in KiB.
pub(crate) fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Sizes of the table measurements; smaller under `cargo test --benches`.
pub(crate) struct Sizes {
    /// `n` of `hammer(n)` in composed runs; the first and last give the slope.
    pub(crate) composed: Vec<u32>,
    /// `n` of `hammer(n)` in traced runs.
    pub(crate) traced: Vec<u32>,
    /// Repetitions per measurement (median taken).
    pub(crate) reps: usize,
    /// `n` of the HTTP run (2n requests).
    pub(crate) http: u32,
    /// Edits per case in (d).
    pub(crate) edits: usize,
    /// Most live instances tried in (f).
    pub(crate) live_cap: usize,
}

impl Sizes {
    pub(crate) fn new(full: bool) -> Self {
        if full {
            Sizes {
                composed: vec![1_000, 10_000, 100_000],
                traced: vec![1_000, 10_000],
                reps: 5,
                http: 10_000,
                edits: 5,
                live_cap: 10_000,
            }
        } else {
            Sizes {
                composed: vec![10, 100],
                traced: vec![10, 100],
                reps: 1,
                http: 100,
                edits: 1,
                live_cap: 20,
            }
        }
    }
}

/// Collects the markdown printed by the table measurements.
#[derive(Default)]
pub(crate) struct Out(pub(crate) String);

impl Out {
    pub(crate) fn line(&mut self, s: impl AsRef<str>) {
        println!("{}", s.as_ref());
        self.0.push_str(s.as_ref());
        self.0.push('\n');
    }
}

pub(crate) fn first_line(e: &wasmtime::Error) -> String {
    let text = format!("{e:#}");
    text.lines().next().unwrap_or_default().replace('|', "/")
}
