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
//! wire), and prepares it with [`Host::prepare`]; the host's compile cache
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
//!             .call(&prepared, r#"handle-request("get a")"#, &Default::default())
//!             .await;
//!         println!("{:?}", report.result);
//!     }
//! }
//! # Ok(()) }
//! ```

use crate::{Event, Host, PrepareError, Prepared};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use patchbay_compose::{Problem, Workspace};
use patchbay_project::ProjectDoc;
use serde::Serialize;
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
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            debounce: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            build_missing: true,
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

/// One `build` command that ran during a reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildRun {
    /// The component whose build command this is.
    pub component: String,
    /// The command, as written in the project file.
    pub command: String,
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its exit status, if it exited (not when killed by a signal or when it
    /// could not start).
    pub status: Option<i32>,
    /// How it ended, for people: `exited with status 3`, `was killed by
    /// signal 9`, `could not start: …`.
    pub ended: String,
    /// Everything it wrote: stdout, then stderr (lossy UTF-8).
    pub output: String,
    /// How long it ran, in milliseconds.
    pub millis: u64,
}

/// Why a reload did not produce a new live state.
#[derive(Debug, Clone, PartialEq)]
pub enum ReloadError {
    /// The project file could not be read or parsed.
    Project(String),
    /// A component's build command failed.
    Build(BuildRun),
    /// The project has errors: a missing or invalid component, a wire that
    /// does not fit, an unbound import …
    Check(Vec<Problem>),
    /// The composition could not be prepared to run (bindings, mocks,
    /// Wasmtime).
    Prepare(String),
}

impl fmt::Display for ReloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReloadError::Project(message) => write!(f, "cannot load the project: {message}"),
            ReloadError::Build(run) => {
                write!(
                    f,
                    "the build of `{}` failed: `{}` {}",
                    run.component, run.command, run.ended
                )?;
                let output = run.output.trim_end();
                if !output.is_empty() {
                    for line in output.lines() {
                        write!(f, "\n  {line}")?;
                    }
                }
                Ok(())
            }
            ReloadError::Check(problems) => {
                f.write_str("the project does not compose:")?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            ReloadError::Prepare(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ReloadError {}

/// The result of one load or reload.
#[derive(Clone)]
pub struct ReloadOutcome {
    /// 0 for the first load when watching starts, then 1, 2, … for each
    /// reload.
    pub number: u64,
    /// The files whose change caused this reload (absolute); empty for the
    /// first load and for [`ProjectWatcher::reload_now`].
    pub changed: Vec<PathBuf>,
    /// The folder of the project file, which [`ReloadOutcome::changed_names`]
    /// is relative to.
    pub project_dir: PathBuf,
    /// The build commands that ran, in project order; a failing one is the
    /// last.
    pub builds: Vec<BuildRun>,
    /// The new live state, or why there is none.
    pub result: Result<Arc<Prepared>, ReloadError>,
    /// On failure: whether an earlier good build stays live (see
    /// [`ProjectWatcher::current`]). Always false on success.
    pub kept_last_good: bool,
    /// Things worth knowing that did not stop the reload: check warnings,
    /// watch paths that do not exist, file watcher errors.
    pub notes: Vec<String>,
}

impl fmt::Debug for ReloadOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReloadOutcome")
            .field("number", &self.number)
            .field("changed", &self.changed)
            .field("builds", &self.builds)
            .field("result", &self.result.as_ref().map(|_| "Prepared"))
            .field("kept_last_good", &self.kept_last_good)
            .field("notes", &self.notes)
            .finish()
    }
}

impl ReloadOutcome {
    /// Whether the reload produced a new live state.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// Whether this is the first load, made when watching started.
    pub fn is_initial(&self) -> bool {
        self.number == 0
    }

    /// The prepared project, if the reload succeeded.
    pub fn prepared(&self) -> Option<&Arc<Prepared>> {
        self.result.as_ref().ok()
    }

    /// The error, if the reload failed.
    pub fn error(&self) -> Option<&ReloadError> {
        self.result.as_ref().err()
    }

