//! A `.wac` file opened as a project (`patchbay import recipe.wac`).
//!
//! The file is parsed and resolved by wac-parser, as `wac compose` does,
//! against the packages it names (given as `ns:pkg=FILE`, or found where
//! `wac` looks: `deps/NS/PKG.wasm` beside the file, or `PKG.wasm` beside
//! it). The resolved composition graph becomes the project: every
//! instantiation a node (named after its `let`), every argument fed by
//! another instance's export a wire, every argument left to the
//! composition's imports (`...` or an `import` statement of the same name)
//! a `leave` binding, every exported export of an instance an export.
//!
//! What a project cannot express is refused with its line: an argument
//! that is a whole instance, or an export of an imported instance; an
//! import renamed on its way to an argument; an export of a whole instance
//! or of an import.

use crate::compose::chain;
use crate::import::{kebab, lay_out, unique};
use indexmap::IndexMap;
use patchbay_project::{
    Binding, ComponentId, ComponentRef, ExportDecl, ImportSelector, Node, NodeId, PortRef,
    Position, Project, Wire,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use wac_graph::types::BorrowedPackageKey;
use wac_graph::NodeKind;
use wac_parser::{Document, Statement};

/// Why a `.wac` file could not become a project. The message names the
/// file and, where it can, the line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WacImportError(pub String);

/// A project made from a `.wac` file.
#[derive(Debug, Clone)]
pub struct ImportedWac {
    /// The project; its component paths are relative to the folder it was
    /// made for.
    pub project: Project,
    /// The packages used, and the file each came from.
    pub packages: Vec<(String, PathBuf)>,
}

/// Reads `wac` and makes the project it describes, for a project file in
/// `out_dir`. `deps` are `ns:pkg` names with the file of each; packages
/// not given are looked for where `wac` looks.
pub fn import_wac(
    wac: &Path,
    deps: &[(String, PathBuf)],
    out_dir: &Path,
) -> Result<ImportedWac, WacImportError> {
    import_wac_noting_missing(wac, deps, out_dir, &mut None)
}

/// The first package `wac` names that is neither in `deps` nor where
/// `wac` looks for it (`None` when every package it resolves is found;
/// the import reports any other problem). The app asks for that file.
pub fn first_missing_package(wac: &Path, deps: &[(String, PathBuf)]) -> Option<String> {
    let mut missing = None;
    let base = wac.parent().unwrap_or(Path::new("."));
    let _ = import_wac_noting_missing(wac, deps, base, &mut missing);
    missing
}

/// [`import_wac`], setting `missing` to the package that could not be
/// found when that is why it fails.
fn import_wac_noting_missing(
    wac: &Path,
    deps: &[(String, PathBuf)],
    out_dir: &Path,
    missing: &mut Option<String>,
) -> Result<ImportedWac, WacImportError> {
    let file = wac.display().to_string();
    let text = std::fs::read_to_string(wac)
        .map_err(|e| WacImportError(format!("cannot read {file}: {e}")))?;
    let at = |offset: usize, message: String| {
        let (line, col) = line_col(&text, offset);
        WacImportError(format!("{file}:{line}:{col}: {message}"))
    };
    let doc = Document::parse(&text).map_err(|e| at(error_offset(&e), e.to_string()))?;
    let base = wac.parent().unwrap_or(Path::new("."));

    // Resolve as `wac compose` does, adding each package the resolver
    // asks for in turn.
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut bytes: Vec<Vec<u8>> = Vec::new();
    let resolution = loop {
        let packages: IndexMap<BorrowedPackageKey<'_>, Vec<u8>> = files
            .iter()
            .zip(&bytes)
            .map(|((name, _), b)| {
                (
                    BorrowedPackageKey::from_name_and_version(name, None),
                    b.clone(),
                )
            })
            .collect();
        match doc.resolve(packages) {
            Ok(resolution) => break resolution,
            Err(wac_parser::resolution::Error::UnknownPackage { name, span })
                if !files.iter().any(|(n, _)| *n == name) =>
            {
                let path = find_package(&name, deps, base).map_err(|why| {
                    *missing = Some(name.clone());
                    at(span.offset(), why)
                })?;
                let read = std::fs::read(&path).map_err(|e| {
                    at(
                        span.offset(),
                        format!("package `{name}`: cannot read {}: {e}", path.display()),
                    )
                })?;
                files.push((name, path));
                bytes.push(read);
            }
            Err(e) => {
                let offset = error_offset(&e);
                return Err(at(offset, chain(&e)));
            }
        }
    };
    let graph = resolution.graph();
    let lets = let_offsets(&doc);
    let line_of = |node: wac_graph::NodeId| -> usize {
        graph[node]
            .name()
            .and_then(|n| lets.get(n))
            .copied()
            .unwrap_or(0)
    };

    let mut project = Project {
        name: kebab(
            doc.directive
                .package
                .name
                .rsplit(':')
                .next()
                .unwrap_or("imported"),
        ),
        ..Project::default()
    };
    if project.name.is_empty() {
        project.name = "imported".into();
    }
    // Components, one per package used by an instantiation.
    let mut component_of: HashMap<String, ComponentId> = HashMap::new();
    for (name, path) in &files {
        let short = name.rsplit(':').next().unwrap_or(name);
        let id = unique(&kebab(short), |id| {
            project.components.keys().any(|c| c.as_str() == id)
        });
        let id =
            ComponentId::new(&id).map_err(|e| WacImportError(format!("package `{name}`: {e}")))?;
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let out = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
        let relative = pathdiff::diff_paths(&absolute, &out).unwrap_or(absolute);
        project.components.insert(
            id.clone(),
            ComponentRef {
                path: relative,
                ..ComponentRef::default()
            },
        );
        component_of.insert(name.clone(), id);
    }

    // Nodes, in the graph's order (the file's), named after their `let`.
    let mut node_of: HashMap<wac_graph::NodeId, NodeId> = HashMap::new();
    for id in graph.node_ids() {
        let node = &graph[id];
        if !matches!(node.kind(), NodeKind::Instantiation(_)) {
            continue;
        }
        let package = node
            .package()
            .map(|p| graph[p].name().to_string())
            .unwrap_or_default();
        let component = component_of.get(&package).cloned().ok_or_else(|| {
            WacImportError(format!(
                "{file}: instance of `{package}`, a package that was not loaded"
            ))
        })?;
        let wanted = node
            .name()
            .map(kebab)
            .unwrap_or_else(|| component.to_string());
        let name = unique(&wanted, |n| project.nodes.keys().any(|k| k.as_str() == n));
        let node_id =
            NodeId::new(&name).map_err(|e| at(line_of(id), format!("`let {wanted}`: {e}")))?;
        project.nodes.insert(
            node_id.clone(),
            Node {
                component,
                position: Position::default(),
            },
        );
        node_of.insert(id, node_id);
    }

    // Wires and the imports left to the composition.
    let mut leaves = false;
    for (inst, node_id) in &node_of {
        let where_ = |what: String| at(line_of(*inst), format!("`let {node_id}`: {what}"));
        // Imports given no argument (`...`) are the composition's imports.
        let given = graph.get_instantiation_arguments(*inst).count();
        let imports = graph[*inst]
            .package()
            .map_or(0, |p| graph.types()[graph[p].ty()].imports.len());
        if given < imports {
            leaves = true;
        }
        for (arg, source) in graph.get_instantiation_arguments(*inst) {
            match graph[source].kind() {
                NodeKind::Alias => {
                    let (from, export) = graph
                        .get_alias_source(source)
                        .ok_or_else(|| where_(format!("argument `{arg}` has no source")))?;
                    let Some(from_node) = node_of.get(&from) else {
                        return Err(where_(format!(
                            "argument `{arg}` is an export of an imported instance, which a project cannot express; instantiate the component that provides it instead"
                        )));
                    };
                    project.wires.push(Wire {
                        from: PortRef::new(from_node.clone(), export),
                        to: PortRef::new(node_id.clone(), arg),
                    });
                }
                NodeKind::Import(name) if name == arg => leaves = true,
                NodeKind::Import(name) => {
                    return Err(where_(format!(
                        "argument `{arg}` is the composition's import `{name}`, renamed, which a project cannot express (an import left open keeps its name)"
                    )))
                }
                NodeKind::Instantiation(_) => {
                    return Err(where_(format!(
                        "argument `{arg}` is a whole instance; a project wires one export to one import, so write `instance[\"{arg}\"]`"
                    )))
                }
                NodeKind::Definition => {
                    return Err(where_(format!(
                        "argument `{arg}` is a type definition, which a project cannot express"
                    )))
                }
            }
        }
    }
    project.wires.sort_by(|a, b| {
        (a.to.to_string(), a.from.to_string()).cmp(&(b.to.to_string(), b.from.to_string()))
    });
    if leaves {
        let every = ImportSelector::parse("*.*").map_err(WacImportError)?;
        project.bindings.insert(every, Binding::Leave);
    }

    // Exports.
    let export_offsets = export_offsets(&doc);
    for id in graph.node_ids() {
        let node = &graph[id];
        let Some(name) = node.export_name() else {
            continue;
        };
        let refuse = |what: &str| {
            let offset = export_offsets.get(name).copied().unwrap_or(0);
            at(
                offset,
                format!("`export … as {name}`: {what}, which a project cannot express"),
            )
        };
        match node.kind() {
            NodeKind::Alias => {
                let (from, export) = graph
                    .get_alias_source(id)
                    .ok_or_else(|| refuse("an export with no source"))?;
                let from_node = node_of
                    .get(&from)
                    .ok_or_else(|| refuse("it re-exports an export of an imported instance"))?;
                project.exports.push(ExportDecl {
                    from: PortRef::new(from_node.clone(), export),
                    name: (name != export).then(|| name.to_string()),
                });
            }
            NodeKind::Instantiation(_) => return Err(refuse("it exports a whole instance")),
            NodeKind::Import(_) => return Err(refuse("it re-exports an import")),
            NodeKind::Definition => return Err(refuse("it exports a type definition")),
        }
    }

    lay_out(&mut project);
    Ok(ImportedWac {
        project,
        packages: files,
    })
}

/// Where package `name` is: as given in `deps`, else `deps/NS/PKG.wasm`
/// or `PKG.wasm` beside the file (also `.wat`).
fn find_package(name: &str, deps: &[(String, PathBuf)], base: &Path) -> Result<PathBuf, String> {
    if let Some((_, path)) = deps.iter().find(|(n, _)| n == name) {
        return Ok(path.clone());
    }
    let (ns, pkg) = name.split_once(':').unwrap_or(("", name));
    let mut tried = Vec::new();
    for ext in ["wasm", "wat"] {
        for candidate in [
            base.join("deps").join(ns).join(format!("{pkg}.{ext}")),
            base.join(format!("{pkg}.{ext}")),
        ] {
            if candidate.is_file() {
                return Ok(candidate);
            }
            tried.push(candidate.display().to_string());
        }
    }
    Err(format!(
        "package `{name}` was not given and is not beside the file (looked for {}); pass `--dep {name}=FILE`",
        tried.join(", ")
    ))
}

/// The offset of each `let NAME` in the file.
fn let_offsets(doc: &Document<'_>) -> HashMap<String, usize> {
    doc.statements
        .iter()
        .filter_map(|s| match s {
            Statement::Let(l) => Some((l.id.string.to_string(), l.id.span.offset())),
            _ => None,
        })
        .collect()
}

/// The offset of each export statement, by the name it exports as (or,
/// without `as`, by its text after `export`).
fn export_offsets(doc: &Document<'_>) -> HashMap<String, usize> {
    let mut offsets = HashMap::new();
    for s in &doc.statements {
        if let Statement::Export(e) = s {
            let offset = e.expr.span.offset();
            match &e.options {
                wac_parser::ExportOptions::Rename(name) => {
                    offsets.insert(name.as_str().to_string(), offset);
                }
                _ => {
                    // `export x["name"];` exports as `name`.
                    for p in &e.expr.postfix {
                        if let wac_parser::PostfixExpr::NamedAccess(a) = p {
                            offsets.insert(a.string.value.to_string(), offset);
                        }
                        if let wac_parser::PostfixExpr::Access(a) = p {
                            offsets.insert(a.id.string.to_string(), offset);
                        }
                    }
                }
            }
        }
    }
    offsets
}

/// The byte offset a wac-parser error points at (its first label), or 0.
fn error_offset(e: &dyn miette::Diagnostic) -> usize {
    e.labels()
        .and_then(|mut labels| labels.next())
        .map_or(0, |l| l.offset())
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted() {
        assert_eq!(line_col("ab\ncd\nef", 4), (2, 2));
    }
}
