//! `patchbay export`: the composed component, its `.wac` recipe and its
//! WIT in one folder, sealed by default (denials and mocks composed in as
//! deny and mock stubs, written to `stubs/` for the recipe), or open
//! (`--open`, bindings left to whoever runs it, as `compose`). Says, before
//! writing, which mocks cannot be baked and why; then what was sealed and
//! what the artifact still imports.

use crate::output;
use anyhow::Result;
use patchbay_compose::{SealError, Sealed, StubKind, Workspace, STUB_FOLDER};
use std::path::Path;
use std::process::ExitCode;

/// Runs the verb up to the deployment manifests: writes the export folder
/// and returns the manifests planned (checked before anything is written),
/// for the caller to write once the artifact is where they point (after an
/// `--oci` push, so `wadm.yaml` never names an image the push did not
/// store).
pub(crate) fn run(
    project: &Path,
    dir: &Path,
    open: bool,
    deploy: &crate::deploy::DeployArgs,
    image: Option<&str>,
) -> Result<(ExitCode, Vec<crate::deploy::Planned>)> {
    let ws = crate::load(project)?;
    let refused = |ws: &Workspace, mut problems: Vec<patchbay_compose::Problem>| {
        output::locate(ws, &mut problems);
        output::print_problems(ws, &problems);
        anyhow::anyhow!(
            "cannot export {}: fix the errors above",
            ws.doc().path.display()
        )
    };
    let (composed, sealed) = if open {
        (ws.compose().map_err(|p| refused(&ws, p))?, None)
    } else {
        match ws.compose_sealed() {
            Ok(sealed) => (sealed.composed.clone(), Some(sealed)),
            Err(SealError::Problems(p)) => return Err(refused(&ws, p)),
            Err(e) => return Err(e.into()),
        }
    };
    let mut warnings = composed.warnings.clone();
    output::locate(&ws, &mut warnings);
    for p in &warnings {
        eprintln!("{}", output::problem_line(&ws, p));
    }
    // What cannot be baked is said before anything is written.
    if let Some(sealed) = &sealed {
        print_not_sealed(sealed);
    }
    // So are the manifests: a project Spin cannot run is refused here.
    let manifests = crate::deploy::plan(&ws, &composed, sealed.as_ref(), dir, deploy, image)?;
    let name = &ws.project().name;
    let stubs = sealed.as_ref().map_or(&[][..], |s| &s.stubs[..]);
    let files = patchbay_compose::write_export(dir, name, &composed, stubs)?;
    let wasm = files.wasm;
    eprintln!(
        "wrote {} ({} bytes), {name}.wac and {name}.wit in {}",
        wasm.display(),
        composed.bytes.len(),
        dir.display()
    );
    match &sealed {
        Some(sealed) => print_sealed(sealed),
        None => {
            println!("open: no binding is baked in; whoever runs it decides what each import gets")
        }
    }
    print_imports(&files.artifact.imports);
    Ok((ExitCode::SUCCESS, manifests))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_sealed(sealed: &Sealed) {
    // Imports, not stubs: one stub may serve several of a node's imports.
    let count = |kind| {
        sealed
            .stubs
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| 1 + s.also.len())
            .sum::<usize>()
    };
    let (denied, mocked) = (count(StubKind::Deny), count(StubKind::Mock));
    let (faked, scoped) = (count(StubKind::Fake), count(StubKind::Scope));
    println!(
        "sealed: {denied} denied import{} composed in as deny stubs (each function traps, naming the denial), {mocked} mocked import{} as mock stubs (each function answers the mock's values), {faked} faked import{} as fake stubs (the fake, configured with the binding's values), {scoped} granted import{} behind scope stubs (the grant's scope enforced inside the artifact)",
        plural(denied),
        plural(mocked),
        plural(faked),
        plural(scoped),
    );
    for stub in &sealed.stubs {
        println!(
            "  {}  {}.{}{} ({} function{}; {STUB_FOLDER}/{}.wasm)",
            match stub.kind {
                StubKind::Deny => "deny",
                StubKind::Mock => "mock",
                StubKind::Fake => "fake",
                StubKind::Scope => "scope",
            },
            stub.node,
            stub.import,
            stub.also
                .iter()
                .map(|i| format!(", {}.{i}", stub.node))
                .collect::<String>(),
            stub.functions.len(),
            plural(stub.functions.len()),
            stub.name
        );
    }
}

fn print_not_sealed(sealed: &Sealed) {
    let n = sealed.not_sealed.len();
    if n == 0 {
        return;
    }
    if n == 1 {
        println!("not sealed: 1 binding stays an import (whoever runs the artifact decides what it gets):");
    } else {
        println!("not sealed: {n} bindings stay imports (whoever runs the artifact decides what they get):");
    }
    for n in &sealed.not_sealed {
        println!("  {}  {n}", n.mode);
    }
}

fn print_imports(imports: &[String]) {
    if imports.is_empty() {
        println!("imports: none");
        return;
    }
    println!("imports: {}", imports.len());
    for import in imports {
        println!("  {import}");
    }
}
