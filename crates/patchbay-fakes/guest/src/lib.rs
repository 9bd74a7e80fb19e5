//! The fakes' guest module: the code of Patchbay's fakes and enforced grant
//! scopes inside a sealed artifact.
//!
//! It is a core module, not a component. Its functions are *roles*
//! (`kv-get`, `random-bytes`, `env-get-environment`…), each with the
//! canonical ABI's core signature for one WIT shape. At export, Patchbay
//! (crates/patchbay-compose, `seal/fake.rs`) renames the roles a binding
//! needs to the functions of the import it serves, writes the binding's
//! values into [`PATCHBAY_FAKE_SEED`] as a data segment, and wraps the
//! result in a component exporting that import.
//!
//! Built five times by `../build.rs`: by default with the `kv`/`config`
//! map and the seeded random sources (it imports nothing); with the `env`
//! feature, the environment filter alone, which imports the host's
//! `get-environment`; with the `clock` feature, the fixed monotonic clock
//! alone, which imports the host's `subscribe-duration` to wait for real;
//! with `keyvalue-draft` or `keyvalue-draft2`, the `kv` fake of the
//! standard `wasi:keyvalue` at that version ([`keyvalue`]), whose exports
//! already carry the encoder's names and which imports only the encoder's
//! resource intrinsics for the buckets (and compare-and-swap handles) it
//! makes. The host imports' module names are rewritten to the real import.
//!
//! The seed: a little-endian `u32` count, then per entry a `u32` length
//! and the key's bytes, a `u32` length and the value's bytes.

// The fixed clock and the standard key-value fake use only some of the
// helpers for strings and lists.
#![cfg_attr(
    any(
        feature = "clock",
        feature = "keyvalue-draft",
        feature = "keyvalue-draft2"
    ),
    allow(dead_code, unused_imports)
)]

use std::alloc::{alloc, realloc, Layout};
use std::cell::RefCell;

/// How many bytes the exporter may write into [`PATCHBAY_FAKE_SEED`].
pub const SEED_CAPACITY: usize = 64 * 1024;

/// The binding's values, written by the exporter as a data segment at this
/// static's address (the module exports it as a global holding the
/// address). All zeros means no entries.
#[no_mangle]
pub static mut PATCHBAY_FAKE_SEED: [u8; SEED_CAPACITY] = [0; SEED_CAPACITY];

/// Where results that do not fit a core value are written: an
/// `option<string>`, a `list`, a `tuple<u64, u64>`.
static mut RET: [u64; 2] = [0; 2];

/// The canonical ABI's allocator, for arguments passed in and (for the
/// environment filter) the host's results.
///
/// # Safety
/// Called by the canonical ABI with a pointer it got from here.
#[export_name = "cabi_realloc"]
pub unsafe extern "C" fn cabi_realloc(
    old: *mut u8,
    old_size: usize,
    align: usize,
    new_size: usize,
) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    let layout = Layout::from_size_align_unchecked(new_size, align);
    let at = if old_size == 0 {
        alloc(layout)
    } else {
        realloc(
            old,
            Layout::from_size_align_unchecked(old_size, align),
            new_size,
        )
    };
    if at.is_null() {
        std::process::abort();
    }
    at
}

