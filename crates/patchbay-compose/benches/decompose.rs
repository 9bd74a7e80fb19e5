//! Benchmark of opening a composed binary as a project
//! ([`patchbay_compose::import_binary_bytes`]: the top level read,
//! components extracted, nodes, wires and exports made and laid out) on the
//! biggest composition the samples make: every sample and compose fixture
//! is composed, open and sealed, and the largest binary is kept.
//!
//! - `decompose/<project>`: the import alone, in memory;
//! - `decompose_and_write/<project>`: the import plus writing the project
//!   folder (`write_import`: the component files and `patchbay.toml`), as
//!   `patchbay import` does before it checks the project.
//!
//! Run with `cargo bench -p patchbay-compose --bench decompose`.

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use patchbay_compose::Workspace;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The biggest composed binary of the samples and fixtures, and its name.
fn biggest() -> (String, Vec<u8>) {
    let mut best: (String, Vec<u8>) = (String::new(), Vec::new());
    for folder in patchbay_test_programs::project_folders() {
        let Ok(project) = patchbay_project::load(&folder) else {
            continue;
        };
        let ws = Workspace::open(project);
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut candidates = Vec::new();
        if let Ok(open) = ws.compose() {
            candidates.push((name.clone(), open.bytes));
        }
        if let Ok(sealed) = ws.compose_sealed() {
            candidates.push((format!("{name}-sealed"), sealed.composed.bytes));
        }
        for candidate in candidates {
            if candidate.1.len() > best.1.len() {
                best = candidate;
            }
        }
    }
    assert!(!best.1.is_empty(), "no sample composes");
    best
}

fn decompose(c: &mut Criterion) {
    let (name, bytes) = biggest();
    let path = Path::new("composed.wasm");
    let mut group = c.benchmark_group("decompose");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(BenchmarkId::from_parameter(&name), |b| {
        b.iter(|| {
            black_box(
                patchbay_compose::import_binary_bytes(black_box(&bytes), path).expect("imports"),
            )
        });
    });
    group.finish();

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("{name}.wasm"));
    std::fs::write(&file, &bytes).expect("write binary");
    let mut group = c.benchmark_group("decompose_and_write");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut run = 0;
    group.bench_function(BenchmarkId::from_parameter(&name), |b| {
        b.iter(|| {
            run += 1;
            let out = dir.path().join(format!("project-{run}"));
            let imported = patchbay_compose::import_file(&file, &[], &out).expect("imports");
            black_box(patchbay_compose::write_import(&out, &imported).expect("writes"))
        });
    });
    group.finish();
}

/// The benchmark group, in a private module: `criterion_group!` declares a
/// `pub fn` that the workspace's `missing_docs` lint would otherwise flag.
mod groups {
    use super::decompose;
    criterion::criterion_group!(benches, decompose);
}

criterion_main!(groups::benches);
