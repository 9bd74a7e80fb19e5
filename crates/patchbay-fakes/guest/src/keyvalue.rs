//! The `kv` fake of the standard `wasi:keyvalue` (`store`, `atomics`,
//! `batch`), as the host's (crates/patchbay-host/src/caps/keyvalue.rs):
//! buckets in memory, seeded from the binding's values (`BUCKET/KEY`, or
//! `KEY` for the `default` bucket); any bucket opens, each with its own
//! keys; `list-keys` pages by 1000 sorted keys; `increment` adds to the
//! decimal number a key holds (none counts as 0) and answers `other` with
//! the host's message when it holds none or the sum overflows.
//!
//! Built with the `keyvalue-draft` feature for `@0.2.0-draft` (wasmCloud's
//! SDK) or `keyvalue-draft2` for `@0.2.0-draft2` (Spin 3, with
//! compare-and-swap). Its exports carry the names the component encoder
//! expects for the three interfaces, whole; the `bucket` (and `cas`)
//! resources are the stub's own, made with the encoder's `[resource-new]`.
//!
//! The canonical ABI's layouts on wasm32 (the return area is [`RET`]):
//! `error` is a variant of 12 bytes (case byte, string at +4); a result's
//! payload starts at 4, or at 8 when it holds a 64-bit number or record.

use super::{seed, take};
use std::alloc::{dealloc, Layout};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The number `increment` adds, and its WIT name for messages.
#[cfg(feature = "keyvalue-draft")]
mod names {
    pub const NUMBER: &str = "u64";
    pub type Number = u64;
}

#[cfg(feature = "keyvalue-draft2")]
mod names {
    pub const NUMBER: &str = "s64";
    pub type Number = i64;
}

use names::{Number, NUMBER};

#[cfg_attr(
    feature = "keyvalue-draft",
    link(wasm_import_module = "[export]wasi:keyvalue/store@0.2.0-draft")
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    link(wasm_import_module = "[export]wasi:keyvalue/store@0.2.0-draft2")
)]
extern "C" {
    /// A handle for a new bucket of this rep.
    #[link_name = "[resource-new]bucket"]
    fn bucket_new(rep: u32) -> u32;
}

/// The bucket a value seeds when its name has no `BUCKET/`.
const DEFAULT_BUCKET: &str = "default";

/// Most keys one `list-keys` answer holds; the cursor pages on.
const PAGE: usize = 1000;

/// The return area: results of up to 32 bytes, 8-aligned.
static mut RET: [u64; 4] = [0; 4];

struct State {
    /// Every bucket's entries, by name.
    buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    /// Open buckets' names; a bucket's rep is its index plus one.
    open: Vec<Option<String>>,
    /// Compare-and-swap handles' state; rep is index plus one.
    #[cfg(feature = "keyvalue-draft2")]
    cas: Vec<Option<cas::Cas>>,
    /// The last answer's strings, lists and tables, alive until the next
    /// call.
    kept: Vec<Vec<u8>>,
    words: Vec<Vec<u32>>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::new());
}

impl State {
    fn new() -> Self {
        let mut buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for (name, value) in seed() {
            let (bucket, key) = name.split_once('/').unwrap_or((DEFAULT_BUCKET, &name));
            buckets
                .entry(bucket.to_string())
                .or_default()
                .insert(key.to_string(), value.into_bytes());
        }
        Self {
            buckets,
            open: Vec::new(),
            #[cfg(feature = "keyvalue-draft2")]
            cas: Vec::new(),
            kept: Vec::new(),
            words: Vec::new(),
        }
    }

    /// The name of the open bucket `rep`.
    fn bucket(&self, rep: u32) -> String {
        match self.open.get((rep as usize).wrapping_sub(1)) {
            Some(Some(name)) => name.clone(),
            // The canonical ABI hands in only reps this module made.
            _ => std::process::abort(),
        }
    }

    fn entries(&mut self, bucket: &str) -> &mut BTreeMap<String, Vec<u8>> {
        self.buckets.entry(bucket.to_string()).or_default()
    }

    /// Keeps `bytes` alive until the next call; their address and length.
    fn keep(&mut self, bytes: Vec<u8>) -> (u32, u32) {
        let at = (bytes.as_ptr() as u32, bytes.len() as u32);
        self.kept.push(bytes);
        at
    }

