//! Sealed composition: denied and mocked imports composed in as stubs. The
//! sealed artifact validates, no longer imports what its nodes deny or mock
//! (when the mock can be baked), keeps what they grant or leave open, its
//! deny stubs name each denial, and what cannot be baked is listed with its
//! reason. Running it is the host's test (`crates/patchbay-host/tests/seal.rs`).

use patchbay_compose::{Sealed, StubKind, Workspace, DENIAL_PREFIX, MOCK_PREFIX};
use std::path::Path;

fn sample(name: &str) -> Workspace {
    let path = Path::new(patchbay_test_programs::SAMPLES_DIR).join(name);
    Workspace::open(patchbay_project::load(&path).expect("sample loads"))
}

/// A project written to a temporary folder; components by absolute path.
fn project(toml: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let doc = patchbay_project::load(dir.path()).expect("project loads");
    (dir, Workspace::open(doc))
}

#[track_caller]
fn seal(ws: &Workspace) -> Sealed {
    ws.compose_sealed()
        .unwrap_or_else(|e| panic!("compose_sealed: {e}: {e:?}"))
}

/// The imports of a component, as its WIT says, without versions.
fn wit_imports(bytes: &[u8]) -> Vec<String> {
    wasmparser::Validator::new()
        .validate_all(bytes)
        .expect("the sealed artifact validates");
    let info = patchbay_inspect::describe_component(bytes, Path::new("<sealed>"))
        .expect("the sealed artifact describes");
    info.imports.iter().map(|p| p.name.clone()).collect()
}

fn base(name: &str) -> &str {
    name.split('@').next().unwrap_or(name)
}

const DENIED: [&str; 3] = [
    "wasi:filesystem/preopens",
    "wasi:cli/environment",
    "wasi:http/outgoing-handler",
];

#[test]
fn sandbox_demo_seals_the_denied_node_and_lists_the_mocks() {
    let ws = sample("sandbox-demo");
    let open = ws.compose().expect("sandbox-demo composes");
    let sealed = seal(&ws);
    let stubbed: Vec<(&str, &str)> = sealed
        .stubs
        .iter()
        .map(|s| (s.node.as_str(), base(&s.import)))
        .collect();
    let stubbed: Vec<(&str, &str)> = stubbed
        .into_iter()
        .filter(|(n, _)| *n == "denied")
        .collect();
    assert_eq!(
        stubbed,
        vec![
            ("denied", "wasi:http/outgoing-handler"),
            ("denied", "wasi:cli/environment"),
            ("denied", "wasi:filesystem/preopens"),
        ]
    );
    let env = sealed
        .stubs
        .iter()
        .find(|s| s.node == "denied" && base(&s.import) == "wasi:cli/environment")
        .expect("the environment's deny stub");
    // The node imports only `get-environment` of the interface, so that is
    // what the stub exports.
    assert_eq!(
        env.functions,
        vec![format!(
            "{DENIAL_PREFIX}denied called wasi:cli/environment@0.2.12#get-environment"
        )]
    );
    // The mocked node's three mocks are sealed too: their types mention
    // resource handles (`own<descriptor>`, `own<future-incoming-response>`)
    // but their values (`[]`, `err(…)`) hold none.
    let mocks: Vec<(&str, &str)> = sealed
        .stubs
        .iter()
        .filter(|s| s.kind == StubKind::Mock)
        .map(|s| (s.node.as_str(), base(&s.import)))
        .collect();
    assert_eq!(
        mocks,
        vec![
            ("mocked", "wasi:http/outgoing-handler"),
            ("mocked", "wasi:cli/environment"),
            ("mocked", "wasi:filesystem/preopens"),
        ]
    );
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    // The granted node's environment grant is enforced by a scope stub (the
    // environment filter) between it and the host's environment.
    let scopes: Vec<(&str, &str)> = sealed
        .stubs
        .iter()
        .filter(|s| s.kind == StubKind::Scope)
        .map(|s| (s.node.as_str(), base(&s.import)))
        .collect();
    assert_eq!(scopes, vec![("granted", "wasi:cli/environment")]);
    // The granted node still imports all three (its environment through
    // the filter), so the surface is the open one's; the encoder orders
    // the filter's import its own way.
    let sorted = |mut names: Vec<String>| {
        names.sort();
        names
    };
    assert_eq!(
        sorted(sealed.composed.imports.clone()),
        sorted(open.imports.clone())
    );
    assert_eq!(
        sorted(wit_imports(&sealed.composed.bytes)),
        sorted(open.imports.clone())
    );
    for stub in &sealed.stubs {
        assert!(
            sealed
                .composed
                .wac
                .contains(&format!("sealed:{}=stubs/{}.wasm", stub.name, stub.name)),
            "{}",
            sealed.composed.wac
        );
    }
}

