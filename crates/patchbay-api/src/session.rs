//! The editor's session: the open project, what the user has permitted, the
//! embedded host, the HTTP server and the file watcher.

use crate::dto::*;
use crate::error::chain;
use crate::paths::{normalize, relative_to, PathGate};
use crate::watch::ComponentWatcher;
use crate::ApiError;
use patchbay_compose::Workspace;
use patchbay_host::{Host, HostOptions, Runnable};
use patchbay_project as model;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Native dialogs. They block until the user answers; the session calls
/// them from a blocking thread.
pub trait Dialogs: Send + Sync + 'static {
    /// A `patchbay.toml`, or a folder holding one.
    fn pick_project(&self) -> Option<PathBuf>;
    /// `.wasm` / `.wat` files.
    fn pick_components(&self) -> Vec<PathBuf>;
    /// Where to save the project file.
    fn pick_save_project(&self, suggested: &Path) -> Option<PathBuf>;
    /// A folder to export into.
    fn pick_folder(&self, start: &Path) -> Option<PathBuf>;
}

/// Receives the session's events (the shell forwards them to the page).
pub trait EventSink: Send + Sync + 'static {
    /// Delivers one event.
    fn emit(&self, event: AppEvent);
}

/// The window the session belongs to.
pub trait WindowControl: Send + Sync + 'static {
    /// Closes the window for good (the user confirmed).
    fn close(&self);
}

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
    serving: tokio::sync::Mutex<Option<ServeHandle>>,
    watcher: Mutex<Option<ComponentWatcher>>,
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
            serving: tokio::sync::Mutex::new(None),
            watcher: Mutex::new(None),
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
        let manifest = self.manifest()?;
        let project = doc.to_model_unchecked()?;
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        for (id, c) in &project.components {
            let path = dir.join(&c.path);
            if !self.gate.permits(&path) {
                return Err(ApiError::not_permitted(format!(
                    "component `{id}` points at {}, which was not opened in Patchbay; add it with \"Add component…\" or by dropping it on the window",
                    path.display()
                )));
            }
        }
        Ok(Workspace::open(model::ProjectDoc {
            path: manifest,
            project,
            upgraded_from: None,
        }))
    }

    async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::internal(format!("a background task failed: {e}")))
    }

    // -----------------------------------------------------------------------
    // Commands

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

    fn open_path(&self, path: &Path) -> Result<OpenedProject, ApiError> {
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
        self.restart_watcher(&manifest, &doc);
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

    fn restart_watcher(&self, manifest: &Path, doc: &ProjectDoc) {
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        let files = doc
            .components
            .iter()
            .map(|c| (c.id.clone(), c.path.clone(), normalize(&dir.join(&c.path))))
            .collect();
        let Ok(mut slot) = self.watcher.lock() else {
            return;
        };
        *slot = None;
        match ComponentWatcher::start(
            files,
            self.events.clone(),
            self.options
                .watch_debounce
                .unwrap_or(std::time::Duration::from_millis(200)),
        ) {
            Ok(w) => *slot = Some(w),
            Err(e) => eprintln!("patchbay: live reload is off: {e}"),
        }
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
        let mut taken: HashSet<String> = request
            .doc
            .components
            .iter()
            .map(|c| c.id.clone())
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
        if let Ok(slot) = self.watcher.lock() {
            if let Some(w) = slot.as_ref() {
                for v in &views {
                    w.add(v.id.clone(), v.path.clone(), PathBuf::from(&v.abs_path));
                }
            }
        }
        Ok(views)
    }

    /// Checks and composes `doc`.
    pub async fn analyze(&self, request: DocRequest) -> Result<Analysis, ApiError> {
        let ws = self.workspace(&request.doc)?;
        Ok(analyze(&ws))
    }

    /// The ports a wire from `port` can reach.
    pub async fn candidates(&self, request: CandidatesRequest) -> Result<Candidates, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let port = request.port.to_model()?;
        let part = ws.node_part(&port.node).ok_or_else(|| {
            ApiError::bad_request(format!("node `{}` has no loaded component", port.node))
        })?;
        let direction = if part.import(&port.port).is_some() {
            Direction::Import
        } else {
            Direction::Export
        };
        let found = ws
            .candidates(&port)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        Ok(Candidates {
            direction,
            ports: found
                .into_iter()
                .map(|c| PortAddr {
                    node: c.node,
                    port: c.name,
                })
                .collect(),
        })
    }

    /// Whether `from` may feed `to`, and if not, exactly why.
    pub async fn check_wire(&self, request: CheckWireRequest) -> Result<Verdict, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let from = request.from.to_model()?;
        let to = request.to.to_model()?;
        if let Some(w) = ws.project().wire_into(&to.node, &to.port) {
            if w.from != from {
                return Ok(Verdict::refused(format!(
                    "`{to}` is already fed by `{}`; delete that wire first",
                    w.from
                )));
            }
            return Ok(Verdict::refused(format!("`{from}` already feeds `{to}`")));
        }
        Ok(match ws.check_wire(&from, &to) {
            Ok(()) => Verdict::ok(),
            Err(e) => Verdict::refused(e.to_string()),
        })
    }

    /// Checks a mock's WAVE result against the function's type, by the rule
    /// `check` and the host apply to every mock value (no compiling).
    pub async fn check_mock_value(
        &self,
        request: CheckMockValueRequest,
    ) -> Result<Verdict, ApiError> {
        let ws = self.workspace(&request.doc)?;
        Ok(
            match ws.check_mock_value(
                &request.node,
                &request.import,
                &request.function,
                &request.value,
            ) {
                Ok(()) => Verdict::ok(),
                Err(reason) => Verdict::refused(reason),
            },
        )
    }

    /// The built-in fakes.
    pub async fn fakes(&self, _request: Empty) -> Result<Vec<FakeView>, ApiError> {
        Ok(fake_views())
    }

    /// Unwired imports the fake can serve.
    pub async fn fake_targets(
        &self,
        request: FakeTargetsRequest,
    ) -> Result<Vec<PortAddr>, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let project = ws.project();
        let mut out = Vec::new();
        for node in project.nodes.keys() {
            let Some(part) = ws.node_part(node) else {
                continue;
            };
            for port in &part.imports {
                if port.types_only || project.wire_into(node, &port.name).is_some() {
                    continue;
                }
                if patchbay_host::fake_serves(request.fake.to_model(), &port.name, &port.functions)
                    .is_ok()
                {
                    out.push(PortAddr {
                        node: node.clone(),
                        port: port.name.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The built-in fakes that can serve `port` of `node`, in the order the
    /// editor offers them: picking *Mock* takes the first, so the new
    /// binding answers at once (the rule is `patchbay-compose`'s).
    pub async fn import_fakes(
        &self,
        request: ImportFakesRequest,
    ) -> Result<Vec<FakeName>, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let part = ws.node_part(&request.node).ok_or_else(|| {
            ApiError::bad_request(format!(
                "node `{}` has no loaded component",
                model::shown(&request.node)
            ))
        })?;
        let port = part.import(&request.port).ok_or_else(|| {
            ApiError::bad_request(format!(
                "node `{}` has no import `{}`",
                model::shown(&request.node),
                model::shown(&request.port)
            ))
        })?;
        Ok(model::Fake::ALL
            .into_iter()
            .filter(|fake| patchbay_host::fake_serves(*fake, &port.name, &port.functions).is_ok())
            .map(FakeName::from_model)
            .collect())
    }

    /// Checks one grant entry (an `env` name, a shared folder, an
    /// allow-listed address, a canned response) by the document's rule, so
    /// the editor can say what is wrong while someone types.
    pub async fn check_grant_entry(
        &self,
        request: CheckGrantEntryRequest,
    ) -> Result<Verdict, ApiError> {
        Ok(request.entry.verdict())
    }

    /// Runs one call of the composition in the embedded host.
    pub async fn run(&self, request: RunRequest) -> Result<RunReport, ApiError> {
        let limits = request.limits.to_host()?;
        let ws = self.workspace(&request.doc)?;
        let key = run_key(&request.doc, &ws, request.traced);
        let cached = self.runnable.lock().ok().and_then(|slot| {
            slot.as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, r)| r.clone())
        });
        let runnable = match cached {
            Some(r) => r,
            None => {
                let host = self.host.clone();
                let traced = request.traced;
                self.events.emit(AppEvent::Busy {
                    task: "compiling".into(),
                    busy: true,
                });
                let prepared = Self::blocking(move || {
                    if traced {
                        host.prepare_traced(&ws)
                    } else {
                        host.prepare_auto(&ws)
                    }
                })
                .await;
                self.events.emit(AppEvent::Busy {
                    task: "compiling".into(),
                    busy: false,
                });
                let prepared = prepared?.map_err(|e| {
                    ApiError::run_failed(format!("cannot run `{}`", request.call))
                        .with_detail(e.to_string())
                })?;
                let r = Arc::new(prepared);
                if let Ok(mut slot) = self.runnable.lock() {
                    *slot = Some((key, r.clone()));
                }
                r
            }
        };
        let report = self.host.run(&runnable, &request.call, &limits).await;
        Ok(RunReport::from_host(&report, request.limits))
    }

    /// Serves the composition's `wasi:http/incoming-handler` on 127.0.0.1.
    pub async fn serve_start(&self, request: ServeRequest) -> Result<ServeInfo, ApiError> {
        self.stop_serving().await;
        let limits = request.limits.to_host()?;
        let ws = self.workspace(&request.doc)?;
        let host = self.host.clone();
        let prepared = Self::blocking(move || host.prepare(&ws))
            .await?
            .map_err(|e| {
                ApiError::serve_failed("cannot prepare the composition to serve")
                    .with_detail(e.to_string())
            })?;
        let server =
            patchbay_host::serve::Server::new(self.host.clone(), Arc::new(prepared), limits)
                .map_err(|e| ApiError::serve_failed(e.to_string()))?;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], request.port.unwrap_or(0)));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| ApiError::serve_failed(format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| ApiError::serve_failed(format!("cannot read the server address: {e}")))?;
        let info = ServeInfo {
            url: format!("http://{local}/"),
            node: server.node().to_string(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        *self.serving.lock().await = Some(ServeHandle {
            info: info.clone(),
            stop,
            task,
        });
        Ok(info)
    }

    async fn stop_serving(&self) -> Option<ServeInfo> {
        let handle = self.serving.lock().await.take()?;
        let _ = handle.stop.send(());
        let _ = handle.task.await;
        Some(handle.info)
    }

    /// Stops the HTTP server.
    pub async fn serve_stop(&self, _request: Empty) -> Result<(), ApiError> {
        self.stop_serving().await;
        Ok(())
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
            rebase_paths(&mut project, &old_dir, &new_dir);
        }
        for c in project.components.values_mut() {
            let file = new_dir.join(&c.path);
            if let Ok(bytes) = model::read_regular(&file, model::MAX_COMPONENT_BYTES) {
                c.hash = Some(model::content_hash(&bytes));
            }
        }
        model::save(&project, &target).map_err(|e| match e {
            model::ProjectError::Invalid { problems, .. } => {
                let lines: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
                ApiError::bad_request(format!("not saved: {}", lines.join("; ")))
                    .with_detail(lines.join("\n"))
            }
            e => ApiError::io(format!("cannot save {}", target.display())).with_detail(chain(&e)),
        })?;
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
            self.restart_watcher(&target, &doc);
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
        (file.manifest == manifest.display().to_string() && file.doc != *current).then_some(
            Recovery {
                doc: file.doc,
                saved_at_ms: file.saved_at_ms,
            },
        )
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

    fn compose_for_export(
        &self,
        doc: &ProjectDoc,
    ) -> Result<(Workspace, patchbay_compose::Composed), ApiError> {
        let ws = self.workspace(doc)?;
        let composed = ws.compose().map_err(|problems| {
            let errors: Vec<String> = problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| format!("{}: {}", p.location, p.message))
                .collect();
            ApiError::compose_failed(format!(
                "the graph does not compose ({} problem{})",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ))
            .with_detail(errors.join("\n"))
        })?;
        Ok((ws, composed))
    }

    fn default_export_dir(&self) -> Result<PathBuf, ApiError> {
        let manifest = self.manifest()?;
        Ok(manifest.parent().unwrap_or(Path::new(".")).join("out"))
    }

    /// What an export would write, and the attack surface of the result.
    pub async fn export_preview(&self, request: DocRequest) -> Result<ExportPreview, ApiError> {
        let (_, composed) = self.compose_for_export(&request.doc)?;
        let wit = composed.describe().map(|i| i.wit).map_err(|e| {
            ApiError::compose_failed("cannot describe the composed component")
                .with_detail(chain(&e))
        })?;
        let name = &request.doc.name;
        Ok(ExportPreview {
            surface: composed
                .imports
                .iter()
                .map(|i| SurfaceItem {
                    name: i.clone(),
                    meaning: surface_meaning(i),
                })
                .collect(),
            dir: self.default_export_dir()?.display().to_string(),
            wasm: format!("{name}.wasm"),
            wac: format!("{name}.wac"),
            wit: format!("{name}.wit"),
            size: composed.bytes.len() as u64,
            wit_text: wit,
            wac_text: composed.wac.clone(),
        })
    }

    /// Writes the composed `.wasm`, the `.wac` recipe and the WIT.
    pub async fn export_artifacts(&self, request: ExportRequest) -> Result<Exported, ApiError> {
        let default = self.default_export_dir()?;
        let dir = if request.choose_dir {
            let dialogs = self.dialogs.clone();
            let start = default.clone();
            let picked = Self::blocking(move || dialogs.pick_folder(&start)).await?;
            let picked = normalize(&picked.ok_or_else(ApiError::cancelled)?);
            if let Ok(mut dirs) = self.export_dirs.lock() {
                dirs.insert(picked.clone());
            }
            picked
        } else {
            match request.dir {
                None => default.clone(),
                Some(d) => {
                    let d = normalize(Path::new(&d));
                    let chosen = self
                        .export_dirs
                        .lock()
                        .map(|s| s.contains(&d))
                        .unwrap_or(false);
                    if d != normalize(&default) && !chosen {
                        return Err(ApiError::not_permitted(format!(
                            "{} was not chosen in the export dialog",
                            d.display()
                        )));
                    }
                    d
                }
            }
        };
        let (_, composed) = self.busy("composing", || self.compose_for_export(&request.doc))?;
        let wit = composed.describe().map(|i| i.wit).map_err(|e| {
            ApiError::compose_failed("cannot describe the composed component")
                .with_detail(chain(&e))
        })?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| ApiError::io(format!("cannot create {}: {e}", dir.display())))?;
        let name = &request.doc.name;
        let wasm = dir.join(format!("{name}.wasm"));
        let wac = dir.join(format!("{name}.wac"));
        let wit_path = dir.join(format!("{name}.wit"));
        for (path, bytes) in [
            (&wasm, composed.bytes.as_slice()),
            (&wac, composed.wac.as_bytes()),
            (&wit_path, wit.as_bytes()),
        ] {
            model::write_output(path, bytes)
                .map_err(|e| ApiError::io(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(Exported {
            dir: dir.display().to_string(),
            wasm: wasm.display().to_string(),
            wac: wac.display().to_string(),
            wit: wit_path.display().to_string(),
            size: composed.bytes.len() as u64,
        })
    }
}

// ---------------------------------------------------------------------------

/// Checks and composes; never fails (problems are the result).
pub(crate) fn analyze(ws: &Workspace) -> Analysis {
    let start = Instant::now();
    let project = ws.project();
    let mut imports = Vec::new();
    for node in project.nodes.keys() {
        let Some(part) = ws.node_part(node) else {
            continue;
        };
        for port in &part.imports {
            let wired = project.wire_into(node, &port.name).is_some();
            let binding = project.binding_for(node, &port.name);
            let (mode, fake) = if wired {
                (ImportMode::Wired, None)
            } else {
                match binding.map(|(_, b)| b) {
                    None | Some(model::Binding::Leave) => (ImportMode::Leave, None),
                    Some(model::Binding::Grant(_)) => (ImportMode::Grant, None),
                    Some(model::Binding::Deny) => (ImportMode::Deny, None),
                    Some(model::Binding::Mock(m)) => {
                        (ImportMode::Mock, m.fake.map(FakeName::from_model))
                    }
                }
            };
            imports.push(ImportState {
                node: node.clone(),
                port: port.name.clone(),
                mode,
                selector: (!wired)
                    .then(|| binding.map(|(s, _)| s.to_string()))
                    .flatten(),
                fake,
                types_only: port.types_only,
            });
        }
    }
    let (problems, composed): (Vec<Problem>, _) = match ws.compose() {
        Ok(c) => {
            let summary = composed_summary(&c);
            (
                c.warnings.iter().map(Problem::from).collect(),
                Some(summary),
            )
        }
        Err(problems) => (problems.iter().map(Problem::from).collect(), None),
    };
    // The document's own rules, the ones save and the file loader apply.
    let invalid = project.validate();
    let problems: Vec<Problem> = invalid
        .iter()
        .map(|p| Problem::invalid(p, project))
        .chain(problems)
        .collect();
    Analysis {
        problems,
        imports,
        composed,
        millis: start.elapsed().as_secs_f64() * 1000.0,
    }
}

fn composed_summary(c: &patchbay_compose::Composed) -> ComposedSummary {
    let info = c.describe().ok();
    let mut run_targets = Vec::new();
    let mut serves_http = false;
    if let Some(info) = &info {
        for port in &info.exports {
            if port.name.starts_with("wasi:http/incoming-handler@") {
                serves_http = true;
            }
            for f in &port.functions {
                if f.kind != "freestanding" {
                    continue;
                }
                let call_prefix = match port.kind {
                    patchbay_inspect::PortKind::Function => port.name.clone(),
                    patchbay_inspect::PortKind::Interface => format!("{}#{}", port.name, f.name),
                };
                let function = FunctionInfo::from(f);
                let callable = function.params.iter().all(|p| {
                    !matches!(
                        p.shape,
                        TypeShape::Handle { .. } | TypeShape::Unsupported { .. }
                    )
                });
                run_targets.push(RunTarget {
                    export: port.name.clone(),
                    function,
                    call_prefix,
                    callable,
                });
            }
        }
    }
    ComposedSummary {
        size: c.bytes.len() as u64,
        hash: model::content_hash(&c.bytes),
        imports: c.imports.clone(),
        wit: info.as_ref().map(|i| i.wit.clone()).unwrap_or_default(),
        wac: c.wac.clone(),
        info: info.as_ref().map(ComponentInfo::from),
        run_targets,
        serves_http,
    }
}

fn component_views(ws: &Workspace) -> Vec<ComponentView> {
    let doc = ws.doc();
    ws.project()
        .components
        .iter()
        .map(|(id, c)| {
            let abs = normalize(&doc.resolve(&c.path));
            let mut view = ComponentView {
                id: id.clone(),
                path: c.path.to_string_lossy().replace('\\', "/"),
                abs_path: abs.display().to_string(),
                size: 0,
                hash: None,
                info: None,
                error: None,
            };
            match ws.part(id) {
                Some(Ok(part)) => {
                    view.size = part.loaded.input_size as u64;
                    view.hash = Some(part.loaded.hash.clone());
                    match part.info() {
                        Ok(info) => view.info = Some(ComponentInfo::from(info)),
                        Err(e) => view.error = Some(e.to_string()),
                    }
                }
                Some(Err(e)) => view.error = Some(e.to_string()),
                None => view.error = Some(format!("component `{id}` is not loaded")),
            }
            view
        })
        .collect()
}

/// Loads one component file for the live view (used by the watcher).
pub(crate) fn load_view(id: &str, rel: &str, abs: &Path) -> ComponentView {
    let mut view = ComponentView {
        id: id.to_string(),
        path: rel.to_string(),
        abs_path: abs.display().to_string(),
        size: 0,
        hash: None,
        info: None,
        error: None,
    };
    match patchbay_inspect::load_file(abs) {
        Ok(loaded) => {
            view.size = loaded.input_size as u64;
            view.hash = Some(loaded.hash.clone());
            match patchbay_inspect::describe_component(&loaded.bytes, abs) {
                Ok(info) => view.info = Some(ComponentInfo::from(&info)),
                Err(e) => view.error = Some(chain(&e)),
            }
        }
        Err(e) => view.error = Some(chain(&e)),
    }
    view
}

fn run_key(doc: &ProjectDoc, ws: &Workspace, traced: bool) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(doc).unwrap_or_default());
    h.update([u8::from(traced)]);
    for id in ws.project().components.keys() {
        if let Some(Ok(part)) = ws.part(id) {
            h.update(part.loaded.hash.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn component_id_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("component");
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
        None => "component".into(),
        Some(c) if c.is_ascii_digit() => format!("c-{id}"),
        Some(_) => id,
    }
}

fn unique_id(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| base.to_string())
}

