//! `patchbay-run`: every `patchbay` verb, with the Wasmtime host linked in.
//! `patchbay call|serve|watch` hand over to it.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    patchbay_cli::finish(patchbay_cli::run(patchbay_cli::Cli::parse()))
}
