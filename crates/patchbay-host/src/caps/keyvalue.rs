//! `wasi:keyvalue@0.2.0-draft` (`store`, `atomics`, `batch`).
//!
//! - **Granted**: a redb database file the grant names (`store`), whose
//!   data persists across runs, one table per bucket. Only the buckets the
//!   grant lists (`buckets`) open; any other is refused with
//!   `access-denied` and a scope line naming the node, like a denial.
//! - **Faked** (`fake = "kv"`): buckets in memory, seeded from the
//!   binding's `values` (`"BUCKET/KEY" = "value"`, or `"KEY"` for the
//!   `default` bucket), kept for the Store, so a live session sees its own
//!   writes.
//!
//! Two versions of the WIT are served from the one store and its one set of
//! rules: `@0.2.0-draft` (wasmCloud's SDK, here) and `@0.2.0-draft2`
//! (Spin 3 and its SDK, [`draft2`]: a string cursor, a signed increment,
//! compare-and-swap). A scope, its buckets and their data are the same
//! whichever version a guest imports.
//!
//! Wasmtime's `wasmtime-wasi-keyvalue` keeps its data in a map it is built
//! with and cannot be given a database, so the host side is generated here
//! from the same WIT (vendored in `wit/keyvalue` and `wit/keyvalue-draft2`)
//! with `bindgen!`.

use crate::state::{RunState, ScopeLog, ScopeRefusal};
use indexmap::IndexMap;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, Weak};
use wasmtime::component::{HasData, Linker, Resource};

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit/keyvalue",
        world: "wasi:keyvalue/imports",
        imports: { default: trappable },
        with: {
            "wasi:keyvalue/store.bucket": super::Bucket,
        },
    });
}

use bindings::wasi::keyvalue::{atomics, batch, store};

#[path = "keyvalue_draft2.rs"]
mod draft2;

/// The bucket a fake's value seeds when its name has no `BUCKET/`.
pub const DEFAULT_BUCKET: &str = "default";

/// Most keys one `list-keys` answer holds; the cursor pages on.
const PAGE: usize = 1000;

/// An open bucket: its name and the scope that opened it.
pub struct Bucket {
    name: String,
    scope: usize,
}

/// How a scope's key-value import is configured (per prepared project).
#[derive(Debug, Clone, Default)]
pub(crate) struct KvConfig {
    /// A granted database file (resolved) and the buckets it may open.
    store: Option<(PathBuf, Vec<String>)>,
    /// A fake's seed values.
    fake: Option<IndexMap<String, String>>,
    /// The nodes whose scope this is, for scope lines.
    nodes: Vec<String>,
}

impl KvConfig {
    /// A grant: the database file (relative to the project folder) and its
    /// buckets. A grant without a file opens no bucket.
    pub fn grant(&mut self, grant: &patchbay_project::Grant, project_dir: &Path, nodes: &[String]) {
        self.reached(nodes);
        if let Some(file) = &grant.store {
            self.store = Some((project_dir.join(file), grant.buckets.clone()));
        }
    }

    /// The `kv` fake, seeded from `values`.
    pub fn fake(&mut self, values: &IndexMap<String, String>, nodes: &[String]) {
        self.reached(nodes);
        self.fake = Some(values.clone());
    }

    /// Notes the nodes whose scope this is.
    pub fn reached(&mut self, nodes: &[String]) {
        for n in nodes {
            if !self.nodes.contains(n) {
                self.nodes.push(n.clone());
            }
        }
    }

