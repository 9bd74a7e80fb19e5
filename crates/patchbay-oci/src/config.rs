//! The Wasm OCI artifact layout of CNCF TAG Runtime, as `wkg` and `wash`
//! write it: an OCI image manifest whose config has media type
//! `application/vnd.wasm.config.v0+json` (architecture `wasm`, os
//! `wasip2`, the layer digests, and the component's imports and exports as
//! WIT names) and whose one layer is the component, `application/wasm`.

use crate::OciError;
use serde::{Deserialize, Serialize};

/// The manifest's media type (an OCI image manifest).
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// The config's media type.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.wasm.config.v0+json";
/// The layer's media type.
pub const LAYER_MEDIA_TYPE: &str = "application/wasm";

/// The artifact's config, in the field names `wkg` writes (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmConfig {
    /// When the artifact was made (RFC 3339).
    pub created: String,
    /// Who made it, if said.
    pub author: Option<String>,
    /// Always `wasm`.
    pub architecture: String,
    /// `wasip2` for a component.
    pub os: String,
    /// The digests of the layers (the one component).
    pub layer_digests: Vec<String>,
    /// The component's world.
    pub component: Option<ComponentWorld>,
}

/// What a component imports and exports, as WIT names
/// (`wasi:cli/environment@0.2.12`, or a plain name for a function).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentWorld {
    /// The exports.
    pub exports: Vec<String>,
    /// The imports.
    pub imports: Vec<String>,
    /// The world it targets, if known.
    pub target: Option<String>,
}

impl WasmConfig {
    /// The config of `component` (its world read with wit-component), made now.
    pub fn for_component(component: &[u8]) -> Result<WasmConfig, OciError> {
        if !wasmparser::Parser::is_component(component) {
            return Err(OciError::NotAComponent(
                "it does not start with a component header (a core module, or not wasm)"
                    .to_string(),
            ));
        }
        let decoded = wit_component::decode(component)
            .map_err(|e| OciError::NotAComponent(format!("{e:#}")))?;
        let (resolve, world) = match decoded {
            wit_component::DecodedWasm::Component(resolve, world) => (resolve, world),
            wit_component::DecodedWasm::WitPackage(..) => {
                return Err(OciError::NotAComponent(
                    "it is a WIT package, not a component".to_string(),
                ))
            }
        };
        let world = &resolve.worlds[world];
        let names = |items: &wit_parser::IndexMap<wit_parser::WorldKey, wit_parser::WorldItem>| {
            items
                .keys()
                .map(|key| resolve.name_world_key(key))
                .collect::<Vec<_>>()
        };
        Ok(WasmConfig {
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            author: None,
            architecture: "wasm".to_string(),
            os: "wasip2".to_string(),
            layer_digests: vec![sha256_digest(component)],
            component: Some(ComponentWorld {
                exports: names(&world.exports),
                imports: names(&world.imports),
                target: None,
            }),
        })
    }
}

/// `sha256:<hex>` of `bytes`, as OCI digests are written: the project's
/// one content hash ([`patchbay_project::content_hash`]), which is already
/// written that way.
pub fn sha256_digest(bytes: &[u8]) -> String {
    patchbay_project::content_hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_core_module_is_not_a_component() {
        let err = WasmConfig::for_component(b"\0asm\x01\0\0\0").expect_err("module");
        assert!(matches!(err, OciError::NotAComponent(_)), "{err}");
    }
}
