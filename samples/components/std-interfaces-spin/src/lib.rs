//! `std-interfaces-spin`: a component built against Spin's SDK
//! (`spin-sdk`), importing the standard `wasi:keyvalue@0.2.0-draft2`
//! (store, atomics) and `wasi:config/store@0.2.0-draft-2024-09-27`
//! interfaces Spin 3 serves, through the SDK's own bindings.

use spin_sdk::experimental::wasi::config::store as config;
use spin_sdk::experimental::wasi::keyvalue::{atomics, store};

wit_bindgen::generate!({
    path: "wit",
    world: "std-interfaces-spin",
});

struct StdInterfacesSpin;

fn kv_error(e: store::Error) -> String {
    match e {
        store::Error::NoSuchStore => "no such store".into(),
        store::Error::AccessDenied => "access denied".into(),
        store::Error::Other(s) => s,
    }
}

fn open(bucket: &str) -> Result<store::Bucket, String> {
    store::open(bucket).map_err(|e| format!("bucket `{bucket}`: {}", kv_error(e)))
}

impl Guest for StdInterfacesSpin {
    fn put(bucket: String, key: String, value: String) -> Result<(), String> {
        open(&bucket)?.set(&key, value.as_bytes()).map_err(kv_error)
    }

    fn get(bucket: String, key: String) -> Result<Option<String>, String> {
        let value = open(&bucket)?.get(&key).map_err(kv_error)?;
        Ok(value.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    fn incr(bucket: String, key: String, delta: i64) -> Result<i64, String> {
        atomics::increment(&open(&bucket)?, &key, delta).map_err(kv_error)
    }

    fn swap(
        bucket: String,
        key: String,
        expected: Option<String>,
        value: String,
    ) -> Result<bool, String> {
        let b = open(&bucket)?;
        let cas = atomics::Cas::new(&b, &key).map_err(kv_error)?;
        let seen = cas.current().map_err(kv_error)?;
        if seen.as_deref() != expected.as_deref().map(str::as_bytes) {
            return Ok(false);
        }
        match atomics::swap(cas, value.as_bytes()) {
            Ok(()) => Ok(true),
            Err(atomics::CasError::CasFailed(_)) => Ok(false),
            Err(atomics::CasError::StoreError(e)) => Err(kv_error(e)),
        }
    }

    fn keys(bucket: String) -> Result<Vec<String>, String> {
        let b = open(&bucket)?;
        let mut keys = Vec::new();
        let mut cursor = None;
        loop {
            let page = b.list_keys(cursor.as_deref()).map_err(kv_error)?;
            keys.extend(page.keys);
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(keys),
            }
        }
    }

    fn setting(key: String) -> Result<Option<String>, String> {
        config::get(&key).map_err(|e| match e {
            config::Error::Upstream(s) | config::Error::Io(s) => s,
        })
    }
}

export!(StdInterfacesSpin);
