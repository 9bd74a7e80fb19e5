//! Composed binaries opened as projects (`patchbay_compose::import_file`).
//!
//! Round trip: a binary, decomposed into a project and composed again by
//! Patchbay, has the WIT of the binary. Tried on every sample's and
//! fixture's export, open and sealed, and on compositions the real `wac`
//! CLI (`wac compose`, `wac plug`) and `wasm-tools compose` make at test
//! time from the samples' components. (`crates/patchbay-host/tests/
//! decompose.rs` runs the samples' calls on both.) A composite composes to a
//! nested composition, which opens as a composite again (two levels deep
//! too); a nested composition a composite cannot express opens as one node
//! and says why. A binary that embeds no components opens as one node, and
//! what a project cannot express is refused naming the item.

use indexmap::IndexMap;
use patchbay_compose::{import_file, write_import, Imported, Workspace};
use patchbay_project::{ExportDecl, Node, NodeId, Wire};
use std::path::{Path, PathBuf};
use std::process::Command;

fn sorted_wit(bytes: &[u8], what: &str) -> Vec<String> {
    let wit = patchbay_inspect::describe_component(bytes, Path::new(what))
        .unwrap_or_else(|e| panic!("{what} describes: {e}"))
        .wit;
    let mut lines: Vec<String> = wit.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Decomposes `bytes` into a project in a new folder under `dir`, writes
/// it, and composes it again; the import and the recomposed bytes.
fn round_trip(bytes: &[u8], dir: &Path, what: &str) -> (Imported, Vec<u8>) {
    let file = dir.join("composed.wasm");
    std::fs::write(&file, bytes).expect("write binary");
    let out = dir.join("project");
    let imported = import_file(&file, &[], &out).unwrap_or_else(|e| panic!("{what}: import: {e}"));
    let manifest = write_import(&out, &imported).unwrap_or_else(|e| panic!("{what}: write: {e}"));
    let ws = Workspace::open(patchbay_project::load(&manifest).expect("the project loads"));
    let errors: Vec<String> = ws
        .check()
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    let again = ws
        .compose()
        .unwrap_or_else(|e| panic!("{what}: the decomposed project does not compose: {e:?}"));
    assert_eq!(
        sorted_wit(&again.bytes, "recomposed"),
        sorted_wit(bytes, what),
        "{what}"
    );
    (imported, again.bytes)
}

#[test]
fn every_sample_export_decomposes_and_composes_to_the_same_wit() {
    let (mut open, mut sealed) = (0, 0);
    for folder in patchbay_test_programs::project_folders() {
        let ws = Workspace::open(patchbay_project::load(&folder).expect("loads"));
        let Ok(composed) = ws.compose() else { continue };
        let what = folder.display().to_string();
        let dir = tempfile::tempdir().expect("temp dir");
        let (imported, _) = round_trip(&composed.bytes, dir.path(), &what);
        // The same nodes (wac-graph names instances after them), wires and
        // exports as the project it was composed from.
        let names = |p: &patchbay_project::Project| {
            let mut n: Vec<String> = p.nodes.keys().map(|k| k.to_string()).collect();
            n.sort();
            n
        };
        let original = ws.project();
        let made = &imported.project;
        if original.nodes.len() > 1 {
            assert_eq!(names(made), names(original), "{what}");
            assert_eq!(made.wires.len(), original.wires.len(), "{what}");
        }
        assert_eq!(made.exports.len(), original.exports.len(), "{what}");
        open += 1;

        let seal = ws.compose_sealed().expect("seals");
        if seal.stubs.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let (imported, _) = round_trip(
            &seal.composed.bytes,
            dir.path(),
            &format!("{what} (sealed)"),
        );
        // Each stub is a node of its own.
        assert!(
            imported.project.nodes.len() >= original.nodes.len() + seal.stubs.len(),
            "{what} (sealed): {:?}",
            imported.project.nodes.keys().collect::<Vec<_>>()
        );
        sealed += 1;
    }
    assert!(open >= 8, "only {open} exports decomposed");
    assert!(sealed >= 2, "only {sealed} sealed exports decomposed");
}

/// A tool found as the other suites find it: `$VAR`, else `default`.
fn tool(var: &str, default: PathBuf, install: &str) -> PathBuf {
    let path = std::env::var_os(var).map_or(default, PathBuf::from);
    assert!(
        path.is_file(),
        "{} is missing; install it with {install}, or set {var}",
        path.display()
    );
    path
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn wac() -> PathBuf {
    tool(
        "PATCHBAY_WAC",
        home().join(".cargo/bin/wac"),
        "scripts/setup.sh (ensure_wac_cli)",
    )
}

fn wasm_tools() -> PathBuf {
    tool(
        "PATCHBAY_WASM_TOOLS",
        home().join(".cache/patchbay/portability-tools/venv/bin/wasm-tools"),
        "scripts/setup.sh (ensure_portability_tools)",
    )
}

/// Runs `program args…` in `dir`; the file it wrote at `out`.
fn made_by(program: &Path, args: &[&str], dir: &Path, out: &str) -> Vec<u8> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "`{} {}` failed:\n{}",
        program.display(),
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(dir.join(out)).expect("the tool wrote its output")
}

use patchbay_test_programs as programs;

#[test]
fn compositions_by_wac_and_wasm_tools_decompose_and_compose_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    for (name, path) in [
        ("service", programs::KV_SERVICE),
        ("memory", programs::KV_MEMORY),
        ("orders", programs::ORDER_SERVICE),
        ("validator", programs::VALIDATOR),
        ("tax", programs::TAX_CALCULATOR),
        ("invoice", programs::INVOICE_FORMATTER),
    ] {
        std::fs::copy(path, d.join(format!("{name}.wasm"))).expect("copy sample");
    }
    std::fs::write(
        d.join("orders.wac"),
        r#"package demo:pipeline;

let validator = new demo:validator { ... };
let tax = new demo:tax { ... };
let invoice = new demo:invoice { ... };
let orders = new demo:orders {
    "patchbay:orders/validate@0.1.0": validator["patchbay:orders/validate@0.1.0"],
    "patchbay:orders/tax@0.1.0": tax["patchbay:orders/tax@0.1.0"],
    "patchbay:orders/format@0.1.0": invoice["patchbay:orders/format@0.1.0"],
    "patchbay:orders/ledger@0.1.0": invoice["patchbay:orders/ledger@0.1.0"],
    ...
};
export orders["process-order"];
"#,
    )
    .expect("write recipe");
    let wac = wac();
    let wasm_tools = wasm_tools();
    // (`wasm-tools compose` of order-service panics in wasm-compose: "should
    // not have an instance import ref to a non-instance import", on its
    // imported types; wac composes it.)
    let cases: Vec<(&str, Vec<u8>, usize, usize)> = vec![
        (
            "wac compose",
            made_by(
                &wac,
                &[
                    "compose",
                    "orders.wac",
                    "--dep",
                    "demo:validator=validator.wasm",
                    "--dep",
                    "demo:tax=tax.wasm",
                    "--dep",
                    "demo:invoice=invoice.wasm",
                    "--dep",
                    "demo:orders=orders.wasm",
                    "-o",
                    "wac-compose.wasm",
                ],
                d,
                "wac-compose.wasm",
            ),
            4,
            4,
        ),
        (
            "wac plug",
            made_by(
                &wac,
                &[
                    "plug",
                    "service.wasm",
                    "--plug",
                    "memory.wasm",
                    "-o",
                    "wac-plug.wasm",
                ],
                d,
                "wac-plug.wasm",
            ),
            2,
            1,
        ),
        (
            "wasm-tools compose",
            made_by(
                &wasm_tools,
                &[
                    "compose",
                    "service.wasm",
                    "-d",
                    "memory.wasm",
                    "-o",
                    "wt-kv.wasm",
                ],
                d,
                "wt-kv.wasm",
            ),
            2,
            1,
        ),
    ];
    for (what, bytes, nodes, wires) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let (imported, _) = round_trip(&bytes, dir.path(), what);
        let p = &imported.project;
        assert_eq!(p.nodes.len(), nodes, "{what}: {:?}", p.nodes.keys());
        assert_eq!(p.wires.len(), wires, "{what}: {:?}", p.wires);
        assert_eq!(p.exports.len(), 1, "{what}");
        assert!(imported.notes.is_empty(), "{what}: {:?}", imported.notes);
        // The components are the samples' own, byte for byte.
        for file in &imported.files {
            let same = [
                programs::KV_SERVICE,
                programs::KV_MEMORY,
                programs::ORDER_SERVICE,
            ]
            .iter()
            .chain(&[
                programs::VALIDATOR,
                programs::TAX_CALCULATOR,
                programs::INVOICE_FORMATTER,
            ])
            .any(|s| std::fs::read(s).expect("sample") == file.bytes);
            assert!(same, "{what}: {} is no sample", file.path.display());
        }
    }
}

