//! Running: the limits of a run, its report (trace, mock calls, denials,
//! scope lines, failure), and the requests to run a function or serve HTTP.

use super::*;
use crate::ApiError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Limits of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunLimits {
    /// Wall-clock limit.
    pub timeout_ms: u64,
    /// Linear memory limit per instance.
    pub max_memory_mib: u64,
    /// Fuel (instructions, roughly); unlimited if absent.
    pub fuel: Option<u64>,
    /// Captured stdout/stderr limit.
    pub max_output_kib: u64,
}

impl Default for RunLimits {
    fn default() -> Self {
        Self {
            timeout_ms: 5_000,
            max_memory_mib: 64,
            fuel: None,
            max_output_kib: 256,
        }
    }
}

impl RunLimits {
    /// The host's limits in the units people write (whole milliseconds,
    /// MiB, KiB), as a report shows them.
    pub fn from_host(limits: &patchbay_host::Limits) -> Self {
        Self {
            timeout_ms: u64::try_from(limits.timeout.as_millis()).unwrap_or(u64::MAX),
            max_memory_mib: (limits.max_memory >> 20) as u64,
            fuel: limits.fuel,
            max_output_kib: (limits.max_output >> 10) as u64,
        }
    }

    /// The host's limits, each checked against its range by the one check
    /// the command line uses too ([`patchbay_host::Limits::from_units`]).
    pub(crate) fn to_host(self) -> Result<patchbay_host::Limits, ApiError> {
        patchbay_host::Limits::from_units(patchbay_host::LimitUnits {
            timeout_ms: self.timeout_ms,
            max_memory_mib: self.max_memory_mib,
            fuel: self.fuel,
            max_output_kib: self.max_output_kib,
        })
        .map_err(|e| {
            ApiError::bad_request(format!(
                "{} must be {}, got {}",
                e.limit.label,
                e.limit.describe(),
                e.got
            ))
        })
    }
}

/// What ended a failed run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunFailure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// What happened.
    pub message: String,
    /// The limit that was hit, if any.
    pub limit: Option<LimitName>,
}

/// A call answered by a mock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MockCall {
    /// Interface.
    pub interface: String,
    /// Function.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE.
    pub result: String,
}

/// A call refused because its capability is denied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Denial {
    /// Nodes whose import is denied.
    pub nodes: Vec<String>,
    /// Interface.
    pub interface: String,
    /// Function.
    pub function: String,
}

/// A reach outside a node's granted scope (a refused connection, request
/// or path), or the narrowed view of the host a node was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScopeLine {
    /// The nodes whose scope it was.
    pub nodes: Vec<String>,
    /// Interface (`wasi:http/outgoing-handler`).
    pub interface: String,
    /// Whether something the guest tried was refused (false: a narrowed
    /// view it was given).
    pub refused: bool,
    /// What was refused or withheld.
    pub message: String,
}

/// The level of a `wasi:logging` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogLevel {
    /// `TRACE`.
    Trace,
    /// `DEBUG`.
    Debug,
    /// `INFO`.
    Info,
    /// `WARN`.
    Warn,
    /// `ERROR`.
    Error,
    /// `CRITICAL`.
    Critical,
}

/// One `wasi:logging` line a guest logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LogLine {
    /// The nodes whose scope logged it.
    pub nodes: Vec<String>,
    /// Its level.
    pub level: LogLevel,
    /// The guest's context (empty when it gave none).
    pub context: String,
    /// The message.
    pub message: String,
}

impl From<&patchbay_host::LogRecord> for LogLine {
    fn from(l: &patchbay_host::LogRecord) -> Self {
        use patchbay_host::LogLevel as L;
        Self {
            nodes: l.nodes.clone(),
            level: match l.level {
                L::Trace => LogLevel::Trace,
                L::Debug => LogLevel::Debug,
                L::Info => LogLevel::Info,
                L::Warn => LogLevel::Warn,
                L::Error => LogLevel::Error,
                L::Critical => LogLevel::Critical,
            },
            context: l.context.clone(),
            message: l.message.clone(),
        }
    }
}

/// A call across a wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceEntry {
    /// Calling node.
    pub caller: String,
    /// Called node.
    pub callee: String,
    /// `interface#function`.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE, or the error.
    pub result: String,
    /// When the call started, in microseconds since the run began.
    pub start_micros: u64,
    /// Duration in microseconds.
    pub micros: u64,
}

impl From<&patchbay_host::TraceEntry> for TraceEntry {
    fn from(t: &patchbay_host::TraceEntry) -> Self {
        Self {
            caller: t.caller.clone(),
            callee: t.callee.clone(),
            function: t.function.clone(),
            args: t.args.clone(),
            result: t.result.clone(),
            start_micros: t.start_micros,
            micros: t.micros,
        }
    }
}

