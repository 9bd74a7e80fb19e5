//! `patchbay export --spin --wadm`: the deployment manifests written beside
//! the artifact (`spin.toml`, `wadm.yaml`, from `patchbay-deploy`), and what
//! each cannot express, printed.

use anyhow::Result;
use patchbay_compose::{Composed, Sealed, Workspace};
use patchbay_deploy::{Artifact, Manifest, Target};
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

/// A manifest to write.
pub(crate) struct Planned {
    target: Target,
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
    let asked = Target::ALL.into_iter().filter(|t| match t {
        Target::Spin => args.spin,
        Target::Wadm => args.wadm,
    });
    let artifact = Artifact::of_export(ws, composed, sealed, dir, image);
    let mut planned = Vec::new();
    for target in asked {
        planned.push(Planned {
            target,
            manifest: target.manifest(ws, &artifact)?,
        });
    }
    Ok(planned)
}

/// Writes the planned manifests into `dir` and prints what each cannot
/// express.
pub(crate) fn write(dir: &Path, planned: &[Planned]) -> Result<()> {
    for Planned { target, manifest } in planned {
        let path = patchbay_deploy::write_manifest(dir, *target, manifest)?;
        eprintln!("wrote {}", path.display());
        let file = target.file();
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
