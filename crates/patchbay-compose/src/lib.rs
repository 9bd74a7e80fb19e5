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
use wac_graph::{types::Package, CompositionGraph, PackageId};

/// The package namespace components get in the composition graph and in the
/// generated `.wac` (`project:kv-memory`).
pub const PACKAGE_NAMESPACE: &str = "project";

/// A component of the project, read and registered.
#[derive(Debug, Clone)]
pub struct Part {
    /// The component as loaded (converted if it was text or a module).
    pub loaded: LoadedComponent,
    /// Its typed ports.
    pub info: ComponentInfo,
    package: PackageId,
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

fn load_part(
    id: &str,
    path: &std::path::Path,
    graph: &mut CompositionGraph,
) -> Result<Part, PartError> {
    let invalid = |message: String| PartError::Invalid {
        component: id.to_string(),
        message,
    };
    let loaded = match patchbay_inspect::load_file(path) {
        Ok(l) => l,
        Err(InspectError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(PartError::Missing {
                component: id.to_string(),
                path: path.display().to_string(),
            })
        }
        Err(e) => return Err(invalid(e.to_string())),
    };
    let info = patchbay_inspect::describe_component(&loaded.bytes, path)
        .map_err(|e| invalid(e.to_string()))?;
    let name = format!("{PACKAGE_NAMESPACE}:{id}");
    let package = Package::from_bytes(&name, None, loaded.bytes.clone(), graph.types_mut())
        .map_err(|e| invalid(format!("{}: {e:#}", path.display())))?;
    let package = graph
        .register_package(package)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(Part {
        loaded,
        info,
        package,
    })
}
