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
//! A binary that embeds no components (a single component, a core module)
//! or runs code of its own beside the ones it embeds opens as one node. A
//! component that is itself a composition stays one node (composite nodes
//! do not exist yet); the import's notes say so. What a project cannot
//! express is refused naming the item (its index and name) and why.

use crate::import::{kebab, lay_out, unique, Extracted};
use patchbay_project::{
    Binding, ComponentId, ComponentRef, ExportDecl, ImportSelector, Node, NodeId, PortRef,
    Position, Project, Wire,
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
    /// binary opened as one node, a nested composition, type exports).
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

    // Components: one per distinct embedded component that is instantiated.
    let mut files: Vec<Extracted> = Vec::new();
    let mut notes = Vec::new();
    let mut component_of: HashMap<u32, ComponentId> = HashMap::new();
    let mut by_bytes: HashMap<&[u8], ComponentId> = HashMap::new();
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
                return Err(err(format!(
                    "{label} is the import `{name}`, a component given by the host; a project's components are files, so it cannot express one that is imported"
                )))
            }
            Some(Comp::Other) => {
                return Err(err(format!(
                    "{label} is an export of an instance, which a project cannot express; its components are files"
                )))
            }
            None => return Err(err(format!("{label} does not exist"))),
        };
        let part = &bytes[range];
        if let Some(id) = by_bytes.get(part) {
            component_of.insert(index, id.clone());
            continue;
        }
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(part)
            .map_err(|e| {
                err(format!(
                    "{label} is not a component on its own ({e}), so it cannot be written to a file"
                ))
            })?;
        let wanted = top
            .component_names
            .get(&index)
            .cloned()
            .or_else(|| own_name(part))
            .or_else(|| {
                // An instance's name names its component only when it is
                // the component's one instance (two caches are not `far`).
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
        let name = unique(&wanted, |n| {
            project.components.keys().any(|c| c.as_str() == n)
        });
        let id = ComponentId::new(&name).map_err(|e| err(format!("{label}: {e}")))?;
        let relative = PathBuf::from("components").join(format!("{id}.wasm"));
        project.components.insert(
            id.clone(),
            ComponentRef {
                path: relative.clone(),
                ..ComponentRef::default()
            },
        );
        let inner = nested_count(part);
        if inner > 0 {
            notes.push(format!(
                "component `{id}` is itself a composition of {inner} instance{}; it opens as one node, since composite nodes do not exist yet",
                if inner == 1 { "" } else { "s" }
            ));
        }
        files.push(Extracted {
            path: relative,
            bytes: part.to_vec(),
        });
        by_bytes.insert(part, id.clone());
        component_of.insert(index, id);
    }

    // Nodes, in the order of instantiation.
    let mut node_ids: Vec<NodeId> = Vec::new();
    for inst in &top.instantiations {
        let component = component_of[&inst.component].clone();
        let wanted = top
            .instance_names
            .get(&inst.instance_index)
            .map(|n| kebab(n))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| component.to_string());
        let name = unique(&wanted, |n| project.nodes.keys().any(|k| k.as_str() == n));
        let id = NodeId::new(&name)
            .map_err(|e| err(format!("instance {} `{wanted}`: {e}", inst.instance_index)))?;
        project.nodes.insert(
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
    let mut leaves = false;
    for (inst, node_id) in top.instantiations.iter().zip(&node_ids) {
        let at = |m: String| err(format!("{}: {m}", describe(inst.instance_index)));
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
                Item::Import(name) if same_import(name, arg) => leaves = true,
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
                    project.wires.push(Wire {
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
    project.wires.sort_by(|a, b| {
        (a.to.to_string(), a.from.to_string()).cmp(&(b.to.to_string(), b.from.to_string()))
    });
    if leaves {
        let every = ImportSelector::parse("*.*").map_err(BinaryImportError)?;
        project.bindings.insert(every, Binding::Leave);
    }

    // Exports.
    for &(name, kind, index) in &top.exports {
        let at = |m: String| {
            err(format!(
                "export `{name}`: {m}, which a project cannot express"
            ))
        };
        let item = match kind {
            ComponentExternalKind::Type => {
                notes.push(format!(
                    "the type export `{name}` is not kept: a project exports functions and interfaces, and their types come with them"
                ));
                continue;
            }
            ComponentExternalKind::Instance => top.instances.get(index as usize),
            ComponentExternalKind::Func => top.funcs.get(index as usize),
            other => return Err(at(format!("it exports a {}", kind_name(other)))),
        };
        match item {
            Some(Item::Alias(from, export)) => match top.instances.get(*from as usize) {
                Some(Item::Instance(n)) => project.exports.push(ExportDecl {
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

    lay_out(&mut project);
    Ok(ImportedBinary {
        project,
        files,
        notes,
    })
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
                        ComponentTypeRef::Instance(_) => top.instances.push(Item::Import(name)),
                        ComponentTypeRef::Func(_) => top.funcs.push(Item::Import(name)),
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

/// How many component instances `bytes` composes when it is a
/// composition itself (instantiations and no code of its own, the rule
/// the top level is read by); 0 for a component with code of its own
/// (wit-component's shim components for exported types do not make it a
/// composition).
fn nested_count(bytes: &[u8]) -> usize {
    match read_top_level(bytes) {
        Ok(top) if top.own_code.is_none() && !top.is_module => top.instantiations.len(),
        _ => 0,
    }
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
