//! `patchbay export --spin --wadm`: the manifests written beside the
//! artifact, what the verb prints about what they cannot express, and the
//! refusal (with nothing written) of a Spin manifest for a project without
//! an HTTP export. The manifests' contents are validated in
//! `crates/patchbay-deploy/tests/manifests.rs`.

use patchbay_test_programs as programs;
use std::path::Path;
use std::process::{Command, Output};

fn patchbay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .output()
        .expect("run patchbay")
}

fn sample(name: &str) -> String {
    Path::new(programs::SAMPLES_DIR)
        .join(name)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn export_spin_and_wadm_writes_both_manifests_beside_the_artifact() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().display().to_string();
    let out = patchbay(&[
        "export",
        &sample("http-hello"),
        "-o",
        &out_dir,
        "--spin",
        "--wadm",
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}\n{stdout}");
    let spin = std::fs::read_to_string(dir.path().join("spin.toml")).expect("spin.toml");
    let wadm = std::fs::read_to_string(dir.path().join("wadm.yaml")).expect("wadm.yaml");
    assert!(dir.path().join("http-hello.wasm").is_file());
    assert!(spin.contains("spin_manifest_version = 2"), "{spin}");
    assert!(spin.contains("source = \"http-hello.wasm\""), "{spin}");
    assert!(spin.contains("route = \"/...\""), "{spin}");
    assert!(wadm.contains("apiVersion: core.oam.dev/v1beta1"), "{wadm}");
    assert!(wadm.contains("kind: Application"), "{wadm}");
    assert!(
        stdout.contains("spin.toml: expresses every grant"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wadm.yaml: expresses every grant"),
        "{stdout}"
    );
    assert!(
        stderr.contains("spin.toml") && stderr.contains("wadm.yaml"),
        "{stderr}"
    );
}

#[test]
fn export_wadm_prints_each_grant_it_cannot_express() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().display().to_string();
    let out = patchbay(&["export", &sample("sandbox-demo"), "-o", &out_dir, "--wadm"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}\n{stdout}");
    assert!(
        stdout.contains("wadm.yaml: cannot express 3 things"),
        "{stdout}"
    );
    for line in [
        "  node granted: env GREETING: ",
        "  node granted: dirs data -> /data: ",
        "  node granted: allow 127.0.0.1:8080: ",
    ] {
        assert!(stdout.contains(line), "`{line}` missing from:\n{stdout}");
    }
    let wadm = std::fs::read_to_string(dir.path().join("wadm.yaml")).unwrap();
    assert!(
        wadm.contains("#   - node granted: env GREETING: "),
        "{wadm}"
    );
    assert!(!dir.path().join("spin.toml").exists());
}

#[test]
fn export_spin_without_an_http_export_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = patchbay(&[
        "export",
        &sample("sandbox-demo"),
        "-o",
        &out_dir.display().to_string(),
        "--spin",
    ]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "succeeded: {}", text(&out.stdout));
    assert!(
        stderr.contains("cannot write a Spin manifest for project `sandbox-demo`")
            && stderr.contains("wasi:http/incoming-handler"),
        "{stderr}"
    );
    assert!(
        !out_dir.exists(),
        "something was written to {}",
        out_dir.display()
    );
}
