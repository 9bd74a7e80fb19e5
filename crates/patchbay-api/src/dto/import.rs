//! Opening a `.wac` recipe or a composed binary as a project: what the
//! import will do (`importPlan`), a file or folder picked for it
//! (`importPick`), and the import itself (`importProject`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A package of a `.wac` recipe and the file that provides it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackageFile {
    /// `ns:pkg`, as the recipe names it.
    pub name: String,
    /// The component file (picked with `importPick`).
    pub path: String,
}

/// `importPlan`: what importing `file` needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlanRequest {
    /// The `.wac` or component file the user opened.
    pub file: String,
    /// Packages given so far.
    pub deps: Vec<PackageFile>,
}

/// What a file to import is, decided by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// A `.wac` recipe: its packages are components found beside it or
    /// given.
    Wac,
    /// A component (composed or single) or core module binary, or WAT:
    /// its components are extracted beside the new project.
    Binary,
}

/// The answer to `importPlan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    /// The file.
    pub file: String,
    /// What it is.
    pub kind: ImportKind,
    /// The folder the project goes to unless another is picked: a new
    /// folder beside the file, named after it.
    pub output: String,
    /// Packages the recipe names that are neither given nor beside it, in
    /// the order it needs them (the first one only: the next shows once
    /// it is given).
    pub missing_packages: Vec<String>,
}

/// `importPick`: a native dialog for the import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportPickRequest {
    /// The file being imported (the dialog starts beside it).
    pub file: String,
    /// The package whose file to pick; `null` picks the project folder.
    pub package: Option<String>,
}

/// `importProject`: writes the project and opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportProjectRequest {
    /// The file to import (one the user opened).
    pub file: String,
    /// The project folder: the plan's `output` or one picked.
    pub output: String,
    /// Packages of a `.wac` recipe given by the user.
    pub deps: Vec<PackageFile>,
}
