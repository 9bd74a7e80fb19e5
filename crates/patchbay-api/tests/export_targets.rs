//! The export dialog's commands on real projects, beyond the artifact:
//! its deployment targets (`spin.toml` and `wadm.yaml` beside it, a push
//! to a real local registry, each with its own outcome), and a project
//! whose mock cannot be baked, shown as the dialog shows it and exported
//! as it said.

mod common;

use common::{block, copy_sample, NoWindow, Recorder, Scripted};
use patchbay_api::*;
use patchbay_oci::local_registry::{unused_address, LocalRegistry};
use std::path::{Path, PathBuf};
use std::sync::Arc;

struct Opened {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    session: Session,
    events: Arc<Recorder>,
}

/// A session on the project in `dir` (inside `tmp`), as the app starts
/// on a project named on its command line.
fn open(tmp: tempfile::TempDir, dir: PathBuf) -> Opened {
    let events = Arc::new(Recorder::default());
    let session = Session::new(
        SessionOptions {
            state_dir: tmp.path().join("state"),
            startup_project: Some(dir.clone()),
            ..Default::default()
        },
        Arc::new(Scripted::default()),
        events.clone(),
        Arc::new(NoWindow),
    )
    .unwrap();
    Opened {
        _tmp: tmp,
        dir,
        session,
        events,
    }
}

fn sample(name: &str) -> Opened {
    let tmp = tempfile::tempdir().unwrap();
    copy_sample(tmp.path(), name);
    let dir = tmp.path().join(name);
    open(tmp, dir)
}

async fn doc(o: &Opened) -> ProjectDoc {
    o.session.startup(Empty {}).await.unwrap().unwrap().doc
}

fn request(doc: ProjectDoc, variant: ExportVariant, targets: DeployTargets) -> ExportRequest {
    ExportRequest {
        doc,
        dir: None,
        choose_dir: false,
        variant,
        targets,
    }
}

fn outcome(exported: &Exported, target: DeployTarget) -> &TargetResult {
    let found: Vec<_> = exported
        .targets
        .iter()
        .filter(|t| t.target == target)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {target:?} outcome: {:?}",
        exported.targets
    );
    &found[0].result
}

fn written(result: &TargetResult) -> (&str, &[String]) {
    match result {
        TargetResult::Written { file, notes } => (file, notes),
        other => panic!("not written: {other:?}"),
    }
}

fn failure(result: &TargetResult) -> &str {
    match result {
        TargetResult::Failed { message } => message,
        other => panic!("did not fail: {other:?}"),
    }
}

#[test]
fn spin_and_wadm_are_written_beside_the_artifact_with_what_they_cannot_express() {
    let o = sample("http-hello");
    block(async {
        let doc = doc(&o).await;
        let preview = o
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        assert_eq!(preview.spin_refused, None, "http-hello exports a handler");
        let targets = DeployTargets {
            spin: true,
            wadm: true,
            oci: None,
        };
        let out = o
            .session
            .export_artifacts(request(doc, ExportVariant::Sealed, targets))
            .await
            .unwrap();
        let out_dir = o.dir.join("out");
        assert_eq!(
            out.targets.iter().map(|t| t.target).collect::<Vec<_>>(),
            [DeployTarget::Spin, DeployTarget::Wadm]
        );
        let (spin, _) = written(outcome(&out, DeployTarget::Spin));
        assert_eq!(Path::new(spin), out_dir.join("spin.toml"));
        let spin_text = std::fs::read_to_string(spin).unwrap();
        assert!(
            spin_text.contains("spin_manifest_version = 2"),
            "{spin_text}"
        );
        assert!(
            spin_text.contains("source = \"http-hello.wasm\""),
            "{spin_text}"
        );
        let (wadm, _) = written(outcome(&out, DeployTarget::Wadm));
        assert_eq!(Path::new(wadm), out_dir.join("wadm.yaml"));
        let wadm_text = std::fs::read_to_string(wadm).unwrap();
        assert!(wadm_text.contains("kind: Application"), "{wadm_text}");
        // With no push, the image is the written file.
        assert!(wadm_text.contains("file://"), "{wadm_text}");
        assert!(Path::new(&out.wasm).is_file());
    });
}

