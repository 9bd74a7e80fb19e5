//! A file opened as a project (`patchbay import FILE -o DIR` and the app's
//! *Open* of a file): what the file is is decided by its content, not its
//! name. A WebAssembly binary (component or core module) is decomposed
//! (`import_binary`), WAT text (`.wat`) is read as the component it
//! describes, anything else is read as a `.wac` recipe (`import_wac`).
//! [`write_import`] writes the project folder: `patchbay.toml` and the
//! extracted component files. The layout and naming helpers both imports
//! use live here.

use crate::import_binary::{import_binary_bytes, BinaryImportError};
use crate::import_wac::{import_wac, WacImportError};
use indexmap::IndexMap;
use patchbay_project::{Node, NodeId, Position, Project, Wire, MANIFEST_NAME};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a file could not be opened as a project, naming the file and the
/// item (line, or index and name) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

impl From<WacImportError> for ImportError {
    fn from(e: WacImportError) -> Self {
        ImportError(e.0)
    }
}

impl From<BinaryImportError> for ImportError {
    fn from(e: BinaryImportError) -> Self {
        ImportError(e.0)
    }
}

/// What kind of file a project was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedFrom {
    /// A `.wac` recipe.
    Wac,
    /// A composed (or single) component binary, or WAT text.
    Binary,
}

/// A component file an import writes beside the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Relative to the project folder.
    pub path: PathBuf,
    /// The component's bytes.
    pub bytes: Vec<u8>,
}

/// A project made from a file, not yet written.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The project (component paths relative to its folder).
    pub project: Project,
    /// What the file was.
    pub from: ImportedFrom,
    /// The `.wac` packages used, and the file each came from.
    pub packages: Vec<(String, PathBuf)>,
    /// The component files to write beside the project.
    pub files: Vec<Extracted>,
    /// What the import did not keep as it was, in the user's words.
    pub notes: Vec<String>,
}

impl Imported {
    /// One line saying what was imported: nodes, wires, exports, where
    /// the components come from, and each composite (its size and the
    /// nodes that instantiate it).
    pub fn summary(&self, file: &Path) -> String {
        let p = &self.project;
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let source = match self.from {
            ImportedFrom::Wac => count(self.packages.len(), "package"),
            ImportedFrom::Binary => count(self.files.len(), "extracted component"),
        };
        let mut line = format!(
            "imported {}: {}, {}, {} from {source}",
            file.display(),
            count(p.nodes.len(), "node"),
            count(p.wires.len(), "wire"),
            count(p.exports.len(), "export"),
        );
        if !p.composites.is_empty() {
            let composites: Vec<String> = p
                .composites
                .iter()
                .map(|(name, c)| {
                    let mut users: Vec<String> = p
                        .nodes
                        .iter()
                        .filter(|(_, n)| n.component == *name)
                        .map(|(id, _)| id.to_string())
                        .collect();
                    for (outer, o) in &p.composites {
                        users.extend(
                            o.nodes
                                .iter()
                                .filter(|(_, n)| n.component == *name)
                                .map(|(id, _)| format!("{id} of `{outer}`")),
                        );
                    }
                    let users = match users.len() {
                        0 => "no node".to_string(),
                        1 => format!("node {}", users[0]),
                        _ => format!("nodes {}", users.join(", ")),
                    };
                    format!(
                        "`{name}` ({}, {}; {users})",
                        count(c.nodes.len(), "node"),
                        count(c.wires.len(), "wire"),
                    )
                })
                .collect();
            line.push_str(&format!(
                "; {}: {}",
                count(composites.len(), "composite"),
                composites.join(", ")
            ));
        }
        line
    }
}

/// `\0asm`: the start of every WebAssembly binary.
const WASM_MAGIC: &[u8] = b"\0asm";

