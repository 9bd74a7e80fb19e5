//! Composite nodes: grouping nodes into a composite and back, and writing
//! a composite alone (a component, or a library project folder).

use super::ProjectDoc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `group_nodes`: move `nodes` into a new composite definition `name`,
/// replaced by one node instantiating it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GroupNodesRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Ids of top-level nodes to group (at least one).
    pub nodes: Vec<String>,
    /// The new composite's name (kebab-case, unused by components and
    /// composites).
    pub name: String,
}

/// The document after grouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Grouped {
    /// The new document.
    pub doc: ProjectDoc,
    /// Id of the node that instantiates the new composite (its name, or
    /// the name with `2`, `3`… added when a node has it).
    pub node: String,
}

/// `ungroup_node`: replace a composite node by the composite's inner
/// nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UngroupNodeRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Id of a top-level node that instantiates a composite.
    pub node: String,
}

/// The document after ungrouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Ungrouped {
    /// The new document.
    pub doc: ProjectDoc,
    /// Ids the inner nodes got in the enclosing graph, in definition order.
    pub nodes: Vec<String>,
}

/// `export_composite`: write one composite alone as a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportCompositeRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// The composite's name.
    pub composite: String,
    /// Target folder, by the export dialog's rule: the default (`out/`
    /// beside the project) when `null`, else a folder chosen in the dialog
    /// this session.
    pub dir: Option<String>,
    /// Show a folder dialog first.
    pub choose_dir: bool,
}

/// A composite written as a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportedComposite {
    /// The `.wasm` file written (`DIR/NAME.wasm`).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its imports (the composite's ports).
    pub imports: Vec<String>,
    /// Its exports.
    pub exports: Vec<String>,
}

/// `save_composite_to_library`: write a composite as a project folder of
/// its own, which another project can add as a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveCompositeRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// The composite's name.
    pub composite: String,
    /// The library folder, by the export dialog's rule (`null`: `out/`
    /// beside the project); the project goes to `FOLDER/NAME/`.
    pub folder: Option<String>,
    /// Show a folder dialog first.
    pub choose_folder: bool,
}

/// A composite saved as a library project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedComposite {
    /// The project folder written (`FOLDER/NAME`).
    pub folder: String,
    /// Its `patchbay.toml`: the composite's graph as a project, its
    /// components copied under `components/`.
    pub manifest: String,
    /// The composed component (`FOLDER/NAME/NAME.wasm`), the file another
    /// project adds.
    pub component: String,
}
