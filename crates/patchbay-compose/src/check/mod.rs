//! Project checking: every problem, pinned to what it belongs to.

mod cycles;
mod exports;
mod problem;

use cycles::find_cycles;
use problem::wire_code;
pub use problem::{locate, problem_line, Location, Problem, ProblemCode, Severity};

use crate::binding::{check_binding, left_open_note, BindingError};
use crate::mock::{mock_answers, MockValueSite};
use crate::source::Site;
use crate::wave::Checked;
use crate::{PartError, PortSummary, WireError, Workspace};
use patchbay_project::{Binding, ImportSelector};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use wac_graph::types::ItemKind;

fn wire_site(index: usize) -> Site {
    Site::keys(["wires"]).index(index)
}

fn binding_site(selector: &ImportSelector) -> Site {
    Site::keys(["bindings"]).key(selector.to_string())
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
            BindingError::NotACapability { .. } => {
                (ProblemCode::GrantNotCapability, site.key("mode"))
            }
            BindingError::FakeMismatch { .. } => (ProblemCode::FakeMismatch, site.key("fake")),
        };
        return Some(Problem::error(code, location, format!("node `{node}`: {e}")).at(at));
    }
    if let (Binding::Leave, Some(note)) = (binding, left_open_note(&port.name)) {
        return Some(
            Problem::warning(
                ProblemCode::LeftOpen,
                location,
                format!("node `{node}`: {note}"),
            )
            .at(site.key("mode")),
        );
    }
    let Binding::Mock(mock) = binding else {
        return None;
    };
    let e = mock_answers::<Checked>(&port.name, mock, &port.functions).err()?;
    let function = site.key("functions").key(e.function.clone());
    let (code, at) = match e.value {
        None => (ProblemCode::MockUnknownFunction, function),
        Some(MockValueSite::Returns) => (ProblemCode::MockValue, function.key("returns")),
        Some(MockValueSite::Sequence(i)) => {
            (ProblemCode::MockValue, function.key("sequence").index(i))
        }
        Some(MockValueSite::CaseArgs(i)) => (
            ProblemCode::MockValue,
            function.key("cases").index(i).key("args"),
        ),
        Some(MockValueSite::CaseReturns(i)) => (
            ProblemCode::MockValue,
            function.key("cases").index(i).key("returns"),
        ),
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
    /// A project without nodes gets a note saying there is nothing to
    /// compose yet (not an error: a new project is valid).
    /// Errors come first, then warnings, then notes, each in project order.
    pub fn check(&self) -> Vec<Problem> {
        let project = self.project();
        let mut problems = Vec::new();

        // Components.
        for (id, part) in self.parts.iter() {
            let nodes: Vec<String> = project
                .nodes
                .iter()
                .filter(|(_, n)| n.component == *id)
                .map(|(nid, _)| nid.to_string())
                .collect();
            let location = Location::Component {
                component: id.to_string(),
                nodes: nodes.clone(),
            };
            let site = Site::keys(["components"]).key(id.to_string()).key("path");
            match part {
                Err(e @ PartError::Missing { .. }) => problems.push(
                    Problem::error(ProblemCode::ComponentMissing, location, e.to_string()).at(site),
                ),
                Err(e @ PartError::Invalid { .. }) => problems.push(
                    Problem::error(ProblemCode::ComponentInvalid, location, e.to_string()).at(site),
                ),
                Ok(part) => {
                    let recorded = project.components[id].hash.as_deref();
                    if let Some(recorded) = recorded.filter(|h| *h != part.loaded.hash) {
                        problems.push(Problem::warning(
                            ProblemCode::ComponentChanged,
                            location,
                            format!(
                                "component `{id}` changed on disk since the project recorded it (recorded {recorded}, now {})",
                                part.loaded.hash
                            ),
                        ).at(Site::keys(["components"]).key(id.to_string()).key("hash")));
                    }
                }
            }
        }

        // Nodes.
        for (id, node) in &project.nodes {
            if !project.components.contains_key(&node.component)
                && !project.is_composite(&node.component)
            {
                problems.push(
                    Problem::error(
                        ProblemCode::UnknownComponent,
                        Location::Node { node: id.to_string() },
                        format!(
                            "node `{id}` instantiates component `{}`, which the project does not list under [components] nor define under [composites]",
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
                        ProblemCode::ImportWiredTwice,
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
                        ProblemCode::Cycle,
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
        self.export_problems(&open, &mut problems);

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
                            ProblemCode::UnboundImport,
                            Location::Port {
                                node: node_id.to_string(),
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
                            ProblemCode::UnknownNode,
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
                    ProblemCode::UnusedBinding,
                    Location::Binding { selector: key },
                    message,
                )
                .at(site),
            );
        }

        if project.nodes.is_empty() {
            let message = if project.components.is_empty() {
                "nothing to compose yet: add a component, then a node that instantiates it"
            } else {
                "nothing to compose yet: add a node that instantiates one of the components"
            };
            problems.push(Problem::note(
                ProblemCode::NothingToCompose,
                Location::Project,
                message,
            ));
        }

        // Inside composite definitions, each as its own graph.
        problems.extend(self.composite_problems());

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
            ProblemCode::ImportTypeConflict,
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
