//! Seed inputs, read from the repository: the sample projects and the
//! project fixtures for the parser, the sample components, the inspect
//! fixtures and the committed corpus for inspection, plus any extra corpus
//! folders (the long run adds a larger generated one).

use std::path::{Component, Path, PathBuf};

/// One seed: where it came from and its bytes.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The file, relative to the repository root when it is inside it.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The repository root (two folders above this crate).
pub fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The committed corpus of component inputs (made by
/// `scripts/fuzz-corpus.sh`).
pub fn committed_corpus(root: &Path) -> PathBuf {
    root.join("crates/patchbay-fuzz/corpus/inspect")
}

/// The committed regression inputs, one folder per target.
pub fn regressions_dir(root: &Path) -> PathBuf {
    root.join("crates/patchbay-fuzz/regressions")
}

/// Every `patchbay.toml` of the sample projects and of the test fixtures.
pub fn project_seeds(root: &Path) -> Vec<Seed> {
    let mut files = Vec::new();
    for dir in [root.join("samples"), root.join("tests")] {
        find_files(
            &dir,
            &mut |p| p.file_name().is_some_and(|n| n == "patchbay.toml"),
            &mut files,
        );
    }
    read_seeds(root, files)
}

/// Component inputs: the built samples (`samples/wasm`), the `.wat`
/// inputs of the inspect and compose fixtures, the committed corpus and
/// the `extra` folders.
pub fn component_seeds(root: &Path, extra: &[PathBuf]) -> Vec<Seed> {
    let mut files = Vec::new();
    let is_component = |p: &Path| p.extension().is_some_and(|e| e == "wasm" || e == "wat");
    find_files(
        &root.join("samples/wasm"),
        &mut |p| is_component(p),
        &mut files,
    );
    find_files(
        &root.join("tests/inspect"),
        &mut |p| is_component(p),
        &mut files,
    );
    find_files(
        &root.join("tests/compose"),
        &mut |p| is_component(p),
        &mut files,
    );
    find_files(
        &committed_corpus(root),
        &mut |p| is_component(p),
        &mut files,
    );
    for dir in extra {
        find_files(dir, &mut |p| is_component(p), &mut files);
    }
    read_seeds(root, files)
}

fn read_seeds(root: &Path, mut files: Vec<PathBuf>) -> Vec<Seed> {
    files.sort();
    files.dedup();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            Some(Seed {
                name: relative_to(root, &path),
                bytes,
            })
        })
        .collect()
}

/// Files under `dir` (recursively) that `keep` accepts; a missing folder
/// gives none. `node_modules` and `target` folders are skipped.
fn find_files(dir: &Path, keep: &mut dyn FnMut(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "node_modules" && name != "target" {
                find_files(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// `path` relative to `root` when it is inside it, else the whole path,
/// with `..` resolved lexically (the file need not exist).
pub fn relative_to(root: &Path, path: &Path) -> String {
    let normal = normalize(path);
    match normal.strip_prefix(root) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => normal.display().to_string(),
    }
}

/// Resolves `.` and `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_parent_folders() {
        assert_eq!(
            normalize(Path::new("/r/samples/kv/../wasm/./a.wasm")),
            Path::new("/r/samples/wasm/a.wasm")
        );
        assert_eq!(
            relative_to(
                Path::new("/r"),
                Path::new("/r/tests/x/../../samples/a.wasm")
            ),
            "samples/a.wasm"
        );
        assert_eq!(
            relative_to(Path::new("/r"), Path::new("/elsewhere/a")),
            "/elsewhere/a"
        );
    }
}
