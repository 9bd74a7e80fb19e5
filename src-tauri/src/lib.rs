//! Patchbay's desktop shell: one Tauri window around [`patchbay_api`].
//!
//! The shell adapts and does nothing else. Every command the page can call is
//! declared once, in [`patchbay_api::for_each_command!`]; this crate turns the
//! list into `#[tauri::command]` functions that forward to the
//! [`Session`](patchbay_api::Session) method of the same name. Native dialogs,
//! the event channel and the window are the session's traits, implemented in
//! [`native`] with Tauri and tauri-plugin-dialog. The window's drag-and-drop
//! and close events become [`AppEvent`]s.
//!
//! The page gets no file system or dialog access of its own: dialogs run in
//! Rust, from commands, so the page can only make the backend read what the
//! user chose in a dialog, dropped on the window or named on the command line.
//!
//! ```no_run
//! // src/main.rs
//! std::process::exit(patchbay_app::run(std::env::args_os().skip(1)));
//! ```

mod launch;
pub mod native;

use patchbay_api::{ApiError, AppEvent, Session};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::{AppHandle, DragDropEvent, Manager, State, Url, Window, WindowEvent};

pub use launch::{samples_dir, state_dir, Launch};

/// The label of the one window (capabilities/default.json names it).
pub const MAIN_WINDOW: &str = "main";

/// Turns `(name, Request, Response)` into a Tauri command per entry and an
/// invoke handler that registers them all.
macro_rules! tauri_commands {
    ($(($name:ident, $request:ty, $response:ty)),* $(,)?) => {
        /// The Tauri commands: each forwards its request to the session.
        mod commands {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    session: State<'_, Arc<Session>>,
                    request: $request,
                ) -> Result<$response, ApiError> {
                    session.$name(request).await
                }
            )*
        }

        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$name),*]
        }
    };
}

patchbay_api::for_each_command!(tauri_commands);

/// Runs the app with the command-line arguments (without the program name)
/// and returns the process exit code: 0, 1 when the app cannot start, 2 for
/// a bad command line.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let launch = match Launch::parse(args) {
        Ok(Some(launch)) => launch,
        Ok(None) => return 0,
        Err(message) => {
            eprintln!("patchbay-app: {message}\n\n{}", Launch::USAGE);
            return 2;
        }
    };
    let cell = native::AppCell::default();
    // Inside Tauri's Tokio runtime: the session's host and watcher use it.
    let session = tauri::async_runtime::block_on(async {
        Session::new(
            launch.session_options(),
            Arc::new(native::NativeDialogs::new(cell.clone())),
            Arc::new(native::WebviewEvents::new(cell.clone())),
            Arc::new(native::MainWindow::new(cell.clone())),
        )
    });
    let session = match session {
        Ok(session) => Arc::new(session),
        Err(error) => {
            eprintln!("patchbay-app: cannot start the session: {error}");
            return 1;
        }
    };
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(session)
        .setup(move |app| {
            cell.set(app.handle().clone());
            open_main_window(app.handle())?;
            Ok(())
        })
        .on_window_event(on_window_event)
        .invoke_handler(invoke_handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run_return(|_, _| {}),
        Err(error) => {
            eprintln!("patchbay-app: cannot start the window: {error}");
            1
        }
    }
}

/// Opens the main window from its configuration (`create: false` in
/// tauri.conf.json), with two guards the configuration cannot express: the
/// page may only navigate within the app, and the window's title follows
/// the page's (`● project — Patchbay`).
fn open_main_window(app: &AppHandle) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .ok_or("tauri.conf.json declares no `main` window")?
        .clone();
    let dev_url = app.config().build.dev_url.clone();
    tauri::WebviewWindowBuilder::from_config(app, &config)?
        .on_navigation(move |url| is_app_url(url, dev_url.as_ref()))
        .on_document_title_changed(|window, title| {
            if !title.is_empty() {
                let _ = window.set_title(&title);
            }
        })
        .build()?;
    Ok(())
}

/// Whether the page may navigate to `url`: the app's own assets, or the
/// Vite dev server in a development build.
fn is_app_url(url: &Url, dev_url: Option<&Url>) -> bool {
    let own = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    let dev = tauri::is_dev() && dev_url.is_some_and(|dev| dev.origin() == url.origin());
    own || dev
}

fn on_window_event(window: &Window, event: &WindowEvent) {
    let Some(session) = window.try_state::<Arc<Session>>() else {
        return;
    };
    match event {
        WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) => {
            let paths: Vec<&PathBuf> = paths.iter().filter(|p| is_component_file(p)).collect();
            if paths.is_empty() {
                return;
            }
            for path in &paths {
                session.allow_path(path);
            }
            native::emit(
                window.app_handle(),
                AppEvent::FilesDropped {
                    paths: paths.iter().map(|p| p.display().to_string()).collect(),
                },
            );
        }
        WindowEvent::CloseRequested { api, .. } if session.is_dirty() => {
            api.prevent_close();
            native::emit(window.app_handle(), AppEvent::CloseRequested);
        }
        _ => {}
    }
}

/// A dropped path the editor can add as a component: an existing `.wasm`
/// or `.wat` file.
fn is_component_file(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("wasm" | "wat")) && path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_stays_within_the_app() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(is_app_url(&url("tauri://localhost/index.html"), None));
        assert!(is_app_url(&url("http://tauri.localhost/"), None));
        assert!(!is_app_url(&url("https://example.com/"), None));
        assert!(!is_app_url(&url("file:///etc/passwd"), None));
        assert!(!is_app_url(&url("tauri://evil.example/"), None));
    }

    #[test]
    fn only_existing_wasm_and_wat_files_count_as_components() {
        let dir = std::env::temp_dir().join(format!("patchbay-app-drop-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("folder.wasm")).unwrap();
        for name in ["a.wasm", "b.WAT", "c.toml", "d"] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        assert!(is_component_file(&dir.join("a.wasm")));
        assert!(is_component_file(&dir.join("b.WAT")));
        assert!(!is_component_file(&dir.join("c.toml")));
        assert!(!is_component_file(&dir.join("d")));
        assert!(!is_component_file(&dir.join("folder.wasm")));
        assert!(!is_component_file(&dir.join("missing.wasm")));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
