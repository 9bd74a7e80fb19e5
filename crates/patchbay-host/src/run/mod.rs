//! Preparing a project and running one export call.

mod failure;
mod limits;
mod session;
pub mod streams;

use crate::report::{FailureKind, RunFailure, RunMode, RunReport};
pub(crate) use failure::{classify, refine_call_failure, refine_failure};
pub use limits::{LimitError, LimitRange, LimitUnits, Limits};
pub(crate) use session::Entry;
use session::{CallOutcome, CallRecords};
pub use session::{LiveSession, SessionEnded, SessionStatus};

use crate::caps::Capabilities;
use crate::events::Event;
use crate::state::{MemoryCap, RunState, ScopeLog};
use crate::value::wave_text;
use crate::{CacheHit, Host, PrepareError};
use patchbay_compose::{Composed, Workspace};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;
use wasmtime::component::{Component, ComponentExportIndex, InstancePre, Linker, Type, Val};
use wasmtime::Store;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// A callable export of the composition.
#[derive(Debug, Clone)]
pub(crate) struct ExportFn {
    /// `handle-request`, or `patchbay:sandbox/probe#run-all`.
    pub name: String,
    /// The function name alone.
    pub function: String,
    /// The node it comes from.
    pub node: String,
    pub index: ComponentExportIndex,
}

/// A project composed, compiled and linked, ready for runs.
pub struct Prepared {
    pub(crate) project: String,
    dir: PathBuf,
    composed: Composed,
    component: Component,
    pub(crate) pre: InstancePre<crate::state::RunState>,
    pub(crate) caps: Capabilities,
    pub(crate) exports: Vec<ExportFn>,
    cache: CacheHit,
}

impl Prepared {
    /// The composed component.
    pub fn composed(&self) -> &Composed {
        &self.composed
    }

    /// Where the compiled code came from.
    pub fn cache_hit(&self) -> CacheHit {
        self.cache
    }

    /// Callable export functions, as `name` (world functions) or
    /// `interface#function`.
    pub fn export_names(&self) -> Vec<String> {
        self.exports.iter().map(|e| e.name.clone()).collect()
    }

    /// The project folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The compiled component.
    pub fn component(&self) -> &Component {
        &self.component
    }
}