/// The seed's entries, in order.
fn seed() -> Vec<(String, String)> {
    // SAFETY: the area is only ever read, after instantiation wrote it.
    let area: &[u8; SEED_CAPACITY] = unsafe { &*std::ptr::addr_of!(PATCHBAY_FAKE_SEED) };
    let mut at = 0usize;
    let mut next = |n: usize| -> Option<&[u8]> {
        let bytes = area.get(at..at.checked_add(n)?)?;
        at += n;
        Some(bytes)
    };
    let length = |next: &mut dyn FnMut(usize) -> Option<&'static [u8]>| {
        next(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut entries = Vec::new();
    let Some(count) = length(&mut next) else {
        return entries;
    };
    for _ in 0..count {
        let mut text = || -> Option<String> {
            let len = length(&mut next)?;
            next(len).map(|b| String::from_utf8_lossy(b).into_owned())
        };
        match (text(), text()) {
            (Some(k), Some(v)) => entries.push((k, v)),
            _ => break,
        }
    }
    entries
}

/// A string argument the canonical ABI allocated here; it is ours now.
///
/// # Safety
/// `ptr`/`len` come from the canonical ABI, allocated by
/// [`cabi_realloc`] with alignment 1.
unsafe fn take(ptr: *mut u8, len: usize) -> String {
    if len == 0 {
        return String::new();
    }
    String::from_utf8_unchecked(Vec::from_raw_parts(ptr, len, len))
}

/// Writes `(pointer, length)` of a list or string into [`RET`] at byte
/// `offset` (0 for a list, 4 for an option's payload); its address.
fn ret_list(offset: usize, ptr: *const u8, len: usize) -> *mut u8 {
    let ret = std::ptr::addr_of_mut!(RET).cast::<u8>();
    // SAFETY: RET is 16 bytes; offset + 8 <= 12. Single-threaded module.
    unsafe {
        ret.add(offset).cast::<u32>().write(ptr as u32);
        ret.add(offset + 4).cast::<u32>().write(len as u32);
    }
    ret
}

/// Writes an `option<string>` into [`RET`]; its address.
fn ret_option(value: Option<&str>) -> *mut u8 {
    let ret = std::ptr::addr_of_mut!(RET).cast::<u8>();
    // SAFETY: as in `ret_list`.
    unsafe { ret.write(u8::from(value.is_some())) };
    match value {
        Some(v) => ret_list(4, v.as_ptr(), v.len()),
        None => ret,
    }
}

#[cfg(not(any(
    feature = "env",
    feature = "clock",
    feature = "keyvalue-draft",
    feature = "keyvalue-draft2"
)))]
mod fakes {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};
    use std::collections::BTreeMap;

    /// The largest `get-random-bytes` length, as the host's
    /// (`wasmtime_wasi::random::DEFAULT_MAX_SIZE`).
    const MAX_RANDOM_BYTES: u64 = 64 << 20;

    struct State {
        /// The `kv` or `config` fake's map, seeded with its values.
        map: BTreeMap<String, String>,
        /// `wasi:random/random`, seeded as the host seeds it.
        secure: StdRng,
        /// `wasi:random/insecure`.
        insecure: StdRng,
        /// `wasi:random/insecure-seed`'s answer.
        seed: u64,
        /// The last list of random bytes returned, alive until the next.
        bytes: Vec<u8>,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::new());
    }

    impl State {
        fn new() -> Self {
            let entries = seed();
            let seed = entries
                .iter()
                .find(|(k, _)| k == "patchbay:seed")
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap_or(0);
            Self {
                map: entries.into_iter().collect(),
                secure: StdRng::seed_from_u64(seed),
                insecure: StdRng::seed_from_u64(seed ^ 0x5eed),
                seed,
                bytes: Vec::new(),
            }
        }
    }

    fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
        STATE.with(|s| f(&mut s.borrow_mut()))
    }

    /// `get: func(key: string) -> option<string>`. The answer points into
    /// the map, which no call changes before the caller has read it.
    ///
    /// # Safety
    /// Called by the canonical ABI.
    #[export_name = "kv-get"]
    pub unsafe extern "C" fn kv_get(ptr: *mut u8, len: usize) -> *mut u8 {
        let key = take(ptr, len);
        with(|s| ret_option(s.map.get(&key).map(String::as_str)))
    }

    /// `set: func(key: string, value: string)`.
    ///
    /// # Safety
    /// Called by the canonical ABI.
    #[export_name = "kv-set"]
    pub unsafe extern "C" fn kv_set(kp: *mut u8, kl: usize, vp: *mut u8, vl: usize) {
        let (key, value) = (take(kp, kl), take(vp, vl));
        with(|s| s.map.insert(key, value));
    }

    /// `delete: func(key: string)`.
    ///
    /// # Safety
    /// Called by the canonical ABI.
    #[export_name = "kv-delete"]
    pub unsafe extern "C" fn kv_delete(ptr: *mut u8, len: usize) {
        let key = take(ptr, len);
        with(|s| s.map.remove(&key));
    }

    /// `exists: func(key: string) -> bool`.
    ///
    /// # Safety
    /// Called by the canonical ABI.
    #[export_name = "kv-exists"]
    pub unsafe extern "C" fn kv_exists(ptr: *mut u8, len: usize) -> u32 {
        let key = take(ptr, len);
        with(|s| u32::from(s.map.contains_key(&key)))
    }

    fn bytes_from(len: u64, rng: impl FnOnce(&mut State) -> &mut StdRng) -> *mut u8 {
        if len > MAX_RANDOM_BYTES {
            std::process::abort();
        }
        with(|s| {
            let bytes: Vec<u8> = rng(s).random_iter().take(len as usize).collect();
            s.bytes = bytes;
            ret_list(0, s.bytes.as_ptr(), s.bytes.len())
        })
    }

    /// `get-random-bytes: func(len: u64) -> list<u8>`.
    #[export_name = "random-bytes"]
    pub extern "C" fn random_bytes(len: u64) -> *mut u8 {
        bytes_from(len, |s| &mut s.secure)
    }

    /// `get-random-u64: func() -> u64`.
    #[export_name = "random-u64"]
    pub extern "C" fn random_u64() -> u64 {
        with(|s| s.secure.random())
    }

    /// `get-insecure-random-bytes: func(len: u64) -> list<u8>`.
    #[export_name = "insecure-random-bytes"]
    pub extern "C" fn insecure_random_bytes(len: u64) -> *mut u8 {
        bytes_from(len, |s| &mut s.insecure)
    }

    /// `get-insecure-random-u64: func() -> u64`.
    #[export_name = "insecure-random-u64"]
    pub extern "C" fn insecure_random_u64() -> u64 {
        with(|s| s.insecure.random())
    }

    /// `insecure-seed: func() -> tuple<u64, u64>`: the seed, as the host
    /// answers a seed of `u128::from(seed)`.
    #[export_name = "insecure-seed"]
    pub extern "C" fn insecure_seed() -> *mut u8 {
        let seed = with(|s| s.seed);
        let ret = std::ptr::addr_of_mut!(RET);
        // SAFETY: single-threaded module; RET is two u64s.
        unsafe { ret.write([seed, 0]) };
        ret.cast()
    }
}

