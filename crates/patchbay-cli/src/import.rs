//! `patchbay import FILE [--dep ns:pkg=FILE]… -o DIR`: a `.wac` recipe or a
//! composed binary opened as a project (`patchbay_compose::import_file`,
//! which tells them apart by content; the app's *Open* calls the same).

use anyhow::{bail, Result};
use patchbay_compose::Workspace;
use std::path::PathBuf;
use std::process::ExitCode;

/// `patchbay import`'s arguments.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The `.wac` file, or a component binary (a composition is
    /// decomposed: its components extracted to `DIR/components/`).
    file: PathBuf,
    /// A package a `.wac` file names, as `ns:pkg=FILE` (as `wac compose
    /// --dep`); packages not given are looked for as `wac` does
    /// (`deps/NS/PKG.wasm` beside the file, or `PKG.wasm` beside it).
    #[arg(long = "dep", value_name = "NS:PKG=FILE")]
    deps: Vec<String>,
    /// The project folder to write (created if missing; must not hold a
    /// `patchbay.toml` yet).
    #[arg(short, long)]
    output: PathBuf,
}

/// Writes the project the file describes and checks it.
pub fn run(args: ImportArgs) -> Result<ExitCode> {
    let mut deps = Vec::new();
    for dep in &args.deps {
        let Some((name, path)) = dep.split_once('=') else {
            bail!("--dep `{dep}` must be `ns:pkg=FILE`, like `--dep project:service=service.wasm`");
        };
        if !name.contains(':') || path.is_empty() {
            bail!("--dep `{dep}` must be `ns:pkg=FILE`, like `--dep project:service=service.wasm`");
        }
        deps.push((name.to_string(), PathBuf::from(path)));
    }
    let manifest = args.output.join(patchbay_project::MANIFEST_NAME);
    if manifest.exists() {
        bail!(
            "{} already exists; import into a folder without a project",
            manifest.display()
        );
    }
    std::fs::create_dir_all(&args.output)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.output.display()))?;
    let imported = patchbay_compose::import_file(&args.file, &deps, &args.output)?;
    let manifest = patchbay_compose::write_import(&args.output, &imported)?;
    println!("{}", imported.summary(&args.file));
    for (name, path) in &imported.packages {
        println!("  {name} = {}", path.display());
    }
    for file in &imported.files {
        println!("  wrote {}", args.output.join(&file.path).display());
    }
    for note in &imported.notes {
        println!("note: {note}");
    }
    println!("wrote {}", manifest.display());
    // The new project is checked as `patchbay check` would.
    let loaded = patchbay_project::load(&manifest)?;
    let problems = Workspace::open(loaded).check();
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        eprintln!(
            "the imported project has {errors} error{}; see `patchbay check {}`",
            if errors == 1 { "" } else { "s" },
            args.output.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
