//! Analysis: checking and composing a document, with the effective state
//! of every import and what the composed result can run.

use super::*;
use crate::dto::*;
use crate::ApiError;
use patchbay_compose::Workspace;
use patchbay_project as model;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

impl Session {
    /// Checks and composes `doc`.
    pub async fn analyze(&self, request: DocRequest) -> Result<Analysis, ApiError> {
        let start = Instant::now();
        match self.workspace_of(&request.doc) {
            Ok(ws) => Ok(analyze(&ws)),
            // Ids the model cannot hold: the document's problems, at their
            // place, and nothing to check or compose until they are fixed.
            Err(NotAModel::Ids(invalid)) => Ok(Analysis {
                problems: invalid
                    .iter()
                    .map(|p| Problem::invalid(p, &request.doc))
                    .collect(),
                imports: Vec::new(),
                composed: None,
                millis: start.elapsed().as_secs_f64() * 1000.0,
                composites: Vec::new(),
                inside: Vec::new(),
            }),
            Err(NotAModel::Other(e)) => Err(e),
        }
    }
}

/// Checks and composes; never fails (problems are the result).
pub(crate) fn analyze(ws: &Workspace) -> Analysis {
    let start = Instant::now();
    let project = ws.project();
    let mut imports = Vec::new();
    for node in project.nodes.keys() {
        let Some(part) = ws.node_part(node) else {
            continue;
        };
        for port in &part.imports {
            let wired = project.wire_into(node, &port.name).is_some();
            let binding = project.binding_for(node, &port.name);
            let (mode, fake) = if wired {
                (ImportMode::Wired, None)
            } else {
                match binding.map(|(_, b)| b) {
                    None | Some(model::Binding::Leave) => (ImportMode::Leave, None),
                    Some(model::Binding::Grant(_)) => (ImportMode::Grant, None),
                    Some(model::Binding::Deny) => (ImportMode::Deny, None),
                    Some(model::Binding::Mock(m)) => {
                        (ImportMode::Mock, m.fake.map(FakeName::from_model))
                    }
                }
            };
            let selector = (!wired)
                .then(|| binding.map(|(s, _)| s.to_string()))
                .flatten();
            imports.push(import_state(node, port, mode, selector, fake));
        }
    }
    let inside = inside_imports(ws, &imports);
    let (problems, composed): (Vec<Problem>, _) = match ws.compose() {
        Ok(c) => {
            let summary = composed_summary(&c);
            (
                c.warnings.iter().map(Problem::from).collect(),
                Some(summary),
            )
        }
        Err(problems) => (problems.iter().map(Problem::from).collect(), None),
    };
    // The document's own rules, the ones save and the file loader apply.
    let invalid = project.validate();
    let problems: Vec<Problem> = if invalid.is_empty() {
        problems
    } else {
        let doc = ProjectDoc::from_model(project);
        invalid
            .iter()
            .map(|p| Problem::invalid(p, &doc))
            .chain(problems)
            .collect()
    };
    Analysis {
        problems,
        imports,
        composed,
        millis: start.elapsed().as_secs_f64() * 1000.0,
        composites: crate::views::composite_views(ws),
        inside,
    }
}

fn import_state(
    node: &str,
    port: &patchbay_compose::PortSummary,
    mode: ImportMode,
    selector: Option<String>,
    fake: Option<FakeName>,
) -> ImportState {
    ImportState {
        node: node.to_string(),
        port: port.name.clone(),
        mode,
        selector,
        fake,
        types_only: port.types_only,
        scopes: patchbay_compose::grant_scopes(&port.name)
            .iter()
            .map(|&s| GrantScope::from(s))
            .collect(),
    }
}

/// Composite `name` as a workspace of its own, and the composition's
/// import each inner import no inner wire feeds merged into (the rule its
/// composition applies, [`Workspace::open_imports`]).
struct Definition {
    ws: Workspace,
    open: patchbay_compose::OpenImports,
}

/// One level of a chain of composites: the composite nodes entered so far,
/// the composites they instantiate, and the level's nodes (id, what each
/// instantiates) with their import states.
struct Level<'a> {
    path: &'a [String],
    through: &'a [String],
    nodes: Vec<(String, String)>,
    states: &'a [ImportState],
}