const ONLY_DENIED: &str = r#"
version = 1
name = "only-denied"

[components.sandbox-demo]
path = "SANDBOX"

[nodes.denied]
component = "sandbox-demo"

[[exports]]
from = "denied.patchbay:sandbox/probe"
as = "denied"

[bindings."denied.wasi:filesystem/preopens@0.2.12"]
mode = "deny"

[bindings."denied.wasi:cli/environment@0.2.12"]
mode = "deny"

[bindings."denied.wasi:http/outgoing-handler@0.2.12"]
mode = "deny"

[bindings."*.wasi:*"]
mode = "grant"
"#;

#[test]
fn a_sealed_denial_is_no_longer_an_import() {
    let toml = ONLY_DENIED.replace("SANDBOX", patchbay_test_programs::SANDBOX_DEMO);
    let (_dir, ws) = project(&toml);
    let open = ws.compose().expect("composes");
    let sealed = seal(&ws);
    assert!(sealed.not_sealed.is_empty());
    let imports = wit_imports(&sealed.composed.bytes);
    assert_eq!(imports, sealed.composed.imports);
    let expected: Vec<String> = open
        .imports
        .iter()
        .filter(|i| !DENIED.contains(&base(i)))
        .cloned()
        .collect();
    assert_eq!(imports, expected);
    // The stubs import the types they use (preopens uses filesystem types),
    // which stay the node's granted imports.
    assert!(imports.iter().any(|i| base(i) == "wasi:filesystem/types"));
    assert!(
        sealed.composed.bytes.len() > open.bytes.len(),
        "the stubs add bytes"
    );
}

const KV_DENY_WASI: &str = r#"
version = 1
name = "kv-sealed"

[components.kv-memory]
path = "KV_MEMORY"

[components.kv-service]
path = "KV_SERVICE"

[nodes.memory]
component = "kv-memory"

[nodes.service]
component = "kv-service"

[[wires]]
from = "memory.patchbay:kv/store"
to = "service.patchbay:kv/store"

[[exports]]
from = "service.handle-request"

[bindings."*.wasi:*"]
mode = "deny"
"#;

/// The kv-service project with every WASI import denied, sealed.
pub fn kv_sealed_project() -> String {
    KV_DENY_WASI
        .replace("KV_MEMORY", patchbay_test_programs::KV_MEMORY)
        .replace("KV_SERVICE", patchbay_test_programs::KV_SERVICE)
}

#[test]
fn kv_service_with_wasi_denied_seals_to_zero_imports() {
    let (_dir, ws) = project(&kv_sealed_project());
    let sealed = seal(&ws);
    assert_eq!(wit_imports(&sealed.composed.bytes), Vec::<String>::new());
    assert!(sealed.composed.imports.is_empty());
    // Both nodes deny all thirteen of their WASI imports, each its own.
    assert_eq!(sealed.stubs.len(), 26);
    // wasi:io/streams defines resources; its stub defines them too, and the
    // stdout stub takes `output-stream` from it.
    let streams = sealed
        .stubs
        .iter()
        .find(|s| s.node == "service" && base(&s.import) == "wasi:io/streams")
        .expect("a streams stub");
    assert!(
        streams
            .functions
            .iter()
            .any(|f| f.contains("wasi:io/streams@0.2.6#output-stream.")),
        "{:?}",
        streams.functions
    );
}

