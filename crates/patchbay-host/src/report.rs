//! What a run reports: its result, output, trace and failure, and the
//! records of denials, refusals, left-open calls and mock calls in it.
//! Plain data: depends on no other module of the crate, so the Store's
//! state, the event stream and the run paths can all use it.

/// One call that crossed a wire (traced mode).
#[derive(Debug, Clone, PartialEq)]
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

/// How a run ran: the composed component as one instance, or each node
/// as its own instance with wires traced between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunMode {
    /// One instance of the composed component.
    Composed,
    /// One instance per node; calls across wires are traced.
    Traced,
}

impl RunMode {
    /// `composed` or `traced`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunMode::Composed => "composed",
            RunMode::Traced => "traced",
        }
    }
}

impl std::fmt::Display for RunMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of failure ended a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The kind as written in reports: `bad-call`, `left-open`, `timeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::BadCall => "bad-call",
            FailureKind::Instantiate => "instantiate",
            FailureKind::Denied => "denied",
            FailureKind::LeftOpen => "left-open",
            FailureKind::Timeout => "timeout",
            FailureKind::Fuel => "fuel",
            FailureKind::Memory => "memory",
            FailureKind::Stack => "stack",
            FailureKind::Output => "output",
            FailureKind::Trap => "trap",
        }
    }

    /// The limit that ends a run of this kind, if it is one.
    pub fn limit(self) -> Option<&'static str> {
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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RunFailure {
    /// The kind of failure.
    pub kind: FailureKind,
    /// A sentence naming the node and the limit or cause.
    pub message: String,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Run number within the host.
    pub run: u64,
    /// The call as given.
    pub call: String,
    /// Composed or traced.
    pub mode: RunMode,
    /// Why this mode was used.
    pub mode_reason: String,
    /// The result as WAVE, or the failure.
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
    /// `wasi:logging` lines, in the order they were logged.
    pub logs: Vec<LogRecord>,
    /// Reaches outside a node's granted scope (refused connections,
    /// requests and paths) and the narrowed views it was given (its
    /// environment, its folders), each naming the nodes and interface.
    pub scope: Vec<ScopeRefusal>,
    /// Wall-clock time of the call, in microseconds, instantiation included
    /// when the call made the instance (a fresh one, or a session's first).
    pub micros: u64,
}

/// The level of a `wasi:logging` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// `trace`.
    Trace,
    /// `debug`.
    Debug,
    /// `info`.
    Info,
    /// `warn`.
    Warn,
    /// `error`.
    Error,
    /// `critical`.
    Critical,
}

impl LogLevel {
    /// The level as lines show it: `TRACE` … `CRITICAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "TRACE",
            LogLevel::Debug => "DEBUG",
            LogLevel::Info => "INFO",
            LogLevel::Warn => "WARN",
            LogLevel::Error => "ERROR",
            LogLevel::Critical => "CRITICAL",
        }
    }
}

/// One `wasi:logging` line a guest logged.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    /// The nodes whose scope logged it (one in traced runs; in composed
    /// runs, every node importing `wasi:logging`).
    pub nodes: Vec<String>,
    /// Its level.
    pub level: LogLevel,
    /// The guest's context (`""` when it gave none).
    pub context: String,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for LogRecord {
    /// `WARN cache: miss for a`; `INFO started` without a context.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.context.is_empty() {
            write!(f, "{} {}", self.level.as_str(), self.message)
        } else {
            write!(
                f,
                "{} {}: {}",
                self.level.as_str(),
                self.context,
                self.message
            )
        }
    }
}

/// A denied capability, reported as the error of the call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
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

/// A call to an import left open that the host cannot provide, reported as
/// the error of the call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{} called `{interface}#{function}`, which is left open: the composed component imports it for the host it is deployed to, and Patchbay does not provide it; wire, mock or deny it to run it here",
    nodes_text(nodes)
)]
pub struct LeftOpenCall {
    /// Nodes that leave the import open.
    pub nodes: Vec<String>,
    /// The interface.
    pub interface: String,
    /// The function.
    pub function: String,
}

/// A user-supplied string as shown in a message, cut the way every
/// message of Patchbay cuts one ([`patchbay_project::shown`]), so a hostile
/// or careless input cannot flood a report.
pub(crate) fn shown(text: &str) -> String {
    patchbay_project::shown(text).into_owned()
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
#[derive(Debug, Clone, PartialEq)]
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

/// A guest reached outside its granted scope, or saw a narrowed view of
/// the host: which nodes, through which interface, and what happened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}, `{interface}`: {message}", nodes_text(nodes))]
pub struct ScopeRefusal {
    /// The nodes whose scope it was (one in traced runs; in composed runs,
    /// every node sharing the import).
    pub nodes: Vec<String>,
    /// The interface (`wasi:http/outgoing-handler`).
    pub interface: String,
    /// Whether the host refused something the guest tried (a connection,
    /// a request, a path); `false` for a narrowed view it was given.
    pub refused: bool,
    /// What was refused or withheld, for people.
    pub message: String,
}