    /// The changed files, relative to the project folder where that reads
    /// well (`kv-memory.wasm`, `../wasm/kv-memory.wasm`).
    pub fn changed_names(&self) -> Vec<String> {
        self.changed
            .iter()
            .map(|p| relative_to(p, &self.project_dir))
            .collect()
    }

    /// What happened, for people. A failure ends with `keeping the last good
    /// build` when one stays live.
    pub fn message(&self) -> String {
        let what = if self.is_initial() {
            "loaded".to_string()
        } else if self.changed.is_empty() {
            "reloaded".to_string()
        } else {
            format!(
                "reloaded after changes to {}",
                self.changed_names().join(", ")
            )
        };
        match &self.result {
            Ok(prepared) => {
                let built = self
                    .builds
                    .iter()
                    .map(|b| b.component.as_str())
                    .collect::<Vec<_>>();
                let built = if built.is_empty() {
                    String::new()
                } else {
                    format!("; rebuilt {}", built.join(", "))
                };
                let compiled = match prepared.cache_hit() {
                    crate::CacheHit::Compiled => "compiled",
                    crate::CacheHit::Disk => "compiled code from the disk cache",
                    crate::CacheHit::Memory => "compiled code from the memory cache",
                };
                format!("{what}{built} ({compiled})")
            }
            Err(e) => {
                let kept = if self.kept_last_good {
                    "keeping the last good build"
                } else {
                    "no good build yet; waiting for a change"
                };
                let what = if self.is_initial() {
                    "loading failed".to_string()
                } else if self.changed.is_empty() {
                    "reload failed".to_string()
                } else {
                    format!(
                        "reload after changes to {} failed",
                        self.changed_names().join(", ")
                    )
                };
                format!("{what}: {e}\n{kept}")
            }
        }
    }
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

        let (outcome_tx, outcome_rx) = tokio::sync::mpsc::unbounded_channel();
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
            outcomes: outcome_tx,
            number: 0,
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

/// What the watcher thread is told.
enum Control {
    /// The file watcher saw these paths change.
    Changed(Vec<PathBuf>),
    /// The file watcher reported an error.
    WatchError(String),
    /// Reload without a file change.
    ReloadNow,
    /// Stop watching.
    Stop,
}

/// Whether a file event can mean new content: opening or reading a file
/// (which builds and reloads themselves do) does not.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Changes collected during one quiet period.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    forced: bool,
    notes: Vec<String>,
}

impl Batch {
    /// Adds a message; false if it says to stop.
    fn add(&mut self, control: Control) -> bool {
        match control {
            Control::Changed(paths) => self.paths.extend(paths),
            Control::WatchError(e) => {
                self.notes.push(format!("file watcher: {e}"));
                self.forced = true;
            }
            Control::ReloadNow => self.forced = true,
            Control::Stop => return false,
        }
        true
    }
}

/// What a project asks to watch.
#[derive(Default)]
struct Targets {
    /// Component files (absolute).
    components: BTreeSet<PathBuf>,
    /// Source roots of components with a build command.
    sources: Vec<SourceRoot>,
    /// Folders to register with the file watcher.
    folders: BTreeMap<PathBuf, RecursiveMode>,
    /// Watch paths that could not be watched.
    notes: Vec<String>,
}

struct SourceRoot {
    component: String,
    root: PathBuf,
}

