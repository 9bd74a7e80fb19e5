//! `patchbay call` on `std-interfaces` (built with wasmCloud's SDK): data
//! written through a granted `wasi:keyvalue` store is there for the next
//! `patchbay call`, a bucket outside the grant is refused with a scope line,
//! configuration comes from the grant's table and environment prefix, and
//! `wasi:logging` lines are printed with their levels.

use patchbay_test_programs as programs;
use std::path::Path;
use std::process::{Command, Output};

fn patchbay(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run patchbay")
}

#[track_caller]
fn success(out: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "failed: {stderr}\n{stdout}");
    (stdout, stderr)
}

/// The sample project copied into `dir`, its component by absolute path, so
/// its database file is written there.
fn copy_sample(dir: &Path) {
    let samples = Path::new(programs::SAMPLES_DIR);
    let text = std::fs::read_to_string(samples.join("std-interfaces/patchbay.toml"))
        .expect("sample project")
        .replace(
            "path = \"../wasm/std-interfaces.wasm\"",
            &format!(
                "path = {:?}",
                samples
                    .join("wasm/std-interfaces.wasm")
                    .display()
                    .to_string()
            ),
        )
        .lines()
        .filter(|l| !l.starts_with("build =") && !l.starts_with("watch ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("patchbay.toml"), text).expect("write project");
}

#[test]
fn call_keeps_granted_key_value_data_across_invocations() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_sample(dir.path());
    let project = dir.path().display().to_string();
    let (stdout, stderr) = success(&patchbay(
        &[
            "call",
            &project,
            r#"put("default", "a", "1")"#,
            r#"incr("cache", "hits", 2)"#,
            r#"put("secret", "a", "1")"#,
        ],
        &[],
    ));
    assert_eq!(
        stdout, "ok\nok(2)\nerr(\"bucket `secret`: access denied\")\n",
        "{stderr}"
    );
    assert!(stderr.contains("INFO kv: put default/a"), "{stderr}");
    assert!(
        stderr.contains("WARN kv: cannot open `secret`: access denied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("scope  node `app`, `wasi:keyvalue/store`: it opened bucket `secret`"),
        "{stderr}"
    );
    assert!(dir.path().join("data/kv.redb").is_file());

    // A new process reads what the last one wrote.
    let (stdout, stderr) = success(&patchbay(
        &[
            "call",
            &project,
            r#"get("default", "a")"#,
            r#"incr("cache", "hits", 1)"#,
        ],
        &[],
    ));
    assert_eq!(stdout, "ok(some(\"1\"))\nok(3)\n", "{stderr}");
}

#[test]
fn call_reads_configuration_and_prints_log_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_sample(dir.path());
    let project = dir.path().display().to_string();
    let (stdout, stderr) = success(&patchbay(
        &["call", &project, r#"setting("region")"#, r#"greet("ana")"#],
        &[("STD_DEMO_REGION", "eu-west")],
    ));
    assert_eq!(
        stdout, "ok(some(\"eu-west\"))\n\"hello, ana!\"\n",
        "{stderr}"
    );
    assert!(stderr.contains("INFO greet: greeting ana"), "{stderr}");
}
