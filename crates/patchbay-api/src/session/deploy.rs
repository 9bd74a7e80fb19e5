//! The export dialog's deployment targets: `spin.toml` and `wadm.yaml`
//! beside the artifact ([`patchbay_deploy`]), and a push to an OCI registry
//! ([`patchbay_oci`]), with the functions `patchbay export --spin --wadm
//! --oci` calls. Each target has its own outcome: one that fails says why,
//! naming the target, and does not stop the others.
//!
//! The order is the CLI's: the manifests are generated before anything is
//! written, the artifact is written, pushed, and only then are the
//! manifests written, so `wadm.yaml` never names an image the push did not
//! store. Credentials given for a push are used for it and dropped: they
//! are never stored in the project, the session or any file.

use crate::dto::{DeployTarget, DeployTargets, OciTarget, TargetOutcome, TargetResult};
use crate::error::chain;
use crate::shell::EventSink;
use crate::AppEvent;
use patchbay_compose::{Composed, Sealed, Workspace};
use patchbay_deploy::{Artifact, Manifest, Target};
use patchbay_oci::{Credentials, Options};
use std::path::Path;

/// The manifests asked for, generated (or refused) before anything is
/// written.
pub(super) struct Planned {
    manifests: Vec<(Target, Result<Manifest, String>)>,
    oci: Option<OciTarget>,
}

fn dto_target(target: Target) -> DeployTarget {
    match target {
        Target::Spin => DeployTarget::Spin,
        Target::Wadm => DeployTarget::Wadm,
    }
}

fn failed(target: DeployTarget, message: String) -> TargetOutcome {
    TargetOutcome {
        target,
        result: TargetResult::Failed { message },
    }
}

/// Generates the manifests `targets` asks for, for the artifact written
/// into `dir` (its image the OCI reference, if a push is asked for).
pub(super) fn plan(
    ws: &Workspace,
    composed: &Composed,
    sealed: Option<&Sealed>,
    dir: &Path,
    targets: &DeployTargets,
) -> Planned {
    let oci = targets
        .oci
        .clone()
        .filter(|o| !o.reference.trim().is_empty());
    let image = oci.as_ref().map(|o| o.reference.trim());
    let artifact = Artifact::of_export(ws, composed, sealed, dir, image);
    let manifests = Target::ALL
        .into_iter()
        .filter(|t| match t {
            Target::Spin => targets.spin,
            Target::Wadm => targets.wadm,
        })
        .map(|t| (t, t.manifest(ws, &artifact).map_err(|e| e.to_string())))
        .collect();
    Planned { manifests, oci }
}

/// Why the project cannot go to Spin, if it cannot: asked of the same
/// function that writes `spin.toml`, so the dialog offers only what works.
pub(super) fn spin_refused(ws: &Workspace, composed: &Composed, dir: &Path) -> Option<String> {
    let artifact = Artifact::of_export(ws, composed, None, dir, None);
    Target::Spin
        .manifest(ws, &artifact)
        .err()
        .map(|e| e.to_string())
}

/// The registry options of a push: the credentials given for it (a
/// username with its password), else the docker config's.
fn options(oci: &OciTarget) -> Result<Options, String> {
    let given = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    let given = match (given(&oci.username), given(&oci.password)) {
        (Some(username), Some(password)) => Some(Credentials::Basic { username, password }),
        (None, None) => None,
        (Some(_), None) => return Err("a username was given without a password".to_string()),
        (None, Some(_)) => return Err("a password was given without a username".to_string()),
    };
    Options::for_reference(oci.reference.trim(), given, oci.insecure).map_err(|e| chain(&e))
}

/// Pushes `component` (the artifact just written), pulls it back and
/// verifies it.
async fn push(oci: &OciTarget, component: &[u8]) -> TargetResult {
    let reference = oci.reference.trim();
    let outcome = async {
        let options = options(oci)?;
        let pushed = patchbay_oci::push(component, reference, &options)
            .await
            .map_err(|e| chain(&e))?;
        let pulled = patchbay_oci::pull(reference, &options)
            .await
            .map_err(|e| chain(&e))?;
        patchbay_oci::verify(&pushed, &pulled, component).map_err(|e| chain(&e))?;
        Ok::<_, String>((pushed, pulled.manifest_digest))
    }
    .await;
    match outcome {
        Ok((pushed, pulled_digest)) => TargetResult::Pushed {
            reference: pushed.reference.clone(),
            pinned: pushed.pinned(),
            manifest_digest: pushed.manifest_digest,
            pulled_digest,
            layer_digest: pushed.layer_digest,
            size: pushed.size as u64,
        },
        Err(why) => TargetResult::Failed {
            message: format!("cannot push to {reference}: {why}"),
        },
    }
}

/// After the artifact is written into `dir`: the push, then the manifests.
pub(super) async fn finish(
    planned: Planned,
    dir: &Path,
    component: &[u8],
    events: &dyn EventSink,
) -> Vec<TargetOutcome> {
    let pushed = match &planned.oci {
        Some(oci) => {
            let busy = |busy| AppEvent::Busy {
                task: "pushing".into(),
                busy,
            };
            events.emit(busy(true));
            let result = push(oci, component).await;
            events.emit(busy(false));
            Some(result)
        }
        None => None,
    };
    let push_failed = matches!(pushed, Some(TargetResult::Failed { .. }));
    let mut outcomes = Vec::new();
    for (target, manifest) in planned.manifests {
        let kind = dto_target(target);
        let manifest = match manifest {
            Ok(m) => m,
            Err(why) => {
                outcomes.push(failed(kind, why));
                continue;
            }
        };
        if push_failed && target == Target::Wadm {
            let reference = planned.oci.as_ref().map_or("", |o| o.reference.trim());
            outcomes.push(failed(
                kind,
                format!("{} was not written: it would name the image {reference}, which the push did not store", target.file()),
            ));
            continue;
        }
        outcomes.push(
            match patchbay_deploy::write_manifest(dir, target, &manifest) {
                Ok(path) => TargetOutcome {
                    target: kind,
                    result: TargetResult::Written {
                        file: path.display().to_string(),
                        notes: manifest.notes.iter().map(|n| n.to_string()).collect(),
                    },
                },
                Err(e) => failed(kind, chain(&e)),
            },
        );
    }
    if let Some(result) = pushed {
        outcomes.push(TargetOutcome {
            target: DeployTarget::Oci,
            result,
        });
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(username: Option<&str>, password: Option<&str>) -> OciTarget {
        OciTarget {
            reference: "127.0.0.1:5000/app:1".into(),
            insecure: false,
            username: username.map(str::to_string),
            password: password.map(str::to_string),
        }
    }

    #[test]
    fn credentials_come_in_pairs_and_are_never_shown() {
        let err = options(&target(Some("me"), None)).expect_err("no password");
        assert_eq!(err, "a username was given without a password");
        let err = options(&target(None, Some("pw"))).expect_err("no username");
        assert_eq!(err, "a password was given without a username");
        let given = options(&target(Some("me"), Some("s3cret"))).expect("a pair");
        assert!(matches!(given.credentials, Credentials::Basic { .. }));
        let shown = format!("{:?}", target(Some("me"), Some("s3cret")));
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn a_bad_reference_fails_the_push_naming_it() {
        let oci = OciTarget {
            reference: "Bad Ref".into(),
            ..target(None, None)
        };
        let result = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(push(&oci, b"\0asm"));
        let TargetResult::Failed { message } = result else {
            panic!("pushed {result:?}")
        };
        assert!(
            message.starts_with("cannot push to Bad Ref: `Bad Ref` is not an OCI reference"),
            "{message}"
        );
    }
}