#[cfg(feature = "env")]
mod env {
    use super::*;
    use std::alloc::dealloc;

    #[link(wasm_import_module = "patchbay-fake:host-environment")]
    extern "C" {
        /// The host's `get-environment`, lowered: writes `(pointer, count)`
        /// of a `list<tuple<string, string>>` it allocated here.
        #[link_name = "get-environment"]
        fn host_get_environment(ret: *mut u32);
    }

    struct State {
        /// The variables the grant names (the seed's keys).
        allowed: Vec<String>,
        /// The last answer's strings and its table of
        /// `(key pointer, key length, value pointer, value length)`, alive
        /// until the next call.
        kept: Vec<(String, String)>,
        table: Vec<u32>,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State {
            allowed: seed().into_iter().map(|(k, _)| k).collect(),
            kept: Vec::new(),
            table: Vec::new(),
        });
    }

    /// `get-environment: func() -> list<tuple<string, string>>`: the
    /// host's variables the grant names, every other one withheld.
    #[export_name = "env-get-environment"]
    pub extern "C" fn get_environment() -> *mut u8 {
        let mut host = [0u32; 2];
        // SAFETY: the canonical ABI writes the list and its strings with
        // `cabi_realloc`; each string (alignment 1) and the list (16-byte
        // elements, alignment 4) become ours.
        let all: Vec<(String, String)> = unsafe {
            host_get_environment(host.as_mut_ptr());
            let (ptr, count) = (host[0] as *mut u32, host[1] as usize);
            let mut all = Vec::with_capacity(count);
            for i in 0..count {
                let e = ptr.add(i * 4);
                let key = take(e.read() as *mut u8, e.add(1).read() as usize);
                let value = take(e.add(2).read() as *mut u8, e.add(3).read() as usize);
                all.push((key, value));
            }
            if count > 0 {
                dealloc(ptr.cast(), Layout::from_size_align_unchecked(count * 16, 4));
            }
            all
        };
        STATE.with(|s| {
            let s = &mut *s.borrow_mut();
            s.kept = all
                .into_iter()
                .filter(|(k, _)| s.allowed.iter().any(|a| a == k))
                .collect();
            s.table = s
                .kept
                .iter()
                .flat_map(|(k, v)| {
                    [
                        k.as_ptr() as u32,
                        k.len() as u32,
                        v.as_ptr() as u32,
                        v.len() as u32,
                    ]
                })
                .collect();
            ret_list(0, s.table.as_ptr().cast(), s.kept.len())
        })
    }

    /// `get-arguments: func() -> list<string>`: none, as in Patchbay's
    /// sandbox.
    #[export_name = "env-get-arguments"]
    pub extern "C" fn get_arguments() -> *mut u8 {
        ret_list(0, std::ptr::NonNull::<u32>::dangling().as_ptr().cast(), 0)
    }

    /// `initial-cwd: func() -> option<string>`: none, as in Patchbay's
    /// sandbox.
    #[export_name = "env-initial-cwd"]
    pub extern "C" fn initial_cwd() -> *mut u8 {
        ret_option(None)
    }
}

