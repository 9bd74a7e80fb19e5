//! `wadm-check FILE…`: validates wasmCloud application manifests with
//! wadm's own validator (`wadm_types::validation::validate_manifest_bytes`:
//! the manifest's types, names, versions, interfaces, dangling links,
//! duplicate links, link and component config). Prints every failure as
//! `FILE: LEVEL: MESSAGE` and exits 1 if any file has one, 2 if a file
//! cannot be read or parsed.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: wadm-check FILE…");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{file}: cannot read: {e}");
                return ExitCode::from(2);
            }
        };
        match wadm_types::validation::validate_manifest_bytes(&bytes).await {
            Ok((manifest, failures)) => {
                for failure in &failures {
                    println!("{file}: {failure}");
                }
                if failures.is_empty() {
                    println!(
                        "{file}: valid ({} components)",
                        manifest.spec.components.len()
                    );
                } else {
                    status = ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("{file}: not a wadm manifest: {e:#}");
                return ExitCode::from(2);
            }
        }
    }
    status
}
