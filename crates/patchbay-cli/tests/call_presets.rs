//! `patchbay call PROJECT --preset NAME`: the arguments saved in the
//! project's `[presets]` (by the run panel) make the call; an unknown or
//! ambiguous name says what there is.

use patchbay_test_programs as programs;
use std::path::Path;
use std::process::{Command, Output};

fn patchbay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .output()
        .expect("run patchbay")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// kv-service in `dir`, its components where the repository builds them,
/// with `presets` (TOML) appended.
fn kv_service_with(dir: &Path, presets: &str) -> String {
    let sample = Path::new(programs::REPO_DIR).join("samples/kv-service/patchbay.toml");
    let wasm = Path::new(programs::REPO_DIR).join("samples/wasm/");
    let toml = std::fs::read_to_string(sample)
        .unwrap()
        .replace("../wasm/", wasm.to_str().unwrap());
    std::fs::write(dir.join("patchbay.toml"), format!("{toml}\n{presets}")).unwrap();
    dir.to_str().unwrap().to_string()
}

#[test]
fn presets_make_calls_in_order_before_the_calls_given() {
    let tmp = tempfile::tempdir().unwrap();
    let project = kv_service_with(
        tmp.path(),
        r#"[presets."handle-request"]
"set, quoted" = "\"set a it's\""
"get a" = '"get a"'
"#,
    );
    let out = patchbay(&[
        "call",
        &project,
        "--preset",
        "set, quoted",
        "--preset",
        "get a",
        r#"handle-request("get b")"#,
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [r#""ok""#, r#""it\'s""#, r#""not found: b""#],
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"--- call 1: handle-request("set a it's")"#),
        "{stderr}"
    );
}

#[test]
fn an_unknown_or_ambiguous_preset_says_what_there_is() {
    let tmp = tempfile::tempdir().unwrap();
    let project = kv_service_with(
        tmp.path(),
        "[presets.\"handle-request\"]\nping = '\"get a\"'\n[presets.\"other\"]\nping = ''\nsolo = ''\n",
    );
    let out = patchbay(&["call", &project, "--preset", "nope"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the project has no preset `nope`; its presets: `ping` (handle-request), `ping` (other), `solo` (other)"),
        "{stderr}"
    );
    let out = patchbay(&["call", &project, "--preset", "ping"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("preset `ping` is saved for 2 functions (handle-request, other); write the call instead, such as `handle-request(\"get a\")`"),
        "{stderr}"
    );
    // Without a call or a preset there is nothing to do.
    let out = patchbay(&["call", &project]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("<CALL>"),
        "{}",
        text(&out.stderr)
    );
}
