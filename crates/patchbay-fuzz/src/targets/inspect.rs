//! Target (c): inspecting component bytes.

use crate::mutate;
use crate::rng::Rng;
use crate::seeds::Seed;
use std::path::Path;
use wac_graph::CompositionGraph;

/// A mutated component, module or `.wat` text: structurally for
/// binaries, by line and token for text.
pub(super) fn generate(rng: &mut Rng, seeds: &[Seed], max_len: usize) -> Vec<u8> {
    let others: Vec<&[u8]> = seeds.iter().map(|s| s.bytes.as_slice()).collect();
    let Some(seed) = rng.pick(seeds) else {
        return Vec::new();
    };
    let mut data = seed.bytes.clone();
    if data.starts_with(b"\0asm") {
        mutate::mutate_wasm(rng, &mut data, &others, max_len);
    } else {
        mutate::mutate_text(rng, &mut data, &others, max_len);
    }
    data
}

/// Runs the input down both paths a component takes in Patchbay:
/// `patchbay inspect` (load with validation, adapt a preview1 module,
/// describe the WIT) and a project's workspace (wac-graph's validating
/// package reader on the unvalidated bytes, registration, then the
/// description on demand). Errors are expected; panics are findings.
pub(super) fn execute(input: &[u8]) -> Result<(), String> {
    let path = Path::new("fuzz.wasm");
    match patchbay_inspect::load_bytes(input, path) {
        Ok(loaded) => {
            if let Err(e) = patchbay_inspect::describe_component(&loaded.bytes, path) {
                let _ = e.to_string();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if input.starts_with(b"\0asm") {
        let mut graph = CompositionGraph::new();
        if let Ok(package) =
            patchbay_compose::read_package("project:fuzz", input.to_vec(), graph.types_mut())
        {
            if graph.register_package(package).is_ok() {
                let _ = patchbay_inspect::describe_component(input, path);
            }
        }
    }
    Ok(())
}
