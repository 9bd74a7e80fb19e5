//! Analysis: the problems checking finds, pinned to what they belong to, the
//! effective state of every import, the callable functions and the composed
//! result.

use super::*;
use patchbay_project as model;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Blocks composition.
    Error,
    /// Composes, but probably not what was meant.
    Warning,
    /// Nothing wrong; worth knowing (an empty project).
    Note,
}

/// A problem found by checking, pinned to what it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is.
    #[ts(type = "ProblemCode")]
    pub code: ProblemCode,
    /// What is wrong.
    pub message: String,
    /// What it belongs to.
    pub location: Location,
    /// Where it is in the project file, when it was read from one and the
    /// entry was found there.
    pub position: Option<FilePosition>,
}

/// A place in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FilePosition {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// `patchbay check --json`: a project file's problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckReport {
    /// The project file.
    pub project: String,
    /// How many problems are errors.
    pub errors: u32,
    /// How many are warnings (notes are neither).
    pub warnings: u32,
    /// Every problem, pinned to its place.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// The report of the problems of the project file at `project`.
    pub fn new(project: &std::path::Path, problems: &[patchbay_compose::Problem]) -> Self {
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            project: project.display().to_string(),
            errors: count(errors),
            warnings: count(
                problems
                    .iter()
                    .filter(|p| p.severity == patchbay_compose::Severity::Warning)
                    .count(),
            ),
            problems: problems.iter().map(Problem::from).collect(),
        }
    }
}

/// What a problem belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// The project.
    Project,
    /// A component and the nodes using it.
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
    /// A port.
    Port {
        /// Node id.
        node: String,
        /// Port name.
        port: String,
    },
    /// A wire.
    Wire {
        /// Index into `doc.wires`.
        index: u32,
        /// `node.export`.
        from: String,
        /// `node.import`.
        to: String,
    },
    /// A binding.
    Binding {
        /// Its selector.
        selector: String,
    },
    /// An export.
    Export {
        /// Index into `doc.exports`.
        index: u32,
        /// Its name.
        name: String,
    },
    /// Something inside a composite definition.
    Composite {
        /// The composite's name.
        composite: String,
        /// The nodes of the enclosing graph that instantiate it.
        nodes: Vec<String>,
        /// Where inside the composite's own graph (its node, wire, export…).
        inner: Box<Location>,
    },
}

impl Problem {
    /// A problem of the document's own rules (an id that is not kebab-case,
    /// or one [`model::Project::validate`] finds), code `invalid-document`,
    /// at the entry of `doc` it names.
    pub(crate) fn invalid(p: &model::Invalid, doc: &ProjectDoc) -> Self {
        let location = place_location(&p.place, doc, (&doc.nodes, &doc.wires, &doc.exports));
        Self {
            severity: Severity::Error,
            code: ProblemCode::InvalidDocument,
            message: p.message.clone(),
            location,
            position: None,
        }
    }
}

impl From<&patchbay_compose::Problem> for Problem {
    fn from(p: &patchbay_compose::Problem) -> Self {
        Self {
            severity: match p.severity {
                patchbay_compose::Severity::Error => Severity::Error,
                patchbay_compose::Severity::Warning => Severity::Warning,
                patchbay_compose::Severity::Note => Severity::Note,
            },
            code: p.code.into(),
            message: p.message.clone(),
            location: Location::from_check(&p.location),
            position: p.position.map(|at| FilePosition {
                line: u32::try_from(at.line).unwrap_or(u32::MAX),
                column: u32::try_from(at.column).unwrap_or(u32::MAX),
            }),
        }
    }
}

/// How an import of a node is satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// A wire feeds it.
    Wired,
    /// Left open: an import of the composition.
    Leave,
    /// Granted by the host.
    Grant,
    /// Mocked.
    Mock,
    /// Denied.
    Deny,
}

/// The effective state of one import, so the UI never re-implements
/// selector matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportState {
    /// Node id.
    pub node: String,
    /// Import name.
    pub port: String,
    /// How it is satisfied.
    pub mode: ImportMode,
    /// The selector of the binding that applies, if any.
    pub selector: Option<String>,
    /// The fake serving it, for mocks with a fake.
    pub fake: Option<FakeName>,
    /// Only carries types: needs neither wire nor binding.
    #[serde(rename = "typesOnly")]
    pub types_only: bool,
    /// The parts of a grant that scope this import when it is granted
    /// (`env` for `wasi:cli/environment` …); empty when none does.
    pub scopes: Vec<GrantScope>,
}

/// The imports of the nodes inside one composite, entered through one
/// chain of composite nodes: an inner import no inner wire feeds is a port
/// of the composite, so it is satisfied as the composite node's port it
/// became is (wired outside, or its binding there); the UI draws the inner
/// nodes' badges from this and never works it out itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InsideImports {
    /// The composite nodes entered, outermost first: a node of the top
    /// level, then a node of its composite's graph, and so on.
    pub path: Vec<String>,
    /// The composite the last of them instantiates.
    pub composite: String,
    /// Every import of every node of its graph, with how it is satisfied
    /// (`selector` is the top level's binding that applies, if any).
    pub imports: Vec<ImportState>,
}

