//! Sealed composition: the project composed with its denials and mocks
//! inside.
//!
//! [`Workspace::compose_sealed`] composes like [`Workspace::compose`], but
//! every unwired import a node binds `deny` is satisfied by a generated
//! deny stub ([`stub`]): a component exporting that import, with the same
//! WIT, whose functions trap. The trap's backtrace names the denial
//! ([`denial_name`]), so whoever runs the artifact, with any engine, sees
//! which node called what.
//!
//! Every unwired import a node binds `mock` is satisfied the same way by a
//! mock stub, whose core code ([`mock`]) answers with the mock's WAVE values
//! lowered through the canonical ABI at build time ([`lower`]): `returns`,
//! `sequence` (a counter in a global; the last value repeats), `cases`
//! (matching scalar, enum and string arguments) and `trap` (a function
//! named after the mock and the message). The values are parsed by
//! [`crate::mock_answers`], the rule `check` and the host apply, so the
//! artifact answers what the in-app sandbox answered.
//!
//! Fakes and grant scopes are sealed too ([`fake`]): the `kv` and
//! `config` fakes and seeded random sources by the fakes' guest module
//! (Rust, built from source by the `patchbay-fakes` crate) configured with
//! the binding's values ([`guest`]); with `functions` overrides, the same
//! module with the overridden functions' mock code added, so those answer
//! the mock's values and the others the fake; the `kv` fake of the
//! standard `wasi:keyvalue` ([`keyvalue`]) by the guest's build for that
//! version, one stub per node serving its `store`, `atomics` and `batch`
//! over one set of buckets ([`Stub::also`]); the `config` fake of the
//! standard `wasi:config/store` by a mock stub of its values; a grant of
//! `wasi:cli/environment` by the guest's environment filter, which passes
//! on only the variables the grant names; the `clock` fake and fixed wall
//! clocks, and the `log` fake, by mock stubs. The `http` fake is sealed by
//! a guest component of its own ([`http`]), configured with the binding's
//! canned responses: it owns the node's `wasi:http/types` and the
//! `wasi:io` streams and pollables they speak in, forwards the host's
//! `wasi:cli/std*` and monotonic clock through them, and serves every one
//! of those imports of its node (one stub, [`Stub::also`]).
//!
//! The result imports only what is granted or left open, plus the imports
//! whose binding cannot be sealed yet (an `http` fake whose node takes
//! streams or pollables from the host through another import, mocks whose
//! types hold resource handles, constructors, a fixed monotonic clock
//! waited on with `subscribe-instant` alone, a standard `wasi:keyvalue`
//! interface bound otherwise than its siblings), which
//! [`Sealed::not_sealed`] lists, each with its reason.

mod core;
mod fake;
mod guest;
mod handles;
mod http;
mod keyvalue;
mod lower;
mod mock;
mod stub;

pub use self::core::STUB_MODULE_NAME;
pub use mock::{mock_trap_name, MOCK_PREFIX};
pub use stub::{denial_name, DENIAL_PREFIX};

use crate::compose::chain;
use crate::compose::{encode_graph, Composed};
use crate::wac::{recipe_sources, wac_text, ExtraInstance, SEALED_NAMESPACE};
use crate::{read_package, Problem, Workspace};
use patchbay_project::{Binding, Fake};
use std::collections::{HashMap, HashSet};
use stub::StubSource;

/// The folder, next to the recipe, that the sealed `.wac` names for the
/// deny stubs' packages (`stubs/NAME.wasm`).
pub const STUB_FOLDER: &str = "stubs";

/// A composition with its denials sealed in.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// The composed component, its recipe (naming the stubs in
    /// [`STUB_FOLDER`]), its remaining imports and the check's warnings.
    pub composed: Composed,
    /// The deny and mock stubs composed in, in instantiation order.
    pub stubs: Vec<Stub>,
    /// Imports whose binding is not sealed yet: they stay imports of the
    /// result, and whoever runs it decides what they get.
    pub not_sealed: Vec<NotSealed>,
}