impl Targets {
    fn of(doc: &ProjectDoc, manifest: &Path) -> Self {
        let mut t = Targets::default();
        let mut folders: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        if let Some(dir) = manifest.parent() {
            folders.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
        for (id, component) in &doc.project.components {
            let file = normalize_file(&doc.resolve(&component.path));
            match file.parent() {
                Some(parent) if parent.is_dir() => {
                    folders.push((parent.to_path_buf(), RecursiveMode::NonRecursive))
                }
                Some(parent) => t.notes.push(format!(
                    "component `{id}`: folder {} does not exist; its file is not watched",
                    parent.display()
                )),
                None => {}
            }
            t.components.insert(file);
            if component.build.is_none() {
                continue;
            }
            for watch in &component.watch {
                let root = normalize(&doc.resolve(watch));
                if root.is_dir() {
                    folders.push((root.clone(), RecursiveMode::Recursive));
                } else if root.exists() {
                    if let Some(parent) = root.parent() {
                        folders.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
                    }
                } else {
                    t.notes.push(format!(
                        "component `{id}`: watch path {} does not exist; it is not watched",
                        watch.display()
                    ));
                    continue;
                }
                t.sources.push(SourceRoot {
                    component: id.clone(),
                    root,
                });
            }
        }
        // One registration per folder; a recursive watch covers everything
        // below it.
        let recursive: Vec<PathBuf> = folders
            .iter()
            .filter(|(_, m)| *m == RecursiveMode::Recursive)
            .map(|(p, _)| p.clone())
            .collect();
        for (path, mode) in folders {
            let covered = recursive.iter().any(|r| {
                path.starts_with(r) && (path != *r || mode == RecursiveMode::NonRecursive)
            });
            if covered {
                continue;
            }
            let entry = t.folders.entry(path).or_insert(mode);
            if mode == RecursiveMode::Recursive {
                *entry = mode;
            }
        }
        t
    }

    /// The components whose sources include `path`.
    fn sources_of<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a str> + 'a {
        self.sources
            .iter()
            .filter(move |s| {
                path.strip_prefix(&s.root)
                    .is_ok_and(|rest| !is_ignored(rest) && !is_temp_file(path))
            })
            .map(|s| s.component.as_str())
    }
}

/// Whether a path below a watched source folder is build output or version
/// control data.
fn is_ignored(relative: &Path) -> bool {
    relative.components().any(|c| match c {
        Component::Normal(name) => name == "target" || name == ".git",
        _ => false,
    })
}

/// Whether a file name is an editor's (or an atomic writer's) temporary
/// file.
fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
        || name.contains(".tmp-")
        // `sed -i` writes `sedXXXXXX` next to the file it edits.
        || (name.len() == 9
            && name.starts_with("sed")
            && name[3..].bytes().all(|b| b.is_ascii_alphanumeric()))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swpx",
            ".tmp",
            ".bak",
            ".crswap",
            ".kate-swp",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// What a file looked like when it was last read: enough to tell a real
/// change from a notification about nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    content: u64,
}

fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    // Watched paths are the user's (components, sources, the manifest): a
    // FIFO or device among them must not block the watcher.
    let bytes = patchbay_project::read_regular(path, patchbay_project::MAX_COMPONENT_BYTES).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(Fingerprint {
        len: meta.len(),
        modified: meta.modified().ok(),
        content: hasher.finish(),
    })
}

/// The watcher thread's state.
struct Worker {
    host: Arc<Host>,
    options: WatchOptions,
    manifest: PathBuf,
    dir: PathBuf,
    watcher: RecommendedWatcher,
    registered: BTreeMap<PathBuf, RecursiveMode>,
    targets: Targets,
    fingerprints: HashMap<PathBuf, Option<Fingerprint>>,
    current: Arc<Mutex<Option<Arc<Prepared>>>>,
    outcomes: UnboundedSender<ReloadOutcome>,
    number: u64,
    stop: Arc<AtomicBool>,
    notes: Vec<String>,
}