/// The live session's calls across wires, call by call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionTrace {
    /// The session's calls in the order they were made (since it began
    /// or was cleared), each with the wire calls it made.
    pub calls: Vec<CallTrace>,
}

/// One call of a live session and the calls across wires it made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CallTrace {
    /// Its run number (the run report's).
    pub run: u64,
    /// The call as written.
    pub call: String,
    /// The calls across wires it made, in the order they started.
    pub entries: Vec<TraceEntry>,
}

/// Everything about one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// Run number.
    pub run: u64,
    /// The call as WAVE.
    pub call: String,
    /// Composed or traced.
    pub mode: RunMode,
    /// Why that mode.
    pub mode_reason: String,
    /// Whether the call returned.
    pub ok: bool,
    /// The result as WAVE.
    pub result: Option<String>,
    /// Why it failed.
    pub failure: Option<RunFailure>,
    /// Captured stdout.
    pub stdout: String,
    /// Captured stderr.
    pub stderr: String,
    /// Calls answered by mocks.
    pub mock_calls: Vec<MockCall>,
    /// Calls refused by denials.
    pub denials: Vec<Denial>,
    /// Calls across wires.
    pub trace: Vec<TraceEntry>,
    /// `wasi:logging` lines, in order.
    pub logs: Vec<LogLine>,
    /// Reaches outside a node's scope, and narrowed views, by node.
    pub scope: Vec<ScopeLine>,
    /// Duration in microseconds.
    pub micros: u64,
    /// The limits it ran under.
    pub limits: RunLimits,
}

impl RunReport {
    /// The report of a run made under `limits`, as the editor and
    /// `patchbay call --json` show it.
    pub fn from_host(r: &patchbay_host::RunReport, limits: RunLimits) -> Self {
        let (ok, result, failure) = match &r.result {
            Ok(v) => (true, Some(v.clone()), None),
            Err(f) => (
                false,
                None,
                Some(RunFailure {
                    kind: f.kind.into(),
                    message: f.message.clone(),
                    limit: LimitName::of_failure(f.kind),
                }),
            ),
        };
        Self {
            run: r.run,
            call: r.call.clone(),
            mode: r.mode.into(),
            mode_reason: r.mode_reason.clone(),
            ok,
            result,
            failure,
            stdout: r.stdout.clone(),
            stderr: r.stderr.clone(),
            mock_calls: r
                .mock_calls
                .iter()
                .map(|m| MockCall {
                    interface: m.interface.clone(),
                    function: m.function.clone(),
                    args: m.args.clone(),
                    result: m.result.clone(),
                })
                .collect(),
            denials: r
                .denials
                .iter()
                .map(|d| Denial {
                    nodes: d.nodes.clone(),
                    interface: d.interface.clone(),
                    function: d.function.clone(),
                })
                .collect(),
            trace: r.trace.iter().map(TraceEntry::from).collect(),
            logs: r.logs.iter().map(LogLine::from).collect(),
            scope: r
                .scope
                .iter()
                .map(|l| ScopeLine {
                    nodes: l.nodes.clone(),
                    interface: l.interface.clone(),
                    refused: l.refused,
                    message: l.message.clone(),
                })
                .collect(),
            micros: r.micros,
            limits,
        }
    }
}

/// `run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// The call as WAVE: `handle-request("get a")`.
    pub call: String,
    /// Limits.
    pub limits: RunLimits,
    /// Trace calls across wires (falls back to composed when it cannot).
    pub traced: bool,
}

/// `serveStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServeRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Port on 127.0.0.1; a free one if absent.
    pub port: Option<u16>,
    /// Limits per request.
    pub limits: RunLimits,
}

/// A running HTTP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServeInfo {
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    /// The node whose handler serves.
    pub node: String,
}

/// A component's `build` command that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BuildReport {
    /// The component.
    pub component: String,
    /// The command, as written in the project file.
    pub command: String,
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its exit status, if it exited.
    pub status: Option<i32>,
    /// How it ended, for people (`exited with status 101`).
    pub ended: String,
    /// Everything it wrote: stdout, then stderr.
    pub output: String,
    /// How long it ran, in milliseconds.
    pub millis: u64,
}

impl From<&patchbay_host::watch::BuildRun> for BuildReport {
    fn from(b: &patchbay_host::watch::BuildRun) -> Self {
        Self {
            component: b.component.clone(),
            command: b.command.clone(),
            success: b.success,
            status: b.status,
            ended: b.ended.clone(),
            output: b.output.clone(),
            millis: b.millis,
        }
    }
}

