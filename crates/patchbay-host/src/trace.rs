//! Traced runs: every node is instantiated on its own, in one Store, and
//! each wire is a host trampoline that forwards the call to the exporting
//! node and records it (caller, callee, function, WAVE arguments and result,
//! duration).
//!
//! Host trampolines pass values, not resource handles: a wire whose
//! interface carries resources cannot be traced this way, so such projects
//! run composed, and the report says why.

use crate::caps::Capabilities;
use crate::events::Event;
use crate::run::{classify, ExportFn, FailureKind, RunFailure};
use crate::state::RunState;
use crate::{Host, Limits, PrepareError, Prepared, RunReport, TraceEntry};
use patchbay_compose::Workspace;
use std::time::Instant;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, ComponentExportIndex, InstancePre, Linker};

/// One node ready to be instantiated.
struct NodeRun {
    id: String,
    pre: InstancePre<RunState>,
}

/// A project prepared to run: traced (each node its own instance) or
/// composed, with the reason for the choice.
pub struct Runnable {
    inner: Traced,
    /// Why traced runs are traced, when the host chose it.
    reason: Option<String>,
}

enum Traced {
    Nodes {
        nodes: Vec<NodeRun>,
        caps: Box<Capabilities>,
        exports: Vec<ExportFn>,
        project: String,
    },
    Fallback {
        composed: Box<Prepared>,
        reason: String,
    },
}

impl Runnable {
    fn with_reason(mut self, reason: String) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Whether runs are traced (`false`: they fall back to composed mode).
    pub fn is_traced(&self) -> bool {
        matches!(self.inner, Traced::Nodes { .. })
    }

    /// Why runs are not traced, if they are not.
    pub fn fallback_reason(&self) -> Option<&str> {
        match &self.inner {
            Traced::Fallback { reason, .. } => Some(reason),
            Traced::Nodes { .. } => None,
        }
    }
}

