//! The embedded Wasmtime host: runs Patchbay compositions in-process.
//!
//! A [`Host`] owns one engine (component model, pooling allocator or, when
//! the pool cannot be reserved, on-demand allocation; epoch interruption,
//! fuel) and a compile cache keyed by content hash, in memory and on disk.
//! Every unwired import's binding becomes a capability: granted WASI with
//! the chosen scope, a mock built from the WIT types, a denial, or nothing
//! (left open: it runs only if the host can provide it). A call, written in
//! WAVE, runs in a fresh Store with the run's [`Limits`] and returns a
//! [`RunReport`] with the result, captured output, mock calls, denials and
//! scope refusals. Everything is also sent as [`Event`]s. A
//! [`LiveSession`] ([`Host::session`], [`Host::call_in`]) keeps one
//! instance for successive calls instead, until a failure inside the guest
//! ends it.
//!
//! There are two ways in, named by what they prepare:
//! - **[`Host::prepare`] → [`Runnable`] → [`Host::run`]**: the general path,
//!   what `patchbay call` and the desktop app use. It composes the project
//!   when every node binds each shared import the same way, and otherwise
//!   runs each node as its own instance with its own scope (traced).
//!   [`Host::prepare_traced`] always traces.
//! - **[`Host::prepare_composed`] → [`Prepared`] → [`Host::run_composed`]**:
//!   the composed component only, as one instance, which is what can be
//!   served ([`serve`]) and kept live by the watcher ([`watch`]). It refuses
//!   projects whose nodes bind an import differently.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let host = patchbay_host::Host::new(Default::default())?;
//! let doc = patchbay_project::load("samples/kv-service".as_ref())?;
//! let ws = patchbay_compose::Workspace::open(doc);
//! let runnable = host.prepare(&ws)?;
//! let report = host.run(&runnable, r#"handle-request("set a 1")"#, &Default::default()).await;
//! assert_eq!(report.result.as_deref().ok(), Some("\"ok\""));
//! # Ok(()) }
//! ```

mod caps;
mod deadline;
mod engine;
mod events;
mod plan;
mod report;
mod run;
mod scope_log;
pub mod serve;
mod state;
mod trace;
mod value;
pub mod watch;

pub use caps::MockValueError;
pub use engine::{default_cache_dir, Allocator, CacheHit, HostOptions};
pub use events::{Event, EventSink};
pub use plan::{fake_serves, host_provides, ImportPlan, PlanError};
pub use report::{
    CapabilityDenied, FailureKind, LeftOpenCall, LogLevel, LogRecord, MemoryLimitHit, MockCall,
    RunFailure, RunMode, RunReport, ScopeRefusal, TraceEntry,
};
pub use run::streams;
pub use run::{
    LimitError, LimitRange, LimitUnits, Limits, LiveSession, Prepared, SessionEnded, SessionStatus,
};
pub use trace::Runnable;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use wasmtime::Engine;

/// How often the epoch advances while a run is live: how often running
/// guest code compares the clock with its run's deadline, so a guest stops
/// at most about one tick after its timeout. Timeouts are measured on the
/// clock, not counted in ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(1);

/// The embedded host.
pub struct Host {
    engine: Engine,
    cache: engine::CompileCache,
    events: EventSink,
    runs: AtomicU64,
    ticker: deadline::Ticker,
    allocator: Allocator,
}

/// Why the host could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the Wasmtime engine: {0:#}")]
pub struct HostError(wasmtime::Error);

/// Why a project could not be prepared to run.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The project has errors; nothing was composed.
    #[error("the project does not compose:\n{}", problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Compose {
        /// Every problem `check` found.
        problems: Vec<patchbay_compose::Problem>,
    },
    /// The bindings cannot be honoured by a composed run.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A mock value does not fit its type.
    #[error(transparent)]
    MockValue(#[from] MockValueError),
    /// A traced run would let concurrent calls across an `async func`
    /// wire run under the wrong node's capabilities: the two nodes reach
    /// different things, and a store has one active scope.
    #[error("cannot trace `{project}`: the wire `{wire}` from `{callee}` to `{caller}` carries `async func` calls, which run concurrently, and the two nodes are granted different capabilities (a store has one active scope, so a task of one could act with the other's); give both nodes the same grants, or run it composed")]
    AsyncWireScopes {
        /// The project name.
        project: String,
        /// The wire's import (`interface#function`).
        wire: String,
        /// The importing node.
        caller: String,
        /// The exporting node.
        callee: String,
    },
    /// Wasmtime could not compile or link the composition.
    #[error("cannot prepare `{project}` to run: {message}")]
    Wasmtime {
        /// The project name.
        project: String,
        /// Wasmtime's message.
        message: String,
    },
}

impl Host {
    /// Starts an engine and its epoch ticker.
    pub fn new(options: HostOptions) -> Result<Self, HostError> {
        let (engine, allocator) = engine::build_engine(&options).map_err(HostError)?;
        let ticker = deadline::Ticker::start(&engine).map_err(|e| HostError(e.into()))?;
        Ok(Self {
            engine,
            cache: engine::CompileCache::new(options.cache_dir),
            events: EventSink::new(),
            runs: AtomicU64::new(0),
            ticker,
            allocator,
        })
    }

    /// How the engine allocates instances: the pool, or on demand when the
    /// pool could not be reserved (front ends say so).
    pub fn allocator(&self) -> &Allocator {
        &self.allocator
    }

    /// Subscribes to the host's events.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The event sink, for front ends that report their own events.
    pub fn events(&self) -> &EventSink {
        &self.events
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    fn next_run(&self) -> u64 {
        self.runs.fetch_add(1, Ordering::Relaxed) + 1
    }
}