#[cfg(feature = "clock")]
mod clock {
    use super::*;

    #[link(wasm_import_module = "patchbay-fake:host-monotonic-clock")]
    extern "C" {
        /// The host's `subscribe-duration`: a pollable (its handle) ready
        /// after `nanos`.
        #[link_name = "subscribe-duration"]
        fn host_subscribe_duration(nanos: u64) -> u32;
    }

    thread_local! {
        /// The instant the clock is stopped at (the seed's `patchbay:now`).
        static NOW: u64 = seed()
            .into_iter()
            .find(|(k, _)| k == "patchbay:now")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
    }

    fn now() -> u64 {
        NOW.with(|n| *n)
    }

    /// `now: func() -> instant`: always the same instant.
    #[export_name = "clock-now"]
    pub extern "C" fn clock_now() -> u64 {
        now()
    }

    /// `resolution: func() -> duration`: a nanosecond, as the host's fixed
    /// clock says.
    #[export_name = "clock-resolution"]
    pub extern "C" fn clock_resolution() -> u64 {
        1
    }

    /// `subscribe-duration: func(when: duration) -> pollable`: a real wait
    /// of that long, from the host.
    #[export_name = "clock-subscribe-duration"]
    pub extern "C" fn clock_subscribe_duration(nanos: u64) -> u32 {
        // SAFETY: a lowered import taking a u64 and returning a handle.
        unsafe { host_subscribe_duration(nanos) }
    }

    /// `subscribe-instant: func(when: instant) -> pollable`: ready after
    /// `when` less the stopped instant, as the host's fixed clock waits.
    #[export_name = "clock-subscribe-instant"]
    pub extern "C" fn clock_subscribe_instant(when: u64) -> u32 {
        // SAFETY: as above.
        unsafe { host_subscribe_duration(when.saturating_sub(now())) }
    }
}

#[cfg(any(feature = "keyvalue-draft", feature = "keyvalue-draft2"))]
mod keyvalue;