impl Worker {
    fn run(mut self, control: Receiver<Control>) {
        self.reload(Vec::new(), BTreeSet::new());
        'watching: while let Ok(first) = control.recv() {
            let mut batch = Batch::default();
            if !batch.add(first) {
                break;
            }
            // Coalesce until the files are quiet (or the burst is too long).
            let deadline = Instant::now() + self.options.max_delay;
            loop {
                let wait = self
                    .options
                    .debounce
                    .min(deadline.saturating_duration_since(Instant::now()));
                if wait.is_zero() {
                    break;
                }
                match control.recv_timeout(wait) {
                    Ok(message) => {
                        if !batch.add(message) {
                            break 'watching;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => break 'watching,
                }
            }
            if self.stopped() {
                break;
            }
            self.handle(batch);
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Decides what a batch of changes means, then reloads if it means
    /// anything.
    fn handle(&mut self, batch: Batch) {
        let mut changed = Vec::new();
        let mut to_build = BTreeSet::new();
        for path in batch.paths {
            if path == self.manifest || self.targets.components.contains(&path) {
                let now = fingerprint(&path);
                if self.fingerprints.get(&path) != Some(&now) {
                    changed.push(path);
                }
                continue;
            }
            let mut hit = false;
            for component in self.targets.sources_of(&path) {
                to_build.insert(component.to_string());
                hit = true;
            }
            if hit {
                changed.push(path);
            }
        }
        self.notes.extend(batch.notes);
        if changed.is_empty() && !batch.forced {
            return;
        }
        self.reload(changed, to_build);
    }

    /// Builds what needs building, reloads the project and publishes the
    /// outcome.
    fn reload(&mut self, changed: Vec<PathBuf>, to_build: BTreeSet<String>) {
        let initial = self.number == 0;
        let mut outcome = ReloadOutcome {
            number: self.number,
            changed,
            project_dir: self.dir.clone(),
            builds: Vec::new(),
            result: Err(ReloadError::Prepare(String::new())),
            kept_last_good: false,
            notes: std::mem::take(&mut self.notes),
        };
        self.number += 1;

        // Remember what is read before reading it: a change made while
        // reading then shows up as a difference later.
        self.fingerprints
            .insert(self.manifest.clone(), fingerprint(&self.manifest));
        let doc = match patchbay_project::load(&self.manifest) {
            Ok(doc) => doc,
            Err(e) => {
                outcome.result = Err(ReloadError::Project(error_chain(&e)));
                return self.publish(outcome);
            }
        };
        if let Some(v) = doc.upgraded_from {
            outcome.notes.push(format!(
                "{} is project file version {v}; it was upgraded in memory",
                relative_to(&self.manifest, &self.dir)
            ));
        }
        let targets = Targets::of(&doc, &self.manifest);
        // Say what cannot be watched when it changes, not on every reload.
        if initial || targets.notes != self.targets.notes {
            outcome.notes.extend(targets.notes.iter().cloned());
        }
        self.register(&targets, &mut outcome.notes);
        self.targets = targets;

        for (id, component) in &doc.project.components {
            let Some(command) = &component.build else {
                continue;
            };
            let missing =
                initial && self.options.build_missing && !doc.resolve(&component.path).exists();
            if !to_build.contains(id) && !missing {
                continue;
            }
            if self.stopped() {
                return;
            }
            let run = run_build(doc.dir(), id, command);
            let failed = !run.success;
            outcome.builds.push(run.clone());
            if failed {
                outcome.result = Err(ReloadError::Build(run));
                return self.publish(outcome);
            }
        }

        for file in &self.targets.components {
            self.fingerprints.insert(file.clone(), fingerprint(file));
        }
        if self.stopped() {
            return;
        }
        let ws = Workspace::open(doc);
        outcome.result = match self.host.prepare(&ws) {
            Ok(prepared) => {
                outcome
                    .notes
                    .extend(prepared.composed().warnings.iter().map(|w| w.to_string()));
                Ok(Arc::new(prepared))
            }
            Err(PrepareError::Compose { problems }) => Err(ReloadError::Check(problems)),
            Err(e) => Err(ReloadError::Prepare(error_chain(&e))),
        };
        self.publish(outcome);
    }

    /// Makes the file watcher's registrations match `targets`.
    fn register(&mut self, targets: &Targets, notes: &mut Vec<String>) {
        let stale: Vec<PathBuf> = self
            .registered
            .iter()
            .filter(|(path, mode)| targets.folders.get(*path) != Some(mode))
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            // A folder that was removed is no longer watched anyway.
            let _ = self.watcher.unwatch(&path);
            self.registered.remove(&path);
        }
        for (path, mode) in &targets.folders {
            if self.registered.contains_key(path) {
                continue;
            }
            match self.watcher.watch(path, *mode) {
                Ok(()) => {
                    self.registered.insert(path.clone(), *mode);
                }
                Err(e) => notes.push(format!("cannot watch {}: {e}", path.display())),
            }
        }
    }

    fn publish(&mut self, mut outcome: ReloadOutcome) {
        {
            let mut current = lock(&self.current);
            match &outcome.result {
                Ok(prepared) => *current = Some(prepared.clone()),
                Err(_) => outcome.kept_last_good = current.is_some(),
            }
        }
        if !outcome.is_initial() {
            self.host.events().send(Event::Reloaded {
                changed: outcome.changed_names(),
                ok: outcome.is_ok(),
                message: outcome.message(),
            });
        }
        let _ = self.outcomes.send(outcome);
    }
}

/// Runs a build command in the project folder and captures its output.
fn run_build(dir: &Path, component: &str, command: &str) -> BuildRun {
    let started = Instant::now();
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    };
    #[cfg(not(windows))]
    let mut cmd = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let result = cmd
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output();
    let millis = started.elapsed().as_millis() as u64;
    match result {
        Ok(out) => {
            let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
            if !output.is_empty() && !output.ends_with('\n') && !out.stderr.is_empty() {
                output.push('\n');
            }
            output.push_str(&String::from_utf8_lossy(&out.stderr));
            BuildRun {
                component: component.to_string(),
                command: command.to_string(),
                success: out.status.success(),
                status: out.status.code(),
                ended: describe_exit(&out.status),
                output,
                millis,
            }
        }
        Err(e) => BuildRun {
            component: component.to_string(),
            command: command.to_string(),
            success: false,
            status: None,
            ended: format!("could not start: {e}"),
            output: String::new(),
            millis,
        },
    }
}

fn describe_exit(status: &std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal}");
        }
    }
    format!("ended: {status}")
}