/// A function the run panel can call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunTarget {
    /// The composition's export name.
    pub export: String,
    /// The function.
    pub function: FunctionInfo,
    /// Call text before the arguments: `handle-request` or
    /// `patchbay:sandbox/probe#run-all`.
    pub call_prefix: String,
    /// Whether the function can be called from a form (no resource handles).
    pub callable: bool,
}

/// The composed result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComposedSummary {
    /// Size in bytes.
    pub size: u64,
    /// Content hash.
    pub hash: String,
    /// Remaining imports: the attack surface.
    pub imports: Vec<String>,
    /// WIT of the result.
    pub wit: String,
    /// The `.wac` recipe.
    pub wac: String,
    /// Ports of the result.
    pub info: Option<ComponentInfo>,
    /// Functions the run panel offers.
    pub run_targets: Vec<RunTarget>,
    /// Whether the composition exports `wasi:http/incoming-handler`.
    pub serves_http: bool,
}

/// The result of checking and composing a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Analysis {
    /// Every problem.
    pub problems: Vec<Problem>,
    /// Every import of every node, with how it is satisfied.
    pub imports: Vec<ImportState>,
    /// The composed result, when the graph composes.
    pub composed: Option<ComposedSummary>,
    /// How long checking and composing took, in milliseconds.
    pub millis: f64,
    /// The document's composites, each as the component it composes into
    /// (the ports of a node instantiating it) or why it does not compose.
    /// Absent when the document defines none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<ComponentView>,
    /// The imports of the nodes inside composites, one entry per chain of
    /// composite nodes that leads into one. Absent when no node
    /// instantiates a composite.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inside: Vec<InsideImports>,
}

impl Location {
    /// The location of a problem `check` found.
    fn from_check(l: &patchbay_compose::Location) -> Self {
        use patchbay_compose::Location as L;
        match l {
            L::Project => Location::Project,
            L::Component { component, nodes } => Location::Component {
                component: component.clone(),
                nodes: nodes.clone(),
            },
            L::Node { node } => Location::Node { node: node.clone() },
            L::Port { node, port } => Location::Port {
                node: node.clone(),
                port: port.clone(),
            },
            L::Wire { index, from, to } => Location::Wire {
                index: u32::try_from(*index).unwrap_or(u32::MAX),
                from: from.clone(),
                to: to.clone(),
            },
            L::Binding { selector } => Location::Binding {
                selector: selector.clone(),
            },
            L::Export { index, name } => Location::Export {
                index: u32::try_from(*index).unwrap_or(u32::MAX),
                name: name.clone(),
            },
            L::Composite {
                composite,
                nodes,
                inner,
            } => Location::Composite {
                composite: composite.clone(),
                nodes: nodes.clone(),
                inner: Box::new(Location::from_check(inner)),
            },
        }
    }
}

/// Where a document problem at `place` is, its wires and exports looked up
/// in `graph` (the top level's, or a composite's for places inside one).
fn place_location(
    place: &model::Place,
    doc: &ProjectDoc,
    (nodes, wires, exports): (&[NodeEntry], &[WireEntry], &[ExportEntry]),
) -> Location {
    let users = |id: &str| {
        nodes
            .iter()
            .filter(|n| n.component == *id)
            .map(|n| n.id.clone())
            .collect()
    };
    match place {
        model::Place::Name | model::Place::FakeNode { .. } | model::Place::Preset { .. } => {
            Location::Project
        }
        model::Place::Component { id, .. } => Location::Component {
            component: id.clone(),
            nodes: users(id),
        },
        model::Place::Node { id, .. } => Location::Node { node: id.clone() },
        model::Place::Wire { index, .. } => {
            let wire = wires.get(*index);
            let text = |a: &PortAddr| format!("{}.{}", a.node, a.port);
            Location::Wire {
                index: u32::try_from(*index).unwrap_or(u32::MAX),
                from: wire.map(|w| text(&w.from)).unwrap_or_default(),
                to: wire.map(|w| text(&w.to)).unwrap_or_default(),
            }
        }
        model::Place::Export { index, port } => Location::Export {
            index: u32::try_from(*index).unwrap_or(u32::MAX),
            name: exports
                .get(*index)
                .and_then(|e| e.name.clone().filter(|n| !n.is_empty()))
                .or_else(|| exports.get(*index).map(|e| e.from.port.clone()))
                .unwrap_or_else(|| port.clone()),
        },
        model::Place::Binding { selector, .. } => Location::Binding {
            selector: selector.clone(),
        },
        model::Place::Composite { name, inner } => {
            let composite = doc.composites.iter().find(|c| c.name == *name);
            let inner = match (inner, composite) {
                (Some(inner), Some(c)) => {
                    place_location(inner, doc, (&c.nodes, &c.wires, &c.exports))
                }
                _ => Location::Project,
            };
            Location::Composite {
                composite: name.clone(),
                nodes: doc
                    .nodes
                    .iter()
                    .filter(|n| n.component == *name)
                    .map(|n| n.id.clone())
                    .collect(),
                inner: Box::new(inner),
            }
        }
    }
}
