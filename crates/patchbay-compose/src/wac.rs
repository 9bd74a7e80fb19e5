//! Graph to WAC text: the `.wac` recipe that rebuilds a composition.
//!
//! wac has a parser but no printer for composition graphs, so the source is
//! written here from the project, which holds the same graph: one `let` per
//! node in dependency order, a named argument per wire, `...` so unwired
//! imports become imports of the result (as wac-graph does when encoding),
//! and one `export` per composition export.

use crate::{Workspace, PACKAGE_NAMESPACE};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Words wac reserves; identifiers spelled like them are written `%word`.
const KEYWORDS: &[&str] = &[
    "import",
    "with",
    "type",
    "tuple",
    "list",
    "option",
    "result",
    "borrow",
    "resource",
    "variant",
    "record",
    "flags",
    "enum",
    "func",
    "static",
    "constructor",
    "u8",
    "s8",
    "u16",
    "s16",
    "u32",
    "s32",
    "u64",
    "s64",
    "f32",
    "f64",
    "char",
    "bool",
    "string",
    "interface",
    "world",
    "export",
    "new",
    "let",
    "use",
    "include",
    "as",
    "package",
    "targets",
];

fn ident(id: &str) -> String {
    if KEYWORDS.contains(&id) {
        format!("%{id}")
    } else {
        id.to_string()
    }
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// An instance the recipe adds to the project's own: a deny stub of a
/// sealed composition, instantiated just before the node it serves.
pub(crate) struct ExtraInstance<'a> {
    /// The node it serves.
    pub node: &'a str,
    /// Its instance name, and its package's name under `sealed:`.
    pub name: &'a str,
    /// Where the recipe says its package is.
    pub path: String,
    /// The node's import it satisfies (the stub's export of that name).
    pub serves: &'a str,
    /// The node's other imports it satisfies, each by its export of that
    /// name.
    pub also: &'a [String],
    /// Its own arguments: import name, and the instance and export feeding it.
    pub args: Vec<(String, String, String)>,
}

/// The namespace of deny stubs' packages in a sealed recipe.
pub(crate) const SEALED_NAMESPACE: &str = "sealed";

/// The `.wac` source of the project's composition.
pub fn wac_source(ws: &Workspace) -> String {
    wac_text(ws, &[])
}

/// Where a recipe's packages come from, for its header's rebuild command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecipeSources {
    /// The project's name.
    pub name: String,
    /// The project file the recipe was written from.
    pub project_file: PathBuf,
    /// Each `project:ID` package the recipe instantiates.
    pub components: Vec<RecipeComponent>,
    /// Each `sealed:NAME` stub package, as `stubs/NAME.wasm` beside an
    /// exported recipe.
    pub stubs: Vec<(String, String)>,
}

/// One `project:ID` package of a recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct RecipeComponent {
    /// The component id.
    pub id: String,
    /// Its file, as the project gives it (relative to the project's
    /// folder, or absolute).
    pub path: PathBuf,
    /// The binary Patchbay made of it when the file is not a binary
    /// component (WAT text, a core module), which `wac` cannot read, or
    /// when it is a composite; a written recipe gets it beside itself.
    pub binary: Option<Vec<u8>>,
    /// Whether it is a composite of the project (composed by Patchbay from
    /// its definition; `path` is empty).
    pub composite: bool,
}

/// Where a written recipe's binaries of non-binary components go, beside
/// it: `deps/project/ID.wasm`, where `wac compose` also looks by itself.
pub fn recipe_binary_path(id: &str) -> PathBuf {
    Path::new("deps")
        .join(PACKAGE_NAMESPACE)
        .join(format!("{id}.wasm"))
}

impl RecipeSources {
    /// The recipe's header, its paths as seen from the project's folder
    /// (`at` = `None`, the recipe kept in memory) or from the folder of the
    /// recipe written at `at`.
    pub(crate) fn header(&self, at: Option<&Path>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "// Composition `{}`, written by Patchbay from {}.",
            self.name,
            self.project_file.display()
        );
        let project_dir = self.project_file.parent().unwrap_or(Path::new(""));
        let recipe_dir = at.map(|p| p.parent().unwrap_or(Path::new("")));
        if !self.stubs.is_empty() {
            let _ = writeln!(
                out,
                "// Its denials and mocks are sealed in: each `{SEALED_NAMESPACE}:*` package is a stub,"
            );
            let _ = writeln!(
                out,
                "// written by `patchbay export` to {STUB_DIR}/ beside this recipe{}.",
                if at.is_some() {
                    ""
                } else {
                    " (give its path from the project folder)"
                }
            );
        }
        for c in self.components.iter().filter(|c| c.composite) {
            let _ = writeln!(
                out,
                "// `{PACKAGE_NAMESPACE}:{}` is composite `{}` of the project, composed by Patchbay (`patchbay compose --composite {}`): its binary is written beside {} as {}.",
                c.id,
                c.id,
                c.id,
                if at.is_some() { "this recipe" } else { "a recipe written by `patchbay export` or `patchbay compose --wac`" },
                recipe_binary_path(&c.id).display()
            );
        }
        for c in self
            .components
            .iter()
            .filter(|c| c.binary.is_some() && !c.composite)
        {
            let _ = writeln!(
                out,
                "// `{PACKAGE_NAMESPACE}:{}` is {}, which wac cannot read: its binary is written beside {} as {}.",
                c.id,
                c.path.display(),
                if at.is_some() { "this recipe" } else { "a recipe written by `patchbay export` or `patchbay compose --wac`" },
                recipe_binary_path(&c.id).display()
            );
        }
        let (file, stem) = match at {
            Some(path) => (
                path.file_name().map_or_else(
                    || format!("{}.wac", self.name),
                    |f| f.to_string_lossy().into_owned(),
                ),
                path.file_stem()
                    .map_or_else(|| self.name.clone(), |f| f.to_string_lossy().into_owned()),
            ),
            None => (format!("{}.wac", self.name), self.name.clone()),
        };
        let _ = writeln!(
            out,
            "// Rebuild it from {} with:",
            if at.is_some() {
                "this recipe's folder"
            } else {
                "the project folder"
            }
        );
        let _ = write!(out, "//   wac compose {file}");
        for c in &self.components {
            let path = match (recipe_dir, &c.binary) {
                (Some(_), Some(_)) => recipe_binary_path(&c.id),
                (None, _) if c.composite => recipe_binary_path(&c.id),
                (Some(dir), None) => relative_to(&project_dir.join(&c.path), dir),
                (None, _) => c.path.clone(),
            };
            let _ = write!(
                out,
                " \\\n//     --dep {PACKAGE_NAMESPACE}:{}={}",
                c.id,
                path.display()
            );
        }
        for (name, path) in &self.stubs {
            let _ = write!(out, " \\\n//     --dep {SEALED_NAMESPACE}:{name}={path}");
        }
        let _ = writeln!(out, " \\\n//     -o {stem}.wasm");
        out
    }
}

