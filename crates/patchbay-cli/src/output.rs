//! What the CLI prints: JSON documents and human-readable problem lists.

use patchbay_compose::{Problem, Severity, Workspace};
use patchbay_inspect::{ComponentInfo, Inspection};
use serde::Serialize;
use std::path::Path;

/// Prints any serializable value as pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `patchbay inspect --json`.
#[derive(Serialize)]
pub struct InspectJson<'a> {
    file: String,
    source: String,
    converted: bool,
    hash: &'a str,
    size: usize,
    component_size: usize,
    #[serde(flatten)]
    info: &'a ComponentInfo,
}

impl<'a> InspectJson<'a> {
    pub fn new(file: &Path, inspection: &'a Inspection) -> Self {
        Self {
            file: file.display().to_string(),
            source: inspection.component.kind.describe(),
            converted: inspection.component.kind != patchbay_inspect::SourceKind::Component,
            hash: &inspection.component.hash,
            size: inspection.component.input_size,
            component_size: inspection.component.bytes.len(),
            info: &inspection.info,
        }
    }
}

/// `patchbay check --json`.
#[derive(Serialize)]
pub struct CheckJson<'a> {
    project: String,
    errors: usize,
    warnings: usize,
    problems: &'a [Problem],
}

impl<'a> CheckJson<'a> {
    pub fn new(ws: &Workspace, problems: &'a [Problem]) -> Self {
        let errors = problems.iter().filter(|p| p.is_error()).count();
        Self {
            project: ws.doc().path.display().to_string(),
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }
}

/// One problem as a line: `error[code] wire #1 `a.x -> b.y`: message`.
pub fn problem_line(p: &Problem) -> String {
    p.to_string()
}

/// Prints problems to stderr with a summary line to stdout.
pub fn print_problems(ws: &Workspace, problems: &[Problem]) {
    for p in problems {
        eprintln!("{}", problem_line(p));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    println!(
        "{}: {errors} error{}, {warnings} warning{}",
        ws.doc().path.display(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
}
