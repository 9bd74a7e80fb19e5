//! Whether an export can feed an import, and which ports a wire could reach.

use crate::{Part, Workspace};
use patchbay_project::{PortRef, Wire};
use std::collections::HashSet;
use wac_graph::types::{ItemKind, SubtypeChecker};

/// Which side of a node a port is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// An import (left side).
    Import,
    /// An export (right side).
    Export,
}

/// Why a wire from an export to an import is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WireError {
    /// The wire names a node the project does not have.
    #[error("node `{node}` does not exist")]
    UnknownNode {
        /// The node id.
        node: String,
    },
    /// The node's component could not be loaded, so its ports are unknown.
    #[error("node `{node}` has no ports: its component `{component}` is unavailable")]
    NodeUnavailable {
        /// The node id.
        node: String,
        /// Its component id.
        component: String,
    },
    /// The source node has no such export.
    #[error("node `{node}` has no export `{port}`{}", available_list(available))]
    NoSuchExport {
        /// The node id.
        node: String,
        /// The missing export.
        port: String,
        /// What it exports.
        available: Vec<String>,
    },
    /// The target node has no such import.
    #[error("node `{node}` has no import `{port}`{}", available_list(available))]
    NoSuchImport {
        /// The node id.
        node: String,
        /// The missing import.
        port: String,
        /// What it imports.
        available: Vec<String>,
    },
    /// A node cannot feed itself.
    #[error("node `{node}` cannot be wired to itself")]
    SelfWire {
        /// The node id.
        node: String,
    },
    /// The same interface at versions that semver says are incompatible.
    #[error("`{}` cannot feed `{}`: interface versions {export_version} and {import_version} are not semver-compatible", wire.from, wire.to)]
    IncompatibleVersion {
        /// The refused wire.
        wire: Box<Wire>,
        /// Version of the exported interface.
        export_version: String,
        /// Version of the imported interface.
        import_version: String,
    },
    /// The export's type is not a subtype of the import's type.
    #[error("`{}` cannot feed `{}`: {reason}", wire.from, wire.to)]
    TypeMismatch {
        /// The refused wire.
        wire: Box<Wire>,
        /// What differs, outermost first (function, parameter, field …).
        reason: String,
    },
}

fn available_list(names: &[String]) -> String {
    if names.is_empty() {
        " (it has none)".into()
    } else {
        format!(" (it has {})", names.join(", "))
    }
}

/// A port a wire could connect to.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The port, as `node.port`.
    pub port: String,
    /// Node id.
    pub node: String,
    /// Port name.
    pub name: String,
    /// The side of its node.
    pub direction: Direction,
}

fn wire(from: &PortRef, to: &PortRef) -> Box<Wire> {
    Box::new(Wire {
        from: from.clone(),
        to: to.clone(),
    })
}

/// `ns:pkg/iface` and version of an interface name such as
/// `wasi:io/streams@0.2.6`.
fn split_version(name: &str) -> Option<(&str, semver::Version)> {
    let (base, version) = name.split_once('@')?;
    base.contains('/').then_some(())?;
    Some((base, semver::Version::parse(version).ok()?))
}

/// Semver compatibility as the component model links it: same major, or for
/// `0.x`, same minor.
fn semver_compatible(a: &semver::Version, b: &semver::Version) -> bool {
    if a.major != b.major {
        return false;
    }
    a.major != 0 || a.minor == b.minor
}

impl Workspace {
    pub(crate) fn available(&self, node: &str) -> Result<&Part, WireError> {
        let Some(n) = self.project().nodes.get(node) else {
            return Err(WireError::UnknownNode {
                node: node.to_string(),
            });
        };
        match self.instantiated(&n.component) {
            Some(Ok(part)) => Ok(part),
            _ => Err(WireError::NodeUnavailable {
                node: node.to_string(),
                component: n.component.to_string(),
            }),
        }
    }

