//! `patchbay export … --oci REF`: pushes the exported artifact (the one
//! just written) to an OCI registry as a Wasm OCI artifact, pulls it back,
//! checks that the manifest and layer digests and the bytes are the ones
//! pushed, and prints `pushed REF@sha256:…`.
//!
//! Credentials come from `--oci-username` with `--oci-password-stdin`, or
//! else from the docker config (`$DOCKER_CONFIG/config.json` or
//! `~/.docker/config.json`, as `docker login` writes it). They are never
//! written anywhere nor printed. Registries on localhost or 127.0.0.1 are
//! spoken to over plain HTTP; others over HTTPS unless `--insecure`.

use anyhow::{Context, Result};
use patchbay_oci::{Credentials, Options};
use std::io::Read;
use std::path::Path;

/// The `--oci` flags of `patchbay export`.
#[derive(clap::Args, Debug, Default)]
pub struct OciArgs {
    /// After writing, push the artifact to an OCI registry as a Wasm OCI
    /// artifact (the layout wkg and wash use), pull it back and verify its
    /// digest: e.g. `ghcr.io/you/app:1.0`, `127.0.0.1:5000/app:dev`.
    #[arg(long, value_name = "REF")]
    pub oci: Option<String>,
    /// The registry username (with --oci-password-stdin). Without it,
    /// credentials come from the docker config (`docker login`), or none.
    #[arg(
        long,
        value_name = "USER",
        requires = "oci",
        requires = "oci_password_stdin"
    )]
    pub oci_username: Option<String>,
    /// Read the registry password (or token) from standard input.
    #[arg(long, requires = "oci_username")]
    pub oci_password_stdin: bool,
    /// Speak plain HTTP to the registry even if it is not on localhost or
    /// 127.0.0.1 (those always are).
    #[arg(long, requires = "oci")]
    pub insecure: bool,
}

/// Refuses a `--oci` reference that does not parse, before anything is
/// composed or written.
pub(crate) fn check_reference(args: &OciArgs) -> Result<()> {
    if let Some(reference) = &args.oci {
        patchbay_oci::registry_of(reference)?;
    }
    Ok(())
}

/// If `--oci` was given, pushes the artifact `patchbay export` just wrote
/// to `dir` (`<project name>.wasm`).
pub(crate) fn push_exported(args: &OciArgs, project: &Path, dir: &Path) -> Result<()> {
    if args.oci.is_none() {
        return Ok(());
    }
    let name = patchbay_project::load(project)?.project.name;
    let wasm = dir.join(format!("{name}.wasm"));
    let artifact =
        std::fs::read(&wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    push_if_asked(args, &artifact)
}

/// Pushes `artifact` if `--oci` was given; prints what was pushed.
pub(crate) fn push_if_asked(args: &OciArgs, artifact: &[u8]) -> Result<()> {
    let Some(reference) = &args.oci else {
        return Ok(());
    };
    let given = match &args.oci_username {
        Some(username) => Some(Credentials::Basic {
            username: username.clone(),
            password: read_password()?,
        }),
        None => None,
    };
    let options = Options::for_reference(reference, given, args.insecure)?;
    let pushed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for the registry client")?
        .block_on(patchbay_oci::push_and_verify(artifact, reference, &options))?;
    println!("pushed {reference}@{}", pushed.manifest_digest);
    println!(
        "  pulled back and verified: manifest {}, layer {} ({} bytes, application/wasm)",
        pushed.manifest_digest, pushed.layer_digest, pushed.size
    );
    Ok(())
}

/// The password on standard input, without its trailing newline.
fn read_password() -> Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the registry password from standard input (--oci-password-stdin)")?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        anyhow::bail!("--oci-password-stdin: standard input held no password");
    }
    Ok(password)
}
