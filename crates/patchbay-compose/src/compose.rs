//! Encoding a checked project into one component with wac-graph.

use crate::check::{Location, Problem, ProblemCode};
use crate::Workspace;
use patchbay_inspect::ComponentInfo;
use std::collections::HashMap;
use std::error::Error as _;
use std::path::Path;
use wac_graph::{EncodeError, EncodeOptions, NodeId, Processor};

/// The result of composing a project.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The validated component.
    pub bytes: Vec<u8>,
    /// `.wac` source that rebuilds the same component with `wac compose`.
    pub wac: String,
    /// Names of the composed component's imports: every import no wire
    /// feeds, once each, semver-compatible versions merged under the
    /// highest (the attack surface of the result).
    pub imports: Vec<String>,
    /// Warnings from checking the project.
    pub warnings: Vec<Problem>,
    /// Where the recipe's packages come from, to write it elsewhere
    /// ([`Composed::recipe_at`]).
    pub sources: crate::RecipeSources,
}

impl Composed {
    /// The recipe as written at `path`: its rebuild command's paths seen
    /// from there, and the files to write beside it (relative to its
    /// folder): the binary of each component that is not one (WAT text, a
    /// core module), which `wac` cannot read.
    pub fn recipe_at(&self, path: &Path) -> (String, Vec<(std::path::PathBuf, Vec<u8>)>) {
        let body = self
            .wac
            .find("\npackage composition:")
            .map_or(self.wac.as_str(), |at| &self.wac[at + 1..]);
        let text = format!("{}{body}", self.sources.header(Some(path)));
        let files = self
            .sources
            .components
            .iter()
            .filter_map(|c| {
                c.binary
                    .as_ref()
                    .map(|b| (crate::recipe_binary_path(&c.id), b.clone()))
            })
            .collect();
        (text, files)
    }

    /// Decodes the ports and WIT of the composed component. Not done while
    /// composing: live recomposition on every edit rarely needs it, and the
    /// decoder validates the whole output again.
    pub fn describe(&self) -> Result<ComponentInfo, patchbay_inspect::InspectError> {
        patchbay_inspect::describe_component(&self.bytes, Path::new("<composition>"))
    }
}

