//! The editor's session: the open project, what the user has permitted, the
//! embedded host, the HTTP server and the file watcher.
//!
//! One module per area: `project` (start, open, add components, save,
//! recovery, close), `new_project` (an empty project, the sample
//! components), `edit` (checks while editing), `analysis` (checking and
//! composing), `run` (running and serving), `instance` (the run panel's live
//! session), `export` and its `deploy` targets, `composite` (group and
//! ungroup nodes, write a composite alone). Each adds its
//! commands to [`Session`]. `live` bridges the host's file watcher to the
//! page's events.

mod analysis;
mod composite;
mod deploy;
mod edit;
mod export;
mod import;
mod instance;
mod live;
mod new_project;
mod project;
mod run;

pub use new_project::create_project;

use crate::dto::*;
use crate::paths::PathGate;
use crate::shell::{Dialogs, EventSink, WindowControl};
use crate::ApiError;
use patchbay_compose::Workspace;
use patchbay_host::watch::ProjectWatcher;
use patchbay_host::{Host, HostOptions, Runnable};
use patchbay_project as model;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Where the session keeps its state and what it starts with.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Recovery files, the first-start marker and the last project.
    pub state_dir: PathBuf,
    /// The repository's `samples/` folder, if known: on first start the
    /// kv-service sample opens.
    pub samples_dir: Option<PathBuf>,
    /// A project named on the command line.
    pub startup_project: Option<PathBuf>,
    /// Engine settings of the embedded host.
    pub host: HostOptions,
    /// How long file changes settle before a reload.
    pub watch_debounce: Option<std::time::Duration>,
}

struct Open {
    manifest: PathBuf,
}

struct ServeHandle {
    info: ServeInfo,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// The state behind every command.
pub struct Session {
    options: SessionOptions,
    host: Arc<Host>,
    dialogs: Arc<dyn Dialogs>,
    events: Arc<dyn EventSink>,
    window: Arc<dyn WindowControl>,
    open: Mutex<Option<Open>>,
    gate: Arc<PathGate>,
    export_dirs: Mutex<HashSet<PathBuf>>,
    dirty: AtomicBool,
    runnable: Mutex<Option<(String, Arc<Runnable>)>>,
    instance: tokio::sync::Mutex<instance::Instance>,
    serving: tokio::sync::Mutex<Option<ServeHandle>>,
    watcher: Mutex<Option<ProjectWatcher>>,
    live: Arc<Mutex<live::Live>>,
}

/// The largest recovery file read back: the document as JSON is a few
/// times the size of its `patchbay.toml`.
const MAX_RECOVERY_BYTES: u64 = 4 * model::MAX_MANIFEST_BYTES;

/// The largest `last-project` state file read (it holds one path).
const MAX_LAST_PROJECT_BYTES: u64 = 64 << 10;

/// Reads a text file through [`model::read_regular`]: `None` when it is
/// missing, not a regular file, larger than `max_bytes` or not UTF-8.
fn read_text(path: &Path, max_bytes: u64) -> Option<String> {
    let bytes = model::read_regular(path, max_bytes).ok()?;
    String::from_utf8(bytes).ok()
}

#[derive(Serialize, Deserialize)]
struct RecoveryFile {
    manifest: String,
    saved_at_ms: u64,
    doc: ProjectDoc,
    /// The component files of `doc` the user had opened when it was
    /// autosaved (a component added in the editor is not in the project
    /// file): permitted again when the document is recovered.
    #[serde(default)]
    permitted: Vec<PathBuf>,
}

impl Session {
    /// Starts a session: creates the embedded host and forwards its events.
    pub fn new(
        options: SessionOptions,
        dialogs: Arc<dyn Dialogs>,
        events: Arc<dyn EventSink>,
        window: Arc<dyn WindowControl>,
    ) -> Result<Self, ApiError> {
        let host = Host::new(options.host.clone())
            .map_err(|e| ApiError::internal(format!("cannot start the Wasmtime host: {e}")))?;
        let host = Arc::new(host);
        let mut rx = host.subscribe();
        let sink = events.clone();
        std::thread::Builder::new()
            .name("patchbay-events".into())
            .spawn(move || loop {
                match rx.blocking_recv() {
                    Ok(event) => {
                        if let Some(e) = AppEvent::from_host(&event) {
                            sink.emit(e);
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            })
            .map_err(|e| ApiError::internal(format!("cannot start the event thread: {e}")))?;
        let gate = Arc::new(PathGate::default());
        if let Some(p) = &options.startup_project {
            gate.allow_tree_file(&patchbay_project::manifest_path(p));
        }
        Ok(Self {
            options,
            host,
            dialogs,
            events,
            window,
            open: Mutex::new(None),
            gate,
            export_dirs: Mutex::new(HashSet::new()),
            dirty: AtomicBool::new(false),
            runnable: Mutex::new(None),
            instance: tokio::sync::Mutex::default(),
            serving: tokio::sync::Mutex::new(None),
            watcher: Mutex::new(None),
            live: Arc::new(Mutex::new(live::Live::default())),
        })
    }

    /// Permits a file the user dropped on the window.
    pub fn allow_path(&self, path: &Path) {
        self.gate.allow(path);
    }

    /// Whether the editor reported unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::SeqCst)
    }

    /// The embedded host.
    pub fn host(&self) -> &Arc<Host> {
        &self.host
    }

    fn busy<T>(&self, task: &str, f: impl FnOnce() -> T) -> T {
        self.events.emit(AppEvent::Busy {
            task: task.into(),
            busy: true,
        });
        let out = f();
        self.events.emit(AppEvent::Busy {
            task: task.into(),
            busy: false,
        });
        out
    }

    fn manifest(&self) -> Result<PathBuf, ApiError> {
        self.open
            .lock()
            .map_err(|_| ApiError::internal("session lock poisoned"))?
            .as_ref()
            .map(|o| o.manifest.clone())
            .ok_or_else(ApiError::not_open)
    }

    /// Builds the workspace of `doc`, refusing component files the user
    /// never opened. The document's own rules are not applied here, so
    /// queries made while a binding is still a draft work; [`Self::analyze`]
    /// reports what breaks them and [`Self::save`] refuses it.
    fn workspace(&self, doc: &ProjectDoc) -> Result<Workspace, ApiError> {
        Ok(self.workspace_of(doc)?)
    }

    /// [`Self::workspace`], telling a document whose ids are not kebab-case
    /// (which analysis reports at their place) from other refusals. A
    /// component file the user never opened is not read: analysis reports
    /// it at the component, with the fix (locate the file, or remove the
    /// nodes that use it), so the editor's status and problems agree.
    fn workspace_of(&self, doc: &ProjectDoc) -> Result<Workspace, NotAModel> {
        let manifest = self.manifest()?;
        let project = doc.to_model_unchecked()?;
        Ok(Workspace::open_with(
            model::LoadedProject {
                path: manifest,
                project,
                upgraded_from: None,
            },
            |id, path| {
                (!self.gate.permits(path)).then(|| {
                    format!(
                        "component `{id}` points at {}, which was not opened in Patchbay this session; locate the file (\"Add component…\", or drop it on the window) or remove the nodes that use it",
                        path.display()
                    )
                })
            },
        ))
    }

    async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::internal(format!("a background task failed: {e}")))
    }
}
