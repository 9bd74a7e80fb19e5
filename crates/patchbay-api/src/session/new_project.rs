//! Starting from nothing: a new, empty project in a folder, and the sample
//! components that can be added to it without a file dialog.

use super::project::kebab_id;
use super::*;
use crate::error::chain;
use crate::paths::normalize;

/// Writes a new, empty `patchbay.toml` into `dir` (created if missing) and
/// returns its path. The project is named `name`, or after the folder
/// (kebab-cased: `My Tools` → `my-tools`). A folder that already holds a
/// project is refused, naming the file, and nothing is written; so is a
/// name that is not a kebab-case id. The one rule behind `patchbay new` and
/// the editor's *New project*.
pub fn create_project(dir: &Path, name: Option<&str>) -> Result<PathBuf, ApiError> {
    let dir = normalize(dir);
    let name = match name {
        Some(name) => name.to_string(),
        None => {
            let folder = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            kebab_id(&folder, "project")
        }
    };
    model::check_id(&name)
        .map_err(|e| ApiError::bad_request(format!("`{name}` cannot name a project: {e}")))?;
    if dir.exists() && !dir.is_dir() {
        return Err(ApiError::bad_request(format!(
            "{} is a file, not a folder: a project is a folder holding a {}",
            dir.display(),
            model::MANIFEST_NAME
        )));
    }
    let manifest = dir.join(model::MANIFEST_NAME);
    if manifest.exists() {
        return Err(ApiError::bad_request(format!(
            "{} already exists: that folder holds a project; open it instead",
            manifest.display()
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| ApiError::io(format!("cannot create {}: {e}", dir.display())))?;
    let project = model::Project {
        name,
        ..Default::default()
    };
    model::save(&project, &manifest).map_err(|e| {
        ApiError::io(format!("cannot write {}", manifest.display())).with_detail(chain(&e))
    })?;
    Ok(manifest)
}

impl Session {
    /// Creates an empty project and opens it: in `dir` when given (a folder
    /// the user opened, which holds no project yet), else in a folder the
    /// user picks.
    pub async fn new_project(&self, request: NewProjectRequest) -> Result<OpenedProject, ApiError> {
        let dir = match request.dir {
            Some(dir) => {
                let dir = normalize(Path::new(&dir));
                if !self.gate.permits(&dir.join(model::MANIFEST_NAME)) {
                    return Err(ApiError::not_permitted(format!(
                        "{} was not opened through a dialog or the command line",
                        dir.display()
                    )));
                }
                dir
            }
            None => {
                let dialogs = self.dialogs.clone();
                let start = self
                    .manifest()
                    .ok()
                    .and_then(|m| m.parent().and_then(Path::parent).map(Path::to_path_buf))
                    .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
                    .unwrap_or_else(|| PathBuf::from("."));
                let picked =
                    Self::blocking(move || dialogs.pick_new_project_folder(&start)).await?;
                picked.ok_or_else(ApiError::cancelled)?
            }
        };
        let name = request
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let manifest = create_project(&dir, name)?;
        self.gate.allow_tree_file(&manifest);
        self.open_path(&manifest)
    }

    /// The components that ship with the samples (`samples/wasm/*.wasm`),
    /// permitted so that `addComponents` takes their paths without a
    /// dialog.
    pub async fn sample_components(
        &self,
        _request: Empty,
    ) -> Result<Vec<SampleComponentView>, ApiError> {
        let Some(dir) = &self.options.samples_dir else {
            return Ok(Vec::new());
        };
        let wasm = dir.join("wasm");
        let Ok(entries) = std::fs::read_dir(&wasm) else {
            return Ok(Vec::new());
        };
        let mut found: Vec<SampleComponentView> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm") && p.is_file())
            .map(|p| {
                let path = normalize(&p);
                self.gate.allow(&path);
                SampleComponentView {
                    name: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    path: path.display().to_string(),
                }
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn a_new_project_is_empty_and_named_after_its_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("My Tools");
        let manifest = create_project(&dir, None).unwrap();
        assert_eq!(manifest, normalize(&dir.join(model::MANIFEST_NAME)));
        let loaded = model::load(&manifest).unwrap();
        assert_eq!(loaded.project.name, "my-tools");
        assert!(loaded.project.nodes.is_empty() && loaded.project.components.is_empty());
    }

    #[test]
    fn an_existing_project_or_a_bad_name_is_refused_and_nothing_written() {
        let tmp = tempfile::tempdir().unwrap();
        let manifest = create_project(tmp.path(), Some("first")).unwrap();
        let before = std::fs::read_to_string(&manifest).unwrap();
        let e = create_project(tmp.path(), Some("second")).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        assert!(
            e.message.contains(&manifest.display().to_string()),
            "{}",
            e.message
        );
        assert_eq!(std::fs::read_to_string(&manifest).unwrap(), before);

        let other = tmp.path().join("other");
        let e = create_project(&other, Some("Not Kebab")).unwrap_err();
        assert!(e.message.contains("`Not Kebab`"), "{}", e.message);
        assert!(!other.exists());
    }
}
