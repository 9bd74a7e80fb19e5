//! Builds the fakes' guest module from `guest/` three times, for
//! wasm32-unknown-unknown: the fakes (`$OUT_DIR/fakes.wasm`) and, with its
//! `env` feature, the environment filter (`$OUT_DIR/env-filter.wasm`), with
//! its `clock` feature the fixed monotonic clock
//! (`$OUT_DIR/fixed-clock.wasm`), with `keyvalue-draft` and
//! `keyvalue-draft2` the standard key-value fake at each version
//! (`$OUT_DIR/keyvalue-draft.wasm`, `$OUT_DIR/keyvalue-draft2.wasm`);
//! and the `http` fake from `http-guest/` (`$OUT_DIR/http-fake.wasm`, a
//! core module carrying its WIT, which patchbay-compose encodes as a
//! component).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

include!("nested_cargo.rs");

/// How many lines of the build's output a failure message shows.
const TAIL_LINES: usize = 40;

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let guest = manifest_dir.join("guest");
    let http_guest = manifest_dir.join("http-guest");
    for watched in ["src", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", guest.join(watched).display());
    }
    for watched in ["src", "wit", "Cargo.toml", "Cargo.lock"] {
        println!(
            "cargo:rerun-if-changed={}",
            http_guest.join(watched).display()
        );
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    build(&guest, &out_dir, None, "fakes.wasm");
    build(&guest, &out_dir, Some("env"), "env-filter.wasm");
    build(&guest, &out_dir, Some("clock"), "fixed-clock.wasm");
    build(
        &guest,
        &out_dir,
        Some("keyvalue-draft"),
        "keyvalue-draft.wasm",
    );
    build(
        &guest,
        &out_dir,
        Some("keyvalue-draft2"),
        "keyvalue-draft2.wasm",
    );
    // The standard key-value fake's stub is encoded from the WIT the
    // host serves.
    let wit = manifest_dir.join("../patchbay-host/wit");
    for version in ["keyvalue", "keyvalue-draft2"] {
        println!("cargo:rerun-if-changed={}", wit.join(version).display());
    }
    build(&http_guest, &out_dir, None, "http-fake.wasm");
}

/// Builds the guest (with `feature`) into its own target folder under
/// `out_dir` and copies the module to `out_dir/name`; panics with the
/// build's output if it fails.
fn build(guest: &Path, out_dir: &Path, feature: Option<&str>, name: &str) {
    let package = guest
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("guest")
        .to_string();
    let target_dir = out_dir.join(format!("{package}-{}", feature.unwrap_or("fakes")));
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    scrub_cargo_env(&mut cmd);
    cmd.current_dir(guest)
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .arg("--target-dir")
        .arg(&target_dir);
    if let Some(feature) = feature {
        cmd.args(["--features", feature]);
    }
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo to build the fakes' guest: {e}"));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        panic!(
            "building the fakes' guest module ({}) failed ({}). It needs the \
             wasm32-unknown-unknown target: `rustup target add wasm32-unknown-unknown` \
             (scripts/setup.sh adds it).\n--- stderr (last {TAIL_LINES} lines) ---\n{}",
            guest.display(),
            output.status,
            lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
        );
    }
    let artifact = if package == "http-guest" {
        "patchbay_http_fake_guest.wasm"
    } else {
        "patchbay_fake_guest.wasm"
    };
    let built = target_dir
        .join("wasm32-unknown-unknown/release")
        .join(artifact);
    fs::copy(&built, out_dir.join(name))
        .unwrap_or_else(|e| panic!("cannot copy {}: {e}", built.display()));
}
