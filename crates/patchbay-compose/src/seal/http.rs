//! The `http` fake, sealed: the `http` fake's guest component (crate
//! `patchbay-fakes`, `http-guest/`, Rust built from source) configured with
//! the binding's canned responses.
//!
//! A sealed artifact cannot get a response, a body or a stream from the
//! host's `wasi:http/types` without the host's network, and `wasi:http` 0.2
//! has no constructor for them, so the guest owns the types: it exports
//! `wasi:http/outgoing-handler` and `wasi:http/types`, and the interfaces
//! whose resources those types speak in or that hand such resources out
//! ([`HTTP_FAKE_FORWARDS`]: `wasi:io/*`, `wasi:cli/std*`,
//! `wasi:clocks/monotonic-clock`), those last over the host's own. Every one
//! of these the node imports is wired to the guest ([`plan`]), so the
//! node's console output and timers still reach the host.
//!
//! Resources have one owner, so the guest serves a node only when nothing
//! else the node imports takes streams or pollables from the host (or from
//! another node): such an import (`wasi:filesystem/types`,
//! `wasi:sockets/tcp`, …) must be denied, or mocked with a stub, whose
//! `wasi:io` then comes from the guest too. Otherwise the binding is not
//! sealed, and the reason names the import in the way.

use super::stub::StubSource;
use super::NotSealed;
use crate::{Part, PortSummary};
use patchbay_fakes::{
    encode_seed, HTTP_FAKE_FORWARDS, HTTP_FAKE_MODULE, HTTP_FAKE_WASI_VERSION, SEED_SYMBOL,
};
use patchbay_project::{Binding, Fake, Mock, Project};
use wasm_encoder::{
    ConstExpr, DataCountSection, DataSection, ExportKind, ExportSection, RawSection,
};
use wasmparser::{ExternalKind, Operator, Parser, Payload};

/// The import the `http` fake serves.
const OUTGOING_HANDLER: &str = "wasi:http/outgoing-handler";

/// The HTTP types the guest owns.
const HTTP_TYPES: &str = "wasi:http/types";

/// The interfaces whose resources the guest owns: an import using one of
/// them can only be served by the guest or by a stub wired to it.
const OWNED: [&str; 4] = [
    HTTP_TYPES,
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
];

/// The `http` fake of one node, ready to be composed.
#[derive(Debug, Clone)]
pub(crate) struct HttpSeal {
    /// The node's `wasi:http/outgoing-handler` import.
    pub handler: String,
    /// Every import of the node the guest serves (the handler included),
    /// each by its export of that name.
    pub serves: Vec<String>,
    /// The guest component, configured with the binding's responses.
    pub bytes: Vec<u8>,
    /// Its functions, as the stubs list them (`IMPORT#function`).
    pub functions: Vec<String>,
}

/// The interface of `import` without its version.
fn base(import: &str) -> &str {
    import.split_once('@').map_or(import, |(b, _)| b)
}

/// The guest's export serving an import of `interface`.
fn guest_export(interface: &str) -> String {
    format!("{interface}@{HTTP_FAKE_WASI_VERSION}")
}

/// Whether the guest serves imports of `interface`.
fn served(interface: &str) -> bool {
    interface == OUTGOING_HANDLER
        || interface == HTTP_TYPES
        || HTTP_FAKE_FORWARDS.contains(&interface)
}

/// Whether the guest's version of an interface can serve an import at
/// `import`'s version: any `0.2.x` up to the guest's (component-model
/// subtyping lets its larger interfaces stand for smaller ones).
fn version_fits(import: &str) -> bool {
    let Some((_, version)) = import.split_once('@') else {
        return false;
    };
    let patch = |v: &str| -> Option<u64> { v.strip_prefix("0.2.")?.parse().ok() };
    match (patch(version), patch(HTTP_FAKE_WASI_VERSION)) {
        (Some(wanted), Some(have)) => wanted <= have,
        _ => false,
    }
}

