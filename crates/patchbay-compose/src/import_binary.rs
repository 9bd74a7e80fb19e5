//! A composed binary opened as a project (`patchbay import composed.wasm`).
//!
//! The binary's top level is read with wasmparser, index space by index
//! space, as the component model defines them: every component it embeds
//! and instantiates becomes a component of the project (its bytes
//! extracted, one file per distinct component), every instantiation a
//! node (named after the instance's name in the name section, which
//! wac-graph and `wasm-tools compose` write), every argument that is an
//! export of another instance a wire, every argument fed by one of the
//! composition's imports a `leave` binding (`*.*`), and every export of an
//! instance's export an export of the project. Type arguments and type
//! exports follow from the interfaces and are not kept: compose makes
//! them again.
//!
//! An embedded component that is itself a composition (it instantiates
//! components it embeds and runs no code of its own) becomes a composite,
//! read by the same rules one level down, to any depth: its
//! instantiations the composite's nodes, its arguments the inner wires,
//! its exports the composite's exports. Its imports must each feed inner
//! arguments under their own names, since a composite's ports are its
//! nodes' unwired imports by name; the enclosing level wires and binds
//! them on the node that instantiates the composite. A nested composition
//! a composite cannot express (a renamed or unused import, a whole
//! instance exported, an imported component …) opens as one node, its
//! file extracted, and the import's notes name it and say why.
//!
//! A binary that embeds no components (a single component, a core module)
//! or runs code of its own beside the ones it embeds opens as one node.
//! What a project cannot express at the top level is refused naming the
//! item (its index and name) and why.

use crate::import::{kebab, lay_out, lay_out_nodes, unique, Extracted};
use indexmap::IndexMap;
use patchbay_project::{
    Binding, ComponentId, ComponentRef, Composite, ExportDecl, ImportSelector, Node, NodeId,
    PortRef, Position, Project, Wire,
};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use wasmparser::{
    CanonicalFunction, ComponentAlias, ComponentExternalKind, ComponentInstance, ComponentName,
    ComponentTypeRef, KnownCustom, Parser, Payload,
};

/// Why a binary could not become a project. The message names the file
/// and the item (its index space, index and name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BinaryImportError(pub String);

/// A project made from a component binary.
#[derive(Debug, Clone)]
pub struct ImportedBinary {
    /// The project; its component paths are relative to its folder
    /// (`components/ID.wasm`).
    pub project: Project,
    /// The component files to write, relative to the project folder.
    pub files: Vec<Extracted>,
    /// What the import did not keep as it was, in the user's words (a
    /// binary opened as one node, a nested composition that is no
    /// composite, type exports).
    pub notes: Vec<String>,
}

/// Where a component of the composition comes from.
#[derive(Debug, Clone)]
enum Comp {
    /// Embedded: its bytes in the binary.
    Nested(Range<usize>),
    /// Imported by name.
    Imported(String),
    /// Any other way (an alias).
    Other,
}

/// An item of the instance or function index space.
#[derive(Debug, Clone)]
enum Item {
    /// The composition's import of this name.
    Import(String),
    /// The instance made by instantiation number `.0`.
    Instance(usize),
    /// Export `.1` of the instance at index `.0`.
    Alias(u32, String),
    /// An instance made of other items, or a lifted function.
    Other(&'static str),
}

/// An instantiation found at the top level.
struct Instantiation<'a> {
    instance_index: u32,
    component: u32,
    args: Vec<(&'a str, ComponentExternalKind, u32)>,
}

/// What the top level of a binary holds.
#[derive(Default)]
struct TopLevel<'a> {
    components: Vec<Comp>,
    instances: Vec<Item>,
    funcs: Vec<Item>,
    instantiations: Vec<Instantiation<'a>>,
    exports: Vec<(&'a str, ComponentExternalKind, u32)>,
    /// The names of its instance and function imports.
    imports: Vec<String>,
    instance_names: HashMap<u32, String>,
    component_names: HashMap<u32, String>,
    /// What makes it run code of its own (core modules, lifted functions).
    own_code: Option<&'static str>,
    is_module: bool,
}

/// Reads `path` (a component or core module binary) and makes the
/// project it describes.
pub fn import_binary(path: &Path) -> Result<ImportedBinary, BinaryImportError> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| BinaryImportError(format!("cannot read {file}: {e}")))?;
    import_binary_bytes(&bytes, path)
}

