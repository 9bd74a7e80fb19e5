//! A fixed monotonic clock sealed into the artifact: the guest's fixed
//! clock stands between the node and the host's clock. It answers the
//! stopped instant itself and waits through the host's
//! `subscribe-duration`, so the artifact still imports the clock (to wait)
//! but never reads the host's time.
//!
//! No sample waits on the monotonic clock, so the node is a component made
//! here from WIT and a core module that imports the clock, and the stub it gets is run
//! on its own, as a project's one component, by Patchbay's host.

use patchbay_compose::{StubKind, Workspace};
use patchbay_host::{Host, HostOptions, Limits};
use std::path::Path;
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::Resolve;

const WIT: &str = r#"
package test:sleeper;

world sleeper {
  import wasi:clocks/monotonic-clock@0.2.6;
  export run: func();
}

package wasi:io@0.2.6 {
  interface poll {
    resource pollable {
      block: func();
    }
  }
}

package wasi:clocks@0.2.6 {
  interface monotonic-clock {
    use wasi:io/poll@0.2.6.{pollable};
    type instant = u64;
    type duration = u64;
    now: func() -> instant;
    resolution: func() -> duration;
    subscribe-instant: func(when: instant) -> pollable;
    subscribe-duration: func(when: duration) -> pollable;
  }
}
"#;

const CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.6";

/// A component whose world is [`WIT`]'s `sleeper`.
fn sleeper() -> Vec<u8> {
    let mut resolve = Resolve::default();
    let package = resolve
        .push_str("sleeper.wit", WIT)
        .expect("the WIT parses");
    let world = resolve
        .select_world(&[package], Some("sleeper"))
        .expect("the world");
    // The core module imports every clock function (the encoder keeps only
    // what the module imports) and exports `run`.
    let mut module = wat::parse_str(
        r#"(module
          (import "wasi:clocks/monotonic-clock@0.2.6" "now" (func (result i64)))
          (import "wasi:clocks/monotonic-clock@0.2.6" "resolution" (func (result i64)))
          (import "wasi:clocks/monotonic-clock@0.2.6" "subscribe-instant" (func (param i64) (result i32)))
          (import "wasi:clocks/monotonic-clock@0.2.6" "subscribe-duration" (func (param i64) (result i32)))
          (func (export "run") unreachable))"#,
    )
    .expect("the module parses");
    wit_component::embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8)
        .expect("embed");
    ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .and_then(|e| e.encode())
        .expect("the sleeper encodes")
}

fn write_project(dir: &Path, component: &[u8], toml: &str) -> Workspace {
    std::fs::write(dir.join("component.wasm"), component).expect("write component");
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    Workspace::open(patchbay_project::load(dir).expect("project loads"))
}

#[test]
fn a_fixed_monotonic_clock_is_sealed_as_the_guest_clock_and_reads_the_stopped_instant() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = write_project(
        dir.path(),
        &sleeper(),
        &format!(
            r#"version = 1
name = "sleeper"

[components.sleeper]
path = "component.wasm"

[nodes.sleeper]
component = "sleeper"

[[exports]]
from = "sleeper.run"

[bindings."sleeper.{CLOCK}"]
mode = "grant"
clock = {{ fixed-unix-ms = 5000 }}

[bindings."sleeper.wasi:io/poll@0.2.6"]
mode = "grant"
"#
        ),
    );
    let sealed = ws
        .compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"));
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let stub = sealed
        .stubs
        .iter()
        .find(|s| s.import == CLOCK)
        .expect("the clock's stub");
    assert_eq!(stub.kind, StubKind::Scope);
    assert!(
        stub.reads_host,
        "the fixed clock waits through the host's clock"
    );
    // The artifact imports the clock (for the waits) and the pollable type.
    let mut imports = sealed.composed.imports.clone();
    imports.sort();
    assert_eq!(
        imports,
        ["wasi:clocks/monotonic-clock@0.2.6", "wasi:io/poll@0.2.6"]
    );

    // The stub alone, run by Patchbay with the host's real clock granted:
    // it still reads the stopped instant, and its waits are real pollables.
    let stub_dir = tempfile::tempdir().expect("temp dir");
    let alone = write_project(
        stub_dir.path(),
        &stub.bytes,
        &format!(
            r#"version = 1
name = "clock-stub"

[components.stub]
path = "component.wasm"

[nodes.stub]
component = "stub"

[[exports]]
from = "stub.{CLOCK}"
as = "clock"

[bindings."*.wasi:*"]
mode = "grant"
"#
        ),
    );
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let prepared = host
        .prepare_composed(&alone)
        .unwrap_or_else(|e| panic!("prepare the stub: {e}"));
    let run = |call: &str| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(host.run_composed(&prepared, call, &Limits::default()))
    };
    for (call, expected) in [("clock#now()", "0"), ("clock#resolution()", "1")] {
        let report = run(call);
        assert_eq!(
            report.result.as_deref().ok(),
            Some(expected),
            "{call}: {report:?}"
        );
    }
    for call in [
        "clock#subscribe-duration(1000000)",
        "clock#subscribe-instant(5)",
    ] {
        let report = run(call);
        assert!(report.result.is_ok(), "{call}: {report:?}");
    }
}
