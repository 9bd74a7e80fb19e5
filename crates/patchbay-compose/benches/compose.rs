//! Benchmarks of Patchbay's read and compose paths on the sample components.
//!
//! - `inspect/<sample>`: [`patchbay_inspect::inspect_file`] of every sample
//!   in [`patchbay_test_programs::ALL`] (read, convert if needed, describe).
//! - `compose_chain/<N>`: a project of N nodes, `kv-memory <- kv-cache x
//!   (N-2) <- kv-service`, chaining `patchbay:kv/store` through every cache.
//!   The project folder is written once; each iteration loads it, opens the
//!   [`patchbay_compose::Workspace`] (reads and registers every component)
//!   and composes: everything `patchbay compose` does except writing files.
//!
//! Run with `cargo bench -p patchbay-compose --bench compose`.

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Chain lengths (node counts) of the `compose_chain` group.
const CHAIN_LENGTHS: [usize; 4] = [2, 8, 32, 64];

fn inspect(c: &mut Criterion) {
    let mut group = c.benchmark_group("inspect");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for (name, path) in patchbay_test_programs::ALL {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let inspection =
                    patchbay_inspect::inspect_file(Path::new(black_box(path))).expect(name);
                black_box(inspection)
            });
        });
    }
    group.finish();
}

/// The `patchbay.toml` of an `n`-node chain (`n >= 2`) with absolute
/// component paths. Ids must be kebab-case words that each start with a
/// letter, so the caches are `cache1`, `cache2`, ... (not `cache-1`).
fn chain_manifest(n: usize) -> String {
    assert!(n >= 2, "a chain needs at least memory and service");
    let caches: Vec<String> = (1..n - 1).map(|i| format!("cache{i}")).collect();
    let mut out = String::new();
    let _ = writeln!(out, "version = 1\nname = \"kv-chain\"\n");
    let mut components = vec![
        ("kv-memory", patchbay_test_programs::KV_MEMORY),
        ("kv-service", patchbay_test_programs::KV_SERVICE),
    ];
    if !caches.is_empty() {
        components.push(("kv-cache", patchbay_test_programs::KV_CACHE));
    }
    for (id, path) in components {
        let _ = writeln!(out, "[components.{id}]\npath = {path:?}\n");
    }
    let mut nodes = vec![("memory".to_string(), "kv-memory")];
    nodes.extend(caches.iter().map(|c| (c.clone(), "kv-cache")));
    nodes.push(("service".to_string(), "kv-service"));
    for (i, (node, component)) in nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "[nodes.{node}]\ncomponent = \"{component}\"\nposition = {{ x = {}.0, y = 0.0 }}\n",
            i * 360
        );
    }
    for pair in nodes.windows(2) {
        let _ = writeln!(
            out,
            "[[wires]]\nfrom = \"{}.patchbay:kv/store\"\nto = \"{}.patchbay:kv/store\"\n",
            pair[0].0, pair[1].0
        );
    }
    let _ = writeln!(out, "[[exports]]\nfrom = \"service.handle-request\"\n");
    let _ = writeln!(out, "[bindings.\"*.wasi:*\"]\nmode = \"grant\"");
    out
}

fn compose_chain(c: &mut Criterion) {
    let mut group = c.benchmark_group("compose_chain");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in CHAIN_LENGTHS {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("patchbay.toml"), chain_manifest(n)).expect("write");
        // Fail before timing if the project does not compose.
        let doc = patchbay_project::load(dir.path()).expect("load");
        if let Err(problems) = patchbay_compose::Workspace::open(doc).compose() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("chain-{n} does not compose:\n{}", list.join("\n"));
        }
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), dir.path(), |b, dir| {
            b.iter(|| {
                let doc = patchbay_project::load(black_box(dir)).expect("load");
                let composed = patchbay_compose::Workspace::open(doc)
                    .compose()
                    .expect("compose");
                black_box(composed)
            });
        });
    }
    group.finish();
}

/// The benchmark groups, in a private module: `criterion_group!` declares a
/// `pub fn` that the workspace's `missing_docs` lint would otherwise flag.
mod groups {
    use super::{compose_chain, inspect};
    criterion::criterion_group!(benches, inspect, compose_chain);
}

criterion_main!(groups::benches);
