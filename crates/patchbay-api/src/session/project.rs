//! The project's life cycle: the project shown at start, opening a
//! project or a sample, adding components (and watching them), saving,
//! recovery files, the dirty flag and closing the window.

use super::analysis::analyze;
use super::*;
use crate::dto::*;
use crate::error::chain;
use crate::paths::{normalize, relative_to};
use crate::views::{component_views, load_view};
use crate::ApiError;
use patchbay_project as model;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

impl Session {
    /// The project to show at start: the one on the command line, on first
    /// start the kv-service sample, later the last project opened.
    pub async fn startup(&self, _request: Empty) -> Result<Option<OpenedProject>, ApiError> {
        let marker = self.options.state_dir.join("started");
        let last = self.options.state_dir.join("last-project");
        let path = if let Some(p) = &self.options.startup_project {
            Some(p.clone())
        } else if !marker.exists() {
            self.options
                .samples_dir
                .as_ref()
                .map(|s| s.join("kv-service").join(model::MANIFEST_NAME))
                .filter(|p| p.exists())
        } else {
            read_text(&last, MAX_LAST_PROJECT_BYTES)
                .map(|s| PathBuf::from(s.trim()))
                .filter(|p| p.exists())
        };
        let _ = std::fs::create_dir_all(&self.options.state_dir);
        let _ = std::fs::write(&marker, b"");
        let Some(path) = path else { return Ok(None) };
        self.gate.allow_tree_file(&model::manifest_path(&path));
        self.open_path(&path).map(Some)
    }

    /// Opens a project (a dialog when `path` is absent).
    pub async fn open_project(
        &self,
        request: OpenProjectRequest,
    ) -> Result<OpenedProject, ApiError> {
        let path = match request.path {
            Some(p) => {
                let path = PathBuf::from(&p);
                let manifest = model::manifest_path(&path);
                if !self.gate.permits(&manifest) {
                    return Err(ApiError::not_permitted(format!(
                        "{} was not opened through a dialog, a drop or the command line",
                        manifest.display()
                    )));
                }
                path
            }
            None => {
                let dialogs = self.dialogs.clone();
                let picked = Self::blocking(move || dialogs.pick_project()).await?;
                let path = picked.ok_or_else(ApiError::cancelled)?;
                self.gate.allow_tree_file(&model::manifest_path(&path));
                path
            }
        };
        self.open_path(&path)
    }

