//! The one error type that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// An error as the editor receives it: a stable `code` to branch on, a
/// `message` for people, and optional `detail` (the full cause chain, a
/// list of problems). The UI never matches on `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ApiError {
    /// What kind of error it is.
    pub code: ErrorCode,
    /// What went wrong, naming the file, node, wire or value.
    pub message: String,
    /// More: the cause chain or the problems that blocked the operation.
    pub detail: Option<String>,
}

/// The kinds of [`ApiError`]: TypeScript sees them as a union of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The user closed a dialog without choosing.
    Cancelled,
    /// A path the user did not open through a dialog, a drop or the command
    /// line.
    NotPermitted,
    /// The operation needs an open project.
    NotOpen,
    /// A project file that cannot be read or parsed.
    BadProject,
    /// A folder that holds no `patchbay.toml` (the editor offers to create
    /// a project there; `detail` is the folder).
    NoProject,
    /// A file that is not a project but can become one: a `.wac` recipe
    /// or a component binary (the editor offers to import it; `detail` is
    /// the file).
    Importable,
    /// A component file that cannot be loaded.
    BadComponent,
    /// The request itself is malformed.
    BadRequest,
    /// The graph does not compose.
    ComposeFailed,
    /// The host could not prepare the run.
    RunFailed,
    /// The HTTP server could not start.
    ServeFailed,
    /// Reading or writing a file failed.
    Io,
    /// A bug in Patchbay.
    Internal,
}

impl ErrorCode {
    /// The code as it crosses the boundary: `not-permitted`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::NotPermitted => "not-permitted",
            ErrorCode::NotOpen => "not-open",
            ErrorCode::BadProject => "bad-project",
            ErrorCode::NoProject => "no-project",
            ErrorCode::Importable => "importable",
            ErrorCode::BadComponent => "bad-component",
            ErrorCode::BadRequest => "bad-request",
            ErrorCode::ComposeFailed => "compose-failed",
            ErrorCode::RunFailed => "run-failed",
            ErrorCode::ServeFailed => "serve-failed",
            ErrorCode::Io => "io",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers compare with the code as written:
/// `error.code == "bad-request"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
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
        Self::new(ErrorCode::Cancelled, "cancelled")
    }

    /// `not-permitted`: a path the user did not open through a dialog, a
    /// drop or the command line.
    pub fn not_permitted(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotPermitted, message)
    }

    /// `not-open`: the operation needs an open project.
    pub fn not_open() -> Self {
        Self::new(ErrorCode::NotOpen, "no project is open")
    }

    /// `bad-project`: a project file that cannot be read or parsed.
    pub fn bad_project(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadProject, message)
    }

    /// `no-project`: `dir` is a folder without a `patchbay.toml`; the
    /// detail is the folder, for the editor's offer to create one there.
    pub fn no_project(dir: &std::path::Path) -> Self {
        Self::new(
            ErrorCode::NoProject,
            format!(
                "{} holds no {}: create a project there, or open another folder",
                dir.display(),
                patchbay_project::MANIFEST_NAME
            ),
        )
        .with_detail(dir.display().to_string())
    }

    /// `importable`: `file` is a `.wac` recipe or a component binary, not
    /// a project; the detail is the file, for the editor's import.
    pub fn importable(file: &std::path::Path) -> Self {
        Self::new(
            ErrorCode::Importable,
            format!(
                "{} is not a project but can become one: import it",
                file.display()
            ),
        )
        .with_detail(file.display().to_string())
    }

    /// `bad-component`: a component file that cannot be loaded.
    pub fn bad_component(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadComponent, message)
    }

    /// `bad-request`: the request itself is malformed (an id that is not
    /// kebab-case, a selector with two `*`, an unknown node).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    /// `compose-failed`: the graph does not compose; `detail` lists the
    /// problems.
    pub fn compose_failed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ComposeFailed, message)
    }

    /// `run-failed`: the host could not prepare the run.
    pub fn run_failed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::RunFailed, message)
    }

    /// `serve-failed`: the HTTP server could not start.
    pub fn serve_failed(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ServeFailed, message)
    }

    /// `io`: reading or writing a file failed.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Io, message)
    }

    /// `internal`: a bug in Patchbay (a background task died).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
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