/// The node's unwired `wasi:http/outgoing-handler` import, when it binds
/// it to the `http` fake (with the binding).
fn fake_handler<'p>(
    project: &'p Project,
    node: &str,
    part: &'p Part,
) -> Option<(&'p PortSummary, &'p Mock)> {
    let handler = part.imports.iter().find(|p| {
        base(&p.name) == OUTGOING_HANDLER && project.wire_into(node, &p.name).is_none()
    })?;
    match project.binding_for(node, &handler.name) {
        Some((_, Binding::Mock(mock))) if mock.fake == Some(Fake::Http) => Some((handler, mock)),
        _ => None,
    }
}

/// The node's `wasi:http/outgoing-handler` import, when it is unwired and
/// bound to the `http` fake.
pub(crate) fn handler<'p>(project: &'p Project, node: &str, part: &'p Part) -> Option<&'p str> {
    fake_handler(project, node, part).map(|(h, _)| h.name.as_str())
}

/// How `node`'s `http` fake is sealed: `None` when the node binds no
/// unwired `wasi:http/outgoing-handler` to the `http` fake; the reason it
/// stays an import when it cannot be.
pub(crate) fn plan(
    project: &Project,
    node: &str,
    part: &Part,
    source: &StubSource,
) -> Option<Result<HttpSeal, NotSealed>> {
    let (handler, mock) = fake_handler(project, node, part)?;
    let refuse = |reason: String| NotSealed {
        node: node.to_string(),
        import: handler.name.clone(),
        mode: "mock",
        reason: format!("{reason}; it stays an import"),
    };
    Some(seal(project, node, part, source, handler, mock).map_err(refuse))
}

fn seal(
    project: &Project,
    node: &str,
    part: &Part,
    source: &StubSource,
    handler: &PortSummary,
    mock: &Mock,
) -> Result<HttpSeal, String> {
    if !mock.functions.is_empty() {
        return Err(
            "the `http` fake with `functions` overrides is not sealed into the artifact yet".into(),
        );
    }
    // The handler's own release first: the reason then names it.
    check_served(project, node, handler)?;
    let mut wires = Vec::new();
    for port in &part.imports {
        let interface = base(&port.name);
        if served(interface) {
            check_served(project, node, port)?;
            wires.push((port.name.clone(), guest_export(interface)));
            continue;
        }
        check_other(project, node, port, source)?;
    }
    let bytes = wrap(node, component(mock)?, &wires)?;
    Ok(HttpSeal {
        handler: handler.name.clone(),
        functions: vec![format!("{}#handle", handler.name)],
        // The wrapped guest exports each under the node's name for it.
        serves: wires.into_iter().map(|(import, _)| import).collect(),
        bytes,
    })
}

/// Checks that the guest may serve `port`, one of the interfaces it
/// exports: of a version it has, not wired, granted (with no scope the
/// artifact would enforce) or left, or bound to the `http` fake.
fn check_served(project: &Project, node: &str, port: &PortSummary) -> Result<(), String> {
    let import = &port.name;
    if !version_fits(import) {
        return Err(format!(
            "the sealed `http` fake serves `{}` at {HTTP_FAKE_WASI_VERSION}, and the node imports `{import}`",
            base(import)
        ));
    }
    if let Some(wire) = project.wire_into(node, import) {
        return Err(format!(
            "the sealed `http` fake serves `{import}` with the streams it owns, and the node takes it from node `{}`",
            wire.from.node
        ));
    }
    let owner_bound = match project.binding_for(node, import).map(|(_, b)| b) {
        // Left to whoever runs the artifact: the guest forwards theirs.
        None | Some(Binding::Leave) => None,
        Some(Binding::Grant(grant)) => {
            let names: Vec<String> = port.functions.iter().map(|f| f.name.clone()).collect();
            super::fake::scope_plan(grant, import, &names)
                .map(|_| "granted with a scope the artifact enforces")
        }
        Some(Binding::Mock(m)) if m.fake == Some(Fake::Http) => None,
        Some(Binding::Mock(_)) => Some("bound `mock`"),
        Some(Binding::Deny) => Some("bound `deny`"),
    };
    match owner_bound {
        None => Ok(()),
        Some(how) => Err(format!(
            "the sealed `http` fake serves `{import}` with the streams it owns (over the host's), and it is {how}"
        )),
    }
}

