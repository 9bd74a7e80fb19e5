//! `patchbay-fuzz`: the long fuzz run and the replay of saved inputs.
//!
//! `run` supervises one worker process per target: the worker prints a
//! line before each input, and the supervisor kills it when no line comes
//! for `--timeout` seconds (a hang) or notes where it died (a crash), saves
//! that input, and starts a new worker after it. Panics and broken
//! invariants are caught and saved by the worker. At the end it prints the
//! figures of every target as a markdown table.

use clap::{Parser, Subcommand};
use patchbay_fuzz::runner::{self, Bounds, Finding, FindingKind, Known, Outcome, Summary};
use patchbay_fuzz::seeds;
use patchbay_fuzz::targets::{Fuzzer, Target};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Fuzz Patchbay's project parser, check/compose and inspection")]
struct Cli {
    #[command(subcommand)]
    command: Verb,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Extra folders of component inputs (a generated corpus).
    #[arg(long = "corpus")]
    corpus: Vec<PathBuf>,
    /// The repository root (seeds are read from it).
    #[arg(long, default_value_os_t = seeds::repo_root())]
    repo: PathBuf,
}

#[derive(Subcommand)]
enum Verb {
    /// Fuzz targets under a watchdog and print the figures.
    Run {
        /// `project`, `compose`, `inspect` or `all`.
        #[arg(long, default_value = "all")]
        target: String,
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// At most this many inputs per target.
        #[arg(long)]
        iterations: Option<u64>,
        /// The run's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// An input running longer than this many seconds is a hang.
        #[arg(long, default_value_t = 5)]
        timeout: u64,
        /// Where findings are saved.
        #[arg(long, default_value_os_t = seeds::repo_root().join("crates/patchbay-fuzz/findings"))]
        findings: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Internal: runs inputs and reports each start on stdout.
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        target: String,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        start: u64,
        #[arg(long)]
        end: u64,
        #[arg(long)]
        millis: u64,
        #[arg(long)]
        findings: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Runs saved inputs again and says what each does.
    Replay {
        /// The target the inputs are for.
        #[arg(long)]
        target: String,
        /// Input files.
        files: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Verb::Run {
            target,
            seconds,
            iterations,
            seed,
            timeout,
            findings,
            common,
        } => {
            let targets = match parse_targets(&target) {
                Ok(t) => t,
                Err(e) => return fail(&e),
            };
            let mut rows = Vec::new();
            for target in targets {
                let settings = Settings {
                    target,
                    seed,
                    end: iterations.unwrap_or(u64::MAX),
                    budget: Duration::from_secs(seconds),
                    timeout: Duration::from_secs(timeout),
                    findings: findings.clone(),
                    common: common.clone(),
                };
                match supervise(&settings) {
                    Ok(summary) => {
                        print_summary(target, &summary);
                        rows.push((target, summary));
                    }
                    Err(e) => return fail(&format!("{target}: {e}")),
                }
            }
            print_table(&rows, seed, timeout);
            if rows.iter().any(|(_, s)| s.findings() > 0) {
                println!("findings saved under {}", findings.display());
            }
            ExitCode::SUCCESS
        }
        Verb::Worker {
            target,
            seed,
            start,
            end,
            millis,
            findings,
            common,
        } => {
            let Some(target) = Target::from_name(&target) else {
                return fail(&format!("unknown target `{target}`"));
            };
            runner::with_main_stack(|| worker(target, seed, start, end, millis, &findings, &common))
        }
        Verb::Replay {
            target,
            files,
            common,
        } => {
            let Some(target) = Target::from_name(&target) else {
                return fail(&format!("unknown target `{target}`"));
            };
            runner::with_main_stack(|| replay(target, &files, &common))
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("patchbay-fuzz: error: {message}");
    ExitCode::FAILURE
}

fn parse_targets(name: &str) -> Result<Vec<Target>, String> {
    if name == "all" {
        return Ok(Target::ALL.to_vec());
    }
    name.split(',')
        .map(|n| Target::from_name(n.trim()).ok_or_else(|| format!("unknown target `{n}`")))
        .collect()
}

struct Settings {
    target: Target,
    seed: u64,
    end: u64,
    budget: Duration,
    timeout: Duration,
    findings: PathBuf,
    common: Common,
}

/// How long a worker may take to load its seeds before its first input.
const STARTUP: Duration = Duration::from_secs(300);

/// Runs workers until the budget or the iterations are spent, restarting
/// one after a hang or a crash.
fn supervise(s: &Settings) -> Result<Summary, String> {
    let started = Instant::now();
    let deadline = started + s.budget;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find my own binary: {e}"))?;
    let mut summary = Summary::default();
    let mut next = 0;
    let mut regenerator: Option<Fuzzer> = None;
    while next < s.end && Instant::now() < deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut cmd = Command::new(&exe);
        cmd.args(["worker", "--target", s.target.name()])
            .args(["--seed", &s.seed.to_string()])
            .args(["--start", &next.to_string(), "--end", &s.end.to_string()])
            .args(["--millis", &left.as_millis().to_string()])
            .arg("--findings")
            .arg(&s.findings)
            .arg("--repo")
            .arg(&s.common.repo);
        for dir in &s.common.corpus {
            cmd.arg("--corpus").arg(dir);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start a worker: {e}"))?;
        let stdout = child.stdout.take().ok_or("the worker has no stdout")?;
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut current: Option<u64> = None;
        let mut ready = false;
        let mut done = false;
        let mut lost: Option<(FindingKind, String)> = None;
        loop {
            let wait = if ready { s.timeout } else { STARTUP };
            match rx.recv_timeout(wait) {
                Ok(line) => {
                    let mut words = line.split_whitespace();
                    match (
                        words.next(),
                        words.next().and_then(|w| w.parse::<u64>().ok()),
                    ) {
                        (Some("R"), _) => ready = true,
                        (Some("B"), Some(i)) => {
                            current = Some(i);
                            summary.tried += 1;
                        }
                        (Some("P"), _) => summary.panics += 1,
                        (Some("F"), _) => summary.failures += 1,
                        (Some("K"), _) => summary.known += 1,
                        (Some("D"), _) => done = true,
                        _ => {}
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // The worker is ours; stopping it by its handle.
                    let _ = child.kill();
                    let _ = child.wait();
                    if !ready {
                        return Err(format!("the worker loaded no seeds in {STARTUP:?}"));
                    }
                    lost = Some((
                        FindingKind::Hang,
                        format!(
                            "no result after {:?}: the input hangs (or is very slow)",
                            s.timeout
                        ),
                    ));
                    break;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = child.wait().map_err(|e| e.to_string())?;
                    if !done {
                        if !ready {
                            return Err(format!("the worker died while loading seeds ({status})"));
                        }
                        lost = Some((
                            FindingKind::Crash,
                            format!("the worker died on the input ({status})"),
                        ));
                    }
                    break;
                }
            }
        }
        let _ = reader.join();
        match lost {
            None => break,
            Some((kind, message)) => {
                let Some(iteration) = current else {
                    return Err("the worker stopped before its first input".into());
                };
                match kind {
                    FindingKind::Hang => summary.hangs += 1,
                    _ => summary.crashes += 1,
                }
                if regenerator.is_none() {
                    regenerator = Some(Fuzzer::new(s.target, &s.common.repo, &s.common.corpus)?);
                }
                if let Some(fuzzer) = &regenerator {
                    let finding = Finding {
                        target: s.target,
                        kind,
                        seed: s.seed,
                        iteration,
                        message,
                        input: fuzzer.generate(s.seed, iteration),
                    };
                    report(&finding, fuzzer, &s.findings);
                }
                next = iteration + 1;
            }
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn report(finding: &Finding, fuzzer: &Fuzzer, dir: &Path) {
    let first_line = finding.message.lines().next().unwrap_or("");
    match finding.save(dir, fuzzer.extension(&finding.input)) {
        Ok(path) => eprintln!(
            "{} {} at iteration {}: {first_line}\n  input saved as {}",
            finding.target,
            finding.kind.name(),
            finding.iteration,
            path.display()
        ),
        Err(e) => eprintln!(
            "{} {} at iteration {}: {first_line}\n  (could not save the input: {e})",
            finding.target,
            finding.kind.name(),
            finding.iteration
        ),
    }
}

fn worker(
    target: Target,
    seed: u64,
    start: u64,
    end: u64,
    millis: u64,
    findings: &Path,
    common: &Common,
) -> ExitCode {
    let fuzzer = match Fuzzer::new(target, &common.repo, &common.corpus) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let known: Vec<Known> = runner::known_findings(&seeds::regressions_dir(&common.repo));
    let stdout = std::io::stdout();
    let say = |line: String| {
        let mut out = stdout.lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    say("R".into());
    let bounds = Bounds {
        seed,
        start,
        end,
        deadline: Some(Instant::now() + Duration::from_millis(millis)),
    };
    let summary = runner::run_bounded(
        &fuzzer,
        bounds,
        &known,
        &mut |i| say(format!("B {i}")),
        &mut |finding, known| {
            if known.is_some() {
                say(format!("K {}", finding.iteration));
                return;
            }
            report(finding, &fuzzer, findings);
            let code = if finding.kind == FindingKind::Panic {
                "P"
            } else {
                "F"
            };
            say(format!("{code} {}", finding.iteration));
        },
    );
    say(format!("D {}", summary.tried));
    ExitCode::SUCCESS
}

fn replay(target: Target, files: &[PathBuf], common: &Common) -> ExitCode {
    let fuzzer = match Fuzzer::new(target, &common.repo, &common.corpus) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let mut bad = 0;
    for file in files {
        let input = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return fail(&format!("{}: {e}", file.display())),
        };
        let started = Instant::now();
        let outcome = runner::run_one(&fuzzer, &input);
        let took = started.elapsed();
        match outcome {
            Outcome::Pass => println!("{}: pass ({took:.1?})", file.display()),
            Outcome::Panic(m) => {
                bad += 1;
                println!("{}: panic ({took:.1?}):\n{m}", file.display());
            }
            Outcome::Failure(m) => {
                bad += 1;
                println!("{}: failure ({took:.1?}):\n{m}", file.display());
            }
        }
    }
    if bad > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_summary(target: Target, s: &Summary) {
    let secs = s.elapsed.as_secs_f64();
    println!(
        "fuzz {target}: {} inputs in {secs:.0} s ({:.0}/s): {} panics, {} hangs, {} crashes, {} invariant failures, {} known",
        s.tried,
        s.tried as f64 / secs.max(1e-9),
        s.panics,
        s.hangs,
        s.crashes,
        s.failures,
        s.known
    );
}

fn print_table(rows: &[(Target, Summary)], seed: u64, timeout: u64) {
    println!();
    println!("seed {seed}, watchdog {timeout} s per input");
    println!();
    println!("| target | inputs | time | inputs/s | panics | hangs | crashes | invariant failures | known |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (target, s) in rows {
        let secs = s.elapsed.as_secs_f64();
        println!(
            "| {target} | {} | {secs:.0} s | {:.0} | {} | {} | {} | {} | {} |",
            s.tried,
            s.tried as f64 / secs.max(1e-9),
            s.panics,
            s.hangs,
            s.crashes,
            s.failures,
            s.known
        );
    }
}
