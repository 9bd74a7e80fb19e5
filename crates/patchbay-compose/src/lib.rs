//! Wire checking and composition for Patchbay projects.
//!
//! A [`Workspace`] is a loaded project plus every component it names, read
//! once and registered as a wac-graph package. On it:
//! - [`Workspace::check_wire`] says whether an export can feed an import,
//!   using the subtype rules wac-graph applies, and names what differs;
//! - [`Workspace::candidates`] lists every port a wire from a port could
//!   reach (the editor lights them up while dragging);
//! - [`Workspace::check`] lists every problem pinned to its node, wire,
//!   binding or export;
//! - [`Workspace::compose`] encodes a validated component with wac-graph,
//!   and writes the equivalent `.wac` source and the WIT of the result.
//!
//! ```no_run
//! let doc = patchbay_project::load("samples/kv-service".as_ref()).unwrap();
//! let ws = patchbay_compose::Workspace::open(doc);
//! for problem in ws.check() {
//!     println!("{problem}");
//! }
//! let composed = ws.compose().unwrap();
//! std::fs::write("kv.wasm", &composed.bytes).unwrap();
//! ```

mod check;
mod compose;
mod wac;
mod wires;

pub use check::{Location, Problem, Severity};
pub use compose::Composed;
pub use wac::wac_source;
pub use wires::{Candidate, Direction, WireError};

use indexmap::IndexMap;
use patchbay_inspect::{ComponentInfo, InspectError, LoadedComponent};
use patchbay_project::ProjectDoc;
use wac_graph::types::{ItemKind, Type, Types};
use wac_graph::{types::Package, CompositionGraph, PackageId};

/// The package namespace components get in the composition graph and in the
/// generated `.wac` (`project:kv-memory`).
pub const PACKAGE_NAMESPACE: &str = "project";

/// A component of the project, read and registered.
#[derive(Debug, Clone)]
pub struct Part {
    /// The component as loaded (converted if it was text or a module).
    pub loaded: LoadedComponent,
    /// Its imports, as wac-graph sees them.
    pub imports: Vec<PortSummary>,
    /// Its exports, as wac-graph sees them.
    pub exports: Vec<PortSummary>,
    path: std::path::PathBuf,
    package: PackageId,
    info: std::sync::OnceLock<Result<ComponentInfo, String>>,
}

impl Part {
    /// The full description of the component's ports and its WIT text,
    /// decoded on first use: checking and composing do not need it, and the
    /// decoder validates the component again.
    /// The error names the file and what could not be decoded.
    pub fn info(&self) -> Result<&ComponentInfo, &str> {
        self.info
            .get_or_init(|| {
                patchbay_inspect::describe_component(&self.loaded.bytes, &self.path)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The import named `name`.
    pub fn import(&self, name: &str) -> Option<&PortSummary> {
        self.imports.iter().find(|p| p.name == name)
    }

    /// The export named `name`.
    pub fn export(&self, name: &str) -> Option<&PortSummary> {
        self.exports.iter().find(|p| p.name == name)
    }
}

/// What checking needs to know of a port, read from the wac-graph package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSummary {
    /// The import or export name.
    pub name: String,
    /// Callable functions: `get`, or for resources `book.balance` and
    /// `book.constructor`.
    pub functions: Vec<String>,
    /// Whether the port carries only plain types (no function, no
    /// resource), so nothing needs to provide it.
    pub types_only: bool,
}

/// A project with its components loaded.
#[derive(Clone)]
pub struct Workspace {
    doc: ProjectDoc,
    parts: IndexMap<String, Result<Part, PartError>>,
    graph: CompositionGraph,
}

/// Why a component of the project is unavailable.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PartError {
    /// The file is missing.
    #[error("file {path} does not exist")]
    Missing {
        /// Component id.
        component: String,
        /// The resolved path.
        path: String,
    },
    /// The file is there but is not a usable component.
    #[error("{message}")]
    Invalid {
        /// Component id.
        component: String,
        /// What is wrong, naming the file.
        message: String,
    },
}

impl Workspace {
    /// Loads every component the project names. Components that fail to
    /// load are recorded; [`Workspace::check`] reports them.
    pub fn open(doc: ProjectDoc) -> Self {
        let mut graph = CompositionGraph::new();
        let mut parts = IndexMap::new();
        for (id, component) in &doc.project.components {
            let path = doc.resolve(&component.path);
            let part = load_part(id, &path, &mut graph);
            parts.insert(id.clone(), part);
        }
        Self { doc, parts, graph }
    }

