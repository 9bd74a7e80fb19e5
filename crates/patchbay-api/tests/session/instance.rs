//! The run panel's live session: calls share one instance, an edit of the
//! composition ends it and says so, a trap ends it until a reset.

use super::*;

const SET: &str = r#"handle-request("set a 1")"#;
const GET: &str = r#"handle-request("get a")"#;

async fn call(f: &Fixture, doc: &ProjectDoc, call: &str) -> SessionCalled {
    f.session
        .session_call(SessionCallRequest {
            doc: doc.clone(),
            call: call.into(),
            limits: RunLimits::default(),
            traced: false,
        })
        .await
        .unwrap()
}

async fn status(f: &Fixture, doc: &ProjectDoc) -> SessionInfo {
    f.session
        .session_status(SessionRequest {
            doc: doc.clone(),
            traced: false,
        })
        .await
        .unwrap()
}

fn result(called: &SessionCalled) -> &str {
    let report = called.report.as_ref().expect("the call ran");
    report
        .result
        .as_deref()
        .unwrap_or_else(|| panic!("{report:?}"))
}

#[test]
fn calls_share_an_instance_until_an_edit_changes_the_composition() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        assert_eq!(status(&f, &doc).await.state, SessionState::None);
        assert_eq!(result(&call(&f, &doc, SET).await), r#""ok""#);
        let got = call(&f, &doc, GET).await;
        assert_eq!(result(&got), r#""1""#);
        let info = got.session;
        assert_eq!((info.state, info.calls), (SessionState::Live, 2));
        assert!(info.memory_bytes >= 2 << 16, "{info:?}");
        assert!(info.age_ms.is_some());

        // Moving a node is not an edit of the composition.
        doc.nodes[0].x += 40.0;
        assert_eq!(status(&f, &doc).await.state, SessionState::Live);
        assert_eq!(result(&call(&f, &doc, GET).await), r#""1""#);

        // Renaming the export is: the session ends, and says so until the
        // next call, which starts a new one.
        doc.exports[0].name = Some("serve-request".into());
        let info = status(&f, &doc).await;
        assert_eq!(info.state, SessionState::Ended);
        let ended = info.ended.expect("ended");
        assert_eq!(ended.cause, SessionEndCause::Edited);
        assert!(
            ended.message.contains("the composition changed") && ended.message.contains("3 calls"),
            "{}",
            ended.message
        );
        assert_eq!(status(&f, &doc).await.state, SessionState::Ended);
        let fresh = call(&f, &doc, r#"serve-request("get a")"#).await;
        assert_eq!(result(&fresh), r#""not found: a""#);
        assert_eq!(
            (fresh.session.state, fresh.session.calls),
            (SessionState::Live, 1)
        );
    });
}

#[test]
fn a_trap_ends_the_session_until_reset_and_clear_keeps_the_instance() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        call(&f, &doc, SET).await;
        let limits = RunLimits {
            fuel: Some(1),
            ..RunLimits::default()
        };
        let spent = f
            .session
            .session_call(SessionCallRequest {
                doc: doc.clone(),
                call: GET.into(),
                limits,
                traced: false,
            })
            .await
            .unwrap();
        let failure = spent.report.and_then(|r| r.failure).expect("fuel ran out");
        assert_eq!(failure.kind, FailureKind::Fuel);
        let ended = spent.session.ended.expect("ended");
        assert_eq!(
            (ended.cause, ended.kind, ended.call.as_deref()),
            (SessionEndCause::Failure, Some(FailureKind::Fuel), Some(GET))
        );
        // The next call is refused with the reason, and runs nothing.
        let refused = call(&f, &doc, GET).await;
        assert!(refused.report.is_none());
        assert_eq!(refused.session.state, SessionState::Ended);
        assert!(
            refused.session.ended.unwrap().message.contains("reset"),
            "the panel offers a new session"
        );

        let info = f.session.session_reset(Empty {}).await.unwrap();
        assert_eq!(info.state, SessionState::None);
        assert_eq!(result(&call(&f, &doc, GET).await), r#""not found: a""#);

        // Clear empties the records but keeps the instance and its memory.
        call(&f, &doc, SET).await;
        let info = f.session.session_clear(Empty {}).await.unwrap();
        assert_eq!((info.state, info.calls), (SessionState::Live, 2));
        assert_eq!(result(&call(&f, &doc, GET).await), r#""1""#);
    });
}

async fn key(f: &Fixture, doc: &ProjectDoc) -> String {
    f.session
        .composition_key(SessionRequest {
            doc: doc.clone(),
            traced: true,
        })
        .await
        .unwrap()
}

#[test]
fn the_composition_key_changes_with_what_a_run_depends_on() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let before = key(&f, &doc).await;
        // Moving a node and adding a preset change no run.
        doc.nodes[0].x += 40.0;
        doc.presets.push(PresetEntry {
            function: "handle-request".into(),
            name: "get a".into(),
            args: "\"get a\"".into(),
        });
        assert_eq!(key(&f, &doc).await, before);
        // A binding does, and undoing it gives the old key back.
        let saved = doc.bindings.clone();
        doc.bindings.pop();
        let edited = key(&f, &doc).await;
        assert_ne!(edited, before);
        doc.bindings = saved;
        assert_eq!(key(&f, &doc).await, before);
    });
}

