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
    /// Largest wasm stack a guest may use, in bytes (see
    /// [`crate::Limits::MAX_STACK_KIB`] for the range front ends accept).
    /// A run's fiber stack is this plus room for host functions.
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

/// How the engine allocates instances, memories and fiber stacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allocator {
    /// Wasmtime's pooling allocator: every slot is reserved (not committed)
    /// when the host starts, and instantiation takes a free slot.
    Pooling,
    /// Allocation on demand, because the pool could not be reserved: the
    /// process has too little address space (`ulimit -v`). Memories are
    /// reserved at their size plus a little room to grow, and guest code
    /// checks bounds explicitly instead of relying on guard regions.
    OnDemand {
        /// Why the pool could not be reserved (Wasmtime's message).
        reason: String,
    },
}

impl Allocator {
    /// A line for a person when the host fell back to on-demand
    /// allocation; `None` for the pool.
    pub fn note(&self) -> Option<String> {
        match self {
            Allocator::Pooling => None,
            Allocator::OnDemand { reason } => Some(format!(
                "the instance pool could not be reserved ({reason}); instances are allocated on demand, with explicit bounds checks"
            )),
        }
    }
}

/// Stack a host function may use on a run's fiber above the guest's own
/// (`max_wasm_stack`): Wasmtime's default split of its 2 MiB fiber stack.
const HOST_STACK: usize = 1536 << 10;

/// Room a memory reserves to grow in place when the host allocates on
/// demand; past it, a growing memory moves.
const ON_DEMAND_GROWTH: u64 = 16 << 20;

/// Guard region after each memory when the host allocates on demand.
const ON_DEMAND_GUARD: u64 = 64 << 10;

/// Builds the engine with the pooling allocator, or, when the pool cannot
/// be reserved, with on-demand allocation sized for a small address space.
pub(crate) fn build_engine(options: &HostOptions) -> wasmtime::Result<(Engine, Allocator)> {
    let mut config = base_config(options);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling(options)));
    let pool_error = match Engine::new(&config) {
        Ok(engine) => return Ok((engine, Allocator::Pooling)),
        Err(e) => e,
    };
    let mut config = base_config(options);
    config.allocation_strategy(InstanceAllocationStrategy::OnDemand);
    config.memory_reservation(0);
    config.memory_reservation_for_growth(ON_DEMAND_GROWTH);
    config.memory_guard_size(ON_DEMAND_GUARD);
    let engine = Engine::new(&config).map_err(|e| {
        e.context(format!(
            "the instance pool could not be reserved ({pool_error:#}), and allocating on demand failed too"
        ))
    })?;
    Ok((
        engine,
        Allocator::OnDemand {
            reason: format!("{pool_error:#}"),
        },
    ))
}

fn base_config(options: &HostOptions) -> Config {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config.consume_fuel(true);
    config.max_wasm_stack(options.max_wasm_stack);
    // The fiber a run executes on holds the guest's stack and the host
    // functions it calls; it grows with the guest's.
    config.async_stack_size(
        options
            .max_wasm_stack
            .saturating_add(HOST_STACK)
            .max(2 << 20),
    );
    config
}

/// Core instances one component may hold: about two per node of a
/// composed graph, whose composites lift wasmparser's 1000 instances per
/// component level.
const MAX_CORE_INSTANCES_PER_COMPONENT: u32 = 16_384;

fn pooling(options: &HostOptions) -> PoolingAllocationConfig {
    let mut pooling = PoolingAllocationConfig::default();
    pooling.total_component_instances(options.max_instances);
    // Composed components hold several core instances each (kv-service: 7;
    // a chain of 2000 nodes grouped in composites, 4001). The pool only
    // counts core instances (their state is allocated when made), so a high
    // limit costs nothing until used.
    pooling.total_core_instances(
        options
            .max_instances
            .saturating_mul(8)
            .max(MAX_CORE_INSTANCES_PER_COMPONENT),
    );
    pooling.total_memories(options.max_instances.saturating_mul(2));
    pooling.total_tables(options.max_instances.saturating_mul(8));
    // Every pooled stack is mapped (with a guard page) when the engine
    // starts, so size the pool to the runs that can be live at once.
    pooling.total_stacks(options.max_concurrent_runs.max(1));
    pooling.max_memory_size(options.max_memory_size);
    pooling.max_core_instances_per_component(MAX_CORE_INSTANCES_PER_COMPONENT);
    // The runtime state of one component instance and its core instances
    // (about 800 bytes per core instance; allocated when made, only
    // checked against this).
    pooling.max_component_instance_size(32 << 20);
    pooling.max_memories_per_component(32);
    pooling.max_tables_per_component(64);
    pooling
}

/// Compiled components by content hash, in memory and on disk.
#[derive(Clone, Default)]
pub(crate) struct CompileCache {
    dir: Option<PathBuf>,
    memory: Arc<Mutex<HashMap<String, Component>>>,
}

/// Where a compiled component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    // A cache entry is only ever a file this cache wrote; anything else
    // (a FIFO or device put in its place) is refused, not read.
    let bytes = patchbay_project::read_regular(file, 4 * patchbay_project::MAX_COMPONENT_BYTES)?;
    deserialize(engine, &bytes)
}

#[allow(unsafe_code)]
fn deserialize(engine: &Engine, bytes: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: the bytes were produced by `Component::serialize` of this cache
    // (the file name carries the engine compatibility hash), in a folder
    // only this user writes; Wasmtime also validates the header.
    unsafe { Component::deserialize(engine, bytes) }
}
