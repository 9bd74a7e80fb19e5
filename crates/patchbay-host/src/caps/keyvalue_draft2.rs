//! `wasi:keyvalue@0.2.0-draft2`, the version Spin 3 serves and its SDK
//! imports, over the same scopes, buckets and data as `@0.2.0-draft`: a
//! bucket opens (or is refused) by the same rule, reads and writes go to
//! the same fake or database file, and a number is the same decimal text
//! for both versions' `increment`. What differs is only the WIT:
//! `list-keys` pages with a string cursor, `increment` is signed, and
//! `atomics` adds compare-and-swap (`cas`: the value seen when the handle
//! was made, swapped in one transaction only if it is still there).

use super::{increment, Bucket, KvHost, PAGE};
use crate::state::RunState;
use wasmtime::component::{HasData, Linker, Resource};

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit/keyvalue-draft2",
        world: "wasi:keyvalue/imports",
        imports: { default: trappable },
        with: {
            "wasi:keyvalue/store.bucket": super::super::Bucket,
            "wasi:keyvalue/atomics.cas": super::Cas,
        },
    });
}

use bindings::wasi::keyvalue::{atomics, batch, store};

/// A compare-and-swap handle: the bucket and key, and the value they held
/// when it was made (or when a swap last failed).
pub struct Cas {
    bucket: Resource<Bucket>,
    key: String,
    seen: Option<Vec<u8>>,
}

/// The draft's error as this version's (the same three cases).
fn error(e: super::store::Error) -> store::Error {
    match e {
        super::store::Error::NoSuchStore => store::Error::NoSuchStore,
        super::store::Error::AccessDenied => store::Error::AccessDenied,
        super::store::Error::Other(text) => store::Error::Other(text),
    }
}

type Answer<T> = wasmtime::Result<Result<T, store::Error>>;

struct Draft2;

impl HasData for Draft2 {
    type Data<'a> = KvHost<'a>;
}

impl store::Host for KvHost<'_> {
    fn open(&mut self, identifier: String) -> Answer<Resource<Bucket>> {
        let active = self.0.active;
        if let Err(e) = self.scope(active).open(&identifier) {
            return Ok(Err(error(e)));
        }
        Ok(Ok(self.0.table.push(Bucket {
            name: identifier,
            scope: active,
        })?))
    }
}

impl store::HostBucket for KvHost<'_> {
    fn get(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<Option<Vec<u8>>> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.get(&name, &key).map_err(error))
    }

    fn set(&mut self, bucket: Resource<Bucket>, key: String, value: Vec<u8>) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| e.put(&key, &value)).map_err(error))
    }

    fn delete(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| e.remove(&key)).map_err(error))
    }

    fn exists(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<bool> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.get(&name, &key).map(|v| v.is_some()).map_err(error))
    }

    /// Pages as `@0.2.0-draft` does; the cursor is the decimal position
    /// of the next key.
    fn list_keys(
        &mut self,
        bucket: Resource<Bucket>,
        cursor: Option<String>,
    ) -> Answer<store::KeyResponse> {
        let start = match cursor.as_deref().map(str::parse::<usize>) {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Ok(Err(store::Error::Other(format!(
                    "the cursor `{}` is not one this host answered",
                    crate::state::shown(cursor.as_deref().unwrap_or_default())
                ))))
            }
        };
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope
            .keys(&name)
            .map(|keys| {
                let start = start.min(keys.len());
                let end = start.saturating_add(PAGE).min(keys.len());
                store::KeyResponse {
                    keys: keys[start..end].to_vec(),
                    cursor: (end < keys.len()).then(|| end.to_string()),
                }
            })
            .map_err(error))
    }

    fn drop(&mut self, bucket: Resource<Bucket>) -> wasmtime::Result<()> {
        self.0.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for KvHost<'_> {
    fn increment(&mut self, bucket: Resource<Bucket>, key: String, delta: i64) -> Answer<i64> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope
            .write(&name, |e| {
                increment(e, &key, "s64", |n: i64| n.checked_add(delta))
            })
            .map_err(error))
    }

    fn swap(
        &mut self,
        cas: Resource<Cas>,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), atomics::CasError>> {
        let handle = self.0.table.delete(cas)?;
        let (scope, name) = self.bucket(&handle.bucket)?;
        let mut now = None;
        let swapped = scope.write(&name, |e| {
            let current = e.read(&handle.key)?;
            if current == handle.seen {
                e.put(&handle.key, &value)?;
                Ok(true)
            } else {
                now = Some(current);
                Ok(false)
            }
        });
        match swapped {
            Ok(true) => {
                self.0.table.delete(handle.bucket)?;
                Ok(Ok(()))
            }
            Ok(false) => {
                // Hand the handle back with the value found, so the guest
                // can decide again and retry.
                let again = Cas {
                    seen: now.flatten(),
                    ..handle
                };
                Ok(Err(atomics::CasError::CasFailed(self.0.table.push(again)?)))
            }
            Err(e) => {
                self.0.table.delete(handle.bucket)?;
                Ok(Err(atomics::CasError::StoreError(error(e))))
            }
        }
    }
}

impl atomics::HostCas for KvHost<'_> {
    fn new(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<Resource<Cas>> {
        let (scope, name) = self.bucket(&bucket)?;
        let seen = match scope.get(&name, &key) {
            Ok(seen) => seen,
            Err(e) => return Ok(Err(error(e))),
        };
        // The handle keeps its own borrow-free reference to the bucket: a
        // new handle on the same bucket resource.
        let b = self.0.table.get(&bucket)?;
        let own = Bucket {
            name: b.name.clone(),
            scope: b.scope,
        };
        let own = self.0.table.push(own)?;
        Ok(Ok(self.0.table.push(Cas {
            bucket: own,
            key,
            seen,
        })?))
    }

    fn current(&mut self, cas: Resource<Cas>) -> Answer<Option<Vec<u8>>> {
        Ok(Ok(self.0.table.get(&cas)?.seen.clone()))
    }

    fn drop(&mut self, cas: Resource<Cas>) -> wasmtime::Result<()> {
        let handle = self.0.table.delete(cas)?;
        self.0.table.delete(handle.bucket)?;
        Ok(())
    }
}

impl batch::Host for KvHost<'_> {
    fn get_many(
        &mut self,
        bucket: Resource<Bucket>,
        keys: Vec<String>,
    ) -> Answer<Vec<(String, Option<Vec<u8>>)>> {
        let (scope, name) = self.bucket(&bucket)?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            match scope.get(&name, &key) {
                Ok(v) => out.push((key, v)),
                Err(e) => return Ok(Err(error(e))),
            }
        }
        Ok(Ok(out))
    }

    fn set_many(
        &mut self,
        bucket: Resource<Bucket>,
        key_values: Vec<(String, Vec<u8>)>,
    ) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope
            .write(&name, |e| {
                key_values.iter().try_for_each(|(k, v)| e.put(k, v))
            })
            .map_err(error))
    }

    fn delete_many(&mut self, bucket: Resource<Bucket>, keys: Vec<String>) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope
            .write(&name, |e| keys.iter().try_for_each(|k| e.remove(k)))
            .map_err(error))
    }
}

/// Adds `wasi:keyvalue@0.2.0-draft2` to the linker.
pub(super) fn link(linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
    fn host(state: &mut RunState) -> KvHost<'_> {
        KvHost(state)
    }
    store::add_to_linker::<RunState, Draft2>(linker, host)?;
    atomics::add_to_linker::<RunState, Draft2>(linker, host)?;
    batch::add_to_linker::<RunState, Draft2>(linker, host)?;
    Ok(())
}
