//! Bad-input corpora: every case must fail with exactly the expected error.
//!
//! Folder contract:
//! - `tests/bad-inspect/<case>/`: the input is `input.wasm`, `input.wat` or
//!   `input` (a folder); with none of them, a missing `input.wasm`.
//!   `patchbay_inspect::inspect_file` must fail with the text of `error.txt`.
//! - `tests/bad-project/<case>/`: `patchbay.toml` (absent: a missing file)
//!   and any components it names. Either `patchbay_project::load` fails with
//!   the text of `error.txt`, or the project loads and then `check` must
//!   report errors and `compose` must refuse it: `error.txt` is then every
//!   problem `patchbay check` prints, pinned to `file:line:col`.
//!
//! In `error.txt` the case folder is written `$CASE`. `BLESS=1` rewrites it.

mod support;

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;

fn inspect_case(dir: &Path) -> Result<(), Failed> {
    let input = ["input.wasm", "input.wat", "input"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join("input.wasm"));
    match patchbay_inspect::inspect_file(&input) {
        Ok(_) => Err(format!("{} was accepted", input.display()).into()),
        Err(e) => support::check(
            &support::normalize(&format!("{e}\n"), dir),
            &dir.join("error.txt"),
        ),
    }
}

fn project_case(dir: &Path) -> Result<(), Failed> {
    let path = dir.join("patchbay.toml");
    let text = match patchbay_project::load(&path) {
        Err(e) => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(&format!(": {s}"));
                source = s.source();
            }
            format!("{text}\n")
        }
        Ok(doc) => {
            let ws = patchbay_compose::Workspace::open(doc);
            let mut problems = ws.check();
            if !problems.iter().any(|p| p.is_error()) {
                return Err("the project loaded and `check` found no error".into());
            }
            if ws.compose().is_ok() {
                return Err("`check` found errors, but the project composed".into());
            }
            let source = std::fs::read_to_string(&path)?;
            patchbay_compose::locate(&mut problems, &source);
            problems
                .iter()
                .map(|p| format!("{}\n", patchbay_compose::problem_line(&path, p)))
                .collect()
        }
    };
    support::check(&support::normalize(&text, dir), &dir.join("error.txt"))
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for (name, dir) in support::cases("bad-inspect") {
        trials.push(Trial::test(format!("bad_inspect::{name}"), move || {
            inspect_case(&dir)
        }));
    }
    for (name, dir) in support::cases("bad-project") {
        trials.push(Trial::test(format!("bad_project::{name}"), move || {
            project_case(&dir)
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}
