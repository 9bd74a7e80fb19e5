//! What the CLI prints: JSON documents and human-readable problem lists.
//!
//! `--json` prints the boundary types of `patchbay-api` (the ones the
//! desktop app receives), so the CLI and the app speak one JSON dialect.

use patchbay_compose::{Problem, Severity, Workspace};
use serde::Serialize;
use std::path::Path;

/// Prints any serializable value as pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// One problem as a line, as compilers print them:
/// `patchbay.toml:12:17: error[code] wire #1 `a.x -> b.y`: message`.
pub fn problem_line(ws: &Workspace, p: &Problem) -> String {
    patchbay_compose::problem_line(&ws.doc().path, p)
}

/// Pins problems to `line:col` of the project file the workspace was
/// loaded from. A file that cannot be read again leaves them unpinned:
/// they still name what they belong to.
pub fn locate(ws: &Workspace, problems: &mut [Problem]) {
    locate_in(&ws.doc().path, problems);
}

/// [`locate`], for problems of the project file at `path`.
pub fn locate_in(path: &Path, problems: &mut [Problem]) {
    let text = patchbay_project::read_regular(path, patchbay_project::MAX_MANIFEST_BYTES)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    if let Some(text) = text {
        patchbay_compose::locate(problems, &text);
    }
}

/// Prints problems to stderr with a summary line to stdout.
pub fn print_problems(ws: &Workspace, problems: &[Problem]) {
    for p in problems {
        eprintln!("{}", problem_line(ws, p));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    let notes = problems
        .iter()
        .filter(|p| p.severity == Severity::Note)
        .count();
    let notes = match notes {
        0 => String::new(),
        1 => ", 1 note".to_string(),
        n => format!(", {n} notes"),
    };
    println!(
        "{}: {errors} error{}, {warnings} warning{}{notes}",
        ws.doc().path.display(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
}

/// Prints a run: the result (or failure) on stdout, everything else on
/// stderr, so `patchbay call … > out` keeps just the value.
pub fn print_report(report: &patchbay_host::RunReport) {
    for (name, text) in [("stdout", &report.stdout), ("stderr", &report.stderr)] {
        if !text.is_empty() {
            eprintln!("--- guest {name} ---");
            eprint!("{text}");
            if !text.ends_with('\n') {
                eprintln!();
            }
        }
    }
    for line in &report.logs {
        eprintln!("{line}");
    }
    for call in &report.mock_calls {
        eprintln!(
            "mock   {}#{}({}) -> {}",
            call.interface,
            call.function,
            call.args.join(", "),
            call.result
        );
    }
    for entry in &report.trace {
        eprintln!(
            "wire   {} -> {} {}({}) -> {} [{} us]",
            entry.caller,
            entry.callee,
            entry.function,
            entry.args.join(", "),
            entry.result,
            entry.micros
        );
    }
    for d in &report.denials {
        eprintln!("denied {d}");
    }
    for line in &report.scope {
        eprintln!("scope  {line}");
    }
    eprintln!(
        "({} mode: {}; {:.3} ms)",
        report.mode,
        report.mode_reason,
        report.micros as f64 / 1000.0
    );
    match &report.result {
        Ok(value) => println!("{value}"),
        Err(failure) => eprintln!("error[{}]: {}", failure.kind.as_str(), failure.message),
    }
}
