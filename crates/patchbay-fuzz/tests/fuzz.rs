//! The short fuzz run and the replay of committed regression inputs.
//!
//! - `short_run::<target>`: a fixed run of every target (seed
//!   [`SHORT_SEED`], a few seconds each), the seeds first, then mutations.
//!   A panic or a broken invariant fails the test, prints the message and
//!   saves the input under `$CARGO_TARGET_TMPDIR/fuzz-findings` so that
//!   `patchbay-fuzz replay` can run it again. `PATCHBAY_FUZZ_SCALE`
//!   multiplies the iteration counts.
//! - `regression::<target>::<name>`: every input committed under
//!   `crates/patchbay-fuzz/regressions/<target>/` must run without a panic
//!   and keep the invariants. An input with a `<name>.known` file beside
//!   it is a known finding that is not fixed yet: it is ignored, and the
//!   file says why.

use libtest_mimic::{Arguments, Failed, Trial};
use patchbay_fuzz::runner::{self, Bounds, Outcome};
use patchbay_fuzz::seeds;
use patchbay_fuzz::targets::{Fuzzer, Target};
use std::path::{Path, PathBuf};

/// The short run's seed.
const SHORT_SEED: u64 = 20261205;

/// Inputs per target in the short run (debug build): a few seconds each.
fn short_iterations(target: Target) -> u64 {
    let base = match target {
        Target::Project => 30000,
        Target::Compose => 400,
        Target::Inspect => 4000,
    };
    let scale = std::env::var("PATCHBAY_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(1.0);
    ((base as f64) * scale).max(1.0) as u64
}

fn root() -> PathBuf {
    PathBuf::from(patchbay_test_programs::REPO_DIR)
}

fn short_run(target: Target) -> Result<(), Failed> {
    let root = root();
    let fuzzer = Fuzzer::new(target, &root, &[])?;
    let iterations = short_iterations(target);
    if (fuzzer.seed_count() as u64) >= iterations {
        return Err(format!(
            "{} seeds leave no room for mutations in {iterations} iterations",
            fuzzer.seed_count()
        )
        .into());
    }
    let known = runner::known_findings(&seeds::regressions_dir(&root));
    let findings_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings");
    let mut reports = Vec::new();
    let bounds = Bounds {
        seed: SHORT_SEED,
        start: 0,
        end: iterations,
        deadline: None,
    };
    let summary = runner::with_main_stack(|| {
        runner::run_bounded(
            &fuzzer,
            bounds,
            &known,
            &mut |_| {},
            &mut |finding, known| {
                if known.is_some() {
                    return;
                }
                let saved = finding
                    .save(&findings_dir, fuzzer.extension(&finding.input))
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|e| format!("(not saved: {e})"));
                reports.push(format!(
                    "{} at iteration {}, input saved as {saved}:\n{}",
                    finding.kind.name(),
                    finding.iteration,
                    finding.message
                ));
            },
        )
    });
    if summary.tried != iterations {
        return Err(format!("ran {} of {iterations} inputs", summary.tried).into());
    }
    println!(
        "  {target}: {} inputs in {:.1?}, {} known findings met",
        summary.tried, summary.elapsed, summary.known
    );
    if reports.is_empty() {
        Ok(())
    } else {
        Err(format!("{} findings:\n{}", reports.len(), reports.join("\n\n")).into())
    }
}

fn regression_trials(root: &Path) -> Vec<Trial> {
    let dir = seeds::regressions_dir(root);
    let known = runner::known_findings(&dir);
    let mut trials = Vec::new();
    for target in Target::ALL {
        let Ok(entries) = std::fs::read_dir(dir.join(target.name())) else {
            continue;
        };
        let mut inputs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "toml" || e == "wasm" || e == "wat")
            })
            .collect();
        inputs.sort();
        for input in inputs {
            let name = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let marked = known.iter().find(|k| k.target == target && k.name == name);
            let root = root.to_path_buf();
            let trial = Trial::test(format!("regression::{target}::{name}"), move || {
                replay(target, &root, &input)
            });
            trials.push(match marked {
                Some(k) => {
                    println!(
                        "known finding regression::{target}::{name} is skipped: {}",
                        k.reason
                    );
                    trial.with_ignored_flag(true)
                }
                None => trial,
            });
        }
    }
    trials
}

fn replay(target: Target, root: &Path, input: &Path) -> Result<(), Failed> {
    let fuzzer = Fuzzer::new(target, root, &[])?;
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    match runner::with_main_stack(|| runner::run_one(&fuzzer, &bytes)) {
        Outcome::Pass => Ok(()),
        Outcome::Panic(m) => Err(format!("panic:\n{m}").into()),
        Outcome::Failure(m) => Err(format!("broken invariant:\n{m}").into()),
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = root();
    let mut trials: Vec<Trial> = Target::ALL
        .into_iter()
        .map(|target| Trial::test(format!("short_run::{target}"), move || short_run(target)))
        .collect();
    trials.extend(regression_trials(&root));
    libtest_mimic::run(&args, trials).exit();
}
