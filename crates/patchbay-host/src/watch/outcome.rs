//! What a reload reports: the builds that ran, and the outcome or error.

use super::*;

/// One `build` command that ran during a reload.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A component file whose content changed since the previous reload read
/// it: edited, replaced, or written by a build that ran in this reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedComponent {
    /// The component's id.
    pub id: String,
    /// Its file (absolute).
    pub file: PathBuf,
}

/// What a good reload produced.
#[derive(Clone)]
pub enum Reloaded {
    /// The project composed and was prepared to run ([`WatchMode::Prepare`]).
    Prepared(Arc<Prepared>),
    /// The builds ran and the project file was read; nothing was composed
    /// ([`WatchMode::Build`]).
    Built,
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
    /// The component files whose content differs from what the previous
    /// reload read, in project order (empty for the first load unless a
    /// build made a missing file). Also filled when the reload fails after
    /// the builds (a check or prepare error); empty when a build fails.
    pub components: Vec<ChangedComponent>,
    /// The new live state, or why there is none.
    pub result: Result<Reloaded, ReloadError>,
    /// On failure: whether an earlier good build stays live (see
    /// [`ProjectWatcher::current`]; in [`WatchMode::Build`], whether an
    /// earlier reload was good). Always false on success.
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
            .field("components", &self.components)
            .field(
                "result",
                &self.result.as_ref().map(|r| match r {
                    Reloaded::Prepared(_) => "Prepared",
                    Reloaded::Built => "Built",
                }),
            )
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

    /// The prepared project, if the reload succeeded in
    /// [`WatchMode::Prepare`].
    pub fn prepared(&self) -> Option<&Arc<Prepared>> {
        match &self.result {
            Ok(Reloaded::Prepared(prepared)) => Some(prepared),
            _ => None,
        }
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
            Ok(reloaded) => {
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
                let Reloaded::Prepared(prepared) = reloaded else {
                    return format!("{what}{built}");
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
