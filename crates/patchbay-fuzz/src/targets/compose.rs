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
    Binding, CannedResponse, ClockSetting, ComponentRef, DirGrant, ExportDecl, Fake, Grant,
    HostPort, ImportSelector, Mock, MockBehavior, MockCase, Node, PortRef, Position, Project,
    ProjectDoc, RandomSetting, Wire,
};
use std::path::{Path, PathBuf};
use wac_graph::types::BorrowedPackageKey;

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
                format!("c{i}"),
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

    fn random_node(&self, rng: &mut Rng, project: &Project) -> String {
        let nodes: Vec<&String> = project.nodes.keys().collect();
        match rng.pick(&nodes) {
            Some(n) if !rng.chance(1, 12) => (*n).clone(),
            _ => new_id(rng),
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
                    let new = new_id(rng);
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
                let takers: Vec<String> = p
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
                let id = new_id(rng);
                let components: Vec<String> = p.components.keys().cloned().collect();
                let component = match rng.pick(&components) {
                    Some(c) if rng.chance(1, 2) => c.clone(),
                    _ if rng.chance(1, 10) => new_id(rng),
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
                let components: Vec<String> = p.components.keys().cloned().collect();
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
    fn add_component(&self, rng: &mut Rng, p: &mut Project) -> String {
        let id = new_id(rng);
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

fn rename_references(p: &mut Project, old: &str, new: &str) {
    for w in &mut p.wires {
        for end in [&mut w.from, &mut w.to] {
            if end.node == old {
                end.node = new.to_string();
            }
        }
    }
    for e in &mut p.exports {
        if e.from.node == old {
            e.from.node = new.to_string();
        }
    }
    let bindings = std::mem::take(&mut p.bindings);
    p.bindings = bindings
        .into_iter()
        .map(|(mut s, b)| {
            if s.node.as_deref() == Some(old) {
                s.node = Some(new.to_string());
            }
            (s, b)
        })
        .collect::<IndexMap<_, _>>();
}

/// A kebab-case id: often one that already exists somewhere.
fn new_id(rng: &mut Rng) -> String {
    if rng.chance(2, 3) {
        rng.pick(IDS).copied().unwrap_or("a").to_string()
    } else {
        format!("n{}", rng.below(1000))
    }
}

fn nonempty_string(rng: &mut Rng) -> String {
    let s = rng.pick(INTERESTING_STRINGS).copied().unwrap_or("x");
    if s.is_empty() {
        "x".into()
    } else {
        s.to_string()
    }
}

/// A name close to `name`: another version, cut short, or with a suffix.
fn near_miss(rng: &mut Rng, name: &str) -> String {
    match rng.below(4) {
        0 => match name.split_once('@') {
            Some((base, _)) => format!("{base}@{}.{}.{}", rng.below(3), rng.below(3), rng.below(3)),
            None => format!("{name}@0.1.0"),
        },
        1 => match name.split_once('@') {
            Some((base, _)) => base.to_string(),
            None => format!("{name}-x"),
        },
        2 => name.to_uppercase(),
        _ => format!("{name}{}", nonempty_string(rng)),
    }
}

fn random_position(rng: &mut Rng) -> Position {
    let coord = |rng: &mut Rng| match rng.below(4) {
        0 => 0.0,
        1 => -1e9,
        _ => (rng.below(2000) as f64) - 500.0,
    };
    Position {
        x: coord(rng),
        y: coord(rng),
    }
}

/// No name, a name like an existing export's, or an interesting string.
fn random_export_name(rng: &mut Rng, p: &Project) -> Option<String> {
    match rng.below(4) {
        0 => None,
        1 => p
            .exports
            .get(rng.below(p.exports.len().max(1)))
            .map(|e| e.export_name().to_string())
            .filter(|n| !n.is_empty()),
        _ => Some(nonempty_string(rng)),
    }
}

fn random_grant(rng: &mut Rng) -> Grant {
    let mut grant = Grant::default();
    for _ in 0..rng.below(3) {
        grant.env.push(
            rng.pick(&["HOME", "PATH", "é", "A B", "X_1"])
                .copied()
                .unwrap_or("HOME")
                .into(),
        );
    }
    for _ in 0..rng.below(2) {
        grant.dirs.push(DirGrant {
            host: PathBuf::from(
                rng.pick(&[".", "/tmp", "no/such", "../.."])
                    .copied()
                    .unwrap_or("."),
            ),
            guest: rng
                .pick(&["/", "/data", "/a b", "/é"])
                .copied()
                .unwrap_or("/")
                .into(),
            writable: rng.chance(1, 2),
        });
    }
    for _ in 0..rng.below(3) {
        grant.allow.push(HostPort {
            host: rng
                .pick(&["127.0.0.1", "localhost", "::1", "example.invalid"])
                .copied()
                .unwrap_or("localhost")
                .into(),
            port: rng.next_u64() as u16,
        });
    }
    grant.clock = match rng.below(3) {
        0 => None,
        1 => Some(ClockSetting::Real),
        _ => Some(ClockSetting::Fixed {
            unix_ms: rng.next_u64() >> rng.below(64),
        }),
    };
    grant.random = match rng.below(3) {
        0 => None,
        1 => Some(RandomSetting::Real),
        _ => Some(RandomSetting::Seeded(rng.next_u64())),
    };
    grant
}

fn wave(rng: &mut Rng) -> String {
    rng.pick(WAVE).copied().unwrap_or("0").to_string()
}

fn random_mock(rng: &mut Rng, functions: &[String]) -> Mock {
    let mut mock = Mock {
        fake: if rng.chance(1, 2) {
            rng.pick(&Fake::ALL).copied()
        } else {
            None
        },
        ..Mock::default()
    };
    for _ in 0..rng.below(3) {
        let name = match rng.pick(functions) {
            Some(f) if rng.chance(3, 4) => f.clone(),
            _ => nonempty_string(rng),
        };
        let behavior = match rng.below(4) {
            0 => MockBehavior::Returns(wave(rng)),
            1 => MockBehavior::Sequence((0..rng.between(1, 3)).map(|_| wave(rng)).collect()),
            2 => MockBehavior::Match {
                cases: (0..rng.between(1, 2))
                    .map(|_| MockCase {
                        args: wave(rng),
                        returns: wave(rng),
                    })
                    .collect(),
                otherwise: if rng.chance(1, 2) {
                    Some(wave(rng))
                } else {
                    None
                },
            },
            _ => MockBehavior::Trap(nonempty_string(rng)),
        };
        mock.functions.insert(name, behavior);
    }
    if mock.fake.is_none() && mock.functions.is_empty() {
        mock.fake = Some(Fake::KeyValue);
    }
    for _ in 0..rng.below(2) {
        mock.values
            .insert(nonempty_string(rng), nonempty_string(rng));
    }
    for _ in 0..rng.below(2) {
        mock.responses.insert(
            format!("http://{}/", nonempty_string(rng)),
            CannedResponse {
                status: rng.between(100, 599) as u16,
                body: rng.pick(&["", "ok", "a b"]).copied().unwrap_or("").into(),
            },
        );
    }
    mock
}

/// A project document whose relative paths resolve against `root`.
fn virtual_doc(root: &Path, project: Project) -> ProjectDoc {
    ProjectDoc {
        path: root.join("patchbay.toml"),
        project,
        upgraded_from: None,
    }
}

/// Parses the project (relative paths are relative to the repository
/// root), opens it, and runs what the editor and the CLI run on it: check,
/// every wire's check and candidates, the `.wac` writer, compose. Then the
/// invariants: a green check composes, the composition describes, and its
/// `.wac` parses, resolves and encodes to the same WIT.
pub(super) fn execute(root: &Path, input: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(input);
    let (project, _) = patchbay_project::parse(&text, Path::new("fuzz/patchbay.toml"))
        .map_err(|e| format!("the mutated project does not parse: {e}"))?;
    super::project::round_trip(&project)?;
    let ws = Workspace::open(virtual_doc(root, project));
    let problems = ws.check();
    for wire in &ws.project().wires {
        let _ = ws.check_wire(&wire.from, &wire.to);
        let _ = ws.candidates(&wire.from);
        let _ = ws.candidates(&wire.to);
    }
    let _ = patchbay_compose::wac_source(&ws);
    let green = !problems.iter().any(Problem::is_error);
    match ws.compose() {
        Ok(composed) => {
            if !green {
                return Err(format!(
                    "compose encoded a project that check reports errors for:\n{}",
                    list(&problems)
                ));
            }
            let info = composed
                .describe()
                .map_err(|e| format!("the composition does not describe: {e}"))?;
            wac_round_trip(&ws, &composed.wac, &info.wit)
        }
        Err(errors) if green => Err(format!(
            "check found no error but compose failed:\n{}",
            list(&errors)
        )),
        Err(_) => Ok(()),
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `.wac` written for the composition parses, resolves against the
/// same components, encodes, and has the composition's WIT.
fn wac_round_trip(ws: &Workspace, wac: &str, wit: &str) -> Result<(), String> {
    let doc = wac_parser::Document::parse(wac)
        .map_err(|e| format!("the generated .wac does not parse: {e}\n{wac}"))?;
    let names: Vec<String> = ws
        .project()
        .components
        .keys()
        .map(|id| format!("{PACKAGE_NAMESPACE}:{id}"))
        .collect();
    let mut packages = IndexMap::new();
    for (name, id) in names.iter().zip(ws.project().components.keys()) {
        if let Some(Ok(part)) = ws.part(id) {
            packages.insert(
                BorrowedPackageKey::from_name_and_version(name, None),
                part.loaded.bytes.clone(),
            );
        }
    }
    let resolution = doc
        .resolve(packages)
        .map_err(|e| format!("the generated .wac does not resolve: {e:?}\n{wac}"))?;
    let bytes = resolution
        .encode(wac_graph::EncodeOptions::default())
        .map_err(|e| format!("the generated .wac does not encode: {e:?}\n{wac}"))?;
    let info = patchbay_inspect::describe_component(&bytes, Path::new("<wac>"))
        .map_err(|e| format!("the .wac's composition does not describe: {e}"))?;
    if info.wit != wit {
        return Err(format!(
            "the .wac composes to different WIT:\n--- wac ---\n{}\n--- patchbay ---\n{wit}\n--- .wac ---\n{wac}",
            info.wit
        ));
    }
    Ok(())
}
