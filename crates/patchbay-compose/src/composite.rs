//! Composites: each definition of the project composed into a component of
//! its own, registered in the workspace's graph as the package
//! `project:NAME`, so a node instantiating it is one instance of that
//! package. Nested composites compose first (definition order), so a
//! composite's graph instantiates the packages of the composites it uses.
//! This is what lifts wasmparser's limit of 1000 instances per component:
//! each level of nesting has its own.
//!
//! A composite is composed as [`patchbay_project::Project::composite_project`]
//! makes it a project of its own (its unwired imports left open, which makes
//! them its imports), by the same `check`, `build_graph` and `encode_graph`
//! as a whole project. Its problems are kept and reported by the enclosing
//! project's `check` at the composite (`composite stage, node a`). Results
//! are cached by content (the definition, every component's bytes, the
//! nested composites' bytes), so editing the enclosing graph does not
//! compose its composites again.

use crate::check::{Location, Problem, Severity};
use crate::compose::encode_graph;
use crate::{invalid, register_part, Part, PartError, Workspace};
use indexmap::IndexMap;
use patchbay_inspect::{LoadedComponent, SourceKind};
use patchbay_project::{ComponentId, LoadedProject, Project};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use wac_graph::CompositionGraph;

/// Composed composites by name, and the problems inside each.
pub(crate) type Composites = (
    IndexMap<ComponentId, Result<Part, PartError>>,
    IndexMap<ComponentId, Vec<Problem>>,
);

/// What composing one definition gave: its bytes or why not, and the
/// problems found inside it.
type Outcome = (Result<Vec<u8>, String>, Vec<Problem>);

/// Composed definitions by content key. Kept small: a definition changes
/// as it is edited, and the newest ones are the ones asked for again.
static CACHE: Mutex<Option<HashMap<String, Arc<Outcome>>>> = Mutex::new(None);
const CACHE_ENTRIES: usize = 64;

/// The file name a composite's part reports in messages.
pub(crate) fn composite_label(name: &str) -> PathBuf {
    PathBuf::from(format!("<composite {name}>"))
}

/// Composes every composite of `doc`'s project that has no definition
/// cycle (the validator reports those), nested ones first, and registers
/// each result in `graph`.
pub(crate) fn compose_composites(
    doc: &LoadedProject,
    parts: &Arc<IndexMap<ComponentId, Result<Part, PartError>>>,
    graph: &mut CompositionGraph,
) -> Composites {
    let project = &doc.project;
    let mut composites: IndexMap<ComponentId, Result<Part, PartError>> = IndexMap::new();
    let mut problems = IndexMap::new();
    if project.composites.is_empty() {
        return (composites, problems);
    }
    let (order, cycles) = project.composite_order();
    for name in cycles.into_iter().flatten() {
        let message = format!("composite `{name}` contains itself, so it cannot be composed");
        composites.insert(name.clone(), Err(invalid(&name, message)));
    }
    for name in order {
        let Some(sub) = project.composite_project(&name) else {
            continue;
        };
        if let Some(failed) = failed_nested(project, &name, &composites) {
            let message =
                format!("composite `{name}` uses composite `{failed}`, which does not compose");
            composites.insert(name.clone(), Err(invalid(&name, message)));
            continue;
        }
        let key = cache_key(&sub, parts, &composites);
        let outcome = cached(key, || {
            let ws = Workspace {
                doc: LoadedProject {
                    path: doc.path.clone(),
                    project: sub,
                    upgraded_from: None,
                },
                parts: parts.clone(),
                composites: Arc::new(composites.clone()),
                composite_problems: Arc::default(),
                graph: graph.clone(),
            };
            compose_one(&ws)
        });
        problems.insert(name.clone(), outcome.1.clone());
        let part = match &outcome.0 {
            Ok(bytes) => {
                let loaded = LoadedComponent {
                    kind: SourceKind::Component,
                    hash: patchbay_project::content_hash(bytes),
                    input_size: bytes.len(),
                    bytes: bytes.clone(),
                };
                register_part(&name, loaded, &composite_label(&name), graph)
            }
            Err(message) => Err(invalid(
                &name,
                format!("composite `{name}` does not compose: {message}"),
            )),
        };
        composites.insert(name, part);
    }
    (composites, problems)
}

/// The first composite `name`'s nodes instantiate that did not compose.
fn failed_nested(
    project: &Project,
    name: &str,
    composites: &IndexMap<ComponentId, Result<Part, PartError>>,
) -> Option<ComponentId> {
    project.composites[name]
        .nodes
        .values()
        .map(|n| &n.component)
        .find(|c| matches!(composites.get(*c), Some(Err(_))))
        .cloned()
}

