//! Failure classification: what kind of failure ended a run, and its real cause.

use super::{FailureKind, Limits, RunFailure};
use crate::state::{CapabilityDenied, LeftOpenCall, MemoryLimitHit, RunState};
use wasmtime::Trap;

/// Names the real cause of a failure once the run is over: a full output
/// pipe, a refused memory growth, or a denied capability the guest turned
/// into a trap of its own.
pub(crate) fn refine_failure(
    result: &mut Result<String, RunFailure>,
    state: &RunState,
    node: &str,
    limits: &Limits,
    out: &[u8],
    err: &[u8],
) {
    let full = out.len() >= limits.max_output || err.len() >= limits.max_output;
    let hit = state.memory.hit.as_ref();
    refine_call_failure(result, hit, state.denials.last(), node, limits, full);
}

/// [`refine_failure`] from what one call left: the memory growth it was
/// refused, the last denial it met, and whether an output pipe is full.
pub(crate) fn refine_call_failure(
    result: &mut Result<String, RunFailure>,
    memory_hit: Option<&MemoryLimitHit>,
    last_denial: Option<&CapabilityDenied>,
    node: &str,
    limits: &Limits,
    output_full: bool,
) {
    let Err(failure) = result else { return };
    if output_full {
        *failure = RunFailure {
            kind: FailureKind::Output,
            message: format!(
                "node `{node}` hit the output limit of {} bytes; the rest of its output was dropped and the call failed",
                limits.max_output
            ),
        };
    } else if let Some(hit) = memory_hit {
        *failure = memory_failure(node, hit);
    } else if let (FailureKind::Trap, Some(d)) = (failure.kind, last_denial) {
        *failure = RunFailure {
            kind: FailureKind::Denied,
            message: d.to_string(),
        };
    }
}

fn memory_failure(node: &str, hit: &MemoryLimitHit) -> RunFailure {
    RunFailure {
        kind: FailureKind::Memory,
        message: format!(
            "node `{node}` hit the memory limit of {} MiB (it asked for {} MiB)",
            hit.limit >> 20,
            hit.requested.div_ceil(1 << 20)
        ),
    }
}

pub(crate) fn classify(
    e: wasmtime::Error,
    node: &str,
    limits: &Limits,
    instantiating: bool,
) -> RunFailure {
    if let Some(d) = e.downcast_ref::<CapabilityDenied>() {
        return RunFailure {
            kind: FailureKind::Denied,
            message: d.to_string(),
        };
    }
    if let Some(call) = e.downcast_ref::<LeftOpenCall>() {
        return RunFailure {
            kind: FailureKind::LeftOpen,
            message: call.to_string(),
        };
    }
    if let Some(hit) = e.downcast_ref::<MemoryLimitHit>() {
        return memory_failure(node, hit);
    }
    if let Some(stub) = sealed_stub_trap(&e) {
        return match stub {
            SealedTrap::Denial(name) => RunFailure {
                kind: FailureKind::Denied,
                message: format!("{name}, a denial sealed into the component"),
            },
            SealedTrap::Mock(name) => RunFailure {
                kind: FailureKind::Trap,
                message: format!("{name}, a mock sealed into the component"),
            },
        };
    }
    if let Some(trap) = e.downcast_ref::<Trap>() {
        let (kind, message) = match trap {
            Trap::Interrupt => (
                FailureKind::Timeout,
                format!(
                    "node `{node}` ran past its timeout of {} ms and was stopped",
                    limits.timeout.as_millis()
                ),
            ),
            Trap::OutOfFuel => (
                FailureKind::Fuel,
                format!(
                    "node `{node}` ran out of fuel ({} units) and was stopped",
                    limits.fuel.unwrap_or(u64::MAX)
                ),
            ),
            Trap::StackOverflow => (
                FailureKind::Stack,
                format!("node `{node}` overflowed its wasm stack and was stopped"),
            ),
            other => (FailureKind::Trap, format!("node `{node}` trapped: {other}")),
        };
        return RunFailure { kind, message };
    }
    if instantiating {
        return RunFailure {
            kind: FailureKind::Instantiate,
            message: format!("cannot instantiate the composition: {e:#}"),
        };
    }
    RunFailure {
        kind: FailureKind::Trap,
        message: format!("node `{node}` failed: {e:#}"),
    }
}

/// A trap of a stub sealed into the component, named by its function.
enum SealedTrap {
    /// A deny stub's ([`patchbay_compose::denial_name`]).
    Denial(String),
    /// A mock stub's `trap` ([`patchbay_compose::mock_trap_name`]).
    Mock(String),
}

/// The stub a sealed component trapped in: the name of the innermost frame,
/// when it is a function of a stub.
fn sealed_stub_trap(e: &wasmtime::Error) -> Option<SealedTrap> {
    let frame = e
        .downcast_ref::<wasmtime::WasmBacktrace>()?
        .frames()
        .first()?;
    let name = frame.func_name()?;
    if frame.module().name() != Some(patchbay_compose::STUB_MODULE_NAME) {
        return None;
    }
    if name.starts_with(patchbay_compose::DENIAL_PREFIX) {
        Some(SealedTrap::Denial(name.to_string()))
    } else if name.starts_with(patchbay_compose::MOCK_PREFIX) {
        Some(SealedTrap::Mock(name.to_string()))
    } else {
        None
    }
}
