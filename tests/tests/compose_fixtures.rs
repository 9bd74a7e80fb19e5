//! Compose fixtures: `tests/compose/<case>/`.
//!
//! Folder contract:
//! - `patchbay.toml` is the project (component paths are relative to it;
//!   cases reuse the built samples through `../../../samples/wasm/`, or
//!   small `.wat` components in the folder);
//! - `expected.wit` if the project composes: the WIT of the result. The
//!   driver also checks that the composed binary validates, and that the
//!   generated `.wac`, parsed and resolved by `wac-parser` against the same
//!   components, composes to a component with the same WIT;
//! - `error.txt` if it does not: every problem `patchbay check` reports, one
//!   per line, with the case folder written as `$CASE`.
//!
//! `BLESS=1` rewrites the baselines.

mod support;

use libtest_mimic::{Arguments, Failed, Trial};
use patchbay_compose::{Workspace, PACKAGE_NAMESPACE};
use std::path::Path;
use wac_graph::types::BorrowedPackageKey;

fn run_case(dir: &Path) -> Result<(), Failed> {
    let doc = patchbay_project::load(dir).map_err(|e| e.to_string())?;
    let ws = Workspace::open(doc);
    match ws.compose() {
        Ok(composed) => {
            if dir.join("error.txt").exists() {
                return Err("the project composed, but the case expects error.txt".into());
            }
            validate(&composed.bytes)?;
            let info = composed.describe().map_err(|e| e.to_string())?;
            check_imports(&composed, &info)?;
            check_wac_round_trip(&ws, &composed.wac, &info.wit)?;
            support::check(&info.wit, &dir.join("expected.wit"))
        }
        Err(problems) => {
            let text: String = problems.iter().map(|p| format!("{p}\n")).collect();
            support::check(&support::normalize(&text, dir), &dir.join("error.txt"))
        }
    }
}

fn validate(bytes: &[u8]) -> Result<(), Failed> {
    // Decoding the WIT already required a well-formed component; this also
    // runs full validation with every feature the encoder may use.
    patchbay_inspect::load_bytes(bytes, Path::new("<composed>"))
        .map(|_| ())
        .map_err(|e| e.to_string().into())
}

/// The ports checking reads from wac-graph agree with the WIT description
/// decoded on demand (`Part::info`), name for name.
fn check_port_summaries(ws: &Workspace) -> Result<(), Failed> {
    for id in ws.project().components.keys() {
        let Some(Ok(part)) = ws.part(id) else {
            return Err(format!("component `{id}` did not load").into());
        };
        let info = part.info().map_err(|e| e.to_string())?;
        let names = |ports: &[patchbay_compose::PortSummary]| {
            ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
        };
        let described = |ports: &[patchbay_inspect::PortInfo]| {
            ports.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
        };
        if names(&part.imports) != described(&info.imports)
            || names(&part.exports) != described(&info.exports)
        {
            return Err(format!(
                "component `{id}`: ports differ between wac-graph ({:?} / {:?}) and the WIT description ({:?} / {:?})",
                names(&part.imports),
                names(&part.exports),
                described(&info.imports),
                described(&info.exports)
            )
            .into());
        }
    }
    Ok(())
}

/// The import list reported by `compose` is the one the binary has.
fn check_imports(
    composed: &patchbay_compose::Composed,
    info: &patchbay_inspect::ComponentInfo,
) -> Result<(), Failed> {
    let mut reported = composed.imports.clone();
    let mut actual: Vec<String> = info.imports.iter().map(|p| p.name.clone()).collect();
    reported.sort();
    actual.sort();
    if reported != actual {
        return Err(
            format!("compose reported imports {reported:?}, the binary has {actual:?}").into(),
        );
    }
    Ok(())
}

/// Parses the generated `.wac`, resolves it with the project's components,
/// encodes it, and compares the WIT with the composition's.
fn check_wac_round_trip(ws: &Workspace, wac: &str, expected_wit: &str) -> Result<(), Failed> {
    let doc = wac_parser::Document::parse(wac)
        .map_err(|e| format!("generated .wac does not parse: {e}\n{wac}"))?;
    let names: Vec<String> = ws
        .project()
        .components
        .keys()
        .map(|id| format!("{PACKAGE_NAMESPACE}:{id}"))
        .collect();
    let mut packages = indexmap::IndexMap::new();
    for (name, (id, _)) in names.iter().zip(&ws.project().components) {
        if let Some(Ok(part)) = ws.part(id) {
            packages.insert(
                BorrowedPackageKey::from_name_and_version(name, None),
                part.loaded.bytes.clone(),
            );
        }
    }
    let resolution = doc
        .resolve(packages)
        .map_err(|e| format!("generated .wac does not resolve: {e:?}\n{wac}"))?;
    let bytes = resolution
        .encode(wac_graph::EncodeOptions::default())
        .map_err(|e| format!("generated .wac does not encode: {e:?}"))?;
    let info = patchbay_inspect::describe_component(&bytes, Path::new("<wac>"))
        .map_err(|e| e.to_string())?;
    if info.wit != expected_wit {
        return Err(format!(
            "the .wac composes to different WIT:\n--- wac ---\n{}\n--- patchbay ---\n{expected_wit}",
            info.wit
        )
        .into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = support::cases("compose")
        .into_iter()
        .map(|(name, dir)| Trial::test(format!("compose::{name}"), move || run_case(&dir)))
        .collect();
    // Every sample project composes and validates, and its .wac round-trips.
    let samples = Path::new(patchbay_test_programs::SAMPLES_DIR);
    for entry in std::fs::read_dir(samples).expect("samples folder") {
        let dir = entry.expect("entry").path();
        if dir.join("patchbay.toml").exists() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            trials.push(Trial::test(format!("sample_project::{name}"), move || {
                let doc = patchbay_project::load(&dir).map_err(|e| e.to_string())?;
                let ws = Workspace::open(doc);
                check_port_summaries(&ws)?;
                let composed = ws.compose().map_err(|problems| {
                    problems
                        .iter()
                        .map(|p| format!("{p}\n"))
                        .collect::<String>()
                })?;
                if !composed.warnings.is_empty() {
                    return Err(format!("sample has warnings: {:?}", composed.warnings).into());
                }
                validate(&composed.bytes)?;
                let info = composed.describe().map_err(|e| e.to_string())?;
                check_imports(&composed, &info)?;
                check_wac_round_trip(&ws, &composed.wac, &info.wit)
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
