//! `patchbay new DIR [--name NAME]`: an empty project to start from.

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// `patchbay new`'s arguments.
#[derive(clap::Args)]
pub struct NewArgs {
    /// The project folder (created if missing; must not hold a
    /// `patchbay.toml` yet).
    dir: PathBuf,
    /// The project's name, kebab-case (default: the folder's name,
    /// kebab-cased).
    #[arg(long)]
    name: Option<String>,
}

/// Writes the empty `patchbay.toml` with the rule the app's *New project*
/// uses ([`patchbay_api::create_project`]).
pub fn run(args: NewArgs) -> Result<ExitCode> {
    let manifest = patchbay_api::create_project(&args.dir, args.name.as_deref())
        .map_err(|e| anyhow::anyhow!(e.message))?;
    println!("created {}", manifest.display());
    eprintln!(
        "next: add a [components.ID] entry with the path of a .wasm or .wat file and a [nodes.ID] that instantiates it (or open the folder in the app), then `patchbay check {}`",
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
