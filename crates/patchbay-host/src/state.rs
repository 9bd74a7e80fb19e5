//! What a Store holds during one run: WASI and HTTP contexts, limits, fake
//! state, and the records a run returns.

use crate::events::{Event, EventSink};
pub(crate) use crate::report::{
    shown, CapabilityDenied, LeftOpenCall, MemoryLimitHit, MockCall, ScopeRefusal,
};
pub(crate) use crate::scope_log::ScopeLog;
use crate::TraceEntry;
use std::collections::{BTreeMap, HashMap};
use wasmtime::component::ResourceTable;
use wasmtime::ResourceLimiter;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Caps memory growth per run, remembers when it refused, and counts the
/// linear memory in use.
pub(crate) struct MemoryCap {
    pub limit: usize,
    pub hit: Option<MemoryLimitHit>,
    /// The sum of the sizes of every linear memory of the Store, in bytes:
    /// Wasmtime asks the limiter when it makes a memory (from 0 to its
    /// initial size) and before every growth.
    pub in_use: usize,
    /// The last growth allowed, taken back if Wasmtime then fails it.
    pub pending: usize,
}

impl MemoryCap {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            hit: None,
            in_use: 0,
            pending: 0,
        }
    }
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        current: usize,
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
        self.pending = desired.saturating_sub(current);
        self.in_use += self.pending;
        Ok(true)
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.in_use = self
            .in_use
            .saturating_sub(std::mem::take(&mut self.pending));
        Ok(())
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

/// The WASI and HTTP context of one scope: a node in traced runs, the whole
/// composition in composed runs.
pub(crate) struct Scope {
    pub wasi: WasiCtx,
    pub http: crate::caps::http::HttpPolicy,
    /// `wasi:keyvalue` buckets (granted database file or fake).
    pub kv: crate::caps::keyvalue::KvScope,
    /// `wasi:config/store` values.
    pub config: crate::caps::config::ConfigTable,
    /// Where `wasi:logging` lines go.
    pub log: crate::caps::logging::LogSink,
}

/// The `T` of every `Store<T>` the host creates.
pub(crate) struct RunState {
    pub run: u64,
    /// One scope per node in traced runs (in node order), one for the
    /// composition in composed runs.
    pub scopes: Vec<Scope>,
    /// The scope of the node whose code runs now. Traced runs set it before
    /// they instantiate a node, call its export or forward a call to it
    /// across a wire, and restore it afterwards.
    pub active: usize,
    /// A scope with nothing granted, used if `active` ever named no scope:
    /// a bad index must close capabilities, never open another node's.
    pub closed: Scope,
    pub scope_log: ScopeLog,
    pub http: WasiHttpCtx,
    pub table: ResourceTable,
    pub memory: MemoryCap,
    pub events: EventSink,
    pub mock_calls: Vec<MockCall>,
    pub denials: Vec<CapabilityDenied>,
    pub trace: Vec<TraceEntry>,
    /// `wasi:logging` lines, at most [`crate::caps::logging::MAX_LOG_LINES`].
    pub logs: Vec<crate::LogRecord>,
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

impl RunState {
    /// Makes scope `index` the active one and returns the one it replaces,
    /// to be restored with [`RunState::enter`] again.
    pub fn enter(&mut self, index: usize) -> usize {
        std::mem::replace(&mut self.active, index)
    }
}

impl WasiView for RunState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let table = &mut self.table;
        let scope = match self.scopes.get_mut(self.active) {
            Some(scope) => scope,
            None => &mut self.closed,
        };
        WasiCtxView {
            ctx: &mut scope.wasi,
            table,
        }
    }
}

impl WasiHttpView for RunState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        let (table, ctx) = (&mut self.table, &mut self.http);
        let scope = match self.scopes.get_mut(self.active) {
            Some(scope) => scope,
            None => &mut self.closed,
        };
        WasiHttpCtxView {
            hooks: &mut scope.http,
            table,
            ctx,
        }
    }
}
