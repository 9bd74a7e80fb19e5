//! Shared by the fixture drivers: the folder walk and the `check` helper
//! that compares output with a baseline or, with `BLESS=1`, rewrites it.

#![allow(dead_code)]

use libtest_mimic::Failed;
use std::path::{Path, PathBuf};

/// The `tests/` folder of the repository.
pub fn suite_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Every case folder under `tests/<suite>/`, sorted by name.
pub fn cases(suite: &str) -> Vec<(String, PathBuf)> {
    let dir = suite_dir(suite);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    cases.sort();
    cases
}

/// Compares `actual` with the file `expected`; with `BLESS=1` in the
/// environment, writes `actual` there instead.
pub fn check(actual: &str, expected: &Path) -> Result<(), Failed> {
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::write(expected, actual)?;
        return Ok(());
    }
    let want = std::fs::read_to_string(expected).map_err(|e| {
        format!(
            "cannot read baseline {}: {e}; run with BLESS=1 to create it",
            expected.display()
        )
    })?;
    if want == actual {
        return Ok(());
    }
    let mut msg = format!(
        "output differs from {} (run with BLESS=1 to accept):\n",
        expected.display()
    );
    for (i, (w, a)) in want.lines().zip(actual.lines()).enumerate() {
        if w != a {
            msg.push_str(&format!(
                "first difference at line {}:\n  expected: {w}\n  actual:   {a}\n",
                i + 1
            ));
            break;
        }
    }
    if want.lines().count() != actual.lines().count() {
        msg.push_str(&format!(
            "expected {} lines, got {}\n",
            want.lines().count(),
            actual.lines().count()
        ));
    }
    msg.push_str("--- actual ---\n");
    msg.push_str(actual);
    Err(msg.into())
}

/// Replaces the case folder's absolute path with `$CASE` so baselines do not
/// depend on where the repository is checked out.
pub fn normalize(text: &str, case_dir: &Path) -> String {
    text.replace(&case_dir.display().to_string(), "$CASE")
}