/// What a stub seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StubKind {
    /// A `deny` binding: every function traps naming the denial.
    Deny,
    /// A `mock` binding: every function answers the mock's values.
    Mock,
    /// A `mock` binding with a fake: the fake's code (the `kv` and
    /// `config` maps, seeded random sources, the `http` fake's guest) or
    /// its fixed answers (clock, log), configured with the binding's
    /// values.
    Fake,
    /// A `grant` whose scope the artifact enforces itself: only the
    /// variables it names (`env`), a seeded random source, a fixed wall
    /// clock. The stub stands between the node and the host's import.
    Scope,
}

/// The former name of [`Stub`], from when only denials were sealed.
pub type DenyStub = Stub;

/// One denied or mocked import, sealed by a generated component.
#[derive(Debug, Clone)]
pub struct Stub {
    /// Whether it seals a denial or a mock.
    pub kind: StubKind,
    /// The node whose import it satisfies.
    pub node: String,
    /// The import (the stub's one export, or for the `http` fake the
    /// node's `wasi:http/outgoing-handler`).
    pub import: String,
    /// Its instance name in the recipe, and its package's name there
    /// (`sealed:NAME`); unique in the composition.
    pub name: String,
    /// Per function: for a denial its [`denial_name`], the trap it raises;
    /// for a mock, `IMPORT#function` (the trap names of a mock start
    /// with [`MOCK_PREFIX`]).
    pub functions: Vec<String>,
    /// Whether the stub imports, from whoever runs the artifact, the very
    /// import it serves (the environment filter reads the host's
    /// environment and passes on part of it).
    pub reads_host: bool,
    /// The node's other imports its one instance serves too: the `kv`
    /// fake of the standard `wasi:keyvalue` serves the node's `atomics`
    /// and `batch` beside its `store`, over the same buckets; the `http`
    /// fake's guest serves the node's `wasi:http/types`, `wasi:io`,
    /// `wasi:cli/std*` and monotonic clock beside its outgoing handler.
    pub also: Vec<String>,
    /// The stub component.
    pub bytes: Vec<u8>,
}

/// One import whose binding the sealed artifact does not carry yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSealed {
    /// The node.
    pub node: String,
    /// The import, as the node's component names it.
    pub import: String,
    /// The binding's mode as the project file writes it: `mock` or
    /// `grant` (a grant whose scope the artifact cannot enforce).
    pub mode: &'static str,
    /// Why it stays an import.
    pub reason: String,
}