    /// Checks whether export `from` can feed import `to`. Uses wac-graph's
    /// subtype check, so a wire accepted here is accepted when composing.
    pub fn check_wire(&self, from: &PortRef, to: &PortRef) -> Result<(), WireError> {
        let source = self.available(&from.node)?;
        let target = self.available(&to.node)?;
        let source_world = self.package_world(source);
        let target_world = self.package_world(target);
        let Some(export_kind) = source_world.exports.get(&from.port) else {
            return Err(WireError::NoSuchExport {
                node: from.node.to_string(),
                port: from.port.clone(),
                available: source_world.exports.keys().cloned().collect(),
            });
        };
        let Some(import_kind) = target_world.imports.get(&to.port) else {
            return Err(WireError::NoSuchImport {
                node: to.node.to_string(),
                port: to.port.clone(),
                available: target.imports.iter().map(|p| p.name.clone()).collect(),
            });
        };
        if from.node == to.node {
            return Err(WireError::SelfWire {
                node: from.node.to_string(),
            });
        }
        if let (Some((eb, ev)), Some((ib, iv))) =
            (split_version(&from.port), split_version(&to.port))
        {
            if eb == ib && !semver_compatible(&ev, &iv) {
                return Err(WireError::IncompatibleVersion {
                    wire: wire(from, to),
                    export_version: ev.to_string(),
                    import_version: iv.to_string(),
                });
            }
        }
        let mut cache = HashSet::new();
        let types = self.graph.types();
        // A function fed to an interface (or the reverse) is said in the
        // user's terms, not the checker's "expected instance, found function".
        if let Some(reason) = kind_mismatch(export_kind, import_kind) {
            return Err(WireError::TypeMismatch {
                wire: wire(from, to),
                reason,
            });
        }
        SubtypeChecker::new(&mut cache)
            .is_subtype(*export_kind, types, *import_kind, types)
            .map_err(|e| WireError::TypeMismatch {
                wire: wire(from, to),
                reason: format!("{e:#}"),
            })
    }

    /// Every port of the project that a wire from `port` could connect to:
    /// for an export, the imports it can feed; for an import, the exports
    /// that can feed it. A port name that is both is treated as the import
    /// if `port.node` imports it.
    pub fn candidates(&self, port: &PortRef) -> Result<Vec<Candidate>, WireError> {
        let part = self.available(&port.node)?;
        let direction = if part.import(&port.port).is_some() {
            Direction::Import
        } else if part.export(&port.port).is_some() {
            Direction::Export
        } else {
            return Err(WireError::NoSuchImport {
                node: port.node.to_string(),
                port: port.port.clone(),
                available: part
                    .imports
                    .iter()
                    .chain(&part.exports)
                    .map(|p| p.name.clone())
                    .collect(),
            });
        };
        let mut found = Vec::new();
        for (node, _) in &self.project().nodes {
            if *node == port.node {
                continue;
            }
            let Ok(other) = self.available(node) else {
                continue;
            };
            let ports = match direction {
                Direction::Import => &other.exports,
                Direction::Export => &other.imports,
            };
            for p in ports {
                let other_ref = PortRef::new(node.clone(), p.name.clone());
                let ok = match direction {
                    Direction::Import => self.check_wire(&other_ref, port),
                    Direction::Export => self.check_wire(port, &other_ref),
                }
                .is_ok();
                if ok {
                    found.push(Candidate {
                        port: other_ref.to_string(),
                        node: node.to_string(),
                        name: p.name.clone(),
                        direction: match direction {
                            Direction::Import => Direction::Export,
                            Direction::Export => Direction::Import,
                        },
                    });
                }
            }
        }
        Ok(found)
    }
}

/// What a port is, in a WIT user's words.
fn kind_words(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Func(_) => "a function",
        ItemKind::Instance(_) => "an interface",
        ItemKind::Type(_) => "a type",
        ItemKind::Component(_) => "a component",
        ItemKind::Module(_) => "a core module",
        ItemKind::Value(_) => "a value",
    }
}

/// Why an export of one kind cannot feed an import of another (a function
/// export into an interface import, say), or `None` when the kinds agree.
fn kind_mismatch(export: &ItemKind, import: &ItemKind) -> Option<String> {
    if std::mem::discriminant(export) == std::mem::discriminant(import) {
        return None;
    }
    Some(format!(
        "the export is {} and the import needs {}; wire {} export to it",
        kind_words(export),
        kind_words(import),
        kind_words(import),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn semver_rules_follow_the_component_model() {
        assert!(semver_compatible(&v("0.2.0"), &v("0.2.6")));
        assert!(semver_compatible(&v("0.2.12"), &v("0.2.0")));
        assert!(!semver_compatible(&v("0.2.0"), &v("0.3.0")));
        assert!(semver_compatible(&v("1.0.0"), &v("1.4.2")));
        assert!(!semver_compatible(&v("1.0.0"), &v("2.0.0")));
    }

    #[test]
    fn only_versioned_interface_names_are_split() {
        assert_eq!(
            split_version("wasi:io/streams@0.2.6"),
            Some(("wasi:io/streams", v("0.2.6")))
        );
        assert_eq!(split_version("patchbay:kv/store"), None);
        assert_eq!(split_version("handle-request"), None);
        assert_eq!(split_version("wasi:io/streams@banana"), None);
    }
}
