//! Paths: lexical normalisation, relative paths, and the gate that keeps the
//! page to the files the user opened.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Makes `path` absolute and removes `.` and `..` lexically; resolves
/// symlinks when the file exists so that two spellings compare equal.
pub fn normalize(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    // The parent may exist even when the file does not (yet).
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(out),
        _ => out,
    }
}

/// `path` relative to the folder `base` (both absolute), with `..` where
/// needed; absolute if they share nothing but the root.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path = normalize(path);
    let base = normalize(base);
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common <= 1 {
        return path;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for part in &p[common..] {
        out.push(part.as_os_str());
    }
    out
}

/// The files the page may make the backend read: those the user opened
/// through a dialog, a drop or the command line, and the component files of
/// projects opened that way.
#[derive(Debug, Default)]
pub struct PathGate {
    files: Mutex<HashSet<PathBuf>>,
}

impl PathGate {
    /// Permits one file.
    pub fn allow(&self, path: &Path) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(normalize(path));
        }
    }

    /// Permits a project file (the manifest a user chose).
    pub fn allow_tree_file(&self, manifest: &Path) {
        self.allow(manifest);
    }

    /// Whether `path` was permitted.
    pub fn permits(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.files
            .lock()
            .map(|f| f.contains(&path))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_walk_up_and_down() {
        assert_eq!(
            relative_to(Path::new("/a/b/wasm/x.wasm"), Path::new("/a/b/project")),
            PathBuf::from("../wasm/x.wasm")
        );
        assert_eq!(
            relative_to(Path::new("/a/b/project/x.wasm"), Path::new("/a/b/project")),
            PathBuf::from("x.wasm")
        );
        assert_eq!(
            relative_to(Path::new("/elsewhere/x.wasm"), Path::new("/a/b")),
            PathBuf::from("/elsewhere/x.wasm")
        );
    }

    #[test]
    fn the_gate_compares_normalised_paths() {
        let gate = PathGate::default();
        gate.allow(Path::new("/nonexistent-patchbay/a/../b/x.wasm"));
        assert!(gate.permits(Path::new("/nonexistent-patchbay/b/./x.wasm")));
        assert!(!gate.permits(Path::new("/nonexistent-patchbay/b/y.wasm")));
    }
}
