//! Editing: wires decided by the checker, mock values checked against
//! their types, and documents that break the rules refused.

use super::*;

#[test]
fn wiring_is_decided_by_the_checker() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        doc.wires.clear();
        let found = f
            .session
            .candidates(CandidatesRequest {
                doc: doc.clone(),
                port: port("service", KV),
            })
            .await
            .unwrap();
        assert_eq!(found.direction, Direction::Import);
        assert_eq!(found.ports, vec![port("memory", KV)]);

        let ok = f
            .session
            .check_wire(CheckWireRequest {
                doc: doc.clone(),
                from: port("memory", KV),
                to: port("service", KV),
            })
            .await
            .unwrap();
        assert!(ok.ok, "{ok:?}");

        let refused = f
            .session
            .check_wire(CheckWireRequest {
                doc: doc.clone(),
                from: port("service", "handle-request"),
                to: port("memory", "wasi:cli/environment@0.2.6"),
            })
            .await
            .unwrap();
        assert!(!refused.ok);
        let reason = refused.reason.unwrap();
        assert!(reason.contains("handle-request"), "{reason}");

        let analysis = f.session.analyze(DocRequest { doc }).await.unwrap();
        assert!(analysis.composed.is_none());
        assert!(analysis
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error && matches!(&p.location, Location::Port { node, port } if node == "service" && port == KV)));
    });
}

#[test]
fn mock_values_are_checked_against_their_types() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        doc.wires.clear();
        doc.bindings.push(BindingEntry {
            selector: format!("service.{KV}"),
            binding: Binding::Mock(Mock {
                fake: Some(FakeName::Kv),
                ..Default::default()
            }),
        });
        let check = |value: &str| CheckMockValueRequest {
            doc: doc.clone(),
            node: "service".into(),
            import: KV.into(),
            function: "get".into(),
            value: value.into(),
        };
        let good = f
            .session
            .check_mock_value(check(r#"some("x")"#))
            .await
            .unwrap();
        assert!(good.ok && good.reason.is_none(), "{good:?}");
        let bad = f.session.check_mock_value(check("42")).await.unwrap();
        assert!(!bad.ok);
        assert!(bad.reason.unwrap().contains("42"));

        let targets = f
            .session
            .fake_targets(FakeTargetsRequest {
                doc: doc.clone(),
                fake: FakeName::Kv,
            })
            .await
            .unwrap();
        assert!(targets.contains(&port("service", KV)), "{targets:?}");
        let clock = f
            .session
            .fake_targets(FakeTargetsRequest {
                doc: doc.clone(),
                fake: FakeName::Clock,
            })
            .await
            .unwrap();
        assert!(!clock.contains(&port("service", KV)));

        // A fake dropped where it cannot answer says which functions and
        // what to do; one that fits is accepted.
        let fake = |fake: FakeName| CheckFakeRequest {
            doc: doc.clone(),
            fake,
            node: "service".into(),
            port: KV.into(),
        };
        let kv = f.session.check_fake(fake(FakeName::Kv)).await.unwrap();
        assert!(kv.ok, "{kv:?}");
        let log = f.session.check_fake(fake(FakeName::Log)).await.unwrap();
        let why = log.reason.unwrap_or_default();
        assert!(!log.ok);
        assert!(
            why.starts_with("The Logging fake cannot serve `service.patchbay:kv/store`")
                && why.contains("`get` returns option<string>")
                && why.contains("give those functions values"),
            "{why}"
        );
        let clock = f.session.check_fake(fake(FakeName::Clock)).await.unwrap();
        assert!(clock
            .reason
            .is_some_and(|r| r.contains("wasi:clocks/") && r.contains("Wire the import")),);
        let missing = f.session.check_fake(CheckFakeRequest {
            port: "no:such/import".into(),
            ..fake(FakeName::Log)
        });
        let e = missing.await.unwrap_err();
        assert!(e.message.contains("no import `no:such/import`"), "{e:?}");
    });
}

#[test]
fn bad_documents_are_refused_with_the_item_named() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        doc.nodes[1].id = "Not Kebab".into();
        // Analysis reports the document's problems at their item; saving
        // refuses them.
        let analysis = f
            .session
            .analyze(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let problem = analysis
            .problems
            .iter()
            .find(|p| p.code == "invalid-document")
            .expect("the bad node id is reported");
        assert!(problem.message.contains("Not Kebab"), "{}", problem.message);
        assert_eq!(
            problem.location,
            Location::Node {
                node: "Not Kebab".into()
            }
        );
        let err = f
            .session
            .save(SaveRequest {
                doc: doc.clone(),
                save_as: false,
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "bad-request");
        assert!(err.message.contains("Not Kebab"), "{}", err.message);
        doc.nodes[1].id = "service".into();
        doc.bindings.push(BindingEntry {
            selector: "service.a*b*".into(),
            binding: Binding::Leave,
        });
        let err = f.session.analyze(DocRequest { doc }).await.unwrap_err();
        assert_eq!(err.code, "bad-request");
        assert!(err.message.contains("a*b*"), "{}", err.message);
    });
}
