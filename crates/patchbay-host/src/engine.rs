//! The Wasmtime engine and the compile cache.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use wasmtime::component::Component;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How the host's engine is set up.
#[derive(Debug, Clone)]
pub struct HostOptions {
    /// Folder for compiled components (`<hash>.cwasm`); `None` keeps the
    /// cache in memory only.
    pub cache_dir: Option<PathBuf>,
    /// Largest wasm stack a guest may use, in bytes.
    pub max_wasm_stack: usize,
    /// How many component instances may be live at once (pooling allocator).
    pub max_instances: u32,
    /// How many runs (Stores) may be live at once: each holds one fiber
    /// stack from the pool. A one-shot CLI call needs few; a server many.
    pub max_concurrent_runs: u32,
    /// Largest linear memory any instance may reserve, in bytes. Per-run
    /// memory caps ([`crate::Limits::max_memory`]) are enforced below this.
    pub max_memory_size: usize,
}

impl Default for HostOptions {
    fn default() -> Self {
        Self {
            cache_dir: default_cache_dir(),
            max_wasm_stack: 512 * 1024,
            max_instances: 1000,
            max_concurrent_runs: 1000,
            max_memory_size: 4 << 30,
        }
    }
}

/// `~/.cache/patchbay/compiled`, when a home folder is known.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("patchbay").join("compiled"))
}

pub(crate) fn build_engine(options: &HostOptions) -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config.consume_fuel(true);
    config.max_wasm_stack(options.max_wasm_stack);
    let mut pooling = PoolingAllocationConfig::default();
    pooling.total_component_instances(options.max_instances);
    // Composed components hold several core instances each (kv-service: 7).
    pooling.total_core_instances(options.max_instances.saturating_mul(8));
    pooling.total_memories(options.max_instances.saturating_mul(2));
    pooling.total_tables(options.max_instances.saturating_mul(8));
    // Every pooled stack is mapped (with a guard page) when the engine
    // starts, so size the pool to the runs that can be live at once.
    pooling.total_stacks(options.max_concurrent_runs.max(1));
    pooling.max_memory_size(options.max_memory_size);
    // Core instances of composed components hold many functions and tables.
    pooling.max_core_instances_per_component(64);
    pooling.max_memories_per_component(32);
    pooling.max_tables_per_component(64);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    Engine::new(&config)
}

/// Compiled components by content hash, in memory and on disk.
#[derive(Clone, Default)]
pub(crate) struct CompileCache {
    dir: Option<PathBuf>,
    memory: Arc<Mutex<HashMap<String, Component>>>,
}

/// Where a compiled component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheHit {
    /// Found in this process's memory.
    Memory,
    /// Loaded from the cache folder.
    Disk,
    /// Compiled now.
    Compiled,
}

impl CompileCache {
    pub(crate) fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            memory: Arc::default(),
        }
    }

    /// The compiled form of `bytes`, compiling only if neither cache has it.
    /// The disk key includes the engine's compatibility hash, so artifacts of
    /// another Wasmtime or configuration are never loaded.
    pub(crate) fn get(
        &self,
        engine: &Engine,
        bytes: &[u8],
    ) -> wasmtime::Result<(Component, CacheHit)> {
        let key = patchbay_project::content_hash(bytes);
        if let Some(c) = self.memory.lock().expect("cache lock").get(&key) {
            return Ok((c.clone(), CacheHit::Memory));
        }
        let file = self.dir.as_ref().map(|dir| {
            let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut engine_hash);
            let engine_hash = std::hash::Hasher::finish(&engine_hash);
            dir.join(format!(
                "{}-{engine_hash:016x}.cwasm",
                key.trim_start_matches("sha256:")
            ))
        });
        if let Some(file) = &file {
            if file.exists() {
                // A stale or damaged artifact is compiled again.
                if let Ok(c) = load_artifact(engine, file) {
                    self.memory
                        .lock()
                        .expect("cache lock")
                        .insert(key, c.clone());
                    return Ok((c, CacheHit::Disk));
                }
            }
        }
        let component = Component::new(engine, bytes)?;
        if let Some(file) = &file {
            if let Ok(serialized) = component.serialize() {
                if let Some(parent) = file.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let _ = patchbay_project::write_output(file, &serialized);
            }
        }
        self.memory
            .lock()
            .expect("cache lock")
            .insert(key, component.clone());
        Ok((component, CacheHit::Compiled))
    }
}

fn load_artifact(engine: &Engine, file: &std::path::Path) -> wasmtime::Result<Component> {
    deserialize(engine, &std::fs::read(file)?)
}

#[allow(unsafe_code)]
fn deserialize(engine: &Engine, bytes: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: the bytes were produced by `Component::serialize` of this cache
    // (the file name carries the engine compatibility hash), in a folder
    // only this user writes; Wasmtime also validates the header.
    unsafe { Component::deserialize(engine, bytes) }
}
