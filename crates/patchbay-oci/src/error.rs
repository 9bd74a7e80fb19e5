//! What can go wrong talking to a registry, each naming the registry.

use std::path::PathBuf;

/// A failed push, pull or verification. Every variant names the registry
/// (its host, as in the reference) and says what is wrong; none carries a
/// password.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    /// The reference is not an OCI reference.
    #[error("`{reference}` is not an OCI reference (expected REGISTRY/REPOSITORY[:TAG], e.g. ghcr.io/you/app:1.0): {reason}")]
    BadReference {
        /// The reference as given.
        reference: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The docker config file exists but cannot be used.
    #[error("cannot read registry credentials for {registry} from {}: {reason}", path.display())]
    CredentialsFile {
        /// The registry host.
        registry: String,
        /// The docker config file.
        path: PathBuf,
        /// What is wrong with it (never the credential itself).
        reason: String,
    },
    /// Nothing answers at the registry's address.
    #[error("registry {registry} is unreachable: {reason}")]
    Unreachable {
        /// The registry host.
        registry: String,
        /// The connection error.
        reason: String,
    },
    /// The registry refused the credentials (or their absence).
    #[error("registry {registry} refused access to {repository} ({reason}): check the username and password given for this push (`--oci-username` with `--oci-password-stdin`, or the export dialog's fields) or the docker config (`docker login {registry}`)")]
    Unauthorized {
        /// The registry host.
        registry: String,
        /// The repository asked for.
        repository: String,
        /// What the registry said.
        reason: String,
    },
    /// What the registry returned is not what was pushed.
    #[error("registry {registry}: {what} digest mismatch for {reference}: pushed {pushed}, pulled {pulled}")]
    DigestMismatch {
        /// The registry host.
        registry: String,
        /// The reference pulled.
        reference: String,
        /// `manifest` or `layer`.
        what: &'static str,
        /// The digest pushed.
        pushed: String,
        /// The digest pulled back.
        pulled: String,
    },
    /// The pulled artifact is not a Wasm OCI artifact (one `application/wasm` layer).
    #[error("registry {registry}: {reference} is not a Wasm OCI artifact: {reason}")]
    NotWasm {
        /// The registry host.
        registry: String,
        /// The reference pulled.
        reference: String,
        /// What is missing.
        reason: String,
    },
    /// The artifact is not a component whose WIT can be read (for the
    /// artifact's config).
    #[error("the artifact is not a WebAssembly component: {0}")]
    NotAComponent(String),
    /// Any other answer from the registry.
    #[error("registry {registry}: {operation} {reference} failed: {reason}")]
    Registry {
        /// The registry host.
        registry: String,
        /// `push` or `pull`.
        operation: &'static str,
        /// The reference.
        reference: String,
        /// What went wrong.
        reason: String,
    },
}
