//! Deployment manifests for an exported composition: a Spin application
//! manifest (`spin.toml`, manifest version 2) and a wasmCloud application
//! manifest for wadm (`wadm.yaml`, OAM `core.oam.dev/v1beta1`), each taken
//! from the project's grants and from what the export wrote.
//!
//! A sealed artifact carries its denials and mocks inside; what it still
//! imports is answered by the engine it runs on. The grants that scope
//! those imports (environment names, folders, network allow-lists, clocks,
//! random sources) are host business, so they go into the manifest where
//! the format can say them, and into a list of [`Note`]s where it cannot:
//! each note names the node, the grant and why.
//!
//! No network, no Tauri: the crate writes text.
//!
//! ```no_run
//! use patchbay_deploy::{spin_manifest, Artifact};
//! # fn demo(ws: &patchbay_compose::Workspace) -> Result<(), patchbay_deploy::DeployError> {
//! let artifact = Artifact {
//!     file: "http-hello.wasm".into(),
//!     dir: "out".into(),
//!     exports: vec!["wasi:http/incoming-handler@0.2.12".into()],
//!     imports: vec!["wasi:io/streams@0.2.12".into()],
//!     sealed: true,
//!     not_sealed: vec![],
//!     image: None,
//! };
//! let spin = spin_manifest(ws, &artifact)?;
//! std::fs::write("out/spin.toml", &spin.text).unwrap();
//! for note in &spin.notes {
//!     eprintln!("not expressed: {note}");
//! }
//! # Ok(()) }
//! ```

mod scope;
mod spin;
mod targets;
mod wadm;

pub use spin::{spin_manifest, SPIN_FILE, SPIN_ROUTE};
pub use targets::{write_manifest, Target, WriteError};
pub use wadm::{
    wadm_manifest, HTTP_CLIENT_IMAGE, HTTP_SERVER_ADDRESS, HTTP_SERVER_IMAGE, WADM_FILE,
};

use patchbay_compose::NotSealed;
use std::fmt;
use std::path::PathBuf;

/// What an export wrote: the artifact a manifest deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The component's file name inside [`Artifact::dir`] (`http-hello.wasm`).
    pub file: String,
    /// The folder the export (and the manifest, beside it) is written to.
    pub dir: PathBuf,
    /// The artifact's exports, as the composition names them.
    pub exports: Vec<String>,
    /// The artifact's imports: what the engine must answer.
    pub imports: Vec<String>,
    /// Whether denials and mocks were sealed into the artifact. In an open
    /// export they stay imports, and the engine answers them.
    pub sealed: bool,
    /// Bindings a sealed export could not bake, with the reason.
    pub not_sealed: Vec<NotSealed>,
    /// The OCI reference the artifact was pushed to, if it was.
    pub image: Option<String>,
}

/// A generated manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The file's text, notes included as comments.
    pub text: String,
    /// What the manifest cannot express, each naming the node and grant.
    pub notes: Vec<Note>,
}

/// Something of the project a manifest cannot express.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The node it is about, if one.
    pub node: Option<String>,
    /// What: a grant (`env GREETING`, `dirs data -> /data`), a binding or
    /// an import.
    pub subject: String,
    /// Why the manifest cannot say it, and what the engine does instead.
    pub reason: String,
}

impl Note {
    pub(crate) fn new(
        node: Option<&str>,
        subject: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            node: node.map(str::to_string),
            subject: subject.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Some(node) => write!(f, "node {node}: {}: {}", self.subject, self.reason),
            None => write!(f, "{}: {}", self.subject, self.reason),
        }
    }
}

/// Why a manifest cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeployError {
    /// Spin runs components from triggers; its HTTP trigger calls
    /// `wasi:http/incoming-handler`, which the artifact does not export.
    #[error(
        "cannot write a Spin manifest for project `{project}`: Spin runs a component when a trigger fires, and its HTTP trigger calls an export of `wasi:http/incoming-handler@0.2.x`; the composition exports {}. Export a node's `wasi:http/incoming-handler` to deploy it on Spin",
        if exports.is_empty() { "nothing".to_string() } else { exports.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ") }
    )]
    NoHttpExport {
        /// The project name.
        project: String,
        /// What the composition exports instead.
        exports: Vec<String>,
    },
    /// The project name cannot name the application or component.
    #[error("cannot write a {target} manifest: project name `{name}` {rule}")]
    BadName {
        /// `Spin` or `wadm`.
        target: &'static str,
        /// The name.
        name: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// A node named by the project has no loaded component (the export
    /// would have refused it first).
    #[error("node `{node}` has no loaded component, so its imports and grants are unknown")]
    MissingComponent {
        /// The node.
        node: String,
    },
    /// The manifest could not be serialized.
    #[error("cannot write the {target} manifest: {message}")]
    Serialize {
        /// `Spin` or `wadm`.
        target: &'static str,
        /// The serializer's message.
        message: String,
    },
}

/// `name` without its `@version`.
pub(crate) fn unversioned(name: &str) -> &str {
    name.split_once('@').map_or(name, |(base, _)| base)
}

/// The comment block a manifest starts with: where it came from, and every
/// note, as `#` comments (TOML and YAML alike).
pub(crate) fn header(project: &str, target: &str, notes: &[Note], extra: &[String]) -> String {
    let mut text =
        format!("# {target} manifest generated by `patchbay export` from project `{project}`.\n");
    for line in extra {
        text.push_str(&format!("# {line}\n"));
    }
    if notes.is_empty() {
        text.push_str("# Every grant of the project is expressed below.\n");
    } else {
        text.push_str("# Not expressed in this manifest:\n");
        for note in notes {
            for (i, line) in note.to_string().lines().enumerate() {
                let lead = if i == 0 { "#   - " } else { "#     " };
                text.push_str(&format!("{lead}{line}\n"));
            }
        }
    }
    text.push('\n');
    text
}
