//! Only regular component files are read: a FIFO, a device or an oversized
//! file is refused at once with an error naming the file and what it is.

#![cfg(unix)]

use patchbay_inspect::{inspect_file, load_file, load_file_unvalidated, InspectError};
use patchbay_project::MAX_COMPONENT_BYTES;
use std::path::Path;
use std::time::Duration;

/// Runs `f` on a thread and fails the test if it has not returned within a
/// minute: reading a FIFO used to block forever.
fn without_blocking<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{what} blocked"))
}

#[test]
fn a_fifo_component_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("input.wasm");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    for read in [load_file, load_file_unvalidated] {
        let path = fifo.clone();
        let e = without_blocking("reading a FIFO", move || read(&path))
            .expect_err("a FIFO is no component");
        assert!(matches!(e, InspectError::NotRegular { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!("{}: is a FIFO, not a regular file", fifo.display())
        );
    }
}

#[test]
fn dev_zero_is_refused_without_reading_it() {
    let e = without_blocking("inspecting /dev/zero", || {
        inspect_file(Path::new("/dev/zero"))
    })
    .expect_err("/dev/zero is no component");
    assert_eq!(
        e.to_string(),
        "/dev/zero: is a character device, not a regular file"
    );
}

#[test]
fn an_oversized_component_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.wasm");
    // Sparse: 512 MiB and a byte, without writing them.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MAX_COMPONENT_BYTES + 1)
        .unwrap();
    let e = load_file(&path).expect_err("too large");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is 512.0 MiB, more than the 512 MiB a component file may have",
            path.display()
        )
    );
}

#[test]
fn a_folder_is_still_called_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let e = load_file(dir.path()).expect_err("a folder is no component");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is a folder, not a component file",
            dir.path().display()
        )
    );
}
