//! Composite nodes: grouping selected nodes into a composite definition
//! and back (the rules live here, on the project model, with the ports the
//! workspace reads from each component), and writing a composite alone.

use super::*;
use crate::dto::*;
use crate::error::chain;
use model::{
    Binding, ComponentId, Composite, ExportDecl, ImportSelector, Node, NodeId, PortRef, Project,
    Wire,
};
use patchbay_compose::Part;
use std::collections::BTreeMap;

impl Session {
    /// Moves the selected nodes into a new composite definition, replaced
    /// by one node instantiating it (see [`group`]).
    pub async fn group_nodes(&self, request: GroupNodesRequest) -> Result<Grouped, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let (project, node) = group(&ws, &request.nodes, &request.name)?;
        Ok(Grouped {
            doc: ProjectDoc::from_model(&project),
            node: node.to_string(),
        })
    }

    /// Replaces a composite node by the composite's inner nodes (see
    /// [`ungroup`]).
    pub async fn ungroup_node(&self, request: UngroupNodeRequest) -> Result<Ungrouped, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let (project, nodes) = ws
            .ungroup(&request.node, |inner| inner.to_string())
            .map_err(ApiError::bad_request)?;
        Ok(Ungrouped {
            doc: ProjectDoc::from_model(&project),
            nodes: nodes.iter().map(|n| n.to_string()).collect(),
        })
    }

    /// Composes one composite alone and writes it as `DIR/NAME.wasm`
    /// (atomically), the folder chosen by the export dialog's rule.
    pub async fn export_composite(
        &self,
        request: ExportCompositeRequest,
    ) -> Result<ExportedComposite, ApiError> {
        let dir = self
            .export_target_dir(request.dir, request.choose_dir)
            .await?;
        let ws = self.workspace(&request.doc)?;
        let composed = self.busy("composing", || compose_composite(&ws, &request.composite))?;
        let path = dir.join(format!("{}.wasm", request.composite));
        write_file(&path, &composed.bytes)?;
        let info = composed.describe().map_err(|e| {
            ApiError::compose_failed(format!("the composite does not describe: {e}"))
        })?;
        Ok(ExportedComposite {
            path: path.display().to_string(),
            size: composed.bytes.len() as u64,
            imports: info.imports.iter().map(|p| p.name.clone()).collect(),
            exports: info.exports.iter().map(|p| p.name.clone()).collect(),
        })
    }

    /// Writes a composite as a project folder of its own, `FOLDER/NAME/`:
    /// its graph as `patchbay.toml` (every import left open), the
    /// components it uses copied under `components/`, and the composed
    /// `NAME.wasm` that another project adds as a component.
    pub async fn save_composite_to_library(
        &self,
        request: SaveCompositeRequest,
    ) -> Result<SavedComposite, ApiError> {
        let folder = self
            .export_target_dir(request.folder, request.choose_folder)
            .await?
            .join(&request.composite);
        let ws = self.workspace(&request.doc)?;
        let composed = self.busy("composing", || compose_composite(&ws, &request.composite))?;
        let mut library = ws
            .project()
            .composite_project(&request.composite)
            .ok_or_else(|| unknown_composite(ws.project(), &request.composite))?;
        keep_used(&mut library);
        for (id, component) in library.components.iter_mut() {
            let from = ws.doc().resolve(&component.path);
            let bytes = std::fs::read(&from).map_err(|e| {
                ApiError::io(format!(
                    "cannot read component `{id}` ({}): {e}",
                    from.display()
                ))
            })?;
            let ext = from.extension().and_then(|e| e.to_str()).unwrap_or("wasm");
            let rel = PathBuf::from("components").join(format!("{id}.{ext}"));
            write_file(&folder.join(&rel), &bytes)?;
            component.path = rel;
            component.build = None;
            component.watch.clear();
        }
        let component = folder.join(format!("{}.wasm", request.composite));
        write_file(&component, &composed.bytes)?;
        let manifest = folder.join(model::MANIFEST_NAME);
        model::save(&library, &manifest).map_err(|e| ApiError::io(e.to_string()))?;
        self.gate.allow(&component);
        self.gate.allow_tree_file(&manifest);
        Ok(SavedComposite {
            folder: folder.display().to_string(),
            manifest: manifest.display().to_string(),
            component: component.display().to_string(),
        })
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| ApiError::io(format!("cannot create {}: {e}", dir.display())))?;
    }
    model::write_output(path, bytes)
        .map_err(|e| ApiError::io(format!("cannot write {}: {e}", path.display())))
}

