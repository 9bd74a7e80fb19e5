//! The editor's commands, driven headless the way the UI drives them. One
//! module per area, as in `src/session/`: `project` (start-up, open,
//! samples, the path gate, save, recovery, watching), `new_project`
//! (starting from nothing, save as into a new folder), `edit` (wires, mock
//! values, document rules), `run`, `instance` (the live session),
//! `export` and `import` (a composed binary or a recipe opened).

#[path = "../common/mod.rs"]
mod common;
mod composite;
mod edit;
mod export;
mod import;
mod instance;
mod new_project;
mod project;
mod recovery;
mod run;

use common::{block, copy_sample, NoWindow, Recorder, Scripted};
use patchbay_api::*;
use std::path::PathBuf;
use std::sync::Arc;

struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    session: Session,
    dialogs: Arc<Scripted>,
    events: Arc<Recorder>,
}

/// Copies a sample project and the sample components into a temporary
/// folder with the repository's layout, and opens a session on it.
fn fixture(sample: &str) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    copy_sample(&root, sample);
    let dialogs = Arc::new(Scripted::default());
    let events = Arc::new(Recorder::default());
    let session = Session::new(
        SessionOptions {
            state_dir: root.join("state"),
            samples_dir: Some(root.clone()),
            startup_project: Some(root.join(sample)),
            watch_debounce: Some(std::time::Duration::from_millis(50)),
            ..Default::default()
        },
        dialogs.clone(),
        events.clone(),
        Arc::new(NoWindow),
    )
    .unwrap();
    Fixture {
        _tmp: tmp,
        root,
        session,
        dialogs,
        events,
    }
}

/// A session whose command line names `project`, with state in `state`.
fn session_for(f: &Fixture, project: PathBuf, state: &str) -> Session {
    Session::new(
        SessionOptions {
            state_dir: f.root.join(state),
            samples_dir: Some(f.root.clone()),
            startup_project: Some(project),
            ..Default::default()
        },
        f.dialogs.clone(),
        f.events.clone(),
        Arc::new(NoWindow),
    )
    .unwrap()
}

fn port(node: &str, port: &str) -> PortAddr {
    PortAddr {
        node: node.into(),
        port: port.into(),
    }
}

const KV: &str = "patchbay:kv/store";