/// `patchbay watch --json`: one load or reload, one JSON object per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReloadReport {
    /// 0 for the first load, then 1, 2, … per reload.
    pub number: u64,
    /// The changed files, relative to the project folder.
    pub changed: Vec<String>,
    /// Whether the reload produced a new live state.
    pub ok: bool,
    /// On failure: whether the last good build stays live.
    pub kept_last_good: bool,
    /// What happened, for people.
    pub message: String,
    /// The build commands that ran.
    pub builds: Vec<BuildReport>,
    /// Warnings and notes that did not stop the reload.
    pub notes: Vec<String>,
    /// The call re-run on the new state, if one was asked for.
    pub report: Option<RunReport>,
}

impl ReloadReport {
    /// The report of `outcome`, with the run of the call made on it.
    pub fn new(outcome: &patchbay_host::watch::ReloadOutcome, report: Option<RunReport>) -> Self {
        Self {
            number: outcome.number,
            changed: outcome.changed_names(),
            ok: outcome.is_ok(),
            kept_last_good: outcome.kept_last_good,
            message: outcome.message(),
            builds: outcome.builds.iter().map(BuildReport::from).collect(),
            notes: outcome.notes.clone(),
            report,
        }
    }
}

/// A call in the run panel's live session: one instance of the document's
/// composition that successive calls share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionCallRequest {
    /// The document as edited.
    pub doc: ProjectDoc,
    /// The call, in WAVE.
    pub call: String,
    /// Limits of this call.
    pub limits: RunLimits,
    /// Run each node as its own instance, tracing wires.
    pub traced: bool,
}

/// Which session the panel asks about: the document as edited now and
/// the mode it runs in. A document whose composition differs from the
/// session's ends the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    /// The document as edited.
    pub doc: ProjectDoc,
    /// Run each node as its own instance, tracing wires.
    pub traced: bool,
}

/// What a session call did: the report, or none when the session had
/// ended (its `ended` says why), and the session after the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionCalled {
    /// The call's report; absent when the session had ended.
    pub report: Option<RunReport>,
    /// The session after the call.
    pub session: SessionInfo,
}

/// Whether the panel has a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SessionState {
    /// No instance yet: the next call makes one.
    None,
    /// An instance that calls share.
    Live,
    /// The session ended; `ended` says why.
    Ended,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SessionEndCause {
    /// A call failed inside the guest (a trap, a limit, a denial), which
    /// poisons its instance; a reset starts a new one.
    Failure,
    /// The composition was edited; the next call starts a new session.
    Edited,
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionEnd {
    /// Why.
    pub cause: SessionEndCause,
    /// The call that failed (cause `failure`).
    pub call: Option<String>,
    /// Its failure kind (cause `failure`).
    pub kind: Option<FailureKind>,
    /// A sentence for the panel.
    pub message: String,
}

/// The run panel's live session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// None, live or ended.
    pub state: SessionState,
    /// Calls that reached the instance.
    pub calls: u64,
    /// Milliseconds since the instance was made; absent before one is.
    pub age_ms: Option<u64>,
    /// Linear memory in use: the sum of the instance's memories, in bytes.
    pub memory_bytes: u64,
    /// Calls answered by mocks and fakes so far.
    pub mock_calls: u64,
    /// Calls across wires recorded so far (traced mode).
    pub trace_entries: u64,
    /// Entries held by the session's kv fakes.
    pub fake_entries: u64,
    /// Composed or traced; absent with no session.
    pub mode: Option<RunMode>,
    /// Why it ended.
    pub ended: Option<SessionEnd>,
}

impl SessionInfo {
    /// No session: the next call makes one.
    pub fn none() -> Self {
        Self {
            state: SessionState::None,
            calls: 0,
            age_ms: None,
            memory_bytes: 0,
            mock_calls: 0,
            trace_entries: 0,
            fake_entries: 0,
            mode: None,
            ended: None,
        }
    }

    /// The boundary view of a host session's status.
    pub fn from_host(status: &patchbay_host::SessionStatus) -> Self {
        let ended = status.ended.as_ref().map(|e| SessionEnd {
            cause: SessionEndCause::Failure,
            call: Some(e.call.clone()),
            kind: Some(e.failure.kind.into()),
            message: e.to_string(),
        });
        let state = match (&ended, status.age) {
            (Some(_), _) => SessionState::Ended,
            (None, Some(_)) => SessionState::Live,
            (None, None) => SessionState::None,
        };
        Self {
            state,
            calls: status.calls,
            age_ms: status
                .age
                .map(|a| u64::try_from(a.as_millis()).unwrap_or(u64::MAX)),
            memory_bytes: status.memory_bytes as u64,
            mock_calls: status.mock_calls as u64,
            trace_entries: status.trace_entries as u64,
            fake_entries: status.fake_entries as u64,
            mode: Some(status.mode.into()),
            ended,
        }
    }
}
