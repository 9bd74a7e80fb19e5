//! Live sessions: one instantiation of a prepared project (composed or
//! traced) that successive calls share, so state a guest keeps in its
//! linear memory or in a fake (the kv fake's map) lives from one call to
//! the next.
//!
//! A fresh instance per call is a session of one call ([`Host::run`],
//! [`Host::run_composed`]); [`Host::session`] keeps one open. Limits
//! (fuel, memory, deadline) apply to each call; the output cap to the
//! session's stdout and stderr as a whole. A call that fails inside the
//! guest (a trap, a limit, a denial the guest did not handle) poisons the
//! Store, so it ends the session: later calls are refused with the reason
//! until the session is [reset](LiveSession::reset).

use super::{find_export, invoke, refine_call_failure, split_call, within_budget, ExportFn};
use crate::caps::Capabilities;
use crate::events::Event;
use crate::report::{
    CapabilityDenied, FailureKind, MockCall, RunFailure, RunMode, RunReport, ScopeRefusal,
    TraceEntry,
};
use crate::state::RunState;
use crate::trace::{Runnable, TracedNodes};
use crate::{Host, Limits, Prepared};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::Instance;
use wasmtime::Store;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// What a run instantiates: the composed component, or every node on its
/// own (traced), with the reason for the mode.
pub(crate) enum Entry<'a> {
    Composed {
        prepared: &'a Prepared,
        reason: String,
    },
    Traced {
        nodes: &'a TracedNodes,
        reason: String,
    },
}

impl Entry<'_> {
    fn mode(&self) -> RunMode {
        match self {
            Entry::Composed { .. } => RunMode::Composed,
            Entry::Traced { .. } => RunMode::Traced,
        }
    }

    fn reason(&self) -> &str {
        match self {
            Entry::Composed { reason, .. } | Entry::Traced { reason, .. } => reason,
        }
    }

    fn scopes(&self) -> &[Capabilities] {
        match self {
            Entry::Composed { prepared, .. } => std::slice::from_ref(&prepared.caps),
            Entry::Traced { nodes, .. } => &nodes.caps,
        }
    }

    fn exports(&self) -> (&[ExportFn], &str) {
        match self {
            Entry::Composed { prepared, .. } => (&prepared.exports, &prepared.project),
            Entry::Traced { nodes, .. } => (&nodes.exports, &nodes.project),
        }
    }

    /// Instantiates the composition in `store`: the composed instance, or
    /// every node (kept in the Store's state).
    async fn instantiate(
        &self,
        store: &mut Store<RunState>,
        node: &str,
        limits: &Limits,
    ) -> Result<Option<Instance>, RunFailure> {
        match self {
            Entry::Composed { prepared, .. } => prepared
                .pre
                .instantiate_async(&mut *store)
                .await
                .map(Some)
                .map_err(|e| super::classify(e, node, limits, true)),
            Entry::Traced { nodes, .. } => nodes.instantiate(store, limits).await.map(|()| None),
        }
    }

    /// The instance that exports `export` and the scope its calls run in.
    fn target(
        &self,
        store: &Store<RunState>,
        composed: Option<Instance>,
        export: &ExportFn,
    ) -> Option<(Instance, usize)> {
        match self {
            Entry::Composed { .. } => composed.map(|i| (i, 0)),
            Entry::Traced { nodes, .. } => store
                .data()
                .nodes
                .get(&export.node)
                .map(|i| (*i, nodes.scope_of(&export.node))),
        }
    }
}

/// How far each record of the Store had been reported before this call.
#[derive(Default, Clone, Copy)]
struct Seen {
    stdout: usize,
    stderr: usize,
    mock_calls: usize,
    denials: usize,
    trace: usize,
    logs: usize,
    scope: usize,
}

/// One Store with the composition instantiated in it (or about to be, on
/// its first call).
pub(crate) struct Live {
    store: Store<RunState>,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
    instantiated: bool,
    composed: Option<Instance>,
    seen: Seen,
    calls: u64,
    opened: Instant,
}

