//! Builds the sample guest components (`samples/build.sh`) and writes
//! `$OUT_DIR/programs.rs`, one path constant per sample component in `samples/components/`.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

// CLEARED_VARS, CLEARED_PREFIXES and `scrub_cargo_env`, shared with the
// fakes' guest build.
include!("../patchbay-fakes/nested_cargo.rs");

/// How many lines of the script's output a failure message shows.
const TAIL_LINES: usize = 40;

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let repo_dir = fs::canonicalize(manifest_dir.join("../..")).unwrap_or_else(|e| {
        panic!("cannot resolve the repository root from {manifest_dir:?}: {e}")
    });
    let samples_dir = repo_dir.join("samples");
    let script = samples_dir.join("build.sh");

    for watched in [
        samples_dir.join("components"),
        samples_dir.join("Cargo.toml"),
        samples_dir.join("Cargo.lock"),
        script.clone(),
        repo_dir.join("wit"),
    ] {
        println!("cargo:rerun-if-changed={}", watched.display());
    }
    println!("cargo:rerun-if-env-changed=PATCHBAY_SAMPLES_TARGET");
    // A build cache shared by several checkouts (scripts/setup.sh's
    // `use_build_cache`) reuses this script's output across them, since cargo
    // keys a workspace crate by its path inside the checkout. The paths above
    // would then still name the checkout that ran it first; `use_build_cache`
    // exports the checkout's root so that a switch reruns the script.
    println!("cargo:rerun-if-env-changed=PATCHBAY_CHECKOUT");

    build_samples(&script);

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let code = generate(&repo_dir, &samples_dir);
    fs::write(out_dir.join("programs.rs"), code).expect("cannot write programs.rs");
}

/// Runs `bash samples/build.sh` with an environment scrubbed of the outer
/// build's settings; panics with the output's tail if it fails.
fn build_samples(script: &Path) {
    let mut cmd = Command::new("bash");
    cmd.arg(script);
    scrub_cargo_env(&mut cmd);

    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run `bash {}`: {e}", script.display()));
    if !output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        panic!(
            "building the sample components failed ({status}).\n\
             Command: bash {script}\n\
             Reproduce it by running that command by hand.\n\
             --- stdout (last {TAIL_LINES} lines) ---\n{stdout}\n\
             --- stderr (last {TAIL_LINES} lines) ---\n{stderr}",
            status = output.status,
            script = script.display(),
            stdout = tail(&stdout),
            stderr = tail(&stderr),
        );
    }
}

/// The last [`TAIL_LINES`] lines of `text`.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

/// `kv-memory` -> `KV_MEMORY`.
fn const_name(name: &str) -> String {
    let ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        panic!("sample {name:?} does not map to a Rust constant name (got {ident:?})");
    }
    ident
}

/// A Rust string literal for `path`.
fn literal(path: &Path) -> String {
    let s = path
        .to_str()
        .unwrap_or_else(|| panic!("path is not UTF-8: {}", path.display()));
    format!("{s:?}")
}

/// The contents of `programs.rs`.
fn generate(repo_dir: &Path, samples_dir: &Path) -> String {
    let wasm_dir = samples_dir.join("wasm");
    let components_dir = samples_dir.join("components");
    // One constant per component crate in samples/components (not per file
    // in samples/wasm, which may hold stale outputs of removed samples).
    // Sorted by sample name; maps to (constant name, path).
    let mut samples: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let entries = fs::read_dir(&components_dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", components_dir.display()));
    for entry in entries {
        let dir = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", components_dir.display()))
            .path();
        if !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let name = dir
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_else(|| panic!("folder name is not UTF-8: {}", dir.display()))
            .to_owned();
        let path = wasm_dir.join(format!("{name}.wasm"));
        if !path.is_file() {
            panic!(
                "samples/build.sh succeeded but did not produce {}",
                path.display()
            );
        }
        samples.insert(name.clone(), (const_name(&name), path));
    }

    let mut seen: BTreeMap<&str, &str> = ["ALL", "SAMPLES_DIR", "REPO_DIR"]
        .into_iter()
        .map(|c| (c, "(built-in constant)"))
        .collect();
    for (name, (ident, _)) in &samples {
        if let Some(other) = seen.insert(ident, name) {
            panic!("samples {name:?} and {other:?} both map to the constant {ident}");
        }
    }

    let mut code = String::from("// @generated by patchbay-test-programs/build.rs\n\n");
    writeln!(
        code,
        "/// Absolute path of the repository's `samples/` directory."
    )
    .unwrap();
    writeln!(
        code,
        "pub const SAMPLES_DIR: &str = {};\n",
        literal(samples_dir)
    )
    .unwrap();
    writeln!(code, "/// Absolute path of the repository root.").unwrap();
    writeln!(code, "pub const REPO_DIR: &str = {};\n", literal(repo_dir)).unwrap();
    for (name, (ident, path)) in &samples {
        writeln!(code, "/// Path of the built `{name}` sample component.").unwrap();
        writeln!(code, "pub const {ident}: &str = {};\n", literal(path)).unwrap();
    }
    writeln!(
        code,
        "/// Every built sample component as `(name, path)`, sorted by name."
    )
    .unwrap();
    writeln!(code, "pub const ALL: &[(&str, &str)] = &[").unwrap();
    for (name, (ident, _)) in &samples {
        writeln!(code, "    ({name:?}, {ident}),").unwrap();
    }
    writeln!(code, "];").unwrap();
    code
}
