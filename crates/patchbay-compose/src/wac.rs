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

/// The `.wac` source of the project's composition.
pub fn wac_source(ws: &Workspace) -> String {
    let project = ws.project();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Composition `{}`, written by Patchbay from {}.",
        project.name,
        ws.doc().path.display()
    );
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
    let _ = writeln!(out, " \\\n//     -o {}.wasm", project.name);
    let _ = writeln!(out, "package composition:{};", project.name);

    for node in ws.node_order() {
        let component = &project.nodes[node].component;
        let wires: Vec<_> = project.wires.iter().filter(|w| w.to.node == node).collect();
        let _ = writeln!(out);
        if wires.is_empty() {
            let _ = writeln!(
                out,
                "let {} = new {PACKAGE_NAMESPACE}:{component} {{ ... }};",
                ident(node)
            );
        } else {
            let _ = writeln!(
                out,
                "let {} = new {PACKAGE_NAMESPACE}:{component} {{",
                ident(node)
            );
            for w in wires {
                let _ = writeln!(
                    out,
                    "  {}: {}[{}],",
                    quoted(&w.to.port),
                    ident(&w.from.node),
                    quoted(&w.from.port)
                );
            }
            let _ = writeln!(out, "  ...\n}};");
        }
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