    /// The sample projects shipped with Patchbay, if the app knows where
    /// they are.
    pub async fn samples(&self, _request: Empty) -> Result<Vec<SampleView>, ApiError> {
        let Some(dir) = &self.options.samples_dir else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            ApiError::io(format!("cannot list the samples in {}: {e}", dir.display()))
        })?;
        for entry in entries.flatten() {
            let manifest = entry.path().join(model::MANIFEST_NAME);
            let Some(text) = read_text(&manifest, model::MAX_MANIFEST_BYTES) else {
                continue;
            };
            let description = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix('#'))
                .map(|l| l.trim().to_string())
                .unwrap_or_default();
            found.push(SampleView {
                name: entry.file_name().to_string_lossy().into_owned(),
                description,
            });
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }

    /// Opens a sample project by folder name (no dialog: the samples ship
    /// with the app).
    pub async fn open_sample(&self, request: OpenSampleRequest) -> Result<OpenedProject, ApiError> {
        let dir = self.options.samples_dir.as_ref().ok_or_else(|| {
            ApiError::bad_request("this build does not know where its samples are")
        })?;
        if model::check_id(&request.name).is_err() {
            return Err(ApiError::bad_request(format!(
                "`{}` is not a sample name",
                request.name
            )));
        }
        let manifest = dir.join(&request.name).join(model::MANIFEST_NAME);
        if !manifest.is_file() {
            return Err(ApiError::bad_request(format!(
                "there is no sample `{}` in {}",
                request.name,
                dir.display()
            )));
        }
        self.gate.allow_tree_file(&manifest);
        self.open_path(&manifest)
    }

    pub(super) fn open_path(&self, path: &Path) -> Result<OpenedProject, ApiError> {
        // A folder without a project (empty, or with other files), named
        // as itself or as its missing `patchbay.toml`: the editor offers to
        // create a project there.
        let folder = if path.is_dir() {
            Some(path)
        } else {
            path.parent().filter(|dir| {
                path.file_name() == Some(model::MANIFEST_NAME.as_ref()) && dir.is_dir()
            })
        };
        if let Some(dir) = folder.filter(|dir| !dir.join(model::MANIFEST_NAME).exists()) {
            return Err(ApiError::no_project(&normalize(dir)));
        }
        if path.is_file() && super::import::importable(path) {
            return Err(ApiError::importable(&normalize(path)));
        }
        if !path.exists() {
            // Said plainly rather than as a read error of a file the user
            // never named (`PATH` is taken for the manifest itself).
            return Err(ApiError::bad_project(format!(
                "cannot open {}: there is no such file or folder",
                path.display()
            )));
        }
        let loaded = model::load(path).map_err(|e| {
            ApiError::bad_project(format!("cannot open {}", path.display())).with_detail(chain(&e))
        })?;
        let manifest = normalize(&loaded.path);
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        for c in loaded.project.components.values() {
            self.gate.allow(&dir.join(&c.path));
        }
        let mut notes = Vec::new();
        if let Some(v) = loaded.upgraded_from {
            notes.push(format!(
                "{} was written in project format version {v}; saving writes version {}",
                manifest.display(),
                model::CURRENT_VERSION
            ));
        }
        let doc = ProjectDoc::from_model(&loaded.project);
        *self
            .open
            .lock()
            .map_err(|_| ApiError::internal("session lock poisoned"))? = Some(Open {
            manifest: manifest.clone(),
        });
        self.dirty.store(false, Ordering::SeqCst);
        let ws = self.busy("composing", || self.workspace(&doc))?;
        let components = component_views(&ws);
        let analysis = self.busy("composing", || analyze(&ws));
        let recovery = self.read_recovery(&manifest, &doc);
        let _ = std::fs::create_dir_all(&self.options.state_dir);
        let _ = std::fs::write(
            self.options.state_dir.join("last-project"),
            manifest.display().to_string(),
        );
        self.restart_watcher(&manifest, &components);
        Ok(OpenedProject {
            path: manifest.display().to_string(),
            dir: dir.display().to_string(),
            doc,
            components,
            analysis,
            recovery,
            notes,
        })
    }

    /// Loads component files (a dialog when `paths` is absent) and names
    /// them uniquely against `doc`.
    pub async fn add_components(
        &self,
        request: AddComponentsRequest,
    ) -> Result<Vec<ComponentView>, ApiError> {
        let manifest = self.manifest()?;
        let paths: Vec<PathBuf> = match request.paths {
            Some(paths) => {
                let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
                if let Some(p) = paths.iter().find(|p| !self.gate.permits(p)) {
                    return Err(ApiError::not_permitted(format!(
                        "{} was not opened through a dialog or dropped on the window",
                        p.display()
                    )));
                }
                paths
            }
            None => {
                let dialogs = self.dialogs.clone();
                let picked = Self::blocking(move || dialogs.pick_components()).await?;
                if picked.is_empty() {
                    return Err(ApiError::cancelled());
                }
                for p in &picked {
                    self.gate.allow(p);
                }
                picked
            }
        };
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        // Components and composites share one set of names: a composite
        // saved to a library and added back comes in as `NAME2` (`patchbay_project::fresh_id`).
        let mut taken: HashSet<String> = request
            .doc
            .components
            .iter()
            .map(|c| c.id.clone())
            .chain(request.doc.composites.iter().map(|c| c.name.clone()))
            .collect();
        let mut views = Vec::new();
        for path in paths {
            let path = normalize(&path);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext != "wasm" && ext != "wat" {
                return Err(ApiError::bad_component(format!(
                    "{} is not a .wasm or .wat file",
                    path.display()
                )));
            }
            let loaded = patchbay_inspect::load_file(&path).map_err(|e| {
                ApiError::bad_component(format!("cannot add {}", path.display()))
                    .with_detail(chain(&e))
            })?;
            let info = patchbay_inspect::describe_component(&loaded.bytes, &path).map_err(|e| {
                ApiError::bad_component(format!("cannot read the WIT of {}", path.display()))
                    .with_detail(chain(&e))
            })?;
            let id = unique_id(&component_id_for(&path), &taken);
            taken.insert(id.clone());
            let rel = relative_to(&path, &dir);
            views.push(ComponentView {
                id,
                path: rel.to_string_lossy().replace('\\', "/"),
                abs_path: path.display().to_string(),
                size: loaded.input_size as u64,
                hash: Some(loaded.hash.clone()),
                info: Some(ComponentInfo::from(&info)),
                error: None,
            });
        }
        self.watch_added(&views);
        Ok(views)
    }

    /// Saves the document to `patchbay.toml` (a dialog for "save as").
    ///
    /// A document that would not open again (see
    /// [`model::Project::validate`]) is refused with an error naming the
    /// binding, node or field, and the file is left as it was.
    pub async fn save(&self, request: SaveRequest) -> Result<Saved, ApiError> {
        let manifest = self.manifest()?;
        let mut project = request.doc.to_model().map_err(|e| ApiError {
            message: format!("not saved: {}", e.message),
            ..e
        })?;
        let old_dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        let target = if request.save_as {
            let dialogs = self.dialogs.clone();
            let suggested = manifest.clone();
            let picked = Self::blocking(move || dialogs.pick_save_project(&suggested)).await?;
            let picked = picked.ok_or_else(ApiError::cancelled)?;
            let picked = if picked.is_dir() {
                picked.join(model::MANIFEST_NAME)
            } else {
                picked
            };
            normalize(&picked)
        } else {
            manifest.clone()
        };
        let new_dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
        if new_dir != old_dir {
            // "Save as" may name a folder that does not exist yet.
            std::fs::create_dir_all(&new_dir)
                .map_err(|e| ApiError::io(format!("cannot create {}: {e}", new_dir.display())))?;
            rebase_paths(&mut project, &old_dir, &new_dir);
        }
        for c in project.components.values_mut() {
            let file = new_dir.join(&c.path);
            if let Ok(bytes) = model::read_regular(&file, model::MAX_COMPONENT_BYTES) {
                c.hash = Some(model::content_hash(&bytes));
            }
        }
        // The watcher must not take this save for an outside edit: what is
        // written is remembered under the lock its reports take.
        let mut live = live::lock(&self.live);
        model::save(&project, &target).map_err(|e| match e {
            model::ProjectError::Invalid { problems, .. } => {
                let lines: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
                ApiError::bad_request(format!("not saved: {}", lines.join("; ")))
                    .with_detail(lines.join("\n"))
            }
            e => ApiError::io(format!("cannot save {}", target.display())).with_detail(chain(&e)),
        })?;
        if target == manifest {
            live.remember_manifest();
        }
        drop(live);
        let _ = std::fs::remove_file(self.recovery_path(&manifest));
        if target != manifest {
            self.gate.allow_tree_file(&target);
            for c in project.components.values() {
                self.gate.allow(&new_dir.join(&c.path));
            }
            if let Ok(mut open) = self.open.lock() {
                *open = Some(Open {
                    manifest: target.clone(),
                });
            }
        }
        self.dirty.store(false, Ordering::SeqCst);
        let doc = ProjectDoc::from_model(&project);
        if target != manifest {
            let views: Vec<ComponentView> = project
                .components
                .iter()
                .map(|(id, c)| {
                    let rel = c.path.to_string_lossy().replace('\\', "/");
                    load_view(id, &rel, &normalize(&new_dir.join(&c.path)))
                })
                .collect();
            self.restart_watcher(&target, &views);
        }
        Ok(Saved {
            path: target.display().to_string(),
            doc,
        })
    }

    fn recovery_path(&self, manifest: &Path) -> PathBuf {
        let digest = Sha256::digest(manifest.to_string_lossy().as_bytes());
        let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        self.options
            .state_dir
            .join("recovery")
            .join(format!("{name}.json"))
    }

    fn read_recovery(&self, manifest: &Path, current: &ProjectDoc) -> Option<Recovery> {
        let text = read_text(&self.recovery_path(manifest), MAX_RECOVERY_BYTES)?;
        let file: RecoveryFile = serde_json::from_str(&text).ok()?;
        if file.manifest != manifest.display().to_string() || file.doc == *current {
            return None;
        }
        // The files the user had opened for this document stay open to it
        // (only those it names), so its components load as they did.
        let dir = manifest.parent().unwrap_or(Path::new("."));
        for c in &file.doc.components {
            let path = dir.join(&c.path);
            if file.permitted.iter().any(|p| *p == normalize(&path)) {
                self.gate.allow(&path);
            }
        }
        let components = self
            .workspace(&file.doc)
            .map(|ws| component_views(&ws))
            .unwrap_or_default();
        Some(Recovery {
            doc: file.doc,
            saved_at_ms: file.saved_at_ms,
            components,
        })
    }

    /// Autosaves the document to the recovery file (never to the project).
    /// The file is replaced like the project file is saved (its own
    /// temporary file, synced, renamed; autosaves at the same time take
    /// turns), since it exists to survive a crash.
    pub async fn save_recovery(&self, request: DocRequest) -> Result<(), ApiError> {
        let manifest = self.manifest()?;
        let path = self.recovery_path(&manifest);
        let file = RecoveryFile {
            manifest: manifest.display().to_string(),
            saved_at_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0),
            permitted: {
                let dir = manifest.parent().unwrap_or(Path::new("."));
                request
                    .doc
                    .components
                    .iter()
                    .map(|c| dir.join(&c.path))
                    .filter(|p| self.gate.permits(p))
                    .map(|p| normalize(&p))
                    .collect()
            },
            doc: request.doc,
        };
        let text = serde_json::to_vec_pretty(&file)
            .map_err(|e| ApiError::internal(format!("cannot encode the recovery file: {e}")))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ApiError::io(format!("cannot create {}: {e}", dir.display())))?;
        }
        model::write_atomic(&path, &text)
            .map_err(|e| ApiError::io(format!("cannot write {}: {e}", path.display())))
    }

    /// Deletes the recovery file.
    pub async fn discard_recovery(&self, _request: Empty) -> Result<(), ApiError> {
        let manifest = self.manifest()?;
        match std::fs::remove_file(self.recovery_path(&manifest)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(ApiError::io(format!(
                "cannot delete the recovery file: {e}"
            ))),
        }
    }

    /// Records whether there are unsaved changes.
    pub async fn set_dirty(&self, request: SetDirtyRequest) -> Result<(), ApiError> {
        self.dirty.store(request.dirty, Ordering::SeqCst);
        Ok(())
    }

    /// Closes the window (after the editor asked about unsaved changes).
    pub async fn close_window(&self, _request: Empty) -> Result<(), ApiError> {
        self.stop_serving().await;
        self.dirty.store(false, Ordering::SeqCst);
        self.window.close();
        Ok(())
    }
}

