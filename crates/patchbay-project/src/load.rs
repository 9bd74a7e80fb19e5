//! A project on disk: [`load`] a manifest or a project folder into a
//! [`LoadedProject`], which knows the folder its paths are resolved against
//! and saves itself back.

use crate::error::ProjectError;
use crate::model::Project;
use crate::parse::parse;
use crate::paths::manifest_path;
use crate::place::line_col;
use crate::read::{read_regular, ReadError, MAX_MANIFEST_BYTES};
use crate::save::save;
use crate::write;
use std::path::{Path, PathBuf};

/// A project loaded from disk.
#[derive(Debug, Clone)]
pub struct LoadedProject {
    /// The manifest file (`…/patchbay.toml`).
    pub path: PathBuf,
    /// The project.
    pub project: Project,
    /// The version the file was upgraded from, if it was older.
    pub upgraded_from: Option<u32>,
}

impl LoadedProject {
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

/// Loads a project from a manifest file or a project folder. Only a regular
/// file of at most [`MAX_MANIFEST_BYTES`] is read. Temporary files of saves
/// of this manifest that were killed are removed on the way.
pub fn load(path: &Path) -> Result<LoadedProject, ProjectError> {
    let path = manifest_path(path);
    let bytes = read_regular(&path, MAX_MANIFEST_BYTES).map_err(|e| match e {
        ReadError::Io(source) => ProjectError::Read {
            path: path.clone(),
            source,
        },
        ReadError::NotRegular(kind) => ProjectError::NotRegular {
            path: path.clone(),
            kind,
        },
        ReadError::TooLarge { size, limit } => ProjectError::TooLarge {
            path: path.clone(),
            size,
            limit,
        },
    })?;
    write::remove_abandoned_temps(&path);
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let (line, column) = line_col(std::str::from_utf8(&bytes[..at]).unwrap_or_default(), at);
        ProjectError::Syntax {
            path: path.clone(),
            line,
            column,
            message: format!("the file is not UTF-8 text (byte 0x{:02x})", bytes[at]),
        }
    })?;
    let (project, upgraded_from) = parse(&text, &path)?;
    Ok(LoadedProject {
        path,
        project,
        upgraded_from,
    })
}
