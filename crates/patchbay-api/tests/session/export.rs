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
        assert!(preview
            .surface
            .iter()
            .any(|s| s.name.starts_with("wasi:cli/")));
        assert!(
            !preview.surface.iter().any(|s| s.name == KV),
            "the wired store is not an import"
        );
        let out = f
            .session
            .export_artifacts(ExportRequest {
                doc: doc.clone(),
                dir: None,
                choose_dir: false,
            })
            .await
            .unwrap();
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
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "not-permitted");
    });
}
