//! The typed event stream: run output, traces, denials, limit hits, reload
//! notices. Every host operation reports here; the desktop app subscribes.

use tokio::sync::broadcast;

/// One thing that happened in the host.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A call is about to start.
    RunStarted {
        /// Run number, unique within the host.
        run: u64,
        /// The call as written (`handle-request("get a")`).
        call: String,
        /// Composed or traced.
        mode: crate::RunMode,
    },
    /// A run ended (with a result or a failure).
    RunFinished {
        /// Run number.
        run: u64,
        /// The result as WAVE, if the call returned.
        result: Option<String>,
        /// Why it failed, if it did.
        error: Option<String>,
        /// Wall-clock duration in microseconds.
        micros: u64,
    },
    /// Text a guest wrote to stdout or stderr during a run.
    Output {
        /// Run number.
        run: u64,
        /// `stdout` or `stderr`.
        stream: &'static str,
        /// The text (lossy UTF-8).
        text: String,
    },
    /// A guest called a denied capability.
    Denied {
        /// Run number.
        run: u64,
        /// Nodes whose unwired import is denied.
        nodes: Vec<String>,
        /// The interface (`wasi:http/outgoing-handler@0.2.12`).
        interface: String,
        /// The function (`handle`).
        function: String,
    },
    /// A guest reached outside its granted scope (a refused connection,
    /// request or path), or was shown a narrowed view of the host (its
    /// environment, its folders).
    OutOfScope {
        /// Run number.
        run: u64,
        /// The nodes whose scope it was.
        nodes: Vec<String>,
        /// The interface (`wasi:http/outgoing-handler`).
        interface: String,
        /// What was refused or withheld.
        message: String,
    },
    /// A guest logged a line through `wasi:logging`.
    Log {
        /// Run number.
        run: u64,
        /// The line: nodes, level, context, message.
        line: crate::LogRecord,
    },
    /// A mocked function answered.
    Mocked {
        /// Run number.
        run: u64,
        /// The interface.
        interface: String,
        /// The function.
        function: String,
        /// Arguments as WAVE.
        args: Vec<String>,
        /// Result as WAVE, or the trap message.
        result: String,
    },
    /// A call crossed a wire (traced mode).
    WireCall {
        /// Run number.
        run: u64,
        /// The call.
        call: crate::TraceEntry,
    },
    /// A run hit one of its limits.
    LimitHit {
        /// Run number.
        run: u64,
        /// The node that was running.
        node: String,
        /// `timeout`, `fuel`, `memory`, `stack` or `output`.
        limit: &'static str,
        /// A sentence for people.
        message: String,
    },
    /// `patchbay serve` answered one HTTP request (a fresh instance each).
    Served {
        /// Run number of the request's instance.
        run: u64,
        /// The request method (`GET`).
        method: String,
        /// The request path with its query (`/hello?x=1`).
        path: String,
        /// The status sent (500 when the guest failed before answering).
        status: u16,
        /// Wall-clock time from the request to the guest's return, in
        /// microseconds.
        micros: u64,
        /// Why the guest failed, if it did (it may fail after answering).
        error: Option<String>,
    },
    /// A component's `build` command started (the watcher saw its sources
    /// change, or its file was missing).
    BuildStarted {
        /// The component.
        component: String,
        /// The command, as written in the project file.
        command: String,
    },
    /// A component's `build` command ended.
    BuildFinished {
        /// The component.
        component: String,
        /// The command, as written in the project file.
        command: String,
        /// Whether it exited with status 0.
        success: bool,
        /// How it ended, for people: `exited with status 3`, `could not
        /// start: …`.
        ended: String,
        /// Everything it wrote: stdout, then stderr.
        output: String,
        /// How long it ran, in milliseconds.
        millis: u64,
    },
    /// A component changed on disk and the project was reloaded.
    Reloaded {
        /// The files that changed.
        changed: Vec<String>,
        /// Whether the new state composes and runs (false keeps the last
        /// good state live).
        ok: bool,
        /// What happened, for people.
        message: String,
    },
}

/// The sending side, shared by everything in the host.
#[derive(Debug, Clone)]
pub struct EventSink {
    tx: broadcast::Sender<Event>,
}

impl EventSink {
    pub(crate) fn new() -> Self {
        let (tx, _) = broadcast::channel(1024);
        Self { tx }
    }

    /// Sends an event to every subscriber; no subscriber is not an error.
    pub fn send(&self, event: Event) {
        let _ = self.tx.send(event);
    }

    /// A new subscription, receiving events sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}
