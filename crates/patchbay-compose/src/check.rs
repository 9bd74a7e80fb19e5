//! Project checking: every problem, pinned to what it belongs to.

use crate::{PartError, WireError, Workspace};
use patchbay_project::Binding;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The project cannot be composed.
    Error,
    /// The project composes, but something is probably not what was meant.
    Warning,
}

/// What a problem belongs to, so the editor can pin it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// The project as a whole.
    Project,
    /// A component, and the nodes that instantiate it.
    Component {
        /// Component id.
        component: String,
        /// Nodes using it.
        nodes: Vec<String>,
    },
    /// A node.
    Node {
        /// Node id.
        node: String,
    },
    /// One port of a node.
    Port {
        /// Node id.
        node: String,
        /// Import or export name.
        port: String,
    },
    /// A wire, by its position in the project file (0-based).
    Wire {
        /// Index into the project's wires.
        index: usize,
        /// `node.export`.
        from: String,
        /// `node.import`.
        to: String,
    },
    /// A binding, by its selector.
    Binding {
        /// The selector as written (`service.wasi:*`).
        selector: String,
    },
    /// An export of the composition.
    Export {
        /// Index into the project's exports.
        index: usize,
        /// Its name in the composition.
        name: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Project => f.write_str("project"),
            Location::Component { component, .. } => write!(f, "component `{component}`"),
            Location::Node { node } => write!(f, "node `{node}`"),
            Location::Port { node, port } => write!(f, "port `{node}.{port}`"),
            Location::Wire { index, from, to } => {
                write!(f, "wire #{} `{from} -> {to}`", index + 1)
            }
            Location::Binding { selector } => write!(f, "binding `{selector}`"),
            Location::Export { name, .. } => write!(f, "export `{name}`"),
        }
    }
}

/// One problem found by [`Workspace::check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case code (`wire-type-mismatch`, `cycle` …).
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// What it belongs to.
    pub location: Location,
}

impl Problem {
    /// Whether the problem blocks composition.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub(crate) fn error(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location,
        }
    }

    pub(crate) fn warning(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            message: message.into(),
            location,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}] {}: {}",
            self.code, self.location, self.message
        )
    }
}

fn wire_code(e: &WireError) -> &'static str {
    match e {
        WireError::UnknownNode { .. } => "unknown-node",
        WireError::NodeUnavailable { .. } => "node-unavailable",
        WireError::NoSuchExport { .. } | WireError::NoSuchImport { .. } => "no-such-port",
        WireError::SelfWire { .. } => "self-wire",
        WireError::IncompatibleVersion { .. } => "incompatible-version",
        WireError::TypeMismatch { .. } => "wire-type-mismatch",
    }
}