    /// The project document.
    pub fn doc(&self) -> &ProjectDoc {
        &self.doc
    }

    /// The project.
    pub fn project(&self) -> &patchbay_project::Project {
        &self.doc.project
    }

    /// A component by id: loaded, or why not.
    pub fn part(&self, component: &str) -> Option<&Result<Part, PartError>> {
        self.parts.get(component)
    }

    /// The loaded component behind `node`, if both exist.
    pub fn node_part(&self, node: &str) -> Option<&Part> {
        let node = self.doc.project.nodes.get(node)?;
        self.parts.get(&node.component)?.as_ref().ok()
    }

    fn package_world(&self, part: &Part) -> &wac_graph::types::World {
        let ty = self.graph[part.package].ty();
        &self.graph.types()[ty]
    }
}

fn invalid(id: &str, message: String) -> PartError {
    PartError::Invalid {
        component: id.to_string(),
        message,
    }
}

/// Reads a component and registers it as a package. The package parser
/// validates the component, so the bytes are not validated beforehand, and
/// the WIT decoder (which would validate again) only runs on demand.
fn load_part(
    id: &str,
    path: &std::path::Path,
    graph: &mut CompositionGraph,
) -> Result<Part, PartError> {
    let loaded = match patchbay_inspect::load_file_unvalidated(path) {
        Ok(l) => l,
        Err(InspectError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(PartError::Missing {
                component: id.to_string(),
                path: path.display().to_string(),
            })
        }
        Err(e) => return Err(invalid(id, e.to_string())),
    };
    let name = format!("{PACKAGE_NAMESPACE}:{id}");
    let package = Package::from_bytes(&name, None, loaded.bytes.clone(), graph.types_mut())
        .map_err(|e| {
            invalid(
                id,
                format!("{}: invalid WebAssembly component: {e:#}", path.display()),
            )
        })?;
    let world = &graph.types()[package.ty()];
    let summarize = |items: &IndexMap<String, ItemKind>| {
        items
            .iter()
            .filter_map(|(name, kind)| summarize(graph.types(), name, kind))
            .collect::<Vec<_>>()
    };
    let imports = summarize(&world.imports);
    let exports = summarize(&world.exports);
    let package = graph
        .register_package(package)
        .map_err(|e| invalid(id, e.to_string()))?;
    Ok(Part {
        loaded,
        imports,
        exports,
        path: path.to_path_buf(),
        package,
        info: std::sync::OnceLock::new(),
    })
}

/// Describes one world item; types a world `use`s are not ports.
fn summarize(types: &Types, name: &str, kind: &ItemKind) -> Option<PortSummary> {
    match kind {
        ItemKind::Type(_) => None,
        ItemKind::Func(_) => Some(PortSummary {
            name: name.to_string(),
            functions: vec![name.to_string()],
            types_only: false,
        }),
        ItemKind::Instance(id) => {
            let mut functions = Vec::new();
            let mut resources = false;
            for (item, kind) in &types[*id].exports {
                match kind {
                    ItemKind::Func(_) => functions.push(function_name(item)),
                    ItemKind::Type(Type::Resource(_)) => resources = true,
                    _ => {}
                }
            }
            Some(PortSummary {
                name: name.to_string(),
                types_only: functions.is_empty() && !resources,
                functions,
            })
        }
        ItemKind::Component(_) | ItemKind::Module(_) | ItemKind::Value(_) => Some(PortSummary {
            name: name.to_string(),
            functions: Vec::new(),
            types_only: false,
        }),
    }
}

/// `[method]book.balance` → `book.balance`, `[constructor]book` →
/// `book.constructor`, `get` → `get`.
fn function_name(item: &str) -> String {
    if let Some(resource) = item.strip_prefix("[constructor]") {
        return format!("{resource}.constructor");
    }
    for prefix in ["[method]", "[static]", "[async method]", "[async static]"] {
        if let Some(rest) = item.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    item.strip_prefix("[async]").unwrap_or(item).to_string()
}
