//! Analysis: checking and composing a document, with the effective state
//! of every import and what the composed result can run.

use super::*;
use crate::dto::*;
use crate::ApiError;
use patchbay_compose::Workspace;
use patchbay_project as model;
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
            imports.push(ImportState {
                node: node.to_string(),
                port: port.name.clone(),
                mode,
                selector: (!wired)
                    .then(|| binding.map(|(s, _)| s.to_string()))
                    .flatten(),
                fake,
                types_only: port.types_only,
                scopes: patchbay_compose::grant_scopes(&port.name)
                    .iter()
                    .map(|&s| GrantScope::from(s))
                    .collect(),
            });
        }
    }
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
