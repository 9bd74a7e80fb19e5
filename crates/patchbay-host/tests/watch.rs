//! Live reload against real file changes: swapping a component for an
//! incompatible one keeps the last good build live, restoring it reloads,
//! a failing build command is reported with its exit status, a project
//! file edit is picked up, and the desktop app's build mode builds and
//! reports changed components without composing.
//!
//! File notifications can be slow on a loaded machine, so every wait is
//! generous and nothing asserts on timing.

use patchbay_host::watch::{ProjectWatcher, ReloadError, ReloadOutcome};
use patchbay_host::{Host, HostOptions, Limits};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long a reload may take to show up.
const WAIT: Duration = Duration::from_secs(20);

const GET_A: &str = r#"handle-request("get a")"#;

fn host() -> Arc<Host> {
    Arc::new(
        Host::new(HostOptions {
            cache_dir: None,
            ..Default::default()
        })
        .expect("host starts"),
    )
}

/// The kv-service sample with copied components, and `memory_extra` added
/// to the `kv-memory` component's table.
fn project(dir: &Path, memory_extra: &str) {
    std::fs::copy(
        patchbay_test_programs::KV_MEMORY,
        dir.join("kv-memory.wasm"),
    )
    .unwrap();
    std::fs::copy(
        patchbay_test_programs::KV_SERVICE,
        dir.join("kv-service.wasm"),
    )
    .unwrap();
    let text = format!(
        r#"version = 1
name = "kv-live"

[components.kv-memory]
path = "kv-memory.wasm"
{memory_extra}

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
"#
    );
    std::fs::write(dir.join("patchbay.toml"), text).unwrap();
}

/// Replaces a file the way build tools do: a temporary file renamed over it.
fn replace(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("incoming");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

async fn next(watcher: &mut ProjectWatcher) -> ReloadOutcome {
    tokio::time::timeout(WAIT, watcher.next_reload())
        .await
        .expect("a reload within the wait")
        .expect("the watcher is running")
}

/// Waits for an outcome that satisfies `want`, skipping others (a slow
/// write can show up as an extra reload first).
async fn until(
    watcher: &mut ProjectWatcher,
    what: &str,
    want: impl Fn(&ReloadOutcome) -> bool,
) -> ReloadOutcome {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let outcome = tokio::time::timeout(left, watcher.next_reload())
            .await
            .unwrap_or_else(|_| panic!("no reload where {what} within {WAIT:?}"))
            .expect("the watcher is running");
        if want(&outcome) {
            return outcome;
        }
        eprintln!("skipping outcome: {}", outcome.message());
    }
}

