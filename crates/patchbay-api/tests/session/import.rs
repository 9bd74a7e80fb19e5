//! *Open* of a composed binary or a `.wac` recipe: the backend answers
//! `importable`, plans the import (a new folder beside the file, a
//! recipe's missing packages), picks a package's file through the dialog,
//! imports with `patchbay_compose::import_file` and opens the project.

use super::*;

#[test]
fn a_composed_binary_opened_from_the_command_line_is_imported_and_opened() {
    let f = fixture("kv-service");
    block(async {
        // The kv-service sample composed, as a user finds it.
        let ws = patchbay_compose::Workspace::open(
            patchbay_project::load(&f.root.join("kv-service")).unwrap(),
        );
        let wasm = f.root.join("found").join("kv.wasm");
        std::fs::create_dir_all(wasm.parent().unwrap()).unwrap();
        std::fs::write(&wasm, ws.compose().unwrap().bytes).unwrap();

        let session = session_for(&f, wasm.clone(), "state-import");
        let error = session.startup(Empty {}).await.unwrap_err();
        assert_eq!(error.code, "importable");
        assert_eq!(error.detail.as_deref(), Some(wasm.to_str().unwrap()));

        let file = wasm.display().to_string();
        let plan = session
            .import_plan(ImportPlanRequest {
                file: file.clone(),
                deps: vec![],
            })
            .await
            .unwrap();
        assert_eq!(plan.kind, ImportKind::Binary);
        let output = f.root.join("found").join("kv");
        assert_eq!(plan.output, output.display().to_string());
        assert!(plan.missing_packages.is_empty());

        // A folder the user did not pick is refused.
        let elsewhere = session
            .import_project(ImportProjectRequest {
                file: file.clone(),
                output: f.root.join("elsewhere").display().to_string(),
                deps: vec![],
            })
            .await
            .unwrap_err();
        assert_eq!(elsewhere.code, "not-permitted");

        let opened = session
            .import_project(ImportProjectRequest {
                file,
                output: plan.output.clone(),
                deps: vec![],
            })
            .await
            .unwrap();
        assert_eq!(
            opened.path,
            output.join("patchbay.toml").display().to_string()
        );
        let nodes: Vec<&str> = opened.doc.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(nodes, ["memory", "service"]);
        assert_eq!(opened.doc.wires.len(), 1);
        assert!(opened.analysis.composed.is_some(), "the import composes");
        assert!(
            opened.notes[0].starts_with(&format!(
                "imported {}: 2 nodes, 1 wire, 1 export from 2 extracted components",
                wasm.display()
            )),
            "{:?}",
            opened.notes
        );
        // The two components, extracted beside the project.
        assert_eq!(output.join("components").read_dir().unwrap().count(), 2);
    });
}

#[test]
fn a_recipe_names_its_missing_package_whose_file_is_picked() {
    let f = fixture("kv-service");
    block(async {
        let wac = f.root.join("recipes").join("kv.wac");
        std::fs::create_dir_all(wac.parent().unwrap()).unwrap();
        std::fs::write(
            &wac,
            "package demo:kv;\nlet store = new demo:memory { ... };\nlet svc = new demo:service { \"patchbay:kv/store\": store[\"patchbay:kv/store\"], ... };\nexport svc[\"handle-request\"];\n",
        )
        .unwrap();
        // demo:service is beside the recipe, demo:memory is not.
        std::fs::copy(
            f.root.join("wasm").join("kv-service.wasm"),
            wac.with_file_name("service.wasm"),
        )
        .unwrap();
        let session = session_for(&f, wac.clone(), "state-wac");
        assert_eq!(
            session.startup(Empty {}).await.unwrap_err().code,
            "importable"
        );
        let file = wac.display().to_string();
        let plan = session
            .import_plan(ImportPlanRequest {
                file: file.clone(),
                deps: vec![],
            })
            .await
            .unwrap();
        assert_eq!(plan.kind, ImportKind::Wac);
        assert_eq!(plan.missing_packages, ["demo:memory"]);

        // A package file not picked through the dialog is refused.
        let memory = f.root.join("wasm").join("kv-memory.wasm");
        let unpicked = vec![PackageFile {
            name: "demo:memory".into(),
            path: memory.display().to_string(),
        }];
        let e = session
            .import_plan(ImportPlanRequest {
                file: file.clone(),
                deps: unpicked,
            })
            .await
            .unwrap_err();
        assert_eq!(e.code, "not-permitted");

        *f.dialogs.components.lock().unwrap() = vec![memory.clone()];
        let picked = session
            .import_pick(ImportPickRequest {
                file: file.clone(),
                package: Some("demo:memory".into()),
            })
            .await
            .unwrap();
        let deps = vec![PackageFile {
            name: "demo:memory".into(),
            path: picked,
        }];
        let plan = session
            .import_plan(ImportPlanRequest {
                file: file.clone(),
                deps: deps.clone(),
            })
            .await
            .unwrap();
        assert!(plan.missing_packages.is_empty());
        let opened = session
            .import_project(ImportProjectRequest {
                file,
                output: plan.output,
                deps,
            })
            .await
            .unwrap();
        let nodes: Vec<&str> = opened.doc.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(nodes, ["store", "svc"]);
    });
}

