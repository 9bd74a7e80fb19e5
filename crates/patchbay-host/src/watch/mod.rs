//! Live reload: a project that rebuilds, re-checks and recomposes itself
//! when its files change.
//!
//! A [`ProjectWatcher`] watches, with the operating system's file
//! notifications:
//! - the project file (`patchbay.toml`);
//! - every component file the project names;
//! - every `watch` path (a source file or folder) of the components that have
//!   a `build` command.
//!
//! Bursts of changes are coalesced: a reload starts once the files have been
//! quiet for [`WatchOptions::debounce`] (200 ms by default). Changes inside
//! `target/` and `.git/` folders of watched sources and editor temporary
//! files (`*.swp`, `*~`, `.#*`, `#*#`, `4913`, `*.tmp`, `sed -i`'s
//! `sedXXXXXX` …) are ignored, and
//! so is a component or project file whose content and modification time
//! are what the last reload read (a build that rewrites its output with the
//! same bytes, or a build output that landed before the reload read it).
//!
//! A reload runs, in the project folder, the `build` command (`sh -c CMD`,
//! output captured) of each component whose watched sources changed, reads
//! the project file again, opens the [`Workspace`] (which checks every
//! wire), and prepares it with [`Host::prepare_composed`]; the host's compile cache
//! keeps unchanged work cheap. Each reload ends in a [`ReloadOutcome`]: the
//! changed files, the builds that ran, and either the new [`Prepared`] or a
//! [`ReloadError`] (the project file's error, the failing build's output,
//! the check problems, or the prepare error). A failed reload never replaces
//! the live state: [`ProjectWatcher::current`] keeps answering with the last
//! good build. Every reload is also sent as [`Event::Reloaded`] on the
//! host's event sink.
//!
//! The watcher runs on its own thread, so builds and compiles never block an
//! async runtime; outcomes arrive on a channel:
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use std::sync::Arc;
//! let host = Arc::new(patchbay_host::Host::new(Default::default())?);
//! let mut watcher =
//!     patchbay_host::watch::ProjectWatcher::start(host.clone(), "samples/kv-service".as_ref())?;
//! while let Some(outcome) = watcher.next_reload().await {
//!     println!("{}", outcome.message());
//!     if let Some(prepared) = watcher.current() {
//!         let report = host
//!             .run_composed(&prepared, r#"handle-request("get a")"#, &Default::default())
//!             .await;
//!         println!("{:?}", report.result);
//!     }
//! }
//! # Ok(()) }
//! ```

mod build;
mod outcome;
mod paths;
mod worker;

use build::*;
pub use outcome::{BuildRun, ChangedComponent, ReloadError, ReloadOutcome, Reloaded};
use paths::*;
use worker::*;

use crate::{Event, Host, PrepareError, Prepared};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use patchbay_compose::{Problem, Workspace};
use patchbay_project::LoadedProject;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// How a [`ProjectWatcher`] behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchOptions {
    /// How long the files must be quiet before a reload starts; changes
    /// within this time are coalesced into one reload.
    pub debounce: Duration,
    /// The longest a continuous burst of changes may defer a reload.
    pub max_delay: Duration,
    /// Whether the first load runs the `build` command of components whose
    /// file does not exist yet.
    pub build_missing: bool,
    /// How far a reload goes: up to a prepared project (the command line),
    /// or up to the builds and the files read (the desktop app).
    pub mode: WatchMode,
}

/// How far a reload goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WatchMode {
    /// Build, read the project, compose and prepare it with
    /// [`Host::prepare_composed`]; a good reload becomes [`ProjectWatcher::current`].
    /// What `patchbay watch` uses.
    #[default]
    Prepare,
    /// Build and read the project file, but do not compose: a good reload
    /// ends in [`Reloaded::Built`] and [`ProjectWatcher::current`] stays
    /// `None`. For a front end that composes a document of its own (the
    /// desktop app, whose document may be unsaved).
    Build,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            debounce: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            build_missing: true,
            mode: WatchMode::Prepare,
        }
    }
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The folder of the project file does not exist.
    #[error("cannot watch {}: the folder does not exist", path.display())]
    NoFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The operating system's file watcher could not be set up.
    #[error("cannot watch {}: {source}", path.display())]
    Notify {
        /// What was to be watched.
        path: PathBuf,
        /// The watcher's error.
        #[source]
        source: notify::Error,
    },
    /// The watcher thread could not be started.
    #[error("cannot start the watcher thread: {0}")]
    Thread(#[source] std::io::Error),
}

/// A project kept live: watched, rebuilt, re-checked and recomposed on every
/// change. See the [module documentation](self).
///
/// Dropping the watcher stops watching; a build that is running finishes in
/// the background, and its result is dropped.
pub struct ProjectWatcher {
    host: Arc<Host>,
    manifest: PathBuf,
    control: Sender<Control>,
    outcomes: UnboundedReceiver<ReloadOutcome>,
    current: Arc<Mutex<Option<Arc<Prepared>>>>,
    stop: Arc<AtomicBool>,
}

impl ProjectWatcher {
    /// Starts watching the project at `project` (a folder or its
    /// `patchbay.toml`) with the default [`WatchOptions`].
    ///
    /// The first load happens on the watcher's thread and arrives as the
    /// first [`ReloadOutcome`] (number 0). A broken or missing project file
    /// is not an error here: it is reported in that outcome, and the watcher
    /// waits for it to be fixed.
    pub fn start(host: Arc<Host>, project: &Path) -> Result<Self, WatchError> {
        Self::start_with(host, project, WatchOptions::default())
    }

