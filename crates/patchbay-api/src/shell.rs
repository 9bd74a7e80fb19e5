//! What the shell implements for the session: native dialogs, the event
//! channel to the page and the window.

use crate::dto::AppEvent;
use std::path::{Path, PathBuf};

/// Native dialogs. They block until the user answers; the session calls
/// them from a blocking thread.
pub trait Dialogs: Send + Sync + 'static {
    /// A `patchbay.toml`, a folder holding one, or a file to import as a
    /// project (a `.wac` recipe or a component binary).
    fn pick_project(&self) -> Option<PathBuf>;
    /// `.wasm` / `.wat` files.
    fn pick_components(&self) -> Vec<PathBuf>;
    /// Where to save the project file.
    fn pick_save_project(&self, suggested: &Path) -> Option<PathBuf>;
    /// A folder to export into.
    fn pick_folder(&self, start: &Path) -> Option<PathBuf>;
    /// A folder for a new project (the shell may title the dialog so).
    fn pick_new_project_folder(&self, start: &Path) -> Option<PathBuf> {
        self.pick_folder(start)
    }
    /// The component file of package `name` (`ns:pkg`) a `.wac` recipe
    /// names (the shell may title the dialog with the name).
    fn pick_package(&self, name: &str) -> Option<PathBuf> {
        let _ = name;
        self.pick_components().into_iter().next()
    }
    /// Shows `folder` in the system's file manager; `Err` says why it
    /// could not.
    fn show_folder(&self, folder: &Path) -> Result<(), String>;
}

/// Receives the session's events (the shell forwards them to the page).
pub trait EventSink: Send + Sync + 'static {
    /// Delivers one event.
    fn emit(&self, event: AppEvent);
}

/// The window the session belongs to.
pub trait WindowControl: Send + Sync + 'static {
    /// Closes the window for good (the user confirmed).
    fn close(&self);
}
