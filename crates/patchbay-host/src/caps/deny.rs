//! Denied imports: calling any of their functions fails the call with a
//! "capability denied" error naming the node, interface and function, and
//! reports a `denied` event. Imports left open that the host cannot provide
//! get the same stubs, which fail the call as left open and leave a scope
//! line instead: the composition keeps the import for the host it is
//! deployed to, and a run here can still call everything else.

use super::mock::define_host_func;
use super::{display_name, import_items};
use crate::plan::ImportPlan;
use crate::state::{CapabilityDenied, LeftOpenCall, RunState, ScopeRefusal};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::Linker;
use wasmtime::Engine;

/// Marks resources of denied interfaces (no handle is ever made).
struct DeniedResource;

/// One denied import.
#[derive(Debug, Clone)]
pub(crate) struct DeniedImport {
    name: String,
    nodes: Vec<String>,
    root_function: bool,
    /// Each function's linker name, and whether it is declared `async func`.
    functions: Vec<(String, bool)>,
    resources: Vec<String>,
    /// Left open (and not provided by the host) rather than denied.
    left_open: bool,
}

impl DeniedImport {
    /// An import bound `deny`.
    pub fn new(engine: &Engine, plan: &ImportPlan, item: &ComponentItem) -> Self {
        Self::stubs(engine, plan, item, false)
    }

    /// An import left open that the host cannot provide.
    pub fn left_open(engine: &Engine, plan: &ImportPlan, item: &ComponentItem) -> Self {
        Self::stubs(engine, plan, item, true)
    }

    fn stubs(engine: &Engine, plan: &ImportPlan, item: &ComponentItem, left_open: bool) -> Self {
        let root_function = matches!(item, ComponentItem::ComponentFunc(_));
        let mut functions = Vec::new();
        let mut resources = Vec::new();
        for (name, ty) in import_items(engine, item) {
            match ty {
                ComponentItem::ComponentFunc(f) if root_function => {
                    functions.push((plan.name.clone(), f.async_()))
                }
                ComponentItem::ComponentFunc(f) => functions.push((name, f.async_())),
                ComponentItem::Resource(_) => resources.push(name),
                _ => {}
            }
        }
        Self {
            name: plan.name.clone(),
            nodes: plan.nodes.clone(),
            root_function,
            functions,
            resources,
            left_open,
        }
    }

    pub fn link(&self, linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
        let mut target = super::link_target(linker, &self.name, self.root_function)?;
        super::define_resources::<DeniedResource>(&mut target, &self.name, &self.resources)?;
        for (item, is_async) in &self.functions {
            let denied = CapabilityDenied {
                nodes: self.nodes.clone(),
                interface: self.name.clone(),
                function: if self.root_function {
                    self.name.clone()
                } else {
                    display_name(item)
                },
            };
            if self.left_open {
                let call = LeftOpenCall {
                    nodes: denied.nodes,
                    interface: denied.interface,
                    function: denied.function,
                };
                define_host_func(&mut target, item, *is_async, move |store, _, _| {
                    store.data().scope_log.record(ScopeRefusal {
                        nodes: call.nodes.clone(),
                        interface: call.interface.clone(),
                        refused: true,
                        message: call.to_string(),
                    });
                    Err(call.clone().into())
                })?;
                continue;
            }
            define_host_func(&mut target, item, *is_async, move |mut store, _, _| {
                store.data_mut().record_denial(denied.clone());
                Err(denied.clone().into())
            })?;
        }
        Ok(())
    }
}
