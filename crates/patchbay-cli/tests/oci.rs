//! `patchbay export --oci` against a real registry (Debian's
//! `docker-registry`, started on 127.0.0.1 per test and stopped when the
//! test ends): the sealed sandbox-demo is pushed, pulled back, compared
//! digest for digest and byte for byte, and the pulled artifact is run in
//! the Wasmtime host. Bad credentials and an unreachable registry end with
//! an error naming the registry.

use patchbay_host::{FailureKind, Host, HostOptions, Limits, RunReport};
use patchbay_oci::local_registry::{block_on, unused_address, LocalRegistry};
use patchbay_oci::Options;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn sandbox_demo() -> String {
    Path::new(patchbay_test_programs::SAMPLES_DIR)
        .join("sandbox-demo")
        .display()
        .to_string()
}

/// Runs `patchbay` with `args`, `stdin` on its standard input and a
/// docker config folder that is empty unless `docker_config` says.
fn patchbay(args: &[&str], stdin: &str, docker_config: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .env("DOCKER_CONFIG", docker_config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run patchbay");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("patchbay ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `call` on `component` as the one node of a project exporting the
/// sandbox-demo's three probes, with what is left granted.
fn run_artifact(component: &[u8], call: &str) -> RunReport {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("pulled.wasm"), component).expect("write");
    let mut toml = String::from(
        "version = 1\nname = \"pulled\"\n\n[components.pulled]\npath = \"pulled.wasm\"\n\n[nodes.pulled]\ncomponent = \"pulled\"\n",
    );
    for export in ["granted", "mocked", "denied"] {
        toml.push_str(&format!("\n[[exports]]\nfrom = \"pulled.{export}\"\n"));
    }
    toml.push_str("\n[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n");
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let ws = patchbay_compose::Workspace::open(
        patchbay_project::load(dir.path()).expect("project loads"),
    );
    let host = Host::new(HostOptions {
        cache_dir: None,
        max_wasm_stack: 256 * 1024,
        ..HostOptions::default()
    })
    .expect("host starts");
    let prepared = host
        .prepare_composed(&ws)
        .unwrap_or_else(|e| panic!("prepare the pulled artifact: {e}"));
    block_on(host.run_composed(&prepared, call, &Limits::default()))
}

#[test]
fn the_sealed_sandbox_demo_is_pushed_pulled_verified_and_runs() {
    let registry = LocalRegistry::start().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().expect("temp dir");
    let docker = tempfile::tempdir().expect("temp dir");
    let reference = registry.reference("patchbay/sandbox-demo:sealed");
    let output = patchbay(
        &[
            "export",
            &sandbox_demo(),
            "-o",
            &out.path().display().to_string(),
            "--oci",
            &reference,
        ],
        "",
        docker.path(),
    );
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(
        output.status.success(),
        "failed: {stderr}\n{stdout}\n{}",
        registry.log()
    );
    let prefix = format!("pushed {reference}@sha256:");
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}…` line in:\n{stdout}"));
    let printed_digest = line
        .trim_start_matches(&format!("pushed {reference}@"))
        .to_string();
    assert_eq!(printed_digest.len(), "sha256:".len() + 64, "{line}");

    // Pulled back independently of the CLI: the same manifest, the same
    // bytes as the export wrote.
    let written = std::fs::read(out.path().join("sandbox-demo.wasm")).expect("the export");
    let pulled = block_on(patchbay_oci::pull(&reference, &Options::default()))
        .unwrap_or_else(|e| panic!("pull: {e}"));
    assert_eq!(pulled.manifest_digest, printed_digest);
    assert_eq!(pulled.layer_digest, patchbay_oci::sha256_digest(&written));
    assert!(
        pulled.bytes == written,
        "the pulled artifact differs from the export"
    );
    // The config names the artifact's world: its three probes, and among
    // its imports the environment the `granted` node still reaches.
    let world = pulled.config.component.as_ref().expect("component world");
    assert_eq!(world.exports, ["granted", "mocked", "denied"]);
    assert!(
        world
            .imports
            .iter()
            .any(|i| i == "wasi:cli/environment@0.2.12"),
        "{world:?}"
    );

    // The pulled artifact runs: the mock answers its values, the denial
    // traps naming itself.
    let report = run_artifact(&pulled.bytes, r#"mocked#read-env("GREETING")"#);
    let value = report.result.unwrap_or_else(|e| panic!("mocked: {e:?}"));
    assert!(value.contains("hello from a mock"), "{value}");
    let report = run_artifact(&pulled.bytes, r#"denied#read-env("GREETING")"#);
    let failure = report.result.expect_err("the denial traps");
    assert_eq!(failure.kind, FailureKind::Denied, "{}", failure.message);
    assert!(
        failure
            .message
            .starts_with("denied: node denied called wasi:cli/environment"),
        "{}",
        failure.message
    );
}

#[test]
fn credentials_come_from_flags_or_the_docker_config_and_bad_ones_are_named() {
    let registry =
        LocalRegistry::start_with_user("patchbay", "s3cret-pass").unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().expect("temp dir");
    let out = out.path().display().to_string();
    let empty = tempfile::tempdir().expect("temp dir");
    let reference = registry.reference("team/sandbox-demo:1");
    let export = |extra: &[&str], stdin: &str, docker: &Path| {
        let mut args = vec!["export", "--open"];
        let project = sandbox_demo();
        args.extend([
            project.as_str(),
            "-o",
            out.as_str(),
            "--oci",
            reference.as_str(),
        ]);
        args.extend(extra);
        patchbay(&args, stdin, docker)
    };

    // A wrong password on stdin.
    let output = export(
        &["--oci-username", "patchbay", "--oci-password-stdin"],
        "wrong-pass\n",
        empty.path(),
    );
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "a wrong password was accepted");
    assert!(
        stderr.contains(&format!(
            "registry {} refused access to team/sandbox-demo",
            registry.address()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-pass"), "{stderr}");
    // The export itself was written before the push was tried.
    assert!(Path::new(&out).join("sandbox-demo.wasm").is_file());

    // The right password on stdin.
    let output = export(
        &["--oci-username", "patchbay", "--oci-password-stdin"],
        "s3cret-pass\n",
        empty.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains(&format!("pushed {reference}@sha256:")));

    // The docker config, as `docker login` writes it ("patchbay:s3cret-pass").
    let docker = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        docker.path().join("config.json"),
        format!(
            r#"{{"auths":{{"{}":{{"auth":"cGF0Y2hiYXk6czNjcmV0LXBhc3M="}}}}}}"#,
            registry.address()
        ),
    )
    .expect("write docker config");
    let output = export(&[], "", docker.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!("pushed {reference}@sha256:")),
        "{stdout}"
    );
    assert!(!stdout.contains("s3cret-pass") && !text(&output.stderr).contains("s3cret-pass"));

    // No credentials at all.
    let output = export(&[], "", empty.path());
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("refused access"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn an_unreachable_registry_is_named() {
    let address = unused_address();
    let out = tempfile::tempdir().expect("temp dir");
    let docker = tempfile::tempdir().expect("temp dir");
    let reference = format!("{address}/nowhere/app:1");
    let output = patchbay(
        &[
            "export",
            &sandbox_demo(),
            "-o",
            &out.path().display().to_string(),
            "--oci",
            &reference,
            "--wadm",
        ],
        "",
        docker.path(),
    );
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!("error: registry {address} is unreachable")),
        "{stderr}"
    );
    // The artifact was written, but no manifest names an image the push
    // did not store.
    assert!(out.path().join("sandbox-demo.wasm").is_file(), "{stderr}");
    assert!(!out.path().join("wadm.yaml").exists(), "{stderr}");
}

#[test]
fn a_bad_reference_is_refused_naming_it() {
    let out = tempfile::tempdir().expect("temp dir");
    let docker = tempfile::tempdir().expect("temp dir");
    let output = patchbay(
        &[
            "export",
            &sandbox_demo(),
            "-o",
            &out.path().display().to_string(),
            "--oci",
            "Bad Ref",
        ],
        "",
        docker.path(),
    );
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("`Bad Ref` is not an OCI reference"),
        "{stderr}"
    );
}
