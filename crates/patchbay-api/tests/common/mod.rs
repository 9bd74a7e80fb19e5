//! The harness the API's test binaries share: dialogs answered from a
//! script, an event sink that records, a window that does nothing, a
//! runtime to block on, and the samples copied into a temporary folder.

// Each test binary uses a part of the harness.
#![allow(dead_code)]

use patchbay_api::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Keeps every event the session emits.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<AppEvent>>);

impl EventSink for Recorder {
    fn emit(&self, event: AppEvent) {
        self.0.lock().unwrap().push(event);
    }
}

/// Dialogs answered from a script; with nothing scripted, every dialog is
/// cancelled.
#[derive(Default)]
pub struct Scripted {
    pub components: Mutex<Vec<PathBuf>>,
    pub folder: Mutex<Option<PathBuf>>,
    pub save: Mutex<Option<PathBuf>>,
    /// The folders shown in the file manager, in order.
    pub shown: Mutex<Vec<PathBuf>>,
}

impl Dialogs for Scripted {
    fn pick_project(&self) -> Option<PathBuf> {
        None
    }
    fn pick_components(&self) -> Vec<PathBuf> {
        std::mem::take(&mut self.components.lock().unwrap())
    }
    fn pick_save_project(&self, _suggested: &Path) -> Option<PathBuf> {
        self.save.lock().unwrap().take()
    }
    fn pick_folder(&self, _start: &Path) -> Option<PathBuf> {
        self.folder.lock().unwrap().take()
    }
    fn show_folder(&self, folder: &Path) -> Result<(), String> {
        self.shown.lock().unwrap().push(folder.to_path_buf());
        Ok(())
    }
}

pub struct NoWindow;
impl WindowControl for NoWindow {
    fn close(&self) {}
}

pub fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Copies the sample project `sample` and the sample components into
/// `root`, with the repository's layout (`root/wasm`, `root/<sample>`).
pub fn copy_sample(root: &Path, sample: &str) {
    let samples = Path::new(patchbay_test_programs::SAMPLES_DIR);
    std::fs::create_dir_all(root.join("wasm")).unwrap();
    for entry in std::fs::read_dir(samples.join("wasm")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join("wasm").join(entry.file_name())).unwrap();
    }
    std::fs::create_dir_all(root.join(sample)).unwrap();
    std::fs::copy(
        samples.join(sample).join("patchbay.toml"),
        root.join(sample).join("patchbay.toml"),
    )
    .unwrap();
}