/// `path` as seen from `dir` (both made absolute first), or `path` itself.
fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    pathdiff::diff_paths(absolute(path), absolute(dir)).unwrap_or_else(|| path.to_path_buf())
}

/// The folder a sealed export writes its stubs to.
const STUB_DIR: &str = crate::seal::STUB_FOLDER;

/// Where the packages of `ws`'s recipe (with `extra` stubs) come from.
pub(crate) fn recipe_sources(ws: &Workspace, extra: &[ExtraInstance<'_>]) -> RecipeSources {
    let project = ws.project();
    let components = project
        .components
        .iter()
        .filter(|(id, _)| project.nodes.values().any(|n| n.component == **id))
        .map(|(id, component)| RecipeComponent {
            id: id.to_string(),
            path: component.path.clone(),
            binary: ws.part(id).and_then(|p| p.as_ref().ok()).and_then(|p| {
                (p.loaded.kind != patchbay_inspect::SourceKind::Component)
                    .then(|| p.loaded.bytes.clone())
            }),
            composite: false,
        })
        .chain(
            project
                .composites
                .keys()
                .filter(|name| project.nodes.values().any(|n| n.component == **name))
                .map(|name| RecipeComponent {
                    id: name.to_string(),
                    path: PathBuf::new(),
                    binary: ws
                        .composite_part(name)
                        .and_then(|p| p.as_ref().ok())
                        .map(|p| p.loaded.bytes.clone()),
                    composite: true,
                }),
        )
        .collect();
    RecipeSources {
        name: project.name.clone(),
        project_file: ws.doc().path.clone(),
        components,
        stubs: extra
            .iter()
            .map(|s| (s.name.to_string(), s.path.clone()))
            .collect(),
    }
}

/// The `.wac` source of the composition with `extra` instances, each
/// satisfying one import of its node.
pub(crate) fn wac_text(ws: &Workspace, extra: &[ExtraInstance<'_>]) -> String {
    let project = ws.project();
    let mut out = recipe_sources(ws, extra).header(None);
    let _ = writeln!(out, "package composition:{};", project.name);

    for node in ws.node_order() {
        let component = &project.nodes[node].component;
        let mut args: Vec<(String, String, String)> = project
            .wires
            .iter()
            .filter(|w| w.to.node == node)
            .map(|w| {
                (
                    w.to.port.clone(),
                    w.from.node.to_string(),
                    w.from.port.clone(),
                )
            })
            .collect();
        for stub in extra.iter().filter(|s| s.node == node) {
            let _ = writeln!(out);
            write_instance(
                &mut out,
                stub.name,
                &format!("{SEALED_NAMESPACE}:{}", stub.name),
                &stub.args,
            );
            for serves in std::iter::once(stub.serves).chain(stub.also.iter().map(String::as_str)) {
                args.push((
                    serves.to_string(),
                    stub.name.to_string(),
                    serves.to_string(),
                ));
            }
        }
        let _ = writeln!(out);
        write_instance(
            &mut out,
            node,
            &format!("{PACKAGE_NAMESPACE}:{component}"),
            &args,
        );
    }

    if !project.exports.is_empty() {
        let _ = writeln!(out);
    }
    for export in &project.exports {
        let _ = write!(
            out,
            "export {}[{}]",
            ident(&export.from.node),
            quoted(&export.from.port)
        );
        if export.export_name() != export.from.port {
            let _ = write!(out, " as {}", quoted(export.export_name()));
        }
        let _ = writeln!(out, ";");
    }
    out
}

/// One `let NAME = new PACKAGE { import: instance["export"], ... };`.
fn write_instance(out: &mut String, name: &str, package: &str, args: &[(String, String, String)]) {
    if args.is_empty() {
        let _ = writeln!(out, "let {} = new {package} {{ ... }};", ident(name));
        return;
    }
    let _ = writeln!(out, "let {} = new {package} {{", ident(name));
    for (import, from, export) in args {
        let _ = writeln!(
            out,
            "  {}: {}[{}],",
            quoted(import),
            ident(from),
            quoted(export)
        );
    }
    let _ = writeln!(out, "  ...\n}};");
}
