//! The file types to the model: every entry of a `version = 1` file
//! becomes a domain type, and each malformed entry or broken rule of
//! [`Project::validate`] becomes a [`FileProblem`] placed in the text.

use crate::error::FileProblem;
use crate::id::{ComponentId, NodeId};
use crate::model::*;
use crate::place::{find, find_preset, needle};
use crate::{file, model};
use std::path::PathBuf;

pub(crate) fn from_file(f: file::v1::ProjectFile, text: &str) -> Result<Project, Vec<FileProblem>> {
    use file::v1::*;
    let mut problems = Vec::new();
    let mut problem = |needle: &str, message: String| {
        let at = find(text, needle);
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

    let mut nodes = indexmap::IndexMap::new();
    for (id, n) in f.nodes {
        let node_id = match NodeId::new(id.as_str()) {
            Ok(node_id) => node_id,
            Err(e) => {
                let place = crate::Place::Node { id, field: None };
                problem(&needle(&place), format!("node {e}"));
                continue;
            }
        };
        let component = match ComponentId::new(n.component.as_str()) {
            Ok(component) => component,
            Err(e) => {
                problem(
                    &format!("\"{}\"", n.component),
                    format!("node `{node_id}`: `component` names no component: {e}"),
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

    let mut wires = Vec::new();
    for (i, w) in f.wires.iter().enumerate() {
        match (PortRef::parse(&w.from), PortRef::parse(&w.to)) {
            (Ok(from), Ok(to)) => wires.push(Wire { from, to }),
            (from, to) => {
                for (side, text_value, r) in [("from", &w.from, from), ("to", &w.to, to)] {
                    if let Err(e) = r {
                        problem(
                            &format!("\"{text_value}\""),
                            format!("wire {} `{side}`: {e}", i + 1),
                        );
                    }
                }
            }
        }
    }

    let mut exports = Vec::new();
    for e in f.exports {
        match PortRef::parse(&e.from) {
            Ok(from) => exports.push(ExportDecl {
                from,
                name: e.as_name,
            }),
            Err(msg) => problem(&format!("\"{}\"", e.from), format!("export: {msg}")),
        }
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