#[test]
fn a_single_component_opens_as_one_node_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = std::fs::read(programs::KV_SERVICE).expect("sample");
    let (imported, _) = round_trip(&bytes, dir.path(), "kv-service.wasm");
    assert_eq!(imported.project.nodes.len(), 1);
    assert_eq!(imported.project.exports.len(), 1);
    assert_eq!(
        imported.notes,
        ["opened as one node: it embeds no components: it is a single component"]
    );
}

/// The kv-service sample with both its nodes grouped into composite
/// `store` (node `kv`), as a project folder in `dir`.
fn grouped_kv_service(dir: &Path) -> Workspace {
    let toml = format!(
        r#"version = 2
name = "grouped"

[components.kv-memory]
path = {memory:?}

[components.kv-service]
path = {service:?}

[nodes.kv]
composite = "store"

[[exports]]
from = "kv.handle-request"

[bindings."*.wasi:*"]
mode = "grant"

[composites.store.nodes.memory]
component = "kv-memory"

[composites.store.nodes.service]
component = "kv-service"

[[composites.store.wires]]
from = "memory.patchbay:kv/store"
to = "service.patchbay:kv/store"

[[composites.store.exports]]
from = "service.handle-request"
"#,
        memory = programs::KV_MEMORY,
        service = programs::KV_SERVICE,
    );
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    Workspace::open(patchbay_project::load(dir).expect("loads"))
}