/// [`import_binary`] of bytes already read (`path` names them in messages
/// and, by its stem, the project).
pub fn import_binary_bytes(bytes: &[u8], path: &Path) -> Result<ImportedBinary, BinaryImportError> {
    let file = path.display().to_string();
    let err = |m: String| BinaryImportError(format!("{file}: {m}"));
    let top = read_top_level(bytes).map_err(|e| err(format!("not a valid binary: {e}")))?;
    let stem = path
        .file_stem()
        .map(|s| kebab(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".into());
    let mut project = Project {
        name: stem.clone(),
        ..Project::default()
    };

    let why_one = if top.is_module {
        Some("it is a core module, not a composition".to_string())
    } else if top.instantiations.is_empty() {
        Some("it embeds no components: it is a single component".to_string())
    } else {
        top.own_code.map(|what| {
            format!(
                "it is a single component: it runs code of its own ({what}), and the {} component{} it embeds (such as wit-component's type shims) are part of it",
                top.instantiations.len(),
                if top.instantiations.len() == 1 { "" } else { "s" }
            )
        })
    };
    if let Some(why) = why_one {
        return one_node(bytes, path, project, stem, why).map_err(err);
    }

    let mut decomposer = Decomposer::default();
    let graph = decomposer.graph(bytes, &top, None).map_err(err)?;
    project.components = decomposer.components;
    project.composites = decomposer.composites;
    project.nodes = graph.nodes;
    project.wires = graph.wires;
    project.exports = graph.exports;
    if graph.leaves {
        let every = ImportSelector::parse("*.*").map_err(BinaryImportError)?;
        project.bindings.insert(every, Binding::Leave);
    }
    lay_out(&mut project);
    Ok(ImportedBinary {
        project,
        files: decomposer.files,
        notes: decomposer.notes,
    })
}

/// How deep compositions nested in compositions become composites; one
/// nested deeper opens as one node (a binary made by a tool nests a few
/// levels, and each level is read again for the levels below it).
const MAX_NESTING: usize = 32;

/// What decomposing a binary has made so far, shared by every level of
/// nesting: component and composite ids are one namespace, and a
/// component (or nested composition) embedded twice, at any level, is
/// one component (or composite) of the project.
#[derive(Default)]
struct Decomposer<'b> {
    components: IndexMap<ComponentId, ComponentRef>,
    composites: IndexMap<ComponentId, Composite>,
    files: Vec<Extracted>,
    notes: Vec<String>,
    by_bytes: IndexMap<&'b [u8], ComponentId>,
}

/// How far a [`Decomposer`] had come, to undo a nested composition that
/// turns out not to be expressible as a composite.
struct Mark {
    components: usize,
    composites: usize,
    files: usize,
    notes: usize,
    by_bytes: usize,
}

/// One level of a composition as a graph: the top level's is the
/// project's, a nested composition's a composite's.
struct Graph {
    nodes: IndexMap<NodeId, Node>,
    wires: Vec<Wire>,
    exports: Vec<ExportDecl>,
    /// Whether an import of the level feeds an instantiation argument.
    leaves: bool,
}

impl<'b> Decomposer<'b> {
    fn mark(&self) -> Mark {
        Mark {
            components: self.components.len(),
            composites: self.composites.len(),
            files: self.files.len(),
            notes: self.notes.len(),
            by_bytes: self.by_bytes.len(),
        }
    }

    fn undo(&mut self, mark: Mark) {
        self.components.truncate(mark.components);
        self.composites.truncate(mark.composites);
        self.files.truncate(mark.files);
        self.notes.truncate(mark.notes);
        self.by_bytes.truncate(mark.by_bytes);
    }

    fn taken(&self, name: &str) -> bool {
        self.components.contains_key(name) || self.composites.contains_key(name)
    }

    /// The graph of one level: `bytes` read as `top`. `within` is the
    /// composite this level becomes and how deep it is nested (`None` at
    /// the top); there, every import must feed an argument under its own
    /// name, since a composite's ports are its nodes' unwired imports.
    /// Messages name the item in this level's index spaces.
    fn graph(
        &mut self,
        bytes: &'b [u8],
        top: &TopLevel<'b>,
        within: Option<(&ComponentId, usize)>,
    ) -> Result<Graph, String> {
        // Components: one per distinct embedded component that is
        // instantiated; a nested composition a composite where it can be.
        let mut component_of: HashMap<u32, ComponentId> = HashMap::new();
        for inst in &top.instantiations {
            if component_of.contains_key(&inst.component) {
                continue;
            }
            let index = inst.component;
            let label = match top.component_names.get(&index) {
                Some(name) => format!("component {index} `{name}`"),
                None => format!("component {index}"),
            };
            let range = match top.components.get(index as usize) {
                Some(Comp::Nested(range)) => range.clone(),
                Some(Comp::Imported(name)) => {
                    return Err(format!(
                        "{label} is the import `{name}`, a component given by the host; a project's components are files, so it cannot express one that is imported"
                    ))
                }
                Some(Comp::Other) => {
                    return Err(format!(
                        "{label} is an export of an instance, which a project cannot express; its components are files"
                    ))
                }
                None => return Err(format!("{label} does not exist")),
            };
            let part = &bytes[range];
            if let Some(id) = self.by_bytes.get(part) {
                component_of.insert(index, id.clone());
                continue;
            }
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
                .validate_all(part)
                .map_err(|e| {
                    format!(
                        "{label} is not a component on its own ({e}), so it cannot be written to a file"
                    )
                })?;
            let wanted = top
                .component_names
                .get(&index)
                .cloned()
                .or_else(|| own_name(part))
                .or_else(|| {
                    // An instance's name names its component only when it
                    // is the component's one instance (two caches are not
                    // `far`).
                    let instances = top
                        .instantiations
                        .iter()
                        .filter(|i| i.component == index)
                        .count();
                    (instances == 1)
                        .then(|| top.instance_names.get(&inst.instance_index).cloned())
                        .flatten()
                })
                .or_else(|| first_export(part))
                .map(|n| kebab(n.rsplit(':').next().unwrap_or(&n)))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("component-{index}"));
            let name = unique(&wanted, |n| self.taken(n));
            let id = ComponentId::new(&name).map_err(|e| format!("{label}: {e}"))?;
            if let Some(inner) = composition(part) {
                match self.composite(part, &inner, &id, within.map_or(1, |(_, d)| d + 1)) {
                    Ok(()) => {
                        component_of.insert(index, id);
                        continue;
                    }
                    Err(why) => self.notes.push(format!(
                        "component `{id}` is itself a composition of {} instance{}, and it opens as one node, not as a composite: {why}",
                        inner.instantiations.len(),
                        if inner.instantiations.len() == 1 { "" } else { "s" }
                    )),
                }
            }
            let relative = PathBuf::from("components").join(format!("{id}.wasm"));
            self.components.insert(
                id.clone(),
                ComponentRef {
                    path: relative.clone(),
                    ..ComponentRef::default()
                },
            );
            self.files.push(Extracted {
                path: relative,
                bytes: part.to_vec(),
            });
            self.by_bytes.insert(part, id.clone());
            component_of.insert(index, id);
        }

        // Nodes, in the order of instantiation.
        let mut nodes: IndexMap<NodeId, Node> = IndexMap::new();
        let mut node_ids: Vec<NodeId> = Vec::new();
        for inst in &top.instantiations {
            let component = component_of[&inst.component].clone();
            let wanted = top
                .instance_names
                .get(&inst.instance_index)
                .map(|n| kebab(n))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| component.to_string());
            let name = unique(&wanted, |n| nodes.keys().any(|k| k.as_str() == n));
            let id = NodeId::new(&name)
                .map_err(|e| format!("instance {} `{wanted}`: {e}", inst.instance_index))?;
            nodes.insert(
                id.clone(),
                Node {
                    component,
                    position: Position::default(),
                },
            );
            node_ids.push(id);
        }
        let describe = |index: u32| match top.instance_names.get(&index) {
            Some(name) => format!("instance {index} `{name}`"),
            None => format!("instance {index}"),
        };

        // Wires and the imports left to the composition.
        let mut wires = Vec::new();
        // The imports that feed arguments, and those that feed one of
        // their own name (not only other versions of it).
        let (mut used, mut as_named): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for (inst, node_id) in top.instantiations.iter().zip(&node_ids) {
            let at = |m: String| format!("{}: {m}", describe(inst.instance_index));
            for &(arg, kind, index) in &inst.args {
                let item = match kind {
                    ComponentExternalKind::Type => continue,
                    ComponentExternalKind::Instance => top.instances.get(index as usize),
                    ComponentExternalKind::Func => top.funcs.get(index as usize),
                    other => {
                        return Err(at(format!(
                            "argument `{arg}` is a {}, which a project cannot express (it wires functions and interfaces)",
                            kind_name(other)
                        )))
                    }
                };
                let Some(item) = item else {
                    return Err(at(format!("argument `{arg}` names a missing item {index}")));
                };
                match item {
                    Item::Import(name) if same_import(name, arg) => {
                        used.push(name);
                        if name == arg {
                            as_named.push(name);
                        }
                    }
                    Item::Import(name) => {
                        return Err(at(format!(
                            "argument `{arg}` is the composition's import `{name}`, renamed, which a project cannot express (an import left open keeps its name)"
                        )))
                    }
                    Item::Alias(from, export) => {
                        let from_node = match top.instances.get(*from as usize) {
                            Some(Item::Instance(n)) => &node_ids[*n],
                            Some(Item::Import(name)) => {
                                return Err(at(format!(
                                    "argument `{arg}` is `{export}` of the composition's import `{name}`, which a project cannot express; a project wires exports of its own nodes"
                                )))
                            }
                            _ => {
                                return Err(at(format!(
                                    "argument `{arg}` is `{export}` of {}, which is not an instance of a component the binary embeds",
                                    describe(*from)
                                )))
                            }
                        };
                        wires.push(Wire {
                            from: PortRef::new(from_node.clone(), export.clone()),
                            to: PortRef::new(node_id.clone(), arg),
                        });
                    }
                    Item::Instance(n) => {
                        return Err(at(format!(
                            "argument `{arg}` is the whole instance `{}`; a project wires one export to one import",
                            node_ids[*n]
                        )))
                    }
                    Item::Other(what) => {
                        return Err(at(format!(
                            "argument `{arg}` is {what}, which a project cannot express"
                        )))
                    }
                }
            }
        }
        wires.sort_by(|a, b| {
            (a.to.to_string(), a.from.to_string()).cmp(&(b.to.to_string(), b.from.to_string()))
        });
        if within.is_some() {
            for import in &top.imports {
                if !used.contains(&import.as_str()) {
                    return Err(format!(
                        "its import `{import}` feeds none of the components it instantiates, and a composite's ports are only its nodes' unwired imports"
                    ));
                }
                if !as_named.contains(&import.as_str()) {
                    return Err(format!(
                        "its import `{import}` feeds its components only as other versions of it, and a composite's ports are its nodes' unwired imports by name"
                    ));
                }
            }
        }

        // Exports.
        let mut exports = Vec::new();
        for &(name, kind, index) in &top.exports {
            let at = |m: String| format!("export `{name}`: {m}, which a project cannot express");
            let item = match kind {
                ComponentExternalKind::Type => {
                    self.notes.push(match within {
                        None => format!(
                            "the type export `{name}` is not kept: a project exports functions and interfaces, and their types come with them"
                        ),
                        Some((composite, _)) => format!(
                            "the type export `{name}` of composite `{composite}` is not kept: a composite exports functions and interfaces, and their types come with them"
                        ),
                    });
                    continue;
                }
                ComponentExternalKind::Instance => top.instances.get(index as usize),
                ComponentExternalKind::Func => top.funcs.get(index as usize),
                other => return Err(at(format!("it exports a {}", kind_name(other)))),
            };
            match item {
                Some(Item::Alias(from, export)) => match top.instances.get(*from as usize) {
                    Some(Item::Instance(n)) => exports.push(ExportDecl {
                        from: PortRef::new(node_ids[*n].clone(), export.clone()),
                        name: (name != export).then(|| name.to_string()),
                    }),
                    _ => {
                        return Err(at(format!(
                        "it re-exports `{export}` of {}, not of an embedded component's instance",
                        describe(*from)
                    )))
                    }
                },
                Some(Item::Instance(n)) => {
                    return Err(at(format!(
                        "it exports the whole instance `{}`",
                        node_ids[*n]
                    )))
                }
                Some(Item::Import(import)) => {
                    return Err(at(format!("it re-exports the import `{import}`")))
                }
                Some(Item::Other(what)) => return Err(at(format!("it exports {what}"))),
                None => return Err(at(format!("it names a missing item {index}"))),
            }
        }
        Ok(Graph {
            nodes,
            wires,
            exports,
            leaves: !used.is_empty(),
        })
    }

    /// Makes the nested composition `bytes` (read as `top`) the composite
    /// `id`, `depth` levels below the top; undoes what it made and says
    /// why when a composite cannot express it.
    fn composite(
        &mut self,
        bytes: &'b [u8],
        top: &TopLevel<'b>,
        id: &ComponentId,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_NESTING {
            return Err(format!(
                "it is nested {depth} compositions deep, and compositions nested deeper than {MAX_NESTING} are not opened as composites"
            ));
        }
        let mark = self.mark();
        // Taken before the levels below name their components.
        self.composites.insert(id.clone(), Composite::default());
        match self.graph(bytes, top, Some((id, depth))) {
            Ok(graph) => {
                let mut composite = Composite {
                    nodes: graph.nodes,
                    wires: graph.wires,
                    exports: graph.exports,
                };
                lay_out_nodes(&mut composite.nodes, &composite.wires);
                self.composites.insert(id.clone(), composite);
                self.by_bytes.insert(bytes, id.clone());
                Ok(())
            }
            Err(why) => {
                self.undo(mark);
                Err(why)
            }
        }
    }
}

