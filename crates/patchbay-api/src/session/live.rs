//! Live reload in the app: the host's [`ProjectWatcher`] (the one watcher,
//! which `patchbay watch` uses too) in [`WatchMode::Build`], and its
//! outcomes turned into [`AppEvent`]s.
//!
//! The watcher runs a component's `build` command when its watched sources
//! change (the host reports [`AppEvent::BuildStarted`] and
//! [`AppEvent::BuildFinished`] with the output) and reads the files; it does
//! not compose, because the app's document lives in the editor and may be
//! unsaved. Here:
//! - a component file with new content becomes [`AppEvent::ComponentChanged`]
//!   with its reloaded view and a sentence on how its ports changed;
//! - an edit of `patchbay.toml` made outside the app becomes
//!   [`AppEvent::ProjectChanged`] with the document the file now holds, or
//!   the error that keeps it from opening. The session's own saves are no
//!   outside edits: the file's content is compared with what the session
//!   last read, wrote or reported ([`Live::known`]), under the same lock
//!   [`Session::save`] holds while it writes.

use super::*;
use crate::error::chain;
use crate::paths::{normalize, relative_to};
use crate::views::load_view;
use patchbay_host::watch::{ProjectWatcher, ReloadOutcome, WatchMode, WatchOptions};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// How long opening a project waits for the watcher's first load.
const FIRST_LOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// What the watcher's reports are compared with.
#[derive(Default)]
pub(super) struct Live {
    /// Bumped on every restart: a report of an older watcher is dropped.
    generation: u64,
    /// The project file being watched (absolute).
    manifest: PathBuf,
    /// The digest of the project file as the session last read, wrote or
    /// reported it.
    known: Option<Vec<u8>>,
    /// The last good view of each component file, by absolute path.
    views: HashMap<PathBuf, ComponentView>,
}

impl Live {
    /// Remembers the project file's content as it is now (after a save).
    pub(super) fn remember_manifest(&mut self) {
        self.known = digest_of(&self.manifest);
    }
}

/// The project file's digest, `None` when it cannot be read.
fn digest_of(path: &Path) -> Option<Vec<u8>> {
    let bytes = model::read_regular(path, model::MAX_MANIFEST_BYTES).ok()?;
    Some(Sha256::digest(&bytes).to_vec())
}

/// What a report needs of the session.
#[derive(Clone)]
struct Bridge {
    generation: u64,
    live: Arc<Mutex<Live>>,
    events: Arc<dyn EventSink>,
    gate: Arc<PathGate>,
}

impl Session {
    /// Watches the project at `manifest` from now on, with `components` as
    /// the files' current views; the previous watcher stops.
    pub(super) fn restart_watcher(&self, manifest: &Path, components: &[ComponentView]) {
        let generation = {
            let mut live = lock(&self.live);
            live.generation += 1;
            live.manifest = normalize(manifest);
            live.known = digest_of(&live.manifest);
            live.views = components
                .iter()
                .filter(|v| v.error.is_none())
                .map(|v| (normalize(Path::new(&v.abs_path)), v.clone()))
                .collect();
            live.generation
        };
        let Ok(mut slot) = self.watcher.lock() else {
            return;
        };
        // Stop the old watcher before the new one starts.
        *slot = None;
        let bridge = Bridge {
            generation,
            live: self.live.clone(),
            events: self.events.clone(),
            gate: self.gate.clone(),
        };
        let options = WatchOptions {
            debounce: self
                .options
                .watch_debounce
                .unwrap_or(WatchOptions::default().debounce),
            // Opening a project runs nothing; an edit does.
            build_missing: false,
            mode: WatchMode::Build,
            ..WatchOptions::default()
        };
        // The first load registers what to watch: wait for it (briefly), so
        // an edit right after the project opened is seen.
        let (loaded_tx, loaded_rx) = std::sync::mpsc::channel();
        let started =
            ProjectWatcher::start_reporting(self.host.clone(), manifest, options, move |o| {
                if o.is_initial() {
                    let _ = loaded_tx.send(());
                }
                bridge.report(&o)
            });
        match started {
            Ok(w) => {
                *slot = Some(w);
                let _ = loaded_rx.recv_timeout(FIRST_LOAD_WAIT);
            }
            Err(e) => eprintln!("patchbay: live reload is off: {e}"),
        }
    }

