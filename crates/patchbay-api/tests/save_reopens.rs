//! A document the editor saves opens again (issue 9): `save` refuses a
//! document that breaks the document's rules, names the binding and field,
//! and leaves the file as it was; `analyze` shows the same problems.

mod common;

use common::{block, copy_sample, NoWindow, Recorder, Scripted};
use patchbay_api::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The kv-service sample and the sample components in a temporary folder,
/// with a session that opened it. No dialog is answered.
fn session_on_kv_service(root: &Path) -> Session {
    copy_sample(root, "kv-service");
    Session::new(
        SessionOptions {
            state_dir: root.join("state"),
            samples_dir: Some(root.to_path_buf()),
            startup_project: Some(root.join("kv-service")),
            ..Default::default()
        },
        Arc::new(Scripted::default()),
        Arc::new(Recorder::default()),
        Arc::new(NoWindow),
    )
    .unwrap()
}

#[test]
fn mock_without_fake_and_bad_env_and_guest_are_refused_by_save_and_shown_by_analyze() {
    let tmp = tempfile::tempdir().unwrap();
    let session = session_on_kv_service(tmp.path());
    block(async {
        let opened = session.startup(Empty {}).await.unwrap().unwrap();
        let manifest = PathBuf::from(&opened.path);
        let before = std::fs::read(&manifest).unwrap();

        // What the user did: Mock without a fake, and a grant with
        // `A=B` as an environment name and `data` as the guest folder.
        let mut doc = opened.doc.clone();
        doc.bindings.push(BindingEntry {
            selector: "service.wasi:cli/environment@0.2.6".into(),
            binding: Binding::Mock(Mock {
                fake: None,
                functions: vec![],
                values: vec![],
                responses: vec![],
            }),
        });
        doc.bindings.push(BindingEntry {
            selector: "memory.wasi:filesystem/*".into(),
            binding: Binding::Grant(Grant {
                env: vec!["A=B".into()],
                dirs: vec![DirGrant {
                    host: "data".into(),
                    guest: "data".into(),
                    writable: false,
                }],
                allow: vec![],
                clock: None,
                random: None,
                store: None,
                buckets: vec![],
                config: vec![],
                config_prefix: None,
            }),
        });

        let analysis = session
            .analyze(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let invalid: Vec<(&Location, &str)> = analysis
            .problems
            .iter()
            .filter(|p| p.code == "invalid-document")
            .map(|p| (&p.location, p.message.as_str()))
            .collect();
        let at = |selector: &str| Location::Binding {
            selector: selector.into(),
        };
        assert_eq!(
            invalid,
            vec![
                (
                    &at("service.wasi:cli/environment@0.2.6"),
                    "binding `service.wasi:cli/environment@0.2.6`: a mock needs a `fake` or at least one entry under `functions`"
                ),
                (
                    &at("memory.wasi:filesystem/*"),
                    "binding `memory.wasi:filesystem/*`: `env` entry `A=B` is not an environment variable name"
                ),
                (
                    &at("memory.wasi:filesystem/*"),
                    "binding `memory.wasi:filesystem/*`: `dirs` entry for `data`: guest path `data` must be absolute, like `/data`"
                ),
            ]
        );

        let err = session
            .save(SaveRequest {
                doc: doc.clone(),
                save_as: false,
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "bad-request");
        assert!(
            err.message.starts_with(
                "not saved: binding `service.wasi:cli/environment@0.2.6`: a mock needs a `fake`"
            ),
            "{}",
            err.message
        );
        let detail = err.detail.unwrap_or_default();
        assert!(detail.contains("`env` entry `A=B`"), "{detail}");
        assert!(
            detail.contains("guest path `data` must be absolute"),
            "{detail}"
        );
        assert_eq!(
            std::fs::read(&manifest).unwrap(),
            before,
            "a refused save leaves the file as it was"
        );

        // Completed the way the editor offers (a fake that serves the import,
        // an environment name, an absolute guest path), it saves and opens
        // again as the same document.
        for b in &mut doc.bindings {
            match &mut b.binding {
                Binding::Mock(m) if b.selector.starts_with("service.wasi:cli") => {
                    m.functions.push(MockFunction {
                        name: "get-environment".into(),
                        behavior: MockBehavior::Returns { value: "[]".into() },
                    })
                }
                Binding::Grant(g) if b.selector.starts_with("memory.") => {
                    g.env = vec!["A".into()];
                    g.dirs[0].guest = "/data".into();
                }
                _ => {}
            }
        }
        let saved = session
            .save(SaveRequest {
                doc: doc.clone(),
                save_as: false,
            })
            .await
            .unwrap();
        let reopened = patchbay_project::load(&manifest).expect("the saved file opens again");
        assert_eq!(ProjectDoc::from_model(&reopened.project), saved.doc);
        let reopened = session
            .open_project(OpenProjectRequest {
                path: Some(manifest.display().to_string()),
            })
            .await
            .unwrap();
        assert_eq!(reopened.doc, saved.doc);
    });
}

#[test]
fn the_editor_asks_which_fakes_serve_an_import_and_whether_an_entry_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let session = session_on_kv_service(tmp.path());
    block(async {
        let doc = session.startup(Empty {}).await.unwrap().unwrap().doc;
        let fakes = |node: &str, port: &str| ImportFakesRequest {
            doc: doc.clone(),
            node: node.into(),
            port: port.into(),
        };
        let kv = session
            .import_fakes(fakes("service", "patchbay:kv/store"))
            .await
            .unwrap();
        assert_eq!(kv.first(), Some(&FakeName::Kv), "{kv:?}");
        let env = session
            .import_fakes(fakes("service", "wasi:cli/environment@0.2.6"))
            .await
            .unwrap();
        assert!(!env.contains(&FakeName::Kv), "{env:?}");
        let err = session
            .import_fakes(fakes("service", "no:such/import"))
            .await
            .unwrap_err();
        assert!(err.message.contains("no:such/import"), "{}", err.message);

        let check = |entry: GrantEntry| {
            let session = &session;
            async move {
                session
                    .check_grant_entry(CheckGrantEntryRequest { entry })
                    .await
                    .unwrap()
            }
        };
        assert!(
            check(GrantEntry::Env {
                name: "HOME".into()
            })
            .await
            .ok
        );
        let bad = check(GrantEntry::Env { name: "A=B".into() }).await;
        assert_eq!(
            bad.reason.as_deref(),
            Some("`env` entry `A=B` is not an environment variable name")
        );
        let bad = check(GrantEntry::Dir {
            host: "data".into(),
            guest: "data".into(),
        })
        .await;
        assert!(bad
            .reason
            .unwrap()
            .contains("guest path `data` must be absolute"),);
        assert!(
            check(GrantEntry::Dir {
                host: "data".into(),
                guest: "/data".into()
            })
            .await
            .ok
        );
        assert!(
            !check(GrantEntry::Allow {
                address: "example.com".into()
            })
            .await
            .ok
        );
        assert!(
            check(GrantEntry::Response {
                text: "200 hi".into()
            })
            .await
            .ok
        );
        assert!(!check(GrantEntry::Response { text: "99".into() }).await.ok);
    });
}