impl Workspace {
    /// Lists every problem of the project: missing or invalid components,
    /// nodes naming unknown components, wires to missing ports or between
    /// differing types, cycles, duplicate exports, imports fed twice,
    /// imports left without a binding, and bindings that apply to nothing.
    /// Errors come first, then warnings, each in project order.
    pub fn check(&self) -> Vec<Problem> {
        let project = self.project();
        let mut problems = Vec::new();

        // Components.
        for (id, part) in &self.parts {
            let nodes: Vec<String> = project
                .nodes
                .iter()
                .filter(|(_, n)| n.component == *id)
                .map(|(nid, _)| nid.clone())
                .collect();
            let location = Location::Component {
                component: id.clone(),
                nodes: nodes.clone(),
            };
            match part {
                Err(e @ PartError::Missing { .. }) => {
                    problems.push(Problem::error("component-missing", location, e.to_string()))
                }
                Err(e @ PartError::Invalid { .. }) => {
                    problems.push(Problem::error("component-invalid", location, e.to_string()))
                }
                Ok(part) => {
                    let recorded = project.components[id].hash.as_deref();
                    if let Some(recorded) = recorded.filter(|h| *h != part.loaded.hash) {
                        problems.push(Problem::warning(
                            "component-changed",
                            location,
                            format!(
                                "component `{id}` changed on disk since the project recorded it (recorded {recorded}, now {})",
                                part.loaded.hash
                            ),
                        ));
                    }
                }
            }
        }

        // Nodes.
        for (id, node) in &project.nodes {
            if !project.components.contains_key(&node.component) {
                problems.push(Problem::error(
                    "unknown-component",
                    Location::Node { node: id.clone() },
                    format!(
                        "node `{id}` instantiates component `{}`, which the project does not list under [components]",
                        node.component
                    ),
                ));
            }
        }

        // Wires.
        let mut fed: HashMap<(&str, &str), usize> = HashMap::new();
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (index, wire) in project.wires.iter().enumerate() {
            let location = Location::Wire {
                index,
                from: wire.from.to_string(),
                to: wire.to.to_string(),
            };
            match self.check_wire(&wire.from, &wire.to) {
                // The component problem already says why; don't repeat it per wire.
                Err(WireError::NodeUnavailable { .. }) => {}
                Err(e) => problems.push(Problem::error(
                    wire_code(&e),
                    location.clone(),
                    e.to_string(),
                )),
                Ok(()) => {
                    edges
                        .entry(wire.from.node.as_str())
                        .or_default()
                        .insert(wire.to.node.as_str());
                }
            }
            if let Some(first) = fed.insert((&wire.to.node, &wire.to.port), index) {
                problems.push(Problem::error(
                    "import-wired-twice",
                    location,
                    format!(
                        "import `{}` is already fed by wire #{} (`{}`); an import takes one wire",
                        wire.to,
                        first + 1,
                        project.wires[first].from
                    ),
                ));
            }
        }
        for cycle in find_cycles(&edges) {
            let members = cycle
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let in_cycle: BTreeSet<&str> = cycle.iter().copied().collect();
            for (index, wire) in project.wires.iter().enumerate() {
                if in_cycle.contains(wire.from.node.as_str())
                    && in_cycle.contains(wire.to.node.as_str())
                {
                    problems.push(Problem::error(
                        "cycle",
                        Location::Wire {
                            index,
                            from: wire.from.to_string(),
                            to: wire.to.to_string(),
                        },
                        format!("wire is part of a dependency cycle between nodes {members}; each needs the other to be instantiated first"),
                    ));
                }
            }
        }

        // Exports.
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (index, export) in project.exports.iter().enumerate() {
            let name = export.export_name();
            let location = Location::Export {
                index,
                name: name.to_string(),
            };
            match self.available(&export.from.node) {
                Err(WireError::NodeUnavailable { .. }) => {}
                Err(e) => problems.push(Problem::error(
                    wire_code(&e),
                    location.clone(),
                    e.to_string(),
                )),
                Ok(part) => {
                    if part.export(&export.from.port).is_none() {
                        let e = WireError::NoSuchExport {
                            node: export.from.node.clone(),
                            port: export.from.port.clone(),
                            available: part.exports.iter().map(|p| p.name.clone()).collect(),
                        };
                        problems.push(Problem::error(
                            "no-such-port",
                            location.clone(),
                            e.to_string(),
                        ));
                    }
                }
            }
            if let Some(first) = names.insert(name, index) {
                problems.push(Problem::error(
                    "duplicate-export",
                    location,
                    format!(
                        "the composition already exports `{name}` (from `{}`); give one of them another name with `as`",
                        project.exports[first].from
                    ),
                ));
            }
        }
        if project.exports.is_empty() && !project.nodes.is_empty() {
            problems.push(Problem::warning(
                "no-exports",
                Location::Project,
                "the composition exports nothing; add an [[exports]] entry so it can be called",
            ));
        }

        // Unwired imports and their bindings.
        let mut used_selectors = BTreeSet::new();
        for (node_id, _) in &project.nodes {
            let Some(part) = self.node_part(node_id) else {
                continue;
            };
            for port in &part.imports {
                if fed.contains_key(&(node_id.as_str(), port.name.as_str())) {
                    continue;
                }
                match project.binding_for(node_id, &port.name) {
                    Some((selector, binding)) => {
                        used_selectors.insert(selector.to_string());
                        if let Binding::Mock(mock) = binding {
                            for fname in mock.functions.keys() {
                                let known = port.functions.iter().any(|f| {
                                    f == fname || f.split_once('.').is_some_and(|(_, m)| m == fname)
                                });
                                if !known {
                                    problems.push(Problem::error(
                                        "mock-unknown-function",
                                        Location::Binding { selector: selector.to_string() },
                                        format!(
                                            "mock for `{node_id}.{}` sets function `{fname}`, which the interface does not have (it has {})",
                                            port.name,
                                            port.functions.join(", ")
                                        ),
                                    ));
                                }
                            }
                        }
                    }
                    None if port.types_only => {}
                    None => problems.push(Problem::error(
                        "unbound-import",
                        Location::Port {
                            node: node_id.clone(),
                            port: port.name.clone(),
                        },
                        format!(
                            "import `{}` of node `{node_id}` is not wired and has no binding; wire it, or bind it with mode leave, grant, mock or deny",
                            port.name
                        ),
                    )),
                }
            }
        }
        for (selector, binding) in &project.bindings {
            let key = selector.to_string();
            if let Some(node) = &selector.node {
                if !project.nodes.contains_key(node) {
                    problems.push(Problem::warning(
                        "unknown-node",
                        Location::Binding { selector: key },
                        format!("binding names node `{node}`, which does not exist"),
                    ));
                    continue;
                }
            }
            if used_selectors.contains(&key) {
                continue;
            }
            let wired = !selector.prefix
                && selector
                    .node
                    .as_ref()
                    .is_some_and(|n| project.wire_into(n, &selector.import).is_some());
            let message = if wired {
                format!(
                    "the import is wired, so this {} binding is not used",
                    binding.mode()
                )
            } else {
                format!(
                    "this {} binding applies to no unwired import of any node",
                    binding.mode()
                )
            };
            problems.push(Problem::warning(
                "unused-binding",
                Location::Binding { selector: key },
                message,
            ));
        }

        problems.sort_by_key(|p| p.severity);
        problems
    }
}

/// Finds elementary cycles well enough to report them: one cycle per
/// strongly connected component with more than one node.
fn find_cycles<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    // Tarjan's algorithm, iterative enough for project sizes.
    struct State<'a> {
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        sccs: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(v: &'a str, edges: &BTreeMap<&'a str, BTreeSet<&'a str>>, s: &mut State<'a>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, edges, s);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.reverse();
                s.sccs.push(scc);
            }
        }
    }
    let mut s = State {
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        sccs: Vec::new(),
    };
    for &v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(v, edges, &mut s);
        }
    }
    s.sccs
}
