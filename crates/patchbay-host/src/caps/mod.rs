//! Host capabilities, one module each, with the same small lifecycle:
//! `configure` reads the project's bindings once per prepared project,
//! `link` adds definitions to the linker, and `prepare` builds the per-run
//! state for a fresh Store.
//!
//! - [`wasi`]: granted WASI (stdio captured, listed env, preopened folders,
//!   clocks, random, socket allow-list) and the fixed-clock and
//!   seeded-random fakes, which are WASI with deterministic sources.
//! - [`http`]: outgoing HTTP, with an allow-list or the canned-response fake.
//! - [`mock`]: mocks built from WIT types at run time (`func_new`), and the
//!   `kv`, `log` and `config` fakes.
//! - [`keyvalue`], [`config`], [`logging`]: the standard
//!   `wasi:keyvalue`, `wasi:config/store` and `wasi:logging` interfaces,
//!   granted (a database file scoped to buckets; values and an environment
//!   prefix; log lines in the output) or faked (`kv`, `config`).
//! - [`deny`]: denied imports, which fail the call and report an event, and
//!   imports left open that the host cannot provide, which fail the call
//!   and leave a scope line.

pub mod config;
pub mod deny;
pub mod http;
pub mod keyvalue;
pub mod logging;
pub mod mock;
mod peer;
pub mod wasi;

use crate::plan::{host_provides, ImportPlan};
use crate::state::{RunState, Scope, ScopeLog};
use patchbay_project::{Binding, Fake};
use std::path::Path;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker, LinkerInstance, ResourceType};
use wasmtime::Engine;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// The configured capabilities of one scope of a prepared project: a node
/// (traced runs) or the composition (composed runs).
#[derive(Clone, Default)]
pub(crate) struct Capabilities {
    pub wasi: wasi::WasiConfig,
    pub http: http::HttpConfig,
    kv: keyvalue::KvConfig,
    config: config::ConfigValues,
    /// The nodes reaching `wasi:logging`, named in their log lines.
    log_nodes: Vec<String>,
    mocks: Vec<mock::MockedImport>,
    denied: Vec<deny::DeniedImport>,
    types_only: Vec<String>,
}

/// A mock value that does not fit the WIT type it stands for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("mock for `{import}` function `{function}`: {message}")]
pub struct MockValueError {
    /// The import.
    pub import: String,
    /// The function.
    pub function: String,
    /// What is wrong (names the WAVE text and the expected type).
    pub message: String,
}

impl Capabilities {
    /// Whether this scope and `other` reach the same things: variables,
    /// folders, peers, clocks, random sources and HTTP answers, whichever
    /// nodes each names, and the same key-value and config settings (those
    /// compared whole, node names included, so that any doubt counts as a
    /// difference). Traced runs need it for wires whose calls run
    /// concurrently (see `trace::concurrent`).
    pub fn same_reach(&self, other: &Self) -> bool {
        self.wasi.same_reach(&other.wasi)
            && self.http.same_reach(&other.http)
            && format!("{:?}", self.kv) == format!("{:?}", other.kv)
            && format!("{:?}", self.config) == format!("{:?}", other.config)
    }

    /// Reads the bindings of every import and checks mock values against
    /// the component's types.
    pub fn configure(
        engine: &Engine,
        component: &Component,
        plans: &[ImportPlan],
        project_dir: &Path,
    ) -> Result<Self, MockValueError> {
        let mut caps = Capabilities::default();
        let ty = component.component_type();
        for plan in plans {
            let Some(item) = ty.get_import(engine, &plan.name) else {
                continue;
            };
            match &plan.binding {
                None => caps.types_only.push(plan.name.clone()),
                Some(Binding::Leave) if host_provides(&plan.name) => caps.reached(plan),
                Some(Binding::Leave) => caps
                    .denied
                    .push(deny::DeniedImport::left_open(engine, plan, &item.ty)),
                Some(Binding::Grant(grant)) => {
                    caps.reached(plan);
                    caps.wasi.grant(&plan.name, grant, project_dir);
                    match Standard::of(&plan.name) {
                        Some(Standard::KeyValue) => caps.kv.grant(grant, project_dir, &plan.nodes),
                        Some(Standard::Config) => caps.config.grant(grant),
                        None => {}
                    }
                    if wasi::Reach::of(&plan.name) == Some(wasi::Reach::Http) {
                        caps.http.allow(&grant.allow);
                    }
                }
                Some(Binding::Deny) => caps
                    .denied
                    .push(deny::DeniedImport::new(engine, plan, &item.ty)),
                Some(Binding::Mock(m)) => match m.fake {
                    Some(fake) if patchbay_compose::standard_fake(fake, &plan.name) => {
                        if fake == Fake::Config {
                            caps.config.fake(&m.values);
                        } else {
                            caps.kv.fake(&m.values, &plan.nodes);
                        }
                    }
                    Some(Fake::Clock) => caps.wasi.fixed_clock(&plan.name),
                    Some(Fake::Random) => caps.wasi.seeded_random(&plan.name),
                    Some(Fake::Http) => {
                        caps.http.reached(&plan.nodes);
                        caps.http.canned(&m.responses)
                    }
                    _ => caps
                        .mocks
                        .push(mock::MockedImport::new(engine, plan, m, &item.ty)?),
                },
            }
        }
        Ok(caps)
    }

