//! `kv-cache`: a read-through cache exporting `patchbay:kv/store` on top of
//! an imported `patchbay:kv/store`.
//!
//! `set` writes through to the imported store and then updates the local
//! cache; `get` answers from the cache when it can, otherwise asks the
//! imported store and remembers a `some` answer (a `none` is not cached, so
//! a later write made directly to the backing store is still seen).
//! Because the import and the export are the same interface, caches can be
//! stacked on top of each other.

use std::cell::RefCell;
use std::collections::BTreeMap;

wit_bindgen::generate!({
    path: "../../../wit/kv",
    world: "kv-cache",
});

use exports::patchbay::kv::store::Guest;
use patchbay::kv::store as backing;

thread_local! {
    // A BTreeMap rather than a HashMap: HashMap's RandomState would make
    // this component import `wasi:random`.
    static CACHE: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

struct KvCache;

impl Guest for KvCache {
    fn get(key: String) -> Option<String> {
        if let Some(hit) = CACHE.with(|cache| cache.borrow().get(&key).cloned()) {
            return Some(hit);
        }
        let value = backing::get(&key)?;
        CACHE.with(|cache| {
            cache.borrow_mut().insert(key, value.clone());
        });
        Some(value)
    }

    fn set(key: String, value: String) {
        // Write through first, so a trap in the backing store leaves the
        // cache unchanged.
        backing::set(&key, &value);
        CACHE.with(|cache| {
            cache.borrow_mut().insert(key, value);
        });
    }
}

export!(KvCache);
