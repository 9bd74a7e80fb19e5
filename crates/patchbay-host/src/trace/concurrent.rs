//! Trampolines for wires whose functions are declared `async func` (WASI
//! 0.3). Wasmtime links such an import only to a concurrent host function,
//! and the callee is called with `call_concurrent`, so other tasks of the
//! store may run while the call is in flight.
//!
//! The active capability scope is one per store (see
//! [`RunState::enter`]): while an async call is in flight, a task of the
//! caller may run under the callee's scope, or the other way round. So
//! `prepare_traced` refuses an async wire between nodes whose scopes reach
//! different things ([`crate::caps::Capabilities::same_reach`]); between
//! nodes that reach the same, which scope is active changes nothing.

use super::forward::{results_to_importer, wired_func};
use super::{has_resource, swap_resources, to_exporter};
use super::{RunState, WireEnds};
use std::time::Instant;
use wasmtime::component::{ComponentExportIndex, LinkerInstance};
use wasmtime::AsContextMut;

/// Defines, in the importer's linker, a concurrent trampoline that
/// forwards calls of one wired `async func` to the exporter's `index` and
/// records them, as [`super::define_trampoline`] does for sync ones.
pub(super) fn define_trampoline(
    target: &mut LinkerInstance<'_, RunState>,
    item_name: &str,
    ends: WireEnds,
    label: String,
    index: ComponentExportIndex,
) -> wasmtime::Result<()> {
    target.func_new_concurrent(item_name, move |accessor, _ty, params, results| {
        let (ends, label) = (ends.clone(), label.clone());
        Box::pin(async move {
            let (mut lent, mut returned) = (Vec::new(), Vec::new());
            let started = Instant::now();
            // Find the callee's function, hand the arguments' resources
            // over and enter the callee's scope, all before the call starts.
            let prepared = accessor.with(|mut access| {
                let mut store = access.as_context_mut();
                let func = wired_func(&mut store, &ends, &label, index)?;
                let forwarded = params
                    .iter()
                    .map(|v| {
                        if has_resource(v) {
                            swap_resources(v, &mut |r| to_exporter(&mut store, r, &mut lent))
                        } else {
                            Ok(v.clone())
                        }
                    })
                    .collect::<wasmtime::Result<Vec<_>>>()?;
                let caller_scope = store.data_mut().enter(ends.callee_scope);
                Ok::<_, wasmtime::Error>((func, forwarded, caller_scope))
            });
            let (func, forwarded, caller_scope) = prepared?;
            let mut outcome = func.call_concurrent(accessor, &forwarded, results).await;
            accessor.with(|mut access| {
                let mut store = access.as_context_mut();
                if outcome.is_ok() {
                    outcome = results_to_importer(&mut store, results, &mut returned);
                }
                ends.finish(
                    store.data_mut(),
                    caller_scope,
                    label,
                    started,
                    (params, &lent),
                    (results, &returned),
                    &outcome,
                );
            });
            outcome
        })
    })
}