    /// Notes the nodes that reach the host through WASI's own
    /// implementation of `plan`'s import, for scope lines.
    fn reached(&mut self, plan: &ImportPlan) {
        self.wasi.reached(&plan.name, &plan.nodes);
        if Standard::of(&plan.name) == Some(Standard::KeyValue) {
            self.kv.reached(&plan.nodes);
        }
        if wasi::Reach::of(&plan.name) == Some(wasi::Reach::Http) {
            self.http.reached(&plan.nodes);
        }
        if plan.name.starts_with("wasi:logging/") {
            for n in &plan.nodes {
                if !self.log_nodes.contains(n) {
                    self.log_nodes.push(n.clone());
                }
            }
        }
    }

    /// Builds the WASI context and HTTP policy of this scope for one run.
    pub(crate) fn scope(
        &self,
        stdout: &MemoryOutputPipe,
        stderr: &MemoryOutputPipe,
        log: &ScopeLog,
    ) -> wasmtime::Result<Scope> {
        Ok(Scope {
            wasi: self.wasi.prepare(stdout, stderr, log)?,
            http: self.http.prepare(log),
            kv: self.kv.prepare(log),
            config: self.config.prepare(),
            log: logging::LogSink::new(&self.log_nodes),
        })
    }

    /// Adds every capability to a linker. WASI goes first; mocked and denied
    /// interfaces then shadow it under their exact import names.
    pub fn link(&self, linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
        wasmtime_wasi::p2::add_to_linker_async(linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(linker)?;
        wasmtime_wasi_http::p3::add_to_linker(linker)?;
        keyvalue::link(linker)?;
        config::link(linker)?;
        logging::link(linker)?;
        linker.allow_shadowing(true);
        self.wasi
            .link_scope_lines(linker, crate::plan::HOST_WASI_VERSION)?;
        for name in &self.types_only {
            linker.instance(name)?;
        }
        for m in &self.mocks {
            m.link(linker)?;
        }
        for d in &self.denied {
            d.link(linker)?;
        }
        Ok(())
    }
}

/// The standard interface families with a scope of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standard {
    KeyValue,
    Config,
}

impl Standard {
    fn of(import: &str) -> Option<Self> {
        if !patchbay_compose::STANDARD_INTERFACES.contains(&import) {
            None
        } else if import.starts_with("wasi:keyvalue/") {
            Some(Standard::KeyValue)
        } else if import.starts_with("wasi:config/") {
            Some(Standard::Config)
        } else {
            None
        }
    }
}

/// The functions and resources of an imported item, as `(name, item)`.
/// A world-level function import is one function at the root.
pub(crate) fn import_items(engine: &Engine, item: &ComponentItem) -> Vec<(String, ComponentItem)> {
    match item {
        ComponentItem::ComponentInstance(inst) => inst
            .exports(engine)
            .map(|(name, ext)| (name.to_string(), ext.ty))
            .collect(),
        other => vec![(String::new(), other.clone())],
    }
}

/// `[method]book.balance` → `book.balance`; `[constructor]book` →
/// `book.constructor`; plain names stay.
pub(crate) fn display_name(item: &str) -> String {
    if let Some(r) = item.strip_prefix("[constructor]") {
        return format!("{r}.constructor");
    }
    for p in [
        "[method]",
        "[static]",
        "[async method]",
        "[async static]",
        "[async]",
    ] {
        if let Some(rest) = item.strip_prefix(p) {
            return rest.to_string();
        }
    }
    item.to_string()
}

/// Where a mocked or denied import is defined: the root for a world-level
/// function; for a WASI interface, the host's own instance (so its
/// functions are replaced and WASI's resource types kept); otherwise a new
/// instance under the import name.
pub(crate) fn link_target<'a>(
    linker: &'a mut Linker<RunState>,
    name: &str,
    root_function: bool,
) -> wasmtime::Result<LinkerInstance<'a, RunState>> {
    if root_function {
        Ok(linker.root())
    } else {
        linker.instance(&crate::plan::host_instance_name(name))
    }
}

/// Defines the resource types of a mocked or denied interface, unless WASI
/// already defines them.
pub(crate) fn define_resources<R: 'static>(
    target: &mut LinkerInstance<'_, RunState>,
    name: &str,
    resources: &[String],
) -> wasmtime::Result<()> {
    if crate::plan::host_provides(name) {
        return Ok(());
    }
    for r in resources {
        target.resource(r, ResourceType::host::<R>(), |_, _| Ok(()))?;
    }
    Ok(())
}

/// Two imports of a composed component that the host serves with one
/// implementation (two versions of one WASI interface) but that are bound
/// differently. One composed instance has one WASI context, which cannot
/// tell their callers apart, so such a project must run traced.
pub(crate) fn shared_interface_conflict(
    plans: &[ImportPlan],
) -> Option<(&ImportPlan, &ImportPlan)> {
    let bound = || {
        plans
            .iter()
            .filter(|p| p.binding.is_some() && crate::plan::host_provides(&p.name))
    };
    for (i, a) in bound().enumerate() {
        let host = crate::plan::host_instance_name(&a.name);
        for b in bound().skip(i + 1) {
            if crate::plan::host_instance_name(&b.name) == host && a.binding != b.binding {
                return Some((a, b));
            }
        }
    }
    None
}