/// A project of one node whose component is the whole binary, exporting
/// what it exports and leaving its imports open.
fn one_node(
    bytes: &[u8],
    path: &Path,
    mut project: Project,
    stem: String,
    why: String,
) -> Result<ImportedBinary, String> {
    let loaded = patchbay_inspect::load_bytes(bytes, path).map_err(|e| e.to_string())?;
    let id = ComponentId::new(&stem).map_err(|e| e.to_string())?;
    let node = NodeId::new(&stem).map_err(|e| e.to_string())?;
    let relative = PathBuf::from("components").join(format!("{id}.wasm"));
    project.components.insert(
        id.clone(),
        ComponentRef {
            path: relative.clone(),
            ..ComponentRef::default()
        },
    );
    project.nodes.insert(
        node.clone(),
        Node {
            component: id,
            position: Position::default(),
        },
    );
    let (exports, imports) = component_ports(&loaded.bytes)?;
    for export in exports {
        project.exports.push(ExportDecl {
            from: PortRef::new(node.clone(), export),
            name: None,
        });
    }
    if imports > 0 {
        let every = ImportSelector::parse("*.*")?;
        project.bindings.insert(every, Binding::Leave);
    }
    Ok(ImportedBinary {
        project,
        files: vec![Extracted {
            path: relative,
            bytes: loaded.bytes,
        }],
        notes: vec![format!("opened as one node: {why}")],
    })
}