#[test]
fn presets_are_saved_in_the_project_and_come_back_on_open() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        doc.presets.push(PresetEntry {
            function: "handle-request".into(),
            name: "set, it's \"1\"".into(),
            args: "\"set a it's 1\"".into(),
        });
        let saved = f
            .session
            .save(SaveRequest {
                doc: doc.clone(),
                save_as: false,
            })
            .await
            .unwrap();
        let text = std::fs::read_to_string(&saved.path).unwrap();
        assert!(text.contains("[presets.handle-request]"), "{text}");
        let opened = f
            .session
            .open_project(OpenProjectRequest {
                path: Some(saved.path.clone()),
            })
            .await
            .unwrap();
        assert_eq!(opened.doc.presets, doc.presets);

        // A preset that is not WAVE is refused before anything is written.
        doc.presets[0].args = "\"open".into();
        let e = f
            .session
            .save(SaveRequest {
                doc,
                save_as: false,
            })
            .await
            .unwrap_err();
        assert!(
            e.message
                .contains("preset `set, it's \"1\"` of `handle-request`: the arguments"),
            "{}",
            e.message
        );
        assert_eq!(std::fs::read_to_string(&saved.path).unwrap(), text);
    });
}

async fn traced_call(f: &Fixture, doc: &ProjectDoc, call: &str) -> SessionCalled {
    f.session
        .session_call(SessionCallRequest {
            doc: doc.clone(),
            call: call.into(),
            limits: RunLimits::default(),
            traced: true,
        })
        .await
        .unwrap()
}

#[test]
fn the_session_trace_holds_every_call_grouped_until_clear_or_reset() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let set = traced_call(&f, &doc, SET).await;
        let get = traced_call(&f, &doc, GET).await;
        let trace = f.session.session_trace(Empty {}).await.unwrap();
        let calls: Vec<(u64, &str)> = trace
            .calls
            .iter()
            .map(|c| (c.run, c.call.as_str()))
            .collect();
        let runs = (set.report.unwrap().run, get.report.as_ref().unwrap().run);
        assert_eq!(calls, [(runs.0, SET), (runs.1, GET)]);
        // Each call keeps the wire calls it made, as its own report had them.
        assert_eq!(trace.calls[1].entries, get.report.unwrap().trace);
        assert!(
            trace.calls[0]
                .entries
                .iter()
                .any(|e| e.function.ends_with("#set")),
            "{:?}",
            trace.calls[0].entries
        );
        assert!(
            trace.calls[1]
                .entries
                .iter()
                .all(|e| !e.function.ends_with("#set")),
            "{:?}",
            trace.calls[1].entries
        );

        // Clear empties it; the next call starts the list again.
        f.session.session_clear(Empty {}).await.unwrap();
        assert!(f
            .session
            .session_trace(Empty {})
            .await
            .unwrap()
            .calls
            .is_empty());
        traced_call(&f, &doc, GET).await;
        assert_eq!(
            f.session.session_trace(Empty {}).await.unwrap().calls.len(),
            1
        );

        // Reset drops the instance and its trace.
        f.session.session_reset(Empty {}).await.unwrap();
        assert!(f
            .session
            .session_trace(Empty {})
            .await
            .unwrap()
            .calls
            .is_empty());
    });
}