/// The import states inside every composite, for every chain of composite
/// nodes that leads into one (see [`InsideImports`]); `top` are the top
/// level's states. An inner import an inner wire feeds is `wired`; one no
/// inner wire feeds is satisfied as the composite node's port it became is
/// (its state one level out, which may come from further out); an inner
/// import whose port is unknown (the composite does not compose) has no
/// state. A definition that contains itself is not entered again.
fn inside_imports(ws: &Workspace, top: &[ImportState]) -> Vec<InsideImports> {
    let mut definitions = HashMap::new();
    let mut out = Vec::new();
    let nodes = graph_nodes(ws.project());
    let level = Level {
        path: &[],
        through: &[],
        nodes,
        states: top,
    };
    enter(ws, &mut definitions, &level, &mut out);
    out
}

fn graph_nodes(project: &model::Project) -> Vec<(String, String)> {
    project
        .nodes
        .iter()
        .map(|(id, n)| (id.to_string(), n.component.to_string()))
        .collect()
}

/// Enters every composite node of `level`, recording the states inside and
/// going on into the composite nodes found there.
fn enter(
    ws: &Workspace,
    definitions: &mut HashMap<String, Option<Rc<Definition>>>,
    level: &Level<'_>,
    out: &mut Vec<InsideImports>,
) {
    for (node, composite) in &level.nodes {
        if !ws.project().is_composite(composite) || level.through.contains(composite) {
            continue;
        }
        let definition = definitions
            .entry(composite.clone())
            .or_insert_with(|| {
                ws.composite_workspace(composite).map(|ws| {
                    let open = ws.open_imports();
                    Rc::new(Definition { ws, open })
                })
            })
            .clone();
        let Some(definition) = definition else {
            continue;
        };
        let outside: Vec<&ImportState> = level.states.iter().filter(|s| s.node == *node).collect();
        let inner = definition.ws.project();
        let mut imports = Vec::new();
        for id in inner.nodes.keys() {
            let Some(part) = definition.ws.node_part(id) else {
                continue;
            };
            for port in &part.imports {
                if inner.wire_into(id, &port.name).is_some() {
                    imports.push(import_state(id, port, ImportMode::Wired, None, None));
                    continue;
                }
                let as_port = definition
                    .open
                    .composed_name(id, &port.name)
                    .and_then(|name| outside.iter().find(|s| s.port == name));
                if let Some(s) = as_port {
                    imports.push(import_state(id, port, s.mode, s.selector.clone(), s.fake));
                }
            }
        }
        let path: Vec<String> = level.path.iter().chain([node]).cloned().collect();
        let through: Vec<String> = level.through.iter().chain([composite]).cloned().collect();
        out.push(InsideImports {
            path: path.clone(),
            composite: composite.clone(),
            imports,
        });
        let at = out.len() - 1;
        let states = out[at].imports.clone();
        let next = Level {
            path: &path,
            through: &through,
            nodes: graph_nodes(inner),
            states: &states,
        };
        enter(ws, definitions, &next, out);
    }
}

fn composed_summary(c: &patchbay_compose::Composed) -> ComposedSummary {
    let info = c.describe().ok();
    let mut run_targets = Vec::new();
    let mut serves_http = false;
    if let Some(info) = &info {
        for port in &info.exports {
            if patchbay_host::serve::is_http_handler(&port.name) {
                serves_http = true;
            }
            for f in &port.functions {
                if f.kind != patchbay_inspect::FunctionKind::Freestanding {
                    continue;
                }
                let call_prefix = match port.kind {
                    patchbay_inspect::PortKind::Function => port.name.clone(),
                    patchbay_inspect::PortKind::Interface => format!("{}#{}", port.name, f.name),
                };
                let function = FunctionInfo::from(f);
                let callable = function.params.iter().all(|p| {
                    !matches!(
                        p.shape,
                        TypeShape::Handle { .. } | TypeShape::Unsupported { .. }
                    )
                });
                run_targets.push(RunTarget {
                    export: port.name.clone(),
                    function,
                    call_prefix,
                    callable,
                });
            }
        }
    }
    ComposedSummary {
        size: c.bytes.len() as u64,
        hash: model::content_hash(&c.bytes),
        imports: c.imports.clone(),
        wit: info.as_ref().map(|i| i.wit.clone()).unwrap_or_default(),
        wac: c.wac.clone(),
        info: info.as_ref().map(ComponentInfo::from),
        run_targets,
        serves_http,
    }
}
