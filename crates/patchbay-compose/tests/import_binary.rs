//! Composed binaries opened as projects (`patchbay_compose::import_file`).
//!
//! Round trip: a binary, decomposed into a project and composed again by
//! Patchbay, has the WIT of the binary. Tried on every sample's and
//! fixture's export, open and sealed, and on compositions the real `wac`
//! CLI (`wac compose`, `wac plug`) and `wasm-tools compose` make at test
//! time from the samples' components. (`crates/patchbay-host/tests/
//! decompose.rs` runs the samples' calls on both.) A binary that embeds no
//! components opens as one node, a nested composition stays one node, and
//! what a project cannot express is refused naming the item.

use patchbay_compose::{import_file, write_import, Imported, Workspace};
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

#[test]
fn a_nested_composition_opens_as_one_node_and_says_so() {
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
    assert_eq!(
        imported
            .project
            .nodes
            .keys()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["kv"]
    );
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(
        imported.notes[0].contains("is itself a composition of 2 instances; it opens as one node, since composite nodes do not exist yet"),
        "{:?}",
        imported.notes
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
