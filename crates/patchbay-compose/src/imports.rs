//! How the imports nodes leave unwired become the composition's imports.
//!
//! wac-graph merges them by name when it encodes: the same import of several
//! nodes becomes one import, and semver-compatible versions of an interface
//! (`wasi:io/streams@0.2.6` and `@0.2.12`) become one import under the
//! highest version, provided their types merge. [`Workspace::open_imports`]
//! runs wac-types' own aggregator in the same order the encoder does, so
//! `check` finds the imports that would not merge (naming both nodes), and
//! the host knows which nodes stand behind each import of the composition.

use crate::{PortSummary, Workspace};
use indexmap::IndexMap;
use wac_graph::types::{ItemKind, SubtypeChecker, TypeAggregator, Types};

/// One import a node leaves unwired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenImport {
    /// The node.
    pub node: String,
    /// The import, as the node's component names it.
    pub name: String,
}

/// Two nodes leave imports unwired that the composition cannot import once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportConflict {
    /// The earlier node's import (in instantiation order).
    pub first: OpenImport,
    /// The later node's import.
    pub second: OpenImport,
    /// wac-types' reason.
    pub reason: String,
}

/// The composition's imports and the node imports behind each.
#[derive(Debug, Clone, Default)]
pub struct OpenImports {
    /// Import name in the composition (the highest of semver-compatible
    /// versions) → the node imports it stands for, in instantiation order.
    /// Types a world `use`s are imported too; they are listed here as well.
    pub imports: IndexMap<String, Vec<OpenImport>>,
    /// Imports that do not merge; `compose` refuses these.
    pub conflicts: Vec<ImportConflict>,
}

impl OpenImports {
    /// The import of the composition that `name` of `node` became.
    pub fn composed_name(&self, node: &str, name: &str) -> Option<&str> {
        self.imports
            .iter()
            .find(|(_, members)| members.iter().any(|m| m.node == node && m.name == name))
            .map(|(composed, _)| composed.as_str())
    }
}

/// One aggregated item, kept to rebuild the aggregator after a conflict
/// (aggregating consumes it).
struct Entry<'a> {
    open: OpenImport,
    types: &'a Types,
    kind: ItemKind,
}

fn aggregate<'a>(
    entries: impl IntoIterator<Item = &'a Entry<'a>>,
) -> anyhow::Result<TypeAggregator> {
    let mut cache = Default::default();
    let mut checker = SubtypeChecker::new(&mut cache);
    let mut aggregator = TypeAggregator::default();
    for e in entries {
        aggregator = aggregator.aggregate(&e.open.name, e.types, e.kind, &mut checker)?;
    }
    Ok(aggregator)
}

impl Workspace {
    /// Merges the imports every node leaves unwired, as wac-graph does when
    /// it encodes the composition: in instantiation order, with wac-types'
    /// `TypeAggregator`. Nodes whose component is unavailable are skipped.
    pub fn open_imports(&self) -> OpenImports {
        let project = self.project();
        let types = self.graph.types();
        let mut kept: Vec<Entry<'_>> = Vec::new();
        let mut conflicts = Vec::new();
        let mut cache = Default::default();
        let mut checker = SubtypeChecker::new(&mut cache);
        let mut aggregator = TypeAggregator::default();
        for node in self.node_order() {
            let Some(part) = self.node_part(node) else {
                continue;
            };
            let world = self.package_world(part);
            for (name, kind) in &world.imports {
                if project.wire_into(node, name).is_some() {
                    continue;
                }
                let entry = Entry {
                    open: OpenImport {
                        node: node.to_string(),
                        name: name.clone(),
                    },
                    types,
                    kind: *kind,
                };
                match aggregator.aggregate(name, types, *kind, &mut checker) {
                    Ok(next) => {
                        aggregator = next;
                        kept.push(entry);
                    }
                    Err(error) => {
                        conflicts.push(conflict_with(&kept, entry, &error));
                        // The aggregator is gone with the error: rebuild it
                        // from what merged so far.
                        aggregator = aggregate(&kept).unwrap_or_default();
                    }
                }
            }
        }
        let mut imports: IndexMap<String, Vec<OpenImport>> = IndexMap::new();
        for e in &kept {
            let composed = aggregator.canonical_import_name(&e.open.name).to_string();
            imports.entry(composed).or_default().push(e.open.clone());
        }
        OpenImports { imports, conflicts }
    }
}

/// Finds the earlier node import that `entry` does not merge with.
fn conflict_with(kept: &[Entry<'_>], entry: Entry<'_>, error: &anyhow::Error) -> ImportConflict {
    let pairwise = kept.iter().find_map(|earlier| {
        aggregate([earlier, &entry])
            .err()
            .map(|e| (earlier, format!("{e:#}")))
    });
    let base = |name: &str| name.split('@').next().unwrap_or(name).to_string();
    let (first, reason) = match pairwise {
        Some((earlier, reason)) => (earlier.open.clone(), reason),
        None => {
            let earlier = kept
                .iter()
                .find(|e| base(&e.open.name) == base(&entry.open.name))
                .map(|e| e.open.clone())
                .unwrap_or_else(|| entry.open.clone());
            (earlier, format!("{error:#}"))
        }
    };
    ImportConflict {
        first,
        second: entry.open,
        reason,
    }
}

/// What differs between two versions of one port, function by function:
/// `get: func(key: string) -> option<string>` against
/// `get: func(key: string) -> string`. Empty if the functions agree (the
/// difference is then in a resource or a type).
pub(crate) fn function_differences(a: &PortSummary, b: &PortSummary) -> (Vec<String>, Vec<String>) {
    let text = |p: &PortSummary, name: &str| {
        p.functions
            .iter()
            .find(|f| f.name == name)
            .map(|f| format!("{}: {}", f.name, crate::signature(f)))
    };
    let mut names: Vec<&str> = a.function_names();
    for n in b.function_names() {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for name in names {
        let (x, y) = (text(a, name), text(b, name));
        if x != y {
            left.push(x.unwrap_or_else(|| format!("no `{name}`")));
            right.push(y.unwrap_or_else(|| format!("no `{name}`")));
        }
    }
    (left, right)
}
