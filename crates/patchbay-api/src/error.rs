//! The one error type that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// An error as the editor receives it: a stable `code` to branch on, a
/// `message` for people, and optional `detail` (the full cause chain, a
/// list of problems). The UI never matches on `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ApiError {
    /// Stable kebab-case code, one of [`ApiError`]'s constructors' codes.
    pub code: String,
    /// What went wrong, naming the file, node, wire or value.
    pub message: String,
    /// More: the cause chain or the problems that blocked the operation.
    pub detail: Option<String>,
}

impl ApiError {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            detail: None,
        }
    }

    /// Adds detail text.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        self.detail = (!detail.is_empty()).then_some(detail);
        self
    }

    /// `cancelled`: the user closed a dialog without choosing.
    pub fn cancelled() -> Self {
        Self::new("cancelled", "cancelled")
    }

    /// `not-permitted`: a path the user did not open through a dialog, a
    /// drop or the command line.
    pub fn not_permitted(message: impl Into<String>) -> Self {
        Self::new("not-permitted", message)
    }

    /// `not-open`: the operation needs an open project.
    pub fn not_open() -> Self {
        Self::new("not-open", "no project is open")
    }

    /// `bad-project`: a project file that cannot be read or parsed.
    pub fn bad_project(message: impl Into<String>) -> Self {
        Self::new("bad-project", message)
    }

    /// `bad-component`: a component file that cannot be loaded.
    pub fn bad_component(message: impl Into<String>) -> Self {
        Self::new("bad-component", message)
    }

    /// `bad-request`: the request itself is malformed (an id that is not
    /// kebab-case, a selector with two `*`, an unknown node).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new("bad-request", message)
    }

    /// `compose-failed`: the graph does not compose; `detail` lists the
    /// problems.
    pub fn compose_failed(message: impl Into<String>) -> Self {
        Self::new("compose-failed", message)
    }

    /// `run-failed`: the host could not prepare the run.
    pub fn run_failed(message: impl Into<String>) -> Self {
        Self::new("run-failed", message)
    }

    /// `serve-failed`: the HTTP server could not start.
    pub fn serve_failed(message: impl Into<String>) -> Self {
        Self::new("serve-failed", message)
    }

    /// `io`: reading or writing a file failed.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new("io", message)
    }

    /// `internal`: a bug in Patchbay (a background task died).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("internal", message)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, "\n{detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Renders an error and its sources as one line each.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str("\ncaused by: ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