    /// Keeps a table of words alive until the next call; its address.
    fn keep_words(&mut self, words: Vec<u32>) -> u32 {
        let at = words.as_ptr() as u32;
        self.words.push(words);
        at
    }
}

/// Runs `f` on the state, the last answer's buffers released first.
fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|s| {
        let s = &mut *s.borrow_mut();
        s.kept.clear();
        s.words.clear();
        f(s)
    })
}

fn ret() -> *mut u8 {
    std::ptr::addr_of_mut!(RET).cast()
}

/// Writes `value` at byte `offset` of the return area.
fn put_u8(offset: usize, value: u8) {
    // SAFETY: every offset used is inside RET's 32 bytes; single thread.
    unsafe { ret().add(offset).write(value) }
}

fn put_u32(offset: usize, value: u32) {
    // SAFETY: as above; offsets of u32s are multiples of 4.
    unsafe { ret().add(offset).cast::<u32>().write(value) }
}

fn put_u64(offset: usize, value: u64) {
    // SAFETY: as above; offsets of u64s are multiples of 8.
    unsafe { ret().add(offset).cast::<u64>().write(value) }
}

/// An `ok` result with nothing more; the return area.
fn ok() -> *mut u8 {
    put_u8(0, 0);
    ret()
}

/// An `err(other(message))` whose payload starts at `at`; the return area.
fn other(s: &mut State, at: usize, message: String) -> *mut u8 {
    put_u8(0, 1);
    put_u8(at, 2);
    let (ptr, len) = s.keep(message.into_bytes());
    put_u32(at + 4, ptr);
    put_u32(at + 8, len);
    ret()
}

/// A `list<u8>` argument, ours now.
///
/// # Safety
/// Allocated by `cabi_realloc` with alignment 1, as the canonical ABI does.
unsafe fn take_bytes(ptr: *mut u8, len: usize) -> Vec<u8> {
    if len == 0 {
        return Vec::new();
    }
    Vec::from_raw_parts(ptr, len, len)
}

/// The `(pointer, length)` pairs of a list whose elements are `words`
/// 32-bit words each; the list's buffer is freed.
///
/// # Safety
/// A list the canonical ABI allocated, 4-aligned.
unsafe fn take_list(ptr: *mut u32, len: usize, words: usize) -> Vec<Vec<u32>> {
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let e = ptr.add(i * words);
        out.push((0..words).map(|w| e.add(w).read()).collect());
    }
    if len > 0 {
        dealloc(
            ptr.cast(),
            Layout::from_size_align_unchecked(len * words * 4, 4),
        );
    }
    out
}

/// A `list<string>` argument.
///
/// # Safety
/// As [`take_list`].
unsafe fn take_strings(ptr: *mut u32, len: usize) -> Vec<String> {
    take_list(ptr, len, 2)
        .into_iter()
        .map(|e| take(e[0] as *mut u8, e[1] as usize))
        .collect()
}

/// `open: func(identifier: string) -> result<bucket, error>`: every
/// bucket opens.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#open"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#open"
)]
pub unsafe extern "C" fn open(ptr: *mut u8, len: usize) -> *mut u8 {
    let name = take(ptr, len);
    let rep = with(|s| {
        s.entries(&name);
        let slot = match s.open.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                s.open.push(None);
                s.open.len() - 1
            }
        };
        s.open[slot] = Some(name);
        slot as u32 + 1
    });
    let handle = bucket_new(rep);
    put_u32(4, handle);
    ok()
}

/// The bucket's destructor: its handle is gone, its data stays.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#[dtor]bucket"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#[dtor]bucket"
)]
pub extern "C" fn bucket_dtor(rep: u32) {
    with(|s| {
        if let Some(slot) = s.open.get_mut((rep as usize).wrapping_sub(1)) {
            *slot = None;
        }
    });
}

/// Writes an `option<list<u8>>` at byte `at`.
fn put_option_bytes(s: &mut State, at: usize, value: Option<Vec<u8>>) {
    match value {
        None => put_u8(at, 0),
        Some(v) => {
            put_u8(at, 1);
            let (ptr, len) = s.keep(v);
            put_u32(at + 4, ptr);
            put_u32(at + 8, len);
        }
    }
}

