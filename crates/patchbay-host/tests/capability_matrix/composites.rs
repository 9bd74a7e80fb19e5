//! Composites in the matrix: a node inside a composite reaches exactly what
//! the composite node's ports are granted, never what a neighbour outside
//! it was granted, whether the project runs traced (the composite flattened:
//! its inner node `inner` runs as `box-inner`, with its own scope) or the
//! composite alone runs composed.

use super::*;

/// `boxed` holds one probe node, `inner`; the composite node `box` has its
/// environment port granted `GREETING`, its neighbour `c` the token.
fn project(dir: &Path, with_neighbour: bool) -> Workspace {
    let env = format!("wasi:cli/environment@{WASI}");
    let mut t = format!(
        "version = 2\nname = \"matrix\"\n[components.probe]\npath = {:?}\n\
         [nodes.box]\ncomposite = \"boxed\"\n\
         [[exports]]\nfrom = \"box.patchbay:sandbox/probe\"\nas = \"box\"\n\
         [bindings.\"box.{env}\"]\nmode = \"grant\"\nenv = [\"GREETING\"]\n",
        patchbay_test_programs::SANDBOX_DEMO
    );
    if with_neighbour {
        t += &format!(
            "[nodes.c]\ncomponent = \"probe\"\n\
             [[exports]]\nfrom = \"c.patchbay:sandbox/probe\"\nas = \"c\"\n\
             [bindings.\"c.{env}\"]\nmode = \"grant\"\nenv = [\"PATCHBAY_MATRIX_TOKEN\"]\n"
        );
    }
    t += "[bindings.\"*.wasi:*\"]\nmode = \"grant\"\n\
          [composites.boxed.nodes.inner]\ncomponent = \"probe\"\n\
          [[composites.boxed.exports]]\nfrom = \"inner.patchbay:sandbox/probe\"\n";
    std::fs::write(dir.join("patchbay.toml"), &t).expect("project written");
    let ws = Workspace::open(patchbay_project::load(dir).expect("project loads"));
    let errors: Vec<_> = ws.check().into_iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{t}");
    ws
}

#[test]
fn a_node_inside_a_composite_reaches_only_the_composite_nodes_grants() {
    host();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        reaches(r#"box#read-env("GREETING")"#, GREETING),
        fails(
            r#"box#read-env("PATCHBAY_MATRIX_TOKEN")"#,
            "cannot read env",
        )
        .viewed(
            "wasi:cli/environment",
            "it is granted GREETING; every other host variable is withheld",
        ),
        fails(r#"box#read-env("HOME")"#, "cannot read env HOME"),
        reaches(r#"c#read-env("PATCHBAY_MATRIX_TOKEN")"#, TOKEN),
        fails(r#"c#read-env("GREETING")"#, "cannot read env GREETING"),
    ];
    let ws = project(dir.path(), true);
    for (traced, label) in [(false, "auto"), (true, "traced")] {
        let prepared = if traced {
            host().prepare_traced(&ws)
        } else {
            host().prepare(&ws)
        }
        .unwrap_or_else(|e| panic!("prepare: {e}"));
        assert!(prepared.is_traced(), "{:?}", prepared.fallback_reason());
        for case in &cases {
            let report = run(&prepared, &case.call);
            let mode = format!("composite beside `c`, {label}");
            if case.node() == "box" {
                // The scope lines name the inner node, as the plan calls it.
                let mut inner = case.clone();
                inner.call = case.call.replacen("box#", "box-inner#", 1);
                check_case(&report, &inner, &mode);
            } else {
                check_case(&report, case, &mode);
            }
        }
    }
    // The composite node alone composes: its scope is still its own.
    let ws = project(dir.path(), false);
    let prepared = host()
        .prepare(&ws)
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    for case in cases.iter().filter(|c| c.node() == "box") {
        let report = run(&prepared, &case.call);
        assert_eq!(report.mode, RunMode::Composed, "{}", report.mode_reason);
        check_case(&report, case, "composite alone, composed");
    }
}