#[test]
fn a_target_that_cannot_deploy_the_project_fails_alone_naming_itself() {
    let o = sample("sandbox-demo");
    block(async {
        let doc = doc(&o).await;
        let preview = o
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        let refused = preview
            .spin_refused
            .expect("sandbox-demo has no HTTP export");
        assert!(
            refused.starts_with("cannot write a Spin manifest for project `sandbox-demo`"),
            "{refused}"
        );
        let targets = DeployTargets {
            spin: true,
            wadm: true,
            oci: None,
        };
        let out = o
            .session
            .export_artifacts(request(doc, ExportVariant::Sealed, targets))
            .await
            .unwrap();
        // Spin fails with the preview's reason; the artifact and wadm.yaml
        // are written all the same.
        assert_eq!(failure(outcome(&out, DeployTarget::Spin)), refused);
        assert!(!o.dir.join("out/spin.toml").exists());
        assert!(Path::new(&out.wasm).is_file());
        let (wadm, notes) = written(outcome(&out, DeployTarget::Wadm));
        // What wadm cannot express is reported, node by node, and written
        // into the file as comments.
        assert!(
            !notes.is_empty(),
            "the granted node's scopes are host business"
        );
        assert!(
            notes.iter().any(|n| n.starts_with("node granted: ")),
            "{notes:?}"
        );
        let text = std::fs::read_to_string(wadm).unwrap();
        for note in notes {
            let first = note.lines().next().unwrap();
            assert!(text.contains(first), "{first} is not in\n{text}");
        }
    });
}

#[test]
fn an_oci_push_is_pulled_back_verified_and_named_by_wadm() {
    let registry = LocalRegistry::start().unwrap_or_else(|e| panic!("{e}"));
    let o = sample("sandbox-demo");
    let reference = registry.reference("patchbay/sandbox-demo:app");
    block(async {
        let doc = doc(&o).await;
        let targets = DeployTargets {
            spin: false,
            wadm: true,
            oci: Some(OciTarget {
                reference: reference.clone(),
                insecure: false,
                username: None,
                password: None,
            }),
        };
        let out = o
            .session
            .export_artifacts(request(doc, ExportVariant::Sealed, targets))
            .await
            .unwrap();
        let bytes = std::fs::read(&out.wasm).unwrap();
        let TargetResult::Pushed {
            reference: pushed_to,
            pinned,
            manifest_digest,
            pulled_digest,
            layer_digest,
            size,
        } = outcome(&out, DeployTarget::Oci)
        else {
            panic!("not pushed: {:?}\n{}", out.targets, registry.log());
        };
        assert_eq!(pushed_to, &reference);
        assert_eq!(pulled_digest, manifest_digest);
        assert_eq!(layer_digest, &patchbay_oci::sha256_digest(&bytes));
        assert_eq!(*size, bytes.len() as u64);
        assert_eq!(
            pinned,
            &format!(
                "{}/patchbay/sandbox-demo@{manifest_digest}",
                registry.address()
            )
        );
        // Pulled independently: the registry holds what was written.
        let pulled = patchbay_oci::pull(pinned, &patchbay_oci::Options::default())
            .await
            .unwrap();
        assert!(pulled.bytes == bytes, "the pulled artifact differs");
        // wadm.yaml names the pushed image, and was written after the push.
        let (wadm, _) = written(outcome(&out, DeployTarget::Wadm));
        let text = std::fs::read_to_string(wadm).unwrap();
        assert!(text.contains(&reference), "{text}");
        assert!(!text.contains("file://"), "{text}");
        // The dialog's busy indicator saw the push start and end.
        let pushes: Vec<bool> = o
            .events
            .0
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                AppEvent::Busy { task, busy } if task == "pushing" => Some(*busy),
                _ => None,
            })
            .collect();
        assert_eq!(pushes, [true, false]);
    });
}

#[test]
fn credentials_are_used_for_the_push_only_and_a_refusal_is_named() {
    let registry =
        LocalRegistry::start_with_user("patchbay", "s3cret-pass").unwrap_or_else(|e| panic!("{e}"));
    let o = sample("sandbox-demo");
    let reference = registry.reference("team/sandbox-demo:1");
    let push = |password: &str| DeployTargets {
        spin: false,
        wadm: true,
        oci: Some(OciTarget {
            reference: reference.clone(),
            insecure: false,
            username: Some("patchbay".into()),
            password: Some(password.into()),
        }),
    };
    block(async {
        let doc = doc(&o).await;
        let out = o
            .session
            .export_artifacts(request(
                doc.clone(),
                ExportVariant::Open,
                push("wrong-pass"),
            ))
            .await
            .unwrap();
        let message = failure(outcome(&out, DeployTarget::Oci));
        assert!(
            message.starts_with(&format!(
                "cannot push to {reference}: registry {} refused access to team/sandbox-demo",
                registry.address()
            )),
            "{message}"
        );
        assert!(!message.contains("wrong-pass"), "{message}");
        // The artifact is written; wadm.yaml is not, and says why.
        assert!(Path::new(&out.wasm).is_file());
        let why = failure(outcome(&out, DeployTarget::Wadm));
        assert_eq!(
            why,
            format!("wadm.yaml was not written: it would name the image {reference}, which the push did not store")
        );
        assert!(!o.dir.join("out/wadm.yaml").exists());

        let out = o
            .session
            .export_artifacts(request(doc, ExportVariant::Open, push("s3cret-pass")))
            .await
            .unwrap();
        assert!(
            matches!(
                outcome(&out, DeployTarget::Oci),
                TargetResult::Pushed { .. }
            ),
            "{:?}\n{}",
            out.targets,
            registry.log()
        );
        written(outcome(&out, DeployTarget::Wadm));
    });
    // Nothing under the project folder (the export, the project, the
    // session's state) holds the password.
    for file in walk(o._tmp.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let hit = bytes.windows(11).any(|w| w == b"s3cret-pass");
        assert!(!hit, "{} holds the password", file.display());
    }
}