impl std::fmt::Display for NotSealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}.{}`: {}", self.node, self.import, self.reason)
    }
}

/// Why a project cannot be composed sealed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SealError {
    /// The project has errors (or wac-graph refused it): every problem,
    /// warnings included, as [`Workspace::compose`] returns them.
    #[error("the project does not compose ({} problem{})", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Problems(Vec<Problem>),
    /// A denied import for which no stub can be made.
    #[error("cannot seal the denial of `{import}` of node `{node}`: {reason}")]
    Stub {
        /// The node.
        node: String,
        /// The import.
        import: String,
        /// Why.
        reason: String,
    },
    /// A stub that wac-graph would not place in the composition.
    #[error("cannot compose the deny stub of `{import}` into node `{node}`: {reason}")]
    Wire {
        /// The node.
        node: String,
        /// The import.
        import: String,
        /// wac-graph's reason.
        reason: String,
    },
}

impl Workspace {
    /// Checks the project and composes it with every unwired import bound
    /// `deny` satisfied by a deny stub and every one bound `mock` by a mock
    /// stub, a fake's stub or (for a grant whose scope the artifact can
    /// enforce) a scope's stub; a node's `wasi:http/outgoing-handler` bound
    /// to the `http` fake, with its HTTP types, streams and stdio, by the
    /// `http` fake's guest. Bindings that cannot be baked (values holding
    /// resource handles, constructors, async functions, an `http` fake
    /// whose node takes host streams through another import, a fixed
    /// monotonic clock waited on with `subscribe-instant` alone, a standard
    /// `wasi:keyvalue` interface bound otherwise than its siblings) stay
    /// imports, listed with the reason in [`Sealed::not_sealed`].
    pub fn compose_sealed(&self) -> Result<Sealed, SealError> {
        let problems = self.check();
        if problems.iter().any(Problem::is_error) {
            return Err(SealError::Problems(problems));
        }
        let mut built = self.build_graph(&problems).map_err(SealError::Problems)?;
        let project = self.project();
        let mut sources: HashMap<String, StubSource> = HashMap::new();
        let mut taken: HashSet<String> = project.nodes.keys().map(|n| n.to_string()).collect();
        let mut stubs: Vec<Stub> = Vec::new();
        let mut not_sealed = Vec::new();
        // Per stub: its import → (instance, export) feeding it, for the recipe.
        let mut stub_args: Vec<Vec<(String, String, String)>> = Vec::new();
        for node in self.node_order() {
            let Some(part) = self.node_part(node) else {
                continue;
            };
            let component = project.nodes[node].component.as_str();
            // This node's stubs, by the import they serve: name and instance.
            let mut sealed_here: HashMap<&str, (String, wac_graph::NodeId)> = HashMap::new();
            // Its standard key-value fake per version: name, instance and
            // place in `stubs`.
            let mut kv_here: HashMap<&str, (String, wac_graph::NodeId, usize)> = HashMap::new();
            let http_plan = match http::handler(project, node, part) {
                None => None,
                Some(handler) => {
                    let source = source_of(&mut sources, component, part).map_err(|why| {
                        SealError::Stub {
                            node: node.to_string(),
                            import: handler.to_string(),
                            reason: why,
                        }
                    })?;
                    http::plan(project, node, part, source)
                }
            };
            // The handler whose `http` fake could not be sealed, listed once.
            let mut http_refused: Option<String> = None;
            match http_plan {
                None => {}
                Some(Err(refused)) => {
                    http_refused = Some(refused.import.clone());
                    not_sealed.push(refused);
                }
                Some(Ok(seal)) => {
                    let name = unique_name(node, StubKind::Fake, &seal.handler, &mut taken);
                    let wire_error = |reason: String| SealError::Wire {
                        node: node.to_string(),
                        import: seal.handler.clone(),
                        reason,
                    };
                    let graph = &mut built.graph;
                    let instance = instantiate_stub(graph, &name, &seal.bytes, "the http fake")
                        .map_err(wire_error)?;
                    let target = built
                        .instances
                        .get(node)
                        .copied()
                        .ok_or_else(|| wire_error(format!("node `{node}` has no instance")))?;
                    for import in &seal.serves {
                        let alias = graph
                            .alias_instance_export(instance, import)
                            .map_err(|e| wire_error(chain(&e)))?;
                        graph
                            .set_instantiation_argument(target, import, alias)
                            .map_err(|e| wire_error(format!("`{import}`: {}", chain(&e))))?;
                        let port = part
                            .imports
                            .iter()
                            .find(|p| &p.name == import)
                            .map(|p| p.name.as_str())
                            .ok_or_else(|| {
                                wire_error(format!("the node has no import `{import}`"))
                            })?;
                        sealed_here.insert(port, (name.clone(), instance));
                    }
                    stub_args.push(Vec::new());
                    stubs.push(Stub {
                        kind: StubKind::Fake,
                        node: node.to_string(),
                        also: seal
                            .serves
                            .iter()
                            .filter(|i| **i != seal.handler)
                            .cloned()
                            .collect(),
                        import: seal.handler,
                        name,
                        functions: seal.functions,
                        // It forwards the host's streams, clock and stdio.
                        reads_host: true,
                        bytes: seal.bytes,
                    });
                }
            }
            // Imports in world order: an interface comes after those it uses.
            for port in &part.imports {
                if project.wire_into(node, &port.name).is_some()
                    || sealed_here.contains_key(port.name.as_str())
                    || http_refused.as_deref() == Some(port.name.as_str())
                {
                    continue;
                }
                let names: Vec<String> = port.functions.iter().map(|f| f.name.clone()).collect();
                let binding = project.binding_for(node, &port.name).map(|(_, b)| b);
                let standard_kv = matches!(binding, Some(Binding::Mock(m)) if m.fake == Some(Fake::KeyValue))
                    && crate::binding::standard_fake(Fake::KeyValue, &port.name)
                    && !port.types_only;
                let version = port.name.split_once('@').map_or("", |(_, v)| v);
                if let Some((name, instance, at)) =
                    standard_kv.then(|| kv_here.get(version)).flatten()
                {
                    // The node's key-value stub of this version serves this
                    // interface too.
                    let wire_error = |reason: String| SealError::Wire {
                        node: node.to_string(),
                        import: port.name.clone(),
                        reason,
                    };
                    let graph = &mut built.graph;
                    let alias = graph
                        .alias_instance_export(*instance, &port.name)
                        .map_err(|e| wire_error(chain(&e)))?;
                    let target = built
                        .instances
                        .get(node)
                        .copied()
                        .ok_or_else(|| wire_error(format!("node `{node}` has no instance")))?;
                    graph
                        .set_instantiation_argument(target, &port.name, alias)
                        .map_err(|e| wire_error(chain(&e)))?;
                    stubs[*at].also.push(port.name.clone());
                    sealed_here.insert(&port.name, (name.clone(), *instance));
                    continue;
                }
                let want = match binding {
                    Some(Binding::Deny) => Want::Deny,
                    Some(Binding::Mock(mock)) if !port.types_only => Want::Mock(mock),
                    Some(Binding::Grant(grant)) if !port.types_only => {
                        match fake::scope_plan(grant, &port.name, &names) {
                            Some(plan) => Want::Scope(Box::new(plan)),
                            None => continue,
                        }
                    }
                    _ => continue,
                };
                let stub_error = |reason: String| SealError::Stub {
                    node: node.to_string(),
                    import: port.name.clone(),
                    reason,
                };
                let source = source_of(&mut sources, component, part).map_err(stub_error)?;
                let (made, kind) = match want {
                    Want::Deny => (
                        source.deny_stub(node, &port.name).map_err(stub_error)?,
                        StubKind::Deny,
                    ),
                    Want::Mock(mock) => {
                        let made = match mock.fake {
                            None => source
                                .mock_stub(node, &port.name, mock, &port.functions)
                                .map(|m| (m, StubKind::Mock)),
                            Some(_) if standard_kv => {
                                keyvalue_agrees(project, node, part, &port.name, mock)
                                    .and_then(|()| keyvalue::version_of(&port.name))
                                    .and_then(|kv| keyvalue::keyvalue_stub(kv, mock))
                                    .map(|m| (m, StubKind::Fake))
                            }
                            Some(fake) => fake::fake_plan(fake, mock, &port.name, &names)
                                .and_then(|plan| {
                                    seal_plan(source, node, &port.name, &plan, &port.functions)
                                })
                                .map(|m| (m, StubKind::Fake)),
                        };
                        match made {
                            Ok(made) => made,
                            Err(why) => {
                                not_sealed.push(NotSealed {
                                    node: node.to_string(),
                                    import: port.name.clone(),
                                    mode: "mock",
                                    reason: format!("{why}; it stays an import"),
                                });
                                continue;
                            }
                        }
                    }
                    Want::Scope(plan) => {
                        match (*plan).and_then(|plan| {
                            seal_plan(source, node, &port.name, &plan, &port.functions)
                        }) {
                            Ok(made) => (made, StubKind::Scope),
                            Err(why) => {
                                not_sealed.push(NotSealed {
                                    node: node.to_string(),
                                    import: port.name.clone(),
                                    mode: "grant",
                                    reason: format!(
                                        "its grant's scope is not enforced inside the artifact: {why}; it stays an import, and the host it runs on decides what it gives"
                                    ),
                                });
                                continue;
                            }
                        }
                    }
                };
                let name = unique_name(node, kind, &port.name, &mut taken);
                let wire_error = |reason: String| SealError::Wire {
                    node: node.to_string(),
                    import: port.name.clone(),
                    reason,
                };
                let graph = &mut built.graph;
                let instance =
                    instantiate_stub(graph, &name, &made.bytes, "the stub").map_err(wire_error)?;
                let mut args = Vec::new();
                for dep in &made.imports {
                    let source = if let Some((stub, id)) = sealed_here.get(dep.as_str()) {
                        Some((*id, stub.clone(), dep.clone()))
                    } else {
                        project.wire_into(node, dep).and_then(|w| {
                            built
                                .instances
                                .get(w.from.node.as_str())
                                .map(|id| (*id, w.from.node.to_string(), w.from.port.clone()))
                        })
                    };
                    // Otherwise the stub imports it, merged with the node's
                    // own import of it when the composition is encoded.
                    let Some((from, from_name, export)) = source else {
                        continue;
                    };
                    let alias = graph
                        .alias_instance_export(from, &export)
                        .map_err(|e| wire_error(chain(&e)))?;
                    graph
                        .set_instantiation_argument(instance, dep, alias)
                        .map_err(|e| wire_error(chain(&e)))?;
                    args.push((dep.clone(), from_name, export));
                }
                let alias = graph
                    .alias_instance_export(instance, &port.name)
                    .map_err(|e| wire_error(chain(&e)))?;
                let target = built
                    .instances
                    .get(node)
                    .copied()
                    .ok_or_else(|| wire_error(format!("node `{node}` has no instance")))?;
                graph
                    .set_instantiation_argument(target, &port.name, alias)
                    .map_err(|e| wire_error(chain(&e)))?;
                sealed_here.insert(&port.name, (name.clone(), instance));
                if standard_kv && kind == StubKind::Fake {
                    kv_here.insert(version, (name.clone(), instance, stubs.len()));
                }
                stub_args.push(args);
                stubs.push(Stub {
                    kind,
                    node: node.to_string(),
                    import: port.name.clone(),
                    name,
                    functions: made.functions,
                    reads_host: made.imports.contains(&port.name),
                    also: Vec::new(),
                    bytes: made.bytes,
                });
            }
        }
        let bytes = encode_graph(&built.graph, &problems).map_err(SealError::Problems)?;
        let imports = top_level_imports(&bytes);
        let extra: Vec<ExtraInstance<'_>> = stubs
            .iter()
            .zip(stub_args)
            .map(|(s, args)| ExtraInstance {
                node: &s.node,
                name: &s.name,
                path: format!("{STUB_FOLDER}/{}.wasm", s.name),
                serves: &s.import,
                also: &s.also,
                args,
            })
            .collect();
        let wac = wac_text(self, &extra);
        let sources = recipe_sources(self, &extra);
        Ok(Sealed {
            composed: Composed {
                bytes,
                wac,
                imports,
                warnings: problems,
                sources,
            },
            stubs,
            not_sealed,
        })
    }
}

/// The decoded WIT of `component` (a node's `part`), decoded once.
fn source_of<'s>(
    sources: &'s mut HashMap<String, StubSource>,
    component: &str,
    part: &crate::Part,
) -> Result<&'s StubSource, String> {
    match sources.entry(component.to_string()) {
        std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(e) => Ok(e.insert(
            StubSource::new(&part.loaded.bytes)
                .map_err(|why| format!("component `{component}`: {why}"))?,
        )),
    }
}

/// What a node's binding asks the sealed artifact to carry.
enum Want<'p> {
    Deny,
    Mock(&'p patchbay_project::Mock),
    /// A grant whose scope the artifact enforces, or why it cannot.
    Scope(Box<Result<fake::Plan, String>>),
}

/// Whether every unwired `wasi:keyvalue` import of `node` at `import`'s
/// version is bound to the `kv` fake with `mock`'s values: the sealed fake
/// serves them all from one set of buckets, as the host's scope does, so
/// it stands in for all of them or for none. The error says which differs.
fn keyvalue_agrees(
    project: &patchbay_project::Project,
    node: &str,
    part: &crate::Part,
    import: &str,
    mock: &patchbay_project::Mock,
) -> Result<(), String> {
    let version = import.split_once('@').map_or("", |(_, v)| v);
    for other in &part.imports {
        let same_family = other.name.starts_with("wasi:keyvalue/")
            && other.name.split_once('@').map(|(_, v)| v) == Some(version);
        if !same_family || other.name == import || project.wire_into(node, &other.name).is_some() {
            continue;
        }
        match project.binding_for(node, &other.name).map(|(_, b)| b) {
            Some(Binding::Mock(m)) if m.fake == Some(Fake::KeyValue) && m.values == mock.values => {}
            _ => {
                return Err(format!(
                    "the `kv` fake of the standard `{import}` keeps its buckets for all of the node's `wasi:keyvalue` interfaces, and `{}` is bound otherwise",
                    other.name
                ))
            }
        }
    }
    Ok(())
}

/// The stub a fake's or a scope's plan makes.
fn seal_plan(
    source: &StubSource,
    node: &str,
    import: &str,
    plan: &fake::Plan,
    ports: &[crate::PortFunction],
) -> Result<stub::StubComponent, String> {
    match plan {
        fake::Plan::Guest(guest) => source.guest_stub(node, import, guest, ports),
        fake::Plan::Mock(mock) => source.mock_stub(node, import, mock, ports),
    }
}

/// A recipe name for the stub of `import` of `node`, unique among node ids
/// and other stubs: `denied-deny-cli-environment` for
/// `wasi:cli/environment@0.2.12` (`mocked-mock-…` for a mock).
/// Registers a generated stub (`what`, for the error) in the sealed graph
/// under `name` and instantiates it once.
fn instantiate_stub(
    graph: &mut wac_graph::CompositionGraph,
    name: &str,
    bytes: &[u8],
    what: &str,
) -> Result<wac_graph::NodeId, String> {
    let package = read_package(
        &format!("{SEALED_NAMESPACE}:{name}"),
        bytes.to_vec(),
        graph.types_mut(),
    )
    .map_err(|e| format!("{what} does not read back: {e}"))?;
    let package = graph.register_package(package).map_err(|e| chain(&e))?;
    let instance = graph.instantiate(package);
    graph.set_node_name(instance, name);
    Ok(instance)
}

fn unique_name(node: &str, kind: StubKind, import: &str, taken: &mut HashSet<String>) -> String {
    let base = import.split('@').next().unwrap_or(import);
    let base = base.split_once(':').map_or(base, |(_, rest)| rest);
    let kind = match kind {
        StubKind::Deny => "deny",
        StubKind::Mock => "mock",
        StubKind::Fake => "fake",
        StubKind::Scope => "scope",
    };
    let mut name = format!("{node}-{kind}-{}", base.replace('/', "-"));
    while taken.contains(&name) {
        name.push_str("-again");
    }
    taken.insert(name.clone());
    name
}

/// The names of a component's top-level imports, types excepted (a type a
/// world `use`s is no capability). The bytes were validated by the encoder.
pub(crate) fn top_level_imports(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else { break };
        match payload {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::ComponentImportSection(reader) if depth == 0 => {
                for import in reader.into_iter().flatten() {
                    if !matches!(import.ty, wasmparser::ComponentTypeRef::Type(_)) {
                        names.push(import.name.name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    names
}