/// The first resource that a wired interface carries, if any.
fn wire_resource(engine: &wasmtime::Engine, item: &ComponentItem) -> Option<String> {
    match item {
        ComponentItem::ComponentInstance(inst) => inst
            .exports(engine)
            .find(|(_, e)| matches!(e.ty, ComponentItem::Resource(_)))
            .map(|(n, _)| n.to_string()),
        _ => None,
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

impl Host {
    /// Prepares a project for traced runs: each node compiled (through the
    /// cache) and linked on its own, wires replaced by recording trampolines.
    /// Falls back to composed runs when a wire carries resources.
    pub fn prepare_traced(&self, ws: &Workspace) -> Result<Runnable, PrepareError> {
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
        // A wire carrying resources cannot go through a host trampoline.
        for wire in &project.wires {
            let component = &components[&wire.to.node];
            if let Some(item) = component
                .component_type()
                .get_import(&self.engine, &wire.to.port)
            {
                if let Some(resource) = wire_resource(&self.engine, &item.ty) {
                    let reason = format!(
                        "ran composed: wire `{wire}` carries resource `{resource}`, and host trampolines pass values, not resource handles"
                    );
                    return Ok(Runnable {
                        inner: Traced::Fallback {
                            composed: Box::new(self.prepare(ws)?),
                            reason,
                        },
                        reason: None,
                    });
                }
            }
        }
        let dir = ws.doc().dir().to_path_buf();
        let mut nodes = Vec::new();
        let mut all_caps = Vec::new();
        for node in ws.node_order() {
            let component = &components[node];
            let plans = crate::plan::plan_node_imports(ws, node)?;
            let caps = Capabilities::configure(&self.engine, component, &plans, &dir)?;
            let mut linker = Linker::new(&self.engine);
            caps.link(&mut linker).map_err(wasmtime_err)?;
            for wire in project.wires.iter().filter(|w| w.to.node == node) {
                let callee = &components[&wire.from.node];
                let item = component
                    .component_type()
                    .get_import(&self.engine, &wire.to.port)
                    .map(|i| i.ty);
                let functions: Vec<(String, Option<String>)> = match item {
                    Some(ComponentItem::ComponentFunc(_)) => vec![(wire.to.port.clone(), None)],
                    Some(ComponentItem::ComponentInstance(inst)) => inst
                        .exports(&self.engine)
                        .filter(|(_, e)| matches!(e.ty, ComponentItem::ComponentFunc(_)))
                        .map(|(f, _)| (f.to_string(), Some(f.to_string())))
                        .collect(),
                    _ => Vec::new(),
                };
                let root = functions.iter().all(|(_, f)| f.is_none());
                let mut target = if root {
                    linker.root()
                } else {
                    linker.instance(&wire.to.port).map_err(wasmtime_err)?
                };
                for (item_name, function) in functions {
                    let index = export_index(callee, &wire.from.port, function.as_deref())
                        .ok_or_else(|| PrepareError::Wasmtime {
                            project: name.clone(),
                            message: format!(
                                "node `{}` has no `{}{}` to forward to",
                                wire.from.node,
                                wire.from.port,
                                function
                                    .as_deref()
                                    .map(|f| format!("#{f}"))
                                    .unwrap_or_default()
                            ),
                        })?;
                    let caller = node.to_string();
                    let callee = wire.from.node.clone();
                    let label = match &function {
                        Some(f) => format!("{}#{f}", wire.to.port),
                        None => wire.to.port.clone(),
                    };
                    target
                        .func_new_async(&item_name, move |mut store, _ty, params, results| {
                            let (caller, callee, label) =
                                (caller.clone(), callee.clone(), label.clone());
                            Box::new(async move {
                                let instance =
                                    *store.data().nodes.get(&callee).ok_or_else(|| {
                                        wasmtime::Error::msg(format!(
                                            "node `{callee}` is not instantiated"
                                        ))
                                    })?;
                                let func =
                                    instance.get_func(&mut store, index).ok_or_else(|| {
                                        wasmtime::Error::msg(format!(
                                            "`{label}` is not a function of `{callee}`"
                                        ))
                                    })?;
                                let started = Instant::now();
                                let outcome = func.call_async(&mut store, params, results).await;
                                let micros = started.elapsed().as_micros() as u64;
                                let shown = crate::run::wave_text;
                                let entry = TraceEntry {
                                    caller,
                                    callee: callee.clone(),
                                    function: label,
                                    args: params.iter().map(shown).collect(),
                                    result: match &outcome {
                                        Ok(()) => match results {
                                            [] => "()".into(),
                                            [one] => shown(one),
                                            many => format!(
                                                "({})",
                                                many.iter()
                                                    .map(shown)
                                                    .collect::<Vec<_>>()
                                                    .join(", ")
                                            ),
                                        },
                                        Err(e) => format!("error: {e}"),
                                    },
                                    micros,
                                };
                                let state = store.data_mut();
                                if outcome.is_err() && state.failed_node.is_none() {
                                    state.failed_node = Some(callee);
                                }
                                state.events.send(Event::WireCall {
                                    run: state.run,
                                    call: entry.clone(),
                                });
                                state.trace.push(entry);
                                outcome
                            })
                        })
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
        let exports = node_exports(&self.engine, ws, &components);
        Ok(Runnable {
            inner: Traced::Nodes {
                nodes,
                caps: Box::new(Capabilities::merged_scopes(&all_caps)),
                exports,
                project: name,
            },
            reason: None,
        })
    }

    /// Prepares a project for composed runs when its bindings allow one
    /// (every node binds a shared import the same way), and for traced runs
    /// otherwise, since traced runs link every node on its own.
    pub fn prepare_auto(&self, ws: &Workspace) -> Result<Runnable, PrepareError> {
        match self.prepare(ws) {
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
                    "ran traced: nodes `{first}` and `{second}` bind `{import}` differently ({first_mode} and {second_mode}), which one composed instance cannot"
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
                    Traced::Nodes { .. } => Ok(Runnable {
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

    /// Runs one call, traced or composed as the project was prepared.
    pub async fn run(&self, prepared: &Runnable, call: &str, limits: &Limits) -> RunReport {
        let (nodes, caps, exports, project) = match &prepared.inner {
            Traced::Fallback { composed, reason } => {
                let mut report = self.call(composed, call, limits).await;
                report.mode_reason = reason.clone();
                return report;
            }
            Traced::Nodes {
                nodes,
                caps,
                exports,
                project,
            } => (nodes, caps, exports, project),
        };
        let run = self.next_run();
        self.events.send(Event::RunStarted {
            run,
            call: call.to_string(),
            mode: "traced",
        });
        let started = Instant::now();
        let body = async {
            let (name, wave_call) = crate::run::split_call(call)?;
            let export = crate::run::find_export(exports, project, &name)?.clone();
            let (mut store, stdout, stderr) =
                self.new_store(caps, limits, run).map_err(|e| RunFailure {
                    kind: FailureKind::Instantiate,
                    message: format!("{e:#}"),
                })?;
            let outcome = async {
                for node in nodes {
                    let instance = node
                        .pre
                        .instantiate_async(&mut store)
                        .await
                        .map_err(|e| classify(e, &node.id, limits, true))?;
                    store.data_mut().nodes.insert(node.id.clone(), instance);
                }
                let instance = store.data().nodes[&export.node];
                crate::run::invoke(&mut store, instance, &export, call, &wave_call, limits).await
            };
            let result = crate::run::within_budget(outcome, &export.node, limits).await;
            Ok::<_, RunFailure>((result, store, stdout, stderr, export.node.clone()))
        };
        let (result, state, out, err) = match body.await {
            Err(failure) => (Err(failure), None, Vec::new(), Vec::new()),
            Ok((mut result, store, stdout, stderr, entry)) => {
                let out = stdout.contents().to_vec();
                let err = stderr.contents().to_vec();
                let state = store.into_data();
                let node = state.failed_node.clone().unwrap_or(entry);
                crate::run::refine_failure(&mut result, &state, &node, limits, &out, &err);
                (result, Some(state), out, err)
            }
        };
        let reason = prepared.reason.clone().unwrap_or_else(|| {
            "every node ran as its own instance; wires were host trampolines".into()
        });
        self.finish_report(
            run, call, "traced", reason, started, result, state, out, err,
        )
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
        let Some(component) = components.get(&decl.from.node) else {
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
                        node: decl.from.node.clone(),
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
                            node: decl.from.node.clone(),
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
