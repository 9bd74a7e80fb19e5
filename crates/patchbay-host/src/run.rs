//! Preparing a project and running one export call.

use crate::caps::Capabilities;
use crate::events::Event;
use crate::state::{
    CapabilityDenied, LeftOpenCall, MemoryCap, MemoryLimitHit, MockCall, RunState, ScopeLog,
    ScopeRefusal,
};
use crate::{CacheHit, Host, PrepareError};
use patchbay_compose::{Composed, Workspace};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;
use wasmtime::component::{Component, ComponentExportIndex, InstancePre, Linker, Type, Val};
use wasmtime::{Store, Trap};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// Per-run limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Wall-clock budget of the call (instantiation included).
    pub timeout: Duration,
    /// Fuel budget; `None` runs without a fuel limit.
    pub fuel: Option<u64>,
    /// Largest total linear memory of one instance, in bytes.
    pub max_memory: usize,
    /// Most bytes kept of stdout, and of stderr.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            fuel: None,
            max_memory: 256 << 20,
            max_output: 1 << 20,
        }
    }
}

/// A run's limits in the units people write them in (whole milliseconds,
/// MiB, KiB), before they are checked: what the command line's flags and
/// the app's run request carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitUnits {
    /// Wall-clock budget, in milliseconds.
    pub timeout_ms: u64,
    /// Memory cap per instance, in MiB.
    pub max_memory_mib: u64,
    /// Fuel budget; `None` runs without a fuel limit.
    pub fuel: Option<u64>,
    /// Most output kept per stream, in KiB.
    pub max_output_kib: u64,
}

impl Limits {
    /// `--timeout-ms`: 1 ms to an hour.
    pub const TIMEOUT_MS: LimitRange = LimitRange {
        name: "timeout-ms",
        label: "Timeout",
        unit: "ms",
        min: 1,
        max: 3_600_000,
    };
    /// `--max-memory-mib`: 1 MiB to 4 GiB, the largest memory a 32-bit
    /// wasm memory (and the host's pool slot, [`crate::HostOptions`]'s
    /// `max_memory_size`) can have.
    pub const MAX_MEMORY_MIB: LimitRange = LimitRange {
        name: "max-memory-mib",
        label: "Memory",
        unit: "MiB",
        min: 1,
        max: 4096,
    };
    /// `--fuel`: any positive amount (no fuel would stop the first
    /// instruction).
    pub const FUEL: LimitRange = LimitRange {
        name: "fuel",
        label: "Fuel",
        unit: "units",
        min: 1,
        max: u64::MAX,
    };
    /// `--max-output-kib`: 1 KiB to 1 GiB per stream, held in memory.
    pub const MAX_OUTPUT_KIB: LimitRange = LimitRange {
        name: "max-output-kib",
        label: "Output",
        unit: "KiB",
        min: 1,
        max: 1 << 20,
    };
    /// `--max-stack-kib`: the guest's wasm stack, 16 KiB to 16 MiB (a host
    /// option, [`crate::HostOptions::max_wasm_stack`], not a per-run limit;
    /// checked here with the others).
    pub const MAX_STACK_KIB: LimitRange = LimitRange {
        name: "max-stack-kib",
        label: "Stack",
        unit: "KiB",
        min: 16,
        max: 16 << 10,
    };

    /// Checks every limit against its range and converts it to the host's
    /// units. This is the one check of limits: the command line and the
    /// app's run request both call it.
    pub fn from_units(units: LimitUnits) -> Result<Self, LimitError> {
        let timeout_ms = Self::TIMEOUT_MS.check(units.timeout_ms)?;
        let fuel = units.fuel.map(|f| Self::FUEL.check(f)).transpose()?;
        Ok(Self {
            timeout: Duration::from_millis(timeout_ms),
            fuel,
            max_memory: Self::MAX_MEMORY_MIB.bytes(units.max_memory_mib, 20)?,
            max_output: Self::MAX_OUTPUT_KIB.bytes(units.max_output_kib, 10)?,
        })
    }

