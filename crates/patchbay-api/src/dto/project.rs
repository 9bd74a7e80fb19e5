//! The project's life cycle: opening a project or a sample, recovering
//! autosaved changes, adding components, saving and the dirty flag.

use super::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `openProject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenProjectRequest {
    /// A `patchbay.toml` or a folder holding one; `null` shows the open
    /// dialog. Must be a path the user chose (command line, dialog, drop).
    pub path: Option<String>,
}

/// `openSample`: one of the sample projects that ship with Patchbay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenSampleRequest {
    /// The sample's folder name (`kv-service`, `order-pipeline` …).
    pub name: String,
}

/// A sample project the app can open without a dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SampleView {
    /// Folder name.
    pub name: String,
    /// The first comment line of its `patchbay.toml`.
    pub description: String,
}

/// `newProject`: an empty project, opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewProjectRequest {
    /// The folder (created if missing); `null` shows a folder dialog. Must
    /// be a folder the user opened (command line, dialog) that holds no
    /// project yet.
    pub dir: Option<String>,
    /// The project's name (kebab-case); `null` or empty names it after the
    /// folder.
    pub name: Option<String>,
}

/// A component that ships with the samples, addable without a dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SampleComponentView {
    /// Its file name without `.wasm` (`kv-memory`).
    pub name: String,
    /// Its absolute path, for `addComponents`.
    pub path: String,
}

/// A project, opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenedProject {
    /// The manifest file.
    pub path: String,
    /// Its folder.
    pub dir: String,
    /// The document.
    pub doc: ProjectDoc,
    /// Every component, loaded.
    pub components: Vec<ComponentView>,
    /// Check and compose results.
    pub analysis: Analysis,
    /// Unsaved changes autosaved after the file was last saved, if any.
    pub recovery: Option<Recovery>,
    /// Notes for the user (the file was upgraded from an older version).
    pub notes: Vec<String>,
}

/// Autosaved changes that can be recovered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recovery {
    /// The autosaved document.
    pub doc: ProjectDoc,
    /// When it was written, in milliseconds since the Unix epoch.
    pub saved_at_ms: u64,
    /// The components of `doc` as they load now (a component added before
    /// the crash included; one whose file is gone says why).
    pub components: Vec<ComponentView>,
}

/// `addComponents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AddComponentsRequest {
    /// The current document (new ids must not clash with it).
    pub doc: ProjectDoc,
    /// Files from a drop; `null` shows the open dialog.
    pub paths: Option<Vec<String>>,
}

/// A request about the current document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocRequest {
    /// The current document.
    pub doc: ProjectDoc,
}

/// `save`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Ask where to save.
    pub save_as: bool,
}

/// Where the project was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Saved {
    /// The manifest file.
    pub path: String,
    /// The document as saved (paths rebased when saved elsewhere, hashes
    /// updated).
    pub doc: ProjectDoc,
}

/// `setDirty`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SetDirtyRequest {
    /// Whether there are unsaved changes.
    pub dirty: bool,
}
