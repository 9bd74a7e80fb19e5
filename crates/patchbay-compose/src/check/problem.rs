//! What `check` reports: a problem, how bad it is, and what it belongs to.

use crate::source::{find, position, FilePosition, Site};
use crate::WireError;
use serde::Serialize;
use std::fmt;
use std::path::Path;
use toml::de::DeTable;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The project cannot be composed.
    Error,
    /// The project composes, but something is probably not what was meant.
    Warning,
}

/// What a problem belongs to, so the editor can pin it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// The project as a whole.
    Project,
    /// A component, and the nodes that instantiate it.
    Component {
        /// Component id.
        component: String,
        /// Nodes using it.
        nodes: Vec<String>,
    },
    /// A node.
    Node {
        /// Node id.
        node: String,
    },
    /// One port of a node.
    Port {
        /// Node id.
        node: String,
        /// Import or export name.
        port: String,
    },
    /// A wire, by its position in the project file (0-based).
    Wire {
        /// Index into the project's wires.
        index: usize,
        /// `node.export`.
        from: String,
        /// `node.import`.
        to: String,
    },
    /// A binding, by its selector.
    Binding {
        /// The selector as written (`service.wasi:*`).
        selector: String,
    },
    /// An export of the composition.
    Export {
        /// Index into the project's exports.
        index: usize,
        /// Its name in the composition.
        name: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Project => f.write_str("project"),
            Location::Component { component, .. } => write!(f, "component `{component}`"),
            Location::Node { node } => write!(f, "node `{node}`"),
            Location::Port { node, port } => write!(f, "port `{node}.{port}`"),
            Location::Wire { index, from, to } => {
                write!(f, "wire #{} `{from} -> {to}`", index + 1)
            }
            Location::Binding { selector } => write!(f, "binding `{selector}`"),
            Location::Export { name, .. } => write!(f, "export `{name}`"),
        }
    }
}

/// One problem found by [`Workspace::check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case code (`wire-type-mismatch`, `cycle` …).
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// What it belongs to.
    pub location: Location,
    /// The entry of the project file it is about, when there is one.
    #[serde(skip)]
    pub site: Option<Site>,
    /// Where that entry is in the project file, once [`crate::locate`]
    /// found it in the file's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<FilePosition>,
}

impl Problem {
    /// Whether the problem blocks composition.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub(crate) fn error(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location,
            site: None,
            position: None,
        }
    }

    pub(crate) fn warning(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, location, message)
        }
    }

    /// The same problem, pinned to an entry of the project file.
    pub(crate) fn at(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}] {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// Sets the position of every problem that has a site found in `text`, the
/// project file the workspace was loaded from. Sites the text does not have
/// (a version-0 file writes other keys) leave the position unset.
pub fn locate(problems: &mut [Problem], text: &str) {
    let Ok(root) = DeTable::parse(text) else {
        return;
    };
    for p in problems {
        if let Some(site) = &p.site {
            p.position = find(root.get_ref(), site).map(|offset| position(text, offset));
        }
    }
}

/// One problem as a compiler prints it: `patchbay.toml:7:11: error[code]
/// binding `…`: message`, or without `:line:col` when the problem has no
/// position.
pub fn problem_line(file: &Path, p: &Problem) -> String {
    match p.position {
        Some(at) => format!("{}:{at}: {p}", file.display()),
        None => format!("{}: {p}", file.display()),
    }
}

/// The code of a problem about a wire.
pub(super) fn wire_code(e: &WireError) -> &'static str {
    match e {
        WireError::UnknownNode { .. } => "unknown-node",
        WireError::NodeUnavailable { .. } => "node-unavailable",
        WireError::NoSuchExport { .. } | WireError::NoSuchImport { .. } => "no-such-port",
        WireError::SelfWire { .. } => "self-wire",
        WireError::IncompatibleVersion { .. } => "incompatible-version",
        WireError::TypeMismatch { .. } => "wire-type-mismatch",
    }
}
