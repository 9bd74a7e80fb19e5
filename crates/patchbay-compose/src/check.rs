//! Project checking: every problem, pinned to what it belongs to.

use crate::binding::{check_binding, left_open_note, BindingError};
use crate::mock::{mock_answers, MockValueSite};
use crate::source::{FilePosition, Site};
use crate::wave::Checked;
use crate::{PartError, PortSummary, WireError, Workspace};
use patchbay_project::{Binding, ImportSelector};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use wac_graph::types::ItemKind;
use wasmparser::names::{ComponentName, ComponentNameKind};

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
    /// The entry of the project file it is about, when there is one.
    #[serde(skip)]
    pub site: Option<Site>,
    /// Where that entry is in the project file, once [`crate::locate`]
    /// found it in the file's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<FilePosition>,
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
            site: None,
            position: None,
        }
    }

    pub(crate) fn warning(
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, location, message)
        }
    }

    /// The same problem, pinned to an entry of the project file.
    pub(crate) fn at(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
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

fn wire_site(index: usize) -> Site {
    Site::keys(["wires"]).index(index)
}

fn binding_site(selector: &ImportSelector) -> Site {
    Site::keys(["bindings"]).key(selector.to_string())
}

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

/// The problems of one binding as it applies to one unwired import of one
/// node: the rules the host applies when it prepares a run.
fn binding_problems(
    node: &str,
    port: &PortSummary,
    selector: &ImportSelector,
    binding: &Binding,
) -> Option<Problem> {
    let location = Location::Binding {
        selector: selector.to_string(),
    };
    let site = binding_site(selector);
    if let Err(e) = check_binding(port, binding) {
        let (code, at) = match &e {
            BindingError::NotACapability { .. } => ("grant-not-capability", site.key("mode")),
            BindingError::FakeMismatch { .. } => ("fake-mismatch", site.key("fake")),
        };
        return Some(Problem::error(code, location, format!("node `{node}`: {e}")).at(at));
    }
    if let (Binding::Leave, Some(note)) = (binding, left_open_note(&port.name)) {
        return Some(
            Problem::warning("left-open", location, format!("node `{node}`: {note}"))
                .at(site.key("mode")),
        );
    }
    let Binding::Mock(mock) = binding else {
        return None;
    };
    let e = mock_answers::<Checked>(&port.name, mock, &port.functions).err()?;
    let function = site.key("functions").key(e.function.clone());
    let (code, at) = match e.value {
        None => ("mock-unknown-function", function),
        Some(MockValueSite::Returns) => ("mock-value", function.key("returns")),
        Some(MockValueSite::Sequence(i)) => ("mock-value", function.key("sequence").index(i)),
        Some(MockValueSite::CaseArgs(i)) => {
            ("mock-value", function.key("cases").index(i).key("args"))
        }
        Some(MockValueSite::CaseReturns(i)) => {
            ("mock-value", function.key("cases").index(i).key("returns"))
        }
    };
    Some(
        Problem::error(
            code,
            location,
            format!(
                "mock for `{node}.{}` function `{}`: {}",
                port.name, e.function, e.message
            ),
        )
        .at(at),
    )
}

impl Workspace {
    /// Lists every problem of the project: missing or invalid components,
    /// nodes naming unknown components, wires to missing ports or between
    /// differing types, cycles, export names the component model refuses
    /// and duplicate exports, imports fed twice, imports that two nodes
    /// leave open with types that do not merge, imports left without a
    /// binding, bindings the host cannot honour (a grant or `leave` of
    /// something that is no host capability, a fake that cannot answer,
    /// mock values that do not fit the function's types), and bindings
    /// that apply to nothing. A project without errors composes, and the
    /// host can prepare it to run.
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
            let site = Site::keys(["components"]).key(id.clone()).key("path");
            match part {
                Err(e @ PartError::Missing { .. }) => problems
                    .push(Problem::error("component-missing", location, e.to_string()).at(site)),
                Err(e @ PartError::Invalid { .. }) => problems
                    .push(Problem::error("component-invalid", location, e.to_string()).at(site)),
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
                        ).at(Site::keys(["components"]).key(id.clone()).key("hash")));
                    }
                }
            }
        }

        // Nodes.
        for (id, node) in &project.nodes {
            if !project.components.contains_key(&node.component) {
                problems.push(
                    Problem::error(
                        "unknown-component",
                        Location::Node { node: id.clone() },
                        format!(
                            "node `{id}` instantiates component `{}`, which the project does not list under [components]",
                            node.component
                        ),
                    )
                    .at(Site::keys(["nodes"]).key(id.clone()).key("component")),
                );
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
                Err(e) => problems.push(
                    Problem::error(wire_code(&e), location.clone(), e.to_string())
                        .at(wire_site(index)),
                ),
                Ok(()) => {
                    edges
                        .entry(wire.from.node.as_str())
                        .or_default()
                        .insert(wire.to.node.as_str());
                }
            }
            if let Some(first) = fed.insert((&wire.to.node, &wire.to.port), index) {
                problems.push(
                    Problem::error(
                        "import-wired-twice",
                        location,
                        format!(
                            "import `{}` is already fed by wire #{} (`{}`); an import takes one wire",
                            wire.to,
                            first + 1,
                            project.wires[first].from
                        ),
                    )
                    .at(wire_site(index).key("to")),
                );
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
                    ).at(wire_site(index)));
                }
            }
        }

        // Exports.
        let open = self.open_imports();
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
                            node: export.from.node.clone(),
                            port: export.from.port.clone(),
                            available: part.exports.iter().map(|p| p.name.clone()).collect(),
                        };
                        problems.push(
                            Problem::error("no-such-port", location.clone(), e.to_string())
                                .at(entry.clone().key("from")),
                        );
                    }
                },
            }
            let parsed = match export_name_error(name, item) {
                Ok(parsed) => parsed,
                Err(message) => {
                    problems.push(
                        Problem::error("invalid-export-name", location, message).at(name_site),
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
                    Problem::error("duplicate-export", location.clone(), message)
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
                                "interface-exported-twice",
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
                            "import-export-conflict",
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
                "no-exports",
                Location::Project,
                "the composition exports nothing; add an [[exports]] entry so it can be called",
            ));
        }

        // Imports several nodes leave open, merged into one import each.
        for conflict in open.conflicts {
            problems.push(self.import_conflict(conflict));
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
                    // Types-only imports need nothing, whatever binds them.
                    Some((selector, _)) if port.types_only => {
                        used_selectors.insert(selector.to_string());
                    }
                    Some((selector, binding)) => {
                        used_selectors.insert(selector.to_string());
                        problems.extend(binding_problems(node_id, port, selector, binding));
                    }
                    None if port.types_only => {}
                    None => problems.push(
                        Problem::error(
                            "unbound-import",
                            Location::Port {
                                node: node_id.clone(),
                                port: port.name.clone(),
                            },
                            format!(
                                "import `{}` of node `{node_id}` is not wired and has no binding; wire it, or bind it with mode leave, grant, mock or deny",
                                port.name
                            ),
                        )
                        .at(Site::keys(["nodes"]).key(node_id.clone())),
                    ),
                }
            }
        }
        for (selector, binding) in &project.bindings {
            let key = selector.to_string();
            let site = binding_site(selector);
            if let Some(node) = &selector.node {
                if !project.nodes.contains_key(node) {
                    problems.push(
                        Problem::warning(
                            "unknown-node",
                            Location::Binding { selector: key },
                            format!("binding names node `{node}`, which does not exist"),
                        )
                        .at(site),
                    );
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
            problems.push(
                Problem::warning(
                    "unused-binding",
                    Location::Binding { selector: key },
                    message,
                )
                .at(site),
            );
        }

        problems.sort_by_key(|p| p.severity);
        problems
    }

    /// Whether `import` of `node` has exactly the type `kind` (each a
    /// subtype of the other, by wac-types' rule).
    fn same_type(&self, node: &str, import: &str, kind: ItemKind) -> bool {
        let Some(part) = self.node_part(node) else {
            return true;
        };
        let Some(imported) = self.package_world(part).imports.get(import) else {
            return true;
        };
        let types = self.graph.types();
        let mut cache = std::collections::HashSet::new();
        let mut checker = wac_graph::types::SubtypeChecker::new(&mut cache);
        checker.is_subtype(kind, types, *imported, types).is_ok()
            && checker.is_subtype(*imported, types, kind, types).is_ok()
    }

    /// Checks one WAVE value for `function` of `import` of `node`, as a mock
    /// would return it: the rule `check` and the host apply to every mock
    /// value. The error says what is wrong (the value and the type it must
    /// have, or that the interface has no such function).
    pub fn check_mock_value(
        &self,
        node: &str,
        import: &str,
        function: &str,
        value: &str,
    ) -> Result<(), String> {
        let part = self.available(node).map_err(|e| e.to_string())?;
        let port = part.import(import).ok_or_else(|| {
            WireError::NoSuchImport {
                node: node.to_string(),
                port: import.to_string(),
                available: part.imports.iter().map(|p| p.name.clone()).collect(),
            }
            .to_string()
        })?;
        let mock = patchbay_project::Mock {
            functions: [(
                function.to_string(),
                patchbay_project::MockBehavior::Returns(value.to_string()),
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        };
        mock_answers::<Checked>(import, &mock, &port.functions)
            .map(|_| ())
            .map_err(|e| e.message)
    }

    /// The problem of two nodes leaving imports open that the composition
    /// cannot import once: names both nodes, and both types where the
    /// functions differ.
    fn import_conflict(&self, c: crate::ImportConflict) -> Problem {
        let (a, b) = (&c.first, &c.second);
        let port = |o: &crate::OpenImport| self.node_part(&o.node).and_then(|p| p.import(&o.name));
        let import = if a.name == b.name {
            format!("`{}`", a.name)
        } else {
            format!("`{}` and `{}`", a.name, b.name)
        };
        let types = match (port(a), port(b)) {
            (Some(pa), Some(pb)) => {
                let (left, right) = crate::imports::function_differences(pa, pb);
                (!left.is_empty()).then(|| {
                    format!(
                        " `{}` imports {}, but `{}` imports {};",
                        a.node,
                        left.join(", "),
                        b.node,
                        right.join(", ")
                    )
                })
            }
            _ => None,
        };
        Problem::error(
            "import-type-conflict",
            Location::Port {
                node: b.node.clone(),
                port: b.name.clone(),
            },
            format!(
                "nodes `{}` and `{}` both leave {import} unwired, with types that do not merge into one import of the composition:{} {}; wire one of them, or use components built against the same version of the interface",
                a.node,
                b.node,
                types.unwrap_or_default(),
                c.reason
            ),
        )
        .at(Site::keys(["nodes"]).key(b.node.clone()))
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
