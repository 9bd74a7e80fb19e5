//! Events the backend emits on `patchbay://event`.

use super::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An event from the backend, emitted as `patchbay://event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AppEvent {
    /// A call crossed a wire (animate it).
    #[serde(rename_all = "camelCase")]
    WireCall {
        /// Run number.
        run: u64,
        /// Calling node.
        caller: String,
        /// Called node.
        callee: String,
        /// `interface#function`.
        function: String,
        /// Duration.
        micros: u64,
    },
    /// A denied capability was called.
    Denied {
        /// Run number.
        run: u64,
        /// Nodes.
        nodes: Vec<String>,
        /// Interface.
        interface: String,
        /// Function.
        function: String,
    },
    /// A guest reached outside its scope, or was shown a narrowed view.
    OutOfScope {
        /// Run number.
        run: u64,
        /// Nodes.
        nodes: Vec<String>,
        /// Interface.
        interface: String,
        /// What was refused or withheld.
        message: String,
    },
    /// A `wasi:logging` line, as the guest logs it.
    Log {
        /// Run number.
        run: u64,
        /// The line.
        line: super::LogLine,
    },
    /// Guest output.
    Output {
        /// Run number.
        run: u64,
        /// `stdout` or `stderr`.
        stream: String,
        /// Text.
        text: String,
    },
    /// A run started.
    RunStarted {
        /// Run number.
        run: u64,
        /// The call.
        call: String,
    },
    /// A run ended.
    RunFinished {
        /// Run number.
        run: u64,
        /// Whether it returned.
        ok: bool,
    },
    /// A run hit a limit.
    LimitHit {
        /// Run number.
        run: u64,
        /// Node.
        node: String,
        /// Which limit.
        limit: String,
        /// What happened.
        message: String,
    },
    /// An HTTP request was served.
    Served {
        /// Method.
        method: String,
        /// Path.
        path: String,
        /// Status.
        status: u16,
        /// Duration.
        micros: u64,
    },
    /// A component file changed on disk and was reloaded.
    ComponentChanged {
        /// The component as it is now.
        component: ComponentView,
        /// What changed, for a toast.
        message: String,
    },
    /// A component's `build` command started: its watched sources changed.
    BuildStarted {
        /// The component.
        component: String,
        /// The command, as written in the project file.
        command: String,
    },
    /// A component's `build` command ended. A failed build changes
    /// nothing: the component's last good file stays.
    BuildFinished {
        /// The component.
        component: String,
        /// The command, as written in the project file.
        command: String,
        /// Whether it exited with status 0.
        success: bool,
        /// How it ended, for people (`exited with status 101`).
        ended: String,
        /// Everything it wrote: stdout, then stderr.
        output: String,
        /// How long it ran, in milliseconds.
        millis: u64,
    },
    /// `patchbay.toml` was changed outside the app (the app's own saves are
    /// not reported).
    ProjectChanged {
        /// The project file (absolute).
        path: String,
        /// The document the file now holds; absent when it does not open.
        doc: Option<ProjectDoc>,
        /// The components of that document as loaded now.
        components: Vec<ComponentView>,
        /// Why the file does not open (`file:line:col: …`), if it does not.
        error: Option<String>,
        /// What happened, for a toast.
        message: String,
    },
    /// Files were dropped on the window (already permitted).
    FilesDropped {
        /// Absolute paths.
        paths: Vec<String>,
    },
    /// The window is closing with unsaved changes.
    CloseRequested,
    /// Long work started or ended.
    Busy {
        /// What (`compiling`, `composing`).
        task: String,
        /// Started (true) or ended.
        busy: bool,
    },
}

impl AppEvent {
    pub(crate) fn from_host(event: &patchbay_host::Event) -> Option<Self> {
        use patchbay_host::Event as E;
        Some(match event {
            E::RunStarted { run, call, .. } => AppEvent::RunStarted {
                run: *run,
                call: call.clone(),
            },
            E::RunFinished { run, error, .. } => AppEvent::RunFinished {
                run: *run,
                ok: error.is_none(),
            },
            E::Output { run, stream, text } => AppEvent::Output {
                run: *run,
                stream: stream.to_string(),
                text: text.clone(),
            },
            E::Log { run, line } => AppEvent::Log {
                run: *run,
                line: line.into(),
            },
            E::Denied {
                run,
                nodes,
                interface,
                function,
            } => AppEvent::Denied {
                run: *run,
                nodes: nodes.clone(),
                interface: interface.clone(),
                function: function.clone(),
            },
            E::OutOfScope {
                run,
                nodes,
                interface,
                message,
            } => AppEvent::OutOfScope {
                run: *run,
                nodes: nodes.clone(),
                interface: interface.clone(),
                message: message.clone(),
            },
            E::WireCall { run, call } => AppEvent::WireCall {
                run: *run,
                caller: call.caller.clone(),
                callee: call.callee.clone(),
                function: call.function.clone(),
                micros: call.micros,
            },
            E::LimitHit {
                run,
                node,
                limit,
                message,
            } => AppEvent::LimitHit {
                run: *run,
                node: node.clone(),
                limit: limit.to_string(),
                message: message.clone(),
            },
            E::Served {
                method,
                path,
                status,
                micros,
                ..
            } => AppEvent::Served {
                method: method.clone(),
                path: path.clone(),
                status: *status,
                micros: *micros,
            },
            E::BuildStarted { component, command } => AppEvent::BuildStarted {
                component: component.clone(),
                command: command.clone(),
            },
            E::BuildFinished {
                component,
                command,
                success,
                ended,
                output,
                millis,
            } => AppEvent::BuildFinished {
                component: component.clone(),
                command: command.clone(),
                success: *success,
                ended: ended.clone(),
                output: output.clone(),
                millis: *millis,
            },
            E::Mocked { .. } | E::Reloaded { .. } => return None,
        })
    }
}