fn unknown_composite(project: &Project, name: &str) -> ApiError {
    let known: Vec<&str> = project.composites.keys().map(|n| n.as_str()).collect();
    ApiError::bad_request(format!(
        "the project has no composite `{name}`{}",
        if known.is_empty() {
            String::new()
        } else {
            format!(" (it has {})", known.join(", "))
        }
    ))
}

fn compose_composite(ws: &Workspace, name: &str) -> Result<patchbay_compose::Composed, ApiError> {
    if !ws.project().is_composite(name) {
        return Err(unknown_composite(ws.project(), name));
    }
    ws.compose_composite(name).map_err(|problems| {
        let errors: Vec<String> = problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.to_string())
            .collect();
        ApiError::compose_failed(format!(
            "composite `{name}` does not compose ({} problem{})",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ))
        .with_detail(errors.join("\n"))
    })
}

/// Keeps only the components and composites a project's nodes use,
/// directly or through the composites they use.
fn keep_used(p: &mut Project) {
    let mut used: Vec<ComponentId> = p.nodes.values().map(|n| n.component.clone()).collect();
    let mut i = 0;
    while i < used.len() {
        if let Some(c) = p.composites.get(&used[i]) {
            for n in c.nodes.values() {
                if !used.contains(&n.component) {
                    used.push(n.component.clone());
                }
            }
        }
        i += 1;
    }
    p.components.retain(|id, _| used.contains(id));
    p.composites.retain(|id, _| used.contains(id));
}

/// The part a node instantiating `component` has: a component, or a
/// composite composed into one.
fn part_of<'a>(ws: &'a Workspace, component: &str) -> Result<&'a Part, ApiError> {
    match ws.part(component).or_else(|| ws.composite_part(component)) {
        Some(Ok(part)) => Ok(part),
        Some(Err(e)) => Err(ApiError::bad_request(format!(
            "`{component}` is not available, so its ports are unknown: {}",
            chain(e)
        ))),
        None => Err(ApiError::bad_request(format!(
            "`{component}` is neither a component nor a composite of the project"
        ))),
    }
}

fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> Result<NodeId, ApiError> {
    patchbay_compose::fresh_id(base, taken).map_err(ApiError::bad_request)
}

/// What feeds one import of a grouped node from outside the group.
#[derive(PartialEq)]
enum Feed {
    Wire(PortRef),
    Bound(Binding),
    Nothing,
}

impl Feed {
    fn describe(&self) -> String {
        match self {
            Feed::Wire(from) => format!("wired from `{from}`"),
            Feed::Bound(b) => format!("bound `{}`", b.mode()),
            Feed::Nothing => "neither wired nor bound".into(),
        }
    }
}

