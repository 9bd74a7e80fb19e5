//! Traced runs: every node is instantiated on its own, in one Store, and
//! each wire is a host trampoline that forwards the call to the exporting
//! node and records it (caller, callee, function, WAVE arguments and result,
//! duration).
//!
//! Resources exported across a wire are lent to the importer as host
//! resources (one `host_dynamic` type per wired resource) standing for the
//! exporter's handles; the trampolines swap one for the other in arguments
//! and results, and dropping the importer's handle drops the exporter's.

use crate::caps::Capabilities;
use crate::events::Event;
use crate::report::RunFailure;
use crate::run::{classify, Entry, ExportFn};
use crate::state::RunState;
use crate::{Host, Limits, PrepareError, Prepared, RunReport, TraceEntry};
use patchbay_compose::Workspace;
use std::time::Instant;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{
    Component, ComponentExportIndex, InstancePre, Linker, ResourceAny, ResourceDynamic,
    ResourceType, Val,
};
use wasmtime::StoreContextMut;

mod concurrent;
mod forward;

use forward::{results_to_importer, wired_func};

/// One node ready to be instantiated.
struct NodeRun {
    id: String,
    pre: InstancePre<RunState>,
}

/// The scope index of `node` in a traced run: its place in node order.
fn scope_index(nodes: &[NodeRun], node: &str) -> Option<usize> {
    nodes.iter().position(|n| n.id == node)
}

/// A project prepared to run: traced (each node its own instance) or
/// composed, with the reason for the choice.
pub struct Runnable {
    inner: Traced,
    /// Why traced runs are traced, when the host chose it.
    reason: Option<String>,
}

enum Traced {
    Nodes(TracedNodes),
    Fallback {
        composed: Box<Prepared>,
        reason: String,
    },
}

/// Every node prepared on its own, wires replaced by trampolines.
pub(crate) struct TracedNodes {
    nodes: Vec<NodeRun>,
    /// Each node's own capabilities, in node order: its scope.
    pub(crate) caps: Vec<Capabilities>,
    pub(crate) exports: Vec<ExportFn>,
    pub(crate) project: String,
    links: Vec<ResourceLink>,
}

impl TracedNodes {
    /// Instantiates every node in `store`, each in its own scope, and
    /// learns the resource types that cross wires.
    pub(crate) async fn instantiate(
        &self,
        store: &mut wasmtime::Store<RunState>,
        limits: &Limits,
    ) -> Result<(), RunFailure> {
        for (scope, node) in self.nodes.iter().enumerate() {
            store.data_mut().enter(scope);
            let instance = node
                .pre
                .instantiate_async(&mut *store)
                .await
                .map_err(|e| classify(e, &node.id, limits, true))?;
            store.data_mut().nodes.insert(node.id.clone(), instance);
        }
        for link in &self.links {
            let names = &mut store.data_mut().forwarded.names;
            names.insert(link.payload, link.name.clone());
            let exporter = store.data().nodes[&link.callee];
            if let Some(ty) = exporter.get_resource(&mut *store, link.index) {
                store.data_mut().forwarded.types.push((ty, link.payload));
            }
        }
        Ok(())
    }

    /// The scope index of `node`: its place in node order.
    pub(crate) fn scope_of(&self, node: &str) -> usize {
        scope_index(&self.nodes, node).unwrap_or(usize::MAX)
    }
}

impl Runnable {
    fn with_reason(mut self, reason: String) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Whether runs are traced (`false`: they fall back to composed mode).
    pub fn is_traced(&self) -> bool {
        matches!(self.inner, Traced::Nodes(_))
    }

    /// Why runs are not traced, if they are not.
    pub fn fallback_reason(&self) -> Option<&str> {
        match &self.inner {
            Traced::Fallback { reason, .. } => Some(reason),
            Traced::Nodes(_) => None,
        }
    }
}

fn export_index(
    component: &Component,
    port: &str,
    function: Option<&str>,
) -> Option<ComponentExportIndex> {
    let (_, outer) = component.get_export(None, port)?;
    match function {
        None => Some(outer),
        Some(f) => component.get_export(Some(&outer), f).map(|(_, i)| i),
    }
}

/// A resource that crosses a wire: the host type the importer sees
/// (`host_dynamic(payload)`) and where the exporter's own type is found once
/// the exporter is instantiated.
struct ResourceLink {
    payload: u32,
    /// The resource's name in the interface.
    name: String,
    callee: String,
    index: ComponentExportIndex,
}

/// Who calls whom across one wire, for trace entries, and the callee's
/// scope, made active while the call runs in the callee.
#[derive(Clone)]
struct WireEnds {
    caller: String,
    callee: String,
    callee_scope: usize,
}

