//! (f) Live instances per process.

use super::*;

/// Stops (f) before this much resident memory is added, in KiB.
pub(crate) const RSS_BUDGET_KIB: u64 = 6 << 20;

/// An engine configured as the host's (component model, epochs, fuel,
/// 512 KiB wasm stack, pooling allocator with the same per-component limits)
/// but with pools sized for `n` live composed instances: core instances,
/// tables and fiber stacks too, which `HostOptions` does not reach.
pub(crate) fn wide_engine(n: u32) -> wasmtime::Result<Engine> {
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config.consume_fuel(true);
    config.max_wasm_stack(512 * 1024);
    let mut pooling = wasmtime::PoolingAllocationConfig::default();
    pooling.total_component_instances(n);
    pooling.total_core_instances(n.saturating_mul(8));
    pooling.total_memories(n.saturating_mul(2));
    pooling.total_tables(n.saturating_mul(8));
    pooling.total_stacks(n);
    pooling.max_memory_size(4 << 30);
    pooling.max_core_instances_per_component(64);
    pooling.max_memories_per_component(32);
    pooling.max_tables_per_component(64);
    config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pooling));
    Engine::new(&config)
}

/// Instantiates `pre` into new Stores, all kept alive, until it fails or a
/// limit is reached: (instances, KiB RSS added, time, what stopped it).
pub(crate) fn fill(
    rt: &tokio::runtime::Runtime,
    engine: &Engine,
    pre: &InstancePre<BenchState>,
    cap: usize,
) -> (usize, u64, Duration, String) {
    rt.block_on(async {
        {
            let mut store = bench_store(engine);
            pre.instantiate_async(&mut store).await.expect("warm-up");
        }
        let before = rss_kib();
        let mut live = Vec::new();
        let started = Instant::now();
        let stopped = loop {
            if live.len() >= cap {
                break format!("the cap of {cap} instances");
            }
            if live.len().is_multiple_of(256) && rss_kib().saturating_sub(before) > RSS_BUDGET_KIB {
                break format!("the RSS budget of {} GiB", RSS_BUDGET_KIB >> 20);
            }
            let mut store = bench_store(engine);
            match pre.instantiate_async(&mut store).await {
                Ok(instance) => live.push((store, instance)),
                Err(e) => {
                    break format!(
                        "instantiation failed: {} ({} memory mappings; vm.max_map_count {})",
                        first_line(&e),
                        count_lines("/proc/self/maps"),
                        std::fs::read_to_string("/proc/sys/vm/max_map_count")
                            .unwrap_or_default()
                            .trim()
                    )
                }
            }
        };
        let elapsed = started.elapsed();
        let added = rss_kib().saturating_sub(before);
        let count = live.len();
        drop(live);
        (count, added, elapsed, stopped)
    })
}

pub(crate) fn live_instances(out: &mut Out, sizes: &Sizes) {
    let rt = runtime();
    out.line("### (f) Live kv-service instances in one process");
    out.line("");
    out.line(format!(
        "Composed kv-service (2 nodes: 2 linear memories, 7 core instances) instantiated into \
         separate Stores, all kept alive, until instantiation fails, {} instances, or {} GiB \
         more RSS. RSS from /proc/self/status after one warm-up instantiation.",
        sizes.live_cap,
        RSS_BUDGET_KIB >> 20
    ));
    out.line("");
    out.line(
        "| engine | live instances | KiB RSS per instance | µs per instantiation | stopped by |",
    );
    out.line("|---|---:|---:|---:|---|");
    let composed = {
        let host = new_host(HostOptions::default());
        prepare(&host, "kv-service").composed().bytes.clone()
    };
    let cap = u32::try_from(sizes.live_cap).expect("cap fits u32");
    let rows = [
        (
            "`Host`, default `HostOptions` (max_instances 1000)".to_string(),
            Some(1_000),
        ),
        (format!("`Host`, max_instances {cap}"), Some(cap)),
        (
            format!("host's config, every pool sized for {cap} (core instances ×8, stacks ×1)"),
            None,
        ),
    ];
    for (label, max_instances) in rows {
        let made = match max_instances {
            Some(max_instances) => Host::new(HostOptions {
                cache_dir: None,
                max_instances,
                ..HostOptions::default()
            })
            .map(|host| (host.engine().clone(), Some(host)))
            .map_err(|e| e.to_string()),
            None => wide_engine(cap)
                .map(|engine| (engine, None))
                .map_err(|e| first_line(&e)),
        };
        let (engine, _host) = match made {
            Ok(x) => x,
            Err(e) => {
                out.line(format!(
                    "| {label} | – | – | – | engine did not start: {} |",
                    e.replace('|', "/")
                ));
                continue;
            }
        };
        let component = Component::new(&engine, &composed).expect("compile kv-service");
        let pre = bench_pre(&engine, &component);
        let (count, added, elapsed, stopped) = fill(&rt, &engine, &pre, sizes.live_cap);
        out.line(format!(
            "| {label} | {count} | {:.0} | {:.1} | {stopped} |",
            added as f64 / count.max(1) as f64,
            micros(elapsed) / count.max(1) as f64
        ));
    }
    out.line("");
}
