//! `patchbay export --spin --wadm`: the deployment manifests written beside
//! the artifact (`spin.toml`, `wadm.yaml`, from `patchbay-deploy`), and what
//! each cannot express, printed.

use anyhow::{Context, Result};
use patchbay_compose::{Composed, Sealed, Workspace};
use patchbay_deploy::{Artifact, Manifest, SPIN_FILE, WADM_FILE};
use std::path::Path;

/// The manifest flags of `patchbay export`.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct DeployArgs {
    /// Also write `spin.toml` (Spin manifest version 2) for the artifact:
    /// an HTTP trigger on `/...`, `allowed_outbound_hosts` from the grants'
    /// allow-lists, `files` from their folders. The composition must export
    /// `wasi:http/incoming-handler`.
    #[arg(long)]
    pub spin: bool,
    /// Also write `wadm.yaml`, a wasmCloud application manifest: the
    /// component (its image the `--oci` reference, else a `file://` path),
    /// with the HTTP server provider linked for an HTTP export and the HTTP
    /// client provider for outgoing HTTP.
    #[arg(long)]
    pub wadm: bool,
}

/// A manifest to write, by file name.
pub(crate) struct Planned {
    file: &'static str,
    manifest: Manifest,
}

/// Generates the manifests the flags ask for, before anything is written,
/// so that a project Spin cannot run is refused with nothing on disk.
pub(crate) fn plan(
    ws: &Workspace,
    composed: &Composed,
    sealed: Option<&Sealed>,
    dir: &Path,
    args: &DeployArgs,
    image: Option<&str>,
) -> Result<Vec<Planned>> {
    if !args.spin && !args.wadm {
        return Ok(vec![]);
    }
    let project = ws.project();
    let artifact = Artifact {
        file: format!("{}.wasm", project.name),
        dir: dir.to_path_buf(),
        exports: project
            .exports
            .iter()
            .map(|e| e.export_name().to_string())
            .collect(),
        imports: composed.imports.clone(),
        sealed: sealed.is_some(),
        not_sealed: sealed.map(|s| s.not_sealed.clone()).unwrap_or_default(),
        image: image.map(str::to_string),
    };
    let mut planned = Vec::new();
    if args.spin {
        planned.push(Planned {
            file: SPIN_FILE,
            manifest: patchbay_deploy::spin_manifest(ws, &artifact)?,
        });
    }
    if args.wadm {
        planned.push(Planned {
            file: WADM_FILE,
            manifest: patchbay_deploy::wadm_manifest(ws, &artifact)?,
        });
    }
    Ok(planned)
}

/// Writes the planned manifests into `dir` and prints what each cannot
/// express.
pub(crate) fn write(dir: &Path, planned: &[Planned]) -> Result<()> {
    for Planned { file, manifest } in planned {
        let path = dir.join(file);
        patchbay_project::write_output(&path, manifest.text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
        match manifest.notes.len() {
            0 => println!("{file}: expresses every grant"),
            n => {
                println!(
                    "{file}: cannot express {n} thing{} (also written in it as comments):",
                    if n == 1 { "" } else { "s" }
                );
                for note in &manifest.notes {
                    println!("  {note}");
                }
            }
        }
    }
    Ok(())
}