impl WireEnds {
    /// Records a call that crossed the wire.
    fn record(
        &self,
        state: &mut RunState,
        label: String,
        started: Instant,
        args: Vec<String>,
        result: String,
        failed: bool,
    ) {
        let entry = TraceEntry {
            caller: self.caller.clone(),
            callee: self.callee.clone(),
            function: label,
            args,
            result,
            start_micros: started.saturating_duration_since(state.started).as_micros() as u64,
            micros: started.elapsed().as_micros() as u64,
        };
        if failed && state.failed_node.is_none() {
            state.failed_node = Some(self.callee.clone());
        }
        state.events.send(Event::WireCall {
            run: state.run,
            call: entry.clone(),
        });
        state.trace.push(entry);
    }
}

/// Whether a value holds a resource handle anywhere.
fn has_resource(v: &Val) -> bool {
    crate::value::holds(v, &|v| matches!(v, Val::Resource(_)))
}

/// A copy of `v` with every resource handle replaced by `swap`'s answer.
fn swap_resources(
    v: &Val,
    swap: &mut dyn FnMut(ResourceAny) -> wasmtime::Result<ResourceAny>,
) -> wasmtime::Result<Val> {
    let boxed = |v: &Val, swap: &mut dyn FnMut(ResourceAny) -> wasmtime::Result<ResourceAny>| {
        swap_resources(v, swap).map(Box::new)
    };
    Ok(match v {
        Val::Resource(r) => Val::Resource(swap(*r)?),
        Val::List(items) => Val::List(swap_all(items, swap)?),
        Val::FixedLengthList(items) => Val::FixedLengthList(swap_all(items, swap)?),
        Val::Tuple(items) => Val::Tuple(swap_all(items, swap)?),
        Val::Record(fields) => Val::Record(
            fields
                .iter()
                .map(|(n, v)| Ok((n.clone(), swap_resources(v, swap)?)))
                .collect::<wasmtime::Result<_>>()?,
        ),
        Val::Variant(n, Some(p)) => Val::Variant(n.clone(), Some(boxed(p, swap)?)),
        Val::Option(Some(p)) => Val::Option(Some(boxed(p, swap)?)),
        Val::Result(Ok(Some(p))) => Val::Result(Ok(Some(boxed(p, swap)?))),
        Val::Result(Err(Some(p))) => Val::Result(Err(Some(boxed(p, swap)?))),
        other => other.clone(),
    })
}

fn swap_all(
    items: &[Val],
    swap: &mut dyn FnMut(ResourceAny) -> wasmtime::Result<ResourceAny>,
) -> wasmtime::Result<Vec<Val>> {
    items.iter().map(|v| swap_resources(v, swap)).collect()
}

/// The exporter's handle behind a host handle the importer passes back
/// (an `own` hands it over for good, a `borrow` lends it for the call).
fn to_exporter(
    store: &mut StoreContextMut<'_, RunState>,
    lent: ResourceAny,
    labels: &mut Vec<String>,
) -> wasmtime::Result<ResourceAny> {
    let owned = lent.owned();
    let lent = ResourceDynamic::try_from_resource_any(lent, &mut *store).map_err(|_| {
        wasmtime::Error::msg(
            "a resource handle that did not come across this wire cannot cross it in a traced run",
        )
    })?;
    let forwarded = &mut store.data_mut().forwarded;
    labels.push(forwarded.label(lent.ty(), lent.rep()));
    let handles = &mut forwarded.handles;
    let handle = if owned {
        handles.remove(&lent.rep())
    } else {
        handles.get(&lent.rep()).copied()
    };
    handle.ok_or_else(|| {
        wasmtime::Error::msg(format!(
            "resource handle {} was already dropped or handed over",
            lent.rep()
        ))
    })
}

/// A fresh host handle, lent to the importer, for a handle the exporter
/// returned.
fn to_importer(
    store: &mut StoreContextMut<'_, RunState>,
    handle: ResourceAny,
    labels: &mut Vec<String>,
) -> wasmtime::Result<ResourceAny> {
    let forwarded = &mut store.data_mut().forwarded;
    let payload = forwarded
        .types
        .iter()
        .find(|(ty, _)| *ty == handle.ty())
        .map(|(_, payload)| *payload)
        .ok_or_else(|| {
            wasmtime::Error::msg(
                "the exporter returned a resource that is not one of the wire's own; it cannot cross a traced wire",
            )
        })?;
    forwarded.next += 1;
    let rep = forwarded.next;
    forwarded.handles.insert(rep, handle);
    labels.push(forwarded.label(payload, rep));
    ResourceDynamic::new_own(rep, payload).try_into_resource_any(&mut *store)
}