    /// The largest wasm stack, in bytes, from KiB checked against
    /// [`Limits::MAX_STACK_KIB`].
    pub fn stack_bytes(kib: u64) -> Result<usize, LimitError> {
        Self::MAX_STACK_KIB.bytes(kib, 10)
    }
}

/// The range a limit accepts, in the unit people write it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitRange {
    /// The limit's name as the command line spells its flag, without the
    /// dashes (`max-memory-mib`).
    pub name: &'static str,
    /// The limit as a form labels it (`Memory`).
    pub label: &'static str,
    /// The unit of the numbers (`MiB`).
    pub unit: &'static str,
    /// The smallest value accepted.
    pub min: u64,
    /// The largest value accepted.
    pub max: u64,
}

impl LimitRange {
    /// `value`, if it lies in the range.
    pub fn check(&self, value: u64) -> Result<u64, LimitError> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(value))
        }
    }

    /// A whole number written in the range's unit (command-line text),
    /// checked; text that is no number, or one too large for any range,
    /// is an error naming the range too.
    pub fn parse(&self, text: &str) -> Result<u64, LimitError> {
        match text.trim().parse::<u64>() {
            Ok(value) => self.check(value),
            Err(_) => Err(self.error(text)),
        }
    }

    /// `between 1 and 4096 (MiB)`.
    pub fn describe(&self) -> String {
        format!("between {} and {} ({})", self.min, self.max, self.unit)
    }

    /// `value` in this range's unit, checked, as bytes (`shift` 10 for KiB,
    /// 20 for MiB), without wrapping.
    fn bytes(&self, value: u64, shift: u32) -> Result<usize, LimitError> {
        let value = self.check(value)?;
        value
            .checked_mul(1 << shift)
            .and_then(|b| usize::try_from(b).ok())
            .ok_or_else(|| self.error(value))
    }

    fn error(&self, got: impl ToString) -> LimitError {
        LimitError {
            limit: *self,
            got: got.to_string(),
        }
    }
}

/// A limit outside its range (or not a number).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--{} must be {}, got {got}", limit.name, limit.describe())]
pub struct LimitError {
    /// The limit and its range.
    pub limit: LimitRange,
    /// The value given, as written.
    pub got: String,
}

/// One call that crossed a wire (traced mode).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceEntry {
    /// The calling node.
    pub caller: String,
    /// The called node.
    pub callee: String,
    /// `interface#function`.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE, or the error.
    pub result: String,
    /// When the call started, in microseconds since the run's store was
    /// made (before the nodes were instantiated).
    pub start_micros: u64,
    /// How long the callee took, in microseconds.
    pub micros: u64,
}

/// What kind of failure ended a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The call text is not a valid call of an export.
    BadCall,
    /// Instantiation failed (an import the host could not satisfy …).
    Instantiate,
    /// A denied capability was called.
    Denied,
    /// An import left open that the host cannot provide was called.
    LeftOpen,
    /// The wall-clock timeout passed.
    Timeout,
    /// The fuel ran out.
    Fuel,
    /// The memory cap was reached.
    Memory,
    /// The wasm stack overflowed.
    Stack,
    /// The output cap was reached.
    Output,
    /// The guest trapped (panic, unreachable, a mock's trap …).
    Trap,
}

impl FailureKind {
    pub(crate) fn limit(self) -> Option<&'static str> {
        match self {
            FailureKind::Timeout => Some("timeout"),
            FailureKind::Fuel => Some("fuel"),
            FailureKind::Memory => Some("memory"),
            FailureKind::Stack => Some("stack"),
            FailureKind::Output => Some("output"),
            _ => None,
        }
    }
}

