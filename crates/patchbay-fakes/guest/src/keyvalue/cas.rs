//! `-draft2`'s compare-and-swap, as the host's: a handle remembers its
//! bucket, key and the value seen when it was made; `swap` stores the new
//! value only if the key still holds that value, else fails handing back a
//! new handle that has seen the current one.

use super::*;

#[link(wasm_import_module = "[export]wasi:keyvalue/atomics@0.2.0-draft2")]
extern "C" {
    #[link_name = "[resource-new]cas"]
    fn cas_new(rep: u32) -> u32;
    #[link_name = "[resource-rep]cas"]
    fn cas_rep(handle: u32) -> u32;
    #[link_name = "[resource-drop]cas"]
    fn cas_drop(handle: u32);
}

/// A compare-and-swap handle's state.
pub struct Cas {
    bucket: String,
    key: String,
    seen: Option<Vec<u8>>,
}

/// Stores `cas`; its rep.
fn add(s: &mut State, cas: Cas) -> u32 {
    let slot = match s.cas.iter().position(Option::is_none) {
        Some(free) => free,
        None => {
            s.cas.push(None);
            s.cas.len() - 1
        }
    };
    s.cas[slot] = Some(cas);
    slot as u32 + 1
}

fn seen(s: &State, rep: u32) -> (String, String, Option<Vec<u8>>) {
    match s.cas.get((rep as usize).wrapping_sub(1)) {
        Some(Some(c)) => (c.bucket.clone(), c.key.clone(), c.seen.clone()),
        _ => std::process::abort(),
    }
}

/// `new: static func(bucket: borrow<bucket>, key: string) ->
/// result<cas, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[export_name = "wasi:keyvalue/atomics@0.2.0-draft2#[static]cas.new"]
pub unsafe extern "C" fn new(rep: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let key = take(ptr, len);
    let cas = with(|s| {
        let bucket = s.bucket(rep);
        let seen = s.entries(&bucket).get(&key).cloned();
        add(s, Cas { bucket, key, seen })
    });
    put_u32(4, cas_new(cas));
    ok()
}

/// `current: func() -> result<option<list<u8>>, error>`: the value
/// seen.
#[export_name = "wasi:keyvalue/atomics@0.2.0-draft2#[method]cas.current"]
pub extern "C" fn current(rep: u32) -> *mut u8 {
    with(|s| {
        let (_, _, seen) = seen(s, rep);
        put_option_bytes(s, 4, seen);
        ok()
    })
}

/// The handle's destructor.
#[export_name = "wasi:keyvalue/atomics@0.2.0-draft2#[dtor]cas"]
pub extern "C" fn cas_dtor(rep: u32) {
    with(|s| {
        if let Some(slot) = s.cas.get_mut((rep as usize).wrapping_sub(1)) {
            *slot = None;
        }
    });
}

/// `swap: func(cas: cas, value: list<u8>) -> result<_, cas-error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[export_name = "wasi:keyvalue/atomics@0.2.0-draft2#swap"]
pub unsafe extern "C" fn swap(handle: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let value = take_bytes(ptr, len);
    let rep = cas_rep(handle);
    let (bucket, key, expected) = with(|s| seen(s, rep));
    // The handle is spent either way (its destructor frees its state).
    cas_drop(handle);
    let failed = with(|s| {
        let entries = s.entries(&bucket);
        let current = entries.get(&key).cloned();
        if current == expected {
            entries.insert(key, value);
            None
        } else {
            Some(add(
                s,
                Cas {
                    bucket,
                    key,
                    seen: current,
                },
            ))
        }
    });
    match failed {
        None => ok(),
        Some(again) => {
            // err(cas-failed(handle)): the case byte at 4, the handle
            // at 8.
            put_u8(0, 1);
            put_u8(4, 1);
            put_u32(8, cas_new(again));
            ret()
        }
    }
}
