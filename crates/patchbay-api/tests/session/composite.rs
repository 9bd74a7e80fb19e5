//! Composite nodes: grouping nodes and back, problems inside a composite,
//! and writing a composite alone (a component, a library project).

use super::*;
use std::collections::BTreeSet;

/// The graph of a document as sets, so node order does not matter.
fn graph(
    doc: &ProjectDoc,
) -> (
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    let addr = |a: &PortAddr| format!("{}.{}", a.node, a.port);
    (
        doc.nodes
            .iter()
            .map(|n| format!("{}={}@{},{}", n.id, n.component, n.x, n.y))
            .collect(),
        doc.wires
            .iter()
            .map(|w| format!("{}->{}", addr(&w.from), addr(&w.to)))
            .collect(),
        doc.exports
            .iter()
            .map(|e| format!("{}as{:?}", addr(&e.from), e.name))
            .collect(),
        doc.bindings
            .iter()
            .map(|b| format!("{}={:?}", b.selector, b.binding))
            .collect(),
    )
}

fn errors(a: &Analysis) -> Vec<String> {
    a.problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.message.clone())
        .collect()
}

#[test]
fn grouping_and_ungrouping_give_back_the_same_graph() {
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let grouped = f
            .session
            .group_nodes(GroupNodesRequest {
                doc: doc.clone(),
                nodes: vec!["validator".into(), "tax".into(), "invoice".into()],
                name: "backend".into(),
            })
            .await
            .unwrap();
        assert_eq!(grouped.node, "backend");
        let g = &grouped.doc;
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["orders", "backend"]);
        let backend = &g.composites[0];
        assert_eq!(backend.name, "backend");
        assert_eq!(backend.nodes.len(), 3);
        assert!(backend.wires.is_empty());
        // Every export wired outward became an export of the composite,
        // and the wires start at the composite node.
        assert_eq!(backend.exports.len(), 4);
        assert!(g
            .wires
            .iter()
            .all(|w| w.from.node == "backend" && w.to.node == "orders"));
        // It composes, the composite as one nested component.
        let analysis = f
            .session
            .analyze(DocRequest { doc: g.clone() })
            .await
            .unwrap();
        assert!(errors(&analysis).is_empty(), "{:?}", analysis.problems);
        assert!(analysis.composed.is_some());
        // The composite's view: the ports a node instantiating it draws.
        let view = analysis.composites.iter().find(|c| c.id == "backend");
        let info = view.and_then(|v| v.info.as_ref()).expect("backend's ports");
        assert_eq!(info.exports.len(), 4);
        assert!(info.imports.iter().any(|p| p.name.starts_with("wasi:")));
        // Its ports: the WASI imports of the three, one port per name.
        assert!(analysis
            .imports
            .iter()
            .any(|i| i.node == "backend" && i.port.starts_with("wasi:")));

        let ungrouped = f
            .session
            .ungroup_node(UngroupNodeRequest {
                doc: g.clone(),
                node: "backend".into(),
            })
            .await
            .unwrap();
        assert_eq!(ungrouped.nodes, ["validator", "tax", "invoice"]);
        assert!(
            ungrouped.doc.composites.is_empty(),
            "the unused definition goes"
        );
        assert_eq!(graph(&ungrouped.doc), graph(&doc));
    });
}

#[test]
fn a_node_exported_by_the_project_groups_with_its_export_and_ids_stay_unique() {
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let grouped = f
            .session
            .group_nodes(GroupNodesRequest {
                doc: doc.clone(),
                nodes: vec!["invoice".into(), "orders".into()],
                name: "orders".into(),
            })
            .await;
        // `orders` names a node, not a component: the composite node gets
        // the next free id.
        let grouped = grouped.unwrap();
        assert_eq!(grouped.node, "orders");
        let g = grouped.doc;
        let c = &g.composites[0];
        assert_eq!(c.wires.len(), 2, "invoice feeds orders twice inside");
        assert_eq!(c.exports.len(), 1);
        assert_eq!(c.exports[0].from.port, "process-order");
        assert_eq!(g.exports[0].from, port("orders", "process-order"));
        let analysis = f
            .session
            .analyze(DocRequest { doc: g.clone() })
            .await
            .unwrap();
        assert!(errors(&analysis).is_empty(), "{:?}", analysis.problems);

        // A second instance of the composite, then ungroup one: the inner
        // ids are taken, so they get suffixes; the definition stays.
        let mut two = g.clone();
        let mut copy = two.nodes.iter().find(|n| n.id == "orders").unwrap().clone();
        copy.id = "copy".into();
        two.nodes.push(copy);
        let out = f
            .session
            .ungroup_node(UngroupNodeRequest {
                doc: two,
                node: "copy".into(),
            })
            .await
            .unwrap();
        assert_eq!(out.nodes, ["invoice", "orders2"]);
        assert_eq!(out.doc.composites.len(), 1, "still used by `orders`");

        // Composite names and component ids share one namespace.
        let clash = f
            .session
            .group_nodes(GroupNodesRequest {
                doc: doc.clone(),
                nodes: vec!["tax".into()],
                name: "validator".into(),
            })
            .await
            .unwrap_err();
        assert!(
            clash.message.contains("already names a component"),
            "{}",
            clash.message
        );
        let not_composite = f
            .session
            .ungroup_node(UngroupNodeRequest {
                doc,
                node: "tax".into(),
            })
            .await
            .unwrap_err();
        assert!(
            not_composite
                .message
                .contains("only composite nodes ungroup"),
            "{}",
            not_composite.message
        );
    });
}

