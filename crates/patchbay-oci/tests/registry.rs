//! Push, pull and verify against a real registry: Debian's
//! `docker-registry` (CNCF distribution 2.8), started on 127.0.0.1 for each
//! test and stopped when the test ends (see `LocalRegistry`).

use patchbay_oci::local_registry::{block_on, unused_address, LocalRegistry};
use patchbay_oci::{Credentials, OciError, Options};

fn registry() -> LocalRegistry {
    LocalRegistry::start().unwrap_or_else(|e| panic!("{e}"))
}

fn component() -> Vec<u8> {
    std::fs::read(patchbay_test_programs::KV_MEMORY).expect("kv-memory sample")
}

#[test]
fn a_component_round_trips_with_the_same_digests_and_bytes() {
    let registry = registry();
    let bytes = component();
    let reference = registry.reference("patchbay/kv-memory:1.0");
    let options = Options::default();
    let pushed = block_on(patchbay_oci::push(&bytes, &reference, &options))
        .unwrap_or_else(|e| panic!("push: {e}\n{}", registry.log()));
    assert_eq!(pushed.layer_digest, patchbay_oci::sha256_digest(&bytes));
    assert_eq!(pushed.registry, registry.address());
    assert_eq!(pushed.repository, "patchbay/kv-memory");
    assert_eq!(pushed.size, bytes.len());

    let pulled = block_on(patchbay_oci::pull(&reference, &options))
        .unwrap_or_else(|e| panic!("pull: {e}\n{}", registry.log()));
    assert_eq!(pulled.manifest_digest, pushed.manifest_digest);
    assert_eq!(pulled.layer_digest, pushed.layer_digest);
    assert!(pulled.bytes == bytes, "the pulled component differs");
    patchbay_oci::verify(&pushed, &pulled, &bytes).expect("verifies");

    // The config is the Wasm OCI one, naming the component's world.
    let config = &pulled.config;
    assert_eq!(
        (config.architecture.as_str(), config.os.as_str()),
        ("wasm", "wasip2")
    );
    assert_eq!(config.layer_digests, vec![pushed.layer_digest.clone()]);
    let world = config.component.as_ref().expect("a component world");
    assert!(
        world
            .exports
            .iter()
            .any(|e| e.starts_with("patchbay:kv/store")),
        "{world:?}"
    );

    // The pinned reference names exactly this artifact.
    let pinned = block_on(patchbay_oci::pull(&pushed.pinned(), &options))
        .unwrap_or_else(|e| panic!("pull {}: {e}", pushed.pinned()));
    assert_eq!(pinned.manifest_digest, pushed.manifest_digest);
}

#[test]
fn verification_fails_when_the_tag_moved_to_another_artifact() {
    let registry = registry();
    let first = component();
    let other = std::fs::read(patchbay_test_programs::KV_SERVICE).expect("kv-service sample");
    let reference = registry.reference("patchbay/moving:latest");
    let options = Options::default();
    let pushed = block_on(patchbay_oci::push(&first, &reference, &options)).expect("push");
    block_on(patchbay_oci::push(&other, &reference, &options)).expect("push over it");
    let pulled = block_on(patchbay_oci::pull(&reference, &options)).expect("pull");
    let err = patchbay_oci::verify(&pushed, &pulled, &first).expect_err("the tag moved");
    assert!(
        matches!(
            err,
            OciError::DigestMismatch {
                what: "manifest",
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(registry.address()), "{text}");
    assert!(text.contains(&pushed.manifest_digest), "{text}");
}

#[test]
fn credentials_are_checked_by_the_registry() {
    let registry = LocalRegistry::start_with_user("patchbay", "right-password")
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = component();
    let reference = registry.reference("private/kv-memory:1");
    let with = |credentials| Options {
        credentials,
        insecure: false,
    };

    for (who, credentials) in [
        ("anonymous", Credentials::Anonymous),
        (
            "a wrong password",
            Credentials::Basic {
                username: "patchbay".into(),
                password: "wrong-password".into(),
            },
        ),
    ] {
        let err =
            block_on(patchbay_oci::push(&bytes, &reference, &with(credentials))).expect_err(who);
        assert!(
            matches!(err, OciError::Unauthorized { .. }),
            "{who}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains(registry.address()), "{who}: {text}");
        assert!(
            text.contains("refused access to private/kv-memory"),
            "{who}: {text}"
        );
        assert!(!text.contains("wrong-password"), "{who}: {text}");
    }

    // The right credentials, read from a docker config as `docker login`
    // writes it ("patchbay:right-password" in base64).
    let docker = tempfile::tempdir().expect("temp dir");
    let config = docker.path().join("config.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"auths":{{"{}":{{"auth":"cGF0Y2hiYXk6cmlnaHQtcGFzc3dvcmQ="}}}}}}"#,
            registry.address()
        ),
    )
    .expect("write docker config");
    let credentials =
        Credentials::from_docker_config_file(registry.address(), config).expect("reads");
    let pushed = block_on(patchbay_oci::push_and_verify(
        &bytes,
        &reference,
        &with(credentials),
    ))
    .unwrap_or_else(|e| panic!("push with the right credentials: {e}\n{}", registry.log()));
    assert_eq!(pushed.layer_digest, patchbay_oci::sha256_digest(&bytes));
}

#[test]
fn an_unreachable_registry_is_named() {
    let address = unused_address();
    let reference = format!("{address}/nowhere/app:1");
    let err = block_on(patchbay_oci::push(
        &component(),
        &reference,
        &Options::default(),
    ))
    .expect_err("nothing listens");
    assert!(matches!(err, OciError::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("registry {address} is unreachable")),
        "{text}"
    );
}

#[test]
fn pulling_a_missing_tag_names_the_registry_and_reference() {
    let registry = registry();
    let reference = registry.reference("patchbay/absent:1");
    let err = block_on(patchbay_oci::pull(&reference, &Options::default())).expect_err("absent");
    let text = err.to_string();
    assert!(text.contains(registry.address()), "{text}");
    assert!(text.contains("pull"), "{text}");
    assert!(text.contains(&reference), "{text}");
}

#[test]
fn a_module_is_refused_before_anything_is_sent() {
    let err = block_on(patchbay_oci::push(
        b"\0asm\x01\0\0\0",
        "127.0.0.1:1/patchbay/module:1",
        &Options::default(),
    ))
    .expect_err("not a component");
    assert!(matches!(err, OciError::NotAComponent(_)), "{err:?}");
}
