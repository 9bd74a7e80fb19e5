//! Saves of one manifest from several threads at once, while other threads
//! read it: no save fails, and every read is one of the written documents
//! (never a torn mix of two).

mod common;

use patchbay_project::{load, save, to_toml, MANIFEST_NAME};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const WRITERS: usize = 4;
const ROUNDS: usize = 40;

#[test]
fn concurrent_saves_never_fail_and_reads_are_never_torn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    // The file exists before anyone reads it.
    let first = common::document(WRITERS, 0);
    save(&first, &path).unwrap();
    let mut written = common::texts(0..WRITERS, ROUNDS);
    written.insert(to_toml(&first));
    let written = Arc::new(written);
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..2)
        .map(|reader| {
            let (path, written, done) = (path.clone(), written.clone(), done.clone());
            std::thread::spawn(move || -> Result<usize, String> {
                let mut reads = 0;
                loop {
                    let finished = done.load(Ordering::SeqCst);
                    // One reader reads the raw text, the other loads the
                    // project (which also cleans up abandoned temporaries
                    // while saves are running, and must not disturb them).
                    let text = if reader == 0 {
                        std::fs::read_to_string(&path).map_err(|e| format!("read: {e}"))?
                    } else {
                        let doc = load(&path).map_err(|e| format!("load: {e}"))?;
                        to_toml(&doc.project)
                    };
                    common::check_whole(&text, &written)?;
                    reads += 1;
                    if finished {
                        return Ok(reads);
                    }
                    std::thread::yield_now();
                }
            })
        })
        .collect();

    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || -> Result<(), String> {
                for round in 0..ROUNDS {
                    save(&common::document(writer, round), &path)
                        .map_err(|e| format!("writer {writer}, round {round}: {e:?}"))?;
                }
                Ok(())
            })
        })
        .collect();

    let mut failures = Vec::new();
    for w in writers {
        if let Err(e) = w.join().expect("a writer panicked") {
            failures.push(e);
        }
    }
    done.store(true, Ordering::SeqCst);
    let mut reads = 0;
    for r in readers {
        match r.join().expect("a reader panicked") {
            Ok(n) => reads += n,
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(reads >= 2);
    eprintln!("{} saves, {reads} reads", WRITERS * ROUNDS);

    let last = std::fs::read_to_string(&path).unwrap();
    common::check_whole(&last, &written).unwrap();
    assert_eq!(
        common::leftovers(dir.path(), MANIFEST_NAME),
        Vec::<String>::new(),
        "no temporary or lock file stays"
    );
}

#[test]
fn concurrent_outputs_never_fail_and_reads_are_never_torn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.wasm");
    let output = |writer: usize, round: usize| {
        let len = 1 + (writer * 4099 + round * 7919) % 200_000;
        vec![(writer * 16 + round % 16) as u8; len]
    };
    patchbay_project::write_output(&path, &output(0, 0)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), done.clone());
        std::thread::spawn(move || -> Result<usize, String> {
            let mut reads = 0;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let bytes = std::fs::read(&path).map_err(|e| format!("read: {e}"))?;
                // Every output is one byte repeated: a torn file has two.
                if bytes.iter().any(|b| *b != bytes[0]) {
                    return Err(format!("a torn output of {} bytes", bytes.len()));
                }
                reads += 1;
                if finished {
                    return Ok(reads);
                }
                std::thread::yield_now();
            }
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    patchbay_project::write_output(&path, &output(writer, round))
                        .map_err(|e| format!("writer {writer}, round {round}: {e}"))?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer panicked").unwrap();
    }
    done.store(true, Ordering::SeqCst);
    reader.join().expect("the reader panicked").unwrap();
    assert_eq!(
        common::leftovers(dir.path(), "out.wasm"),
        Vec::<String>::new()
    );
}