/// The sealed recipe, with the project's components and the stubs as its
/// packages, rebuilds a component with the sealed artifact's WIT.
#[track_caller]
fn recipe_rebuilds(ws: &Workspace, sealed: &Sealed) {
    recipe_rebuilds_as(ws, sealed, true);
}

/// [`recipe_rebuilds`]; with `exact` false, the WIT's lines may come in
/// another order (wac may define a shared interface's types in another
/// order when stubs use some of them).
#[track_caller]
fn recipe_rebuilds_as(ws: &Workspace, sealed: &Sealed, exact: bool) {
    use wac_graph::types::BorrowedPackageKey;
    let wac = &sealed.composed.wac;
    let doc = wac_parser::Document::parse(wac)
        .unwrap_or_else(|e| panic!("the sealed .wac does not parse: {e}\n{wac}"));
    let mut names = Vec::new();
    for (id, _) in &ws.project().components {
        if let Some(Ok(part)) = ws.part(id) {
            names.push((format!("project:{id}"), part.loaded.bytes.clone()));
        }
    }
    for stub in &sealed.stubs {
        names.push((format!("sealed:{}", stub.name), stub.bytes.clone()));
    }
    let packages: indexmap::IndexMap<BorrowedPackageKey<'_>, Vec<u8>> = names
        .iter()
        .map(|(name, bytes)| {
            (
                BorrowedPackageKey::from_name_and_version(name, None),
                bytes.clone(),
            )
        })
        .collect();
    let bytes = doc
        .resolve(packages)
        .unwrap_or_else(|e| panic!("the sealed .wac does not resolve: {e:?}\n{wac}"))
        .encode(wac_graph::EncodeOptions::default())
        .unwrap_or_else(|e| panic!("the sealed .wac does not encode: {e:?}\n{wac}"));
    let rebuilt = patchbay_inspect::describe_component(&bytes, Path::new("<wac>"))
        .expect("the rebuilt component describes");
    let sealed_wit = sealed.composed.describe().expect("describes").wit;
    if exact {
        assert_eq!(rebuilt.wit, sealed_wit, "{wac}");
    } else {
        let lines = |wit: &str| {
            let mut lines: Vec<String> = wit.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        assert_eq!(lines(&rebuilt.wit), lines(&sealed_wit), "{wac}");
    }
}

#[test]
fn the_sealed_recipe_rebuilds_the_sealed_artifact() {
    // The environment filter imports the environment the granted node
    // imports; the recipe's encoder merges that import in another order.
    recipe_rebuilds_as(
        &sample("sandbox-demo"),
        &seal(&sample("sandbox-demo")),
        false,
    );
    let (_dir, ws) = project(&kv_sealed_project());
    recipe_rebuilds(&ws, &seal(&ws));
}

/// Every sample and compose fixture that composes also seals: the artifact
/// validates, and it imports what the open composition imports, less each
/// import that only stubbed nodes left open, plus what a scope stub reads
/// from the host (the environment filter imports the environment), order
/// aside.
#[test]
fn every_project_that_composes_seals() {
    let folders = patchbay_test_programs::project_folders();
    let mut sealed_some = 0;
    for folder in &folders {
        let ws = Workspace::open(patchbay_project::load(folder).expect("project loads"));
        let Ok(open) = ws.compose() else {
            continue;
        };
        let sealed = ws
            .compose_sealed()
            .unwrap_or_else(|e| panic!("{}: {e}: {e:?}", folder.display()));
        let imports = wit_imports(&sealed.composed.bytes);
        assert_eq!(imports, sealed.composed.imports, "{}", folder.display());
        let members = ws.open_imports();
        let mut expected: Vec<&String> = open
            .imports
            .iter()
            .filter(|name| {
                members.imports[name.as_str()].iter().any(|m| {
                    !sealed
                        .stubs
                        .iter()
                        .any(|s| s.node == m.node && s.import == m.name)
                }) || sealed
                    .stubs
                    .iter()
                    .any(|s| s.reads_host && &s.import == *name)
            })
            .collect();
        // The same set; the encoder orders merged imports its own way.
        let mut got: Vec<&String> = imports.iter().collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{}", folder.display());
        sealed_some += usize::from(!sealed.stubs.is_empty());
    }
    assert!(
        sealed_some >= 2,
        "only {sealed_some} projects deny anything"
    );
}

/// The mock-functions fixture: order-service with `validate`, `tax` and
/// `ledger` (a resource whose constructor traps) mocked, `format` denied.
#[test]
fn mocks_are_sealed_as_stubs_exporting_exactly_the_import() {
    let root = Path::new(patchbay_test_programs::REPO_DIR);
    let ws = Workspace::open(
        patchbay_project::load(&root.join("tests/compose/mock-functions")).expect("loads"),
    );
    let open = ws.compose().expect("composes");
    let sealed = seal(&ws);
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let mut stubs: Vec<(StubKind, &str)> = sealed
        .stubs
        .iter()
        .map(|s| (s.kind, base(&s.import)))
        .collect();
    stubs.sort_by_key(|(_, i)| *i);
    assert_eq!(
        stubs,
        vec![
            (StubKind::Deny, "patchbay:orders/format"),
            (StubKind::Mock, "patchbay:orders/ledger"),
            (StubKind::Mock, "patchbay:orders/tax"),
            (StubKind::Mock, "patchbay:orders/validate"),
        ]
    );
    for stub in &sealed.stubs {
        wasmparser::Validator::new()
            .validate_all(&stub.bytes)
            .expect("the stub validates");
        let info = patchbay_inspect::describe_component(&stub.bytes, Path::new("<stub>"))
            .expect("the stub describes");
        let exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(exports, [stub.import.as_str()]);
        assert!(sealed
            .composed
            .wac
            .contains(&format!("sealed:{}=stubs/{}.wasm", stub.name, stub.name)));
    }
    let tax = sealed
        .stubs
        .iter()
        .find(|s| base(&s.import) == "patchbay:orders/tax")
        .expect("the tax stub");
    assert_eq!(tax.name, "orders-mock-orders-tax");
    assert_eq!(tax.functions, ["patchbay:orders/tax@0.1.0#quote"]);
    // The ledger's constructor traps, naming the mock and its message.
    let ledger = sealed
        .stubs
        .iter()
        .find(|s| base(&s.import) == "patchbay:orders/ledger")
        .expect("the ledger stub");
    assert!(String::from_utf8_lossy(&ledger.bytes).contains(&format!(
        "{MOCK_PREFIX}orders called patchbay:orders/ledger@0.1.0#book.constructor: trap: no ledger in this test"
    )));
    let imports = wit_imports(&sealed.composed.bytes);
    let gone = [
        "patchbay:orders/validate",
        "patchbay:orders/tax",
        "patchbay:orders/format",
        "patchbay:orders/ledger",
    ];
    for i in &open.imports {
        assert_eq!(
            imports.contains(i),
            !gone.contains(&base(i)),
            "{i}: {imports:?}"
        );
    }
    recipe_rebuilds_as(&ws, &sealed, false);
}

const MOCKED_KV: &str = r#"
version = 1
name = "mocked-kv"

[components.kv-service]
path = "KV_SERVICE"

[nodes.service]
component = "kv-service"

[nodes.faked]
component = "kv-service"

[[exports]]
from = "service.handle-request"
as = "service"

[[exports]]
from = "faked.handle-request"
as = "faked"

[bindings."service.patchbay:kv/store"]
mode = "mock"
functions.get = { cases = [{ args = '("a")', returns = 'some("one")' }] }
functions.set = { trap = "read-only store" }

[bindings."faked.patchbay:kv/store"]
mode = "mock"
fake = "kv"

[bindings."*.wasi:*"]
mode = "deny"
"#;

#[test]
fn a_mock_stub_replaces_the_import_and_so_does_a_fake() {
    let toml = MOCKED_KV.replace("KV_SERVICE", patchbay_test_programs::KV_SERVICE);
    let (_dir, ws) = project(&toml);
    let sealed = seal(&ws);
    let mock = sealed
        .stubs
        .iter()
        .find(|s| s.kind == StubKind::Mock)
        .expect("a mock stub");
    assert_eq!(
        (mock.node.as_str(), mock.import.as_str()),
        ("service", "patchbay:kv/store")
    );
    let text = String::from_utf8_lossy(&mock.bytes);
    assert!(
        text.contains(&format!(
            "{MOCK_PREFIX}service called patchbay:kv/store#set: trap: read-only store"
        )),
        "the trap is named after the mock"
    );
    // The faked node's store is the kv fake's guest code, wrapped to export
    // exactly the store the node imports.
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let fake = sealed
        .stubs
        .iter()
        .find(|s| s.kind == StubKind::Fake)
        .expect("a fake stub");
    assert_eq!(
        (fake.node.as_str(), fake.import.as_str(), fake.reads_host),
        ("faked", "patchbay:kv/store", false)
    );
    let info = patchbay_inspect::describe_component(&fake.bytes, Path::new("<fake>"))
        .expect("the fake stub describes");
    let exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(exports, ["patchbay:kv/store"]);
    assert!(info.imports.is_empty(), "{:?}", info.imports);
    // Nothing is left to import.
    assert_eq!(wit_imports(&sealed.composed.bytes), Vec::<String>::new());
}

/// A constructor the mock leaves unset answers a new handle in the host,
/// which a stub cannot make: the whole import stays, saying so.
#[test]
fn a_mocked_constructor_without_a_value_stays_an_import() {
    let root = Path::new(patchbay_test_programs::REPO_DIR);
    let fixture = std::fs::read_to_string(root.join("tests/compose/mock-functions/patchbay.toml"))
        .expect("read the fixture");
    let toml = fixture
        .replace(
            "../../../samples/wasm/order-service.wasm",
            patchbay_test_programs::ORDER_SERVICE,
        )
        .replace(
            "functions.\"book.constructor\" = { trap = \"no ledger in this test\" }\n",
            "",
        );
    assert_ne!(toml, fixture);
    let (_dir, ws) = project(&toml);
    let sealed = seal(&ws);
    assert_eq!(sealed.not_sealed.len(), 1, "{:?}", sealed.not_sealed);
    let ledger = &sealed.not_sealed[0];
    assert_eq!(
        (ledger.node.as_str(), ledger.import.as_str()),
        ("orders", "patchbay:orders/ledger@0.1.0")
    );
    assert_eq!(
        ledger.reason,
        "`patchbay:orders/ledger@0.1.0#book.constructor` cannot be baked: the mock sets no value for this constructor, so the host answers a new resource handle, which a mock stub cannot make yet; it stays an import"
    );
    assert!(wit_imports(&sealed.composed.bytes)
        .iter()
        .any(|i| base(i) == "patchbay:orders/ledger"));
}

/// sandbox-demo bound to the `http` fake, twice: `granted` keeps the
/// filesystem and sockets granted, `fenced` denies them.
const HTTP_FAKED: &str = r#"
version = 1
name = "http-faked"

[components.sandbox-demo]
path = "SANDBOX"

[nodes.granted]
component = "sandbox-demo"

[nodes.fenced]
component = "sandbox-demo"

[[exports]]
from = "granted.patchbay:sandbox/probe"
as = "granted"

[[exports]]
from = "fenced.patchbay:sandbox/probe"
as = "fenced"

[bindings."*.wasi:http/outgoing-handler@0.2.12"]
mode = "mock"
fake = "http"
responses = { "http://example.test/" = "200 hello" }

[bindings."fenced.wasi:filesystem/*"]
mode = "deny"

[bindings."fenced.wasi:sockets/*"]
mode = "deny"

[bindings."*.wasi:*"]
mode = "grant"
"#;

/// The `http` fake's guest owns the node's streams: a node whose other
/// imports take streams from the host keeps its fake as an import, saying
/// which import is in the way; a node denying those is served by the
/// guest, its HTTP imports and the streams its denials' stubs use included.
#[test]
fn the_http_fake_is_sealed_unless_another_import_takes_host_streams() {
    let toml = HTTP_FAKED.replace("SANDBOX", patchbay_test_programs::SANDBOX_DEMO);
    let (_dir, ws) = project(&toml);
    let sealed = seal(&ws);
    assert_eq!(sealed.not_sealed.len(), 1, "{:?}", sealed.not_sealed);
    let refused = &sealed.not_sealed[0];
    assert_eq!(
        (refused.node.as_str(), refused.import.as_str(), refused.mode),
        ("granted", "wasi:http/outgoing-handler@0.2.12", "mock")
    );
    assert_eq!(
        refused.reason,
        "the sealed `http` fake owns the node's `wasi:io/streams` resources, and `wasi:filesystem/types@0.2.12` takes them from the host (it is granted); deny `wasi:filesystem/types@0.2.12` to seal the `http` fake; it stays an import"
    );

    let guest = sealed
        .stubs
        .iter()
        .find(|s| s.node == "fenced" && s.kind == StubKind::Fake)
        .expect("the fenced node's http fake");
    assert_eq!(guest.import, "wasi:http/outgoing-handler@0.2.12");
    assert_eq!(
        guest.functions,
        ["wasi:http/outgoing-handler@0.2.12#handle"]
    );
    let info = patchbay_inspect::describe_component(&guest.bytes, Path::new("<http fake>"))
        .expect("the guest describes");
    let mut exports: Vec<&str> = info.exports.iter().map(|p| base(&p.name)).collect();
    exports.sort_unstable();
    assert_eq!(
        exports,
        [
            "wasi:cli/stderr",
            "wasi:cli/stdin",
            "wasi:cli/stdout",
            "wasi:clocks/monotonic-clock",
            "wasi:http/outgoing-handler",
            "wasi:http/types",
            "wasi:io/error",
            "wasi:io/poll",
            "wasi:io/streams",
        ]
    );
    // Every export serves an import of the node, under the node's name.
    for import in std::iter::once(&guest.import).chain(&guest.also) {
        assert!(info.exports.iter().any(|p| &p.name == import), "{import}");
    }
    assert_eq!(info.exports.len(), guest.also.len() + 1);
    // The fenced node's denials are stubs; its filesystem's take their
    // streams from the guest (the stubs' recipe arguments say so).
    assert!(sealed.stubs.iter().any(|s| s.node == "fenced"
        && s.kind == StubKind::Deny
        && base(&s.import) == "wasi:filesystem/types"));
    assert!(
        sealed.composed.wac.contains(&format!(
            "\"wasi:io/streams@0.2.12\": {}[\"wasi:io/streams@0.2.12\"]",
            guest.name
        )),
        "{}",
        sealed.composed.wac
    );
    // The artifact still imports HTTP, for the granted node only.
    let imports = wit_imports(&sealed.composed.bytes);
    assert!(
        imports
            .iter()
            .any(|i| base(i) == "wasi:http/outgoing-handler"),
        "{imports:?}"
    );
    recipe_rebuilds(&ws, &sealed);
}

/// A component importing `wasi:http/outgoing-handler` and `wasi:cli/stdout`
/// from the `http` fake's own WIT renamed to WASI `version`, with fewer
/// functions than the fake exports (no `fields.clone`, no
/// `output-stream.splice`), as an older 0.2 release might have.
fn http_client_at(version: &str) -> Vec<u8> {
    use wit_parser::{LiftLowerAbi, ManglingAndAbi, Resolve};
    let wit =
        Path::new(patchbay_test_programs::REPO_DIR).join("crates/patchbay-fakes/http-guest/wit");
    let mut resolve = Resolve::default();
    resolve.push_dir(&wit).expect("the http fake's WIT parses");
    let client = resolve
        .push_str(
            "client.wit",
            "package test:client;\nworld client {\n  import wasi:http/outgoing-handler@0.2.12;\n  import wasi:cli/stdout@0.2.12;\n  export run: func();\n}\n",
        )
        .expect("the client's WIT parses");
    let world = resolve
        .select_world(&[client], Some("client"))
        .expect("the client world");
    let version: semver::Version = version.parse().expect("a version");
    for (_, package) in resolve.packages.iter_mut() {
        if package.name.namespace == "wasi" {
            package.name.version = Some(version.clone());
        }
    }
    for (_, interface) in resolve.interfaces.iter_mut() {
        interface.functions.shift_remove("[method]fields.clone");
        interface
            .functions
            .shift_remove("[method]output-stream.splice");
    }
    let mut module =
        wit_component::dummy_module(&resolve, world, ManglingAndAbi::Legacy(LiftLowerAbi::Sync));
    wit_component::embed_component_metadata(
        &mut module,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
    )
    .expect("the metadata embeds");
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .and_then(|e| e.encode())
        .expect("the client encodes")
}

/// A project of one `client` node whose HTTP is the `http` fake.
fn http_client_project(version: &str) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("client.wasm"), http_client_at(version)).expect("write");
    let toml = format!(
        r#"version = 1
name = "client"

[components.client]
path = "client.wasm"

[nodes.client]
component = "client"

[[exports]]
from = "client.run"

[bindings."client.wasi:http/outgoing-handler@{version}"]
mode = "mock"
fake = "http"
responses = {{ "https://example.test/" = "200 ok" }}

[bindings."*.wasi:*"]
mode = "grant"
"#
    );
    std::fs::write(dir.path().join("patchbay.toml"), toml).expect("write project");
    let doc = patchbay_project::load(dir.path()).expect("project loads");
    (dir, Workspace::open(doc))
}

