//! Graph to WAC text: the `.wac` recipe that rebuilds a composition.
//!
//! wac has a parser but no printer for composition graphs, so the source is
//! written here from the project, which holds the same graph: one `let` per
//! node in dependency order, a named argument per wire, `...` so unwired
//! imports become imports of the result (as wac-graph does when encoding),
//! and one `export` per composition export.

use crate::{Workspace, PACKAGE_NAMESPACE};
use std::fmt::Write;

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
    /// Its own arguments: import name, and the instance and export feeding it.
    pub args: Vec<(String, String, String)>,
}

/// The namespace of deny stubs' packages in a sealed recipe.
pub(crate) const SEALED_NAMESPACE: &str = "sealed";

/// The `.wac` source of the project's composition.
pub fn wac_source(ws: &Workspace) -> String {
    wac_text(ws, &[])
}

/// The `.wac` source of the composition with `extra` instances, each
/// satisfying one import of its node.
pub(crate) fn wac_text(ws: &Workspace, extra: &[ExtraInstance<'_>]) -> String {
    let project = ws.project();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Composition `{}`, written by Patchbay from {}.",
        project.name,
        ws.doc().path.display()
    );
    if !extra.is_empty() {
        let _ = writeln!(
            out,
            "// Its denials are sealed in: each `{SEALED_NAMESPACE}:*` package is a deny stub,"
        );
        let _ = writeln!(
            out,
            "// written by `patchbay export` beside this recipe (give its path from the project folder)."
        );
    }
    let _ = writeln!(out, "// Rebuild it from the project folder with:");
    let _ = write!(out, "//   wac compose {}.wac", project.name);
    for (id, component) in &project.components {
        if project.nodes.values().any(|n| n.component == *id) {
            let _ = write!(
                out,
                " \\\n//     --dep {PACKAGE_NAMESPACE}:{id}={}",
                component.path.display()
            );
        }
    }
    for stub in extra {
        let _ = write!(
            out,
            " \\\n//     --dep {SEALED_NAMESPACE}:{}={}",
            stub.name, stub.path
        );
    }
    let _ = writeln!(out, " \\\n//     -o {}.wasm", project.name);
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
            args.push((
                stub.serves.to_string(),
                stub.name.to_string(),
                stub.serves.to_string(),
            ));
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
