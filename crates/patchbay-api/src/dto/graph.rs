//! A graph of the document (the top level's or a composite's nodes, wires
//! and exports) to and from the model, each problem at its place as the
//! caller wraps it (inside a composite or not).

use super::*;
use crate::ApiError;
use indexmap::IndexMap;
use patchbay_project as model;

/// The model's nodes, wires and exports of one graph.
pub(super) type ModelGraph = (
    IndexMap<model::NodeId, model::Node>,
    Vec<model::Wire>,
    Vec<model::ExportDecl>,
);

/// Converts one graph. Ids that are not kebab-case go to `bad_ids` at
/// their place (`wrap` puts it inside a composite); a node id used twice
/// is refused.
pub(super) fn graph_to_model(
    (nodes, wires, exports): (&[NodeEntry], &[WireEntry], &[ExportEntry]),
    wrap: &dyn Fn(model::Place) -> model::Place,
    bad_ids: &mut Vec<model::Invalid>,
) -> Result<ModelGraph, ApiError> {
    let mut out: ModelGraph = Default::default();
    for n in nodes {
        let place = |field| {
            wrap(model::Place::Node {
                id: n.id.clone(),
                field,
            })
        };
        let id = model::NodeId::new(n.id.as_str()).map_err(|e| (place(None), format!("node {e}")));
        let component = model::ComponentId::new(n.component.as_str()).map_err(|e| {
            (
                place(Some("component")),
                format!(
                    "node `{}`: `component` names no component: {e}",
                    model::shown(&n.id)
                ),
            )
        });
        let (id, component) = match (id, component) {
            (Ok(id), Ok(component)) => (id, component),
            (id, component) => {
                for (place, message) in [id.err(), component.err()].into_iter().flatten() {
                    bad_ids.push(model::Invalid { place, message });
                }
                continue;
            }
        };
        let node = model::Node {
            component,
            position: model::Position { x: n.x, y: n.y },
        };
        if out.0.insert(id, node).is_some() {
            return Err(ApiError::bad_request(format!(
                "node id `{}` is used twice",
                n.id
            )));
        }
    }
    let mut port = |addr: &PortAddr, place: model::Place, what: &str| match model::NodeId::new(
        addr.node.as_str(),
    ) {
        Ok(node) => Some(model::PortRef::new(node, &addr.port)),
        Err(e) => {
            bad_ids.push(model::Invalid {
                place: wrap(place),
                message: format!("{what}: node {e}"),
            });
            None
        }
    };
    for (index, w) in wires.iter().enumerate() {
        let side = |side, addr: &PortAddr| model::Place::Wire {
            index,
            side,
            port: format!("{}.{}", addr.node, addr.port),
        };
        let what = |side| format!("wire {} `{side}`", index + 1);
        let from = port(&w.from, side("from", &w.from), &what("from"));
        let to = port(&w.to, side("to", &w.to), &what("to"));
        if let (Some(from), Some(to)) = (from, to) {
            out.1.push(model::Wire { from, to });
        }
    }
    for (index, e) in exports.iter().enumerate() {
        let place = model::Place::Export {
            index,
            port: format!("{}.{}", e.from.node, e.from.port),
        };
        if let Some(from) = port(&e.from, place, "export") {
            out.2.push(model::ExportDecl {
                from,
                name: e.name.clone().filter(|n| !n.is_empty()),
            });
        }
    }
    Ok(out)
}

pub(super) fn nodes_from_model(nodes: &IndexMap<model::NodeId, model::Node>) -> Vec<NodeEntry> {
    nodes
        .iter()
        .map(|(id, n)| NodeEntry {
            id: id.to_string(),
            component: n.component.to_string(),
            x: n.position.x,
            y: n.position.y,
        })
        .collect()
}

pub(super) fn wires_from_model(wires: &[model::Wire]) -> Vec<WireEntry> {
    wires
        .iter()
        .map(|w| WireEntry {
            from: PortAddr::from_model(&w.from),
            to: PortAddr::from_model(&w.to),
        })
        .collect()
}

pub(super) fn exports_from_model(exports: &[model::ExportDecl]) -> Vec<ExportEntry> {
    exports
        .iter()
        .map(|e| ExportEntry {
            from: PortAddr::from_model(&e.from),
            name: e.name.clone(),
        })
        .collect()
}