fn rebase_paths(project: &mut model::Project, old_dir: &Path, new_dir: &Path) {
    let rebase = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            relative_to(&normalize(&old_dir.join(p)), new_dir)
        }
    };
    for c in project.components.values_mut() {
        c.path = rebase(&c.path);
        c.watch = c.watch.iter().map(|w| rebase(w)).collect();
    }
    for b in project.bindings.values_mut() {
        if let model::Binding::Grant(g) = b {
            for d in &mut g.dirs {
                d.host = rebase(&d.host);
            }
        }
    }
}

fn fake_views() -> Vec<FakeView> {
    model::Fake::ALL
        .iter()
        .map(|&f| {
            let (title, description) = match f {
                model::Fake::KeyValue => (
                    "In-memory key-value",
                    "Serves get/set/delete/exists over strings from a map that lives for one run; seed it with values.",
                ),
                model::Fake::Log => ("Logging", "Accepts every call that returns nothing and records it."),
                model::Fake::Config => ("Config", "Answers get(key) from a map of values."),
                model::Fake::Clock => ("Fixed clock", "wasi:clocks that always reads the same time."),
                model::Fake::Random => ("Seeded random", "wasi:random from a fixed seed: the same numbers every run."),
                model::Fake::Http => (
                    "Canned HTTP",
                    "wasi:http/outgoing-handler answered from a table of URL → \"STATUS body\".",
                ),
            };
            FakeView {
                name: FakeName::from_model(f),
                title: title.into(),
                description: description.into(),
            }
        })
        .collect()
}

