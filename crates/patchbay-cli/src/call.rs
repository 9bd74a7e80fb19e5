//! `patchbay call`: one or more calls of the composition's exports, in
//! order, sharing one live instance (a session) unless `--fresh` asks for
//! a new instance per call.

use anyhow::Result;
use clap::Args;
use patchbay_host::{Host, Limits, LiveSession, RunReport, Runnable};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// What `patchbay call` takes.
#[derive(Args)]
pub struct CallArgs {
    /// The project folder or its patchbay.toml.
    project: PathBuf,
    /// The calls, in WAVE, run in order. Several calls share one instance,
    /// so state the guest keeps lives from one to the next.
    #[arg(required_unless_present = "presets", value_name = "CALL")]
    calls: Vec<String>,
    /// Call with an argument preset saved in the project (`[presets]`,
    /// made in the run panel), by name; repeatable. Presets run first, in
    /// the order given, then the CALLs.
    #[arg(long = "preset", value_name = "NAME")]
    presets: Vec<String>,
    /// Print the run report as JSON (an array of reports for several calls).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: crate::LimitArgs,
    /// Instantiate every node on its own and record each call across a
    /// wire (resources exported across a wire are lent through the host).
    #[arg(long)]
    traced: bool,
    /// Give every call a fresh instance instead of one shared by all.
    #[arg(long)]
    fresh: bool,
}

/// Runs the calls; the exit code is a failure if any call failed. A call
/// that fails inside the guest ends the session: the calls after it are
/// not run, and say so.
pub fn run(args: CallArgs) -> Result<ExitCode> {
    let limits = args.limits.limits()?;
    let ws = crate::load(&args.project)?;
    let calls = preset_calls(&ws.project().presets, &args.presets)?
        .into_iter()
        .chain(args.calls.iter().cloned())
        .collect::<Vec<_>>();
    let host = crate::host(args.limits.max_stack()?)?;
    let prepared = if args.traced {
        host.prepare_traced(&ws)?
    } else {
        host.prepare(&ws)?
    };
    let prepared = Arc::new(prepared);
    let mut session = host.session(prepared.clone());
    let runtime = crate::runtime()?;
    let mut reports = Vec::new();
    let mut failed = false;
    for (i, call) in calls.iter().enumerate() {
        let report = runtime.block_on(one(
            &host,
            &prepared,
            &mut session,
            call,
            &limits,
            args.fresh || calls.len() == 1,
        ));
        let report = match report {
            Ok(report) => report,
            Err(ended) => {
                let skipped = calls.len() - i;
                eprintln!(
                    "error[session-ended]: {ended}; {skipped} call{} not run",
                    if skipped == 1 { "" } else { "s" }
                );
                failed = true;
                break;
            }
        };
        failed |= report.result.is_err();
        if !args.json {
            if calls.len() > 1 {
                eprintln!("--- call {}: {call}", i + 1);
            }
            crate::output::print_report(&report);
        }
        reports.push(report);
    }
    let status = session.status();
    if !args.json && status.calls > 0 {
        eprintln!(
            "(session: {} call{} on one instance, {} KiB of linear memory in use)",
            status.calls,
            if status.calls == 1 { "" } else { "s" },
            status.memory_bytes >> 10
        );
    }
    if args.json {
        let limits = patchbay_api::RunLimits::from_host(&limits);
        let json: Vec<_> = reports
            .iter()
            .map(|r| patchbay_api::RunReport::from_host(r, limits))
            .collect();
        match json.as_slice() {
            [one] if calls.len() == 1 => crate::output::print_json(one)?,
            all => crate::output::print_json(all)?,
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One call: in the session, or in a fresh instance with `--fresh` or when
/// there is a single call.
async fn one(
    host: &Host,
    prepared: &Runnable,
    session: &mut LiveSession,
    call: &str,
    limits: &Limits,
    fresh: bool,
) -> Result<RunReport, patchbay_host::SessionEnded> {
    if fresh {
        Ok(host.run(prepared, call, limits).await)
    } else {
        host.call_in(session, call, limits).await
    }
}

/// The call text of each named preset: `FUNCTION(ARGS)`. A name must name
/// exactly one preset of the project.
fn preset_calls(presets: &patchbay_project::Presets, names: &[String]) -> Result<Vec<String>> {
    names
        .iter()
        .map(|name| {
            let found: Vec<_> = presets
                .iter()
                .filter_map(|(function, entries)| entries.get(name).map(|args| (function, args)))
                .collect();
            match found.as_slice() {
                [(function, args)] => Ok(format!("{function}({args})")),
                [] => {
                    let known: Vec<_> = presets
                        .iter()
                        .flat_map(|(f, e)| e.keys().map(move |n| format!("`{n}` ({f})")))
                        .collect();
                    anyhow::bail!(
                        "the project has no preset `{name}`; {}",
                        if known.is_empty() {
                            "it has none (save one from the run panel)".to_string()
                        } else {
                            format!("its presets: {}", known.join(", "))
                        }
                    )
                }
                several => anyhow::bail!(
                    "preset `{name}` is saved for {} functions ({}); write the call instead, such as `{}({})`",
                    several.len(),
                    several.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", "),
                    several[0].0,
                    several[0].1
                ),
            }
        })
        .collect()
}
