//! `patchbay`: the composition verbs, and the door to the run verbs.
//!
//! `call`, `serve` and `watch` are handed over to `patchbay-run` (installed
//! beside this binary) with the same arguments, so that this binary does not
//! link the Wasmtime host.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = patchbay_cli::Cli::parse();
    if cli.runs_components() {
        return patchbay_cli::finish(hand_over());
    }
    patchbay_cli::finish(patchbay_cli::run_composition_verb(cli))
}

/// Runs `patchbay-run` with this process's arguments; on Unix it replaces
/// this process, so signals (Ctrl-C for `serve` and `watch`) reach it.
fn hand_over() -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe()?;
    let runner = exe.with_file_name(format!("patchbay-run{}", std::env::consts::EXE_SUFFIX));
    if !runner.is_file() {
        anyhow::bail!(
            "this verb runs components, which `{}` does; it is not beside `{}` (build or install the patchbay-cli package, which makes both)",
            runner.display(),
            exe.display()
        );
    }
    let mut command = std::process::Command::new(&runner);
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(anyhow::anyhow!(
            "cannot start {}: {error}",
            runner.display()
        ))
    }
    #[cfg(not(unix))]
    {
        let status = command.status()?;
        Ok(ExitCode::from(status.code().unwrap_or(1) as u8))
    }
}
