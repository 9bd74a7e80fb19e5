//! Running: results and denials, and run limits out of range.

use super::*;

#[test]
fn runs_report_results_and_denials() {
    let f = fixture("kv-service");
    block(async {
        let mut doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let report = f
            .session
            .run(RunRequest {
                doc: doc.clone(),
                call: r#"handle-request("set greeting hello")"#.into(),
                limits: RunLimits::default(),
                traced: true,
            })
            .await
            .unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.mode, "traced");
        assert!(report
            .trace
            .iter()
            .any(|t| t.caller == "service" && t.callee == "memory"));

        // Deny the store instead of wiring it.
        doc.wires.clear();
        doc.bindings.push(BindingEntry {
            selector: format!("service.{KV}"),
            binding: Binding::Deny,
        });
        let report = f
            .session
            .run(RunRequest {
                doc,
                call: r#"handle-request("get greeting")"#.into(),
                limits: RunLimits::default(),
                traced: true,
            })
            .await
            .unwrap();
        assert!(!report.ok);
        assert_eq!(report.denials.len(), 1, "{report:?}");
        assert_eq!(report.denials[0].interface, KV);
    });
    assert!(f
        .events
        .0
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, AppEvent::Denied { .. })));
}

#[test]
fn run_limits_out_of_range_are_refused_naming_the_range() {
    let f = fixture("kv-service");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let err = f
            .session
            .run(RunRequest {
                doc,
                call: r#"handle-request("get a")"#.into(),
                limits: RunLimits {
                    max_memory_mib: 17_592_186_044_416,
                    ..RunLimits::default()
                },
                traced: false,
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "bad-request");
        assert_eq!(
            err.message,
            "Memory must be between 1 and 4096 (MiB), got 17592186044416"
        );
    });
}

/// The app's serve action on a WASI 0.3 handler: analysis says the
/// composition serves HTTP, and the server answers on loopback.
#[test]
fn serves_a_wasi_http_0_3_handler() {
    use std::io::{Read, Write};
    let f = fixture("http-hello-p3");
    block(async {
        let doc = f.session.startup(Empty {}).await.unwrap().unwrap().doc;
        let analysis = f
            .session
            .analyze(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        assert!(analysis.composed.expect("composes").serves_http);
        let info = f
            .session
            .serve_start(ServeRequest {
                doc,
                port: None,
                limits: RunLimits::default(),
            })
            .await
            .unwrap();
        assert_eq!(info.node, "hello");
        let addr = info
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let raw = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&addr).unwrap();
            write!(
                stream,
                "GET /p3 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut raw = String::new();
            stream.read_to_string(&mut raw).unwrap();
            raw
        })
        .await
        .unwrap();
        assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
        assert!(
            raw.contains("hello from patchbay over wasi:http 0.3: GET /p3"),
            "{raw}"
        );
        f.session.serve_stop(Empty {}).await.unwrap();
    });
}