#[test]
fn grouping_refuses_nodes_that_would_share_a_port_bound_differently() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        doc.bindings.push(BindingEntry {
            selector: "memory.wasi:*".into(),
            binding: Binding::Deny,
        });
        let e = f
            .session
            .group_nodes(GroupNodesRequest {
                doc,
                nodes: vec!["memory".into(), "service".into()],
                name: "kv".into(),
            })
            .await
            .unwrap_err();
        assert!(
            e.message
                .contains("nodes `memory` and `service` both import `wasi:"),
            "{}",
            e.message
        );
        assert!(
            e.message
                .contains("`memory`'s is bound `deny` and `service`'s is bound `grant`"),
            "{}",
            e.message
        );
    });
}

#[test]
fn problems_inside_a_composite_are_located_in_it() {
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let mut g = f
            .session
            .group_nodes(GroupNodesRequest {
                doc,
                nodes: vec!["invoice".into(), "orders".into()],
                name: "tail".into(),
            })
            .await
            .unwrap()
            .doc;
        g.composites[0].wires[0].to.port = "patchbay:orders/nope@0.1.0".into();
        let analysis = f.session.analyze(DocRequest { doc: g }).await.unwrap();
        let inner = analysis
            .problems
            .iter()
            .find(|p| matches!(&p.location, Location::Composite { composite, .. } if composite == "tail"))
            .unwrap_or_else(|| panic!("{:?}", analysis.problems));
        let Location::Composite {
            nodes, inner: at, ..
        } = &inner.location
        else {
            unreachable!()
        };
        assert_eq!(nodes, &["tail".to_string()]);
        assert!(matches!(**at, Location::Wire { index: 0, .. }), "{at:?}");
        assert!(analysis.composed.is_none());
    });
}

#[test]
fn a_composite_exports_alone_and_saves_as_a_library_project() {
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let g = f
            .session
            .group_nodes(GroupNodesRequest {
                doc,
                nodes: vec!["validator".into(), "tax".into()],
                name: "checks".into(),
            })
            .await
            .unwrap()
            .doc;
        let exported = f
            .session
            .export_composite(ExportCompositeRequest {
                doc: g.clone(),
                composite: "checks".into(),
                dir: None,
                choose_dir: false,
            })
            .await
            .unwrap();
        assert!(
            exported.path.ends_with("out/checks.wasm"),
            "{}",
            exported.path
        );
        let bytes = std::fs::read(&exported.path).unwrap();
        assert_eq!(bytes.len() as u64, exported.size);
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&bytes)
            .unwrap();
        assert_eq!(
            exported.exports,
            [
                "patchbay:orders/validate@0.1.0",
                "patchbay:orders/tax@0.1.0"
            ]
        );
        // A folder no dialog chose is refused.
        let refused = f
            .session
            .export_composite(ExportCompositeRequest {
                doc: g.clone(),
                composite: "checks".into(),
                dir: Some(f.root.join("elsewhere").display().to_string()),
                choose_dir: false,
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotPermitted);

        let saved = f
            .session
            .save_composite_to_library(SaveCompositeRequest {
                doc: g.clone(),
                composite: "checks".into(),
                folder: None,
                choose_folder: false,
            })
            .await
            .unwrap();
        assert!(std::path::Path::new(&saved.component).is_file());
        let text = std::fs::read_to_string(&saved.manifest).unwrap();
        assert!(text.contains("version = 2"), "{text}");
        assert!(
            text.contains("path = \"components/validator.wasm\""),
            "{text}"
        );
        assert!(!text.contains("order-service"), "only what it uses: {text}");
        // Added back into the project it came from, its component does
        // not take the composite's name (they share one set of names).
        let added = f
            .session
            .add_components(AddComponentsRequest {
                doc: g.clone(),
                paths: Some(vec![saved.component.clone()]),
            })
            .await
            .unwrap();
        assert_eq!(added.len(), 1);
        let id = &added[0].id;
        assert!(id.starts_with("checks") && id != "checks", "{id}");
        assert!(g.components.iter().all(|c| c.id != *id), "{id}");
        let info = added[0].info.as_ref().expect("its ports");
        let exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            exports,
            [
                "patchbay:orders/validate@0.1.0",
                "patchbay:orders/tax@0.1.0"
            ]
        );
        // The library project opens and composes on its own.
        let opened = f
            .session
            .open_project(OpenProjectRequest {
                path: Some(saved.manifest.clone()),
            })
            .await
            .unwrap();
        assert!(
            opened.analysis.composed.is_some(),
            "{:?}",
            opened.analysis.problems
        );
    });
}

