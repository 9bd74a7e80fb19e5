//! `std-interfaces`: a component built against wasmCloud's SDK
//! (`wasmcloud-component`), importing the standard `wasi:keyvalue`
//! (store, atomics, batch), `wasi:config/store` and `wasi:logging`
//! interfaces as any wasmCloud component does.

use wasmcloud_component::wasi::config::store as config;
use wasmcloud_component::wasi::keyvalue::{atomics, batch, store};
use wasmcloud_component::wasi::logging::logging::{log, Level};

wit_bindgen::generate!({
    path: "wit",
    world: "std-interfaces",
});

struct StdInterfaces;

fn open(bucket: &str) -> Result<store::Bucket, String> {
    store::open(bucket).map_err(|e| {
        let why = match e {
            store::Error::NoSuchStore => "no such store".to_string(),
            store::Error::AccessDenied => "access denied".to_string(),
            store::Error::Other(s) => s,
        };
        log(Level::Warn, "kv", &format!("cannot open `{bucket}`: {why}"));
        format!("bucket `{bucket}`: {why}")
    })
}

fn kv_error(e: store::Error) -> String {
    match e {
        store::Error::NoSuchStore => "no such store".into(),
        store::Error::AccessDenied => "access denied".into(),
        store::Error::Other(s) => s,
    }
}

impl Guest for StdInterfaces {
    fn put(bucket: String, key: String, value: String) -> Result<(), String> {
        let b = open(&bucket)?;
        b.set(&key, value.as_bytes()).map_err(kv_error)?;
        log(Level::Info, "kv", &format!("put {bucket}/{key}"));
        Ok(())
    }

    fn get(bucket: String, key: String) -> Result<Option<String>, String> {
        let b = open(&bucket)?;
        let value = b.get(&key).map_err(kv_error)?;
        if value.is_none() {
            log(Level::Debug, "kv", &format!("miss {bucket}/{key}"));
        }
        Ok(value.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    fn incr(bucket: String, key: String, delta: u64) -> Result<u64, String> {
        let b = open(&bucket)?;
        atomics::increment(&b, &key, delta).map_err(kv_error)
    }

    fn put_many(bucket: String, pairs: Vec<(String, String)>) -> Result<u32, String> {
        let b = open(&bucket)?;
        let keys: Vec<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
        let values: Vec<(String, Vec<u8>)> = pairs
            .into_iter()
            .map(|(k, v)| (k, v.into_bytes()))
            .collect();
        batch::set_many(&b, &values).map_err(kv_error)?;
        let back = batch::get_many(&b, &keys).map_err(kv_error)?;
        Ok(back.iter().filter(|v| v.is_some()).count() as u32)
    }

    fn keys(bucket: String) -> Result<Vec<String>, String> {
        let b = open(&bucket)?;
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let page = b.list_keys(cursor).map_err(kv_error)?;
            out.extend(page.keys);
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(out),
            }
        }
    }

    fn setting(key: String) -> Result<Option<String>, String> {
        config::get(&key).map_err(|e| match e {
            config::Error::Upstream(s) | config::Error::Io(s) => s,
        })
    }

    fn greet(name: String) -> String {
        let greeting = match config::get("greeting") {
            Ok(Some(g)) => g,
            Ok(None) => {
                log(Level::Warn, "config", "no `greeting` setting; saying hello");
                "hello".to_string()
            }
            Err(_) => {
                log(Level::Error, "config", "the configuration store failed");
                "hello".to_string()
            }
        };
        log(Level::Info, "greet", &format!("greeting {name}"));
        format!("{greeting}, {name}!")
    }
}

export!(StdInterfaces);