/// Checks and composes one composite as a project of its own. Problems
/// the enclosing project reports itself are left out: component files
/// (reported at the component), the `leave` binding that opens its imports
/// (its notes about them), and notes.
fn compose_one(ws: &Workspace) -> Outcome {
    let mut problems: Vec<Problem> = ws
        .check()
        .into_iter()
        .filter(|p| {
            p.severity != Severity::Note
                && !matches!(
                    p.location,
                    Location::Component { .. } | Location::Binding { .. }
                )
        })
        .collect();
    if let Some(first) = problems.iter().find(|p| p.is_error()) {
        return (Err(first.to_string()), problems);
    }
    let bytes = ws
        .build_graph(&problems)
        .and_then(|built| encode_graph(&built.graph, &problems));
    match bytes {
        Ok(bytes) => (Ok(bytes), problems),
        Err(mut all) => {
            // The refusal check did not foresee comes first.
            let refusal = all.remove(0);
            let message = refusal.to_string();
            problems.insert(0, refusal);
            (Err(message), problems)
        }
    }
}

/// What a composite's composition depends on: its definition (and every
/// definition it could use), the bytes of every component, the bytes of
/// every composite composed so far.
fn cache_key(
    sub: &Project,
    parts: &IndexMap<ComponentId, Result<Part, PartError>>,
    composites: &IndexMap<ComponentId, Result<Part, PartError>>,
) -> String {
    let mut text = patchbay_project::to_toml(sub);
    for (id, part) in parts.iter().chain(composites.iter()) {
        text.push_str(id);
        text.push('=');
        match part {
            Ok(p) => text.push_str(&p.loaded.hash),
            Err(e) => text.push_str(&e.to_string()),
        }
        text.push('\n');
    }
    patchbay_project::content_hash(text.as_bytes())
}

fn cached(key: String, compose: impl FnOnce() -> Outcome) -> Arc<Outcome> {
    if let Some(hit) = CACHE
        .lock()
        .ok()
        .and_then(|c| c.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return hit;
    }
    let outcome = Arc::new(compose());
    if let Ok(mut cache) = CACHE.lock() {
        let map = cache.get_or_insert_with(HashMap::new);
        if map.len() >= CACHE_ENTRIES {
            map.clear();
        }
        map.insert(key, outcome.clone());
    }
    outcome
}

impl Workspace {
    /// The problems inside composite definitions, each at its composite
    /// (with the enclosing graph's nodes that instantiate it) and pinned to
    /// its entry under `[composites.NAME]`.
    pub(crate) fn composite_problems(&self) -> Vec<Problem> {
        let project = self.project();
        let mut out = Vec::new();
        for (name, problems) in self.composite_problems.iter() {
            let users: Vec<String> = project
                .nodes
                .iter()
                .filter(|(_, n)| n.component == *name)
                .map(|(id, _)| id.to_string())
                .collect();
            for p in problems {
                let mut p = p.clone();
                p.location = Location::Composite {
                    composite: name.to_string(),
                    nodes: users.clone(),
                    inner: Box::new(p.location),
                };
                p.site = p.site.map(|site| {
                    let mut keys = crate::Site::keys(["composites", name.as_str()]).0;
                    keys.extend(site.0);
                    crate::Site(keys)
                });
                p.position = None;
                out.push(p);
            }
        }
        out
    }
}

impl Workspace {
    /// Composite `name` as a workspace of its own: its nodes, wires and
    /// exports as the project [`Project::composite_project`] makes (every
    /// import its nodes leave unwired open), with this workspace's
    /// components and composed composites. What [`Self::compose_composite`]
    /// composes, and where the API finds how an inner node's imports become
    /// the composite's ([`Self::open_imports`]). `None` when the project
    /// defines no composite `name`.
    pub fn composite_workspace(&self, name: &str) -> Option<Workspace> {
        self.project()
            .composite_project(name)
            .map(|sub| self.sub_workspace(sub))
    }

    fn sub_workspace(&self, project: Project) -> Workspace {
        Workspace {
            doc: LoadedProject {
                path: self.doc.path.clone(),
                project,
                upgraded_from: None,
            },
            parts: self.parts.clone(),
            composites: self.composites.clone(),
            composite_problems: self.composite_problems.clone(),
            graph: self.graph.clone(),
        }
    }

    /// Composes composite `name` alone into a component: its nodes, wires
    /// and exports as a project of their own, every import its nodes leave
    /// unwired an import of the result (`patchbay compose --composite`,
    /// the editor's *Export composite*). The recipe instantiates its inner
    /// nodes; nested composites are packages written beside it.
    pub fn compose_composite(&self, name: &str) -> Result<crate::Composed, Vec<Problem>> {
        let Some(sub) = self.project().composite_project(name) else {
            let known: Vec<&str> = self
                .project()
                .composites
                .keys()
                .map(|n| n.as_str())
                .collect();
            return Err(vec![Problem::error(
                crate::ProblemCode::UnknownComponent,
                Location::Project,
                format!(
                    "the project has no composite `{name}`{}",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!("; its composites are {}", known.join(", "))
                    }
                ),
            )]);
        };
        let ws = self.sub_workspace(sub);
        let mut composed = ws.compose().map_err(|problems| {
            problems
                .into_iter()
                .filter(|p| !matches!(p.location, Location::Component { .. }))
                .collect::<Vec<_>>()
        })?;
        composed
            .warnings
            .retain(|p| !matches!(p.location, Location::Binding { .. }));
        Ok(composed)
    }
}
