//! `patchbay new`: an empty project that `check` accepts with a note, and
//! the folders it refuses.

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

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

#[test]
fn new_writes_an_empty_project_that_check_accepts_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Fresh Start");
    let out = patchbay(&["new", arg(&dir)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let manifest = dir.join("patchbay.toml");
    assert!(
        text(&out.stdout).contains(&format!("created {}", manifest.display())),
        "{}",
        text(&out.stdout)
    );
    let written = std::fs::read_to_string(&manifest).unwrap();
    assert!(written.contains("version = 2"), "{written}");
    assert!(written.contains("name = \"fresh-start\""), "{written}");

    let out = patchbay(&["check", arg(&dir)]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}\n{stdout}");
    assert!(
        stderr.contains("note[nothing-to-compose]") && stderr.contains("nothing to compose yet"),
        "{stderr}"
    );
    assert!(stdout.contains("0 errors, 0 warnings, 1 note"), "{stdout}");

    let out = patchbay(&["check", arg(&dir), "--json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].as_array().expect("a problems list");
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["severity"], "note");
    assert_eq!(problems[0]["code"], "nothing-to-compose");
}

#[test]
fn new_takes_a_name_and_refuses_a_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = patchbay(&["new", arg(tmp.path()), "--name", "my-tools"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(tmp.path().join("patchbay.toml")).unwrap();
    assert!(written.contains("name = \"my-tools\""), "{written}");

    let other = tmp.path().join("other");
    let out = patchbay(&["new", arg(&other), "--name", "My Tools"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("`My Tools` cannot name a project"),
        "{}",
        text(&out.stderr)
    );
    assert!(!other.exists(), "nothing is written for a bad name");
}

#[test]
fn new_refuses_a_folder_that_holds_a_project_and_names_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = tmp.path().join("patchbay.toml");
    std::fs::write(&manifest, "version = 1\nname = \"kept\"\n").unwrap();
    let out = patchbay(&["new", arg(tmp.path())]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{} already exists", manifest.display())),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        "version = 1\nname = \"kept\"\n"
    );
}
