//! (a) Criterion: new Store + instantiate.

use super::*;

pub(crate) fn instantiate_node(c: &mut Criterion) {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let mut group = c.benchmark_group("instantiate_node");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for (name, path) in patchbay_test_programs::ALL {
        let component = Component::from_file(host.engine(), path).expect(name);
        let pre = bench_pre(host.engine(), &component);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        let mut store = bench_store(host.engine());
                        let instance = pre.instantiate_async(&mut store).await.expect(name);
                        black_box(instance);
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();
}

pub(crate) fn instantiate_composed(c: &mut Criterion) {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let mut group = c.benchmark_group("instantiate_composed");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for name in COMPOSED {
        let ws = open(&sample_dir(name));
        // sandbox-demo binds one import differently per node, which only a
        // traced run honours: compile its plain composition instead.
        let component = match host.prepare_composed(&ws) {
            Ok(prepared) => prepared.component().clone(),
            Err(_) => {
                let composed = ws.compose().unwrap_or_else(|_| panic!("{name} composes"));
                Component::new(host.engine(), &composed.bytes).expect("compile")
            }
        };
        let pre = bench_pre(host.engine(), &component);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iters {
                        let mut store = bench_store(host.engine());
                        let instance = pre.instantiate_async(&mut store).await.expect(name);
                        black_box(instance);
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("call_composed");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    let prepared = prepare(&host, "kv-service");
    let limits = Limits::default();
    group.bench_function("kv-service", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    let report = host.run_composed(&prepared, GET_A, &limits).await;
                    assert!(report.result.is_ok(), "{:?}", report.result);
                    black_box(report);
                }
                started.elapsed()
            })
        });
    });
    group.finish();
}