/// Opens `file` as a project for the folder `out_dir`, deciding by its
/// content what it is. `deps` are the `.wac` packages given by name.
pub fn import_file(
    file: &Path,
    deps: &[(String, PathBuf)],
    out_dir: &Path,
) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(file)
        .map_err(|e| ImportError(format!("cannot read {}: {e}", file.display())))?;
    let is_wat = || {
        file.extension().is_some_and(|e| e == "wat")
            || String::from_utf8_lossy(&bytes)
                .trim_start()
                .starts_with("(component")
            || String::from_utf8_lossy(&bytes)
                .trim_start()
                .starts_with("(module")
    };
    if bytes.starts_with(WASM_MAGIC) || is_wat() {
        let binary = if bytes.starts_with(WASM_MAGIC) {
            bytes
        } else {
            patchbay_inspect::load_bytes(&bytes, file)
                .map_err(|e| ImportError(e.to_string()))?
                .bytes
        };
        let made = import_binary_bytes(&binary, file)?;
        return Ok(Imported {
            project: made.project,
            from: ImportedFrom::Binary,
            packages: Vec::new(),
            files: made.files,
            notes: made.notes,
        });
    }
    let made = import_wac(file, deps, out_dir)?;
    Ok(Imported {
        project: made.project,
        from: ImportedFrom::Wac,
        packages: made.packages,
        files: Vec::new(),
        notes: Vec::new(),
    })
}

/// Writes `imported` into `out_dir` (created if missing): its component
/// files, then `patchbay.toml`. Refuses a folder that already holds a
/// project, or a different file where a component would go. Returns the
/// project file's path.
pub fn write_import(out_dir: &Path, imported: &Imported) -> Result<PathBuf, ImportError> {
    let manifest = out_dir.join(MANIFEST_NAME);
    if manifest.exists() {
        return Err(ImportError(format!(
            "{} already exists; import into a folder without a project",
            manifest.display()
        )));
    }
    for file in &imported.files {
        let path = out_dir.join(&file.path);
        if path.exists() && std::fs::read(&path).ok().as_deref() != Some(&file.bytes[..]) {
            return Err(ImportError(format!(
                "{} already exists and holds another file; import into an empty folder",
                path.display()
            )));
        }
    }
    for file in &imported.files {
        let path = out_dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| ImportError(format!("cannot create {}: {e}", parent.display())))?;
        }
        patchbay_project::write_output(&path, &file.bytes)
            .map_err(|e| ImportError(format!("cannot write {}: {e}", path.display())))?;
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| ImportError(format!("cannot create {}: {e}", out_dir.display())))?;
    patchbay_project::save(&imported.project, &manifest)
        .map_err(|e| ImportError(format!("cannot write {}: {e}", manifest.display())))?;
    Ok(manifest)
}

/// Horizontal and vertical distance between nodes laid out in columns.
const COLUMN: f64 = 340.0;
const ROW: f64 = 220.0;

/// Lays the nodes out in columns by how far each is from the instances
/// that feed it (sources on the left, as the editor draws wires).
pub(crate) fn lay_out(project: &mut Project) {
    lay_out_nodes(&mut project.nodes, &project.wires);
}

/// [`lay_out`] of one graph's nodes (a project's, or a composite's) by
/// the wires between them.
pub(crate) fn lay_out_nodes(nodes: &mut IndexMap<NodeId, Node>, wires: &[Wire]) {
    let mut depth: BTreeMap<String, usize> = nodes.keys().map(|n| (n.to_string(), 0)).collect();
    // Longest path from a source; a composition has no cycles.
    for _ in 0..nodes.len() {
        let mut changed = false;
        for wire in wires {
            let d = depth[wire.from.node.as_str()] + 1;
            let to = depth.get_mut(wire.to.node.as_str()).expect("wired node");
            if *to < d {
                *to = d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    for (id, node) in nodes.iter_mut() {
        let column = depth[id.as_str()];
        let row = rows.entry(column).or_default();
        node.position = Position {
            x: column as f64 * COLUMN,
            y: *row as f64 * ROW,
        };
        *row += 1;
    }
}

/// `name` as a kebab-case id: lower case, other characters as `-`.
pub(crate) fn kebab(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("n-{out}"),
        _ => out,
    }
}

/// `base` (`node` when empty), or the next free id like it
/// ([`patchbay_project::fresh_id`]'s rule: `step2`, `s2` after `s1`).
pub(crate) fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "node" } else { base };
    patchbay_project::fresh_id(base, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids() {
        assert_eq!(kebab("My_Service"), "my-service");
        assert_eq!(kebab("9lives"), "n-9lives");
        assert_eq!(kebab("project:svc"), "project-svc");
        assert_eq!(unique("a", |n| n == "a" || n == "a2"), "a3");
        assert_eq!(unique("s1", |n| n == "s1"), "s2");
        for name in [unique("step", |n| n == "step"), unique("s1", |n| n == "s1")] {
            patchbay_project::ComponentId::new(&name).expect("an id");
            patchbay_project::NodeId::new(&name).expect("an id");
        }
    }
}