    /// Watches component files the editor added (not in the project file
    /// yet).
    pub(super) fn watch_added(&self, views: &[ComponentView]) {
        {
            let mut live = lock(&self.live);
            for v in views {
                live.views
                    .insert(normalize(Path::new(&v.abs_path)), v.clone());
            }
        }
        if let Ok(slot) = self.watcher.lock() {
            if let Some(w) = slot.as_ref() {
                w.add_components(
                    views
                        .iter()
                        .map(|v| (v.id.clone(), PathBuf::from(&v.abs_path)))
                        .collect(),
                );
            }
        }
    }
}

impl Bridge {
    fn report(&self, outcome: &ReloadOutcome) {
        let mut live = lock(&self.live);
        if live.generation != self.generation || outcome.is_initial() {
            return;
        }
        let manifest = live.manifest.clone();
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        if outcome.changed.iter().any(|p| normalize(p) == manifest) {
            let now = digest_of(&manifest);
            if now != live.known {
                live.known = now;
                let event = project_changed(&manifest, &mut live, &self.gate);
                self.events.emit(event);
            }
        }
        for changed in &outcome.components {
            let file = normalize(&changed.file);
            let before = live.views.get(&file).cloned();
            let rel = before.as_ref().map(|v| v.path.clone()).unwrap_or_else(|| {
                relative_to(&file, &dir)
                    .to_string_lossy()
                    .replace('\\', "/")
            });
            let view = load_view(&changed.id, &rel, &file);
            if view.error.is_none()
                && before.as_ref().and_then(|b| b.hash.as_ref()) == view.hash.as_ref()
            {
                continue;
            }
            let message = change_message(before.as_ref(), &view, &file);
            if view.error.is_none() {
                live.views.insert(file, view.clone());
            }
            self.events.emit(AppEvent::ComponentChanged {
                component: view,
                message,
            });
        }
    }
}

/// The project file as it is now on disk, for [`AppEvent::ProjectChanged`].
fn project_changed(manifest: &Path, live: &mut Live, gate: &PathGate) -> AppEvent {
    let path = manifest.display().to_string();
    let name = manifest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.clone());
    let loaded = match model::load(manifest) {
        Ok(loaded) => loaded,
        Err(e) => {
            let error = chain(&e);
            let first = error.lines().next().unwrap_or(&error).to_string();
            return AppEvent::ProjectChanged {
                path,
                doc: None,
                components: Vec::new(),
                error: Some(error),
                message: format!("{name} changed on disk but does not open: {first}"),
            };
        }
    };
    let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    // The user's own project file names these: the editor may read them,
    // as when the project was opened.
    let components: Vec<ComponentView> = loaded
        .project
        .components
        .iter()
        .map(|(id, c)| {
            let file = normalize(&dir.join(&c.path));
            gate.allow(&file);
            load_view(id, &c.path.to_string_lossy().replace('\\', "/"), &file)
        })
        .collect();
    for v in components.iter().filter(|v| v.error.is_none()) {
        live.views
            .insert(normalize(Path::new(&v.abs_path)), v.clone());
    }
    AppEvent::ProjectChanged {
        path,
        doc: Some(ProjectDoc::from_model(&loaded.project)),
        components,
        error: None,
        message: format!("{name} changed on disk; reloaded"),
    }
}

/// One line for a toast: which file, and how its ports changed.
pub(crate) fn change_message(
    before: Option<&ComponentView>,
    after: &ComponentView,
    path: &Path,
) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if let Some(e) = &after.error {
        let first = e.lines().next().unwrap_or(e);
        let kept = if before.is_some() {
            "; the last good build stays"
        } else {
            ""
        };
        return format!("{file} changed but does not load: {first}{kept}");
    }
    let names = |v: Option<&ComponentView>| -> (HashSet<String>, HashSet<String>) {
        v.and_then(|v| v.info.as_ref())
            .map(|i| {
                (
                    i.imports.iter().map(|p| p.name.clone()).collect(),
                    i.exports.iter().map(|p| p.name.clone()).collect(),
                )
            })
            .unwrap_or_default()
    };
    let (bi, be) = names(before);
    let (ai, ae) = names(Some(after));
    let mut parts = Vec::new();
    let mut diff = |label: &str, a: &HashSet<String>, b: &HashSet<String>| {
        let mut added: Vec<_> = a.difference(b).cloned().collect();
        added.sort();
        if !added.is_empty() {
            parts.push(format!("{label} {}", added.join(", ")));
        }
    };
    diff("new import", &ai, &bi);
    diff("removed import", &bi, &ai);
    diff("new export", &ae, &be);
    diff("removed export", &be, &ae);
    if parts.is_empty() {
        format!(
            "{file} changed on disk; ports unchanged, reloaded `{}`",
            after.id
        )
    } else {
        format!("{file} changed on disk: {}", parts.join("; "))
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
