//! Exporting: what an export would write and the files it wrote.

use super::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which artifact an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ExportVariant {
    /// Denials and mocks composed in as generated stub components: the
    /// artifact imports only what is granted or left open, and what cannot
    /// be sealed.
    Sealed,
    /// Every binding left to whoever runs the artifact.
    Open,
}

/// What an export would write: both variants, before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportPreview {
    /// The sealed artifact (the default), or `null` when sealing fails
    /// ([`ExportPreview::sealed_error`] says why).
    pub sealed: Option<VariantPreview>,
    /// Why the project cannot be exported sealed (a stub that cannot be
    /// made or composed), naming the node and import.
    pub sealed_error: Option<String>,
    /// The open artifact.
    pub open: VariantPreview,
    /// Default folder.
    pub dir: String,
    /// File names.
    pub wasm: String,
    /// `.wac` file name.
    pub wac: String,
    /// `.wit` file name.
    pub wit: String,
    /// Why Spin cannot deploy this project (it runs HTTP handlers), or
    /// `null`.
    pub spin_refused: Option<String>,
}

/// One variant of the export: its attack surface, its stubs and what it
/// cannot seal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VariantPreview {
    /// Which variant.
    pub variant: ExportVariant,
    /// The artifact's imports, decoded from its bytes (what
    /// `wasm-tools component wit` lists for the written file).
    pub surface: Vec<SurfaceItem>,
    /// The deny and mock stubs composed in (sealed only), in the recipe's
    /// order.
    pub stubs: Vec<StubItem>,
    /// Bindings that stay imports although they deny or mock (sealed only),
    /// each with its reason.
    pub not_sealed: Vec<NotSealedItem>,
    /// Size of the composed component.
    pub size: u64,
    /// WIT of the result.
    pub wit_text: String,
    /// The recipe.
    pub wac_text: String,
}

/// What a stub seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StubKind {
    /// Every function traps, naming the denial.
    Deny,
    /// Every function answers the mock's values.
    Mock,
    /// A fake's code or answers, configured with the binding's values.
    Fake,
    /// A grant's scope enforced inside the artifact (the variables it
    /// names, a seeded random source, a fixed wall clock).
    Scope,
}

/// One denied or mocked import sealed by a generated stub component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StubItem {
    /// Deny, mock, fake or scope.
    pub kind: StubKind,
    /// The node whose import it satisfies.
    pub node: String,
    /// The import.
    pub import: String,
    /// Its functions (for a denial, the trap each raises).
    pub functions: Vec<String>,
    /// Its file in the export folder (`stubs/NAME.wasm`).
    pub file: String,
}

/// A binding the sealed artifact cannot carry: the import stays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NotSealedItem {
    /// The node.
    pub node: String,
    /// The import.
    pub import: String,
    /// Why it cannot be sealed (naming the function).
    pub reason: String,
}

/// One remaining import and what it gives the component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SurfaceItem {
    /// Import name.
    pub name: String,
    /// What it lets the component do.
    pub meaning: String,
    /// The nodes that reach the host through it, in instantiation order
    /// (a node whose import a stub seals does not).
    pub nodes: Vec<String>,
    /// The interface only names types (no functions): a host declares it,
    /// but it gives the component nothing to call.
    #[serde(rename = "typesOnly")]
    pub types_only: bool,
}

/// `exportArtifacts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Target folder: must be the default folder or one chosen by dialog in
    /// this session; `null` is the default.
    pub dir: Option<String>,
    /// Show a folder dialog first.
    pub choose_dir: bool,
    /// Which artifact to write.
    pub variant: ExportVariant,
    /// Where else it goes: manifests beside it, a registry.
    pub targets: DeployTargets,
}

/// The deployment targets of one export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DeployTargets {
    /// Write `spin.toml` (Spin manifest version 2) beside the artifact.
    pub spin: bool,
    /// Write `wadm.yaml` (a wasmCloud application) beside the artifact.
    pub wadm: bool,
    /// Push the artifact to an OCI registry, pull it back and verify it.
    pub oci: Option<OciTarget>,
}

/// A push to an OCI registry. The credentials are used for this push only:
/// never stored in the project, the session or any file.
#[derive(Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OciTarget {
    /// `REGISTRY/REPOSITORY[:TAG]`, e.g. `ghcr.io/you/app:1.0`.
    pub reference: String,
    /// Speak plain HTTP even to a registry not on localhost or 127.0.0.1.
    pub insecure: bool,
    /// The username; with none, the docker config's credentials (or none).
    pub username: Option<String>,
    /// The password or token, with the username.
    pub password: Option<String>,
}

impl std::fmt::Debug for OciTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OciTarget")
            .field("reference", &self.reference)
            .field("insecure", &self.insecure)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// A deployment target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum DeployTarget {
    /// `spin.toml`.
    Spin,
    /// `wadm.yaml`.
    Wadm,
    /// A push to an OCI registry.
    Oci,
}

/// What became of one target of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TargetOutcome {
    /// Which target.
    pub target: DeployTarget,
    /// What happened.
    pub result: TargetResult,
}

/// A target's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TargetResult {
    /// A manifest was written beside the artifact.
    Written {
        /// Its path.
        file: String,
        /// What it cannot express (node, grant, why), also written in it
        /// as comments.
        notes: Vec<String>,
    },
    /// The artifact was pushed, pulled back and verified.
    Pushed {
        /// The reference pushed to, as given.
        reference: String,
        /// `registry/repository@sha256:…`: exactly this artifact.
        pinned: String,
        /// The digest of the manifest pushed.
        #[serde(rename = "manifestDigest")]
        manifest_digest: String,
        /// The digest of the manifest pulled back (equal, or the push
        /// would have failed).
        #[serde(rename = "pulledDigest")]
        pulled_digest: String,
        /// The digest of the component layer.
        #[serde(rename = "layerDigest")]
        layer_digest: String,
        /// The bytes pushed.
        size: u64,
    },
    /// Nothing was done for this target, and why (naming the target).
    Failed {
        /// The reason.
        message: String,
    },
}

/// `show_export_folder`: the folder an export was written to, to show in
/// the system's file manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ShowFolderRequest {
    /// The folder ([`Exported::dir`]).
    pub dir: String,
}

/// Written files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Exported {
    /// Which artifact was written.
    pub variant: ExportVariant,
    /// Folder.
    pub dir: String,
    /// The composed component.
    pub wasm: String,
    /// The recipe.
    pub wac: String,
    /// The WIT of the result.
    pub wit: String,
    /// The stubs the recipe names (sealed only).
    pub stubs: Vec<String>,
    /// Size of the component.
    pub size: u64,
    /// The written component's imports, decoded from its bytes.
    pub imports: Vec<String>,
    /// Each deployment target asked for, in the order Spin, wadm, OCI.
    pub targets: Vec<TargetOutcome>,
}
