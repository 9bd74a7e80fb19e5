//! `.wac` files opened as projects (`patchbay_compose::import_wac`).
//!
//! Round trip: every sample and compose fixture that composes writes its
//! recipe; the recipe, imported as a project and composed by Patchbay,
//! gives the component wac-parser (what `wac compose` runs) builds from the
//! same file, WIT for WIT. Constructs a project cannot express, and missing
//! packages, are refused with the file's line.

use patchbay_compose::{import_wac, Workspace};
use std::path::{Path, PathBuf};

/// The WIT of a component.
fn wit(bytes: &[u8], what: &str) -> String {
    patchbay_inspect::describe_component(bytes, Path::new(what))
        .unwrap_or_else(|e| panic!("{what} describes: {e}"))
        .wit
}

/// What wac-parser builds from `text` with `packages`.
fn wac_compose(text: &str, packages: &[(String, PathBuf)]) -> Vec<u8> {
    use wac_graph::types::BorrowedPackageKey;
    let doc = wac_parser::Document::parse(text).expect("the recipe parses");
    let bytes: Vec<(String, Vec<u8>)> = packages
        .iter()
        .map(|(n, p)| (n.clone(), std::fs::read(p).expect("package")))
        .collect();
    let map = bytes
        .iter()
        .map(|(n, b)| {
            (
                BorrowedPackageKey::from_name_and_version(n, None),
                b.clone(),
            )
        })
        .collect();
    doc.resolve(map)
        .expect("the recipe resolves")
        .encode(wac_graph::EncodeOptions::default())
        .expect("the recipe encodes")
}

/// The recipe of `ws` and its packages (written as `.wasm` into `dir`, so
/// that `.wat` components are binaries too).
fn recipe(ws: &Workspace, dir: &Path) -> (PathBuf, Vec<(String, PathBuf)>) {
    let composed = ws.compose().expect("composes");
    let wac = dir.join("recipe.wac");
    std::fs::write(&wac, &composed.wac).expect("write recipe");
    let mut packages = Vec::new();
    for (id, _) in &ws.project().components {
        if let Some(Ok(part)) = ws.part(id) {
            let path = dir.join(format!("{id}.wasm"));
            std::fs::write(&path, &part.loaded.bytes).expect("write package");
            packages.push((format!("project:{id}"), path));
        }
    }
    (wac, packages)
}

#[test]
fn every_recipe_imports_as_a_project_that_composes_to_what_wac_builds() {
    let folders = patchbay_test_programs::project_folders();
    let mut imported = 0;
    for folder in &folders {
        let ws = Workspace::open(patchbay_project::load(folder).expect("loads"));
        if ws.compose().is_err() {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let (wac, packages) = recipe(&ws, dir.path());
        let out = dir.path().join("project");
        std::fs::create_dir(&out).expect("project folder");
        let made = import_wac(&wac, &packages, &out)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        // The same nodes, wires and exports as the project the recipe
        // came from.
        let original = ws.project();
        let names = |p: &patchbay_project::Project| {
            let mut n: Vec<String> = p.nodes.keys().map(|k| k.to_string()).collect();
            n.sort();
            n
        };
        assert_eq!(
            names(&made.project),
            names(original),
            "{}",
            folder.display()
        );
        assert_eq!(
            made.project.wires.len(),
            original.wires.len(),
            "{}",
            folder.display()
        );
        assert_eq!(
            made.project.exports.len(),
            original.exports.len(),
            "{}",
            folder.display()
        );
        // Saved, loaded and composed, it is the component wac builds.
        let manifest = out.join("patchbay.toml");
        patchbay_project::save(&made.project, &manifest).expect("save");
        let again = Workspace::open(patchbay_project::load(&manifest).expect("loads again"));
        let ours = again.compose().unwrap_or_else(|e| {
            panic!(
                "{}: the imported project does not compose: {e:?}",
                folder.display()
            )
        });
        let text = std::fs::read_to_string(&wac).expect("read recipe");
        let theirs = wac_compose(&text, &packages);
        let lines = |w: String| {
            let mut l: Vec<String> = w.lines().map(str::to_string).collect();
            l.sort();
            l
        };
        assert_eq!(
            lines(wit(&ours.bytes, "imported")),
            lines(wit(&theirs, "wac")),
            "{}",
            folder.display()
        );
        imported += 1;
    }
    assert!(imported >= 8, "only {imported} recipes imported");
}

/// A folder with `recipe.wac` (text `wac`) and the kv samples' packages.
fn kv_recipe(wac: &str) -> (tempfile::TempDir, PathBuf, Vec<(String, PathBuf)>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("recipe.wac");
    std::fs::write(&path, wac).expect("write recipe");
    let packages = vec![
        (
            "demo:memory".to_string(),
            PathBuf::from(patchbay_test_programs::KV_MEMORY),
        ),
        (
            "demo:service".to_string(),
            PathBuf::from(patchbay_test_programs::KV_SERVICE),
        ),
    ];
    (dir, path, packages)
}

#[test]
fn a_hand_written_recipe_becomes_nodes_wires_and_exports() {
    let (dir, path, packages) = kv_recipe(
        r#"package demo:kv;

let store = new demo:memory { ... };
let svc = new demo:service { "patchbay:kv/store": store["patchbay:kv/store"], ... };
export svc["handle-request"] as "serve";
"#,
    );
    let made = import_wac(&path, &packages, dir.path()).expect("imports");
    let p = &made.project;
    assert_eq!(p.name, "kv");
    assert_eq!(
        p.nodes.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["store", "svc"]
    );
    assert_eq!(p.nodes["store"].component.as_str(), "memory");
    assert_eq!(p.wires.len(), 1);
    assert_eq!(
        p.wires[0].to_string(),
        "store.patchbay:kv/store -> svc.patchbay:kv/store"
    );
    assert_eq!(p.exports[0].export_name(), "serve");
    assert_eq!(p.exports[0].from.to_string(), "svc.handle-request");
    // Sources on the left.
    assert!(p.nodes["store"].position.x < p.nodes["svc"].position.x);
}

#[test]
fn what_a_project_cannot_express_is_refused_with_its_line() {
    let (dir, path, packages) = kv_recipe(
        "package demo:kv;\n\nlet store = new demo:memory { ... };\nlet svc = new demo:service { \"patchbay:kv/store\": store, ... };\nexport svc[\"handle-request\"];\n",
    );
    // wac itself refuses it (the instance is not a store); its message is
    // given with the line.
    let e = import_wac(&path, &packages, dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("recipe.wac:4:"), "{e}");

    let (dir, path, packages) = kv_recipe(
        "package demo:kv;\n\nlet store = new demo:memory { ... };\nexport store as whole;\n",
    );
    let e = import_wac(&path, &packages, dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("recipe.wac:4:"), "{e}");
    assert!(
        e.contains(
            "`export … as whole`: it exports a whole instance, which a project cannot express"
        ),
        "{e}"
    );

    let (dir, path, _) = kv_recipe("package demo:kv;\n\nlet store = new demo:memory { ... };\n");
    let e = import_wac(&path, &[], dir.path()).unwrap_err().to_string();
    assert!(e.contains("recipe.wac:3:"), "{e}");
    assert!(
        e.contains("package `demo:memory` was not given and is not beside the file"),
        "{e}"
    );
    assert!(e.contains("pass `--dep demo:memory=FILE`"), "{e}");

    let (dir, path, packages) = kv_recipe("package demo:kv;\n\nlet = new;\n");
    let e = import_wac(&path, &packages, dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("recipe.wac:3:"), "{e}");
}
