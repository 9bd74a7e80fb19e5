//! A `.wac` recipe or a composed binary opened as a project: *Open* of
//! such a file answers `importable`, and the editor's import dialog asks
//! `import_plan` what the import needs (the folder it writes, the packages
//! a recipe names that are not beside it), `import_pick` for a folder or a
//! package's file (native dialogs), and `import_project` to write the
//! project (`patchbay_compose::import_file` and `write_import`, the code
//! behind `patchbay import`) and open it.

use super::*;
use crate::dto::*;
use crate::paths::normalize;
use crate::ApiError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether `path`, a file, is one *Open* imports rather than loads: a
/// WebAssembly binary (by content), a `.wac` recipe or WAT text (by
/// name); never a `.toml`.
pub(super) fn importable(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == "toml") {
        return false;
    }
    if path.extension().is_some_and(|e| e == "wac" || e == "wat") {
        return true;
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"\0asm"
}

/// The folder a project imported from `file` goes to by default: beside
/// the file, named after it (`-2`, `-3`… when that folder holds anything).
fn default_output(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new("."));
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let free =
        |dir: &Path| !dir.exists() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    let first = parent.join(&stem);
    if free(&first) {
        return first;
    }
    (2..)
        .map(|i| parent.join(format!("{stem}-{i}")))
        .find(|d| free(d))
        .expect("a free folder name")
}

fn deps_of(deps: &[PackageFile]) -> Vec<(String, PathBuf)> {
    deps.iter()
        .map(|d| (d.name.clone(), PathBuf::from(&d.path)))
        .collect()
}

impl Session {
    /// The file, if the user opened it.
    fn import_source(&self, file: &str) -> Result<PathBuf, ApiError> {
        let path = normalize(Path::new(file));
        if !self.gate.permits(&path) {
            return Err(ApiError::not_permitted(format!(
                "{} was not opened through a dialog, a drop or the command line",
                path.display()
            )));
        }
        Ok(path)
    }

    /// Package files the user picked.
    fn permitted_deps(&self, deps: &[PackageFile]) -> Result<Vec<(String, PathBuf)>, ApiError> {
        for dep in deps {
            if !self.gate.permits(Path::new(&dep.path)) {
                return Err(ApiError::not_permitted(format!(
                    "{} (package `{}`) was not picked through a dialog",
                    dep.path, dep.name
                )));
            }
        }
        Ok(deps_of(deps))
    }

    /// What importing the file needs: the folder it goes to by default,
    /// and the first package of a recipe that is not found.
    pub async fn import_plan(&self, request: ImportPlanRequest) -> Result<ImportPlan, ApiError> {
        let file = self.import_source(&request.file)?;
        let deps = self.permitted_deps(&request.deps)?;
        let output = default_output(&file);
        let is_binary = importable(&file) && file.extension().is_none_or(|e| e != "wac");
        let missing = if is_binary {
            Vec::new()
        } else {
            let wac = file.clone();
            Self::blocking(move || patchbay_compose::first_missing_package(&wac, &deps))
                .await?
                .into_iter()
                .collect()
        };
        Ok(ImportPlan {
            file: file.display().to_string(),
            kind: if is_binary {
                ImportKind::Binary
            } else {
                ImportKind::Wac
            },
            output: output.display().to_string(),
            missing_packages: missing,
        })
    }

    /// A native dialog for the import: the file of `package`, or (without
    /// one) the project folder. What is picked is permitted.
    pub async fn import_pick(&self, request: ImportPickRequest) -> Result<String, ApiError> {
        let file = self.import_source(&request.file)?;
        let dialogs = self.dialogs.clone();
        let start = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let picked = match request.package {
            Some(name) => Self::blocking(move || dialogs.pick_package(&name)).await?,
            None => Self::blocking(move || dialogs.pick_new_project_folder(&start)).await?,
        };
        let picked = normalize(&picked.ok_or_else(ApiError::cancelled)?);
        self.gate.allow(&picked);
        Ok(picked.display().to_string())
    }

    /// Writes the project the file describes into `output` (the plan's
    /// default or a folder picked) and opens it; the import's summary and
    /// notes come with it.
    pub async fn import_project(
        &self,
        request: ImportProjectRequest,
    ) -> Result<OpenedProject, ApiError> {
        let file = self.import_source(&request.file)?;
        let deps = self.permitted_deps(&request.deps)?;
        let output = normalize(Path::new(&request.output));
        if output != normalize(&default_output(&file)) && !self.gate.permits(&output) {
            return Err(ApiError::not_permitted(format!(
                "{} was not picked through a dialog",
                output.display()
            )));
        }
        let (source, out) = (file.clone(), output.clone());
        let (manifest, imported) = Self::blocking(move || {
            std::fs::create_dir_all(&out)
                .map_err(|e| ApiError::io(format!("cannot create {}: {e}", out.display())))?;
            let imported = patchbay_compose::import_file(&source, &deps, &out)
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            let manifest = patchbay_compose::write_import(&out, &imported)
                .map_err(|e| ApiError::io(e.to_string()))?;
            Ok::<_, ApiError>((manifest, imported))
        })
        .await??;
        self.gate.allow_tree_file(&manifest);
        let mut opened = self.open_path(&manifest)?;
        let mut notes = vec![format!(
            "{} into {}",
            imported.summary(&file),
            output.display()
        )];
        notes.extend(imported.notes);
        notes.append(&mut opened.notes);
        opened.notes = notes;
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binaries_and_recipes_are_importable_projects_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        let wasm = tmp.path().join("app.bin");
        std::fs::write(&wasm, b"\0asm\x0d\0\x01\0").unwrap();
        let wac = tmp.path().join("recipe.wac");
        std::fs::write(&wac, "package a:b;").unwrap();
        let toml = tmp.path().join("patchbay.toml");
        std::fs::write(&toml, "version = 1").unwrap();
        let text = tmp.path().join("notes.txt");
        std::fs::write(&text, "hello").unwrap();
        assert!(importable(&wasm));
        assert!(importable(&wac));
        assert!(!importable(&toml));
        assert!(!importable(&text));
        // Beside the file, named after it; a folder in use is skipped.
        assert_eq!(default_output(&wac), tmp.path().join("recipe"));
        std::fs::create_dir(tmp.path().join("recipe")).unwrap();
        assert_eq!(default_output(&wac), tmp.path().join("recipe"));
        std::fs::write(tmp.path().join("recipe/x"), "").unwrap();
        assert_eq!(default_output(&wac), tmp.path().join("recipe-2"));
    }
}