/// `outer: inner: innermost`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An absolute path with symbolic links and `..` resolved as far as the
/// path exists, so it compares equal to the paths file events carry.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Like [`normalize`], but keeps the file name as written: a component file
/// that is a symbolic link is watched as the link, in its folder.
fn normalize_file(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => normalize(parent).join(name),
        _ => normalize(&absolute),
    }
}

/// `path` relative to `base`, with `..` where needed; the path itself if
/// they share nothing.
fn relative_to(path: &Path, base: &Path) -> String {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Only the root in common: an absolute path reads better.
    if common <= 1 {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part.as_os_str());
    }
    out.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_read_well() {
        let base = Path::new("/p/samples/kv-service");
        assert_eq!(
            relative_to(Path::new("/p/samples/kv-service/patchbay.toml"), base),
            "patchbay.toml"
        );
        assert_eq!(
            relative_to(Path::new("/p/samples/wasm/kv-memory.wasm"), base),
            "../wasm/kv-memory.wasm"
        );
        assert_eq!(relative_to(Path::new("/q/x.wasm"), base), "/q/x.wasm");
    }

    #[test]
    fn temp_files_and_build_output_are_ignored() {
        for name in [
            "a.rs~",
            ".#a.rs",
            "#a.rs#",
            "4913",
            "a.rs.swp",
            ".x.wasm.tmp-12",
        ] {
            assert!(is_temp_file(Path::new(name)), "{name}");
        }
        for name in ["lib.rs", "world.wit", "Cargo.toml"] {
            assert!(!is_temp_file(Path::new(name)), "{name}");
        }
        assert!(is_ignored(Path::new("target/debug/x")));
        assert!(is_ignored(Path::new("sub/target/x")));
        assert!(!is_ignored(Path::new("src/lib.rs")));
    }

    #[test]
    fn opening_a_file_is_not_a_change() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn normalize_resolves_missing_tails() {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        let p = normalize(&dir.join("does-not-exist/../x/y"));
        assert_eq!(p, dir.join("x/y"));
    }
}
