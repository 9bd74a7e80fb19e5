//! What a Store holds during one run: WASI and HTTP contexts, limits, fake
//! state, and the records a run returns.

use crate::events::{Event, EventSink};
use crate::TraceEntry;
use std::collections::{BTreeMap, HashMap};
use wasmtime::component::ResourceTable;
use wasmtime::ResourceLimiter;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// A denied capability, reported as the error of the call.
#[derive(Debug, Clone, PartialEq, serde::Serialize, thiserror::Error)]
#[error(
    "capability denied: {} called `{interface}#{function}`, which the project denies",
    nodes_text(nodes)
)]
pub struct CapabilityDenied {
    /// Nodes whose import is denied.
    pub nodes: Vec<String>,
    /// The interface.
    pub interface: String,
    /// The function.
    pub function: String,
}

pub(crate) fn nodes_text(nodes: &[String]) -> String {
    match nodes {
        [] => "the composition".into(),
        [one] => format!("node `{one}`"),
        many => format!(
            "node {}",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// A guest tried to grow memory past the run's cap.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("memory limit of {limit} bytes reached (the guest asked for {requested} bytes)")]
pub struct MemoryLimitHit {
    /// The cap.
    pub limit: usize,
    /// What the guest asked for.
    pub requested: usize,
}

/// A call answered by a mock.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MockCall {
    /// The interface.
    pub interface: String,
    /// The function.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE, or the trap message.
    pub result: String,
}

/// Caps memory growth per run and remembers when it refused.
pub(crate) struct MemoryCap {
    pub limit: usize,
    pub hit: Option<MemoryLimitHit>,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.limit {
            let hit = MemoryLimitHit {
                limit: self.limit,
                requested: desired,
            };
            self.hit = Some(hit.clone());
            return Err(hit.into());
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// The `T` of every `Store<T>` the host creates.
pub(crate) struct RunState {
    pub run: u64,
    pub wasi: WasiCtx,
    pub http: WasiHttpCtx,
    pub http_hooks: crate::caps::http::HttpPolicy,
    pub table: ResourceTable,
    pub memory: MemoryCap,
    pub events: EventSink,
    pub mock_calls: Vec<MockCall>,
    pub denials: Vec<CapabilityDenied>,
    pub trace: Vec<TraceEntry>,
    /// Position in each `sequence` mock, by `interface#function`.
    pub sequences: HashMap<String, usize>,
    /// Contents of `kv` fakes, by interface.
    pub kv: HashMap<String, BTreeMap<String, String>>,
    /// The innermost node whose call failed (set by wire trampolines), or
    /// the node running the export.
    pub failed_node: Option<String>,
    /// Instances of each node (traced mode), for the wire trampolines.
    pub nodes: HashMap<String, wasmtime::component::Instance>,
    /// Resource handles lent across wires (traced mode).
    pub forwarded: Forwarded,
    /// When the store was made: the zero of trace entries' start times.
    pub started: std::time::Instant,
}

/// Resources that cross wires in traced runs.
///
/// The importing node sees a host resource (`ResourceType::host_dynamic`,
/// one type per wired resource) whose rep indexes `handles`, where the
/// exporting node's own handle is kept. Trampolines swap one for the other
/// in arguments and results; dropping the host resource drops the
/// exporter's handle.
#[derive(Default)]
pub(crate) struct Forwarded {
    /// The exporter's handle behind each rep lent to an importer.
    pub handles: HashMap<u32, wasmtime::component::ResourceAny>,
    /// The exporter's resource type behind each host type (its payload),
    /// filled in once the exporting node is instantiated.
    pub types: Vec<(wasmtime::component::ResourceType, u32)>,
    /// The resource's name behind each host type, for trace entries.
    pub names: HashMap<u32, String>,
    /// The next rep to hand out.
    pub next: u32,
}

impl Forwarded {
    /// How a lent handle is shown in trace entries: `<book 1>`.
    pub fn label(&self, payload: u32, rep: u32) -> String {
        let name = self.names.get(&payload).map_or("resource", |n| n.as_str());
        format!("<{name} {rep}>")
    }
}

impl RunState {
    pub fn record_mock(&mut self, call: MockCall) {
        self.events.send(Event::Mocked {
            run: self.run,
            interface: call.interface.clone(),
            function: call.function.clone(),
            args: call.args.clone(),
            result: call.result.clone(),
        });
        self.mock_calls.push(call);
    }

    pub fn record_denial(&mut self, denied: CapabilityDenied) {
        self.events.send(Event::Denied {
            run: self.run,
            nodes: denied.nodes.clone(),
            interface: denied.interface.clone(),
            function: denied.function.clone(),
        });
        self.denials.push(denied);
    }
}

impl WasiView for RunState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for RunState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            hooks: &mut self.http_hooks,
            table: &mut self.table,
            ctx: &mut self.http,
        }
    }
}
