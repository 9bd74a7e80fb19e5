//! Target (b): check and compose on structurally mutated projects.
//!
//! The bases are the sample projects and the compose fixtures, with every
//! component path rewritten relative to the repository root. A mutation
//! renames nodes, drops and adds wires (mostly between real ports, so the
//! type checks run), adds nodes of other components (the samples and the
//! generated corpus, whose worlds are random), points components at other
//! or broken files, and writes random selectors, binding modes and values,
//! and export names. The input is the mutated project as `patchbay.toml`
//! text, so a finding is a file anyone can open.

use crate::mutate::INTERESTING_STRINGS;
use crate::rng::Rng;
use crate::seeds;
use indexmap::IndexMap;
use patchbay_compose::{Problem, Workspace, PACKAGE_NAMESPACE};
use patchbay_project::{
    Binding, CannedResponse, ClockSetting, ComponentId, ComponentRef, DirGrant, ExportDecl, Fake,
    Grant, HostPort, ImportSelector, LoadedProject, Mock, MockBehavior, MockCase, Node, NodeId,
    PortRef, Position, Project, RandomSetting, Wire,
};
use std::path::{Path, PathBuf};
use wac_graph::types::BorrowedPackageKey;

mod check;
mod gen;

pub(super) use check::execute;
use check::*;
use gen::*;

/// Ids that collide with each other, with the samples' ids, and with WAC
/// keywords (the `.wac` writer must escape them).
const IDS: &[&str] = &[
    "a",
    "b",
    "memory",
    "service",
    "cache",
    "orders",
    "tax",
    "invoice",
    "validator",
    "let",
    "export",
    "import",
    "new",
    "with",
    "package",
    "use",
    "node-b",
    "wasi",
    "x1",
];

/// WAVE values of many shapes, right and wrong for any type.
const WAVE: &[&str] = &[
    "0",
    "1",
    "-1",
    "4294967296",
    "\"v\"",
    "\"\"",
    "true",
    "none",
    "some(\"v\")",
    "ok(\"v\")",
    "err(\"no\")",
    "[]",
    "[1, 2]",
    "{a: 1}",
    "(\"k\")",
    "('c')",
    "1.5",
    "nan",
    "some(",
    "🦀",
];

/// What a component of the pool offers.
#[derive(Debug, Clone)]
struct PoolComponent {
    /// Path relative to the repository root.
    path: String,
    imports: Vec<(String, Vec<String>)>,
    exports: Vec<String>,
}

/// The bases and the component pool.
pub(super) struct World {
    bases: Vec<Project>,
    pool: Vec<PoolComponent>,
}

