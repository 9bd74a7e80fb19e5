//! Saves from other processes: a process saving in a loop is killed with
//! SIGKILL again and again, and two processes save one manifest at once.
//! The manifest is always a whole document, and the next save removes what
//! killed saves left behind.
//!
//! The saving process is this test binary run again with
//! `PATCHBAY_SAVE_CHILD` set: the `saving_child` test then saves documents
//! of writer `PATCHBAY_SAVE_WRITER` to that path in a loop, for
//! `PATCHBAY_SAVE_ROUNDS` rounds or until it is killed.

#![cfg(unix)]

mod common;

use patchbay_project::{load, save, to_toml, MANIFEST_NAME};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Documents a child cycles through.
const VARIANTS: usize = 8;
/// The line a child prints before its first save.
const READY: &str = "patchbay-save-child: saving";

#[test]
fn saving_child() {
    let Some(path) = std::env::var_os("PATCHBAY_SAVE_CHILD") else {
        return; // Run directly: nothing to do.
    };
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let writer = number("PATCHBAY_SAVE_WRITER", 0);
    let rounds = number("PATCHBAY_SAVE_ROUNDS", usize::MAX);
    let documents: Vec<_> = (0..VARIANTS).map(|r| common::document(writer, r)).collect();
    println!("{READY}");
    for round in 0..rounds {
        save(&documents[round % VARIANTS], Path::new(&path)).expect("a save succeeds");
    }
}

/// Starts a saving process: one that saves until it is killed (its stdout
/// piped, to wait for [`READY`]), or one that saves `rounds` times.
fn spawn_child(path: &Path, writer: usize, rounds: Option<usize>) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "saving_child", "--nocapture", "--test-threads=1"])
        .env("PATCHBAY_SAVE_CHILD", path)
        .env("PATCHBAY_SAVE_WRITER", writer.to_string())
        .stderr(Stdio::null());
    match rounds {
        Some(n) => command
            .env("PATCHBAY_SAVE_ROUNDS", n.to_string())
            .stdout(Stdio::null()),
        None => command.stdout(Stdio::piped()),
    };
    command.spawn().expect("the test binary starts again")
}

/// Waits until the child is about to save for the first time (libtest
/// prints `test saving_child ... ` before the child's own line).
fn wait_until_saving(child: &mut Child) {
    let out = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(out).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains(READY) => return,
            Some(Ok(_)) => {}
            _ => panic!("the child ended before saving"),
        }
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    let mut written = common::texts(0..1, VARIANTS);
    let parent_doc = common::document(1, 0);
    written.insert(to_toml(&parent_doc));
    save(&parent_doc, &path).unwrap();

    let kills = 50;
    let mut left_behind = 0;
    for i in 0..kills {
        let mut child = spawn_child(&path, 0, None);
        wait_until_saving(&mut child);
        // Kill at varied moments of the save loop (jitter, not a timing
        // assertion: any moment must do).
        std::thread::sleep(std::time::Duration::from_micros(300 * (i % 7)));
        child.kill().expect("SIGKILL is sent");
        child.wait().unwrap();

        let text = std::fs::read_to_string(&path).expect("the manifest is there");
        if let Err(e) = common::check_whole(&text, &written) {
            panic!("after kill {i}: {e}");
        }
        load(&path).unwrap_or_else(|e| panic!("after kill {i}: {e}"));
        if !common::leftovers(dir.path(), MANIFEST_NAME).is_empty() {
            left_behind += 1;
        }

        // The next save removes what the killed one left.
        save(&parent_doc, &path).unwrap();
        assert_eq!(
            common::leftovers(dir.path(), MANIFEST_NAME),
            Vec::<String>::new(),
            "after kill {i} and a save"
        );
    }
    eprintln!("{kills} kills; {left_behind} left a temporary or lock file behind");
}

#[test]
fn two_processes_saving_at_once_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    let first = common::document(9, 0);
    save(&first, &path).unwrap();
    let mut written = common::texts(0..2, VARIANTS);
    written.insert(to_toml(&first));

    let mut children: Vec<_> = (0..2).map(|w| spawn_child(&path, w, Some(40))).collect();
    let mut reads = 0;
    let mut running = true;
    while running {
        running = false;
        for child in &mut children {
            if child.try_wait().unwrap().is_none() {
                running = true;
            }
        }
        let text = std::fs::read_to_string(&path).expect("the manifest is there");
        if let Err(e) = common::check_whole(&text, &written) {
            panic!("after {reads} reads: {e}");
        }
        reads += 1;
    }
    for mut child in children {
        let status = child.wait().unwrap();
        assert!(status.success(), "a saving process failed: {status}");
    }
    assert_eq!(
        common::leftovers(dir.path(), MANIFEST_NAME),
        Vec::<String>::new()
    );
}