fn component_id_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("component");
    kebab_id(stem, "component")
}

/// `text` as a kebab-case id (`My Thing` → `my-thing`, `2fast` →
/// `c-2fast`), or `fallback` when nothing of it is left.
pub(super) fn kebab_id(text: &str, fallback: &str) -> String {
    let stem = text;
    let mut id = String::new();
    for ch in stem.chars() {
        let ch = ch.to_ascii_lowercase();
        if ch.is_ascii_alphanumeric() {
            id.push(ch);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    // WIT identifiers cannot start with a digit.
    match id.chars().next() {
        None => fallback.into(),
        Some(c) if c.is_ascii_digit() => format!("c-{id}"),
        Some(_) => id,
    }
}

fn unique_id(base: &str, taken: &HashSet<String>) -> String {
    patchbay_project::fresh_id(base, |id| taken.contains(id))
}

fn rebase_paths(project: &mut model::Project, old_dir: &Path, new_dir: &Path) {
    let rebase = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            relative_to(&normalize(&old_dir.join(p)), new_dir)
        }
    };
    // Build commands run in the project's folder: they keep running in the
    // old one, which the command now enters first.
    let old_from_new = relative_to(&normalize(old_dir), new_dir);
    for c in project.components.values_mut() {
        c.path = rebase(&c.path);
        c.watch = c.watch.iter().map(|w| rebase(w)).collect();
        if let Some(build) = &c.build {
            c.build = Some(format!(
                "cd {} && {build}",
                shell_word(&old_from_new.to_string_lossy().replace('\\', "/"))
            ));
        }
    }
    for b in project.bindings.values_mut() {
        if let model::Binding::Grant(g) = b {
            for d in &mut g.dirs {
                d.host = rebase(&d.host);
            }
        }
    }
}

/// `text` as one word of a shell command: as is when it is plain, else in
/// single quotes.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+=:,@".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("../../kv-service"), "../../kv-service");
        assert_eq!(shell_word("../My Stuff"), "'../My Stuff'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn component_ids_are_kebab_case_and_unique() {
        assert_eq!(
            component_id_for(Path::new("/x/kv_memory.wasm")),
            "kv-memory"
        );
        assert_eq!(component_id_for(Path::new("/x/My Thing.wat")), "my-thing");
        assert_eq!(component_id_for(Path::new("/x/2fast.wasm")), "c-2fast");
        let taken: HashSet<String> = ["kv-memory".to_string(), "kv-memory2".to_string()].into();
        assert_eq!(unique_id("kv-memory", &taken), "kv-memory3");
        assert_eq!(unique_id("other", &taken), "other");
        // A second component of a name is still an id the project file
        // takes (`kv-memory-2` was not: a word cannot start with a digit).
        let taken: HashSet<String> = ["kv-memory".to_string(), "svc1".to_string()].into();
        for id in [unique_id("kv-memory", &taken), unique_id("svc1", &taken)] {
            patchbay_project::check_id(&id).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