/// Why a run failed.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct RunFailure {
    /// The kind of failure.
    pub kind: FailureKind,
    /// A sentence naming the node and the limit or cause.
    pub message: String,
}

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Run number within the host.
    pub run: u64,
    /// The call as given.
    pub call: String,
    /// `composed` or `traced`.
    pub mode: &'static str,
    /// Why this mode was used.
    pub mode_reason: String,
    /// The result as WAVE, or the failure.
    #[serde(serialize_with = "serialize_result")]
    pub result: Result<String, RunFailure>,
    /// Captured stdout (lossy UTF-8).
    pub stdout: String,
    /// Captured stderr (lossy UTF-8).
    pub stderr: String,
    /// Calls answered by mocks.
    pub mock_calls: Vec<MockCall>,
    /// Denied capabilities the guest reached for.
    pub denials: Vec<CapabilityDenied>,
    /// Calls across wires (traced mode).
    pub trace: Vec<TraceEntry>,
    /// Reaches outside a node's granted scope (refused connections,
    /// requests and paths) and the narrowed views it was given (its
    /// environment, its folders), each naming the nodes and interface.
    pub scope: Vec<ScopeRefusal>,
    /// Wall-clock time of instantiation and call, in microseconds.
    pub micros: u64,
}

fn serialize_result<S: serde::Serializer>(
    r: &Result<String, RunFailure>,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Outcome<'a> {
        Ok(&'a str),
        Err(&'a RunFailure),
    }
    match r {
        Ok(v) => Outcome::Ok(v).serialize(s),
        Err(e) => Outcome::Err(e).serialize(s),
    }
}

/// A callable export of the composition.
#[derive(Debug, Clone)]
pub(crate) struct ExportFn {
    /// `handle-request`, or `patchbay:sandbox/probe#run-all`.
    pub name: String,
    /// The function name alone.
    pub function: String,
    /// The node it comes from.
    pub node: String,
    pub index: ComponentExportIndex,
}

/// A project composed, compiled and linked, ready for runs.
pub struct Prepared {
    pub(crate) project: String,
    dir: PathBuf,
    composed: Composed,
    component: Component,
    pub(crate) pre: InstancePre<crate::state::RunState>,
    pub(crate) caps: Capabilities,
    pub(crate) exports: Vec<ExportFn>,
    cache: CacheHit,
}

impl Prepared {
    /// The composed component.
    pub fn composed(&self) -> &Composed {
        &self.composed
    }

    /// Where the compiled code came from.
    pub fn cache_hit(&self) -> CacheHit {
        self.cache
    }

    /// Callable export functions, as `name` (world functions) or
    /// `interface#function`.
    pub fn export_names(&self) -> Vec<String> {
        self.exports.iter().map(|e| e.name.clone()).collect()
    }

    /// The project folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The compiled component.
    pub fn component(&self) -> &Component {
        &self.component
    }
}

/// Finds the export a call names: its full name, or the function name alone
/// (or `interface#function` without package and version) when unique.
pub(crate) fn find_export<'a>(
    exports: &'a [ExportFn],
    project: &str,
    name: &str,
) -> Result<&'a ExportFn, RunFailure> {
    if let Some(e) = exports.iter().find(|e| e.name == name) {
        return Ok(e);
    }
    let matches: Vec<&ExportFn> = exports
        .iter()
        .filter(|e| e.function == name || short_name(&e.name) == name)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!(
                "`{project}` exports no function `{name}`; it exports {}",
                exports
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
        many => Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!(
                "`{name}` is ambiguous; write one of {}",
                many.iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// `patchbay:sandbox/probe#run-all` → `probe#run-all`.
fn short_name(name: &str) -> String {
    match name.split_once('#') {
        Some((iface, f)) => {
            let iface = iface.rsplit('/').next().unwrap_or(iface);
            let iface = iface.split('@').next().unwrap_or(iface);
            format!("{iface}#{f}")
        }
        None => name.to_string(),
    }
}

/// Splits `name(args…)` into the name and a WAVE call with a plain name.
pub(crate) fn split_call(call: &str) -> Result<(String, String), RunFailure> {
    let call = call.trim();
    let Some(open) = call.find('(') else {
        return Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!("`{call}` is not a call; write it like `handle-request(\"get a\")`"),
        });
    };
    let name = call[..open].trim().to_string();
    Ok((name, format!("f{}", &call[open..])))
}