    /// The state of one Store.
    pub fn prepare(&self, log: &ScopeLog) -> KvScope {
        let backend = if let Some(values) = &self.fake {
            let mut buckets: HashMap<String, BTreeMap<String, Vec<u8>>> = HashMap::new();
            for (name, value) in values {
                let (bucket, key) = name.split_once('/').unwrap_or((DEFAULT_BUCKET, name));
                buckets
                    .entry(bucket.to_string())
                    .or_default()
                    .insert(key.to_string(), value.clone().into_bytes());
            }
            Backend::Memory(buckets)
        } else if let Some((path, buckets)) = &self.store {
            Backend::File {
                path: path.clone(),
                buckets: buckets.clone(),
                db: None,
            }
        } else {
            Backend::Closed
        };
        let seed = match &backend {
            Backend::Memory(buckets) => Some(buckets.clone()),
            _ => None,
        };
        KvScope {
            backend,
            seed,
            nodes: self.nodes.clone(),
            log: log.clone(),
        }
    }
}

/// What one scope's buckets are.
enum Backend {
    /// Nothing granted: every bucket is refused.
    Closed,
    /// The `kv` fake.
    Memory(HashMap<String, BTreeMap<String, Vec<u8>>>),
    /// A granted database file, opened on the first bucket.
    File {
        path: PathBuf,
        buckets: Vec<String>,
        db: Option<Arc<redb::Database>>,
    },
}

/// The key-value state of one scope of one Store.
pub(crate) struct KvScope {
    backend: Backend,
    /// The fake's buckets as seeded, for [`KvScope::clear_fake`].
    seed: Option<HashMap<String, BTreeMap<String, Vec<u8>>>>,
    nodes: Vec<String>,
    log: ScopeLog,
}

/// Database files open in this process, shared by every Store that grants
/// them: redb locks a file for one `Database` at a time.
static OPEN: LazyLock<Mutex<HashMap<PathBuf, Weak<redb::Database>>>> =
    LazyLock::new(Mutex::default);

fn open_database(path: &Path) -> Result<Arc<redb::Database>, String> {
    let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut open = OPEN
        .lock()
        .map_err(|_| "the store registry is poisoned".to_string())?;
    if let Some(db) = open.get(&key).and_then(Weak::upgrade) {
        return Ok(db);
    }
    if let Some(folder) = key.parent() {
        std::fs::create_dir_all(folder).map_err(|e| {
            format!(
                "cannot make the folder of the key-value store `{}`: {e}",
                key.display()
            )
        })?;
    }
    let db = redb::Database::create(&key)
        .map_err(|e| format!("cannot open the key-value store `{}`: {e}", key.display()))?;
    let db = Arc::new(db);
    open.insert(key, Arc::downgrade(&db));
    Ok(db)
}

fn other(e: impl std::fmt::Display) -> store::Error {
    store::Error::Other(e.to_string())
}

fn table(name: &str) -> TableDefinition<'_, &'static str, &'static [u8]> {
    TableDefinition::new(name)
}

impl KvScope {
    /// Puts the `kv` fake back to its seed values (a live session's
    /// `clear`); a granted store keeps its data.
    pub fn clear_fake(&mut self) {
        if let (Backend::Memory(buckets), Some(seed)) = (&mut self.backend, &self.seed) {
            buckets.clone_from(seed);
        }
    }

    /// Opens `name`, or says why not.
    fn open(&mut self, name: &str) -> Result<(), store::Error> {
        match &mut self.backend {
            Backend::Memory(buckets) => {
                buckets.entry(name.to_string()).or_default();
                Ok(())
            }
            Backend::File { path, buckets, db } if buckets.iter().any(|b| b == name) => {
                if db.is_none() {
                    *db = Some(open_database(path).map_err(store::Error::Other)?);
                }
                Ok(())
            }
            Backend::File { path, buckets, .. } => {
                let why = format!(
                    "it opened bucket `{}` of `{}`, which its grant does not list (it lists {})",
                    crate::state::shown(name),
                    path.display(),
                    if buckets.is_empty() {
                        "none".to_string()
                    } else {
                        buckets.join(", ")
                    }
                );
                self.refuse(why);
                Err(store::Error::AccessDenied)
            }
            Backend::Closed => {
                self.refuse(format!(
                    "it opened bucket `{}`, but no key-value store is granted to it",
                    crate::state::shown(name)
                ));
                Err(store::Error::AccessDenied)
            }
        }
    }

