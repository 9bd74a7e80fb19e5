//! Ungrouping: a composite node replaced by the composite's inner nodes,
//! the one rule behind the editor's *Ungroup* and the traced plan's
//! flattening ([`Workspace::flattened`]), where each inner node runs as a
//! node of its own with its own scope.

use crate::{Part, Workspace};
use patchbay_project::{ImportSelector, NodeId, PortRef, Project, Wire};
use std::collections::BTreeMap;
use std::sync::Arc;

type IndexMapIds = indexmap::IndexMap<NodeId, NodeId>;

/// A node id like `base` that `taken` does not hold
/// ([`patchbay_project::fresh_id`]'s rule), or why `base` makes none.
pub fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> Result<NodeId, String> {
    NodeId::new(patchbay_project::fresh_id(base, taken))
}

/// The part a node instantiating `component` has: a component, or a
/// composite composed into one.
fn part_of<'a>(ws: &'a Workspace, component: &str) -> Result<&'a Part, String> {
    match ws.instantiated(component) {
        Some(Ok(part)) => Ok(part),
        Some(Err(e)) => Err(format!(
            "`{component}` is not available, so its ports are unknown: {e}"
        )),
        None => Err(format!(
            "`{component}` is neither a component nor a composite of the project"
        )),
    }
}

impl Workspace {
    /// Replaces composite node `node` by the composite's inner nodes (ids made
    /// unique: `a`, else `a2`…), placed around it: inner wires come out,
    /// wires into a port feed every inner node importing it unwired, its
    /// binding applies to each of them, wires and exports from its exports
    /// start at the inner export behind them. The definition is removed when
    /// no other node uses it.
    pub fn ungroup(
        &self,
        node: &str,
        name: impl Fn(&NodeId) -> String,
    ) -> Result<(Project, Vec<NodeId>), String> {
        let ws = self;
        let p = ws.project();
        let Some((node_id, instance)) = p.nodes.get_key_value(node) else {
            return Err(format!("there is no node `{node}` to ungroup"));
        };
        let Some(definition) = p.composites.get(&instance.component) else {
            return Err(format!(
                "node `{node}` instantiates component `{}`, not a composite; only composite nodes ungroup",
                instance.component
            ));
        };
        let mut out = p.clone();
        out.nodes.shift_remove(node);
        // Ids in the enclosing graph.
        let mut ids: IndexMapIds = IndexMapIds::new();
        for inner in definition.nodes.keys() {
            let id = fresh_id(&name(inner), |id| {
                out.nodes.contains_key(id) || ids.values().any(|v| v == id)
            })?;
            ids.insert(inner.clone(), id);
        }
        let count = definition.nodes.len().max(1) as f64;
        let centre = |f: fn(&patchbay_project::Position) -> f64| {
            definition
                .nodes
                .values()
                .map(|n| f(&n.position))
                .sum::<f64>()
                / count
        };
        let (cx, cy) = (centre(|p| p.x), centre(|p| p.y));
        let at = instance.position;
        let mut nodes = out.nodes.clone();
        nodes.shift_remove(node);
        for (inner, n) in &definition.nodes {
            let mut n = n.clone();
            n.position = patchbay_project::Position {
                x: at.x + n.position.x - cx,
                y: at.y + n.position.y - cy,
            };
            nodes.insert(ids[inner].clone(), n);
        }
        out.nodes = nodes;
        let mapped = |r: &PortRef| PortRef::new(ids[&r.node].clone(), &r.port);
        // The export of the composite called `name`: the inner port behind it.
        let export = |name: &str| {
            definition
                .exports
                .iter()
                .find(|e| e.export_name() == name)
                .map(|e| mapped(&e.from))
        };
        // Inner nodes importing `port` with no inner wire feeding it.
        let mut members: BTreeMap<String, Vec<NodeId>> = BTreeMap::new();
        for (inner, n) in &definition.nodes {
            for import in &part_of(ws, &n.component)?.imports {
                let fed = definition
                    .wires
                    .iter()
                    .any(|w| w.to.node == *inner && w.to.port == import.name);
                if !fed {
                    members
                        .entry(import.name.clone())
                        .or_default()
                        .push(ids[inner].clone());
                }
            }
        }
        let mut wires: Vec<Wire> = Vec::new();
        for w in &p.wires {
            let from = if w.from.node == *node_id {
                export(&w.from.port).ok_or_else(|| {
                    format!(
                        "wire `{w}` starts at `{}`, which composite `{}` does not export",
                        w.from, instance.component
                    )
                })?
            } else {
                w.from.clone()
            };
            if w.to.node == *node_id {
                for m in members.get(&w.to.port).into_iter().flatten() {
                    wires.push(Wire {
                        from: from.clone(),
                        to: PortRef::new(m.clone(), &w.to.port),
                    });
                }
            } else {
                wires.push(Wire {
                    from,
                    to: w.to.clone(),
                });
            }
        }
        wires.extend(definition.wires.iter().map(|w| Wire {
            from: mapped(&w.from),
            to: mapped(&w.to),
        }));
        out.wires = wires;
        for e in &mut out.exports {
            if e.from.node == *node_id {
                let name = e.export_name().to_string();
                let inner = export(&e.from.port).ok_or_else(|| {
                    format!(
                        "the project exports `{}`, which composite `{}` does not export",
                        e.from, instance.component
                    )
                })?;
                e.name = (inner.port != name).then_some(name);
                e.from = inner;
            }
        }
        out.bindings
            .retain(|sel, _| sel.node.as_ref() != Some(node_id));
        for (port, inner) in &members {
            if p.wire_into(node_id, port).is_some() {
                continue;
            }
            let Some((_, binding)) = p.binding_for(node_id, port) else {
                continue;
            };
            for m in inner {
                if out.binding_for(m, port).map(|(_, b)| b) != Some(binding) {
                    out.bindings.insert(
                        ImportSelector::exact(m.clone(), port.clone()),
                        binding.clone(),
                    );
                }
            }
        }
        let still_used = out
            .nodes
            .values()
            .chain(out.composites.values().flat_map(|c| c.nodes.values()))
            .any(|n| n.component == instance.component);
        if !still_used {
            out.composites.shift_remove(&instance.component);
        }
        Ok((out, ids.into_values().collect()))
    }

    /// This workspace with every composite node, nested ones too, replaced
    /// by its inner nodes ([`Workspace::ungroup`]), named `NODE-INNER`
    /// (kebab-case, made unique): the graph a traced run instantiates node
    /// by node, so each inner node has its own scope and its calls are
    /// traced. The ids live only in this workspace, never in a file.
    pub fn flattened(&self) -> Result<Workspace, String> {
        let mut ws = self.with_project(self.project().clone());
        loop {
            let next = ws
                .project()
                .nodes
                .iter()
                .find(|(_, n)| ws.project().is_composite(&n.component))
                .map(|(id, _)| id.clone());
            let Some(node) = next else {
                return Ok(ws);
            };
            let (project, _) = ws.ungroup(&node, |inner| format!("{node}-{inner}"))?;
            ws = ws.with_project(project);
        }
    }

    /// The same components and composites with another project graph.
    fn with_project(&self, project: Project) -> Workspace {
        Workspace {
            doc: patchbay_project::LoadedProject {
                path: self.doc.path.clone(),
                project,
                upgraded_from: None,
            },
            parts: self.parts.clone(),
            composites: self.composites.clone(),
            composite_problems: Arc::new(Default::default()),
            graph: self.graph.clone(),
        }
    }
}
