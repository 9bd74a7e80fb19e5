//! The manifests an export can write beside its artifact, and how: what
//! `patchbay export --spin --wadm` and the app's export dialog both call,
//! so the two write the same files from the same [`Artifact`].

use crate::{spin_manifest, wadm_manifest, Artifact, DeployError, Manifest, SPIN_FILE, WADM_FILE};
use patchbay_compose::{Composed, Sealed, Workspace};
use std::fmt;
use std::path::{Path, PathBuf};

/// A deployment manifest the export can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `spin.toml`, Spin manifest version 2.
    Spin,
    /// `wadm.yaml`, a wasmCloud application.
    Wadm,
}

impl Target {
    /// Every target, in the order they are written.
    pub const ALL: [Target; 2] = [Target::Spin, Target::Wadm];

    /// The file written beside the artifact.
    pub fn file(self) -> &'static str {
        match self {
            Target::Spin => SPIN_FILE,
            Target::Wadm => WADM_FILE,
        }
    }

    /// The manifest of `artifact`, or why this target cannot deploy it.
    pub fn manifest(self, ws: &Workspace, artifact: &Artifact) -> Result<Manifest, DeployError> {
        match self {
            Target::Spin => spin_manifest(ws, artifact),
            Target::Wadm => wadm_manifest(ws, artifact),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Target::Spin => "Spin",
            Target::Wadm => "wasmCloud (wadm)",
        })
    }
}

impl Artifact {
    /// The artifact an export of `ws` writes into `dir`: `composed` (sealed
    /// when `sealed` is given, with what it could not seal), its file named
    /// after the project, and `image` the OCI reference it is pushed to.
    pub fn of_export(
        ws: &Workspace,
        composed: &Composed,
        sealed: Option<&Sealed>,
        dir: &Path,
        image: Option<&str>,
    ) -> Artifact {
        let project = ws.project();
        Artifact {
            file: format!("{}.wasm", project.name),
            dir: dir.to_path_buf(),
            exports: project
                .exports
                .iter()
                .map(|e| e.export_name().to_string())
                .collect(),
            imports: composed.imports.clone(),
            sealed: sealed.is_some(),
            not_sealed: sealed.map(|s| s.not_sealed.clone()).unwrap_or_default(),
            image: image.map(str::to_string),
        }
    }
}

/// Why a manifest was not written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// What the file system said.
    #[source]
    pub source: std::io::Error,
}

/// Writes `manifest` as `target`'s file in `dir` (replaced whole, as every
/// export output is: a reader sees the old file or the new one), and
/// returns its path.
pub fn write_manifest(
    dir: &Path,
    target: Target,
    manifest: &Manifest,
) -> Result<PathBuf, WriteError> {
    let path = dir.join(target.file());
    patchbay_project::write_output(&path, manifest.text.as_bytes()).map_err(|source| {
        WriteError {
            path: path.clone(),
            source,
        }
    })?;
    Ok(path)
}