/// Groups `nodes` of the top-level graph into a new composite `name`:
/// wires between them move inside; every import of theirs no inner wire
/// feeds becomes the composite's port of that name (wires into it and its
/// binding move to the composite node); every export wired outward or
/// exported by the project becomes an export of the composite. Refused,
/// with the reason, when two grouped nodes would share a port they are fed
/// differently, or two export one name outward.
pub(crate) fn group(
    ws: &Workspace,
    nodes: &[String],
    name: &str,
) -> Result<(Project, NodeId), ApiError> {
    let p = ws.project();
    let name =
        ComponentId::new(name).map_err(|e| ApiError::bad_request(format!("composite {e}")))?;
    if p.components.contains_key(&name) || p.composites.contains_key(&name) {
        return Err(ApiError::bad_request(format!(
            "`{name}` already names a {}; components and composites share one set of names",
            if p.is_composite(&name) {
                "composite"
            } else {
                "component"
            }
        )));
    }
    if nodes.is_empty() {
        return Err(ApiError::bad_request("select at least one node to group"));
    }
    let mut grouped: Vec<NodeId> = Vec::new();
    for n in nodes {
        let Some((id, _)) = p.nodes.get_key_value(n.as_str()) else {
            return Err(ApiError::bad_request(format!(
                "there is no node `{n}` to group"
            )));
        };
        if !grouped.contains(id) {
            grouped.push(id.clone());
        }
    }
    let inside = |n: &str| grouped.iter().any(|g| g == n);
    let mut definition = Composite::default();
    for id in &grouped {
        definition.nodes.insert(id.clone(), p.nodes[id].clone());
    }
    definition.wires = p
        .wires
        .iter()
        .filter(|w| inside(&w.from.node) && inside(&w.to.node))
        .cloned()
        .collect();
    let node = fresh_id(&name, |id| p.nodes.contains_key(id) && !inside(id))?;

    // Ports: imports no inner wire feeds, by name, with what feeds each.
    let mut ports: BTreeMap<String, Vec<(NodeId, Feed)>> = BTreeMap::new();
    for id in &grouped {
        let part = part_of(ws, &p.nodes[id].component)?;
        for import in &part.imports {
            if definition
                .wires
                .iter()
                .any(|w| w.to.node == *id && w.to.port == import.name)
            {
                continue;
            }
            let feed = match p.wire_into(id, &import.name) {
                Some(w) => Feed::Wire(w.from.clone()),
                None if import.types_only => continue,
                None => match p.binding_for(id, &import.name) {
                    Some((_, b)) => Feed::Bound(b.clone()),
                    None => Feed::Nothing,
                },
            };
            ports
                .entry(import.name.clone())
                .or_default()
                .push((id.clone(), feed));
        }
    }
    for (port, members) in &ports {
        if let Some((other, feed)) = members.iter().find(|(_, f)| *f != members[0].1) {
            return Err(ApiError::bad_request(format!(
                "nodes `{}` and `{other}` both import `{port}`, which becomes one port of the composite, but `{}`'s is {} and `{other}`'s is {}; give them the same wire or binding first",
                members[0].0,
                members[0].0,
                members[0].1.describe(),
                feed.describe()
            )));
        }
    }

    // Exports used outside the group.
    let used_outside = |from: &PortRef| {
        p.wires
            .iter()
            .any(|w| w.from == *from && !inside(&w.to.node))
            || p.exports.iter().any(|e| e.from == *from)
    };
    let mut exported: BTreeMap<String, PortRef> = BTreeMap::new();
    for id in &grouped {
        let part = part_of(ws, &p.nodes[id].component)?;
        for export in &part.exports {
            let from = PortRef::new(id.clone(), &export.name);
            if !used_outside(&from) {
                continue;
            }
            if let Some(first) = exported.insert(export.name.clone(), from.clone()) {
                return Err(ApiError::bad_request(format!(
                    "`{first}` and `{from}` are both used outside the group under the name `{}`, and a composite exports each name once; group one of them without the other",
                    export.name
                )));
            }
            definition.exports.push(ExportDecl { from, name: None });
        }
    }

    let mut out = p.clone();
    let count = grouped.len() as f64;
    let position = model::Position {
        x: grouped.iter().map(|g| p.nodes[g].position.x).sum::<f64>() / count,
        y: grouped.iter().map(|g| p.nodes[g].position.y).sum::<f64>() / count,
    };
    out.nodes.retain(|id, _| !inside(id));
    out.nodes.insert(
        node.clone(),
        Node {
            component: name.clone(),
            position,
        },
    );
    let as_port = |from: &PortRef| {
        if inside(&from.node) {
            PortRef::new(node.clone(), &from.port)
        } else {
            from.clone()
        }
    };
    let mut wires: Vec<Wire> = Vec::new();
    for w in &p.wires {
        if inside(&w.from.node) && inside(&w.to.node) {
            continue;
        }
        let wire = Wire {
            from: as_port(&w.from),
            to: as_port(&w.to),
        };
        if !wires.contains(&wire) {
            wires.push(wire);
        }
    }
    out.wires = wires;
    for e in &mut out.exports {
        e.from = as_port(&e.from);
    }
    out.bindings
        .retain(|sel, _| sel.node.as_ref().is_none_or(|n| !inside(n)));
    for (port, members) in &ports {
        if let Feed::Bound(b) = &members[0].1 {
            if out.binding_for(&node, port).map(|(_, have)| have) != Some(b) {
                out.bindings
                    .insert(ImportSelector::exact(node.clone(), port.clone()), b.clone());
            }
        }
    }
    out.composites.insert(name, definition);
    Ok((out, node))
}
