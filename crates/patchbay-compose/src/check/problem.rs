//! What `check` reports: a problem, how bad it is, and what it belongs to.

use crate::source::{find, position, FilePosition, Site};
use crate::WireError;
use std::fmt;
use std::path::Path;
use toml::de::DeTable;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The project cannot be composed.
    Error,
    /// The project composes, but something is probably not what was meant.
    Warning,
    /// Nothing is wrong; something the user should know (an empty project).
    Note,
}

/// What a problem belongs to, so the editor can pin it there.
#[derive(Debug, Clone, PartialEq)]
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
    /// Something inside a composite definition (its node, wire, export…;
    /// nested composites nest).
    Composite {
        /// The composite's name.
        composite: String,
        /// The nodes of the enclosing graph that instantiate it.
        nodes: Vec<String>,
        /// Where inside the composite's own graph.
        inner: Box<Location>,
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
            Location::Composite {
                composite, inner, ..
            } => write!(f, "composite `{composite}`, {inner}"),
        }
    }
}

/// What kind of problem it is: a stable code people and tools branch on.
/// Written kebab-case (`wire-type-mismatch`) in text and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemCode {
    /// wac-graph refused the composition (a check should have found it first).
    ComposeFailed,
    /// A wire or export names a port the component does not have.
    NoSuchPort,
    /// An export of the composition has a name that is not a valid export name.
    InvalidExportName,
    /// Two exports of the composition have the same name.
    DuplicateExport,
    /// The same interface, with types, is exported twice.
    InterfaceExportedTwice,
    /// The composition would import and export the same interface.
    ImportExportConflict,
    /// The composition exports nothing.
    NoExports,
    /// A grant of an import the host does not provide.
    GrantNotCapability,
    /// A fake that cannot serve the import it mocks.
    FakeMismatch,
    /// An import left open: an import of the result that Patchbay does not provide.
    LeftOpen,
    /// A mock names a function the import does not have.
    MockUnknownFunction,
    /// A mock value that does not fit its function's types.
    MockValue,
    /// A component file that does not exist.
    ComponentMissing,
    /// A component file that cannot be loaded.
    ComponentInvalid,
    /// A component file whose content no longer matches its pinned hash.
    ComponentChanged,
    /// A node of a component the project does not declare.
    UnknownComponent,
    /// Two wires feed the same import.
    ImportWiredTwice,
    /// An import with neither wire nor binding.
    UnboundImport,
    /// A wire, binding or export names a node that does not exist.
    UnknownNode,
    /// A binding whose selector matches no import.
    UnusedBinding,
    /// Imports left open under one name with different types.
    ImportTypeConflict,
    /// A wire to or from a node whose component did not load.
    NodeUnavailable,
    /// A wire from a node to itself.
    SelfWire,
    /// Wires that form a cycle.
    Cycle,
    /// A wire between interface versions that are not compatible.
    IncompatibleVersion,
    /// A wire between functions whose types differ.
    WireTypeMismatch,
    /// The project has no nodes yet (a note, not a problem).
    NothingToCompose,
}

impl ProblemCode {
    /// Every code.
    pub const ALL: [ProblemCode; 27] = [
        ProblemCode::ComposeFailed,
        ProblemCode::NoSuchPort,
        ProblemCode::InvalidExportName,
        ProblemCode::DuplicateExport,
        ProblemCode::InterfaceExportedTwice,
        ProblemCode::ImportExportConflict,
        ProblemCode::NoExports,
        ProblemCode::GrantNotCapability,
        ProblemCode::FakeMismatch,
        ProblemCode::LeftOpen,
        ProblemCode::MockUnknownFunction,
        ProblemCode::MockValue,
        ProblemCode::ComponentMissing,
        ProblemCode::ComponentInvalid,
        ProblemCode::ComponentChanged,
        ProblemCode::UnknownComponent,
        ProblemCode::ImportWiredTwice,
        ProblemCode::UnboundImport,
        ProblemCode::UnknownNode,
        ProblemCode::UnusedBinding,
        ProblemCode::ImportTypeConflict,
        ProblemCode::NodeUnavailable,
        ProblemCode::SelfWire,
        ProblemCode::Cycle,
        ProblemCode::IncompatibleVersion,
        ProblemCode::WireTypeMismatch,
        ProblemCode::NothingToCompose,
    ];

    /// The code as written: `wire-type-mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::ComposeFailed => "compose-failed",
            ProblemCode::NoSuchPort => "no-such-port",
            ProblemCode::InvalidExportName => "invalid-export-name",
            ProblemCode::DuplicateExport => "duplicate-export",
            ProblemCode::InterfaceExportedTwice => "interface-exported-twice",
            ProblemCode::ImportExportConflict => "import-export-conflict",
            ProblemCode::NoExports => "no-exports",
            ProblemCode::GrantNotCapability => "grant-not-capability",
            ProblemCode::FakeMismatch => "fake-mismatch",
            ProblemCode::LeftOpen => "left-open",
            ProblemCode::MockUnknownFunction => "mock-unknown-function",
            ProblemCode::MockValue => "mock-value",
            ProblemCode::ComponentMissing => "component-missing",
            ProblemCode::ComponentInvalid => "component-invalid",
            ProblemCode::ComponentChanged => "component-changed",
            ProblemCode::UnknownComponent => "unknown-component",
            ProblemCode::ImportWiredTwice => "import-wired-twice",
            ProblemCode::UnboundImport => "unbound-import",
            ProblemCode::UnknownNode => "unknown-node",
            ProblemCode::UnusedBinding => "unused-binding",
            ProblemCode::ImportTypeConflict => "import-type-conflict",
            ProblemCode::NodeUnavailable => "node-unavailable",
            ProblemCode::SelfWire => "self-wire",
            ProblemCode::Cycle => "cycle",
            ProblemCode::IncompatibleVersion => "incompatible-version",
            ProblemCode::WireTypeMismatch => "wire-type-mismatch",
            ProblemCode::NothingToCompose => "nothing-to-compose",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets callers compare with the code as written: `p.code == "left-open"`.
impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One problem found by [`Workspace::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case code (`wire-type-mismatch`, `cycle` …).
    pub code: ProblemCode,
    /// What is wrong, for people.
    pub message: String,
    /// What it belongs to.
    pub location: Location,
    /// The entry of the project file it is about, when there is one.
    pub site: Option<Site>,
    /// Where that entry is in the project file, once [`crate::locate`]
    /// found it in the file's text.
    pub position: Option<FilePosition>,
}

impl Problem {
    /// Whether the problem blocks composition.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub(crate) fn error(code: ProblemCode, location: Location, message: impl Into<String>) -> Self {
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
        code: ProblemCode,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, location, message)
        }
    }

    pub(crate) fn note(code: ProblemCode, location: Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
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
            Severity::Note => "note",
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
pub(super) fn wire_code(e: &WireError) -> ProblemCode {
    match e {
        WireError::UnknownNode { .. } => ProblemCode::UnknownNode,
        WireError::NodeUnavailable { .. } => ProblemCode::NodeUnavailable,
        WireError::NoSuchExport { .. } | WireError::NoSuchImport { .. } => ProblemCode::NoSuchPort,
        WireError::SelfWire { .. } => ProblemCode::SelfWire,
        WireError::IncompatibleVersion { .. } => ProblemCode::IncompatibleVersion,
        WireError::TypeMismatch { .. } => ProblemCode::WireTypeMismatch,
    }
}
