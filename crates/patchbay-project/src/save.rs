//! Writing a project: the model to the file types, [`to_toml`],
//! [`to_toml_checked`] (only text that opens again as the same project),
//! and the atomic [`save`], [`write_atomic`] and [`write_output`].

use crate::error::{FileProblem, ProjectError};
use crate::id::NodeId;
use crate::model::*;
use crate::parse::{parse, CURRENT_VERSION};
use crate::paths::path_text;
use crate::{file, write};
use std::path::Path;

/// Renders a project as `patchbay.toml` text in the current version.
pub fn to_toml(project: &Project) -> String {
    let file = to_file(project);
    let body = toml::to_string_pretty(&file).unwrap_or_else(|e| {
        // Every field is a string, number, table or array of those, so
        // serialization cannot fail; keep a readable message if it ever does.
        format!("# could not render project: {e}\n")
    });
    format!("# Patchbay project. Edit freely; Patchbay keeps comments out but keeps your order.\n{body}")
}

/// Renders `project` as `patchbay.toml` text only if that text opens again
/// as the same project: the document follows [`Project::validate`]'s rules
/// and reads back equal. Otherwise [`ProjectError::Invalid`] lists why,
/// naming the entry and field; `path` is only used in the error.
pub fn to_toml_checked(project: &Project, path: &Path) -> Result<String, ProjectError> {
    let invalid = |problems: Vec<FileProblem>| ProjectError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let problems = project.validate();
    if !problems.is_empty() {
        return Err(invalid(
            problems
                .into_iter()
                .map(|p| FileProblem {
                    line: None,
                    column: None,
                    message: p.message,
                })
                .collect(),
        ));
    }
    let text = to_toml(project);
    match parse(&text, path) {
        Ok((back, _)) if back == *project => Ok(text),
        Ok(_) => Err(invalid(vec![FileProblem {
            line: None,
            column: None,
            message: "the project would read back differently from the file it is saved as".into(),
        }])),
        Err(e) => Err(invalid(vec![FileProblem {
            line: None,
            column: None,
            message: format!("the saved file would not open again: {e}"),
        }])),
    }
}

/// Writes `project` to `path` atomically: the text goes to a temporary file
/// in the same folder, is synced, then renamed over `path`. A project that
/// would not open again ([`to_toml_checked`]) is refused, and the file is
/// left as it was.
pub fn save(project: &Project, path: &Path) -> Result<(), ProjectError> {
    let text = to_toml_checked(project, path)?;
    write_atomic(path, text.as_bytes()).map_err(|source| ProjectError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes bytes to `path` through a synced temporary file and a rename, and
/// syncs the folder: the file is either the old or the new content, even
/// after a crash, and saves at the same time take turns (see the crate
/// documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write::replace(path, bytes, true)
}

/// Writes a build output (a composed `.wasm`, `.wac` or `.wit`) like
/// [`write_atomic`], so readers never see half a file and writes at the
/// same time take turns, but without waiting for the disk: outputs can be
/// made again, and the sync costs more than composing a small graph.
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write::replace(path, bytes, false)
}

fn nodes_to_file(
    p: &Project,
    nodes: &indexmap::IndexMap<NodeId, Node>,
) -> indexmap::IndexMap<String, file::v2::NodeEntry> {
    nodes
        .iter()
        .map(|(id, n)| {
            let named = Some(n.component.to_string());
            let composite = p.is_composite(&n.component);
            (
                id.to_string(),
                file::v2::NodeEntry {
                    component: if composite { None } else { named.clone() },
                    composite: if composite { named } else { None },
                    position: file::v2::Position {
                        x: n.position.x,
                        y: n.position.y,
                    },
                },
            )
        })
        .collect()
}

fn wires_to_file(wires: &[Wire]) -> Vec<file::v2::WireEntry> {
    wires
        .iter()
        .map(|w| file::v2::WireEntry {
            from: w.from.to_string(),
            to: w.to.to_string(),
        })
        .collect()
}

