//! (b) Calls across a composed wire, composed and traced.

use super::*;

/// Median wall time of `host.run(prepared, hammer(n))`, checked.
pub(crate) fn time_hammer(
    rt: &tokio::runtime::Runtime,
    host: &Host,
    prepared: &Runnable,
    n: u32,
    reps: usize,
) -> Duration {
    let call = format!("hammer({n})");
    let limits = Limits {
        timeout: Duration::from_secs(120),
        ..Limits::default()
    };
    let times = (0..reps)
        .map(|_| {
            let started = Instant::now();
            let report = rt.block_on(host.run(prepared, &call, &limits));
            let took = started.elapsed();
            assert_eq!(
                report.result.as_deref().ok(),
                Some(n.to_string().as_str()),
                "{call}: {:?}",
                report.result
            );
            took
        })
        .collect();
    median(times)
}

/// (b): time per call across a wire, composed and traced. Returns the
/// composed slope in microseconds per call.
pub(crate) fn wire_calls(out: &mut Out, sizes: &Sizes) -> f64 {
    let host = new_host(HostOptions::default());
    let rt = runtime();
    let ws = open(&sample_dir("kv-bench"));
    let composed = host.prepare(&ws).expect("prepare kv-bench");
    assert!(!composed.is_traced());
    let traced = host.prepare_traced(&ws).expect("prepare kv-bench traced");
    assert!(traced.is_traced(), "{:?}", traced.fallback_reason());

    out.line("### (b) One call across a wire, measured inside the guest (`kv-bench`)");
    out.line("");
    out.line(format!(
        "`hammer(n)` makes 2n calls (n `set`, n `get`) to `kv-memory` across the wire. \
         Median of {} runs each, whole `Host::run` (instantiation included).",
        sizes.reps
    ));
    out.line("");
    out.line("| mode | n | wire calls | run ms | µs per call (run / 2n) |");
    out.line("|---|---:|---:|---:|---:|");
    let mut slopes = Vec::new();
    for (mode, prepared, ns) in [
        ("composed", &composed, &sizes.composed),
        ("traced", &traced, &sizes.traced),
    ] {
        let times: Vec<(u32, Duration)> = ns
            .iter()
            .map(|&n| (n, time_hammer(&rt, &host, prepared, n, sizes.reps)))
            .collect();
        for (n, t) in &times {
            out.line(format!(
                "| {mode} | {n} | {} | {:.2} | {:.4} |",
                2 * n,
                millis(*t),
                micros(*t) / (2.0 * f64::from(*n))
            ));
        }
        let (n0, t0) = times[0];
        let (n1, t1) = times[times.len() - 1];
        let slope = (micros(t1) - micros(t0)) / (2.0 * f64::from(n1 - n0));
        slopes.push((mode, n0, n1, slope));
    }
    out.line("");
    out.line("| mode | slope between n | ns per wire call |");
    out.line("|---|---|---:|");
    for (mode, n0, n1, slope) in &slopes {
        out.line(format!("| {mode} | {n0} → {n1} | {:.1} |", slope * 1e3));
    }
    out.line(format!(
        "\nTraced / composed per call: **{:.0}×**.\n",
        slopes[1].3 / slopes[0].3
    ));
    slopes[0].3
}
