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
    #[arg(required = true, value_name = "CALL")]
    calls: Vec<String>,
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
    for (i, call) in args.calls.iter().enumerate() {
        let report = runtime.block_on(one(&host, &prepared, &mut session, call, &limits, &args));
        let report = match report {
            Ok(report) => report,
            Err(ended) => {
                let skipped = args.calls.len() - i;
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
            if args.calls.len() > 1 {
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
            [one] if args.calls.len() == 1 => crate::output::print_json(one)?,
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
    args: &CallArgs,
) -> Result<RunReport, patchbay_host::SessionEnded> {
    if args.fresh || args.calls.len() == 1 {
        Ok(host.run(prepared, call, limits).await)
    } else {
        host.call_in(session, call, limits).await
    }
}
