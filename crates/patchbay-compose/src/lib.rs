//! Wire checking and composition for Patchbay projects.
//!
//! A [`Workspace`] is a loaded project plus every component it names, read
//! once and registered as a wac-graph package. On it:
//! - [`Workspace::check_wire`] says whether an export can feed an import,
//!   using the subtype rules wac-graph applies, and names what differs;
//! - [`Workspace::candidates`] lists every port a wire from a port could
//!   reach (the editor lights them up while dragging);
//! - [`Workspace::check`] lists every problem pinned to its node, wire,
//!   binding or export (and, with [`locate`], to `file:line:col`): every
//!   refusal that composing or preparing a run could give;
//! - [`Workspace::compose`] encodes a validated component with wac-graph,
//!   and writes the equivalent `.wac` source and the WIT of the result.
//!
//! The rules both checking and the host apply live here once:
//! [`host_provides`], [`fake_serves`] and [`check_binding`] (what a binding
//! can do for an import), [`mock_answers`] (mock values parsed against the
//! function types, generic over the value type so the host parses with
//! Wasmtime's `Val` through the same code), and [`Workspace::open_imports`]
//! (how unwired imports of several nodes merge into the composition's).
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

mod binding;
mod check;
mod compose;
mod composite;
mod export_dir;
mod import;
mod import_binary;
mod import_wac;
mod imports;
mod mock;
mod seal;
mod source;
mod ungroup;
mod wac;
mod wave;
mod wires;

pub use binding::{
    check_binding, fake_serves, grant_scopes, host_provides, host_wasi, left_open_note, signature,
    standard_fake, BindingError, HOST_INTERFACES, HOST_P3_INTERFACES, HOST_WASI_VERSION,
    STANDARD_INTERFACES,
};
pub use check::{locate, problem_line, Location, Problem, ProblemCode, Severity};
pub use compose::Composed;
pub use export_dir::{
    describe_artifact, stub_file, write_export, ArtifactDescription, ExportError, ExportFiles,
};
pub use import::{import_file, write_import, Extracted, ImportError, Imported, ImportedFrom};
pub use import_binary::{import_binary, import_binary_bytes, BinaryImportError, ImportedBinary};
pub use import_wac::{first_missing_package, import_wac, ImportedWac, WacImportError};
pub use imports::{ImportConflict, OpenImport, OpenImports};
pub use mock::{behavior_for, mock_answers, MockAnswer, MockError, MockValueSite};
pub use seal::{
    denial_name, mock_trap_name, DenyStub, NotSealed, SealError, Sealed, Stub, StubKind,
    DENIAL_PREFIX, MOCK_PREFIX, STUB_FOLDER, STUB_MODULE_NAME,
};
pub use source::{FilePosition, Site, SiteKey};
pub use ungroup::fresh_id;
pub use wac::{recipe_binary_path, wac_source, RecipeComponent, RecipeSources};
/// The WAVE crate the rules parse with: the version Wasmtime's `Val`
/// implements, so the host can run [`mock_answers`] with it.
pub use wasm_wave;
pub use wave::{type_text, WaveType};
pub use wires::{Candidate, Direction, WireError};

use indexmap::IndexMap;
use patchbay_inspect::{ComponentInfo, InspectError, LoadedComponent};
use patchbay_project::{ComponentId, LoadedProject};
use std::sync::Arc;
use wac_graph::types::{FuncTypeId, ItemKind, Type, Types};
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
    /// `book.constructor`, with their types.
    pub functions: Vec<PortFunction>,
    /// Whether the port carries only plain types (no function, no
    /// resource), so nothing needs to provide it.
    pub types_only: bool,
}

impl PortSummary {
    /// The names of its functions, as people write them.
    pub fn function_names(&self) -> Vec<&str> {
        self.functions.iter().map(|f| f.name.as_str()).collect()
    }
}

/// A callable function of a port with its types: read from the WIT for
/// checking (`T` = [`WaveType`]), or from Wasmtime by the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortFunction<T = WaveType> {
    /// The name people write: `get`, `book.balance`, `book.constructor`.
    pub name: String,
    /// The item's name in its interface (`[method]book.balance`), or the
    /// import name of a world-level function.
    pub item: String,
    /// Parameter names and types.
    pub params: Vec<(String, T)>,
    /// The result type, if the function returns a value.
    pub result: Option<T>,
}

impl<T> PortFunction<T> {
    /// Whether this is a resource's constructor.
    pub fn is_constructor(&self) -> bool {
        self.item.starts_with("[constructor]")
    }

    /// The name without its resource: `balance` for `book.balance`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// A project with its components loaded.
#[derive(Clone)]
pub struct Workspace {
    doc: LoadedProject,
    parts: Arc<IndexMap<ComponentId, Result<Part, PartError>>>,
    /// Composites composed into components of their own, by name, in
    /// definition order (see `composite.rs`).
    composites: Arc<IndexMap<ComponentId, Result<Part, PartError>>>,
    /// The problems inside each composite definition, as its own graph.
    composite_problems: Arc<IndexMap<ComponentId, Vec<Problem>>>,
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
    pub fn open(doc: LoadedProject) -> Self {
        Self::open_with(doc, |_, _| None)
    }