async fn get_a(host: &Host, watcher: &ProjectWatcher) -> String {
    let prepared = watcher.current().expect("a live build");
    let report = host
        .run_composed(&prepared, GET_A, &Limits::default())
        .await;
    report.result.expect("the call returns")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incompatible_component_keeps_the_last_good_build() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "");
    let host = host();
    let mut events = host.subscribe();
    let mut watcher = ProjectWatcher::start(host.clone(), dir.path()).unwrap();

    let first = next(&mut watcher).await;
    assert!(first.is_initial());
    assert!(first.is_ok(), "{}", first.message());
    assert_eq!(get_a(&host, &watcher).await, r#""not found: a""#);

    // kv-cache also imports the store, which nothing feeds: a check error.
    let memory = dir.path().join("kv-memory.wasm");
    replace(
        &memory,
        &std::fs::read(patchbay_test_programs::KV_CACHE).unwrap(),
    );
    let failed = next(&mut watcher).await;
    assert!(!failed.is_ok(), "{failed:?}");
    assert!(failed.kept_last_good);
    assert!(
        matches!(failed.error(), Some(ReloadError::Check(problems)) if !problems.is_empty()),
        "{failed:?}"
    );
    assert_eq!(failed.changed_names(), vec!["kv-memory.wasm".to_string()]);
    let message = failed.message();
    assert!(message.contains("keeping the last good build"), "{message}");
    assert_eq!(get_a(&host, &watcher).await, r#""not found: a""#);

    // Back to the original, written in place this time.
    std::fs::write(
        &memory,
        std::fs::read(patchbay_test_programs::KV_MEMORY).unwrap(),
    )
    .unwrap();
    let restored = until(&mut watcher, "the project is good again", |o| o.is_ok()).await;
    assert!(restored
        .changed_names()
        .contains(&"kv-memory.wasm".to_string()));
    assert_eq!(get_a(&host, &watcher).await, r#""not found: a""#);

    // Both reloads were reported as events too.
    let mut reloads = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let patchbay_host::Event::Reloaded { ok, message, .. } = event {
            reloads.push((ok, message));
        }
    }
    assert!(reloads.len() >= 2, "{reloads:?}");
    assert!(!reloads[0].0 && reloads[0].1.contains("keeping the last good build"));
    assert!(reloads.last().unwrap().0, "{reloads:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build_commands_run_when_their_sources_change() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("lib.rs"), "// v1\n").unwrap();
    project(
        dir.path(),
        "build = \"echo compiling >&2; exit 3\"\nwatch = [\"src\"]",
    );
    let host = host();
    let mut watcher = ProjectWatcher::start(host.clone(), dir.path()).unwrap();
    let first = next(&mut watcher).await;
    assert!(first.is_ok(), "{}", first.message());
    assert!(first.builds.is_empty(), "the component file exists");

    // A failing build: its status and output are reported, the last good
    // build stays.
    std::fs::write(src.join("lib.rs"), "// v2\n").unwrap();
    let failed = next(&mut watcher).await;
    let Some(ReloadError::Build(run)) = failed.error() else {
        panic!("expected a build failure, got {failed:?}");
    };
    assert_eq!(run.component, "kv-memory");
    assert_eq!(run.status, Some(3));
    assert!(run.output.contains("compiling"), "{run:?}");
    assert!(failed.kept_last_good);
    let message = failed.message();
    assert!(message.contains("exited with status 3"), "{message}");
    assert!(message.contains("keeping the last good build"), "{message}");
    assert_eq!(failed.changed_names(), vec!["src/lib.rs".to_string()]);
    assert_eq!(get_a(&host, &watcher).await, r#""not found: a""#);

    // Editing the project file is a reload too; the new build command is
    // used from then on.
    project(dir.path(), "build = \"echo rebuilt\"\nwatch = [\"src\"]");
    let edited = until(&mut watcher, "the project file edit loads", |o| {
        o.is_ok() && o.changed_names().contains(&"patchbay.toml".to_string())
    })
    .await;
    assert!(edited.builds.is_empty(), "{edited:?}");

    // Build output and editor files are not source changes.
    std::fs::create_dir_all(src.join("target")).unwrap();
    std::fs::write(src.join("target").join("out.o"), "x").unwrap();
    std::fs::write(src.join(".lib.rs.swp"), "x").unwrap();
    std::fs::write(src.join("lib.rs"), "// v3\n").unwrap();
    let built = until(&mut watcher, "the build succeeds", |o| !o.builds.is_empty()).await;
    assert!(built.is_ok(), "{}", built.message());
    assert_eq!(built.builds.len(), 1);
    assert!(built.builds[0].success);
    assert!(built.builds[0].output.contains("rebuilt"));
    assert_eq!(built.changed_names(), vec!["src/lib.rs".to_string()]);
    assert_eq!(get_a(&host, &watcher).await, r#""not found: a""#);
}

/// The desktop app's mode: a source edit runs the build, whose output is
/// reported as a changed component with progress events, but nothing is
/// composed (the new component would not compose here); a failing build
/// keeps the last good one; a component file added by the front end is
/// watched; outcomes arrive on the callback.
#[test]
fn build_mode_builds_and_reports_changed_components_without_composing() {
    use patchbay_host::watch::{ChangedComponent, Reloaded, WatchMode, WatchOptions};
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("ok"), "").unwrap();
    // The build copies the next component into place, or fails when
    // `src/ok` is gone.
    project(
        dir.path(),
        "build = \"test -f src/ok || { echo broken source >&2; exit 2; }; cp src/next.wasm kv-memory.wasm; echo built\"\nwatch = [\"src\"]",
    );
    let host = host();
    let mut events = host.subscribe();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = ProjectWatcher::start_reporting(
        host.clone(),
        dir.path(),
        WatchOptions {
            debounce: Duration::from_millis(50),
            mode: WatchMode::Build,
            ..Default::default()
        },
        move |outcome| {
            let _ = tx.send(outcome);
        },
    )
    .unwrap();
    let next = |what: &str, want: &dyn Fn(&ReloadOutcome) -> bool| loop {
        let outcome = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no reload where {what} within {WAIT:?}"));
        if want(&outcome) {
            return outcome;
        }
        eprintln!("skipping outcome: {}", outcome.message());
    };
    let first = next("the first load", &|_| true);
    assert!(first.is_initial() && first.is_ok(), "{}", first.message());
    assert!(matches!(first.result, Ok(Reloaded::Built)));
    assert!(first.components.is_empty() && first.builds.is_empty());
    assert!(watcher.current().is_none(), "build mode prepares nothing");
    assert!(
        watcher.blocking_next_reload().is_none(),
        "outcomes go to the callback"
    );

    // kv-cache needs a store nothing feeds: it would not compose, and build
    // mode does not care.
    std::fs::copy(patchbay_test_programs::KV_CACHE, src.join("next.wasm")).unwrap();
    let built = next("the build ran", &|o| !o.builds.is_empty());
    assert!(built.is_ok(), "{}", built.message());
    assert!(built.builds[0].success && built.builds[0].output.contains("built"));
    assert_eq!(
        built.components,
        vec![ChangedComponent {
            id: "kv-memory".into(),
            file: dir.path().canonicalize().unwrap().join("kv-memory.wasm"),
        }]
    );
    assert!(
        built.message().contains("rebuilt kv-memory"),
        "{}",
        built.message()
    );

    // A broken intermediate state: the build fails, nothing is reported as
    // changed, and the last good build stays.
    std::fs::remove_file(src.join("ok")).unwrap();
    let failed = next("the build failed", &|o| !o.is_ok());
    let Some(ReloadError::Build(run)) = failed.error() else {
        panic!("expected a build failure, got {failed:?}");
    };
    assert_eq!(run.status, Some(2));
    assert!(failed.kept_last_good && failed.components.is_empty());
    assert!(failed.message().contains("keeping the last good build"));

    // A component file the front end watches beyond the project's.
    let extra = dir.path().join("extra.wasm");
    std::fs::copy(patchbay_test_programs::KV_MEMORY, &extra).unwrap();
    watcher.add_components(vec![("extra".into(), extra.clone())]);
    std::thread::sleep(Duration::from_millis(300));
    replace(
        &extra,
        &std::fs::read(patchbay_test_programs::KV_CACHE).unwrap(),
    );
    let added = next("the added file changed", &|o| {
        o.components.iter().any(|c| c.id == "extra")
    });
    assert!(added.is_ok(), "{}", added.message());

    // Progress was reported while the builds ran.
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        match event {
            patchbay_host::Event::BuildStarted { component, .. } => {
                seen.push(format!("started {component}"))
            }
            patchbay_host::Event::BuildFinished {
                component,
                success,
                output,
                ..
            } => seen.push(format!("finished {component} {success} {}", output.trim())),
            _ => {}
        }
    }
    assert_eq!(
        seen[..4],
        [
            "started kv-memory".to_string(),
            "finished kv-memory true built".to_string(),
            "started kv-memory".to_string(),
            "finished kv-memory false broken source".to_string(),
        ],
        "{seen:?}"
    );
}
