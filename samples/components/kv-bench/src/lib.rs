//! `kv-bench`: drives an imported `patchbay:kv/store` as fast as it can, so
//! the cost of a call across a wire can be measured from inside the guest.
//!
//! `hammer(n)` makes 2n calls: n `set`s, then n `get`s, of the keys
//! `k0`..`k63` (call i uses `k{i % 64}`, so the store's memory stays flat
//! whatever `n` is) and returns how many `get`s answered `some`. Against a
//! working store that is `n`.

wit_bindgen::generate!({
    path: "../../../wit/kv",
    world: "kv-bench",
});

use patchbay::kv::store;

/// How many distinct keys are reused.
const KEYS: u32 = 64;

/// The value written under every key.
const VALUE: &str = "bench";

struct KvBench;

impl Guest for KvBench {
    fn hammer(n: u32) -> u64 {
        // Keys are formatted once, so the loop measures calls, not formatting.
        let keys: Vec<String> = (0..KEYS).map(|i| format!("k{i}")).collect();
        let key = |i: u32| keys[(i % KEYS) as usize].as_str();
        for i in 0..n {
            store::set(key(i), VALUE);
        }
        let mut hits = 0u64;
        for i in 0..n {
            if store::get(key(i)).is_some() {
                hits += 1;
            }
        }
        hits
    }
}

export!(KvBench);