/// The fake's guest speaks WASI 0.2.12; component-model subtyping lets it
/// serve a node importing an older 0.2 release, with fewer functions. A
/// newer release it does not know stays an import, saying so.
#[test]
fn the_http_fake_serves_older_wasi_releases_and_refuses_newer_ones() {
    let (_dir, ws) = http_client_project("0.2.3");
    let sealed = seal(&ws);
    assert!(sealed.not_sealed.is_empty(), "{:?}", sealed.not_sealed);
    let guest = sealed
        .stubs
        .iter()
        .find(|s| s.kind == StubKind::Fake)
        .expect("the http fake");
    let mut served: Vec<&str> = std::iter::once(&guest.import)
        .chain(&guest.also)
        .map(String::as_str)
        .collect();
    served.sort_unstable();
    // Each under the node's name for it: the guest's 0.2.12 interfaces
    // exported as the node's 0.2.3 ones.
    let names = [
        "wasi:cli/stdout@0.2.3",
        "wasi:clocks/monotonic-clock@0.2.3",
        "wasi:http/outgoing-handler@0.2.3",
        "wasi:http/types@0.2.3",
        "wasi:io/error@0.2.3",
        "wasi:io/poll@0.2.3",
        "wasi:io/streams@0.2.3",
    ];
    assert_eq!(served, names);
    let info = patchbay_inspect::describe_component(&guest.bytes, Path::new("<http fake>"))
        .expect("the guest describes");
    let mut exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
    exports.sort_unstable();
    assert_eq!(exports, names);
    // The guest forwards the host's stdout, clock and streams, at its
    // release; no HTTP, no stdin the node never imported.
    let mut imports = wit_imports(&sealed.composed.bytes);
    imports.sort();
    assert_eq!(
        imports,
        [
            "wasi:cli/stdout@0.2.12",
            "wasi:clocks/monotonic-clock@0.2.12",
            "wasi:io/error@0.2.12",
            "wasi:io/poll@0.2.12",
            "wasi:io/streams@0.2.12",
        ]
    );
    recipe_rebuilds(&ws, &sealed);

    let (_dir, ws) = http_client_project("0.2.13");
    let sealed = seal(&ws);
    let reasons: Vec<String> = sealed.not_sealed.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons,
        ["`client.wasi:http/outgoing-handler@0.2.13`: the sealed `http` fake serves `wasi:http/outgoing-handler` at 0.2.12, and the node imports `wasi:http/outgoing-handler@0.2.13`; it stays an import"]
    );
}
