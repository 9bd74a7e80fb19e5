//! The file types to the model: every entry of a `version = 1` file
//! becomes a domain type, and each malformed entry or broken rule of
//! [`Project::validate`] becomes a [`FileProblem`] placed in the text.

use crate::error::FileProblem;
use crate::id::{ComponentId, NodeId};
use crate::model::*;
use crate::place::{find_needle, find_preset, needle};
use crate::{file, model};
use std::path::PathBuf;

pub(crate) fn from_file(f: file::v2::ProjectFile, text: &str) -> Result<Project, Vec<FileProblem>> {
    use file::v2::*;
    let mut problems = Vec::new();
    let mut problem = |needle: &str, message: String| {
        let at = find_needle(text, needle);
        problems.push(FileProblem {
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            message,
        });
    };

    let mut components = indexmap::IndexMap::new();
    for (id, c) in f.components {
        let id = match ComponentId::new(id.as_str()) {
            Ok(id) => id,
            Err(e) => {
                let place = crate::Place::Component { id, field: None };
                problem(&needle(&place), format!("component {e}"));
                continue;
            }
        };
        components.insert(
            id,
            ComponentRef {
                path: PathBuf::from(c.path),
                build: c.build.filter(|b| !b.trim().is_empty()),
                watch: c.watch.into_iter().map(PathBuf::from).collect(),
                hash: c.hash,
            },
        );
    }

    let composite_names: Vec<String> = f.composites.keys().cloned().collect();
    let top = |place: crate::Place| place;
    let nodes = nodes_from_file(f.nodes, &composite_names, &top, &mut problem);
    let wires = wires_from_file(&f.wires, &top, &mut problem);
    let exports = exports_from_file(f.exports, &top, &mut problem);

    let mut composites = indexmap::IndexMap::new();
    for (name, c) in f.composites {
        let id = match ComponentId::new(name.as_str()) {
            Ok(id) => id,
            Err(e) => {
                let place = crate::Place::Composite { name, inner: None };
                problem(&needle(&place), format!("composite {e}"));
                continue;
            }
        };
        let inside = |place: crate::Place| crate::Place::Composite {
            name: name.clone(),
            inner: Some(Box::new(place)),
        };
        let composite = Composite {
            nodes: nodes_from_file(c.nodes, &composite_names, &inside, &mut problem),
            wires: wires_from_file(&c.wires, &inside, &mut problem),
            exports: exports_from_file(c.exports, &inside, &mut problem),
        };
        composites.insert(id, composite);
    }

    let mut bindings = indexmap::IndexMap::new();
    for (key, b) in f.bindings {
        let selector = match ImportSelector::parse(&key) {
            Ok(s) => s,
            Err(msg) => {
                problem(&key, msg);
                continue;
            }
        };
        let binding = match b {
            BindingEntry::Leave => Binding::Leave,
            BindingEntry::Deny => Binding::Deny,
            BindingEntry::Grant(g) => match grant_from_file(g) {
                Ok(g) => Binding::Grant(g),
                Err(msg) => {
                    problem(&key, format!("binding `{}`: {msg}", shown(&key)));
                    continue;
                }
            },
            BindingEntry::Mock(m) => match mock_from_file(m) {
                Ok(m) => Binding::Mock(m),
                Err(msg) => {
                    problem(&key, format!("binding `{}`: {msg}", shown(&key)));
                    continue;
                }
            },
        };
        bindings.insert(selector, binding);
    }

    let mut fake_nodes = indexmap::IndexMap::new();
    for (name, entry) in f.fake_nodes {
        match Fake::from_name(&name) {
            Some(fake) => {
                fake_nodes.insert(
                    fake,
                    model::Position {
                        x: entry.position.x,
                        y: entry.position.y,
                    },
                );
            }
            None => {
                let known: Vec<_> = Fake::ALL.iter().map(|f| f.name()).collect();
                problem(
                    &name,
                    format!(
                        "fake-nodes: unknown fake `{}`; the built-in fakes are {}",
                        shown(&name),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    let project = Project {
        name: f.name,
        components,
        composites,
        nodes,
        wires,
        exports,
        bindings,
        fake_nodes,
        presets: f.presets,
    };
    // The document's own rules, the same ones the editor's save applies.
    let mut placed = Vec::new();
    for invalid in project.validate() {
        match &invalid.place {
            // A preset's name may be written elsewhere too: look for it
            // after its function's table.
            crate::Place::Preset { function, name } => {
                let at = find_preset(text, function, name);
                placed.push(FileProblem {
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                    message: invalid.message,
                });
            }
            place => problem(&needle(place), invalid.message),
        }
    }
    problems.extend(placed);
    if problems.is_empty() {
        Ok(project)
    } else {
        // Compiler order: by place in the file, unplaced ones last.
        problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
        Err(problems)
    }
}

/// The problem sink of [`from_file`]: a needle to place and a message.
type Sink<'a> = dyn FnMut(&str, String) + 'a;

/// Node entries (of the top level or of a composite, as `place` wraps its
/// places) to the model: each names exactly one of a component or a
/// composite, and `composite = …` a composite the file defines.
fn nodes_from_file(
    entries: indexmap::IndexMap<String, file::v2::NodeEntry>,
    composites: &[String],
    place: &dyn Fn(crate::Place) -> crate::Place,
    problem: &mut Sink<'_>,
) -> indexmap::IndexMap<NodeId, Node> {
    let mut nodes = indexmap::IndexMap::new();
    for (id, n) in entries {
        let node_id = match NodeId::new(id.as_str()) {
            Ok(node_id) => node_id,
            Err(e) => {
                let at = place(crate::Place::Node {
                    id: id.clone(),
                    field: None,
                });
                problem(&needle(&at), format!("node {e}"));
                continue;
            }
        };
        let at = needle(&place(crate::Place::Node {
            id: id.clone(),
            field: None,
        }));
        let (key, named) = match (n.component, n.composite) {
            (Some(c), None) => ("component", c),
            (None, Some(c)) => {
                if !composites.contains(&c) {
                    problem(
                        &at,
                        format!(
                            "node `{node_id}`: `composite = \"{}\"` names no composite; define it as [composites.{}]",
                            shown(&c),
                            shown(&c)
                        ),
                    );
                    continue;
                }
                ("composite", c)
            }
            (Some(_), Some(_)) => {
                problem(
                    &at,
                    format!("node `{node_id}` has both `component` and `composite`; a node instantiates one of them"),
                );
                continue;
            }
            (None, None) => {
                problem(
                    &at,
                    format!("node `{node_id}` needs `component = \"…\"` or `composite = \"…\"`"),
                );
                continue;
            }
        };
        if key == "component" && composites.contains(&named) {
            problem(
                &at,
                format!(
                    "node `{node_id}`: `{}` is a composite; write `composite = \"{}\"`",
                    shown(&named),
                    shown(&named)
                ),
            );
            continue;
        }
        let component = match ComponentId::new(named.as_str()) {
            Ok(component) => component,
            Err(e) => {
                problem(
                    &format!("\"{named}\""),
                    format!("node `{node_id}`: `{key}` names no {key}: {e}"),
                );
                continue;
            }
        };
        nodes.insert(
            node_id,
            Node {
                component,
                position: model::Position {
                    x: n.position.x,
                    y: n.position.y,
                },
            },
        );
    }
    nodes
}

fn wires_from_file(
    entries: &[file::v2::WireEntry],
    place: &dyn Fn(crate::Place) -> crate::Place,
    problem: &mut Sink<'_>,
) -> Vec<Wire> {
    let mut wires = Vec::new();
    for (i, w) in entries.iter().enumerate() {
        match (PortRef::parse(&w.from), PortRef::parse(&w.to)) {
            (Ok(from), Ok(to)) => wires.push(Wire { from, to }),
            (from, to) => {
                for (side, text_value, r) in [("from", &w.from, from), ("to", &w.to, to)] {
                    if let Err(e) = r {
                        let at = place(crate::Place::Wire {
                            index: i,
                            side,
                            port: text_value.clone(),
                        });
                        problem(&needle(&at), format!("wire {} `{side}`: {e}", i + 1));
                    }
                }
            }
        }
    }
    wires
}

fn exports_from_file(
    entries: Vec<file::v2::ExportEntry>,
    place: &dyn Fn(crate::Place) -> crate::Place,
    problem: &mut Sink<'_>,
) -> Vec<ExportDecl> {
    let mut exports = Vec::new();
    for (index, e) in entries.into_iter().enumerate() {
        match PortRef::parse(&e.from) {
            Ok(from) => exports.push(ExportDecl {
                from,
                name: e.as_name,
            }),
            Err(msg) => {
                let at = place(crate::Place::Export {
                    index,
                    port: e.from.clone(),
                });
                problem(&needle(&at), format!("export: {msg}"));
            }
        }
    }
    exports
}

fn grant_from_file(g: file::v1::GrantEntry) -> Result<Grant, String> {
    use file::v1::{ClockEntry, RandomEntry};
    let mut dirs = Vec::new();
    for d in g.dirs {
        dirs.push(DirGrant {
            host: PathBuf::from(d.host),
            guest: d.guest,
            writable: d.writable,
        });
    }
    let allow = g
        .allow
        .iter()
        .map(|a| HostPort::parse(a).map_err(|e| format!("`allow`: {e}")))
        .collect::<Result<_, _>>()?;
    let clock = match g.clock {
        None => None,
        Some(ClockEntry::Named(n)) if n == "real" => Some(ClockSetting::Real),
        Some(ClockEntry::Named(n)) => {
            return Err(format!(
                "`clock = \"{}\"`: expected `\"real\"` or `{{ fixed-unix-ms = … }}`",
                shown(&n)
            ))
        }
        Some(ClockEntry::Fixed { fixed_unix_ms }) => Some(ClockSetting::Fixed {
            unix_ms: fixed_unix_ms,
        }),
    };
    let random = match g.random {
        None => None,
        Some(RandomEntry::Named(n)) if n == "real" => Some(RandomSetting::Real),
        Some(RandomEntry::Named(n)) => {
            return Err(format!(
                "`random = \"{}\"`: expected `\"real\"` or `{{ seed = … }}`",
                shown(&n)
            ))
        }
        Some(RandomEntry::Seeded { seed }) => Some(RandomSetting::Seeded(seed)),
    };
    Ok(Grant {
        env: g.env,
        dirs,
        allow,
        clock,
        random,
        store: g.store.map(PathBuf::from),
        buckets: g.buckets,
        config: g.config,
        config_prefix: g.config_prefix,
    })
}

fn mock_from_file(m: file::v1::MockEntry) -> Result<Mock, String> {
    let fake = match m.fake {
        None => None,
        Some(name) => Some(Fake::from_name(&name).ok_or_else(|| {
            let known: Vec<_> = Fake::ALL.iter().map(|f| f.name()).collect();
            format!(
                "unknown fake `{}`; the built-in fakes are {}",
                shown(&name),
                known.join(", ")
            )
        })?),
    };
    let mut responses = indexmap::IndexMap::new();
    for (url, text) in m.responses {
        let response = CannedResponse::parse(&text)
            .map_err(|e| format!("`responses.\"{}\"`: {e}", shown(&url)))?;
        responses.insert(url, response);
    }
    let mut functions = indexmap::IndexMap::new();
    for (name, f) in m.functions {
        let behavior = match (f.returns, f.sequence.is_empty(), f.cases.is_empty(), f.trap) {
            (Some(v), true, true, None) => MockBehavior::Returns(v),
            (None, false, true, None) => MockBehavior::Sequence(f.sequence),
            (otherwise, true, false, None) => MockBehavior::Match {
                cases: f
                    .cases
                    .into_iter()
                    .map(|c| MockCase {
                        args: c.args,
                        returns: c.returns,
                    })
                    .collect(),
                otherwise,
            },
            (None, true, true, Some(msg)) => MockBehavior::Trap(msg),
            (None, true, true, None) => {
                return Err(format!(
                    "function `{}` needs one of `returns`, `sequence`, `cases` or `trap`",
                    shown(&name)
                ))
            }
            _ => {
                return Err(format!(
                    "function `{}` mixes `returns`, `sequence`, `cases` and `trap`; use one (`returns` may go with `cases` as the fallback)",
                    shown(&name)
                ))
            }
        };
        functions.insert(name, behavior);
    }
    Ok(Mock {
        fake,
        functions,
        values: m.values,
        responses,
    })
}
