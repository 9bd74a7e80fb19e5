//! The `kv` fake of the standard `wasi:keyvalue`, sealed: one stub per node
//! and version exporting the whole of `store`, `atomics` and `batch`, made
//! of the fakes' guest build for that version (crate `patchbay-fakes`,
//! `guest/src/keyvalue.rs`) seeded with the binding's values. Its `bucket`
//! (and `-draft2`'s `cas`) resources are the stub's own; one instance
//! serves every `wasi:keyvalue` import of the node, so they share one set
//! of buckets, as the host's scope does.
//!
//! The stub's world is the WIT the host serves for that version, so it
//! exports each interface whole; the node imports what it uses of them.

use super::guest::rewrite;
use super::stub::StubComponent;
use patchbay_fakes::{StandardKeyValue, SEED_SYMBOL, STANDARD_KEYVALUE};
use patchbay_project::Mock;
use std::path::Path;
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::{Resolve, SourceMap, World, WorldItem, WorldKey};

/// The interfaces the stub exports, in the order a node's imports come.
const INTERFACES: [&str; 3] = ["store", "atomics", "batch"];

/// The standard key-value fake's build for `import`'s version, or why
/// there is none.
pub(crate) fn version_of(import: &str) -> Result<&'static StandardKeyValue, String> {
    let version = import.split_once('@').map_or("", |(_, v)| v);
    STANDARD_KEYVALUE
        .iter()
        .find(|kv| kv.version == version)
        .ok_or_else(|| {
            format!(
                "the sealed `kv` fake knows `wasi:keyvalue` at {}, not at `{version}`",
                STANDARD_KEYVALUE
                    .iter()
                    .map(|kv| format!("`{}`", kv.version))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        })
}

/// The stub of `kv`, seeded with `mock`'s values (`BUCKET/KEY` or `KEY`,
/// as the host reads them). The error says why it cannot be made.
pub(crate) fn keyvalue_stub(kv: &StandardKeyValue, mock: &Mock) -> Result<StubComponent, String> {
    let seed =
        patchbay_fakes::encode_seed(mock.values.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    // Every function export keeps its name: the build already carries the
    // encoder's names for this version.
    let exported = function_exports(kv.module)?;
    let renames: Vec<(&str, String)> = exported
        .iter()
        .map(|name| (name.as_str(), name.clone()))
        .collect();
    let mut module = rewrite(kv.module, &renames, &seed, None, None)?;

    let mut resolve = Resolve::default();
    let mut sources = SourceMap::new();
    for (name, text) in kv.wit {
        sources.push(Path::new(name), *text);
    }
    let group = sources.parse().map_err(|(_, e)| {
        format!(
            "the WIT of `wasi:keyvalue@{}` does not parse: {e}",
            kv.version
        )
    })?;
    let package = resolve.push_group(group).map_err(|e| {
        format!(
            "the WIT of `wasi:keyvalue@{}` does not resolve: {e}",
            kv.version
        )
    })?;
    let mut exports = Vec::new();
    for name in INTERFACES {
        let id = resolve.packages[package]
            .interfaces
            .get(name)
            .copied()
            .ok_or_else(|| format!("`wasi:keyvalue@{}` has no `{name}`", kv.version))?;
        exports.push((
            WorldKey::Interface(id),
            WorldItem::Interface {
                id,
                stability: Default::default(),
                external_id: None,
                docs: Default::default(),
                span: Default::default(),
            },
        ));
    }
    let world = resolve.worlds.alloc(World {
        name: super::STUB_MODULE_NAME.to_string(),
        imports: Default::default(),
        exports: exports.into_iter().collect(),
        package: Some(package),
        docs: Default::default(),
        stability: Default::default(),
        includes: Vec::new(),
        span: Default::default(),
    });
    wit_component::embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8)
        .map_err(|e| format!("its WIT cannot be embedded in the stub: {e:#}"))?;
    let bytes = ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .and_then(|encoder| encoder.encode())
        .map_err(|e| format!("the stub does not encode: {e:#}"))?;
    Ok(StubComponent {
        imports: super::top_level_imports(&bytes),
        bytes,
        functions: exported
            .iter()
            .filter(|name| !name.contains("[dtor]"))
            .filter_map(|name| name.split_once('#'))
            .map(|(import, f)| format!("{import}#{}", crate::display_name(f)))
            .collect(),
    })
}

/// The names of the build's function exports that serve the interfaces
/// (`IFACE#function`), in the module's order.
fn function_exports(module: &[u8]) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        let payload = payload.map_err(|e| format!("the fakes' guest module does not read: {e}"))?;
        if let wasmparser::Payload::ExportSection(reader) = payload {
            for export in reader {
                let export =
                    export.map_err(|e| format!("the fakes' guest module does not read: {e}"))?;
                if export.kind == wasmparser::ExternalKind::Func && export.name.contains('#') {
                    names.push(export.name.to_string());
                }
            }
        }
    }
    if names.is_empty() {
        return Err(format!(
            "the fakes' key-value build exports no functions beside `{SEED_SYMBOL}`"
        ));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_version_makes_a_stub_exporting_the_three_interfaces() {
        for kv in STANDARD_KEYVALUE {
            let mut mock = Mock::default();
            mock.values.insert("k".into(), "v".into());
            let stub = keyvalue_stub(kv, &mock).unwrap_or_else(|e| panic!("{}: {e}", kv.version));
            assert!(stub.imports.is_empty(), "{:?}", stub.imports);
            let info = patchbay_inspect::describe_component(&stub.bytes, "<stub>".as_ref())
                .expect("the stub describes");
            let exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
            let want: Vec<String> = INTERFACES
                .iter()
                .map(|i| format!("wasi:keyvalue/{i}@{}", kv.version))
                .collect();
            assert_eq!(exports, want);
            assert!(stub
                .functions
                .contains(&format!("wasi:keyvalue/store@{}#open", kv.version)));
        }
        let e = version_of("wasi:keyvalue/store@0.2.0-rc").unwrap_err();
        assert!(e.contains("not at `0.2.0-rc`"), "{e}");
    }
}
