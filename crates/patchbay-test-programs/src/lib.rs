//! Paths of the sample guest components, for Patchbay's tests.
//!
//! The samples under `samples/components` are built from source by this
//! crate's build script, which runs `samples/build.sh` (target
//! `wasm32-wasip2`) whenever a sample's sources, the samples workspace or the
//! repository's `wit/` folder change. Each `samples/wasm/<name>.wasm` then
//! gets a constant holding its absolute path: `kv-memory` becomes
//! [`KV_MEMORY`], and [`ALL`] lists every `(name, path)` pair by name.
//!
//! ```
//! let bytes = std::fs::read(patchbay_test_programs::KV_MEMORY).unwrap();
//! assert!(bytes.starts_with(b"\0asm"));
//!
//! for (name, path) in patchbay_test_programs::ALL {
//!     assert!(path.ends_with(&format!("{name}.wasm")));
//! }
//! ```

include!(concat!(env!("OUT_DIR"), "/programs.rs"));

/// Every project folder of the samples (`samples/*`) and the compose
/// fixtures (`tests/compose/*`): each folder holding a `patchbay.toml`,
/// sorted.
pub fn project_folders() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(REPO_DIR);
    let mut folders = Vec::new();
    for parent in ["samples", "tests/compose"] {
        let entries = std::fs::read_dir(root.join(parent))
            .unwrap_or_else(|e| panic!("cannot list {parent}: {e}"));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot list {parent}: {e}"))
                .path();
            if path.join("patchbay.toml").is_file() {
                folders.push(path);
            }
        }
    }
    folders.sort();
    folders
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::path::Path;

    /// `\0asm`, then the component-model layer's version and layer fields.
    const COMPONENT_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

    #[test]
    fn every_sample_is_a_built_component() {
        assert!(ALL.len() >= 9, "expected at least 9 samples, got {ALL:?}");
        for (name, path) in ALL {
            let mut header = [0u8; 8];
            std::fs::File::open(path)
                .and_then(|mut file| file.read_exact(&mut header))
                .unwrap_or_else(|e| panic!("cannot read the header of {name} ({path}): {e}"));
            assert_eq!(
                header, COMPONENT_HEADER,
                "{name} ({path}) is not a component"
            );
        }
    }

    #[test]
    fn all_is_sorted_and_under_samples_dir() {
        assert!(
            ALL.windows(2).all(|w| w[0].0 < w[1].0),
            "ALL is not sorted: {ALL:?}"
        );
        for (name, path) in ALL {
            assert_eq!(
                Path::new(path),
                Path::new(SAMPLES_DIR)
                    .join("wasm")
                    .join(format!("{name}.wasm"))
            );
        }
        assert_eq!(Path::new(SAMPLES_DIR), Path::new(REPO_DIR).join("samples"));
        assert!(ALL.contains(&("kv-memory", KV_MEMORY)));
    }
}