/// The states of the imports inside the composite reached by `path`.
fn inside<'a>(analysis: &'a Analysis, path: &[&str]) -> &'a [ImportState] {
    let entry = analysis
        .inside
        .iter()
        .find(|i| i.path == path)
        .unwrap_or_else(|| panic!("no imports inside {path:?}: {:?}", analysis.inside));
    &entry.imports
}

fn state<'a>(states: &'a [ImportState], node: &str, port: &str) -> &'a ImportState {
    states
        .iter()
        .find(|s| s.node == node && s.port == port)
        .unwrap_or_else(|| panic!("no state of {node}.{port} in {states:?}"))
}

#[test]
fn imports_inside_nested_composites_are_bound_as_the_composite_nodes_ports() {
    let f = fixture("order-pipeline");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let group = |doc: ProjectDoc, nodes: &[&str], name: &str| {
            f.session.group_nodes(GroupNodesRequest {
                doc,
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                name: name.into(),
            })
        };
        // `checks` (validator, tax) nested in `backend` (checks, orders).
        let g = group(doc, &["validator", "tax"], "checks")
            .await
            .unwrap()
            .doc;
        let mut g = group(g, &["checks", "orders"], "backend")
            .await
            .unwrap()
            .doc;
        let top = f
            .session
            .analyze(DocRequest { doc: g.clone() })
            .await
            .unwrap();
        assert!(errors(&top).is_empty(), "{:?}", top.problems);
        // Every WASI port of `backend` is granted by `*.wasi:*`.
        let env = top
            .imports
            .iter()
            .find(|i| i.node == "backend" && i.port.starts_with("wasi:cli/environment"))
            .expect("backend's environment port")
            .clone();
        assert_eq!(env.mode, ImportMode::Grant);
        assert_eq!(env.selector.as_deref(), Some("*.wasi:*"));

        // Deny it on the composite node: inside, at both levels, the inner
        // nodes' environment imports are denied by that binding.
        let selector = format!("backend.{}", env.port);
        g.bindings.push(BindingEntry {
            selector: selector.clone(),
            binding: Binding::Deny,
        });
        let analysis = f.session.analyze(DocRequest { doc: g }).await.unwrap();
        assert!(errors(&analysis).is_empty(), "{:?}", analysis.problems);
        let paths: Vec<Vec<&str>> = analysis
            .inside
            .iter()
            .map(|i| i.path.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(paths, [vec!["backend"], vec!["backend", "checks"]]);
        assert_eq!(analysis.inside[1].composite, "checks");

        let outer = inside(&analysis, &["backend"]);
        let orders_env = outer
            .iter()
            .find(|s| s.node == "orders" && s.port.starts_with("wasi:cli/environment"))
            .expect("orders' environment import");
        assert_eq!(orders_env.mode, ImportMode::Deny);
        assert_eq!(orders_env.selector.as_deref(), Some(selector.as_str()));
        // `checks`, a composite node inside, has the states of its own ports.
        let checks_env = outer
            .iter()
            .find(|s| s.node == "checks" && s.port.starts_with("wasi:cli/environment"))
            .expect("the inner composite node's environment port");
        assert_eq!(checks_env.mode, ImportMode::Deny);
        // Other WASI imports stay granted by the top level's `*.wasi:*`.
        assert!(outer.iter().any(|s| s.node == "orders"
            && s.mode == ImportMode::Grant
            && s.selector.as_deref() == Some("*.wasi:*")));
        // An import an inner wire feeds is wired, bound by nothing; one
        // the top level wires into the composite node is wired too.
        let validate = state(outer, "orders", "patchbay:orders/validate@0.1.0");
        assert_eq!(validate.mode, ImportMode::Wired);
        assert_eq!(validate.selector, None);
        let format = state(outer, "orders", "patchbay:orders/format@0.1.0");
        assert_eq!(
            format.mode,
            ImportMode::Wired,
            "wired into backend from invoice"
        );

        let nested = inside(&analysis, &["backend", "checks"]);
        for node in ["validator", "tax"] {
            let env = nested
                .iter()
                .find(|s| s.node == node && s.port.starts_with("wasi:cli/environment"))
                .unwrap_or_else(|| panic!("{node}'s environment import: {nested:?}"));
            assert_eq!(env.mode, ImportMode::Deny, "{node}");
            assert_eq!(env.selector.as_deref(), Some(selector.as_str()));
            assert!(!env.scopes.is_empty(), "a grant would scope it by env");
        }
    });
}
