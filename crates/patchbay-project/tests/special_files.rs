//! Only regular files are read: a FIFO, a device, a socket or an oversized
//! file named as the project is refused at once with an error naming the
//! file and what it is, never a hang or a read until memory runs out.

#![cfg(unix)]

use patchbay_project::{
    load, read_regular, FileKind, ProjectError, ReadError, MANIFEST_NAME, MAX_MANIFEST_BYTES,
};
use std::path::{Path, PathBuf};
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

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_fifo_manifest_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join(MANIFEST_NAME);
    mkfifo(&fifo);
    for named in [fifo.clone(), dir.path().to_path_buf()] {
        let e = without_blocking("loading a FIFO", move || load(&named))
            .expect_err("a FIFO is no project");
        assert!(
            matches!(
                e,
                ProjectError::NotRegular {
                    kind: FileKind::Fifo,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!("{}: is a FIFO, not a regular file", fifo.display())
        );
    }
}

#[test]
fn a_device_is_refused_without_reading_it() {
    let e = without_blocking("loading /dev/zero", || load(Path::new("/dev/zero")))
        .expect_err("/dev/zero is no project");
    assert_eq!(
        e.to_string(),
        "/dev/zero: is a character device, not a regular file"
    );
    let e = without_blocking("reading /dev/zero", || {
        read_regular(Path::new("/dev/zero"), u64::MAX)
    })
    .expect_err("/dev/zero is not read");
    assert!(
        matches!(e, ReadError::NotRegular(FileKind::CharDevice)),
        "{e:?}"
    );
}

#[test]
fn a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("s.toml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let e = load(&socket).expect_err("a socket is no project");
    assert_eq!(
        e.to_string(),
        format!("{}: is a socket, not a regular file", socket.display())
    );
}

#[test]
fn an_oversized_manifest_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(MANIFEST_NAME);
    // Sparse: 16 MiB and a byte, without writing them.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_MANIFEST_BYTES + 1).unwrap();
    let e = load(&path).expect_err("too large");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is 16.0 MiB, more than the 16 MiB a project file may have",
            path.display()
        )
    );
    assert!(matches!(
        e,
        ProjectError::TooLarge { size, limit, .. } if size == MAX_MANIFEST_BYTES + 1 && limit == MAX_MANIFEST_BYTES
    ));
}

#[test]
fn read_regular_reads_up_to_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten");
    std::fs::write(&path, b"0123456789").unwrap();
    assert_eq!(read_regular(&path, 10).unwrap(), b"0123456789");
    let e = read_regular(&path, 9).unwrap_err();
    assert_eq!(e.to_string(), "is 10 bytes, more than the 9 bytes limit");
    let e = read_regular(&dir.path().join("absent"), 10).unwrap_err();
    assert!(
        matches!(&e, ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "No such file or directory (os error 2)");
    assert!(
        std::error::Error::source(&e).is_none(),
        "the cause is said once"
    );
}