/// What one call left: its result, the records it added and its output.
pub(crate) struct CallOutcome {
    pub result: Result<String, RunFailure>,
    pub records: Option<CallRecords>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl CallOutcome {
    fn failed(failure: RunFailure) -> Self {
        Self {
            result: Err(failure),
            records: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }
}

/// The records one call added to its Store.
#[derive(Default)]
pub(crate) struct CallRecords {
    pub mock_calls: Vec<MockCall>,
    pub denials: Vec<CapabilityDenied>,
    pub trace: Vec<TraceEntry>,
    pub logs: Vec<crate::LogRecord>,
    pub scope: Vec<ScopeRefusal>,
    /// The innermost node whose call failed, or the node of the export.
    pub failed_node: Option<String>,
}

impl Host {
    /// A Store for `entry` with nothing instantiated yet.
    fn open_live(&self, entry: &Entry<'_>, limits: &Limits, run: u64) -> Result<Live, RunFailure> {
        let (store, stdout, stderr) =
            self.new_store(entry.scopes(), limits, run)
                .map_err(|e| RunFailure {
                    kind: FailureKind::Instantiate,
                    message: format!("{e:#}"),
                })?;
        Ok(Live {
            store,
            stdout,
            stderr,
            instantiated: false,
            composed: None,
            seen: Seen::default(),
            calls: 0,
            opened: Instant::now(),
        })
    }

    /// Runs one call in `live`, instantiating first if this is its first
    /// call, with this call's limits: fuel and memory cap set, the deadline
    /// counted from now (instantiation included).
    async fn call_live(
        &self,
        live: &mut Live,
        entry: &Entry<'_>,
        call: &str,
        limits: &Limits,
        run: u64,
    ) -> CallOutcome {
        let (exports, project) = entry.exports();
        let export = match split_call(call).and_then(|(name, wave_call)| {
            Ok((find_export(exports, project, &name)?.clone(), wave_call))
        }) {
            Ok(x) => x,
            Err(e) => return CallOutcome::failed(e),
        };
        let (export, wave_call) = export;
        let node = export.node.clone();
        let store = &mut live.store;
        {
            let state = store.data_mut();
            state.run = run;
            state.scope_log.set_run(run);
            state.memory.limit = limits.max_memory;
            state.memory.hit = None;
            state.failed_node = None;
        }
        if let Err(e) = store.set_fuel(limits.fuel.unwrap_or(u64::MAX)) {
            return CallOutcome::failed(RunFailure {
                kind: FailureKind::Instantiate,
                message: format!("{e:#}"),
            });
        }
        live.calls += 1;
        let deadline = crate::deadline::Deadline::after(Instant::now(), limits.timeout);
        self.ticker.arm(store, deadline);
        let outcome = async {
            if !live.instantiated {
                live.instantiated = true;
                live.composed = entry.instantiate(&mut live.store, &node, limits).await?;
            }
            let (instance, scope) = entry
                .target(&live.store, live.composed, &export)
                .ok_or_else(|| RunFailure {
                    kind: FailureKind::BadCall,
                    message: format!("node `{node}` is not instantiated"),
                })?;
            live.store.data_mut().enter(scope);
            invoke(&mut live.store, instance, &export, call, &wave_call, limits).await
        };
        let mut result = within_budget(outcome, &node, limits).await;
        self.ticker.disarm(&mut live.store);
        let out_all = live.stdout.contents();
        let err_all = live.stderr.contents();
        let seen = live.seen;
        let state = live.store.data_mut();
        let failed_node = state.failed_node.clone().unwrap_or(node);
        let full = out_all.len() >= limits.max_output || err_all.len() >= limits.max_output;
        let denial = state.denials[seen.denials..].last();
        refine_call_failure(
            &mut result,
            state.memory.hit.as_ref(),
            denial,
            &failed_node,
            limits,
            full,
        );
        let records = CallRecords {
            mock_calls: state.mock_calls[seen.mock_calls..].to_vec(),
            denials: state.denials[seen.denials..].to_vec(),
            trace: state.trace[seen.trace..].to_vec(),
            logs: state.logs[seen.logs..].to_vec(),
            scope: state
                .scope_log
                .lines()
                .split_off(seen.scope.min(state.scope_log.len())),
            failed_node: Some(failed_node),
        };
        live.seen = Seen {
            stdout: out_all.len(),
            stderr: err_all.len(),
            mock_calls: state.mock_calls.len(),
            denials: state.denials.len(),
            trace: state.trace.len(),
            logs: state.logs.len(),
            scope: state.scope_log.len(),
        };
        CallOutcome {
            result,
            records: Some(records),
            stdout: out_all.get(seen.stdout..).unwrap_or_default().to_vec(),
            stderr: err_all.get(seen.stderr..).unwrap_or_default().to_vec(),
        }
    }

    /// Runs one call in a fresh instance of `entry`, dropped afterwards.
    pub(crate) async fn run_once(
        &self,
        entry: Entry<'_>,
        call: &str,
        limits: &Limits,
    ) -> RunReport {
        let run = self.next_run();
        self.start_event(run, call, entry.mode());
        let started = Instant::now();
        let outcome = match self.open_live(&entry, limits, run) {
            Ok(mut live) => self.call_live(&mut live, &entry, call, limits, run).await,
            Err(failure) => CallOutcome::failed(failure),
        };
        let reason = entry.reason().to_string();
        self.finish_report(run, call, entry.mode(), reason, started, outcome)
    }

    fn start_event(&self, run: u64, call: &str, mode: RunMode) {
        self.events.send(Event::RunStarted {
            run,
            call: call.to_string(),
            mode,
        });
    }

    /// Opens a live session of a prepared project. Nothing is instantiated
    /// until its first call.
    pub fn session(&self, runnable: Arc<Runnable>) -> LiveSession {
        LiveSession {
            runnable,
            live: None,
            ended: None,
        }
    }

    /// Runs one call in the session's instance (made on its first call).
    /// A call that fails inside the guest ends the session; a session that
    /// has ended refuses the call with the reason.
    pub async fn call_in(
        &self,
        session: &mut LiveSession,
        call: &str,
        limits: &Limits,
    ) -> Result<RunReport, SessionEnded> {
        if let Some(end) = &session.ended {
            return Err(end.clone());
        }
        let runnable = session.runnable.clone();
        let entry = runnable.entry();
        let run = self.next_run();
        self.start_event(run, call, entry.mode());
        let started = Instant::now();
        let mut live = match session.live.take() {
            Some(live) => live,
            None => match self.open_live(&entry, limits, run) {
                Ok(live) => live,
                Err(failure) => {
                    let outcome = CallOutcome::failed(failure);
                    let reason = entry.reason().to_string();
                    return Ok(self.finish_report(
                        run,
                        call,
                        entry.mode(),
                        reason,
                        started,
                        outcome,
                    ));
                }
            },
        };
        let outcome = self.call_live(&mut live, &entry, call, limits, run).await;
        session.live = Some(live);
        if let Err(failure) = &outcome.result {
            if failure.kind != FailureKind::BadCall {
                session.ended = Some(SessionEnded {
                    call: call.to_string(),
                    failure: failure.clone(),
                });
            }
        }
        let reason = format!("{}, kept live across the session's calls", entry.reason());
        Ok(self.finish_report(run, call, entry.mode(), reason, started, outcome))
    }
}

/// A live session: one instance of a prepared project that successive
/// calls share (see [`Host::session`] and [`Host::call_in`]).
pub struct LiveSession {
    runnable: Arc<Runnable>,
    live: Option<Live>,
    ended: Option<SessionEnded>,
}

/// Why a session ended: the call that failed inside the guest, and how.
/// Its Store is poisoned; calls are refused until a reset.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the session ended when `{call}` failed ({}): {failure}; reset it to start a new instance", failure.kind.as_str())]
pub struct SessionEnded {
    /// The call that ended it.
    pub call: String,
    /// Its failure.
    pub failure: RunFailure,
}

/// What a session holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStatus {
    /// Calls made in this instance (the one that ended it included).
    pub calls: u64,
    /// Time since the instance's Store was made; `None` before the first
    /// call.
    pub age: Option<Duration>,
    /// Linear memory in use: the sum of the sizes of every memory of the
    /// instance (every node's, in traced mode), in bytes.
    pub memory_bytes: usize,
    /// Calls answered by mocks and fakes so far.
    pub mock_calls: usize,
    /// Calls across wires recorded so far (traced mode).
    pub trace_entries: usize,
    /// Entries held by the session's `kv` fakes.
    pub fake_entries: usize,
    /// Composed or traced.
    pub mode: RunMode,
    /// Why the session ended, if it has.
    pub ended: Option<SessionEnded>,
}

impl LiveSession {
    /// What the session holds now.
    pub fn status(&self) -> SessionStatus {
        let mode = self.runnable.entry().mode();
        let mut status = SessionStatus {
            calls: 0,
            age: None,
            memory_bytes: 0,
            mock_calls: 0,
            trace_entries: 0,
            fake_entries: 0,
            mode,
            ended: self.ended.clone(),
        };
        if let Some(live) = &self.live {
            let state = live.store.data();
            status.calls = live.calls;
            status.age = Some(live.opened.elapsed());
            status.memory_bytes = state.memory.in_use;
            status.mock_calls = state.mock_calls.len();
            status.trace_entries = state.trace.len();
            status.fake_entries = state.kv.values().map(|m| m.len()).sum();
        }
        status
    }

