//! Request and response types of the editor's commands.
//!
//! These are boundary types: the domain types of the core crates stay free
//! of IPC concerns and are converted here explicitly. Every type derives
//! [`TS`], and `ui/src/bindings/types.ts` is generated from them.
//!
//! One module per area: `codes` (the closed sets of names: problem codes,
//! failure kinds, run modes, grant scopes …), `document` (the editable
//! document), `convert` (the document to and from the project model),
//! `component` (components and their types), `project` (open, recover, save),
//! `edit` (checks while editing), `analysis` (checking and composing),
//! `run` (running and serving), `export`, `import` (a recipe or a
//! composed binary opened as a project) and `event`.

mod analysis;
mod codes;
mod component;
mod composite;
mod convert;
mod document;
mod edit;
mod event;
mod export;
mod graph;
mod import;
mod project;
mod run;

pub use analysis::*;
pub use codes::*;
pub use component::*;
pub use composite::*;
pub(crate) use convert::*;
pub use document::*;
pub use edit::*;
pub use event::*;
pub use export::*;
pub use import::*;
pub use project::*;
pub use run::*;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// No arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Empty {}
