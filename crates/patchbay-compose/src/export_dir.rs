//! Writing an export folder and describing what it holds: the composed
//! component (`NAME.wasm`), its `.wac` recipe, its WIT and, for a sealed
//! export, the stubs the recipe names ([`STUB_FOLDER`]`/STUB.wasm`).
//!
//! `patchbay export` and the app's export dialog both write through
//! [`write_export`], and both take the attack surface of what they write
//! from [`describe_artifact`]: the imports the component's bytes declare,
//! the list `wasm-tools component wit` prints for the written file, for
//! sealed and open exports alike.

use crate::{Composed, Stub, STUB_FOLDER};
use std::path::{Path, PathBuf};

/// What an exported component declares, decoded from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactDescription {
    /// The names of the component's imports, in its order: its attack
    /// surface, as `wasm-tools component wit` lists them (`import NAME;`).
    pub imports: Vec<String>,
    /// The whole world as WIT text (what `NAME.wit` holds).
    pub wit: String,
}

/// Decodes the composed component's imports and WIT from its bytes.
pub fn describe_artifact(
    composed: &Composed,
) -> Result<ArtifactDescription, patchbay_inspect::InspectError> {
    let info = composed.describe()?;
    Ok(ArtifactDescription {
        imports: info.imports.into_iter().map(|p| p.name).collect(),
        wit: info.wit,
    })
}

/// The files an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFiles {
    /// The folder.
    pub dir: PathBuf,
    /// The composed component.
    pub wasm: PathBuf,
    /// The recipe.
    pub wac: PathBuf,
    /// The WIT of the component.
    pub wit: PathBuf,
    /// The stubs the recipe names, in the recipe's order (none for an
    /// open export).
    pub stubs: Vec<PathBuf>,
    /// The binaries of the components the project gives as WAT text or core
    /// modules, which the recipe names beside itself
    /// ([`crate::recipe_binary_path`]).
    pub deps: Vec<PathBuf>,
    /// What the written component declares.
    pub artifact: ArtifactDescription,
}

/// Why an export folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The composed component could not be decoded for its WIT.
    #[error("cannot describe the composed component")]
    Describe(#[source] patchbay_inspect::InspectError),
    /// A folder could not be created.
    #[error("cannot create {}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The path of a stub's component in an export folder, relative to it, as
/// the sealed recipe names it.
pub fn stub_file(stub: &Stub) -> String {
    format!("{STUB_FOLDER}/{}.wasm", stub.name)
}

/// Writes `NAME.wasm`, `NAME.wac` and `NAME.wit` into `dir` (created if
/// missing), and every stub into `dir/stubs/` (a sealed export's recipe
/// names them there; pass none for an open export). Each file is replaced
/// whole, never left half-written.
pub fn write_export(
    dir: &Path,
    name: &str,
    composed: &Composed,
    stubs: &[Stub],
) -> Result<ExportFiles, ExportError> {
    let artifact = describe_artifact(composed).map_err(ExportError::Describe)?;
    let create = |path: &Path| {
        std::fs::create_dir_all(path).map_err(|source| ExportError::Create {
            path: path.to_path_buf(),
            source,
        })
    };
    let write = |path: &Path, bytes: &[u8]| {
        patchbay_project::write_output(path, bytes).map_err(|source| ExportError::Write {
            path: path.to_path_buf(),
            source,
        })
    };
    create(dir)?;
    let wasm = dir.join(format!("{name}.wasm"));
    let wac = dir.join(format!("{name}.wac"));
    let wit = dir.join(format!("{name}.wit"));
    write(&wasm, &composed.bytes)?;
    let (recipe, beside) = composed.recipe_at(&wac);
    write(&wac, recipe.as_bytes())?;
    let mut deps = Vec::with_capacity(beside.len());
    for (path, bytes) in &beside {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            create(parent)?;
        }
        write(&path, bytes)?;
        deps.push(path);
    }
    write(&wit, artifact.wit.as_bytes())?;
    if !stubs.is_empty() {
        create(&dir.join(STUB_FOLDER))?;
    }
    let mut written = Vec::with_capacity(stubs.len());
    for stub in stubs {
        let path = dir.join(stub_file(stub));
        write(&path, &stub.bytes)?;
        written.push(path);
    }
    Ok(ExportFiles {
        dir: dir.to_path_buf(),
        wasm,
        wac,
        wit,
        stubs: written,
        deps,
        artifact,
    })
}
