//! Path helpers: the manifest of a project folder, and the `/`-separated
//! path text the project file holds on every platform.

use std::path::{Path, PathBuf};

/// The file name of a project manifest inside a project folder.
pub const MANIFEST_NAME: &str = "patchbay.toml";

/// Finds the manifest for `path`: the file itself, or `patchbay.toml` inside
/// a folder.
pub fn manifest_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(MANIFEST_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Project files use `/` on every platform.
pub(crate) fn path_text(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
