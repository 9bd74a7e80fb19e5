//! Exporting: what an export would write and the files it wrote.

use super::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an export would write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportPreview {
    /// The composition's imports: what it still needs from its host.
    pub surface: Vec<SurfaceItem>,
    /// Default folder.
    pub dir: String,
    /// File names.
    pub wasm: String,
    /// `.wac` file name.
    pub wac: String,
    /// `.wit` file name.
    pub wit: String,
    /// Size of the composed component.
    pub size: u64,
    /// WIT of the result.
    pub wit_text: String,
    /// The recipe.
    pub wac_text: String,
}

/// One remaining import and what it gives the component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SurfaceItem {
    /// Import name.
    pub name: String,
    /// What it lets the component do.
    pub meaning: String,
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
}

/// Written files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Exported {
    /// Folder.
    pub dir: String,
    /// The composed component.
    pub wasm: String,
    /// The recipe.
    pub wac: String,
    /// The WIT of the result.
    pub wit: String,
    /// Size of the component.
    pub size: u64,
}