/// Checks that `port`, an import the guest does not serve, takes no
/// stream, pollable or HTTP type from anywhere but the guest: it uses none,
/// or it is denied (or mocked by a stub), so its stub takes them from the
/// guest.
fn check_other(
    project: &Project,
    node: &str,
    port: &PortSummary,
    source: &StubSource,
) -> Result<(), String> {
    let import = &port.name;
    let uses = source.uses(import)?;
    // Named by the resource a person knows best: streams, then pollables.
    let Some(owned) = OWNED
        .iter()
        .rev()
        .find(|o| uses.iter().any(|u| base(u) == **o))
    else {
        return Ok(());
    };
    let from = if let Some(wire) = project.wire_into(node, import) {
        format!("node `{}`", wire.from.node)
    } else {
        match project.binding_for(node, import).map(|(_, b)| b) {
            Some(Binding::Deny) => return Ok(()),
            Some(Binding::Mock(m)) if m.fake.is_none() => {
                match source.mock_stub(node, import, m, &port.functions) {
                    Ok(_) => return Ok(()),
                    Err(why) => format!("the host (its mock is not sealed: {why})"),
                }
            }
            Some(Binding::Mock(_)) => "the host (through its fake)".to_string(),
            Some(Binding::Grant(_)) => "the host (it is granted)".to_string(),
            None | Some(Binding::Leave) => {
                "whoever runs the artifact (it is left open)".to_string()
            }
        }
    };
    Err(format!(
        "the sealed `http` fake owns the node's `{owned}` resources, and `{import}` takes them from {from}; deny `{import}` to seal the `http` fake"
    ))
}

/// The guest component with the binding's responses as its seed.
fn component(mock: &Mock) -> Result<Vec<u8>, String> {
    let answers: Vec<(&str, String)> = mock
        .responses
        .iter()
        .map(|(url, r)| (url.as_str(), format!("{} {}", r.status, r.body)))
        .collect();
    let seed = encode_seed(answers.iter().map(|(u, a)| (*u, a.as_str())))?;
    let module = with_seed(HTTP_FAKE_MODULE, &seed)?;
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .and_then(|encoder| encoder.encode())
        .map_err(|e| format!("the `http` fake's guest does not encode: {e:#}"))
}

/// The guest composed into one component that exports, under the node's
/// own import names (`wasi:io/streams@0.2.3` served by the guest's
/// `wasi:io/streams@0.2.12`), exactly the interfaces in `wires` (node
/// import, guest export); each host interface the guest forwards but the
/// node does not import (a component that never reads stdin, never waits)
/// is fed to it by a deny stub instead of the host, so the artifact imports
/// no more than the node did. Nothing can reach those stubs: the guest
/// calls the host's interface only for the node's calls of its own.
fn wrap(node: &str, guest: Vec<u8>, wires: &[(String, String)]) -> Result<Vec<u8>, String> {
    let unused: Vec<String> = HTTP_FAKE_FORWARDS
        .iter()
        .filter(|f| f.starts_with("wasi:cli/") || f.starts_with("wasi:clocks/"))
        .map(|f| guest_export(f))
        .filter(|f| !wires.iter().any(|(_, export)| export == f))
        .collect();
    let broken =
        |e: &dyn std::fmt::Display| format!("the `http` fake's guest does not compose: {e}");
    let source = StubSource::new(&guest)?;
    let mut graph = wac_graph::CompositionGraph::new();
    let package = crate::read_package("patchbay:http-fake", guest, graph.types_mut())?;
    let package = graph.register_package(package).map_err(|e| broken(&e))?;
    let instance = graph.instantiate(package);
    for (i, import) in unused.iter().enumerate() {
        let stub = source.deny_stub(node, import)?;
        let stub = crate::read_package(
            &format!("patchbay:http-fake-closed{i}"),
            stub.bytes,
            graph.types_mut(),
        )?;
        let stub = graph.register_package(stub).map_err(|e| broken(&e))?;
        let stub = graph.instantiate(stub);
        let alias = graph
            .alias_instance_export(stub, import)
            .map_err(|e| broken(&e))?;
        graph
            .set_instantiation_argument(instance, import, alias)
            .map_err(|e| broken(&e))?;
    }
    for (import, export) in wires {
        let alias = graph
            .alias_instance_export(instance, export)
            .map_err(|e| broken(&e))?;
        graph.export(alias, import).map_err(|e| broken(&e))?;
    }
    graph
        .encode(wac_graph::EncodeOptions::default())
        .map_err(|e| broken(&e))
}