/// Renders an error with its `source` chain: `outer: inner: innermost`.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Workspace {
    /// Node ids in an order where every node comes after the nodes feeding
    /// it (project order otherwise). Assumes the wires have no cycle.
    pub fn node_order(&self) -> Vec<&str> {
        let project = self.project();
        let mut remaining: HashMap<&str, usize> =
            project.nodes.keys().map(|n| (n.as_str(), 0)).collect();
        for w in &project.wires {
            if let Some(count) = remaining.get_mut(w.to.node.as_str()) {
                if project.nodes.contains_key(&w.from.node) && w.from.node != w.to.node {
                    *count += 1;
                }
            }
        }
        let mut order = Vec::with_capacity(project.nodes.len());
        while order.len() < project.nodes.len() {
            let next = project
                .nodes
                .keys()
                .map(patchbay_project::NodeId::as_str)
                .find(|n| remaining.get(n) == Some(&0));
            let Some(next) = next else {
                // A cycle: append the rest in project order.
                order.extend(
                    project
                        .nodes
                        .keys()
                        .map(patchbay_project::NodeId::as_str)
                        .filter(|n| remaining.contains_key(n)),
                );
                break;
            };
            remaining.remove(next);
            order.push(next);
            for w in project.wires.iter().filter(|w| w.from.node == next) {
                if let Some(count) = remaining.get_mut(w.to.node.as_str()) {
                    *count = count.saturating_sub(1);
                }
            }
        }
        order
    }

    /// Checks the project and, if it has no errors, composes it into one
    /// validated component. Unwired imports become imports of the result;
    /// the host decides at run time how to satisfy them (their bindings).
    /// On errors, returns every problem found, warnings included.
    pub fn compose(&self) -> Result<Composed, Vec<Problem>> {
        let problems = self.check();
        if problems.iter().any(Problem::is_error) {
            return Err(problems);
        }
        let built = self.build_graph(&problems)?;
        let bytes = encode_graph(&built.graph, &problems)?;
        let mut imports: Vec<String> = Vec::new();
        for (name, members) in self.open_imports().imports {
            // Types a world `use`s are imported too, but are no capability.
            let is_type = members.first().is_some_and(|m| {
                self.node_part(&m.node)
                    .and_then(|p| self.package_world(p).imports.get(&m.name))
                    .is_some_and(|k| matches!(k, wac_graph::types::ItemKind::Type(_)))
            });
            if !is_type {
                imports.push(name);
            }
        }
        Ok(Composed {
            wac: crate::wac_source(self),
            sources: crate::wac::recipe_sources(self, &[]),
            bytes,
            imports,
            warnings: problems,
        })
    }

    /// The composition graph of a checked project: every node instantiated
    /// in dependency order, wired and exported, not yet encoded. `problems`
    /// are `check`'s, returned with a refusal `check` did not foresee.
    pub(crate) fn build_graph(&self, problems: &[Problem]) -> Result<BuiltGraph<'_>, Vec<Problem>> {
        let project = self.project();
        let mut graph = self.graph.clone();
        let mut instances: HashMap<&str, NodeId> = HashMap::new();
        for node in self.node_order() {
            let Some(part) = self.node_part(node) else {
                return Err(failed(
                    problems,
                    Location::Node {
                        node: node.to_string(),
                    },
                    format!("node `{node}` has no loaded component"),
                ));
            };
            let instance = graph.instantiate(part.package);
            graph.set_node_name(instance, node);
            instances.insert(node, instance);
        }
        let alias = |graph: &mut wac_graph::CompositionGraph,
                     from: &'_ patchbay_project::PortRef|
         -> Result<NodeId, String> {
            graph
                .alias_instance_export(instances[from.node.as_str()], &from.port)
                .map_err(|e| chain(&e))
        };
        for (index, wire) in project.wires.iter().enumerate() {
            let location = || Location::Wire {
                index,
                from: wire.from.to_string(),
                to: wire.to.to_string(),
            };
            let source =
                alias(&mut graph, &wire.from).map_err(|m| failed(problems, location(), m))?;
            graph
                .set_instantiation_argument(instances[wire.to.node.as_str()], &wire.to.port, source)
                .map_err(|e| failed(problems, location(), chain(&e)))?;
        }
        for (index, export) in project.exports.iter().enumerate() {
            let name = export.export_name();
            let location = || Location::Export {
                index,
                name: name.to_string(),
            };
            let source =
                alias(&mut graph, &export.from).map_err(|m| failed(problems, location(), m))?;
            graph
                .export(source, name)
                .map_err(|e| failed(problems, location(), chain(&e)))?;
        }
        Ok(BuiltGraph { graph, instances })
    }
}

/// A composition graph before encoding, with each node's instance.
pub(crate) struct BuiltGraph<'a> {
    /// The graph.
    pub graph: wac_graph::CompositionGraph,
    /// Node id → its instance in the graph.
    pub instances: HashMap<&'a str, NodeId>,
}

/// A refusal `check` did not foresee, with the problems shown so far.
fn failed(problems: &[Problem], location: Location, message: String) -> Vec<Problem> {
    let mut all = vec![Problem::error(
        ProblemCode::ComposeFailed,
        location,
        message,
    )];
    all.extend(problems.iter().cloned());
    all
}

/// Encodes (and validates) a composition graph.
pub(crate) fn encode_graph(
    graph: &wac_graph::CompositionGraph,
    problems: &[Problem],
) -> Result<Vec<u8>, Vec<Problem>> {
    graph
        .encode(EncodeOptions {
            processor: Some(Processor {
                name: "patchbay",
                version: env!("CARGO_PKG_VERSION"),
            }),
            ..EncodeOptions::default()
        })
        .map_err(|e| failed(problems, Location::Project, encode_message(&e)))
}

fn encode_message(e: &EncodeError) -> String {
    match e {
        EncodeError::ImportTypeMergeConflict { import, source, .. } => format!(
            "two nodes leave import `{import}` open with different types, so the composition cannot import it once: {source:#}; wire one of them, or make both use the same version"
        ),
        other => match other.source() {
            Some(_) => chain(other),
            None => other.to_string(),
        },
    }
}