#[test]
fn an_unreachable_registry_fails_the_push_naming_the_registry() {
    let o = sample("http-hello");
    let address = unused_address();
    let reference = format!("{address}/nowhere/app:1");
    block(async {
        let doc = doc(&o).await;
        let targets = DeployTargets {
            spin: true,
            wadm: false,
            oci: Some(OciTarget {
                reference: reference.clone(),
                insecure: false,
                username: None,
                password: None,
            }),
        };
        let out = o
            .session
            .export_artifacts(request(doc, ExportVariant::Sealed, targets))
            .await
            .unwrap();
        let message = failure(outcome(&out, DeployTarget::Oci));
        assert!(
            message.starts_with(&format!(
                "cannot push to {reference}: registry {address} is unreachable"
            )),
            "{message}"
        );
        // spin.toml names the file, not the image: it is written.
        written(outcome(&out, DeployTarget::Spin));
    });
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// order-service with its ledger mocked but the `book` constructor left
/// unset: the host answers a new resource handle, which a stub cannot make.
const UNBAKEABLE: &str = r#"version = 1
name = "unbakeable"

[components.order-service]
path = "order-service.wasm"

[nodes.orders]
component = "order-service"

[[exports]]
from = "orders.process-order"

[bindings."orders.patchbay:orders/validate@0.1.0"]
mode = "mock"
functions.check = { returns = "ok" }

[bindings."orders.patchbay:orders/tax@0.1.0"]
mode = "mock"
functions.quote = { returns = 'err("no rule")' }

[bindings."orders.patchbay:orders/format@0.1.0"]
mode = "deny"

[bindings."orders.patchbay:orders/ledger@0.1.0"]
mode = "mock"
functions."book.record-entry" = { returns = "()" }
functions.balance = { sequence = ["10", "20"] }

[bindings."*.wasi:*"]
mode = "leave"
"#;

const LEDGER: &str = "patchbay:orders/ledger@0.1.0";

#[test]
fn a_mock_that_cannot_be_baked_is_listed_with_its_function_and_reason_and_stays_an_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("unbakeable");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        patchbay_test_programs::ORDER_SERVICE,
        dir.join("order-service.wasm"),
    )
    .unwrap();
    std::fs::write(dir.join("patchbay.toml"), UNBAKEABLE).unwrap();
    let o = open(tmp, dir);
    block(async {
        let doc = doc(&o).await;
        let preview = o
            .session
            .export_preview(DocRequest { doc: doc.clone() })
            .await
            .unwrap();
        // Sealing works; the one mock it cannot bake is listed, naming the
        // binding, the function and why.
        assert_eq!(preview.sealed_error, None);
        let sealed = preview.sealed.expect("the project seals");
        assert_eq!(
            sealed.not_sealed,
            [NotSealedItem {
                node: "orders".into(),
                import: LEDGER.into(),
                reason: format!("`{LEDGER}#book.constructor` cannot be baked: the mock sets no value for this constructor, so the host answers a new resource handle, which a mock stub cannot make yet; it stays an import"),
            }]
        );
        // The other mocks and the denial are sealed in.
        let mut stubs: Vec<(StubKind, &str)> = sealed
            .stubs
            .iter()
            .map(|s| (s.kind, s.import.as_str()))
            .collect();
        stubs.sort_by_key(|s| s.1);
        assert_eq!(
            stubs,
            [
                (StubKind::Deny, "patchbay:orders/format@0.1.0"),
                (StubKind::Mock, "patchbay:orders/tax@0.1.0"),
                (StubKind::Mock, "patchbay:orders/validate@0.1.0"),
            ]
        );
        // The sealed surface keeps the ledger, used by `orders`; the open
        // one keeps everything.
        let ledger = sealed
            .surface
            .iter()
            .find(|s| s.name == LEDGER)
            .expect("the ledger stays an import");
        assert_eq!(ledger.nodes, ["orders"]);
        assert!(sealed.surface.len() < preview.open.surface.len());
        assert!(preview.open.not_sealed.is_empty());

        // Exported sealed, the artifact imports exactly what the preview
        // said, the ledger among them.
        let out = o
            .session
            .export_artifacts(request(
                doc,
                ExportVariant::Sealed,
                DeployTargets::default(),
            ))
            .await
            .unwrap();
        let names: Vec<&str> = sealed.surface.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(out.imports, names);
        assert_eq!(out.stubs.len(), 3);
        assert!(out.targets.is_empty());
    });
}