    /// The project this session runs.
    pub fn runnable(&self) -> &Arc<Runnable> {
        &self.runnable
    }

    /// Every mock call of the session so far.
    pub fn mock_calls(&self) -> &[MockCall] {
        self.live
            .as_ref()
            .map_or(&[], |l| &l.store.data().mock_calls)
    }

    /// Every call across a wire of the session so far (traced mode).
    pub fn trace(&self) -> &[TraceEntry] {
        self.live.as_ref().map_or(&[], |l| &l.store.data().trace)
    }

    /// Whether the session has ended.
    pub fn ended(&self) -> Option<&SessionEnded> {
        self.ended.as_ref()
    }

    /// Drops the instance and every record: the next call makes a new one.
    pub fn reset(&mut self) {
        self.live = None;
        self.ended = None;
    }

    /// Empties the mock call log, the denials, the trace, the log lines and
    /// the fakes'
    /// state (the kv fakes' maps, reseeded from their values on next use;
    /// the positions in sequence mocks), keeping the instance.
    pub fn clear(&mut self) {
        let Some(live) = &mut self.live else { return };
        let state = live.store.data_mut();
        state.mock_calls.clear();
        state.denials.clear();
        state.trace.clear();
        state.logs.clear();
        state.kv.clear();
        for scope in &mut state.scopes {
            scope.kv.clear_fake();
        }
        state
            .sequences
            .retain(|key, _| key == crate::caps::mock::RESOURCE_COUNTER);
        live.seen.mock_calls = 0;
        live.seen.denials = 0;
        live.seen.trace = 0;
        live.seen.logs = 0;
    }
}
