//! The `config` fake of the standard `wasi:config/store`, sealed: the
//! artifact answers the fake's values itself and no longer imports the
//! config store, and every call answers what Patchbay answered.
//!
//! The component is the `std-interfaces` sample (wasmCloud's SDK,
//! unmodified). Its key-value store is denied and its logging left open,
//! so the test is about config alone.

use patchbay_compose::{StubKind, Workspace};
use patchbay_host::{Host, HostOptions, Limits};
use std::path::Path;

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn open(dir: &Path, text: &str) -> Workspace {
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

#[test]
fn the_sealed_standard_config_fake_answers_its_values_and_imports_no_config() {
    let wasm = Path::new(patchbay_test_programs::SAMPLES_DIR).join("wasm/std-interfaces.wasm");
    let dir = tempfile::tempdir().expect("temp dir");
    // A value with quotes, a backslash and a line break, as WAVE must
    // escape them, and an empty one.
    let project = format!(
        r#"version = 1
name = "config-sealed"

[components.app]
path = {path:?}

[nodes.app]
component = "app"

[[exports]]
from = "app.setting"

[[exports]]
from = "app.greet"

[bindings."*.wasi:config/*"]
mode = "mock"
fake = "config"
values = {{ greeting = "hi from the fake", quoted = "say \"x\" \\ then\nnext", empty = "" }}

[bindings."*.wasi:keyvalue/*"]
mode = "deny"

[bindings."*.wasi:logging/*"]
mode = "leave"

[bindings."*.wasi:*"]
mode = "grant"
"#,
        path = wasm.display().to_string()
    );
    let ws = open(dir.path(), &project);
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let config: Vec<_> = sealed
        .stubs
        .iter()
        .filter(|s| s.import.starts_with("wasi:config/"))
        .map(|s| s.kind)
        .collect();
    assert_eq!(
        config,
        [StubKind::Fake],
        "one fake stub serves the config store"
    );
    let imports = &sealed.composed.imports;
    assert!(
        imports.iter().all(|i| !i.starts_with("wasi:config/")),
        "the artifact still imports the config store: {imports:?}"
    );
    assert!(
        imports.iter().all(|i| !i.starts_with("wasi:keyvalue/")),
        "the denied key-value store is sealed too: {imports:?}"
    );

    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let in_app = host
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare the project: {e}"));
    let art_dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(art_dir.path().join("sealed.wasm"), &sealed.composed.bytes)
        .expect("write artifact");
    // The runner grants the artifact's remaining imports; it has no config
    // store to offer, and needs none.
    let artifact = open(
        art_dir.path(),
        r#"version = 1
name = "sealed"

[components.sealed]
path = "sealed.wasm"

[nodes.sealed]
component = "sealed"

[[exports]]
from = "sealed.setting"

[[exports]]
from = "sealed.greet"

[bindings."*.wasi:logging/*"]
mode = "grant"

[bindings."*.wasi:*"]
mode = "grant"
"#,
    );
    let prepared = host
        .prepare_composed(&artifact)
        .unwrap_or_else(|e| panic!("prepare the sealed artifact: {e}"));
    let cases = [
        (
            r#"setting("greeting")"#,
            Some(r#"ok(some("hi from the fake"))"#),
        ),
        (
            r#"setting("quoted")"#,
            Some(r#"ok(some("say \"x\" \\ then\nnext"))"#),
        ),
        (r#"setting("empty")"#, Some(r#"ok(some(""))"#)),
        (r#"setting("missing")"#, Some("ok(none)")),
        (r#"greet("ada")"#, None),
    ];
    for (call, expected) in cases {
        let outside = block_on(host.run_composed(&prepared, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in the sealed artifact: {e:?}"));
        let inside = block_on(host.run(&in_app, call, &Limits::default()))
            .result
            .unwrap_or_else(|e| panic!("{call} in Patchbay: {e:?}"));
        assert_eq!(outside, inside, "{call}: the artifact and Patchbay differ");
        if let Some(expected) = expected {
            assert_eq!(outside, expected, "{call}");
        }
    }
}
