//! Format version 2: composite definitions, nodes instantiating them, the
//! upgrade of version-1 files, and the rules of composites, each placed.

use patchbay_project::{parse, to_toml, to_toml_checked, Binding, ProjectError, CURRENT_VERSION};
use std::path::Path;

const V1: &str = r#"
version = 1
name = "chain"
[components.inc]
path = "inc.wat"
[nodes.a]
component = "inc"
position = { x = 1.0, y = 2.0 }
[nodes.b]
component = "inc"
[[wires]]
from = "a.demo:inc/step"
to = "b.demo:inc/step"
[[exports]]
from = "b.demo:inc/step"
"#;

const V2: &str = r#"
version = 2
name = "chain"

[components.inc]
path = "inc.wat"

[nodes.first]
composite = "stage"
position = { x = 10.0, y = 0.0 }

[nodes.second]
composite = "stage"

[nodes.tail]
component = "inc"

[[wires]]
from = "first.demo:inc/step"
to = "second.demo:inc/step"

[[exports]]
from = "second.demo:inc/step"

[bindings."first.wasi:*"]
mode = "deny"

[composites.stage.nodes.a]
component = "inc"
position = { x = 0.0, y = 0.0 }

[composites.stage.nodes.b]
component = "inc"

[[composites.stage.wires]]
from = "a.demo:inc/step"
to = "b.demo:inc/step"

[[composites.stage.exports]]
from = "b.demo:inc/step"
"#;

fn open(text: &str) -> patchbay_project::Project {
    parse(text, Path::new("p/patchbay.toml")).unwrap().0
}

fn problems(text: &str) -> String {
    match parse(text, Path::new("p/patchbay.toml")) {
        Err(ProjectError::Invalid { problems, .. }) => problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}: {}",
                    p.line.unwrap_or(0),
                    p.column.unwrap_or(0),
                    p.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("not a document problem: {e}"),
        Ok(_) => panic!("the file opened"),
    }
}

#[test]
fn version_one_opens_unchanged_and_saves_as_version_two() {
    let (p, from) = parse(V1, Path::new("p/patchbay.toml")).unwrap();
    assert_eq!(from, None, "version 1 means the same in version 2");
    assert!(p.composites.is_empty());
    assert_eq!(p.nodes["a"].component, "inc");
    assert_eq!(p.nodes["a"].position.x, 1.0);
    assert_eq!(p.wires.len(), 1);
    let text = to_toml(&p);
    assert_eq!(CURRENT_VERSION, 2);
    assert!(text.contains("version = 2"), "{text}");
    assert!(text.contains("component = \"inc\""), "{text}");
    assert_eq!(open(&text), p);
}

#[test]
fn composites_read_and_write_back_equal() {
    let p = open(V2);
    let stage = &p.composites["stage"];
    assert_eq!(stage.nodes.len(), 2);
    assert_eq!(stage.wires[0].to.to_string(), "b.demo:inc/step");
    assert_eq!(stage.exports[0].export_name(), "demo:inc/step");
    assert!(p.is_composite(&p.nodes["first"].component));
    assert!(!p.is_composite(&p.nodes["tail"].component));
    let text = to_toml_checked(&p, Path::new("p/patchbay.toml")).unwrap();
    assert!(text.contains("composite = \"stage\""), "{text}");
    assert!(text.contains("[composites.stage.nodes.a]"), "{text}");
    assert_eq!(open(&text), p);
}

#[test]
fn a_composite_alone_is_a_project_leaving_its_imports_open() {
    let p = open(V2);
    let alone = p.composite_project("stage").unwrap();
    assert_eq!(alone.name, "stage");
    assert_eq!(alone.nodes.len(), 2);
    assert_eq!(alone.exports.len(), 1);
    assert_eq!(
        alone.binding_for("a", "wasi:cli/stdout@0.2.6").unwrap().1,
        &Binding::Leave
    );
    assert!(alone.validate().is_empty(), "{:?}", alone.validate());
    assert!(p.composite_project("nothing").is_none());
}