impl Host {
    /// Composes the project, compiles it (or takes it from the cache) and
    /// links its capabilities.
    pub fn prepare(&self, ws: &Workspace) -> Result<Prepared, PrepareError> {
        let composed = ws
            .compose()
            .map_err(|problems| PrepareError::Compose { problems })?;
        let project = ws.project().name.clone();
        let wasmtime_err = |e: wasmtime::Error| PrepareError::Wasmtime {
            project: project.clone(),
            message: format!("{e:#}"),
        };
        let (component, cache) = self
            .cache
            .get(&self.engine, &composed.bytes)
            .map_err(wasmtime_err)?;
        let plans = crate::plan::plan_imports(ws, &composed.imports)?;
        if let Some((a, b)) = crate::caps::shared_interface_conflict(&plans) {
            let import = format!("{}` and `{}", a.name, b.name);
            let first = a.nodes.first().cloned().unwrap_or_default();
            let second = b.nodes.first().cloned().unwrap_or_default();
            return Err(crate::PlanError::ConflictingBindings {
                first_mode: crate::caps::describe_binding(ws, &first, &import),
                second_mode: crate::caps::describe_binding(ws, &second, &import),
                import,
                first,
                second,
            }
            .into());
        }
        let dir = ws.doc().dir().to_path_buf();
        let caps = Capabilities::configure(&self.engine, &component, &plans, &dir)?;
        let mut linker = Linker::new(&self.engine);
        caps.link(&mut linker).map_err(wasmtime_err)?;
        let pre = linker.instantiate_pre(&component).map_err(wasmtime_err)?;
        let exports = export_fns(&self.engine, &component, ws);
        Ok(Prepared {
            project,
            dir,
            composed,
            component,
            pre,
            caps,
            exports,
            cache,
        })
    }

    /// Runs one call of an export in a fresh Store. Never panics on guest
    /// behaviour: traps, limits and denials end up in the report.
    pub async fn call(&self, prepared: &Prepared, call: &str, limits: &Limits) -> RunReport {
        let run = self.next_run();
        self.events.send(Event::RunStarted {
            run,
            call: call.to_string(),
            mode: "composed",
        });
        let started = Instant::now();
        let (result, state, stdout, stderr) = self.run_composed(prepared, call, limits, run).await;
        self.finish_report(
            run,
            call,
            "composed",
            "the composed component ran as one instance".into(),
            started,
            result,
            state,
            stdout,
            stderr,
        )
    }

