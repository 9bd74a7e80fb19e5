//! Where a project's files are: the loaded [`ProjectDoc`] and the folder
//! its paths are resolved against, finding the manifest of a folder, and
//! the `/`-separated path text the file holds.

use crate::save::save;
use crate::{Project, ProjectError, MANIFEST_NAME};
use std::path::{Path, PathBuf};

/// A project loaded from disk.
#[derive(Debug, Clone)]
pub struct ProjectDoc {
    /// The manifest file (`…/patchbay.toml`).
    pub path: PathBuf,
    /// The project.
    pub project: Project,
    /// The version the file was upgraded from, if it was older.
    pub upgraded_from: Option<u32>,
}

impl ProjectDoc {
    /// The folder that relative paths in the project are resolved against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Resolves a path written in the project file.
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        self.dir().join(relative)
    }

    /// The file of component `id`, if the project has it.
    pub fn component_path(&self, id: &str) -> Option<PathBuf> {
        self.project
            .components
            .get(id)
            .map(|c| self.resolve(&c.path))
    }

    /// Writes the project back to its file, atomically.
    pub fn save(&self) -> Result<(), ProjectError> {
        save(&self.project, &self.path)
    }
}

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
