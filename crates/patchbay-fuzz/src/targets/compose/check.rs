//! Running a mutated project through check, wire checks, candidates, the
//! `.wac` writer and compose, and the invariants between them.

use super::*;

/// A project document whose relative paths resolve against `root`.
pub(super) fn virtual_doc(root: &Path, project: Project) -> LoadedProject {
    LoadedProject {
        path: root.join("patchbay.toml"),
        project,
        upgraded_from: None,
    }
}

/// Parses the project (relative paths are relative to the repository
/// root), opens it, and runs what the editor and the CLI run on it: check,
/// every wire's check and candidates, the `.wac` writer, compose. Then the
/// invariants: a green check composes, the composition describes, and its
/// `.wac` parses, resolves and encodes to the same WIT.
pub(in crate::targets) fn execute(root: &Path, input: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(input);
    let (project, _) = patchbay_project::parse(&text, Path::new("fuzz/patchbay.toml"))
        .map_err(|e| format!("the mutated project does not parse: {e}"))?;
    crate::targets::project::round_trip(&project)?;
    let ws = Workspace::open(virtual_doc(root, project));
    let problems = ws.check();
    for wire in &ws.project().wires {
        let _ = ws.check_wire(&wire.from, &wire.to);
        let _ = ws.candidates(&wire.from);
        let _ = ws.candidates(&wire.to);
    }
    let _ = patchbay_compose::wac_source(&ws);
    let green = !problems.iter().any(Problem::is_error);
    match ws.compose() {
        Ok(composed) => {
            if !green {
                return Err(format!(
                    "compose encoded a project that check reports errors for:\n{}",
                    list(&problems)
                ));
            }
            let info = composed
                .describe()
                .map_err(|e| format!("the composition does not describe: {e}"))?;
            wac_round_trip(&ws, &composed.wac, &info.wit)
        }
        Err(errors) if green => Err(format!(
            "check found no error but compose failed:\n{}",
            list(&errors)
        )),
        Err(_) => Ok(()),
    }
}

pub(super) fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `.wac` written for the composition parses, resolves against the
/// same components, encodes, and has the composition's WIT.
pub(super) fn wac_round_trip(ws: &Workspace, wac: &str, wit: &str) -> Result<(), String> {
    let doc = wac_parser::Document::parse(wac)
        .map_err(|e| format!("the generated .wac does not parse: {e}\n{wac}"))?;
    let names: Vec<String> = ws
        .project()
        .components
        .keys()
        .map(|id| format!("{PACKAGE_NAMESPACE}:{id}"))
        .collect();
    let mut packages = IndexMap::new();
    for (name, id) in names.iter().zip(ws.project().components.keys()) {
        if let Some(Ok(part)) = ws.part(id) {
            packages.insert(
                BorrowedPackageKey::from_name_and_version(name, None),
                part.loaded.bytes.clone(),
            );
        }
    }
    let resolution = doc
        .resolve(packages)
        .map_err(|e| format!("the generated .wac does not resolve: {e:?}\n{wac}"))?;
    let bytes = resolution
        .encode(wac_graph::EncodeOptions::default())
        .map_err(|e| format!("the generated .wac does not encode: {e:?}\n{wac}"))?;
    let info = patchbay_inspect::describe_component(&bytes, Path::new("<wac>"))
        .map_err(|e| format!("the .wac's composition does not describe: {e}"))?;
    if info.wit != wit {
        return Err(format!(
            "the .wac composes to different WIT:\n--- wac ---\n{}\n--- patchbay ---\n{wit}\n--- .wac ---\n{wac}",
            info.wit
        ));
    }
    Ok(())
}
