//! Recovery after a crash: a component added in the editor (not yet in the
//! project file) comes back loaded, and a recovered document is analysed
//! like any other, its missing files reported at the component.

use super::*;

/// Adds `kv-cache.wasm` through the dialog and a node of it to `doc`.
async fn add_cache(f: &Fixture, doc: &mut ProjectDoc) -> ComponentView {
    *f.dialogs.components.lock().unwrap() = vec![f.root.join("wasm/kv-cache.wasm")];
    let added = f
        .session
        .add_components(AddComponentsRequest {
            doc: doc.clone(),
            paths: None,
        })
        .await
        .unwrap()
        .remove(0);
    doc.components.push(ComponentEntry {
        id: added.id.clone(),
        path: added.path.clone(),
        build: None,
        watch: Vec::new(),
        hash: added.hash.clone(),
    });
    doc.nodes.push(NodeEntry {
        id: "cache".into(),
        component: added.id.clone(),
        x: 200.0,
        y: 200.0,
    });
    added
}

#[test]
fn a_component_added_before_a_crash_is_recovered_loaded() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let added = add_cache(&f, &mut doc).await;
        f.session
            .save_recovery(DocRequest { doc: doc.clone() })
            .await
            .unwrap();

        // The app is killed; a new session starts on the same state folder.
        let after = session_for(&f, f.root.join("kv-service"), "state");
        let opened = after.startup(Empty {}).await.unwrap().unwrap();
        let recovery = opened.recovery.expect("the autosave is offered");
        assert_eq!(recovery.doc, doc);
        let view = recovery
            .components
            .iter()
            .find(|c| c.id == added.id)
            .expect("the added component comes back");
        assert!(view.info.is_some() && view.error.is_none(), "{view:?}");

        let analysis = after
            .analyze(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        assert!(
            !analysis
                .problems
                .iter()
                .any(|p| p.code == "component-missing" || p.code == "component-invalid"),
            "{:?}",
            analysis.problems
        );
        assert!(analysis.imports.iter().any(|i| i.node == "cache"));
    });
}

#[test]
fn a_recovered_component_whose_file_is_gone_is_a_problem_at_the_component() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let added = add_cache(&f, &mut doc).await;
        f.session
            .save_recovery(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        std::fs::remove_file(f.root.join("wasm/kv-cache.wasm")).unwrap();

        let after = session_for(&f, f.root.join("kv-service"), "state");
        let opened = after.startup(Empty {}).await.unwrap().unwrap();
        let recovery = opened.recovery.unwrap();
        let view = recovery
            .components
            .iter()
            .find(|c| c.id == added.id)
            .unwrap();
        assert!(
            view.error
                .as_deref()
                .is_some_and(|e| e.contains("kv-cache.wasm")),
            "{view:?}"
        );
        let analysis = after.analyze(DocRequest { doc }).await.unwrap();
        let missing = analysis
            .problems
            .iter()
            .find(|p| p.code == "component-missing")
            .expect("the missing file is an error");
        assert!(
            matches!(&missing.location, Location::Component { component, nodes } if *component == added.id && nodes == &["cache".to_string()]),
            "{missing:?}"
        );
        assert!(analysis.composed.is_none());
    });
}

#[test]
fn a_recovery_file_cannot_open_files_the_user_never_opened() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        // The page autosaves a document naming a file nobody opened.
        doc.components.push(ComponentEntry {
            id: "other".into(),
            path: "../wasm/validator.wasm".into(),
            build: None,
            watch: Vec::new(),
            hash: None,
        });
        f.session
            .save_recovery(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let after = session_for(&f, f.root.join("kv-service"), "state");
        let opened = after.startup(Empty {}).await.unwrap().unwrap();
        let recovery = opened.recovery.unwrap();
        let view = recovery
            .components
            .iter()
            .find(|c| c.id == "other")
            .unwrap();
        assert!(view.info.is_none(), "{view:?}");
        assert!(
            view.error
                .as_deref()
                .is_some_and(|e| e.contains("was not opened in Patchbay")),
            "{view:?}"
        );
    });
}