#[test]
fn nodes_name_exactly_one_component_or_composite() {
    let both = V2.replace(
        "[nodes.tail]\ncomponent = \"inc\"",
        "[nodes.tail]\ncomponent = \"inc\"\ncomposite = \"stage\"",
    );
    let e = problems(&both);
    assert!(
        e.contains("node `tail` has both `component` and `composite`"),
        "{e}"
    );
    assert!(e.starts_with("15:"), "placed at the node: {e}");

    let neither = V2.replace("[nodes.tail]\ncomponent = \"inc\"", "[nodes.tail]\n");
    let e = problems(&neither);
    assert!(
        e.contains("node `tail` needs `component = \"…\"` or `composite = \"…\"`"),
        "{e}"
    );

    let unknown = V2.replace(
        "[nodes.second]\ncomposite = \"stage\"",
        "[nodes.second]\ncomposite = \"stag\"",
    );
    let e = problems(&unknown);
    assert!(
        e.contains("`composite = \"stag\"` names no composite"),
        "{e}"
    );
    assert!(e.starts_with("12:"), "{e}");

    let wrong_key = V2.replace(
        "[nodes.second]\ncomposite = \"stage\"",
        "[nodes.second]\ncomponent = \"stage\"",
    );
    let e = problems(&wrong_key);
    assert!(
        e.contains("`stage` is a composite; write `composite = \"stage\"`"),
        "{e}"
    );
}

#[test]
fn inner_wires_and_exports_name_inner_nodes_and_exports_are_named_once() {
    let text = V2.replace(
        "[[composites.stage.wires]]\nfrom = \"a.demo:inc/step\"",
        "[[composites.stage.wires]]\nfrom = \"tail.demo:inc/step\"",
    ) + "\n[[composites.stage.exports]]\nfrom = \"a.demo:inc/step\"\n";
    let e = problems(&text);
    assert!(
        e.contains(
            "composite `stage`, wire 1 `from`: `tail.demo:inc/step` names no node of the composite"
        ),
        "{e}"
    );
    assert!(
        e.contains("composite `stage` exports `demo:inc/step` twice"),
        "{e}"
    );
    let wire_line = text
        .lines()
        .position(|l| l.contains("from = \"tail.demo"))
        .unwrap()
        + 1;
    assert!(
        e.lines().any(|l| l.starts_with(&format!("{wire_line}:"))),
        "placed at the wire: {e}"
    );
}

#[test]
fn a_composite_may_nest_but_not_contain_itself() {
    let nested = V2.to_string()
        + "\n[composites.outer.nodes.inner]\ncomposite = \"stage\"\n[[composites.outer.exports]]\nfrom = \"inner.demo:inc/step\"\n";
    let p = open(&nested);
    let (order, cycles) = p.composite_order();
    assert!(cycles.is_empty());
    let names: Vec<&str> = order.iter().map(|n| n.as_str()).collect();
    assert_eq!(names, ["stage", "outer"]);

    let cyclic = nested.replace(
        "[composites.stage.nodes.b]\ncomponent = \"inc\"",
        "[composites.stage.nodes.b]\ncomposite = \"outer\"",
    );
    let e = problems(&cyclic);
    assert!(
        e.contains("composite `stage` contains itself: stage → outer → stage"),
        "{e}"
    );
    let line = cyclic
        .lines()
        .position(|l| l.contains("composites.stage"))
        .unwrap()
        + 1;
    assert!(
        e.starts_with(&format!("{line}:")),
        "placed at the definition: {e}"
    );
}

#[test]
fn a_composite_cannot_take_a_component_name() {
    let text = V2.to_string() + "\n[composites.inc.nodes.x]\ncomponent = \"inc\"\n";
    let e = problems(&text);
    assert!(
        e.contains("composite `inc` has the name of a component"),
        "{e}"
    );
}
