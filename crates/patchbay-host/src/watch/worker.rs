//! The watcher thread's state machine: collect a batch, build, reload,
//! prepare, report.

use super::*;

/// Where outcomes go.
pub(super) enum Report {
    /// To [`ProjectWatcher::next_reload`].
    Channel(UnboundedSender<ReloadOutcome>),
    /// To a callback, on the watcher's thread.
    Callback(Box<dyn FnMut(ReloadOutcome) + Send>),
}

/// The watcher thread's state.
pub(super) struct Worker {
    pub(super) host: Arc<Host>,
    pub(super) options: WatchOptions,
    pub(super) manifest: PathBuf,
    pub(super) dir: PathBuf,
    pub(super) watcher: RecommendedWatcher,
    pub(super) registered: BTreeMap<PathBuf, RecursiveMode>,
    pub(super) targets: Targets,
    pub(super) fingerprints: HashMap<PathBuf, Option<Fingerprint>>,
    pub(super) current: Arc<Mutex<Option<Arc<Prepared>>>>,
    pub(super) report: Report,
    pub(super) number: u64,
    /// Whether a reload was good before ([`WatchMode::Build`] keeps no
    /// live state of its own).
    pub(super) good_before: bool,
    /// Component files a front end added (`file → id`, absolute).
    pub(super) extra: BTreeMap<PathBuf, String>,
    pub(super) stop: Arc<AtomicBool>,
    pub(super) notes: Vec<String>,
}

impl Worker {
    pub(super) fn run(mut self, control: Receiver<Control>) {
        self.reload(Vec::new(), BTreeSet::new());
        'watching: while let Ok(first) = control.recv() {
            if let Control::AddComponents(files) = first {
                self.add_components(files);
                continue;
            }
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
                    Ok(Control::AddComponents(files)) => self.add_components(files),
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

    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Decides what a batch of changes means, then reloads if it means
    /// anything.
    pub(super) fn handle(&mut self, batch: Batch) {
        let mut changed = Vec::new();
        let mut to_build = BTreeSet::new();
        for path in batch.paths {
            if path == self.manifest || self.targets.components.contains_key(&path) {
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
    pub(super) fn reload(&mut self, changed: Vec<PathBuf>, to_build: BTreeSet<String>) {
        let initial = self.number == 0;
        let mut outcome = ReloadOutcome {
            number: self.number,
            changed,
            project_dir: self.dir.clone(),
            builds: Vec::new(),
            components: Vec::new(),
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
        let targets = Targets::of(&doc, &self.manifest, &self.extra);
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
            if !to_build.contains(id.as_str()) && !missing {
                continue;
            }
            if self.stopped() {
                return;
            }
            self.host.events().send(Event::BuildStarted {
                component: id.to_string(),
                command: command.clone(),
            });
            let run = run_build(doc.dir(), id, command);
            self.host.events().send(Event::BuildFinished {
                component: run.component.clone(),
                command: run.command.clone(),
                success: run.success,
                ended: run.ended.clone(),
                output: run.output.clone(),
                millis: run.millis,
            });
            let failed = !run.success;
            outcome.builds.push(run.clone());
            if failed {
                outcome.result = Err(ReloadError::Build(run));
                return self.publish(outcome);
            }
        }

        let built: BTreeSet<&str> = outcome
            .builds
            .iter()
            .map(|b| b.component.as_str())
            .collect();
        for (file, ids) in &self.targets.components {
            let now = fingerprint(file);
            let before = self.fingerprints.insert(file.clone(), now.clone());
            // What a reader sees: the bytes, not the modification time.
            let content = |f: &Option<Fingerprint>| f.as_ref().map(|f| (f.len, f.content));
            let differs = match before {
                Some(before) => content(&before) != content(&now),
                // First read: new only when a build just made it.
                None => ids.iter().any(|id| built.contains(id.as_str())),
            };
            if differs && now.is_some() {
                for id in ids {
                    outcome.components.push(ChangedComponent {
                        id: id.clone(),
                        file: file.clone(),
                    });
                }
            }
        }
        // In project order, as the builds are.
        let order: HashMap<&str, usize> = doc
            .project
            .components
            .keys()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        outcome
            .components
            .sort_by_key(|c| order.get(c.id.as_str()).copied().unwrap_or(usize::MAX));
        if self.stopped() {
            return;
        }
        if self.options.mode == WatchMode::Build {
            outcome.result = Ok(Reloaded::Built);
            return self.publish(outcome);
        }
        let ws = Workspace::open(doc);
        outcome.result = match self.host.prepare_composed(&ws) {
            Ok(prepared) => {
                outcome
                    .notes
                    .extend(prepared.composed().warnings.iter().map(|w| w.to_string()));
                Ok(Reloaded::Prepared(Arc::new(prepared)))
            }
            Err(PrepareError::Compose { problems }) => Err(ReloadError::Check(problems)),
            Err(e) => Err(ReloadError::Prepare(error_chain(&e))),
        };
        self.publish(outcome);
    }

    /// Watches component files a front end added, from now on: their
    /// content when the front end read them is the baseline later changes
    /// compare with (a file the project names keeps its own).
    pub(super) fn add_components(&mut self, files: Vec<(String, PathBuf, Option<Fingerprint>)>) {
        let mut folders = BTreeMap::new();
        for (id, file, read) in files {
            self.fingerprints.entry(file.clone()).or_insert(read);
            let ids = self.targets.components.entry(file.clone()).or_default();
            if !ids.contains(&id) {
                ids.push(id.clone());
            }
            if let Some(parent) = file.parent().filter(|p| p.is_dir()) {
                let covered = self.registered.iter().any(|(p, mode)| {
                    p == parent || (*mode == RecursiveMode::Recursive && parent.starts_with(p))
                });
                if !covered {
                    folders.insert(parent.to_path_buf(), RecursiveMode::NonRecursive);
                }
            }
            self.extra.insert(file, id);
        }
        for (path, mode) in folders {
            match self.watcher.watch(&path, mode) {
                Ok(()) => {
                    self.registered.insert(path.clone(), mode);
                    self.targets.folders.insert(path, mode);
                }
                Err(e) => self
                    .notes
                    .push(format!("cannot watch {}: {e}", path.display())),
            }
        }
    }

    /// Makes the file watcher's registrations match `targets`.
    pub(super) fn register(&mut self, targets: &Targets, notes: &mut Vec<String>) {
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

    pub(super) fn publish(&mut self, mut outcome: ReloadOutcome) {
        {
            let mut current = lock(&self.current);
            match &outcome.result {
                Ok(Reloaded::Prepared(prepared)) => *current = Some(prepared.clone()),
                Ok(Reloaded::Built) => {}
                Err(_) => outcome.kept_last_good = current.is_some() || self.good_before,
            }
        }
        self.good_before |= outcome.is_ok();
        if !outcome.is_initial() {
            self.host.events().send(Event::Reloaded {
                changed: outcome.changed_names(),
                ok: outcome.is_ok(),
                message: outcome.message(),
            });
        }
        match &mut self.report {
            Report::Channel(tx) => {
                let _ = tx.send(outcome);
            }
            Report::Callback(report) => report(outcome),
        }
    }
}
