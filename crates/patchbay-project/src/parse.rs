//! Reading project text: [`parse`] tells the file's version apart, refuses
//! a newer one, upgrades versions 0 and 1 step by step (`v0` → `v1` →
//! `v2`) and converts the rest to the model.

use crate::error::{FileProblem, ProjectError};
use crate::file;
use crate::from_file::from_file;
use crate::model::Project;
use crate::place::{find, line_col, shown_message};
use std::path::Path;

/// The project file version this build writes.
pub const CURRENT_VERSION: u32 = 2;

/// Parses project text; `path` is only used in error messages. Returns the
/// project and, if the text was version 0, that version. A version-1 file is
/// upgraded too, but not reported: version 2 only adds composites, so a
/// version-1 file means exactly what it says and needs no saving.
pub fn parse(text: &str, path: &Path) -> Result<(Project, Option<u32>), ProjectError> {
    let syntax = |e: toml::de::Error| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ProjectError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: shown_message(e.message().trim_end()),
        }
    };
    let probe: file::VersionProbe = toml::from_str(text).map_err(syntax)?;
    let (v2, upgraded_from) = match probe.version {
        None => {
            let v0: file::v0::ProjectFile = toml::from_str(text).map_err(syntax)?;
            // Without `version`, a file is version 0 only if it has what a
            // version-0 project had; otherwise (an empty file, comments,
            // a lone `name`) it is no project, and upgrading it would
            // compose an empty component.
            if v0.components.is_empty()
                && v0.nodes.is_empty()
                && v0.connections.is_empty()
                && v0.exports.is_empty()
            {
                return Err(ProjectError::Invalid {
                    path: path.to_path_buf(),
                    problems: vec![FileProblem {
                        line: None,
                        column: None,
                        message: format!(
                            "the project file is empty: a Patchbay project needs `version = {CURRENT_VERSION}`, a `name`, and the [components] and [nodes] it is made of"
                        ),
                    }],
                });
            }
            (upgrade_v1(upgrade_v0(v0, path)), Some(0))
        }
        Some(toml::Value::Integer(1)) => (upgrade_v1(toml::from_str(text).map_err(syntax)?), None),
        Some(toml::Value::Integer(2)) => (toml::from_str(text).map_err(syntax)?, None),
        Some(toml::Value::Integer(n)) if n > CURRENT_VERSION as i64 => {
            return Err(ProjectError::TooNew {
                path: path.to_path_buf(),
                found: n,
                supported: CURRENT_VERSION,
            })
        }
        Some(other) => {
            let (line, column) = find(text, "version").unwrap_or((1, 1));
            return Err(ProjectError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "`version` must be {CURRENT_VERSION} (or an older version), found {other}"
                ),
            });
        }
    };
    let project = from_file(v2, text).map_err(|problems| ProjectError::Invalid {
        path: path.to_path_buf(),
        problems,
    })?;
    Ok((project, upgraded_from))
}

fn upgrade_v0(v0: file::v0::ProjectFile, path: &Path) -> file::v1::ProjectFile {
    let name = v0.name.unwrap_or_else(|| {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_lowercase().replace(['_', ' '], "-"))
            .unwrap_or_else(|| "project".into())
    });
    file::v1::ProjectFile {
        version: 1,
        name,
        components: v0.components,
        nodes: v0
            .nodes
            .into_iter()
            .map(|(id, n)| {
                (
                    id,
                    file::v1::NodeEntry {
                        component: n.component,
                        position: file::v1::Position { x: n.x, y: n.y },
                    },
                )
            })
            .collect(),
        wires: v0
            .connections
            .into_iter()
            .map(|c| file::v1::WireEntry {
                from: c.export,
                to: c.import,
            })
            .collect(),
        exports: v0.exports,
        // Version 0 left every unwired import open.
        bindings: [("*.*".to_string(), file::v1::BindingEntry::Leave)]
            .into_iter()
            .collect(),
        fake_nodes: Default::default(),
        presets: Default::default(),
    }
}

/// Version 1 → 2: the same graph, every node naming its component, and no
/// composites.
fn upgrade_v1(v1: file::v1::ProjectFile) -> file::v2::ProjectFile {
    file::v2::ProjectFile {
        version: CURRENT_VERSION,
        name: v1.name,
        components: v1.components,
        nodes: v1
            .nodes
            .into_iter()
            .map(|(id, n)| {
                (
                    id,
                    file::v2::NodeEntry {
                        component: Some(n.component),
                        composite: None,
                        position: n.position,
                    },
                )
            })
            .collect(),
        wires: v1.wires,
        exports: v1.exports,
        bindings: v1.bindings,
        fake_nodes: v1.fake_nodes,
        presets: v1.presets,
        composites: Default::default(),
    }
}
