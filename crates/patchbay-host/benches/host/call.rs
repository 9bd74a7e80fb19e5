//! (e) What one `patchbay call` does, in-process.

use super::*;

/// The steps of one `patchbay call` of kv-service, each in a fresh host
/// with a disk cache that already holds the composition (as on a second
/// CLI run).
pub(crate) fn call_steps(out: &mut Out, sizes: &Sizes) {
    let cache = tempfile::tempdir().expect("temp dir");
    let options = HostOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..HostOptions::default()
    };
    // Fill the disk cache.
    {
        let host = Host::new(options.clone()).expect("host starts");
        let _ = host
            .prepare_composed(&open(&sample_dir("kv-service")))
            .expect("prepare");
    }
    let reps = sizes.reps.max(3) * 2;
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for _ in 0..reps {
        let started = Instant::now();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        steps[0].push(started.elapsed());
        let started = Instant::now();
        let host = Host::new(options.clone()).expect("host starts");
        steps[1].push(started.elapsed());
        let started = Instant::now();
        let ws = open(&sample_dir("kv-service"));
        steps[2].push(started.elapsed());
        let started = Instant::now();
        let prepared = host.prepare(&ws).expect("prepare");
        steps[3].push(started.elapsed());
        let started = Instant::now();
        let report = rt.block_on(host.run(&prepared, GET_A, &Limits::default()));
        steps[4].push(started.elapsed());
        assert!(report.result.is_ok(), "{:?}", report.result);
    }
    out.line("### (e, in-process) The steps of one `patchbay call`");
    out.line("");
    out.line(format!(
        "kv-service, `handle-request(\"get a\")`, a fresh host each time with the composition \
         already in the disk cache (as on every CLI run after the first). Median of {reps}."
    ));
    out.line("");
    out.line("| step | median ms |");
    out.line("|---|---:|");
    let labels = [
        "tokio multi-thread runtime",
        "`Host::new` (engine, pooling allocator, epoch thread)",
        "load project + open workspace (reads and checks components)",
        "`prepare` (compose, disk cache load, link)",
        "`run` (new Store, instantiate, call)",
    ];
    let mut total = 0.0;
    for (label, xs) in labels.iter().zip(steps) {
        let ms = millis(median(xs));
        total += ms;
        out.line(format!("| {label} | {ms:.2} |"));
    }
    out.line(format!("| **sum** | **{total:.2}** |"));
    let small = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let host = Host::new(HostOptions {
                    max_instances: 16,
                    ..options.clone()
                })
                .expect("host starts");
                let took = started.elapsed();
                drop(host);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Host::new` with max_instances 16 | {:.3} |",
        millis(small)
    ));
    let sized = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let engine = wide_engine(16).expect("engine");
                let took = started.elapsed();
                drop(engine);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Engine::new`, host's config, every pool (fiber stacks too) sized for 16 | {:.3} |",
        millis(sized)
    ));
    let plain = median(
        (0..reps)
            .map(|_| {
                let started = Instant::now();
                let engine = Engine::default();
                let took = started.elapsed();
                drop(engine);
                took
            })
            .collect(),
    );
    out.line(format!(
        "| for comparison: `Engine::default()` (on-demand allocator) | {:.3} |",
        millis(plain)
    ));
    out.line("");
}
