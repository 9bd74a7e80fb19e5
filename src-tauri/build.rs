//! Checks that the editor's page is built, then runs tauri-build (config,
//! capabilities, icons).

use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let repository = Path::new(&manifest_dir)
        .parent()
        .expect("src-tauri sits in the repository");
    let dist = repository.join("ui").join("dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-env-changed=TAURI_CONFIG");
    // `TAURI_CONFIG` may point `frontendDist` elsewhere; then tauri's own
    // check applies.
    if std::env::var_os("TAURI_CONFIG").is_none() && !dist.join("index.html").is_file() {
        eprintln!(
            "\nerror: the editor's page is not built: {} has no index.html.\n\
             The app embeds it at compile time. Build it first:\n\n    \
             (cd ui && npm ci && npm run build)\n",
            dist.display()
        );
        std::process::exit(1);
    }
    tauri_build::build();
}
