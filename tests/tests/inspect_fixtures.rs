//! Inspect fixtures: `tests/inspect/<case>/`.
//!
//! Folder contract:
//! - the input is `input.wat` or `input.wasm` in the folder, or, if there is
//!   neither, the sample component named like the folder (built from source
//!   by `patchbay-test-programs`);
//! - `expected.wit` is the expected output: a `// source: …` line saying
//!   what the input was, then the world as WIT.
//!
//! `BLESS=1` rewrites `expected.wit`. Every built sample must have a case.

mod support;

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;

fn run_case(name: &str, dir: &Path) -> Result<(), Failed> {
    let input = ["input.wat", "input.wasm"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .or_else(|| {
            patchbay_test_programs::ALL
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| p.into())
        })
        .ok_or_else(|| format!("case `{name}` has no input.wat/input.wasm and is not a sample"))?;
    let inspection = patchbay_inspect::inspect_file(&input).map_err(|e| e.to_string())?;
    let actual = format!(
        "// source: {}\n{}",
        inspection.component.kind.describe(),
        inspection.info.wit
    );
    support::check(&actual, &dir.join("expected.wit"))
}

fn main() {
    let args = Arguments::from_args();
    let cases = support::cases("inspect");
    let mut trials: Vec<Trial> = cases
        .iter()
        .map(|(name, dir)| {
            let (name, dir) = (name.clone(), dir.clone());
            Trial::test(format!("inspect::{name}"), move || run_case(&name, &dir))
        })
        .collect();
    let names: Vec<String> = cases.iter().map(|(n, _)| n.clone()).collect();
    trials.push(Trial::test("inspect::every_sample_has_a_case", move || {
        let missing: Vec<_> = patchbay_test_programs::ALL
            .iter()
            .filter(|(n, _)| !names.iter().any(|c| c == n))
            .map(|(n, _)| *n)
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("samples without an inspect case in tests/inspect/: {missing:?}").into())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}