fn exports_to_file(exports: &[ExportDecl]) -> Vec<file::v2::ExportEntry> {
    exports
        .iter()
        .map(|e| file::v2::ExportEntry {
            from: e.from.to_string(),
            as_name: e.name.clone(),
        })
        .collect()
}

fn to_file(p: &Project) -> file::v2::ProjectFile {
    use file::v2::*;
    ProjectFile {
        version: CURRENT_VERSION,
        name: p.name.clone(),
        components: p
            .components
            .iter()
            .map(|(id, c)| {
                (
                    id.to_string(),
                    ComponentEntry {
                        path: path_text(&c.path),
                        build: c.build.clone(),
                        watch: c.watch.iter().map(|w| path_text(w)).collect(),
                        hash: c.hash.clone(),
                    },
                )
            })
            .collect(),
        nodes: nodes_to_file(p, &p.nodes),
        wires: wires_to_file(&p.wires),
        exports: exports_to_file(&p.exports),
        bindings: p
            .bindings
            .iter()
            .map(|(sel, b)| (sel.to_string(), binding_to_file(b)))
            .collect(),
        fake_nodes: p
            .fake_nodes
            .iter()
            .map(|(fake, at)| {
                (
                    fake.name().to_string(),
                    FakeNodeEntry {
                        position: Position { x: at.x, y: at.y },
                    },
                )
            })
            .collect(),
        presets: p.presets.clone(),
        composites: p
            .composites
            .iter()
            .map(|(name, c)| {
                (
                    name.to_string(),
                    CompositeEntry {
                        nodes: nodes_to_file(p, &c.nodes),
                        wires: wires_to_file(&c.wires),
                        exports: exports_to_file(&c.exports),
                    },
                )
            })
            .collect(),
    }
}

fn binding_to_file(b: &Binding) -> file::v1::BindingEntry {
    use file::v1::*;
    match b {
        Binding::Leave => BindingEntry::Leave,
        Binding::Deny => BindingEntry::Deny,
        Binding::Grant(g) => BindingEntry::Grant(GrantEntry {
            env: g.env.clone(),
            dirs: g
                .dirs
                .iter()
                .map(|d| DirEntry {
                    host: path_text(&d.host),
                    guest: d.guest.clone(),
                    writable: d.writable,
                })
                .collect(),
            allow: g.allow.iter().map(|a| a.to_string()).collect(),
            clock: g.clock.map(|c| match c {
                ClockSetting::Real => ClockEntry::Named("real".into()),
                ClockSetting::Fixed { unix_ms } => ClockEntry::Fixed {
                    fixed_unix_ms: unix_ms,
                },
            }),
            random: g.random.map(|r| match r {
                RandomSetting::Real => RandomEntry::Named("real".into()),
                RandomSetting::Seeded(seed) => RandomEntry::Seeded { seed },
            }),
            store: g.store.as_deref().map(path_text),
            buckets: g.buckets.clone(),
            config: g.config.clone(),
            config_prefix: g.config_prefix.clone(),
        }),
        Binding::Mock(m) => BindingEntry::Mock(MockEntry {
            fake: m.fake.map(|f| f.name().to_string()),
            functions: m
                .functions
                .iter()
                .map(|(name, b)| {
                    let mut e = MockFunctionEntry::default();
                    match b {
                        MockBehavior::Returns(v) => e.returns = Some(v.clone()),
                        MockBehavior::Sequence(s) => e.sequence = s.clone(),
                        MockBehavior::Match { cases, otherwise } => {
                            e.cases = cases
                                .iter()
                                .map(|c| MockCaseEntry {
                                    args: c.args.clone(),
                                    returns: c.returns.clone(),
                                })
                                .collect();
                            e.returns = otherwise.clone();
                        }
                        MockBehavior::Trap(msg) => e.trap = Some(msg.clone()),
                    }
                    (name.clone(), e)
                })
                .collect(),
            values: m.values.clone(),
            responses: m
                .responses
                .iter()
                .map(|(url, r)| (url.clone(), r.to_string()))
                .collect(),
        }),
    }
}
