//! `patchbay import RECIPE.wac [--dep ns:pkg=FILE]… -o DIR`: a `.wac` file
//! opened as a project (`patchbay_compose::import_wac`).

use anyhow::{bail, Context, Result};
use patchbay_compose::Workspace;
use std::path::PathBuf;
use std::process::ExitCode;

/// `patchbay import`'s arguments.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The `.wac` file.
    file: PathBuf,
    /// A package the file names, as `ns:pkg=FILE` (as `wac compose
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
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let imported = patchbay_compose::import_wac(&args.file, &deps, &args.output)?;
    patchbay_project::save(&imported.project, &manifest)?;
    let project = &imported.project;
    println!(
        "imported {}: {} node{}, {} wire{}, {} export{} from {} package{}",
        args.file.display(),
        project.nodes.len(),
        plural(project.nodes.len()),
        project.wires.len(),
        plural(project.wires.len()),
        project.exports.len(),
        plural(project.exports.len()),
        imported.packages.len(),
        plural(imported.packages.len()),
    );
    for (name, path) in &imported.packages {
        println!("  {name} = {}", path.display());
    }
    println!("wrote {}", manifest.display());
    // The new project is checked as `patchbay check` would.
    let loaded = patchbay_project::load(&manifest)?;
    let problems = Workspace::open(loaded).check();
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        eprintln!(
            "the imported project has {errors} error{}; see `patchbay check {}`",
            plural(errors),
            args.output.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