    /// Like [`ProjectWatcher::start`], with options.
    pub fn start_with(
        host: Arc<Host>,
        project: &Path,
        options: WatchOptions,
    ) -> Result<Self, WatchError> {
        let (outcome_tx, outcome_rx) = tokio::sync::mpsc::unbounded_channel();
        Self::spawn(
            host,
            project,
            options,
            Report::Channel(outcome_tx),
            outcome_rx,
        )
    }

    /// Like [`ProjectWatcher::start_with`], but every outcome is handed to
    /// `report` on the watcher's thread, in order, instead of arriving on
    /// [`ProjectWatcher::next_reload`] (which then returns `None`). The
    /// watcher waits for `report` before it looks at the next change, so
    /// `report` may do blocking work such as reading component files.
    pub fn start_reporting(
        host: Arc<Host>,
        project: &Path,
        options: WatchOptions,
        report: impl FnMut(ReloadOutcome) + Send + 'static,
    ) -> Result<Self, WatchError> {
        // A channel whose sender is gone: `next_reload` answers `None`.
        let (_, outcome_rx) = tokio::sync::mpsc::unbounded_channel();
        Self::spawn(
            host,
            project,
            options,
            Report::Callback(Box::new(report)),
            outcome_rx,
        )
    }

    fn spawn(
        host: Arc<Host>,
        project: &Path,
        options: WatchOptions,
        report: Report,
        outcome_rx: UnboundedReceiver<ReloadOutcome>,
    ) -> Result<Self, WatchError> {
        let manifest = patchbay_project::manifest_path(project);
        let manifest = normalize_file(&manifest);
        let dir = manifest.parent().unwrap_or(Path::new("/")).to_path_buf();
        if !dir.is_dir() {
            return Err(WatchError::NoFolder { path: dir });
        }
        let (control_tx, control_rx) = mpsc::channel();
        let notify_tx = control_tx.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let message = match res {
                Ok(event) if is_change(&event.kind) && !event.paths.is_empty() => {
                    Control::Changed(event.paths)
                }
                Ok(_) => return,
                Err(e) => Control::WatchError(e.to_string()),
            };
            let _ = notify_tx.send(message);
        })
        .map_err(|source| WatchError::Notify {
            path: manifest.clone(),
            source,
        })?;
        // The project folder is always watched, so a project file that is
        // missing or broken now is seen when it is fixed.
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError::Notify {
                path: dir.clone(),
                source,
            })?;
        let mut registered = BTreeMap::new();
        registered.insert(dir.clone(), RecursiveMode::NonRecursive);

        let current = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            host: host.clone(),
            options,
            manifest: manifest.clone(),
            dir,
            watcher,
            registered,
            targets: Targets::default(),
            fingerprints: HashMap::new(),
            current: current.clone(),
            report,
            number: 0,
            good_before: false,
            extra: BTreeMap::new(),
            stop: stop.clone(),
            notes: Vec::new(),
        };
        std::thread::Builder::new()
            .name("patchbay-watch".into())
            .spawn(move || worker.run(control_rx))
            .map_err(WatchError::Thread)?;
        Ok(Self {
            host,
            manifest,
            control: control_tx,
            outcomes: outcome_rx,
            current,
            stop,
        })
    }

    /// Waits for the next load or reload. `None` once the watcher has
    /// stopped.
    pub async fn next_reload(&mut self) -> Option<ReloadOutcome> {
        self.outcomes.recv().await
    }

    /// [`ProjectWatcher::next_reload`] for synchronous code. Panics if
    /// called from within an async runtime.
    pub fn blocking_next_reload(&mut self) -> Option<ReloadOutcome> {
        self.outcomes.blocking_recv()
    }

    /// The next outcome if one has arrived, without waiting.
    pub fn try_next_reload(&mut self) -> Option<ReloadOutcome> {
        self.outcomes.try_recv().ok()
    }

    /// The live state: the last project that prepared successfully, or
    /// `None` if none has yet. Failed reloads leave it unchanged.
    pub fn current(&self) -> Option<Arc<Prepared>> {
        lock(&self.current).clone()
    }

    /// Asks for a reload now, as if every file had changed (no build
    /// commands run). Its outcome arrives like any other.
    pub fn reload_now(&self) {
        let _ = self.control.send(Control::ReloadNow);
    }

    /// Watches component files beyond the ones the project file names (the
    /// desktop app's editor may hold components not saved yet): each is
    /// `(component id, file)`. Their changes are reported in
    /// [`ReloadOutcome::components`] like the project's own; a file the
    /// project file names anyway is watched once.
    ///
    /// Each file's content is read here, as the baseline: a change made
    /// right after this call is reported.
    pub fn add_components(&self, files: Vec<(String, PathBuf)>) {
        if files.is_empty() {
            return;
        }
        let files = files
            .into_iter()
            .map(|(id, file)| {
                let file = normalize_file(&file);
                let read = fingerprint(&file);
                (id, file, read)
            })
            .collect();
        let _ = self.control.send(Control::AddComponents(files));
    }

    /// The project file being watched (absolute).
    pub fn manifest(&self) -> &Path {
        &self.manifest
    }

    /// The host the project is prepared in.
    pub fn host(&self) -> &Arc<Host> {
        &self.host
    }
}

impl Drop for ProjectWatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.control.send(Control::Stop);
    }
}

impl fmt::Debug for ProjectWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProjectWatcher")
            .field("manifest", &self.manifest)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
