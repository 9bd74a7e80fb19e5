//! Live mode: watches the project's component files and reports each change
//! as a [`AppEvent::ComponentChanged`] with the reloaded ports.

use crate::dto::{AppEvent, ComponentView};
use crate::shell::EventSink;
use crate::views::load_view;
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

struct Watched {
    id: String,
    rel: String,
    last: Option<ComponentView>,
}

type Files = Arc<Mutex<HashMap<PathBuf, Watched>>>;

/// Watches component files. Folders are watched rather than files, because
/// builds usually replace a file (a new inode) instead of rewriting it.
pub struct ComponentWatcher {
    watcher: Mutex<notify::RecommendedWatcher>,
    dirs: Mutex<HashSet<PathBuf>>,
    files: Files,
}

impl ComponentWatcher {
    /// Starts watching `(id, path as written, absolute path)` triples.
    pub fn start(
        files: Vec<(String, String, PathBuf)>,
        events: Arc<dyn EventSink>,
        debounce: Duration,
    ) -> notify::Result<Self> {
        let (tx, rx) = mpsc::channel::<PathBuf>();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if matches!(
                    event.kind,
                    notify::EventKind::Create(_) | notify::EventKind::Modify(_)
                ) {
                    for p in event.paths {
                        let _ = tx.send(p);
                    }
                }
            }
        })?;
        let this = Self {
            watcher: Mutex::new(watcher),
            dirs: Mutex::new(HashSet::new()),
            files: Arc::new(Mutex::new(HashMap::new())),
        };
        for (id, rel, abs) in files {
            this.add(id, rel, abs);
        }
        let files = this.files.clone();
        std::thread::Builder::new()
            .name("patchbay-watch".into())
            .spawn(move || settle_and_report(rx, files, events, debounce))
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        Ok(this)
    }

    /// Adds a component file.
    pub fn add(&self, id: String, rel: String, abs: PathBuf) {
        let last = Some(load_view(&id, &rel, &abs));
        if let Some(dir) = abs.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            if dir.is_dir() && dirs.insert(dir.to_path_buf()) {
                let mut w = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
                if let Err(e) = w.watch(dir, RecursiveMode::NonRecursive) {
                    eprintln!("patchbay: cannot watch {}: {e}", dir.display());
                }
            }
        }
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(abs, Watched { id, rel, last });
    }
}

/// Collects changed paths until none arrived for `debounce`, then reloads
/// each changed component once. Ends when the watcher is dropped.
fn settle_and_report(
    rx: mpsc::Receiver<PathBuf>,
    files: Files,
    events: Arc<dyn EventSink>,
    debounce: Duration,
) {
    while let Ok(first) = rx.recv() {
        let mut changed = HashSet::from([first]);
        while let Ok(p) = rx.recv_timeout(debounce) {
            changed.insert(p);
        }
        let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
        for path in changed {
            let key = crate::paths::normalize(&path);
            let Some(w) = files.get_mut(&key) else {
                continue;
            };
            let view = load_view(&w.id, &w.rel, &key);
            if w.last.as_ref().and_then(|l| l.hash.clone()) == view.hash && view.error.is_none() {
                continue;
            }
            let message = change_message(w.last.as_ref(), &view, &key);
            w.last = Some(view.clone());
            events.emit(AppEvent::ComponentChanged {
                component: view,
                message,
            });
        }
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
        return format!("{file} changed but does not load: {first}");
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