    fn refuse(&self, message: String) {
        self.log.record(ScopeRefusal {
            nodes: self.nodes.clone(),
            interface: "wasi:keyvalue/store".into(),
            refused: true,
            message,
        });
    }

    fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, store::Error> {
        match &self.backend {
            Backend::Memory(b) => Ok(b.get(bucket).and_then(|m| m.get(key)).cloned()),
            Backend::File { db: Some(db), .. } => {
                let tx = db.begin_read().map_err(other)?;
                let t = match tx.open_table(table(bucket)) {
                    Ok(t) => t,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                    Err(e) => return Err(other(e)),
                };
                let value = t.get(key).map_err(other)?.map(|v| v.value().to_vec());
                Ok(value)
            }
            _ => Err(store::Error::AccessDenied),
        }
    }

    /// Applies `edit` to the bucket's entries in one transaction.
    fn write<R>(
        &mut self,
        bucket: &str,
        edit: impl FnOnce(&mut dyn Entries) -> Result<R, store::Error>,
    ) -> Result<R, store::Error> {
        match &mut self.backend {
            Backend::Memory(b) => edit(b.entry(bucket.to_string()).or_default()),
            Backend::File { db: Some(db), .. } => {
                let tx = db.begin_write().map_err(other)?;
                let out = {
                    let mut t = tx.open_table(table(bucket)).map_err(other)?;
                    edit(&mut t)?
                };
                tx.commit().map_err(other)?;
                Ok(out)
            }
            _ => Err(store::Error::AccessDenied),
        }
    }

    fn keys(&self, bucket: &str) -> Result<Vec<String>, store::Error> {
        match &self.backend {
            Backend::Memory(b) => Ok(b
                .get(bucket)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()),
            Backend::File { db: Some(db), .. } => {
                let tx = db.begin_read().map_err(other)?;
                let t = match tx.open_table(table(bucket)) {
                    Ok(t) => t,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                    Err(e) => return Err(other(e)),
                };
                let mut keys = Vec::new();
                for entry in t.iter().map_err(other)? {
                    let (k, _) = entry.map_err(other)?;
                    keys.push(k.value().to_string());
                }
                Ok(keys)
            }
            _ => Err(store::Error::AccessDenied),
        }
    }
}

/// A bucket's entries, in memory or in a table being written.
trait Entries {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, store::Error>;
    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), store::Error>;
    fn remove(&mut self, key: &str) -> Result<(), store::Error>;
}

impl Entries for BTreeMap<String, Vec<u8>> {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, store::Error> {
        Ok(self.get(key).cloned())
    }
    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), store::Error> {
        self.insert(key.to_string(), value.to_vec());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), store::Error> {
        BTreeMap::remove(self, key);
        Ok(())
    }
}

impl Entries for redb::Table<'_, &'static str, &'static [u8]> {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, store::Error> {
        Ok(self.get(key).map_err(other)?.map(|v| v.value().to_vec()))
    }
    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), store::Error> {
        self.insert(key, value).map_err(other)?;
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), store::Error> {
        redb::Table::remove(self, key).map_err(other)?;
        Ok(())
    }
}

/// The host side, over the Store's state: the active scope opens buckets,
/// a bucket keeps the scope that opened it.
pub(crate) struct KvHost<'a>(&'a mut RunState);

struct KvData;

impl HasData for KvData {
    type Data<'a> = KvHost<'a>;
}

impl KvHost<'_> {
    fn scope(&mut self, index: usize) -> &mut KvScope {
        match self.0.scopes.get_mut(index) {
            Some(s) => &mut s.kv,
            None => &mut self.0.closed.kv,
        }
    }

    /// The scope and name of an open bucket.
    fn bucket(&mut self, bucket: &Resource<Bucket>) -> wasmtime::Result<(&mut KvScope, String)> {
        let b = self.0.table.get(bucket)?;
        let (index, name) = (b.scope, b.name.clone());
        Ok((self.scope(index), name))
    }
}