/// WAVE text of values, with resource handles written with `labels`.
fn values_text(values: &[Val], labels: &[String]) -> Vec<String> {
    let mut labels = labels.iter();
    let mut handle = || {
        labels
            .next()
            .cloned()
            .unwrap_or_else(|| "<resource>".into())
    };
    values
        .iter()
        .map(|v| crate::value::wave_text_labelled(v, &mut handle))
        .collect()
}

/// WAVE text of a call's results.
fn results_text(results: &[Val], labels: &[String]) -> String {
    let shown = values_text(results, labels);
    match &shown[..] {
        [] => "()".into(),
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}

/// Defines, in the importer's linker, a trampoline that forwards calls of
/// one wired function to the exporter's `index` and records them.
fn define_trampoline(
    target: &mut wasmtime::component::LinkerInstance<'_, RunState>,
    item_name: &str,
    ends: WireEnds,
    label: String,
    index: ComponentExportIndex,
) -> wasmtime::Result<()> {
    target.func_new_async(item_name, move |mut store, _ty, params, results| {
        let (ends, label) = (ends.clone(), label.clone());
        Box::new(async move {
            let func = wired_func(&mut store, &ends, &label, index)?;
            let started = Instant::now();
            let (mut lent, mut returned) = (Vec::new(), Vec::new());
            let caller_scope = store.data_mut().enter(ends.callee_scope);
            let outcome = async {
                let forwarded;
                let params = if params.iter().any(has_resource) {
                    forwarded = params
                        .iter()
                        .map(|v| swap_resources(v, &mut |r| to_exporter(&mut store, r, &mut lent)))
                        .collect::<wasmtime::Result<Vec<_>>>()?;
                    &forwarded[..]
                } else {
                    params
                };
                func.call_async(&mut store, params, results).await?;
                results_to_importer(&mut store, results, &mut returned)
            }
            .await;
            ends.finish(
                store.data_mut(),
                caller_scope,
                label,
                started,
                (params, &lent),
                (results, &returned),
                &outcome,
            );
            outcome
        })
    })
}

/// Defines, in the importer's linker, the host resource type standing for
/// the exporter's `resource`: dropping a handle of it drops the exporter's.
fn define_forwarded_resource(
    target: &mut wasmtime::component::LinkerInstance<'_, RunState>,
    resource: &str,
    payload: u32,
    ends: WireEnds,
    label: String,
) -> wasmtime::Result<()> {
    target.resource_async(
        resource,
        ResourceType::host_dynamic(payload),
        move |mut store, rep| {
            let (ends, label) = (ends.clone(), label.clone());
            Box::new(async move {
                let forwarded = &mut store.data_mut().forwarded;
                let Some(handle) = forwarded.handles.remove(&rep) else {
                    return Ok(());
                };
                let shown = forwarded.label(payload, rep);
                let started = Instant::now();
                let caller_scope = store.data_mut().enter(ends.callee_scope);
                let outcome = handle.resource_drop_async(&mut store).await;
                store.data_mut().enter(caller_scope);
                let result = match &outcome {
                    Ok(()) => "()".into(),
                    Err(e) => format!("error: {e}"),
                };
                let failed = outcome.is_err();
                ends.record(
                    store.data_mut(),
                    label,
                    started,
                    vec![shown],
                    result,
                    failed,
                );
                outcome
            })
        },
    )
}

impl Host {
    /// Prepares a project for traced runs: each node compiled (through the
    /// cache) and linked on its own, wires replaced by recording trampolines.
    /// Resources exported across a wire are lent to the importer as host
    /// resources that stand for the exporter's handles. Composite nodes are
    /// flattened first ([`Workspace::flattened`]): every inner node is a
    /// node of its own (`NODE-INNER`), with the composite node's bindings of
    /// its own imports as its scope, and its calls traced.
    pub fn prepare_traced(&self, ws: &Workspace) -> Result<Runnable, PrepareError> {
        let has_composites = ws
            .project()
            .nodes
            .values()
            .any(|n| ws.project().is_composite(&n.component));
        if !has_composites {
            return self.prepare_nodes(ws);
        }
        // Each node inside a composite runs as a node of its own, with its
        // own scope and traced calls (`NODE-INNER`, only in this plan).
        let problems = ws.check();
        if problems.iter().any(|p| p.is_error()) {
            return Err(PrepareError::Compose { problems });
        }
        let flat = ws.flattened().map_err(|message| PrepareError::Wasmtime {
            project: ws.project().name.clone(),
            message: format!("cannot flatten its composites into nodes: {message}"),
        })?;
        self.prepare_nodes(&flat)
    }

    /// [`Host::prepare_traced`] of a graph without composite nodes.
    fn prepare_nodes(&self, ws: &Workspace) -> Result<Runnable, PrepareError> {
        let project = ws.project();
        let name = project.name.clone();
        let wasmtime_err = |e: wasmtime::Error| PrepareError::Wasmtime {
            project: name.clone(),
            message: format!("{e:#}"),
        };
        let problems = ws.check();
        if problems.iter().any(|p| p.is_error()) {
            return Err(PrepareError::Compose { problems });
        }
        let mut components = std::collections::HashMap::new();
        for node in ws.node_order() {
            let part = ws
                .node_part(node)
                .expect("checked projects have every part");
            let (component, _) = self
                .cache
                .get(&self.engine, &part.loaded.bytes)
                .map_err(wasmtime_err)?;
            components.insert(node.to_string(), component);
        }
        let dir = ws.doc().dir().to_path_buf();
        let order = ws.node_order();
        let mut nodes = Vec::new();
        let mut all_caps = Vec::new();
        let mut links = Vec::new();
        let mut async_wires: Vec<(String, WireEnds)> = Vec::new();
        for node in ws.node_order() {
            let component = &components[node];
            let plans = crate::plan::plan_node_imports(ws, node)?;
            let caps = Capabilities::configure(&self.engine, component, &plans, &dir)?;
            let mut linker = Linker::new(&self.engine);
            caps.link(&mut linker).map_err(wasmtime_err)?;
            for wire in project.wires.iter().filter(|w| w.to.node == node) {
                let callee = &components[wire.from.node.as_str()];
                let item = component
                    .component_type()
                    .get_import(&self.engine, &wire.to.port)
                    .map(|i| i.ty);
                // Each function's linker name, its name in the interface,
                // and whether it is declared `async func` (WASI 0.3).
                let mut functions: Vec<(String, Option<String>, bool)> = Vec::new();
                let mut resources: Vec<String> = Vec::new();
                match item {
                    Some(ComponentItem::ComponentFunc(func)) => {
                        functions.push((wire.to.port.clone(), None, func.async_()))
                    }
                    Some(ComponentItem::ComponentInstance(inst)) => {
                        for (f, e) in inst.exports(&self.engine) {
                            match e.ty {
                                ComponentItem::ComponentFunc(func) => functions.push((
                                    f.to_string(),
                                    Some(f.to_string()),
                                    func.async_(),
                                )),
                                ComponentItem::Resource(_) => resources.push(f.to_string()),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
                let missing = |what: Option<&str>| PrepareError::Wasmtime {
                    project: name.clone(),
                    message: format!(
                        "node `{}` has no `{}{}` to forward to",
                        wire.from.node,
                        wire.from.port,
                        what.map(|f| format!("#{f}")).unwrap_or_default()
                    ),
                };
                let ends = WireEnds {
                    caller: node.to_string(),
                    callee: wire.from.node.to_string(),
                    callee_scope: order
                        .iter()
                        .position(|n| *n == wire.from.node)
                        .unwrap_or(usize::MAX),
                };
                let root = functions.iter().all(|(_, f, _)| f.is_none()) && resources.is_empty();
                let mut target = if root {
                    linker.root()
                } else {
                    linker.instance(&wire.to.port).map_err(wasmtime_err)?
                };
                for resource in resources {
                    let index = export_index(callee, &wire.from.port, Some(&resource))
                        .ok_or_else(|| missing(Some(&resource)))?;
                    let payload = links.len() as u32;
                    let label = format!("{}#[resource-drop]{resource}", wire.to.port);
                    define_forwarded_resource(&mut target, &resource, payload, ends.clone(), label)
                        .map_err(wasmtime_err)?;
                    links.push(ResourceLink {
                        payload,
                        name: resource.clone(),
                        callee: wire.from.node.to_string(),
                        index,
                    });
                }
                for (item_name, function, is_async) in functions {
                    let index = export_index(callee, &wire.from.port, function.as_deref())
                        .ok_or_else(|| missing(function.as_deref()))?;
                    let label = match &function {
                        Some(f) => format!("{}#{f}", wire.to.port),
                        None => wire.to.port.clone(),
                    };
                    if is_async {
                        async_wires.push((label.clone(), ends.clone()));
                        concurrent::define_trampoline(
                            &mut target,
                            &item_name,
                            ends.clone(),
                            label,
                            index,
                        )
                    } else {
                        define_trampoline(&mut target, &item_name, ends.clone(), label, index)
                    }
                    .map_err(wasmtime_err)?;
                }
            }
            let pre = linker.instantiate_pre(component).map_err(wasmtime_err)?;
            nodes.push(NodeRun {
                id: node.to_string(),
                pre,
            });
            all_caps.push(caps);
        }
        // Calls across an `async func` wire run concurrently with the
        // rest of the store, so its two ends must reach the same things.
        for (wire, ends) in async_wires {
            let scope = |i: usize| all_caps.get(i);
            let caller_scope = order.iter().position(|n| *n == ends.caller);
            let same = match (scope(ends.callee_scope), caller_scope.and_then(scope)) {
                (Some(a), Some(b)) => a.same_reach(b),
                _ => false,
            };
            if !same {
                return Err(PrepareError::AsyncWireScopes {
                    project: name,
                    wire,
                    caller: ends.caller,
                    callee: ends.callee,
                });
            }
        }
        let exports = node_exports(&self.engine, ws, &components);
        Ok(Runnable {
            inner: Traced::Nodes(TracedNodes {
                nodes,
                caps: all_caps,
                exports,
                project: name,
                links,
            }),
            reason: None,
        })
    }

    /// Prepares a project for composed runs when its bindings allow one
    /// (every node binds a shared import the same way), and for traced runs
    /// otherwise, since traced runs link every node on its own.
    pub fn prepare(&self, ws: &Workspace) -> Result<Runnable, PrepareError> {
        match self.prepare_composed(ws) {
            Ok(composed) => Ok(Runnable {
                inner: Traced::Fallback {
                    composed: Box::new(composed),
                    reason: "the composed component ran as one instance".into(),
                },
                reason: None,
            }),
            Err(PrepareError::Plan(crate::PlanError::ConflictingBindings {
                import,
                first,
                second,
                first_mode,
                second_mode,
            })) => {
                let reason = format!(
                    "ran traced, each node as its own instance with its own scope: `{import}` is bound differently by `{first}` ({first_mode}) and `{second}` ({second_mode}), and one composed instance has one binding per interface"
                );
                let conflict = crate::PlanError::ConflictingBindings {
                    import,
                    first,
                    second,
                    first_mode,
                    second_mode,
                };
                let traced = self.prepare_traced(ws)?;
                match traced.inner {
                    Traced::Nodes(_) => Ok(Runnable {
                        inner: traced.inner,
                        reason: None,
                    }
                    .with_reason(reason)),
                    Traced::Fallback { .. } => Err(PrepareError::Plan(conflict)),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Runs one call, traced or composed as the project was prepared, in
    /// a fresh instance (a session of one call).
    pub async fn run(&self, prepared: &Runnable, call: &str, limits: &Limits) -> RunReport {
        self.run_once(prepared.entry(), call, limits).await
    }
}

impl Runnable {
    /// What a run of this project instantiates, and why in that mode.
    pub(crate) fn entry(&self) -> Entry<'_> {
        match &self.inner {
            Traced::Fallback { composed, reason } => Entry::Composed {
                prepared: composed,
                reason: reason.clone(),
            },
            Traced::Nodes(nodes) => Entry::Traced {
                nodes,
                reason: self.reason.clone().unwrap_or_else(|| {
                    "every node ran as its own instance; wires were host trampolines".into()
                }),
            },
        }
    }
}

/// The composition's exports, found in the components of the nodes that
/// export them, named as the composition names them.
fn node_exports(
    engine: &wasmtime::Engine,
    ws: &Workspace,
    components: &std::collections::HashMap<String, Component>,
) -> Vec<ExportFn> {
    let mut out = Vec::new();
    for decl in &ws.project().exports {
        let Some(component) = components.get(decl.from.node.as_str()) else {
            continue;
        };
        let ty = component.component_type();
        let Some(item) = ty.get_export(engine, &decl.from.port) else {
            continue;
        };
        let name = decl.export_name();
        match item.ty {
            ComponentItem::ComponentFunc(_) => {
                if let Some(index) = export_index(component, &decl.from.port, None) {
                    out.push(ExportFn {
                        name: name.to_string(),
                        function: name.to_string(),
                        node: decl.from.node.to_string(),
                        index,
                    });
                }
            }
            ComponentItem::ComponentInstance(inst) => {
                for (f, e) in inst.exports(engine) {
                    if !matches!(e.ty, ComponentItem::ComponentFunc(_)) {
                        continue;
                    }
                    if let Some(index) = export_index(component, &decl.from.port, Some(f)) {
                        out.push(ExportFn {
                            name: format!("{name}#{f}"),
                            function: f.to_string(),
                            node: decl.from.node.to_string(),
                            index,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}