    /// Sends the end-of-run events and builds the report.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish_report(
        &self,
        run: u64,
        call: &str,
        mode: &'static str,
        mode_reason: String,
        started: Instant,
        result: Result<String, RunFailure>,
        state: Option<RunState>,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    ) -> RunReport {
        let micros = started.elapsed().as_micros() as u64;
        let stdout = String::from_utf8_lossy(&stdout).into_owned();
        let stderr = String::from_utf8_lossy(&stderr).into_owned();
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if !text.is_empty() {
                self.events.send(Event::Output {
                    run,
                    stream,
                    text: text.clone(),
                });
            }
        }
        if let (Err(failure), Some(node)) =
            (&result, state.as_ref().and_then(|s| s.failed_node.clone()))
        {
            if let Some(limit) = failure.kind.limit() {
                self.events.send(Event::LimitHit {
                    run,
                    node,
                    limit,
                    message: failure.message.clone(),
                });
            }
        }
        self.events.send(Event::RunFinished {
            run,
            result: result.as_ref().ok().cloned(),
            error: result.as_ref().err().map(|e| e.message.clone()),
            micros,
        });
        let (mock_calls, denials, trace, scope) = match state {
            Some(s) => {
                let scope = s.scope_log.lines();
                (s.mock_calls, s.denials, s.trace, scope)
            }
            None => Default::default(),
        };
        RunReport {
            run,
            call: call.to_string(),
            mode,
            mode_reason,
            result,
            stdout,
            stderr,
            mock_calls,
            denials,
            trace,
            scope,
            micros,
        }
    }

    async fn run_composed(
        &self,
        prepared: &Prepared,
        call: &str,
        limits: &Limits,
        run: u64,
    ) -> (
        Result<String, RunFailure>,
        Option<RunState>,
        Vec<u8>,
        Vec<u8>,
    ) {
        let setup = split_call(call).and_then(|(name, wave_call)| {
            let export = find_export(&prepared.exports, &prepared.project, &name)?.clone();
            Ok((export, wave_call))
        });
        let (export, wave_call) = match setup {
            Ok(x) => x,
            Err(e) => return (Err(e), None, vec![], vec![]),
        };
        let node = export.node.clone();
        let scopes = std::slice::from_ref(&prepared.caps);
        let (mut store, stdout, stderr) = match self.new_store(scopes, limits, run) {
            Ok(x) => x,
            Err(e) => {
                let failure = RunFailure {
                    kind: FailureKind::Instantiate,
                    message: format!("{e:#}"),
                };
                return (Err(failure), None, vec![], vec![]);
            }
        };
        let outcome = async {
            let instance = prepared
                .pre
                .instantiate_async(&mut store)
                .await
                .map_err(|e| classify(e, &node, limits, true))?;
            invoke(&mut store, instance, &export, call, &wave_call, limits).await
        };
        let mut result = within_budget(outcome, &node, limits).await;
        let out = stdout.contents().to_vec();
        let err = stderr.contents().to_vec();
        let mut state = store.into_data();
        state.failed_node.get_or_insert(node.clone());
        refine_failure(&mut result, &state, &node, limits, &out, &err);
        (result, Some(state), out, err)
    }
}

/// Runs `outcome` within the run's wall-clock budget, counted from now.
/// Callers make the run's Store (whose epoch deadline counts from the
/// Store's start, [`RunState::started`]) and call this in the same step,
/// with no await between, so both deadlines fall at the same instant to
/// within microseconds. A caller with a wait in between (a spawned task)
/// uses [`within_deadline`] with the Store's own start.
pub(crate) async fn within_budget<T>(
    outcome: impl std::future::Future<Output = Result<T, RunFailure>>,
    node: &str,
    limits: &Limits,
) -> Result<T, RunFailure> {
    let deadline = crate::deadline::Deadline::after(Instant::now(), limits.timeout);
    within_deadline(outcome, node, limits, deadline).await
}

/// Runs `outcome` until `deadline`. The epoch deadline stops guest code at
/// that instant; this stops a guest that waits on the host there (a slow
/// outgoing request, a slow client), dropping the wait.
pub(crate) async fn within_deadline<T>(
    outcome: impl std::future::Future<Output = Result<T, RunFailure>>,
    node: &str,
    limits: &Limits,
    deadline: crate::deadline::Deadline,
) -> Result<T, RunFailure> {
    match deadline.bound(outcome).await {
        Some(r) => r,
        None => Err(RunFailure {
            kind: FailureKind::Timeout,
            message: format!(
                "node `{node}` ran past its timeout of {} ms while waiting on the host",
                limits.timeout.as_millis()
            ),
        }),
    }
}

