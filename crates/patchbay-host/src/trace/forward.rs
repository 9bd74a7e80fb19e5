//! What both kinds of trampoline do around a forwarded call: find the
//! callee's function, hand returned handles to the importer, and record
//! the call back in the caller's scope.

use super::{has_resource, results_text, swap_resources, to_importer, values_text};
use super::{RunState, WireEnds};
use std::time::Instant;
use wasmtime::component::{ComponentExportIndex, Func, Val};
use wasmtime::StoreContextMut;

/// The callee's function behind a wire, in its instance.
pub(super) fn wired_func(
    store: &mut StoreContextMut<'_, RunState>,
    ends: &WireEnds,
    label: &str,
    index: ComponentExportIndex,
) -> wasmtime::Result<Func> {
    let callee = &ends.callee;
    let instance = *store
        .data()
        .nodes
        .get(callee)
        .ok_or_else(|| wasmtime::Error::msg(format!("node `{callee}` is not instantiated")))?;
    instance
        .get_func(&mut *store, index)
        .ok_or_else(|| wasmtime::Error::msg(format!("`{label}` is not a function of `{callee}`")))
}

/// Hands the resource handles in the callee's results over to the
/// importer, labelling each in `returned`.
pub(super) fn results_to_importer(
    store: &mut StoreContextMut<'_, RunState>,
    results: &mut [Val],
    returned: &mut Vec<String>,
) -> wasmtime::Result<()> {
    for r in results.iter_mut() {
        if has_resource(r) {
            *r = swap_resources(r, &mut |h| to_importer(store, h, returned))?;
        }
    }
    Ok(())
}

impl WireEnds {
    /// Back in the caller's scope, records a forwarded call: its arguments
    /// and results as the importer saw them (handles by their labels), or
    /// its error.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish(
        &self,
        state: &mut RunState,
        caller_scope: usize,
        label: String,
        started: Instant,
        (params, lent): (&[Val], &[String]),
        (results, returned): (&[Val], &[String]),
        outcome: &wasmtime::Result<()>,
    ) {
        state.enter(caller_scope);
        let result = match outcome {
            Ok(()) => results_text(results, returned),
            Err(e) => format!("error: {e}"),
        };
        let args = values_text(params, lent);
        self.record(state, label, started, args, result, outcome.is_err());
    }
}