/// Finds the export a call names: its full name, or the function name alone
/// (or `interface#function` without package and version) when unique.
pub(crate) fn find_export<'a>(
    exports: &'a [ExportFn],
    project: &str,
    name: &str,
) -> Result<&'a ExportFn, RunFailure> {
    if let Some(e) = exports.iter().find(|e| e.name == name) {
        return Ok(e);
    }
    let matches: Vec<&ExportFn> = exports
        .iter()
        .filter(|e| e.function == name || short_name(&e.name) == name)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!(
                "`{project}` exports no function `{name}`; it exports {}",
                exports
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
        many => Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!(
                "`{name}` is ambiguous; write one of {}",
                many.iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// `patchbay:sandbox/probe#run-all` → `probe#run-all`.
fn short_name(name: &str) -> String {
    match name.split_once('#') {
        Some((iface, f)) => {
            let iface = iface.rsplit('/').next().unwrap_or(iface);
            let iface = iface.split('@').next().unwrap_or(iface);
            format!("{iface}#{f}")
        }
        None => name.to_string(),
    }
}

/// Splits `name(args…)` into the name and a WAVE call with a plain name.
pub(crate) fn split_call(call: &str) -> Result<(String, String), RunFailure> {
    let call = call.trim();
    let Some(open) = call.find('(') else {
        return Err(RunFailure {
            kind: FailureKind::BadCall,
            message: format!("`{call}` is not a call; write it like `handle-request(\"get a\")`"),
        });
    };
    let name = call[..open].trim().to_string();
    Ok((name, format!("f{}", &call[open..])))
}

impl Host {
    /// Composes the project, compiles it (or takes it from the cache) and
    /// links its capabilities.
    pub fn prepare_composed(&self, ws: &Workspace) -> Result<Prepared, PrepareError> {
        let composed = ws
            .compose()
            .map_err(|problems| PrepareError::Compose { problems })?;
        let project = ws.project().name.clone();
        let wasmtime_err = |e: wasmtime::Error| PrepareError::Wasmtime {
            project: project.clone(),
            message: format!("{e:#}"),
        };
        let (component, cache) = self
            .cache
            .get(&self.engine, &composed.bytes)
            .map_err(wasmtime_err)?;
        let plans = crate::plan::plan_imports(ws, &composed.imports)?;
        if let Some((a, b)) = crate::caps::shared_interface_conflict(&plans) {
            let import = format!("{}` and `{}", a.name, b.name);
            let first = a.nodes.first().cloned().unwrap_or_default();
            let second = b.nodes.first().cloned().unwrap_or_default();
            return Err(crate::PlanError::ConflictingBindings {
                first_mode: crate::plan::describe_binding(ws, &first, &import),
                second_mode: crate::plan::describe_binding(ws, &second, &import),
                import,
                first,
                second,
            }
            .into());
        }
        let dir = ws.doc().dir().to_path_buf();
        let caps = Capabilities::configure(&self.engine, &component, &plans, &dir)?;
        let mut linker = Linker::new(&self.engine);
        caps.link(&mut linker).map_err(wasmtime_err)?;
        let pre = linker.instantiate_pre(&component).map_err(wasmtime_err)?;
        let exports = export_fns(&self.engine, &component, ws);
        Ok(Prepared {
            project,
            dir,
            composed,
            component,
            pre,
            caps,
            exports,
            cache,
        })
    }

    /// Runs one call of an export in a fresh Store. Never panics on guest
    /// behaviour: traps, limits and denials end up in the report.
    pub async fn run_composed(
        &self,
        prepared: &Prepared,
        call: &str,
        limits: &Limits,
    ) -> RunReport {
        let entry = Entry::Composed {
            prepared,
            reason: "the composed component ran as one instance".into(),
        };
        self.run_once(entry, call, limits).await
    }

    /// Sends the end-of-run events and builds the report.
    fn finish_report(
        &self,
        run: u64,
        call: &str,
        mode: RunMode,
        mode_reason: String,
        started: Instant,
        outcome: CallOutcome,
    ) -> RunReport {
        let CallOutcome {
            result,
            records,
            stdout,
            stderr,
        } = outcome;
        let micros = started.elapsed().as_micros() as u64;
        let stdout = String::from_utf8_lossy(&stdout).into_owned();
        let stderr = String::from_utf8_lossy(&stderr).into_owned();
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if !text.is_empty() {
                self.events.send(Event::Output {
                    run,
                    stream,
                    text: text.clone(),
                });
            }
        }
        if let (Err(failure), Some(node)) = (
            &result,
            records.as_ref().and_then(|r| r.failed_node.clone()),
        ) {
            if let Some(limit) = failure.kind.limit() {
                self.events.send(Event::LimitHit {
                    run,
                    node,
                    limit,
                    message: failure.message.clone(),
                });
            }
        }
        self.events.send(Event::RunFinished {
            run,
            result: result.as_ref().ok().cloned(),
            error: result.as_ref().err().map(|e| e.message.clone()),
            micros,
        });
        let CallRecords {
            mock_calls,
            denials,
            trace,
            logs,
            scope,
            ..
        } = records.unwrap_or_default();
        RunReport {
            run,
            call: call.to_string(),
            mode,
            mode_reason,
            result,
            stdout,
            stderr,
            mock_calls,
            denials,
            trace,
            logs,
            scope,
            micros,
        }
    }
}

/// Runs `outcome` within the run's wall-clock budget, counted from now.
/// Callers make the run's Store (whose epoch deadline counts from the
/// Store's start, [`RunState::started`]) and call this in the same step,
/// with no await between, so both deadlines fall at the same instant to
/// within microseconds. A caller with a wait in between (a spawned task)
/// uses [`within_deadline`] with the Store's own start.
pub(crate) async fn within_budget<T>(
    outcome: impl std::future::Future<Output = Result<T, RunFailure>>,
    node: &str,
    limits: &Limits,
) -> Result<T, RunFailure> {
    let deadline = crate::deadline::Deadline::after(Instant::now(), limits.timeout);
    within_deadline(outcome, node, limits, deadline).await
}

/// Runs `outcome` until `deadline`. The epoch deadline stops guest code at
/// that instant; this stops a guest that waits on the host there (a slow
/// outgoing request, a slow client), dropping the wait.
pub(crate) async fn within_deadline<T>(
    outcome: impl std::future::Future<Output = Result<T, RunFailure>>,
    node: &str,
    limits: &Limits,
    deadline: crate::deadline::Deadline,
) -> Result<T, RunFailure> {
    match deadline.bound(outcome).await {
        Some(r) => r,
        None => Err(RunFailure {
            kind: FailureKind::Timeout,
            message: format!(
                "node `{node}` ran past its timeout of {} ms while waiting on the host",
                limits.timeout.as_millis()
            ),
        }),
    }
}

/// Calls an export on an instance: parses the WAVE arguments against the
/// function's parameter types and prints the result as WAVE.
pub(crate) async fn invoke(
    store: &mut Store<RunState>,
    instance: wasmtime::component::Instance,
    export: &ExportFn,
    call: &str,
    wave_call: &str,
    limits: &Limits,
) -> Result<String, RunFailure> {
    let bad = |kind, message: String| RunFailure { kind, message };
    let func = instance
        .get_func(&mut *store, export.index)
        .ok_or_else(|| {
            bad(
                FailureKind::BadCall,
                format!("`{}` is not a function", export.name),
            )
        })?;
    let fty = func.ty(&*store);
    let param_types: Vec<Type> = fty.params().map(|(_, t)| t).collect();
    if let Some((name, _)) = fty
        .params()
        .find(|(_, t)| matches!(t, Type::Own(_) | Type::Borrow(_)))
    {
        let hint = if export.name.starts_with("wasi:http/incoming-handler")
            || export.name.starts_with("wasi:http/handler@0.3.")
        {
            "; serve it with `patchbay serve` instead"
        } else {
            ""
        };
        return Err(bad(
            FailureKind::BadCall,
            format!(
                "`{}` takes a resource handle (`{name}`), which a WAVE call cannot create{hint}",
                export.name
            ),
        ));
    }
    let parsed = UntypedFuncCall::parse(wave_call).map_err(|e| {
        bad(
            FailureKind::BadCall,
            format!("cannot parse the arguments of `{call}` as WAVE: {e}"),
        )
    })?;
    let expected = || {
        fty.params()
            .map(|(n, t)| format!("{n}: {}", streams::handle_type_text(&t)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let is_handle = |t: &Type| matches!(t, Type::Stream(_) | Type::Future(_));
    let params: Vec<Val> = if param_types.iter().any(is_handle) {
        stream_params(store, &fty, &parsed).map_err(|e| {
            bad(
                FailureKind::BadCall,
                format!(
                    "arguments of `{call}` do not fit `{}({})`: {e}",
                    export.name,
                    expected()
                ),
            )
        })?
    } else {
        parsed.to_wasm_params(param_types.iter()).map_err(|e| {
            bad(
                FailureKind::BadCall,
                format!(
                    "arguments of `{call}` do not fit `{}({})`: {e}",
                    export.name,
                    expected()
                ),
            )
        })?
    };
    let mut results = vec![Val::Bool(false); fty.results().len()];
    func.call_async(&mut *store, &params, &mut results)
        .await
        .map_err(|e| classify(e, &export.node, limits, false))?;
    // Stream and future results are read (streams to their end, capped)
    // in the Store's event loop, where the guest's tasks keep writing.
    let mut pending: Vec<Option<streams::Pending>> = fty
        .results()
        .zip(&results)
        .map(|(ty, v)| streams::read_result(store, &ty, v))
        .collect();
    if pending.iter().any(Option::is_some) {
        store
            .run_concurrent(async |_| {
                for p in pending.iter_mut().flatten() {
                    p.finished().await;
                }
            })
            .await
            .map_err(|e| classify(e, &export.node, limits, false))?;
    }
    let texts: Vec<String> = results
        .iter()
        .zip(&pending)
        .map(|(v, p)| p.as_ref().map_or_else(|| wave_text(v), |p| p.text()))
        .collect();
    Ok(match texts.as_slice() {
        [] => "()".to_string(),
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    })
}

/// The arguments of a call to a function taking a stream or future: each
/// one read by [`streams::argument`] against its parameter's type (no
/// omitted trailing options here).
fn stream_params(
    store: &mut Store<RunState>,
    fty: &wasmtime::component::types::ComponentFunc,
    parsed: &UntypedFuncCall<'_>,
) -> Result<Vec<Val>, String> {
    let nodes: Vec<_> = match parsed.params_node() {
        Some(node) => node.as_tuple().map_err(|e| e.to_string())?.collect(),
        None => Vec::new(),
    };
    if nodes.len() != fty.params().len() {
        return Err(format!(
            "{} argument(s) given, {} expected",
            nodes.len(),
            fty.params().len()
        ));
    }
    fty.params()
        .zip(nodes)
        .map(|((name, ty), node)| {
            streams::argument(store, &ty, node, parsed.source())
                .map_err(|e| format!("`{name}`: {e}"))
        })
        .collect()
}

impl Host {
    /// A fresh Store for one run with these scopes (one per node in traced
    /// runs, in node order; one in composed runs), the first one active:
    /// a WASI context and HTTP policy each, sharing the captured stdout and
    /// stderr (returned); memory cap, fuel and the epoch deadline of the
    /// run's timeout.
    pub(crate) fn new_store(
        &self,
        scopes: &[Capabilities],
        limits: &Limits,
        run: u64,
    ) -> wasmtime::Result<(Store<RunState>, MemoryOutputPipe, MemoryOutputPipe)> {
        let stdout = MemoryOutputPipe::new(limits.max_output);
        let stderr = MemoryOutputPipe::new(limits.max_output);
        let scope_log = ScopeLog::new(run, self.events.clone());
        let scopes = scopes
            .iter()
            .map(|caps| caps.scope(&stdout, &stderr, &scope_log))
            .collect::<wasmtime::Result<Vec<_>>>()?;
        let closed = Capabilities::default().scope(&stdout, &stderr, &scope_log)?;
        let state = RunState {
            run,
            scopes,
            active: 0,
            closed,
            scope_log,
            http: wasmtime_wasi_http::WasiHttpCtx::new(),
            table: wasmtime::component::ResourceTable::new(),
            memory: MemoryCap::new(limits.max_memory),
            events: self.events.clone(),
            mock_calls: Vec::new(),
            denials: Vec::new(),
            trace: Vec::new(),
            logs: Vec::new(),
            sequences: HashMap::new(),
            kv: HashMap::new(),
            nodes: HashMap::new(),
            failed_node: None,
            forwarded: Default::default(),
            started: Instant::now(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.memory);
        store.set_fuel(limits.fuel.unwrap_or(u64::MAX))?;
        let deadline = crate::deadline::Deadline::after(store.data().started, limits.timeout);
        self.ticker.arm(&mut store, deadline);
        Ok((store, stdout, stderr))
    }
}

/// Every function the composition exports, with the node it comes from.
fn export_fns(engine: &wasmtime::Engine, component: &Component, ws: &Workspace) -> Vec<ExportFn> {
    let node_of = |export: &str| {
        ws.project()
            .exports
            .iter()
            .find(|e| e.export_name() == export)
            .map(|e| e.from.node.to_string())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (name, ext) in component.component_type().exports(engine) {
        match ext.ty {
            ComponentItem::ComponentFunc(_) => {
                if let Some((_, index)) = component.get_export(None, name) {
                    out.push(ExportFn {
                        name: name.to_string(),
                        function: name.to_string(),
                        node: node_of(name),
                        index,
                    });
                }
            }
            ComponentItem::ComponentInstance(inst) => {
                let Some((_, iface)) = component.get_export(None, name) else {
                    continue;
                };
                for (fname, fext) in inst.exports(engine) {
                    if !matches!(fext.ty, ComponentItem::ComponentFunc(_)) {
                        continue;
                    }
                    if let Some((_, index)) = component.get_export(Some(&iface), fname) {
                        out.push(ExportFn {
                            name: format!("{name}#{fname}"),
                            function: fname.to_string(),
                            node: node_of(name),
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