/// `get: func(key: string) -> result<option<list<u8>>, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#[method]bucket.get"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#[method]bucket.get"
)]
pub unsafe extern "C" fn get(rep: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let key = take(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        let value = s.entries(&bucket).get(&key).cloned();
        put_option_bytes(s, 4, value);
        ok()
    })
}

/// `set: func(key: string, value: list<u8>) -> result<_, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#[method]bucket.set"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#[method]bucket.set"
)]
pub unsafe extern "C" fn set(rep: u32, kp: *mut u8, kl: usize, vp: *mut u8, vl: usize) -> *mut u8 {
    let (key, value) = (take(kp, kl), take_bytes(vp, vl));
    with(|s| {
        let bucket = s.bucket(rep);
        s.entries(&bucket).insert(key, value);
        ok()
    })
}

/// `delete: func(key: string) -> result<_, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#[method]bucket.delete"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#[method]bucket.delete"
)]
pub unsafe extern "C" fn delete(rep: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let key = take(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        s.entries(&bucket).remove(&key);
        ok()
    })
}

/// `exists: func(key: string) -> result<bool, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/store@0.2.0-draft#[method]bucket.exists"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/store@0.2.0-draft2#[method]bucket.exists"
)]
pub unsafe extern "C" fn exists(rep: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let key = take(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        let found = s.entries(&bucket).contains_key(&key);
        put_u8(4, u8::from(found));
        ok()
    })
}

/// The page of `bucket`'s keys from `start`: the `(pointer, length)`
/// table of the keys (kept), their count, and the next page's start.
fn page(s: &mut State, bucket: &str, start: usize) -> (u32, u32, Option<usize>) {
    let keys: Vec<String> = s.entries(bucket).keys().cloned().collect();
    let start = start.min(keys.len());
    let end = start.saturating_add(PAGE).min(keys.len());
    let mut table = Vec::with_capacity((end - start) * 2);
    for key in &keys[start..end] {
        let (ptr, len) = s.keep(key.clone().into_bytes());
        table.push(ptr);
        table.push(len);
    }
    let count = (end - start) as u32;
    (
        s.keep_words(table),
        count,
        (end < keys.len()).then_some(end),
    )
}

/// `list-keys: func(cursor: option<u64>) -> result<key-response, error>`:
/// the cursor is the position of the next key.
#[cfg(feature = "keyvalue-draft")]
#[export_name = "wasi:keyvalue/store@0.2.0-draft#[method]bucket.list-keys"]
pub extern "C" fn list_keys(rep: u32, has_cursor: u32, cursor: u64) -> *mut u8 {
    with(|s| {
        let bucket = s.bucket(rep);
        let start = if has_cursor == 0 {
            0
        } else {
            usize::try_from(cursor).unwrap_or(usize::MAX)
        };
        let (keys, count, next) = page(s, &bucket, start);
        put_u32(8, keys);
        put_u32(12, count);
        match next {
            None => put_u8(16, 0),
            Some(n) => {
                put_u8(16, 1);
                put_u64(24, n as u64);
            }
        }
        ok()
    })
}

/// `list-keys: func(cursor: option<string>) -> result<key-response,
/// error>`: the cursor is the decimal position of the next key; any other
/// cursor is refused as the host refuses it.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg(feature = "keyvalue-draft2")]
#[export_name = "wasi:keyvalue/store@0.2.0-draft2#[method]bucket.list-keys"]
pub unsafe extern "C" fn list_keys(rep: u32, has_cursor: u32, ptr: *mut u8, len: usize) -> *mut u8 {
    let cursor = (has_cursor != 0).then(|| take(ptr, len));
    with(|s| {
        let bucket = s.bucket(rep);
        let start = match cursor.as_deref().map(str::parse::<usize>) {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                let message = format!(
                    "the cursor `{}` is not one this host answered",
                    shown(cursor.as_deref().unwrap_or_default())
                );
                return other(s, 4, message);
            }
        };
        let (keys, count, next) = page(s, &bucket, start);
        put_u32(4, keys);
        put_u32(8, count);
        match next {
            None => put_u8(12, 0),
            Some(n) => {
                put_u8(12, 1);
                let (ptr, len) = s.keep(n.to_string().into_bytes());
                put_u32(16, ptr);
                put_u32(20, len);
            }
        }
        ok()
    })
}

