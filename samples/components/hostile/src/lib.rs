//! `hostile`: a guest that misbehaves on request, for testing a host's
//! limits.
//!
//! | export           | what it does                                        | what stops it       |
//! |------------------|-----------------------------------------------------|---------------------|
//! | `spin()`         | loops forever                                       | a timeout           |
//! | `allocate(mib)`  | allocates and touches `mib` MiB, keeping it alive   | a memory cap        |
//! | `recurse(depth)` | recurses `depth` frames deep                        | the max wasm stack  |
//! | `fail(message)`  | panics with `message`                               | (it traps)          |
//! | `flood(lines)`   | prints `lines` lines of ~100 bytes to stdout        | an output cap       |
//! | `ok()`           | returns `still healthy`                             | (nothing to stop)   |
//!
//! The world imports nothing itself: the only imports are the `wasi:cli` /
//! `wasi:io` interfaces Rust's standard library pulls in.

use std::hint::black_box;

wit_bindgen::generate!({
    path: "../../../wit/hostile",
    world: "hostile",
});

/// One allocation step of `allocate`.
const MIB: usize = 1024 * 1024;

/// A wasm page is 64 KiB, but touching every 4 KiB also commits every page
/// of a host that backs linear memory with 4 KiB pages lazily.
const TOUCH_STRIDE: usize = 4096;

/// Padding that brings a `flood` line to about 100 bytes.
const FLOOD_PADDING: &str =
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

struct Hostile;

impl Guest for Hostile {
    fn spin() -> u64 {
        let mut counter = 0u64;
        loop {
            // Reading the counter back through `black_box` keeps the loop
            // (and its lack of an exit) from being optimized away.
            counter = black_box(counter).wrapping_add(1);
        }
    }

    fn allocate(mib: u32) -> u32 {
        let mut kept: Vec<Vec<u8>> = Vec::new();
        for _ in 0..mib {
            let mut chunk = Vec::new();
            // A failed allocation (the host refused to grow memory) ends the
            // loop instead of aborting, so the count of what was obtained is
            // returned. A host may also trap on the refused growth instead.
            if chunk.try_reserve_exact(MIB).is_err() || kept.try_reserve(1).is_err() {
                break;
            }
            chunk.resize(MIB, 0);
            for byte in chunk.iter_mut().step_by(TOUCH_STRIDE) {
                *byte = 1;
            }
            kept.push(black_box(chunk));
        }
        // Everything stays alive (and observable) until the count is taken.
        let kept = black_box(kept);
        kept.len() as u32
    }

    fn recurse(depth: u64) -> u64 {
        descend(depth, depth)
    }

    fn fail(message: String) {
        panic!("{message}");
    }

    fn flood(lines: u64) {
        for n in 0..lines {
            println!("flood line {n}: {FLOOD_PADDING}");
        }
    }

    fn ok() -> String {
        "still healthy".to_string()
    }
}

/// Recurses `remaining` more frames and returns `depth` from the bottom.
///
/// Eight opaque values are held across the recursive call and the call's
/// result passes through `black_box` before they are combined with it, so
/// this is neither a tail call nor an accumulator the optimizer could turn
/// into a loop. The values are separate scalars (an array would be kept in
/// memory), so they live in wasm locals: a frame weighs roughly a hundred
/// bytes on the wasm stack itself but only 16 bytes on Rust's shadow stack
/// in linear memory, and deep recursion hits the host's wasm stack limit
/// first.
fn descend(remaining: u64, depth: u64) -> u64 {
    if black_box(remaining) == 0 {
        return depth;
    }
    let a = black_box(remaining);
    let b = black_box(remaining);
    let c = black_box(remaining);
    let d = black_box(remaining);
    let e = black_box(remaining);
    let f = black_box(remaining);
    let g = black_box(remaining);
    let h = black_box(remaining);
    let below = black_box(descend(remaining - 1, depth));
    // Eight equal values XOR to zero, so the result is `below` unchanged;
    // the optimizer cannot know that.
    below ^ (a ^ b ^ c ^ d ^ e ^ f ^ g ^ h)
}

export!(Hostile);