impl World {
    /// Loads the base projects and reads the ports of every pool component.
    pub(super) fn load(root: &Path, extra: &[PathBuf]) -> Result<Self, String> {
        let mut bases = Vec::new();
        let mut paths: Vec<String> = Vec::new();
        for seed in seeds::project_seeds(root) {
            let file = root.join(&seed.name);
            let Ok(doc) = patchbay_project::load(&file) else {
                continue;
            };
            let mut project = doc.project.clone();
            for component in project.components.values_mut() {
                let rel = seeds::relative_to(root, &doc.resolve(&component.path));
                component.path = PathBuf::from(&rel);
                paths.push(rel);
            }
            bases.push(project);
        }
        if bases.is_empty() {
            return Err(format!("no base project loads under {}", root.display()));
        }
        for seed in seeds::component_seeds(root, extra) {
            paths.push(seed.name);
        }
        paths.sort();
        paths.dedup();
        // One workspace reads every candidate once.
        let mut probe = Project {
            name: "pool".into(),
            ..Project::default()
        };
        for (i, path) in paths.iter().enumerate() {
            probe.components.insert(
                ComponentId::new(format!("c{i}")).expect("`c` and digits is kebab-case"),
                ComponentRef {
                    path: PathBuf::from(path),
                    ..ComponentRef::default()
                },
            );
        }
        let ws = Workspace::open(virtual_doc(root, probe));
        let mut pool = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let ports = match ws.part(&format!("c{i}")) {
                Some(Ok(part)) => {
                    // Function names as mocks name them, from the WIT.
                    let functions = |name: &str| -> Vec<String> {
                        part.info()
                            .ok()
                            .and_then(|info| info.import(name))
                            .map(|port| port.functions.iter().map(|f| f.name.clone()).collect())
                            .unwrap_or_default()
                    };
                    Some((
                        part.imports
                            .iter()
                            .map(|p| (p.name.clone(), functions(&p.name)))
                            .collect(),
                        part.exports.iter().map(|p| p.name.clone()).collect(),
                    ))
                }
                _ => None,
            };
            if let Some((imports, exports)) = ports {
                pool.push(PoolComponent {
                    path: path.clone(),
                    imports,
                    exports,
                });
            }
        }
        // Files that are not components, or not there.
        for path in [
            "crates/patchbay-fuzz/Cargo.toml",
            "samples",
            "no/such/file.wasm",
        ] {
            pool.push(PoolComponent {
                path: path.into(),
                imports: Vec::new(),
                exports: Vec::new(),
            });
        }
        Ok(Self { bases, pool })
    }

    /// How many base projects there are.
    pub(super) fn base_count(&self) -> usize {
        self.bases.len()
    }

    /// The first iterations are the bases unchanged; then 1 to 6 stacked
    /// mutations of a random base.
    pub(super) fn generate(&self, rng: &mut Rng, iteration: u64) -> Vec<u8> {
        if let Some(base) = self.bases.get(iteration as usize) {
            return patchbay_project::to_toml(base).into_bytes();
        }
        let mut project = rng.pick(&self.bases).cloned().unwrap_or_default();
        for _ in 0..rng.between(1, 6) {
            self.mutate(rng, &mut project);
        }
        if rng.chance(1, 2) {
            self.bind_unbound(rng, &mut project);
        }
        patchbay_project::to_toml(&project).into_bytes()
    }

    fn ports_of(&self, project: &Project, node: &str) -> Option<&PoolComponent> {
        let component = &project.nodes.get(node)?.component;
        let path = project.components.get(component)?.path.to_string_lossy();
        self.pool.iter().find(|c| c.path == path)
    }

    fn random_node(&self, rng: &mut Rng, project: &Project) -> NodeId {
        let nodes: Vec<&NodeId> = project.nodes.keys().collect();
        match rng.pick(&nodes) {
            Some(n) if !rng.chance(1, 12) => (*n).clone(),
            _ => new_node_id(rng),
        }
    }

    /// A port of `node`: mostly a real export (or import), sometimes a
    /// near miss or an interesting string.
    fn random_port(&self, rng: &mut Rng, project: &Project, node: &str, export: bool) -> String {
        let names: Vec<String> = match self.ports_of(project, node) {
            Some(c) if export => c.exports.clone(),
            Some(c) => c.imports.iter().map(|(n, _)| n.clone()).collect(),
            None => Vec::new(),
        };
        match rng.pick(&names) {
            Some(name) if !rng.chance(1, 8) => name.clone(),
            Some(name) if rng.chance(1, 2) => near_miss(rng, name),
            _ => nonempty_string(rng),
        }
    }

    fn mutate(&self, rng: &mut Rng, p: &mut Project) {
        match rng.below(16) {
            // Rename a node, usually following it in wires, exports, bindings.
            0 => {
                if let Some(old) = p.nodes.keys().nth(rng.below(p.nodes.len())).cloned() {
                    let new = new_node_id(rng);
                    if let Some(node) = p.nodes.shift_remove(&old) {
                        p.nodes.insert(new.clone(), node);
                        if rng.chance(3, 4) {
                            rename_references(p, &old, &new);
                        }
                    }
                }
            }
            1 if !p.wires.is_empty() => {
                p.wires.remove(rng.below(p.wires.len()));
            }
            2 | 3 => {
                let from = self.random_node(rng, p);
                let port = self.random_port(rng, p, &from, true);
                // Prefer a node that imports the same name: that wire may
                // type-check.
                let takers: Vec<NodeId> = p
                    .nodes
                    .keys()
                    .filter(|n| {
                        self.ports_of(p, n)
                            .is_some_and(|c| c.imports.iter().any(|(i, _)| *i == port))
                    })
                    .cloned()
                    .collect();
                let (to, to_port) = match rng.pick(&takers) {
                    Some(t) if rng.chance(3, 4) => (t.clone(), port.clone()),
                    _ => {
                        let to = self.random_node(rng, p);
                        let to_port = self.random_port(rng, p, &to, false);
                        (to, to_port)
                    }
                };
                p.wires.push(Wire {
                    from: PortRef::new(from, port),
                    to: PortRef::new(to, to_port),
                });
            }
            4 if !p.wires.is_empty() => {
                let i = rng.below(p.wires.len());
                if rng.chance(1, 2) {
                    let node = self.random_node(rng, p);
                    let port = self.random_port(rng, p, &node, true);
                    p.wires[i].from = PortRef::new(node, port);
                } else {
                    let node = self.random_node(rng, p);
                    let port = self.random_port(rng, p, &node, false);
                    p.wires[i].to = PortRef::new(node, port);
                }
            }
            5 if !p.wires.is_empty() => {
                // Wired twice, or backwards (a cycle).
                let w = p.wires[rng.below(p.wires.len())].clone();
                if rng.chance(1, 2) {
                    p.wires.push(w);
                } else {
                    p.wires.push(Wire {
                        from: PortRef::new(w.to.node, w.from.port),
                        to: PortRef::new(w.from.node, w.to.port),
                    });
                }
            }
            6 => {
                // A node of a component already listed, or of a new one.
                let id = new_node_id(rng);
                let components: Vec<ComponentId> = p.components.keys().cloned().collect();
                let component = match rng.pick(&components) {
                    Some(c) if rng.chance(1, 2) => c.clone(),
                    _ if rng.chance(1, 10) => new_component_id(rng),
                    _ => self.add_component(rng, p),
                };
                p.nodes.insert(
                    id,
                    Node {
                        component,
                        position: random_position(rng),
                    },
                );
            }
            7 if !p.nodes.is_empty() => {
                let i = rng.below(p.nodes.len());
                if let Some((id, _)) = p.nodes.shift_remove_index(i) {
                    if rng.chance(2, 3) {
                        p.wires.retain(|w| w.from.node != id && w.to.node != id);
                        p.exports.retain(|e| e.from.node != id);
                    }
                }
            }
            8 if !p.nodes.is_empty() => {
                let i = rng.below(p.nodes.len());
                let components: Vec<ComponentId> = p.components.keys().cloned().collect();
                let component = match rng.pick(&components) {
                    Some(c) if rng.chance(2, 3) => c.clone(),
                    _ => self.add_component(rng, p),
                };
                if let Some((_, node)) = p.nodes.get_index_mut(i) {
                    node.component = component;
                }
            }
            9 if !p.components.is_empty() => {
                let i = rng.below(p.components.len());
                let path = rng.pick(&self.pool).map(|c| c.path.clone());
                let hash = rng.chance(1, 4);
                if let Some((_, component)) = p.components.get_index_mut(i) {
                    if hash {
                        component.hash = Some(format!("sha256:{:016x}", rng.next_u64()));
                    } else if let Some(path) = path {
                        component.path = PathBuf::from(path);
                    }
                }
            }
            10 | 11 => {
                let selector = self.random_selector(rng, p);
                let binding = self.random_binding(rng, p, &selector);
                p.bindings.insert(selector, binding);
            }
            12 if !p.bindings.is_empty() => {
                let i = rng.below(p.bindings.len());
                if rng.chance(1, 2) {
                    p.bindings.shift_remove_index(i);
                } else if let Some((selector, _)) = p.bindings.get_index(i) {
                    let selector = selector.clone();
                    let binding = self.random_binding(rng, p, &selector);
                    p.bindings.insert(selector, binding);
                }
            }
            13 => {
                let node = self.random_node(rng, p);
                let export = !rng.chance(1, 8);
                let port = self.random_port(rng, p, &node, export);
                let name = random_export_name(rng, p);
                p.exports.push(ExportDecl {
                    from: PortRef::new(node, port),
                    name,
                });
            }
            14 if !p.exports.is_empty() => {
                let i = rng.below(p.exports.len());
                match rng.below(3) {
                    0 => {
                        p.exports.remove(i);
                    }
                    _ => p.exports[i].name = random_export_name(rng, p),
                }
            }
            _ => p.name = new_id(rng),
        }
    }

    /// Adds a pool component under a new id (or replaces one with the same
    /// id) and returns the id.
    fn add_component(&self, rng: &mut Rng, p: &mut Project) -> ComponentId {
        let id = new_component_id(rng);
        if let Some(c) = rng.pick(&self.pool) {
            p.components.insert(
                id.clone(),
                ComponentRef {
                    path: PathBuf::from(&c.path),
                    ..ComponentRef::default()
                },
            );
        }
        id
    }

    fn random_selector(&self, rng: &mut Rng, p: &Project) -> ImportSelector {
        let node = if rng.chance(1, 3) {
            None
        } else {
            Some(self.random_node(rng, p))
        };
        let probe = node.clone().unwrap_or_else(|| self.random_node(rng, p));
        let import = self.random_port(rng, p, &probe, false);
        let (import, prefix) = match rng.below(4) {
            0 => {
                // A prefix: cut the name somewhere.
                let cut = import
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(import.chars().count() + 1))
                    .unwrap_or(import.len());
                (import[..cut].to_string(), true)
            }
            1 => ("wasi:".to_string(), true),
            _ => (import, false),
        };
        // `*` may only end a selector, and an exact one names an import.
        let import = import.replace('*', "");
        let prefix = prefix || import.is_empty();
        ImportSelector {
            node,
            import,
            prefix,
        }
    }

    fn random_binding(&self, rng: &mut Rng, p: &Project, selector: &ImportSelector) -> Binding {
        match rng.below(5) {
            0 => Binding::Leave,
            1 => Binding::Deny,
            2 => Binding::Grant(random_grant(rng)),
            _ => {
                // Function names of the selected import when there is one.
                let functions: Vec<String> = selector
                    .node
                    .as_deref()
                    .and_then(|n| self.ports_of(p, n))
                    .and_then(|c| c.imports.iter().find(|(i, _)| *i == selector.import))
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default();
                Binding::Mock(random_mock(rng, &functions))
            }
        }
    }

    /// Binds every unwired import that no selector covers, mostly with
    /// `leave`, so more mutated projects pass `check` and reach `compose`.
    fn bind_unbound(&self, rng: &mut Rng, p: &mut Project) {
        let mut added = Vec::new();
        for node in p.nodes.keys() {
            let Some(c) = self.ports_of(p, node) else {
                continue;
            };
            for (import, _) in &c.imports {
                if p.wire_into(node, import).is_none() && p.binding_for(node, import).is_none() {
                    let binding = match rng.below(6) {
                        0 => Binding::Deny,
                        1 => Binding::Grant(Grant::default()),
                        _ => Binding::Leave,
                    };
                    added.push((ImportSelector::exact(node.clone(), import.clone()), binding));
                }
            }
        }
        p.bindings.extend(added);
    }
}