type Answer<T> = wasmtime::Result<Result<T, store::Error>>;

impl store::Host for KvHost<'_> {
    fn open(&mut self, identifier: String) -> Answer<Resource<Bucket>> {
        let active = self.0.active;
        if let Err(e) = self.scope(active).open(&identifier) {
            return Ok(Err(e));
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
        Ok(scope.get(&name, &key))
    }

    fn set(&mut self, bucket: Resource<Bucket>, key: String, value: Vec<u8>) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| e.put(&key, &value)))
    }

    fn delete(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| e.remove(&key)))
    }

    fn exists(&mut self, bucket: Resource<Bucket>, key: String) -> Answer<bool> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.get(&name, &key).map(|v| v.is_some()))
    }

    fn list_keys(
        &mut self,
        bucket: Resource<Bucket>,
        cursor: Option<u64>,
    ) -> Answer<store::KeyResponse> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.keys(&name).map(|keys| {
            let start = usize::try_from(cursor.unwrap_or(0))
                .unwrap_or(usize::MAX)
                .min(keys.len());
            let end = start.saturating_add(PAGE).min(keys.len());
            store::KeyResponse {
                keys: keys[start..end].to_vec(),
                cursor: (end < keys.len()).then_some(end as u64),
            }
        }))
    }

    fn drop(&mut self, bucket: Resource<Bucket>) -> wasmtime::Result<()> {
        self.0.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for KvHost<'_> {
    fn increment(&mut self, bucket: Resource<Bucket>, key: String, delta: u64) -> Answer<u64> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| {
            increment(e, &key, "u64", |n: u64| n.checked_add(delta))
        }))
    }
}

/// Adds to the decimal number under `key` (none counts as 0) and stores
/// the sum: the one increment rule of both versions, `kind` naming the
/// number type in messages.
fn increment<T: std::str::FromStr + std::fmt::Display + Default>(
    e: &mut dyn Entries,
    key: &str,
    kind: &str,
    add: impl FnOnce(T) -> Option<T>,
) -> Result<T, store::Error> {
    let now = match e.read(key)? {
        None => T::default(),
        Some(bytes) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| t.parse::<T>().ok())
            .ok_or_else(|| {
                other(format!(
                    "`{}` does not hold a decimal number to increment",
                    crate::state::shown(key)
                ))
            })?,
    };
    let next = add(now).ok_or_else(|| {
        other(format!(
            "incrementing `{}` overflows {kind}",
            crate::state::shown(key)
        ))
    })?;
    e.put(key, next.to_string().as_bytes())?;
    Ok(next)
}

impl batch::Host for KvHost<'_> {
    fn get_many(
        &mut self,
        bucket: Resource<Bucket>,
        keys: Vec<String>,
    ) -> Answer<Vec<Option<(String, Vec<u8>)>>> {
        let (scope, name) = self.bucket(&bucket)?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            match scope.get(&name, &key) {
                Ok(v) => out.push(v.map(|v| (key, v))),
                Err(e) => return Ok(Err(e)),
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
        Ok(scope.write(&name, |e| {
            key_values.iter().try_for_each(|(k, v)| e.put(k, v))
        }))
    }

    fn delete_many(&mut self, bucket: Resource<Bucket>, keys: Vec<String>) -> Answer<()> {
        let (scope, name) = self.bucket(&bucket)?;
        Ok(scope.write(&name, |e| keys.iter().try_for_each(|k| e.remove(k))))
    }
}

/// Adds `wasi:keyvalue@0.2.0-draft` and `@0.2.0-draft2` to the linker,
/// served from the Store's active scope.
pub(crate) fn link(linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
    fn host(state: &mut RunState) -> KvHost<'_> {
        KvHost(state)
    }
    store::add_to_linker::<RunState, KvData>(linker, host)?;
    atomics::add_to_linker::<RunState, KvData>(linker, host)?;
    batch::add_to_linker::<RunState, KvData>(linker, host)?;
    draft2::link(linker)
}