/// The names of a component's function and instance exports, and how many
/// instance or function imports it has.
fn component_ports(bytes: &[u8]) -> Result<(Vec<String>, usize), String> {
    let (mut exports, mut imports, mut depth) = (Vec::new(), 0, 0usize);
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentExportSection(reader) if depth == 0 => {
                for export in reader {
                    let export = export.map_err(|e| e.to_string())?;
                    if matches!(
                        export.kind,
                        ComponentExternalKind::Func | ComponentExternalKind::Instance
                    ) {
                        exports.push(export.name.name.to_string());
                    }
                }
            }
            Payload::ComponentImportSection(reader) if depth == 0 => {
                for import in reader {
                    let import = import.map_err(|e| e.to_string())?;
                    if matches!(
                        import.ty,
                        ComponentTypeRef::Func(_) | ComponentTypeRef::Instance(_)
                    ) {
                        imports += 1;
                    }
                }
            }
            _ => {}
        }
    }
    Ok((exports, imports))
}

/// Walks the top level of `bytes`, keeping the index spaces a project can
/// be made from.
fn read_top_level(bytes: &[u8]) -> Result<TopLevel<'_>, wasmparser::BinaryReaderError> {
    let mut top = TopLevel::default();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        let nested = depth > 0;
        match payload {
            Payload::Version { encoding, .. } if !nested => {
                top.is_module = encoding == wasmparser::Encoding::Module;
            }
            Payload::ComponentSection {
                unchecked_range, ..
            } => {
                if !nested {
                    top.components.push(Comp::Nested(
                        unchecked_range.start as usize..unchecked_range.end as usize,
                    ));
                }
                depth += 1;
            }
            Payload::ModuleSection { .. } => {
                if !nested {
                    top.own_code.get_or_insert("a core module");
                }
                depth += 1;
            }
            Payload::End(_) => depth = depth.saturating_sub(1),
            _ if nested => {}
            Payload::ComponentImportSection(reader) => {
                for import in reader {
                    let import = import?;
                    let name = import.name.name.to_string();
                    match import.ty {
                        ComponentTypeRef::Instance(_) => {
                            top.imports.push(name.clone());
                            top.instances.push(Item::Import(name));
                        }
                        ComponentTypeRef::Func(_) => {
                            top.imports.push(name.clone());
                            top.funcs.push(Item::Import(name));
                        }
                        ComponentTypeRef::Component(_) => top.components.push(Comp::Imported(name)),
                        _ => {}
                    }
                }
            }
            Payload::ComponentInstanceSection(reader) => {
                for instance in reader {
                    let index = top.instances.len() as u32;
                    match instance? {
                        ComponentInstance::Instantiate {
                            component_index,
                            args,
                        } => {
                            top.instances.push(Item::Instance(top.instantiations.len()));
                            top.instantiations.push(Instantiation {
                                instance_index: index,
                                component: component_index,
                                args: args.iter().map(|a| (a.name, a.kind, a.index)).collect(),
                            });
                        }
                        ComponentInstance::FromExports(_) => top
                            .instances
                            .push(Item::Other("an instance made of separate items")),
                    }
                }
            }
            Payload::ComponentAliasSection(reader) => {
                for alias in reader {
                    match alias? {
                        ComponentAlias::InstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => {
                            let item = Item::Alias(instance_index, name.to_string());
                            match kind {
                                ComponentExternalKind::Instance => top.instances.push(item),
                                ComponentExternalKind::Func => top.funcs.push(item),
                                ComponentExternalKind::Component => {
                                    top.components.push(Comp::Other)
                                }
                                _ => {}
                            }
                        }
                        ComponentAlias::CoreInstanceExport { .. } => {
                            top.own_code.get_or_insert("core instances");
                        }
                        ComponentAlias::Outer { .. } => {}
                    }
                }
            }
            Payload::ComponentCanonicalSection(reader) => {
                for canon in reader {
                    if let CanonicalFunction::Lift { .. } = canon? {
                        top.funcs
                            .push(Item::Other("a function lifted from core code"));
                    }
                }
                top.own_code.get_or_insert("canonical functions");
            }
            Payload::CoreTypeSection(_) | Payload::InstanceSection(_) => {
                top.own_code.get_or_insert("core instances");
            }
            Payload::ComponentStartSection { .. } => {
                top.own_code.get_or_insert("a start function");
            }
            Payload::ComponentExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    let name = export.name.name;
                    top.exports.push((name, export.kind, export.index));
                    // An export is also a new item of its index space.
                    let copy = |items: &Vec<Item>| {
                        items
                            .get(export.index as usize)
                            .cloned()
                            .unwrap_or(Item::Other("a missing item"))
                    };
                    match export.kind {
                        ComponentExternalKind::Instance => {
                            let item = copy(&top.instances);
                            top.instances.push(item);
                        }
                        ComponentExternalKind::Func => {
                            let item = copy(&top.funcs);
                            top.funcs.push(item);
                        }
                        ComponentExternalKind::Component => top.components.push(Comp::Other),
                        _ => {}
                    }
                }
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::ComponentName(reader) = section.as_known() {
                    for subsection in reader {
                        let (map, names) = match subsection? {
                            ComponentName::Instances(names) => (&mut top.instance_names, names),
                            ComponentName::Components(names) => (&mut top.component_names, names),
                            _ => continue,
                        };
                        for naming in names {
                            let naming = naming?;
                            map.insert(naming.index, naming.name.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(top)
}

/// The name a component gives itself in its own name section.
fn own_name(bytes: &[u8]) -> Option<String> {
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::CustomSection(section) if depth == 0 => {
                if let KnownCustom::ComponentName(reader) = section.as_known() {
                    for subsection in reader {
                        if let Ok(ComponentName::Component { name, .. }) = subsection {
                            return Some(name.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// What a component without a name is called after: the interface (its
/// name without package and version) or function it exports first.
fn first_export(bytes: &[u8]) -> Option<String> {
    let (exports, _) = component_ports(bytes).ok()?;
    let first = exports.into_iter().next()?;
    let name = first.split('@').next().unwrap_or(&first);
    Some(name.rsplit('/').next().unwrap_or(name).to_string())
}

/// `bytes` read as a composition, when it is one: instantiations and no
/// code of its own, the rule the top level is read by (wit-component's
/// shim components for exported types do not make a component with code
/// a composition).
fn composition(bytes: &[u8]) -> Option<TopLevel<'_>> {
    read_top_level(bytes)
        .ok()
        .filter(|top| top.own_code.is_none() && !top.is_module && !top.instantiations.is_empty())
}

/// Whether the composition's import `import` feeds the argument `arg`
/// as an import left open: the same name, or the same interface at
/// another version (imports of several nodes merge under the highest).
fn same_import(import: &str, arg: &str) -> bool {
    let unversioned = |n: &str| n.split_once('@').map_or(n, |(name, _)| name).to_string();
    import == arg || (arg.contains('@') && unversioned(import) == unversioned(arg))
}

fn kind_name(kind: ComponentExternalKind) -> &'static str {
    match kind {
        ComponentExternalKind::Module => "core module",
        ComponentExternalKind::Func => "function",
        ComponentExternalKind::Value => "value",
        ComponentExternalKind::Type => "type",
        ComponentExternalKind::Instance => "instance",
        ComponentExternalKind::Component => "component",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_of_one_interface_are_one_import() {
        assert!(same_import(
            "wasi:io/streams@0.2.6",
            "wasi:io/streams@0.2.0"
        ));
        assert!(same_import("run", "run"));
        assert!(!same_import("wasi:io/poll@0.2.6", "wasi:io/streams@0.2.6"));
        assert!(!same_import("get", "set"));
    }
}