/// What an import of the composed component lets it do, for the export
/// dialog's attack-surface list.
pub(crate) fn surface_meaning(import: &str) -> String {
    let base = import.split('@').next().unwrap_or(import);
    let text = match base {
        b if b.starts_with("wasi:filesystem/") => {
            "reads or writes files in folders the host preopens"
        }
        b if b.starts_with("wasi:sockets/") => "opens network connections",
        "wasi:http/outgoing-handler" => "sends HTTP requests",
        b if b.starts_with("wasi:http/") => "HTTP types and bodies",
        "wasi:cli/environment" => "reads environment variables and arguments",
        b if b.starts_with("wasi:cli/std") || b.starts_with("wasi:cli/terminal") => {
            "writes to or reads from the console"
        }
        "wasi:cli/exit" => "ends the process",
        b if b.starts_with("wasi:clocks/") => "reads the time",
        b if b.starts_with("wasi:random/") => "reads random numbers",
        b if b.starts_with("wasi:io/") => "streams and polling (needed by other WASI interfaces)",
        b if b.starts_with("wasi:keyvalue/") => "reads and writes a key-value store",
        b if b.starts_with("wasi:config/") => "reads runtime configuration",
        b if b.starts_with("wasi:logging/") => "writes log messages",
        _ => "provided by whoever hosts the component",
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_ids_are_kebab_case_and_unique() {
        assert_eq!(
            component_id_for(Path::new("/x/kv_memory.wasm")),
            "kv-memory"
        );
        assert_eq!(component_id_for(Path::new("/x/My Thing.wat")), "my-thing");
        assert_eq!(component_id_for(Path::new("/x/2fast.wasm")), "c-2fast");
        let taken: HashSet<String> = ["kv-memory".to_string(), "kv-memory-2".to_string()].into();
        assert_eq!(unique_id("kv-memory", &taken), "kv-memory-3");
        assert_eq!(unique_id("other", &taken), "other");
    }

    #[test]
    fn surface_meanings_name_the_capability() {
        assert_eq!(
            surface_meaning("wasi:filesystem/preopens@0.2.6"),
            "reads or writes files in folders the host preopens"
        );
        assert_eq!(
            surface_meaning("wasi:http/outgoing-handler@0.2.6"),
            "sends HTTP requests"
        );
        assert_eq!(
            surface_meaning("acme:thing/x"),
            "provided by whoever hosts the component"
        );
    }
}
