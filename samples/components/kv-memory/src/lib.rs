//! `kv-memory`: the `patchbay:kv/store` interface backed by an in-memory map.
//!
//! The map lives for as long as the component instance does. Components are
//! single-threaded, so a `RefCell` in a thread-local is all the locking needed.

use std::cell::RefCell;
use std::collections::BTreeMap;

wit_bindgen::generate!({
    path: "../../../wit/kv",
    world: "kv-memory",
});

use exports::patchbay::kv::store::Guest;

thread_local! {
    // A BTreeMap rather than a HashMap: HashMap's RandomState would make
    // this otherwise pure component import `wasi:random`.
    static MAP: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

struct KvMemory;

impl Guest for KvMemory {
    fn get(key: String) -> Option<String> {
        MAP.with(|map| map.borrow().get(&key).cloned())
    }

    fn set(key: String, value: String) {
        MAP.with(|map| {
            map.borrow_mut().insert(key, value);
        });
    }
}

export!(KvMemory);
