//! Starting from nothing: a folder without a project, a new project, the
//! sample components added without a dialog, and "save as" into a folder
//! that does not exist yet.

use super::*;

#[test]
fn an_empty_folder_offers_a_new_project_that_takes_sample_components_and_composes() {
    let f = fixture("kv-service");
    block(async {
        // The kv-service sample, for the wires and bindings to rebuild.
        let sample = f.session.startup(Empty {}).await.unwrap().unwrap().doc;

        let empty = f.root.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let session = session_for(&f, empty.clone(), "state-new");
        let error = session.startup(Empty {}).await.unwrap_err();
        assert_eq!(error.code, "no-project");
        assert!(
            error
                .message
                .contains(&format!("{} holds no patchbay.toml", empty.display())),
            "{}",
            error.message
        );
        assert_eq!(error.detail.as_deref(), Some(empty.to_str().unwrap()));

        let opened = session
            .new_project(NewProjectRequest {
                dir: Some(empty.display().to_string()),
                name: Some("fresh".into()),
            })
            .await
            .unwrap();
        assert_eq!(
            opened.path,
            empty.join("patchbay.toml").display().to_string()
        );
        assert_eq!(opened.doc.name, "fresh");
        let codes: Vec<_> = opened
            .analysis
            .problems
            .iter()
            .map(|p| (p.severity, p.code.as_str()))
            .collect();
        assert_eq!(codes, [(Severity::Note, "nothing-to-compose")]);

        // A second new project in the same folder is refused, naming the file.
        let again = session
            .new_project(NewProjectRequest {
                dir: Some(empty.display().to_string()),
                name: None,
            })
            .await
            .unwrap_err();
        assert!(
            again.message.contains("already exists"),
            "{}",
            again.message
        );

        let shipped = session.sample_components(Empty {}).await.unwrap();
        let names: Vec<&str> = shipped.iter().map(|c| c.name.as_str()).collect();
        assert!(
            names.contains(&"kv-memory") && names.contains(&"kv-service"),
            "{names:?}"
        );
        let paths: Vec<String> = ["kv-memory", "kv-service"]
            .iter()
            .map(|n| shipped.iter().find(|c| c.name == *n).unwrap().path.clone())
            .collect();
        let views = session
            .add_components(AddComponentsRequest {
                doc: opened.doc.clone(),
                paths: Some(paths),
            })
            .await
            .unwrap();
        let rel: Vec<&str> = views.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(rel, ["../wasm/kv-memory.wasm", "../wasm/kv-service.wasm"]);

        let mut doc = opened.doc;
        doc.components = views
            .iter()
            .map(|v| ComponentEntry {
                id: v.id.clone(),
                path: v.path.clone(),
                build: None,
                watch: Vec::new(),
                hash: None,
            })
            .collect();
        doc.nodes = sample.nodes;
        doc.wires = sample.wires;
        doc.exports = sample.exports;
        doc.bindings = sample.bindings;
        let analysis = session
            .analyze(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        assert!(analysis.composed.is_some(), "{:?}", analysis.problems);
        assert!(analysis
            .problems
            .iter()
            .all(|p| p.code.as_str() != "nothing-to-compose"));
        session
            .save(SaveRequest {
                doc,
                save_as: false,
            })
            .await
            .unwrap();
        let text = std::fs::read_to_string(empty.join("patchbay.toml")).unwrap();
        assert!(
            text.contains("path = \"../wasm/kv-service.wasm\""),
            "{text}"
        );
    });
}

#[test]
fn a_new_project_elsewhere_needs_a_folder_the_user_chose() {
    let f = fixture("kv-service");
    block(async {
        f.session.startup(Empty {}).await.unwrap().unwrap();
        let elsewhere = f.root.join("elsewhere");
        let error = f
            .session
            .new_project(NewProjectRequest {
                dir: Some(elsewhere.display().to_string()),
                name: None,
            })
            .await
            .unwrap_err();
        assert_eq!(error.code, "not-permitted");
        assert!(!elsewhere.exists());

        // Through the folder dialog, the same folder is fine.
        *f.dialogs.folder.lock().unwrap() = Some(elsewhere.clone());
        let opened = f
            .session
            .new_project(NewProjectRequest {
                dir: None,
                name: None,
            })
            .await
            .unwrap();
        assert_eq!(opened.doc.name, "elsewhere");
        assert!(elsewhere.join("patchbay.toml").is_file());
    });
}

#[test]
fn save_as_into_a_new_folder_rewrites_paths_watches_and_build_commands() {
    let f = fixture("kv-service");
    block(async {
        let opened = f.session.startup(Empty {}).await.unwrap().unwrap();
        let target = f.root.join("brand/new place/patchbay.toml");
        *f.dialogs.save.lock().unwrap() = Some(target.clone());
        let saved = f
            .session
            .save(SaveRequest {
                doc: opened.doc,
                save_as: true,
            })
            .await
            .unwrap();
        assert_eq!(saved.path, target.display().to_string());
        let memory = saved
            .doc
            .components
            .iter()
            .find(|c| c.id == "kv-memory")
            .unwrap();
        assert_eq!(memory.path, "../../wasm/kv-memory.wasm");
        assert_eq!(memory.watch[0], "../../components/kv-memory/src");
        assert_eq!(
            memory.build.as_deref(),
            Some("cd ../../kv-service && bash ../build.sh kv-memory")
        );
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(
            text.contains("path = \"../../wasm/kv-memory.wasm\""),
            "{text}"
        );

        // The rewritten build command runs where the original ran.
        let folder = target.parent().unwrap();
        let build = memory.build.as_deref().unwrap();
        let probe = build.replace("bash ../build.sh kv-memory", "pwd");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&probe)
            .current_dir(folder)
            .output()
            .unwrap();
        assert_eq!(
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
                .canonicalize()
                .unwrap(),
            f.root.join("kv-service").canonicalize().unwrap()
        );

        // And the project, opened from its new place, composes.
        let reopened = f
            .session
            .open_project(OpenProjectRequest {
                path: Some(saved.path.clone()),
            })
            .await
            .unwrap();
        assert!(
            reopened.analysis.composed.is_some(),
            "{:?}",
            reopened.analysis.problems
        );
    });
}
