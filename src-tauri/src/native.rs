//! The session's three traits, implemented with Tauri: native file dialogs
//! (tauri-plugin-dialog), the event channel to the page, and the window.
//!
//! The session is created before Tauri starts, so that a failure to start
//! (say, Wasmtime cannot reserve memory) is an error message and an exit
//! code rather than a panic inside the event loop. The adapters therefore
//! share an [`AppCell`] that `setup` fills once the app exists.

use crate::MAIN_WINDOW;
use patchbay_api::{AppEvent, Dialogs, EventSink, WindowControl, EVENT_CHANNEL};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

/// The app handle, once the app is running.
#[derive(Clone, Default)]
pub struct AppCell(Arc<OnceLock<AppHandle>>);

impl AppCell {
    /// Stores the handle (the first call wins).
    pub fn set(&self, app: AppHandle) {
        let _ = self.0.set(app);
    }

    fn get(&self) -> Option<&AppHandle> {
        self.0.get()
    }
}

/// Sends one event to the page on [`EVENT_CHANNEL`].
pub fn emit(app: &AppHandle, event: AppEvent) {
    if let Err(error) = app.emit_to(MAIN_WINDOW, EVENT_CHANNEL, event) {
        eprintln!("patchbay-app: cannot deliver an event to the window: {error}");
    }
}

/// Native file dialogs, parented to the main window. They block, so the
/// session calls them from a blocking thread, never the main thread.
pub struct NativeDialogs(AppCell);

impl NativeDialogs {
    /// Dialogs of the app in `cell`.
    pub fn new(cell: AppCell) -> Self {
        Self(cell)
    }

    fn file(&self, title: &str) -> Option<FileDialogBuilder<tauri::Wry>> {
        let app = self.0.get()?;
        let mut builder = app.dialog().file().set_title(title);
        if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
            builder = builder.set_parent(&window);
        }
        Some(builder)
    }
}

fn local_path(file: FilePath) -> Option<PathBuf> {
    file.into_path().ok()
}

fn start_in(builder: FileDialogBuilder<tauri::Wry>, dir: &Path) -> FileDialogBuilder<tauri::Wry> {
    if dir.is_dir() {
        builder.set_directory(dir)
    } else {
        builder
    }
}

impl Dialogs for NativeDialogs {
    fn pick_project(&self) -> Option<PathBuf> {
        self.file("Open project")?
            .add_filter(
                "Patchbay project, .wac recipe or component",
                &["toml", "wac", "wasm", "wat"],
            )
            .add_filter("Patchbay project", &["toml"])
            .add_filter(
                ".wac recipe or composed component (imported as a project)",
                &["wac", "wasm", "wat"],
            )
            .blocking_pick_file()
            .and_then(local_path)
    }

    fn pick_package(&self, name: &str) -> Option<PathBuf> {
        self.file(&format!("The component of package {name}"))?
            .add_filter("WebAssembly components", &["wasm", "wat"])
            .blocking_pick_file()
            .and_then(local_path)
    }

    fn pick_components(&self) -> Vec<PathBuf> {
        self.file("Add components")
            .and_then(|dialog| {
                dialog
                    .add_filter("WebAssembly components", &["wasm", "wat"])
                    .blocking_pick_files()
            })
            .unwrap_or_default()
            .into_iter()
            .filter_map(local_path)
            .collect()
    }

    fn pick_save_project(&self, suggested: &Path) -> Option<PathBuf> {
        let mut dialog = self
            .file("Save project")?
            .add_filter("Patchbay project", &["toml"]);
        if let Some(dir) = suggested.parent() {
            dialog = start_in(dialog, dir);
        }
        if let Some(name) = suggested.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
        dialog.blocking_save_file().and_then(local_path)
    }

    fn pick_new_project_folder(&self, start: &Path) -> Option<PathBuf> {
        start_in(self.file("New project folder")?, start)
            .blocking_pick_folder()
            .and_then(local_path)
    }

    fn pick_folder(&self, start: &Path) -> Option<PathBuf> {
        start_in(self.file("Export into folder")?, start)
            .blocking_pick_folder()
            .and_then(local_path)
    }

    fn show_folder(&self, folder: &Path) -> Result<(), String> {
        // The desktop's own opener (xdg-open, open, explorer), not waited for.
        open::that_detached(folder).map_err(|e| e.to_string())
    }
}

/// Forwards the session's events to the page.
pub struct WebviewEvents(AppCell);

impl WebviewEvents {
    /// Events of the app in `cell`.
    pub fn new(cell: AppCell) -> Self {
        Self(cell)
    }
}

impl EventSink for WebviewEvents {
    fn emit(&self, event: AppEvent) {
        if let Some(app) = self.0.get() {
            emit(app, event);
        }
    }
}

/// The main window.
pub struct MainWindow(AppCell);

impl MainWindow {
    /// The main window of the app in `cell`.
    pub fn new(cell: AppCell) -> Self {
        Self(cell)
    }
}

impl WindowControl for MainWindow {
    /// Destroys the window without another `CloseRequested`; the app exits
    /// when its last window is gone.
    fn close(&self) {
        let Some(window) = self
            .0
            .get()
            .and_then(|app| app.get_webview_window(MAIN_WINDOW))
        else {
            return;
        };
        if let Err(error) = window.destroy() {
            eprintln!("patchbay-app: cannot close the window: {error}");
        }
    }
}
