//! The committed TypeScript bindings in `ui/src/bindings/` must match the
//! Rust types. Run with `BLESS=1` to regenerate them.

use std::path::PathBuf;

#[test]
fn typescript_bindings_match_the_rust_types() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    let bless = std::env::var_os("BLESS").is_some();
    let mut stale = Vec::new();
    for (name, text) in patchbay_api::typescript() {
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == text => {}
            Ok(_) => stale.push(format!("{} differs", path.display())),
            Err(e) => stale.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "the TypeScript bindings drifted from the Rust types:\n  {}\nregenerate them with `BLESS=1 cargo test -p patchbay-api --test bindings` and commit the result",
        stale.join("\n  ")
    );
}