    /// [`Workspace::open`], except that a component whose resolved path
    /// `refuse` gives a reason for is not read: it is recorded as invalid
    /// for that reason, and [`Workspace::check`] reports it at the
    /// component like any other that failed to load (the app refuses files
    /// the user never opened this way).
    pub fn open_with(
        doc: LoadedProject,
        refuse: impl Fn(&ComponentId, &std::path::Path) -> Option<String>,
    ) -> Self {
        let mut graph = CompositionGraph::new();
        let mut parts = IndexMap::new();
        for (id, component) in &doc.project.components {
            let path = doc.resolve(&component.path);
            let part = match refuse(id, &path) {
                Some(reason) => Err(invalid(id, reason)),
                None => load_part(id, &path, &mut graph),
            };
            parts.insert(id.clone(), part);
        }
        let parts = Arc::new(parts);
        let (composites, composite_problems) =
            composite::compose_composites(&doc, &parts, &mut graph);
        Self {
            doc,
            parts,
            composites: Arc::new(composites),
            composite_problems: Arc::new(composite_problems),
            graph,
        }
    }

    /// The project document.
    pub fn doc(&self) -> &LoadedProject {
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

    /// A composite by name, composed into a component of its own (its
    /// unwired imports are its imports, its `exports` its exports), or why
    /// it does not compose.
    pub fn composite_part(&self, name: &str) -> Option<&Result<Part, PartError>> {
        self.composites.get(name)
    }

    /// What a node instantiates, by name: a component, else a composite.
    pub(crate) fn instantiated(&self, name: &str) -> Option<&Result<Part, PartError>> {
        self.parts.get(name).or_else(|| self.composites.get(name))
    }

    /// The loaded component behind `node` (a component, or a composite
    /// composed into one), if both exist.
    pub fn node_part(&self, node: &str) -> Option<&Part> {
        let node = self.doc.project.nodes.get(node)?;
        self.instantiated(&node.component)?.as_ref().ok()
    }

    pub(crate) fn package_world(&self, part: &Part) -> &wac_graph::types::World {
        let ty = self.graph[part.package].ty();
        &self.graph.types()[ty]
    }
}

pub(crate) fn invalid(id: &str, message: String) -> PartError {
    PartError::Invalid {
        component: id.to_string(),
        message,
    }
}

/// Reads component bytes as a wac package into `types`, the way every
/// component of a project is read.
///
/// wac-types' package reader asserts things the validator does not
/// guarantee (`assert!(prev.is_none())` when a mutated component registers
/// a resource owner twice, found by `patchbay-fuzz`), so it runs under
/// `catch_unwind` and such a component is an error instead of a crash of the
/// CLI or the app. A reader that panics has only appended to the `types`
/// arena: the entries it added are referenced by nothing, and no package is
/// registered, so the graph stays usable.
pub fn read_package(name: &str, bytes: Vec<u8>, types: &mut Types) -> Result<Package, String> {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Package::from_bytes(name, None, bytes, types)
    }));
    match read {
        Ok(Ok(package)) => Ok(package),
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(payload) => {
            let reason = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(format!("the component reader failed on it ({reason})"))
        }
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
    register_part(id, loaded, path, graph)
}

/// Registers a component's bytes as the package `project:ID` of `graph`.
pub(crate) fn register_part(
    id: &str,
    loaded: LoadedComponent,
    path: &std::path::Path,
    graph: &mut CompositionGraph,
) -> Result<Part, PartError> {
    let name = format!("{PACKAGE_NAMESPACE}:{id}");
    let package = read_package(&name, loaded.bytes.clone(), graph.types_mut()).map_err(|e| {
        invalid(
            id,
            format!("{}: invalid WebAssembly component: {e}", path.display()),
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

/// A function of a port, with its types.
fn port_function(types: &Types, name: String, item: &str, id: FuncTypeId) -> PortFunction {
    let ty = &types[id];
    PortFunction {
        name,
        item: item.to_string(),
        params: ty
            .params
            .iter()
            .map(|(n, t)| (n.clone(), WaveType::from_wac(types, t)))
            .collect(),
        result: ty.result.as_ref().map(|t| WaveType::from_wac(types, t)),
    }
}

/// Describes one world item; types a world `use`s are not ports.
fn summarize(types: &Types, name: &str, kind: &ItemKind) -> Option<PortSummary> {
    match kind {
        ItemKind::Type(_) => None,
        ItemKind::Func(id) => Some(PortSummary {
            name: name.to_string(),
            functions: vec![port_function(types, name.to_string(), name, *id)],
            types_only: false,
        }),
        ItemKind::Instance(id) => {
            let mut functions = Vec::new();
            let mut resources = false;
            for (item, kind) in &types[*id].exports {
                match kind {
                    ItemKind::Func(f) => {
                        functions.push(port_function(types, display_name(item), item, *f))
                    }
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

/// The name people write for a function of an interface:
/// `[method]book.balance` → `book.balance`, `[constructor]book` →
/// `book.constructor`, `get` → `get`.
pub fn display_name(item: &str) -> String {
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
