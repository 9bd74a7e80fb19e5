//! Running inputs: one at a time with panics caught and their messages
//! captured, a bounded loop over iterations, findings saved as files that
//! replay, and the known findings committed under `regressions/`.

use crate::targets::{Fuzzer, Target};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

/// What running one input gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No panic, no broken invariant.
    Pass,
    /// The code under test panicked; the panic message with its location.
    Panic(String),
    /// An invariant did not hold; what broke.
    Failure(String),
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records the panic of an input run on
/// this thread instead of printing it; other panics print as usual.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                CAPTURED.with(|c| *c.borrow_mut() = Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one input, catching a panic.
pub fn run_one(fuzzer: &Fuzzer, input: &[u8]) -> Outcome {
    install_hook();
    CAPTURING.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fuzzer.execute(input)));
    CAPTURING.with(|c| c.set(false));
    match result {
        Ok(Ok(())) => Outcome::Pass,
        Ok(Err(message)) => Outcome::Failure(message),
        Err(payload) => {
            let message = CAPTURED
                .with(|c| c.borrow_mut().take())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic with a non-string payload".into());
            Outcome::Panic(message)
        }
    }
}

/// The kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A caught panic.
    Panic,
    /// A broken invariant.
    Failure,
    /// An input that ran longer than the watchdog allowed.
    Hang,
    /// The worker process died on the input (abort, stack overflow).
    Crash,
}

impl FindingKind {
    /// The word used in file names and reports.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Panic => "panic",
            FindingKind::Failure => "failure",
            FindingKind::Hang => "hang",
            FindingKind::Crash => "crash",
        }
    }
}

/// An input that panicked, broke an invariant, hung or crashed.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The target it was found on.
    pub target: Target,
    /// What happened.
    pub kind: FindingKind,
    /// The run's seed.
    pub seed: u64,
    /// The iteration that generated the input.
    pub iteration: u64,
    /// The panic message, the broken invariant, or the watchdog's words.
    pub message: String,
    /// The input.
    pub input: Vec<u8>,
}

impl Finding {
    /// Saves the input as `<dir>/<target>/<kind>-s<seed>-i<iteration>.<ext>`
    /// with a `.txt` beside it holding the message and how to replay it.
    /// Returns the input's path.
    pub fn save(&self, dir: &Path, extension: &str) -> std::io::Result<PathBuf> {
        let folder = dir.join(self.target.name());
        std::fs::create_dir_all(&folder)?;
        let stem = format!("{}-s{}-i{}", self.kind.name(), self.seed, self.iteration);
        let input = folder.join(format!("{stem}.{extension}"));
        std::fs::write(&input, &self.input)?;
        let note = format!(
            "{} on target {} (seed {}, iteration {}):\n{}\n\nReplay: cargo run --release -p patchbay-fuzz -- replay --target {} {}\n",
            self.kind.name(),
            self.target,
            self.seed,
            self.iteration,
            self.message,
            self.target,
            input.display()
        );
        std::fs::write(folder.join(format!("{stem}.txt")), note)?;
        Ok(input)
    }
}

/// A committed regression input marked as a known, not yet fixed finding:
/// `regressions/<target>/<name>.known` next to the input, whose first line
/// is the reason and whose `signature:` line is a piece of the message
/// that identifies the finding when a run meets it again.
#[derive(Debug, Clone)]
pub struct Known {
    /// The target.
    pub target: Target,
    /// The regression's file stem.
    pub name: String,
    /// Why it is not fixed here.
    pub reason: String,
    /// A substring of the finding's message.
    pub signature: String,
}

/// Every known finding under `regressions/`.
pub fn known_findings(regressions: &Path) -> Vec<Known> {
    let mut out = Vec::new();
    for target in Target::ALL {
        let Ok(entries) = std::fs::read_dir(regressions.join(target.name())) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.extension().is_none_or(|e| e != "known") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let reason = text.lines().next().unwrap_or("").trim().to_string();
            let signature = text
                .lines()
                .find_map(|l| l.strip_prefix("signature:"))
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(Known {
                target,
                name,
                reason,
                signature,
            });
        }
    }
    out
}

/// The known finding a message belongs to, if any.
pub fn match_known<'a>(known: &'a [Known], target: Target, message: &str) -> Option<&'a Known> {
    known
        .iter()
        .find(|k| k.target == target && !k.signature.is_empty() && message.contains(&k.signature))
}

/// The figures of a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs run (started, for the supervised run).
    pub tried: u64,
    /// New panics.
    pub panics: u64,
    /// New broken invariants.
    pub failures: u64,
    /// Inputs over the watchdog's time.
    pub hangs: u64,
    /// Inputs the worker died on.
    pub crashes: u64,
    /// Panics and failures matching a known finding.
    pub known: u64,
    /// Wall time.
    pub elapsed: Duration,
}

impl Summary {
    /// New findings: panics, failures, hangs and crashes.
    pub fn findings(&self) -> u64 {
        self.panics + self.failures + self.hangs + self.crashes
    }
}

/// Where a bounded run stops.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// The run's seed.
    pub seed: u64,
    /// First iteration.
    pub start: u64,
    /// Iteration to stop before.
    pub end: u64,
    /// No input starts after this instant.
    pub deadline: Option<Instant>,
}

/// Runs iterations `start..end` (until the deadline), calling `on_begin`
/// before each input and `on_finding` for each panic or failure, with the
/// known finding it matches if any (known ones are counted apart).
pub fn run_bounded(
    fuzzer: &Fuzzer,
    bounds: Bounds,
    known: &[Known],
    on_begin: &mut dyn FnMut(u64),
    on_finding: &mut dyn FnMut(&Finding, Option<&Known>),
) -> Summary {
    let started = Instant::now();
    let mut summary = Summary::default();
    for iteration in bounds.start..bounds.end {
        if bounds.deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        on_begin(iteration);
        let input = fuzzer.generate(bounds.seed, iteration);
        summary.tried += 1;
        let (kind, message) = match run_one(fuzzer, &input) {
            Outcome::Pass => continue,
            Outcome::Panic(m) => (FindingKind::Panic, m),
            Outcome::Failure(m) => (FindingKind::Failure, m),
        };
        let matched = match_known(known, fuzzer.target(), &message);
        match (matched, kind) {
            (Some(_), _) => summary.known += 1,
            (None, FindingKind::Panic) => summary.panics += 1,
            (None, _) => summary.failures += 1,
        }
        let finding = Finding {
            target: fuzzer.target(),
            kind,
            seed: bounds.seed,
            iteration,
            message,
            input,
        };
        on_finding(&finding, matched);
    }
    summary.elapsed = started.elapsed();
    summary
}

/// Runs `f` on a thread with a main thread's stack (8 MiB), so deep but
/// legitimate inputs are judged as they would be in the CLI, not by the
/// 2 MiB of a test thread.
pub fn with_main_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("fuzz".into())
            .stack_size(8 << 20)
            .spawn_scoped(s, f)
            .expect("spawn the fuzz thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}