/// Calls an export on an instance: parses the WAVE arguments against the
/// function's parameter types and prints the result as WAVE.
pub(crate) async fn invoke(
    store: &mut Store<RunState>,
    instance: wasmtime::component::Instance,
    export: &ExportFn,
    call: &str,
    wave_call: &str,
    limits: &Limits,
) -> Result<String, RunFailure> {
    let bad = |kind, message: String| RunFailure { kind, message };
    let func = instance
        .get_func(&mut *store, export.index)
        .ok_or_else(|| {
            bad(
                FailureKind::BadCall,
                format!("`{}` is not a function", export.name),
            )
        })?;
    let fty = func.ty(&*store);
    let param_types: Vec<Type> = fty.params().map(|(_, t)| t).collect();
    if let Some((name, _)) = fty
        .params()
        .find(|(_, t)| matches!(t, Type::Own(_) | Type::Borrow(_)))
    {
        let hint = if export.name.starts_with("wasi:http/incoming-handler") {
            "; serve it with `patchbay serve` instead"
        } else {
            ""
        };
        return Err(bad(
            FailureKind::BadCall,
            format!(
                "`{}` takes a resource handle (`{name}`), which a WAVE call cannot create{hint}",
                export.name
            ),
        ));
    }
    let parsed = UntypedFuncCall::parse(wave_call).map_err(|e| {
        bad(
            FailureKind::BadCall,
            format!("cannot parse the arguments of `{call}` as WAVE: {e}"),
        )
    })?;
    let params: Vec<Val> = parsed.to_wasm_params(param_types.iter()).map_err(|e| {
        let expected = fty
            .params()
            .map(|(n, t)| format!("{n}: {}", type_desc(&t)))
            .collect::<Vec<_>>()
            .join(", ");
        bad(
            FailureKind::BadCall,
            format!(
                "arguments of `{call}` do not fit `{}({expected})`: {e}",
                export.name
            ),
        )
    })?;
    let mut results = vec![Val::Bool(false); fty.results().len()];
    func.call_async(&mut *store, &params, &mut results)
        .await
        .map_err(|e| classify(e, &export.node, limits, false))?;
    Ok(match results.as_slice() {
        [] => "()".to_string(),
        [one] => wave_text(one),
        many => format!(
            "({})",
            many.iter().map(wave_text).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// Names the real cause of a failure once the run is over: a full output
/// pipe, a refused memory growth, or a denied capability the guest turned
/// into a trap of its own.
pub(crate) fn refine_failure(
    result: &mut Result<String, RunFailure>,
    state: &RunState,
    node: &str,
    limits: &Limits,
    out: &[u8],
    err: &[u8],
) {
    let Err(failure) = result else { return };
    if out.len() >= limits.max_output || err.len() >= limits.max_output {
        *failure = RunFailure {
            kind: FailureKind::Output,
            message: format!(
                "node `{node}` hit the output limit of {} bytes; the rest of its output was dropped and the call failed",
                limits.max_output
            ),
        };
    } else if let Some(hit) = &state.memory.hit {
        *failure = memory_failure(node, hit);
    } else if let (FailureKind::Trap, Some(d)) = (failure.kind, state.denials.last()) {
        *failure = RunFailure {
            kind: FailureKind::Denied,
            message: d.to_string(),
        };
    }
}

impl Host {
    /// A fresh Store for one run with these scopes (one per node in traced
    /// runs, in node order; one in composed runs), the first one active:
    /// a WASI context and HTTP policy each, sharing the captured stdout and
    /// stderr (returned); memory cap, fuel and the epoch deadline of the
    /// run's timeout.
    pub(crate) fn new_store(
        &self,
        scopes: &[Capabilities],
        limits: &Limits,
        run: u64,
    ) -> wasmtime::Result<(Store<RunState>, MemoryOutputPipe, MemoryOutputPipe)> {
        let stdout = MemoryOutputPipe::new(limits.max_output);
        let stderr = MemoryOutputPipe::new(limits.max_output);
        let scope_log = ScopeLog::new(run, self.events.clone());
        let scopes = scopes
            .iter()
            .map(|caps| caps.scope(&stdout, &stderr, &scope_log))
            .collect::<wasmtime::Result<Vec<_>>>()?;
        let closed = Capabilities::default().scope(&stdout, &stderr, &scope_log)?;
        let state = RunState {
            run,
            scopes,
            active: 0,
            closed,
            scope_log,
            http: wasmtime_wasi_http::WasiHttpCtx::new(),
            table: wasmtime::component::ResourceTable::new(),
            memory: MemoryCap {
                limit: limits.max_memory,
                hit: None,
            },
            events: self.events.clone(),
            mock_calls: Vec::new(),
            denials: Vec::new(),
            trace: Vec::new(),
            sequences: HashMap::new(),
            kv: HashMap::new(),
            nodes: HashMap::new(),
            failed_node: None,
            forwarded: Default::default(),
            started: Instant::now(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.memory);
        store.set_fuel(limits.fuel.unwrap_or(u64::MAX))?;
        let deadline = crate::deadline::Deadline::after(store.data().started, limits.timeout);
        self.ticker.arm(&mut store, deadline);
        Ok((store, stdout, stderr))
    }
}

fn memory_failure(node: &str, hit: &MemoryLimitHit) -> RunFailure {
    RunFailure {
        kind: FailureKind::Memory,
        message: format!(
            "node `{node}` hit the memory limit of {} MiB (it asked for {} MiB)",
            hit.limit >> 20,
            hit.requested.div_ceil(1 << 20)
        ),
    }
}

pub(crate) fn classify(
    e: wasmtime::Error,
    node: &str,
    limits: &Limits,
    instantiating: bool,
) -> RunFailure {
    if let Some(d) = e.downcast_ref::<CapabilityDenied>() {
        return RunFailure {
            kind: FailureKind::Denied,
            message: d.to_string(),
        };
    }
    if let Some(call) = e.downcast_ref::<LeftOpenCall>() {
        return RunFailure {
            kind: FailureKind::LeftOpen,
            message: call.to_string(),
        };
    }
    if let Some(hit) = e.downcast_ref::<MemoryLimitHit>() {
        return memory_failure(node, hit);
    }
    if let Some(trap) = e.downcast_ref::<Trap>() {
        let (kind, message) = match trap {
            Trap::Interrupt => (
                FailureKind::Timeout,
                format!(
                    "node `{node}` ran past its timeout of {} ms and was stopped",
                    limits.timeout.as_millis()
                ),
            ),
            Trap::OutOfFuel => (
                FailureKind::Fuel,
                format!(
                    "node `{node}` ran out of fuel ({} units) and was stopped",
                    limits.fuel.unwrap_or(u64::MAX)
                ),
            ),
            Trap::StackOverflow => (
                FailureKind::Stack,
                format!("node `{node}` overflowed its wasm stack and was stopped"),
            ),
            other => (FailureKind::Trap, format!("node `{node}` trapped: {other}")),
        };
        return RunFailure { kind, message };
    }
    if instantiating {
        return RunFailure {
            kind: FailureKind::Instantiate,
            message: format!("cannot instantiate the composition: {e:#}"),
        };
    }
    RunFailure {
        kind: FailureKind::Trap,
        message: format!("node `{node}` failed: {e:#}"),
    }
}

/// Every function the composition exports, with the node it comes from.
fn export_fns(engine: &wasmtime::Engine, component: &Component, ws: &Workspace) -> Vec<ExportFn> {
    let node_of = |export: &str| {
        ws.project()
            .exports
            .iter()
            .find(|e| e.export_name() == export)
            .map(|e| e.from.node.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (name, ext) in component.component_type().exports(engine) {
        match ext.ty {
            ComponentItem::ComponentFunc(_) => {
                if let Some((_, index)) = component.get_export(None, name) {
                    out.push(ExportFn {
                        name: name.to_string(),
                        function: name.to_string(),
                        node: node_of(name),
                        index,
                    });
                }
            }
            ComponentItem::ComponentInstance(inst) => {
                let Some((_, iface)) = component.get_export(None, name) else {
                    continue;
                };
                for (fname, fext) in inst.exports(engine) {
                    if !matches!(fext.ty, ComponentItem::ComponentFunc(_)) {
                        continue;
                    }
                    if let Some((_, index)) = component.get_export(Some(&iface), fname) {
                        out.push(ExportFn {
                            name: format!("{name}#{fname}"),
                            function: fname.to_string(),
                            node: node_of(name),
                            index,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The kind of a component value type, for messages (`record`, `string` …).
pub(crate) fn type_desc(ty: &Type) -> &'static str {
    match ty {
        Type::Bool => "bool",
        Type::S8 => "s8",
        Type::U8 => "u8",
        Type::S16 => "s16",
        Type::U16 => "u16",
        Type::S32 => "s32",
        Type::U32 => "u32",
        Type::S64 => "s64",
        Type::U64 => "u64",
        Type::Float32 => "f32",
        Type::Float64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::List(_) => "list",
        Type::Record(_) => "record",
        Type::Tuple(_) => "tuple",
        Type::Variant(_) => "variant",
        Type::Enum(_) => "enum",
        Type::Option(_) => "option",
        Type::Result(_) => "result",
        Type::Flags(_) => "flags",
        Type::Own(_) => "own<resource>",
        Type::Borrow(_) => "borrow<resource>",
        _ => "value",
    }
}

/// Whether `v`, or any value nested in it, is one that `hit` picks.
pub(crate) fn holds(v: &Val, hit: &dyn Fn(&Val) -> bool) -> bool {
    hit(v)
        || match v {
            Val::List(items) | Val::Tuple(items) | Val::FixedLengthList(items) => {
                items.iter().any(|v| holds(v, hit))
            }
            Val::Record(fields) => fields.iter().any(|(_, v)| holds(v, hit)),
            Val::Variant(_, Some(v))
            | Val::Option(Some(v))
            | Val::Result(Ok(Some(v)))
            | Val::Result(Err(Some(v))) => holds(v, hit),
            _ => false,
        }
}

/// Renders a value as WAVE. WAVE has no syntax for resource handles (and
/// its writer panics on them), so any value holding one is shown with the
/// handles written `<resource>`.
pub(crate) fn wave_text(v: &Val) -> String {
    wave_text_labelled(v, &mut || "<resource>".into())
}

/// [`wave_text`], with each resource handle written as `handle()` says, in
/// depth-first, left-to-right order.
pub(crate) fn wave_text_labelled(v: &Val, handle: &mut dyn FnMut() -> String) -> String {
    let has_resource = |v: &Val| {
        holds(v, &|v| {
            matches!(
                v,
                Val::Resource(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_)
            )
        })
    };
    fn shallow(v: &Val, handle: &mut dyn FnMut() -> String) -> String {
        let mut join = |items: &[Val]| {
            items
                .iter()
                .map(|v| shallow(v, handle))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match v {
            Val::Resource(_) => handle(),
            Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => "<resource>".into(),
            Val::List(items) | Val::FixedLengthList(items) => format!("[{}]", join(items)),
            Val::Tuple(items) => format!("({})", join(items)),
            Val::Record(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", shallow(v, handle)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Variant(case, v) => format!("{case}{}", payload(v, handle)),
            Val::Option(None) => "none".into(),
            Val::Option(Some(v)) => format!("some({})", shallow(v, handle)),
            Val::Result(Ok(v)) => format!("ok{}", payload(v, handle)),
            Val::Result(Err(v)) => format!("err{}", payload(v, handle)),
            other => other.to_wave().unwrap_or_else(|e| format!("<{e}>")),
        }
    }
    fn payload(v: &Option<Box<Val>>, handle: &mut dyn FnMut() -> String) -> String {
        v.as_ref()
            .map(|v| format!("({})", shallow(v, handle)))
            .unwrap_or_default()
    }
    if has_resource(v) {
        shallow(v, handle)
    } else {
        v.to_wave()
            .unwrap_or_else(|e| format!("<unprintable: {e}>"))
    }
}