#[test]
fn a_binary_that_nests_a_composition_opens_with_a_composite_node() {
    let f = fixture("kv-service");
    block(async {
        // kv-service with both nodes grouped into composite `store`,
        // composed: the composite is a composition nested in the binary.
        let grouped = f.root.join("kv-service").join("patchbay.toml");
        let text = std::fs::read_to_string(&grouped).unwrap();
        let text = text
            .replace("version = 1", "version = 2")
            .replace("[nodes.memory]", "[composites.store.nodes.memory]")
            .replace("[nodes.service]", "[composites.store.nodes.service]")
            .replace("[[wires]]", "[[composites.store.wires]]")
            .replace(
                "[[exports]]\nfrom = \"service.handle-request\"",
                "[[composites.store.exports]]\nfrom = \"service.handle-request\"\n\n[nodes.kv]\ncomposite = \"store\"\n\n[[exports]]\nfrom = \"kv.handle-request\"",
            );
        std::fs::write(&grouped, text).unwrap();
        let ws = patchbay_compose::Workspace::open(patchbay_project::load(&grouped).unwrap());
        assert_eq!(
            ws.project().composites.len(),
            1,
            "the sample's file changed"
        );
        let wasm = f.root.join("found").join("grouped.wasm");
        std::fs::create_dir_all(wasm.parent().unwrap()).unwrap();
        std::fs::write(
            &wasm,
            ws.compose().unwrap_or_else(|p| panic!("{p:#?}")).bytes,
        )
        .unwrap();

        let session = session_for(&f, wasm.clone(), "state-nested");
        let file = wasm.display().to_string();
        let plan = session
            .import_plan(ImportPlanRequest {
                file: file.clone(),
                deps: vec![],
            })
            .await
            .unwrap();
        let opened = session
            .import_project(ImportProjectRequest {
                file,
                output: plan.output,
                deps: vec![],
            })
            .await
            .unwrap();
        let doc = &opened.doc;
        let nodes: Vec<(&str, &str)> = doc
            .nodes
            .iter()
            .map(|n| (n.id.as_str(), n.component.as_str()))
            .collect();
        assert_eq!(doc.composites.len(), 1, "{:?}", doc.composites);
        let store = &doc.composites[0];
        assert_eq!(nodes, [("kv", store.name.as_str())]);
        let inner: Vec<&str> = store.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(inner, ["memory", "service"]);
        assert_eq!(store.wires.len(), 1);
        assert_eq!(store.exports.len(), 1);
        assert!(opened.analysis.composed.is_some(), "the import composes");
        assert!(
            opened.notes[0].contains(&format!(
                "1 node, 0 wires, 1 export from 2 extracted components; 1 composite: `{}` (2 nodes, 1 wire; node kv)",
                store.name
            )),
            "{:?}",
            opened.notes
        );
    });
}
