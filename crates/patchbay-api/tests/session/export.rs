//! Exporting a composed component, its recipe and its WIT.

use super::*;

#[test]
fn export_writes_a_valid_component_its_recipe_and_wit() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let preview = f
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let sealed = preview.sealed.clone().expect("kv-service seals");
        assert!(sealed
            .surface
            .iter()
            .any(|s| s.name.starts_with("wasi:cli/")));
        assert!(
            !sealed.surface.iter().any(|s| s.name == KV),
            "the wired store is not an import"
        );
        // Everything is granted: nothing to deny or mock; only the grants'
        // scopes are sealed in, and the sealed surface is within the open one.
        assert!(
            sealed.stubs.iter().all(|s| s.kind == StubKind::Scope),
            "{:?}",
            sealed.stubs
        );
        assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
        assert!(
            sealed
                .surface
                .iter()
                .all(|s| preview.open.surface.iter().any(|o| o.name == s.name)),
            "{:?}",
            sealed.surface
        );
        let out = f
            .session
            .export_artifacts(ExportRequest {
                doc: doc.clone(),
                dir: None,
                choose_dir: false,
                variant: ExportVariant::Sealed,
                targets: DeployTargets::default(),
            })
            .await
            .unwrap();
        let names: Vec<&str> = sealed.surface.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            out.imports, names,
            "the written file imports what was shown"
        );
        let bytes = std::fs::read(&out.wasm).unwrap();
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&bytes)
            .unwrap();
        assert!(std::fs::read_to_string(&out.wac)
            .unwrap()
            .contains("package composition:kv-service"));
        assert!(std::fs::read_to_string(&out.wit)
            .unwrap()
            .contains("handle-request"));

        // A folder the user never chose is refused.
        let err = f
            .session
            .export_artifacts(ExportRequest {
                doc,
                dir: Some("/tmp".into()),
                choose_dir: false,
                variant: ExportVariant::Open,
                targets: DeployTargets::default(),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "not-permitted");
    });
}

#[test]
fn export_preview_shows_both_variants_and_sealed_export_writes_the_stubs() {
    let f = fixture("sandbox-demo");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let preview = f
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        assert_eq!(preview.sealed_error, None);
        let sealed = preview.sealed.clone().expect("sandbox-demo seals");
        let open = &preview.open;
        assert_eq!(sealed.variant, ExportVariant::Sealed);
        assert_eq!(open.variant, ExportVariant::Open);
        assert!(open.stubs.is_empty() && open.not_sealed.is_empty());
        // Three denials and three mocks, each naming its node and import.
        let stubs: Vec<(StubKind, &str, &str)> = sealed
            .stubs
            .iter()
            .map(|s| (s.kind, s.node.as_str(), s.import.as_str()))
            .collect();
        for import in [
            "wasi:cli/environment@0.2.12",
            "wasi:filesystem/preopens@0.2.12",
            "wasi:http/outgoing-handler@0.2.12",
        ] {
            assert!(
                stubs.contains(&(StubKind::Deny, "denied", import)),
                "{stubs:?}"
            );
            assert!(
                stubs.contains(&(StubKind::Mock, "mocked", import)),
                "{stubs:?}"
            );
        }
        assert!(sealed
            .stubs
            .iter()
            .all(|s| s.file.starts_with("stubs/") && s.file.ends_with(".wasm")));
        assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
        // The granted node still imports the environment; sealed, only it
        // reaches the host through that import.
        let env = |v: &VariantPreview| {
            v.surface
                .iter()
                .find(|s| s.name == "wasi:cli/environment@0.2.12")
                .map(|s| s.nodes.clone())
                .unwrap()
        };
        assert_eq!(env(&sealed), ["granted"]);
        assert_eq!(env(open), ["granted", "mocked", "denied"]);
        assert!(sealed.wac_text.contains("stubs/"), "{}", sealed.wac_text);

        let out = f
            .session
            .export_artifacts(ExportRequest {
                doc: doc.clone(),
                dir: None,
                choose_dir: false,
                variant: ExportVariant::Sealed,
                targets: DeployTargets::default(),
            })
            .await
            .unwrap();
        assert_eq!(out.variant, ExportVariant::Sealed);
        // Three denials, three mocks, and the granted node's environment
        // scope.
        assert_eq!(out.stubs.len(), sealed.stubs.len());
        assert_eq!(out.stubs.len(), 7);
        for stub in &out.stubs {
            let bytes = std::fs::read(stub).unwrap();
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
                .validate_all(&bytes)
                .unwrap();
        }
        let names: Vec<&str> = sealed.surface.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(out.imports, names);
        assert_eq!(out.size, sealed.size);
        // The written recipe is the previewed one, its rebuild command's
        // paths seen from the export folder instead of the project's.
        let written = std::fs::read_to_string(&out.wac).unwrap();
        let body =
            |t: &str| t[t.find("\npackage composition:").expect("a package line")..].to_string();
        assert_eq!(body(&written), body(&sealed.wac_text));
        assert!(
            written.contains("// Rebuild it from this recipe's folder with:"),
            "{written}"
        );

        // Open writes no stubs and is the open preview's size.
        let open_out = f
            .session
            .export_artifacts(ExportRequest {
                doc,
                dir: None,
                choose_dir: false,
                variant: ExportVariant::Open,
                targets: DeployTargets::default(),
            })
            .await
            .unwrap();
        assert!(open_out.stubs.is_empty());
        assert_eq!(open_out.size, open.size);
    });
}

#[test]
fn the_surface_marks_an_import_that_only_names_types() {
    // order-pipeline's composition imports `patchbay:orders/types`, which
    // declares records and enums and no function: a host declares it, but it
    // is no capability.
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let preview = f.session.export_preview(DocRequest { doc }).await.unwrap();
        let sealed = preview.sealed.expect("order-pipeline seals");
        for surface in [&preview.open.surface, &sealed.surface] {
            let types: Vec<&str> = surface
                .iter()
                .filter(|s| s.types_only)
                .map(|s| s.name.as_str())
                .collect();
            assert_eq!(types, ["patchbay:orders/types@0.1.0"], "{surface:?}");
            let item = surface.iter().find(|s| s.types_only).unwrap();
            assert!(
                item.meaning.contains("gives the component nothing to call"),
                "{item:?}"
            );
            // The rest are capabilities, said as such (WASI's among them).
            assert!(surface.iter().any(|s| s.name.starts_with("wasi:")));
            for other in surface.iter().filter(|s| !s.types_only) {
                assert!(!other.meaning.contains("nothing to call"), "{other:?}");
            }
        }
    });
}

#[test]
fn the_export_folder_is_shown_only_once_written_and_only_if_the_dialog_may_write_there() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let preview = f
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let show = |dir: &str| {
            f.session.show_export_folder(ShowFolderRequest {
                dir: dir.to_string(),
            })
        };
        // Before anything is written there is nothing to show.
        let err = show(&preview.dir).await.unwrap_err();
        assert!(err.message.contains("export first"), "{err:?}");
        let out = f
            .session
            .export_artifacts(ExportRequest {
                doc,
                dir: None,
                choose_dir: false,
                variant: ExportVariant::Open,
                targets: DeployTargets::default(),
            })
            .await
            .unwrap();
        show(&out.dir).await.unwrap();
        assert_eq!(
            *f.dialogs.shown.lock().unwrap(),
            [std::path::PathBuf::from(&out.dir)]
        );
        // Any other folder is refused, and nothing is opened.
        let err = show(f.root.to_str().unwrap()).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::NotPermitted, "{err:?}");
        assert_eq!(f.dialogs.shown.lock().unwrap().len(), 1);
    });
}
