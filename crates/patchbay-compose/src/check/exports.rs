//! Checks of the `[[exports]]` entries: names the component model
//! accepts, duplicates, and what each export names.

use super::problem::{wire_code, Location, Problem, ProblemCode};
use crate::imports::OpenImports;
use crate::source::Site;
use crate::{WireError, Workspace};
use std::collections::HashMap;
use wac_graph::types::ItemKind;
use wasmparser::names::{ComponentName, ComponentNameKind};

/// Whether `name` can name an export of the composition whose item is
/// `item`, by the component model's rules for export names (wac-graph
/// refuses some when exporting, the validator the rest when encoding).
/// Interface names are kept for interfaces, so the result has WIT.
fn export_name_error(name: &str, item: Option<&ItemKind>) -> Result<ComponentName, String> {
    let parsed = ComponentName::new(name, 0).map_err(|e| {
        format!(
            "`{name}` is not a valid export name ({}); use a kebab-case name such as `handle-request`, or an interface name such as `my:pkg/api`",
            e.message()
        )
    })?;
    match parsed.kind() {
        ComponentNameKind::Label(_) => Ok(parsed),
        ComponentNameKind::Interface(interface) => match item {
            Some(ItemKind::Func(_)) => Err(format!(
                "`{name}` is an interface name, but the export is a function; give it a kebab-case name such as `handle-request`"
            )),
            // The name's grammar admits versions the validator then
            // refuses, such as a major version past u64::MAX.
            _ => match interface.version(None) {
                Ok(_) => Ok(parsed),
                Err(e) => Err(format!(
                    "`{name}` has a version that is not valid semver ({e}); use one such as `@1.0.0`"
                )),
            },
        },
        ComponentNameKind::Constructor(_)
        | ComponentNameKind::Method(_)
        | ComponentNameKind::Static(_) => Err(format!(
            "`{name}` names a resource function, which a composition cannot export on its own; give it a kebab-case name"
        )),
        ComponentNameKind::Hash(_) | ComponentNameKind::Url(_) | ComponentNameKind::Dependency(_) => {
            Err(format!(
                "`{name}` is a hash, URL or dependency name, which cannot name an export; give it a kebab-case name"
            ))
        }
    }
}

impl Workspace {
    /// The problems of the project's exports: names the component model
    /// refuses, duplicates, exports of missing nodes or items, and a
    /// composition that exports nothing.
    pub(super) fn export_problems(&self, open: &OpenImports, problems: &mut Vec<Problem>) {
        let project = self.project();
        let mut names: Vec<(ComponentName, usize)> = Vec::new();
        let mut instances: HashMap<&str, usize> = HashMap::new();
        for (index, export) in project.exports.iter().enumerate() {
            let name = export.export_name();
            let location = Location::Export {
                index,
                name: name.to_string(),
            };
            let entry = Site::keys(["exports"]).index(index);
            let name_site = entry
                .clone()
                .key(if export.name.is_some() { "as" } else { "from" });
            let mut item = None;
            match self.available(&export.from.node) {
                Err(WireError::NodeUnavailable { .. }) => {}
                Err(e) => problems.push(
                    Problem::error(wire_code(&e), location.clone(), e.to_string())
                        .at(entry.clone().key("from")),
                ),
                Ok(part) => match self.package_world(part).exports.get(&export.from.port) {
                    Some(kind) => item = Some(kind),
                    None => {
                        let e = WireError::NoSuchExport {
                            node: export.from.node.to_string(),
                            port: export.from.port.clone(),
                            available: part.exports.iter().map(|p| p.name.clone()).collect(),
                        };
                        problems.push(
                            Problem::error(
                                ProblemCode::NoSuchPort,
                                location.clone(),
                                e.to_string(),
                            )
                            .at(entry.clone().key("from")),
                        );
                    }
                },
            }
            let parsed = match export_name_error(name, item) {
                Ok(parsed) => parsed,
                Err(message) => {
                    problems.push(
                        Problem::error(ProblemCode::InvalidExportName, location, message)
                            .at(name_site),
                    );
                    continue;
                }
            };
            if let Some((first_name, first)) = names.iter().find(|(n, _)| *n == parsed) {
                let first_name = first_name.to_string();
                let from = &project.exports[*first].from;
                let message = if first_name == name {
                    format!(
                        "the composition already exports `{name}` (from `{from}`); give one of them another name with `as`"
                    )
                } else {
                    format!(
                        "`{name}` differs from the export `{first_name}` (from `{from}`) only in letter case, and component names ignore case; give one of them another name with `as`"
                    )
                };
                problems.push(
                    Problem::error(ProblemCode::DuplicateExport, location.clone(), message)
                        .at(name_site.clone()),
                );
            } else {
                names.push((parsed, index));
            }
            // What the composition can export, but WIT cannot describe: one
            // interface that defines types or uses types of another exported
            // twice (from one node under two names, or from two nodes). The WIT decoder
            // takes the second export's types for a second definition.
            if let Some(ItemKind::Instance(id)) = item {
                let interface = &self.graph.types()[*id];
                let typed = !interface.uses.is_empty()
                    || interface
                        .exports
                        .values()
                        .any(|kind| matches!(kind, ItemKind::Type(_)));
                match instances.get(export.from.port.as_str()) {
                    Some(first) if typed => {
                        let first = &project.exports[*first];
                        problems.push(
                            Problem::error(
                                ProblemCode::InterfaceExportedTwice,
                                location.clone(),
                                format!(
                                    "`{}` is the interface `{}`, which the composition already exports as `{}` (from `{}`); WIT cannot describe an interface with types twice, so export it once",
                                    export.from,
                                    export.from.port,
                                    first.export_name(),
                                    first.from
                                ),
                            )
                            .at(name_site.clone()),
                        )
                    }
                    Some(_) => {}
                    None => {
                        instances.insert(export.from.port.as_str(), index);
                    }
                }
            }
            if let (Some(kind), Some(members)) = (item, open.imports.get(name)) {
                if let Some(m) = members
                    .iter()
                    .find(|m| !self.same_type(&m.node, &m.name, *kind))
                {
                    problems.push(
                        Problem::error(
                            ProblemCode::ImportExportConflict,
                            location,
                            format!(
                                "the composition also imports `{name}` (left open by node `{}`), with another type than this export; WIT cannot describe an import and an export of one name with two types, so wire that import or export under another name",
                                m.node
                            ),
                        )
                        .at(name_site),
                    );
                }
            }
        }
        if project.exports.is_empty() && !project.nodes.is_empty() {
            problems.push(Problem::warning(
                ProblemCode::NoExports,
                Location::Project,
                "the composition exports nothing; add an [[exports]] entry so it can be called",
            ));
        }
    }
}