/// A text as the host's messages show it: up to 80 characters, then an
/// ellipsis and its length (patchbay-project's `shown`).
fn shown(text: &str) -> String {
    const SHOWN_CHARS: usize = 80;
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// `increment: func(bucket: borrow<bucket>, key: string, delta) ->
/// result<number, error>`: the host's one rule for both versions.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/atomics@0.2.0-draft#increment"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/atomics@0.2.0-draft2#increment"
)]
pub unsafe extern "C" fn increment(rep: u32, ptr: *mut u8, len: usize, delta: Number) -> *mut u8 {
    let key = take(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        let now = match s.entries(&bucket).get(&key) {
            None => Some(0),
            Some(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|t| t.parse::<Number>().ok()),
        };
        let Some(now) = now else {
            let message = format!(
                "`{}` does not hold a decimal number to increment",
                shown(&key)
            );
            return other(s, 8, message);
        };
        let Some(next) = now.checked_add(delta) else {
            let message = format!("incrementing `{}` overflows {NUMBER}", shown(&key));
            return other(s, 8, message);
        };
        s.entries(&bucket)
            .insert(key, next.to_string().into_bytes());
        put_u64(8, next as u64);
        ok()
    })
}

/// `get-many: func(bucket: borrow<bucket>, keys: list<string>) ->
/// result<list<option<tuple<string, list<u8>>>>, error>` (`@0.2.0-draft`),
/// `result<list<tuple<string, option<list<u8>>>>, error>` (`-draft2`): one
/// entry per key, in order.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/batch@0.2.0-draft#get-many"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/batch@0.2.0-draft2#get-many"
)]
pub unsafe extern "C" fn get_many(rep: u32, ptr: *mut u32, len: usize) -> *mut u8 {
    let keys = take_strings(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        let mut table = Vec::with_capacity(keys.len() * 5);
        for key in keys {
            let value = s.entries(&bucket).get(&key).cloned();
            let (kp, kl) = s.keep(key.into_bytes());
            let (present, vp, vl) = match value {
                Some(v) => {
                    let (vp, vl) = s.keep(v);
                    (1, vp, vl)
                }
                None => (0, 0, 0),
            };
            // Each entry is 20 bytes: the option's case, then the pair
            // (-draft); the key, then the option (-draft2).
            #[cfg(feature = "keyvalue-draft")]
            table.extend([present, kp, kl, vp, vl]);
            #[cfg(feature = "keyvalue-draft2")]
            table.extend([kp, kl, present, vp, vl]);
        }
        let count = table.len() as u32 / 5;
        let at = s.keep_words(table);
        put_u32(4, at);
        put_u32(8, count);
        ok()
    })
}

/// `set-many: func(bucket: borrow<bucket>, key-values: list<tuple<string,
/// list<u8>>>) -> result<_, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/batch@0.2.0-draft#set-many"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/batch@0.2.0-draft2#set-many"
)]
pub unsafe extern "C" fn set_many(rep: u32, ptr: *mut u32, len: usize) -> *mut u8 {
    let pairs: Vec<(String, Vec<u8>)> = take_list(ptr, len, 4)
        .into_iter()
        .map(|e| {
            (
                take(e[0] as *mut u8, e[1] as usize),
                take_bytes(e[2] as *mut u8, e[3] as usize),
            )
        })
        .collect();
    with(|s| {
        let bucket = s.bucket(rep);
        s.entries(&bucket).extend(pairs);
        ok()
    })
}

/// `delete-many: func(bucket: borrow<bucket>, keys: list<string>) ->
/// result<_, error>`.
///
/// # Safety
/// Called by the canonical ABI.
#[cfg_attr(
    feature = "keyvalue-draft",
    export_name = "wasi:keyvalue/batch@0.2.0-draft#delete-many"
)]
#[cfg_attr(
    feature = "keyvalue-draft2",
    export_name = "wasi:keyvalue/batch@0.2.0-draft2#delete-many"
)]
pub unsafe extern "C" fn delete_many(rep: u32, ptr: *mut u32, len: usize) -> *mut u8 {
    let keys = take_strings(ptr, len);
    with(|s| {
        let bucket = s.bucket(rep);
        let entries = s.entries(&bucket);
        for key in keys {
            entries.remove(&key);
        }
        ok()
    })
}

#[cfg(feature = "keyvalue-draft2")]
mod cas;
