//! `patchbay watch`: keeps a project live and re-runs a call after every
//! change.

use anyhow::Result;
use patchbay_host::watch::{ProjectWatcher, ReloadError, ReloadOutcome};
use patchbay_host::{Host, Limits};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `patchbay watch`.
#[derive(clap::Args)]
pub struct WatchArgs {
    /// The project folder or its patchbay.toml.
    pub project: PathBuf,
    /// A call (WAVE) to run after every successful load, like
    /// `handle-request("get a")`.
    #[arg(long)]
    pub call: Option<String>,
    /// Print one JSON object per load on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Per-run limits.
    #[command(flatten)]
    pub limits: crate::LimitArgs,
}

/// Watches until Ctrl-C, then exits 0.
pub fn run(args: WatchArgs) -> Result<ExitCode> {
    let manifest = patchbay_project::manifest_path(&args.project);
    if !manifest.is_file() {
        anyhow::bail!("cannot read project file {}", manifest.display());
    }
    let limits = args.limits.limits()?;
    let host = Arc::new(crate::host(args.limits.max_stack()?)?);
    crate::runtime()?.block_on(async {
        let mut watcher = ProjectWatcher::start(host.clone(), &args.project)?;
        eprintln!("watching {} (Ctrl-C to stop)", watcher.manifest().display());
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                _ = &mut ctrl_c => break,
                outcome = watcher.next_reload() => {
                    let Some(outcome) = outcome else { break };
                    show(&host, &outcome, &args, &limits).await?;
                }
            }
        }
        eprintln!("stopped watching");
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints one load: what changed and was built, then the call's result or
/// the diagnostics.
async fn show(
    host: &Host,
    outcome: &ReloadOutcome,
    args: &WatchArgs,
    limits: &Limits,
) -> Result<()> {
    let report = match (outcome.prepared(), &args.call) {
        (Some(prepared), Some(call)) => Some(host.run_composed(prepared, call, limits).await),
        _ => None,
    };
    if args.json {
        let report = report.as_ref().map(|r| {
            patchbay_api::RunReport::from_host(r, patchbay_api::RunLimits::from_host(limits))
        });
        let value = patchbay_api::ReloadReport::new(outcome, report);
        println!("{}", serde_json::to_string(&value)?);
        return Ok(());
    }

    if outcome.is_initial() {
        eprintln!("loaded {}", outcome.project_dir.display());
    } else if outcome.changed.is_empty() {
        eprintln!("reloaded");
    } else {
        eprintln!("reloaded: {}", outcome.changed_names().join(", "));
    }
    for build in &outcome.builds {
        if build.success {
            eprintln!(
                "built {} (`{}`, {:.1} s)",
                build.component,
                build.command,
                build.millis as f64 / 1000.0
            );
        }
    }
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    match (&outcome.result, outcome.prepared()) {
        (Ok(_), Some(prepared)) => match report {
            Some(report) => crate::output::print_report(&report),
            None => eprintln!("ready; exports: {}", prepared.export_names().join(", ")),
        },
        // `patchbay watch` prepares: a good reload always has a project.
        (Ok(_), None) => eprintln!("ready"),
        (Err(error), _) => {
            match error {
                ReloadError::Check(problems) => {
                    let manifest = patchbay_project::manifest_path(&args.project);
                    let mut problems = problems.clone();
                    crate::output::locate_in(&manifest, &mut problems);
                    for p in &problems {
                        eprintln!("{}", patchbay_compose::problem_line(&manifest, p));
                    }
                }
                ReloadError::Build(run) => {
                    eprintln!(
                        "error: the build of `{}` failed: `{}` {}",
                        run.component, run.command, run.ended
                    );
                    let output = run.output.trim_end();
                    if !output.is_empty() {
                        eprintln!("--- build output ---\n{output}");
                    }
                }
                other => eprintln!("error: {other}"),
            }
            eprintln!(
                "{}",
                if outcome.kept_last_good {
                    "keeping the last good build"
                } else {
                    "no good build yet; waiting for a change"
                }
            );
        }
    }
    Ok(())
}
