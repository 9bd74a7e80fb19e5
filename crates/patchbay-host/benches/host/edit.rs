//! (d) Edit to live.

use super::*;

/// `bytes` with a custom section appended: a different file (and so a
/// different composition) that behaves the same.
pub(crate) fn with_custom_section(bytes: &[u8], tag: &str) -> Vec<u8> {
    fn leb(mut v: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let name = b"patchbay-bench";
    let mut payload = Vec::new();
    leb(name.len(), &mut payload);
    payload.extend_from_slice(name);
    payload.extend_from_slice(tag.as_bytes());
    let mut out = bytes.to_vec();
    out.push(0);
    leb(payload.len(), &mut out);
    out.extend_from_slice(&payload);
    out
}

/// A copy of the kv-service project with its components in `dir`.
pub(crate) fn live_project(dir: &Path) {
    std::fs::copy(
        patchbay_test_programs::KV_MEMORY,
        dir.join("kv-memory.wasm"),
    )
    .expect("copy kv-memory");
    std::fs::copy(
        patchbay_test_programs::KV_SERVICE,
        dir.join("kv-service.wasm"),
    )
    .expect("copy kv-service");
    let text = r#"version = 1
name = "kv-live"

[components.kv-memory]
path = "kv-memory.wasm"

[components.kv-service]
path = "kv-service.wasm"

[nodes.memory]
component = "kv-memory"

[nodes.service]
component = "kv-service"

[[wires]]
from = "memory.patchbay:kv/store"
to = "service.patchbay:kv/store"

[[exports]]
from = "service.handle-request"

[bindings."*.wasi:*"]
mode = "grant"
"#;
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
}

/// The contents written by edit `i`: even edits write fresh bytes, odd
/// edits restore the original file (a composition compiled before).
pub(crate) fn edit_bytes(original: &[u8], round: usize, i: usize) -> (bool, Vec<u8>) {
    if i.is_multiple_of(2) {
        (true, with_custom_section(original, &format!("{round}-{i}")))
    } else {
        (false, original.to_vec())
    }
}

pub(crate) struct EditTimes {
    pub(crate) fresh: Vec<Duration>,
    pub(crate) seen: Vec<Duration>,
    pub(crate) hits: Vec<CacheHit>,
}

pub(crate) fn watcher_edits(
    rt: &tokio::runtime::Runtime,
    edits: usize,
    round: usize,
    options: WatchOptions,
) -> EditTimes {
    let dir = tempfile::tempdir().expect("temp dir");
    live_project(dir.path());
    let file = dir.path().join("kv-service.wasm");
    let original = std::fs::read(&file).expect("read kv-service");
    let host = Arc::new(new_host(HostOptions::default()));
    let mut watcher =
        ProjectWatcher::start_with(host.clone(), dir.path(), options).expect("watch starts");
    let first = rt
        .block_on(watcher.next_reload())
        .expect("first load arrives");
    assert!(first.is_ok(), "{}", first.message());
    let limits = Limits::default();
    let mut times = EditTimes {
        fresh: Vec::new(),
        seen: Vec::new(),
        hits: Vec::new(),
    };
    for i in 0..edits * 2 {
        let (fresh, bytes) = edit_bytes(&original, round, i);
        // Let mtimes move on and the previous events settle.
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        std::fs::write(&file, &bytes).expect("write component");
        let outcome = rt
            .block_on(async {
                tokio::time::timeout(Duration::from_secs(30), watcher.next_reload()).await
            })
            .expect("reload within 30 s")
            .expect("watcher alive");
        let prepared = outcome
            .prepared()
            .unwrap_or_else(|| panic!("reload failed: {}", outcome.message()))
            .clone();
        let report = rt.block_on(host.run_composed(&prepared, GET_A, &limits));
        let took = started.elapsed();
        assert_eq!(report.result.as_deref().ok(), Some("\"not found: a\""));
        times.hits.push(prepared.cache_hit());
        if fresh {
            times.fresh.push(took);
        } else {
            times.seen.push(took);
        }
    }
    times
}

/// Times of the reload pipeline, step by step, without the watcher.
pub(crate) struct Steps {
    pub(crate) load_open: Duration,
    pub(crate) prepare: Duration,
    pub(crate) call: Duration,
    /// Where the composed code came from (`None` for traced runs).
    pub(crate) hit: Option<CacheHit>,
}

pub(crate) fn pipeline_edit(
    rt: &tokio::runtime::Runtime,
    host: &Host,
    dir: &Path,
    bytes: &[u8],
    traced: bool,
) -> Steps {
    std::fs::write(dir.join("kv-service.wasm"), bytes).expect("write component");
    let limits = Limits::default();
    let started = Instant::now();
    let ws = open(dir);
    let load_open = started.elapsed();
    let started = Instant::now();
    let (report, prepare, call, hit) = if traced {
        let runnable = host.prepare_traced(&ws).expect("prepare traced");
        let prepare = started.elapsed();
        let started = Instant::now();
        let report = rt.block_on(host.run(&runnable, GET_A, &limits));
        (report, prepare, started.elapsed(), None)
    } else {
        let prepared = host.prepare_composed(&ws).expect("prepare");
        let prepare = started.elapsed();
        let started = Instant::now();
        let report = rt.block_on(host.run_composed(&prepared, GET_A, &limits));
        (
            report,
            prepare,
            started.elapsed(),
            Some(prepared.cache_hit()),
        )
    };
    assert_eq!(report.result.as_deref().ok(), Some("\"not found: a\""));
    Steps {
        load_open,
        prepare,
        call,
        hit,
    }
}

pub(crate) fn edit_to_live(out: &mut Out, sizes: &Sizes) {
    let rt = runtime();
    out.line("### (d) Edit to live (kv-service project, `kv-service.wasm` rewritten)");
    out.line("");
    out.line(
        "\"new bytes\": the file gets a fresh custom section, so the composition is new and is \
         compiled; \"seen bytes\": the original file is restored, a composition compiled earlier \
         in this process (memory cache hit). Time from the write to the answer of \
         `handle-request(\"get a\")` on the reloaded project.",
    );
    out.line("");
    out.line("| path | content | median ms | min ms | edits |");
    out.line("|---|---|---:|---:|---:|");
    let mut round = 0;
    for (label, debounce) in [
        (
            "ProjectWatcher, default 200 ms debounce",
            Duration::from_millis(200),
        ),
        ("ProjectWatcher, 10 ms debounce", Duration::from_millis(10)),
    ] {
        round += 1;
        let options = WatchOptions {
            debounce,
            ..WatchOptions::default()
        };
        let t = watcher_edits(&rt, sizes.edits, round, options);
        assert!(
            t.hits
                .iter()
                .enumerate()
                .all(|(i, h)| (*h == CacheHit::Compiled) == i.is_multiple_of(2)),
            "unexpected cache hits {:?}",
            t.hits
        );
        for (content, xs) in [("new bytes", t.fresh), ("seen bytes", t.seen)] {
            let min = xs.iter().min().copied().unwrap_or_default();
            out.line(format!(
                "| {label} | {content} | {:.1} | {:.1} | {} |",
                millis(median(xs.clone())),
                millis(min),
                xs.len()
            ));
        }
    }
    out.line("");

    // The same pipeline step by step, composed and traced.
    out.line("Step by step, without the watcher (medians):");
    out.line("");
    out.line("| mode | content | load + open ms | prepare ms | first call ms | code from |");
    out.line("|---|---|---:|---:|---:|---|");
    for traced in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        live_project(dir.path());
        let original = std::fs::read(dir.path().join("kv-service.wasm")).expect("read");
        let host = new_host(HostOptions::default());
        // Warm the cache with the original project.
        pipeline_edit(&rt, &host, dir.path(), &original, traced);
        round += 1;
        let mut fresh = Vec::new();
        let mut seen = Vec::new();
        for i in 0..sizes.edits * 2 {
            let (is_fresh, bytes) = edit_bytes(&original, round, i);
            let steps = pipeline_edit(&rt, &host, dir.path(), &bytes, traced);
            if is_fresh {
                fresh.push(steps);
            } else {
                seen.push(steps);
            }
        }
        let mode = if traced {
            "traced (per-node cache)"
        } else {
            "composed"
        };
        for (content, xs) in [("new bytes", fresh), ("seen bytes", seen)] {
            let m = |f: fn(&Steps) -> Duration| millis(median(xs.iter().map(f).collect()));
            let from = if traced {
                if content == "new bytes" {
                    "kv-service compiled, kv-memory cached"
                } else {
                    "both nodes cached"
                }
            } else {
                match xs[0].hit {
                    Some(CacheHit::Compiled) => "whole composition compiled",
                    Some(CacheHit::Memory) => "composition cached (memory)",
                    Some(CacheHit::Disk) => "composition cached (disk)",
                    None => "?",
                }
            };
            out.line(format!(
                "| {mode} | {content} | {:.2} | {:.1} | {:.2} | {from} |",
                m(|s| s.load_open),
                m(|s| s.prepare),
                m(|s| s.call),
            ));
        }
    }
    out.line("");
}