/// A composite's inner graph as text: each node with what it
/// instantiates (`name: composite NAME` or `name: component`), then each
/// wire and each export.
fn inner_graph(
    p: &patchbay_project::Project,
    nodes: &IndexMap<NodeId, Node>,
    wires: &[Wire],
    exports: &[ExportDecl],
) -> Vec<String> {
    let mut lines: Vec<String> = nodes
        .iter()
        .map(|(id, n)| {
            if p.is_composite(&n.component) {
                format!("{id}: composite")
            } else {
                format!("{id}: component")
            }
        })
        .collect();
    let mut wires: Vec<String> = wires.iter().map(|w| w.to_string()).collect();
    wires.sort();
    lines.extend(wires);
    lines.extend(
        exports
            .iter()
            .map(|e| format!("export {} as {}", e.from, e.export_name())),
    );
    lines
}

/// The composite node `node` instantiates, and its definition.
fn composite_of<'p>(
    p: &'p patchbay_project::Project,
    nodes: &IndexMap<NodeId, Node>,
    node: &str,
) -> &'p patchbay_project::Composite {
    let name = &nodes
        .get(node)
        .unwrap_or_else(|| panic!("no node `{node}` in {:?}", nodes.keys()))
        .component;
    p.composites
        .get(name)
        .unwrap_or_else(|| panic!("node `{node}` instantiates `{name}`, which is no composite"))
}

#[test]
fn a_composite_becomes_a_composite_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = grouped_kv_service(dir.path());
    let composed = ws.compose().unwrap_or_else(|p| panic!("{p:#?}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let (imported, _) = round_trip(&composed.bytes, dir.path(), "grouped kv-service");
    let p = &imported.project;
    assert_eq!(
        p.nodes.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["kv"]
    );
    assert_eq!(p.composites.len(), 1, "{:?}", p.composites.keys());
    let store = composite_of(p, &p.nodes, "kv");
    // The same inner nodes, wire and export as the composite composed.
    let original = &ws.project().composites["store"];
    assert_eq!(
        inner_graph(p, &store.nodes, &store.wires, &store.exports),
        inner_graph(
            ws.project(),
            &original.nodes,
            &original.wires,
            &original.exports
        ),
    );
    assert_eq!(
        inner_graph(p, &store.nodes, &store.wires, &store.exports),
        [
            "memory: component",
            "service: component",
            "memory.patchbay:kv/store -> service.patchbay:kv/store",
            "export service.handle-request as handle-request",
        ]
    );
    // The composite node's export is the project's; its WASI imports are
    // left open by the project's `*.*`.
    assert_eq!(p.exports.len(), 1);
    assert_eq!(p.exports[0].from.to_string(), "kv.handle-request");
    assert!(p.wires.is_empty(), "{:?}", p.wires);
    // Its two components extracted, byte for byte the samples'.
    assert_eq!(imported.files.len(), 2);
    for (file, sample) in imported
        .files
        .iter()
        .zip([programs::KV_MEMORY, programs::KV_SERVICE])
    {
        assert_eq!(
            file.bytes,
            std::fs::read(sample).expect("sample"),
            "{}",
            file.path.display()
        );
    }
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let summary = imported.summary(Path::new("grouped.wasm"));
    assert!(
        summary.contains("1 node, 0 wires, 1 export from 2 extracted components; 1 composite: `kv` (2 nodes, 1 wire; node kv)"),
        "{summary}"
    );
}

/// The chain of `tests/composites` (`base`, then composite `stage` twice,
/// each two nodes of composite `block`, each two `inc` nodes), in `dir`.
fn nested_chain(dir: &Path) -> Workspace {
    for f in ["base.wat", "inc.wat"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/composites")
                .join(f),
            dir.join(f),
        )
        .expect("copy chain component");
    }
    let step = "demo:chain/step";
    let toml = format!(
        r#"version = 2
name = "chain"

[components.base]
path = "base.wat"

[components.inc]
path = "inc.wat"

[nodes.base]
component = "base"

[nodes.s0]
composite = "stage"

[nodes.s1]
composite = "stage"

[[wires]]
from = "base.{step}"
to = "s0.{step}"

[[wires]]
from = "s0.{step}"
to = "s1.{step}"

[[exports]]
from = "s1.{step}"

[composites.stage.nodes.b0]
composite = "block"

[composites.stage.nodes.b1]
composite = "block"

[[composites.stage.wires]]
from = "b0.{step}"
to = "b1.{step}"

[[composites.stage.exports]]
from = "b1.{step}"

[composites.block.nodes.n0]
component = "inc"

[composites.block.nodes.n1]
component = "inc"

[[composites.block.wires]]
from = "n0.{step}"
to = "n1.{step}"

[[composites.block.exports]]
from = "n1.{step}"
"#
    );
    std::fs::write(dir.join("patchbay.toml"), toml).expect("write project");
    Workspace::open(patchbay_project::load(dir).expect("loads"))
}

