//! What a run reports: its result, output, trace and failure, and the
//! records of denials, refusals, left-open calls and mock calls in it.
//! Plain data: depends on no other module of the crate, so the Store's
//! state, the event stream and the run paths can all use it.

use serde::Serialize;

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

/// A guest reached outside its granted scope, or saw a narrowed view of
/// the host: which nodes, through which interface, and what happened.
#[derive(Debug, Clone, PartialEq, serde::Serialize, thiserror::Error)]
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