/// `module` with `seed` written at its seed area (an active data segment)
/// and the seed's global no longer exported; everything else, its WIT
/// included, as it is.
fn with_seed(module: &[u8], seed: &[u8]) -> Result<Vec<u8>, String> {
    let broken =
        |e: wasmparser::BinaryReaderError| format!("the `http` fake's guest does not read: {e}");
    let mut out = wasm_encoder::Module::new();
    let mut globals: Vec<Option<i32>> = Vec::new();
    let mut seed_at: Option<i32> = None;
    let mut wrote_seed = false;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(broken)?;
        match &payload {
            Payload::GlobalSection(reader) => {
                for global in reader.clone() {
                    let global = global.map_err(broken)?;
                    let mut ops = global.init_expr.get_operators_reader();
                    globals.push(match ops.read() {
                        Ok(Operator::I32Const { value }) => Some(value),
                        _ => None,
                    });
                }
                copy(&mut out, module, &payload);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader.clone() {
                    let export = export.map_err(broken)?;
                    let kind = match export.kind {
                        ExternalKind::Global if export.name == SEED_SYMBOL => {
                            seed_at = globals.get(export.index as usize).copied().flatten();
                            continue;
                        }
                        ExternalKind::Func => ExportKind::Func,
                        ExternalKind::Table => ExportKind::Table,
                        ExternalKind::Memory => ExportKind::Memory,
                        ExternalKind::Global => ExportKind::Global,
                        ExternalKind::Tag => ExportKind::Tag,
                        ExternalKind::FuncExact => ExportKind::Func,
                    };
                    section.export(export.name, kind, export.index);
                }
                out.section(&section);
            }
            Payload::DataCountSection { count, .. } => {
                out.section(&DataCountSection { count: count + 1 });
            }
            Payload::DataSection(reader) => {
                let at = seed_at.ok_or_else(|| {
                    format!(
                        "the `http` fake's guest has no `{SEED_SYMBOL}` to write the responses at"
                    )
                })?;
                let mut section = DataSection::new();
                for data in reader.clone() {
                    let data = data.map_err(broken)?;
                    section.raw(&module[data.range.start as usize..data.range.end as usize]);
                }
                section.active(0, &ConstExpr::i32_const(at), seed.iter().copied());
                out.section(&section);
                wrote_seed = true;
            }
            _ => copy(&mut out, module, &payload),
        }
    }
    if !wrote_seed {
        return Err("the `http` fake's guest has no data section to write the responses in".into());
    }
    Ok(out.finish())
}

/// Copies a section (custom sections included) as it is.
fn copy(out: &mut wasm_encoder::Module, module: &[u8], payload: &Payload<'_>) {
    if let Some((id, range)) = payload.as_section() {
        out.section(&RawSection {
            id,
            data: &module[range.start as usize..range.end as usize],
        });
    }
}