#[test]
fn composites_nested_two_deep_become_composites_two_deep() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = nested_chain(dir.path());
    let composed = ws.compose().unwrap_or_else(|p| panic!("{p:#?}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let (imported, again) = round_trip(&composed.bytes, dir.path(), "nested chain");
    let p = &imported.project;
    let step = "demo:chain/step";
    assert_eq!(
        inner_graph(p, &p.nodes, &p.wires, &p.exports),
        [
            "base: component".to_string(),
            "s0: composite".into(),
            "s1: composite".into(),
            format!("base.{step} -> s0.{step}"),
            format!("s0.{step} -> s1.{step}"),
            format!("export s1.{step} as {step}"),
        ],
        "{:?}",
        imported.notes
    );
    // Both stages instantiate one composite, whose nodes instantiate one
    // composite of two `inc` nodes.
    assert_eq!(p.nodes["s0"].component, p.nodes["s1"].component);
    let stage = composite_of(p, &p.nodes, "s0");
    assert_eq!(
        inner_graph(p, &stage.nodes, &stage.wires, &stage.exports),
        [
            "b0: composite".to_string(),
            "b1: composite".into(),
            format!("b0.{step} -> b1.{step}"),
            format!("export b1.{step} as {step}"),
        ]
    );
    assert_eq!(stage.nodes["b0"].component, stage.nodes["b1"].component);
    let block = composite_of(p, &stage.nodes, "b0");
    assert_eq!(
        inner_graph(p, &block.nodes, &block.wires, &block.exports),
        [
            "n0: component".to_string(),
            "n1: component".into(),
            format!("n0.{step} -> n1.{step}"),
            format!("export n1.{step} as {step}"),
        ]
    );
    assert_eq!(p.composites.len(), 2, "{:?}", p.composites.keys());
    // `base` and `inc`, once each.
    assert_eq!(p.components.len(), 2, "{:?}", p.components.keys());
    assert_eq!(imported.files.len(), 2);
    // Decomposing the recomposition gives the same project again.
    let dir = tempfile::tempdir().expect("temp dir");
    let (twice, _) = round_trip(&again, dir.path(), "nested chain, recomposed");
    assert_eq!(twice.project.nodes, imported.project.nodes);
    assert_eq!(twice.project.composites, imported.project.composites);
    assert_eq!(twice.project.wires, imported.project.wires);
}

#[test]
fn a_nested_composition_made_by_wac_opens_as_a_composite() {
    // kv-service composed, then composed again into an outer composition
    // with wac-parser (what `wac compose` runs).
    let ws = Workspace::open(
        patchbay_project::load(&Path::new(programs::SAMPLES_DIR).join("kv-service"))
            .expect("loads"),
    );
    let inner = ws.compose().expect("composes").bytes;
    let doc = wac_parser::Document::parse(
        "package demo:outer;\nlet kv = new demo:inner { ... };\nexport kv[\"handle-request\"];\n",
    )
    .expect("parses");
    let mut packages = indexmap::IndexMap::new();
    packages.insert(
        wac_graph::types::BorrowedPackageKey::from_name_and_version("demo:inner", None),
        inner,
    );
    let outer = doc
        .resolve(packages)
        .expect("resolves")
        .encode(wac_graph::EncodeOptions::default())
        .expect("encodes");
    let dir = tempfile::tempdir().expect("temp dir");
    let (imported, _) = round_trip(&outer, dir.path(), "nested");
    let p = &imported.project;
    assert_eq!(
        p.nodes.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["kv"]
    );
    let kv = composite_of(p, &p.nodes, "kv");
    assert_eq!(
        inner_graph(p, &kv.nodes, &kv.wires, &kv.exports),
        [
            "memory: component",
            "service: component",
            "memory.patchbay:kv/store -> service.patchbay:kv/store",
            "export service.handle-request as handle-request",
        ]
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
}

#[test]
fn a_nested_composition_no_composite_expresses_opens_as_one_node_and_says_why() {
    // `middle` feeds its import `host-f` to `takes` as `f`: a composite's
    // ports keep the names of its nodes' imports, so it cannot be one.
    let wat = r#"(component
        (import "host-f" (func $h))
        (component $middle
            (import "host-f" (func $hf))
            (component $takes
                (import "f" (func))
                (export "g" (func 0)))
            (instance $t (instantiate $takes (with "f" (func $hf))))
            (alias export $t "g" (func $g))
            (export "g" (func $g)))
        (instance $m (instantiate $middle (with "host-f" (func $h))))
        (alias export $m "g" (func $g))
        (export "g" (func $g)))"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = patchbay_inspect::load_bytes(wat.as_bytes(), Path::new("nested.wat"))
        .expect("valid WAT")
        .bytes;
    let (imported, _) = round_trip(&bytes, dir.path(), "renaming middle");
    let p = &imported.project;
    assert!(p.composites.is_empty(), "{:?}", p.composites.keys());
    assert_eq!(
        p.nodes.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["m"]
    );
    assert_eq!(imported.files.len(), 1);
    assert_eq!(
        imported.notes,
        ["component `middle` is itself a composition of 1 instance, and it opens as one node, not as a composite: instance 0 `t`: argument `f` is the composition's import `host-f`, renamed, which a project cannot express (an import left open keeps its name)"]
    );

    // `middle` imports `spare`, which none of its instances takes: a
    // composite made of its nodes would not have that port.
    let wat = format!(
        r#"(component
        (import "spare" (func $s))
        (component $middle
            (import "spare" (func))
            {INNER}
            (instance $i (instantiate $inner))
            (alias export $i "f" (func $f))
            (export "f" (func $f)))
        (instance $m (instantiate $middle (with "spare" (func $s))))
        (alias export $m "f" (func $f))
        (export "f" (func $f)))"#
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = patchbay_inspect::load_bytes(wat.as_bytes(), Path::new("spare.wat"))
        .expect("valid WAT")
        .bytes;
    let (imported, _) = round_trip(&bytes, dir.path(), "middle with a spare import");
    assert!(imported.project.composites.is_empty());
    assert_eq!(
        imported.notes,
        ["component `middle` is itself a composition of 1 instance, and it opens as one node, not as a composite: its import `spare` feeds none of the components it instantiates, and a composite's ports are only its nodes' unwired imports"]
    );
}

/// The error importing WAT text `wat`.
fn refusal(wat: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.wat");
    std::fs::write(&file, wat).expect("write wat");
    import_file(&file, &[], dir.path())
        .expect_err("refused")
        .to_string()
}

/// A component exporting function `f`, as WAT.
const INNER: &str = r#"(component $inner
    (core module $m (func (export "f")))
    (core instance $i (instantiate $m))
    (func $f (canon lift (core func $i "f")))
    (export "f" (func $f)))"#;

#[test]
fn what_a_project_cannot_express_is_refused_naming_the_item() {
    let e = refusal(&format!(
        "(component {INNER} (instance $a (instantiate $inner)) (export \"whole\" (instance $a)))"
    ));
    assert!(e.contains("bad.wat: export `whole`: it exports the whole instance `a`, which a project cannot express"), "{e}");

    let e =
        refusal(r#"(component (import "plugin" (component $c)) (instance $a (instantiate $c)))"#);
    assert!(e.contains("component 0 `c` is the import `plugin`"), "{e}");

    let e = refusal(&format!(
        r#"(component
            (import "host-f" (func $h))
            (component $takes (import "f" (func)))
            {INNER}
            (instance $b (instantiate $takes (with "f" (func $h)))))"#
    ));
    assert!(
        e.contains("instance 0 `b`: argument `f` is the composition's import `host-f`, renamed"),
        "{e}"
    );
}
