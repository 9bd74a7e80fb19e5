//! Pushes an exported component to an OCI registry and pulls it back.
//!
//! The artifact is written in the Wasm OCI layout of CNCF TAG Runtime, as
//! `wkg` and `wash` write it ([`config`]): one `application/wasm` layer
//! and an `application/vnd.wasm.config.v0+json` config naming the
//! component's imports and exports. The registry protocol is
//! [`oci_client`]'s. This is the only Patchbay crate that does network I/O
//! for deployment; the core crates never do.
//!
//! Registries on `localhost` or `127.0.0.1` are spoken to over plain HTTP
//! (as docker does); any other over HTTPS, unless
//! [`Options::insecure`] says plain HTTP. Credentials come from the caller
//! or from the docker config ([`Credentials::from_docker_config`]).
//!
//! ```no_run
//! # async fn demo(component: Vec<u8>) -> Result<(), patchbay_oci::OciError> {
//! use patchbay_oci::{Credentials, Options};
//! let options = Options {
//!     credentials: Credentials::from_docker_config("ghcr.io")?,
//!     insecure: false,
//! };
//! let pushed = patchbay_oci::push_and_verify(&component, "ghcr.io/me/app:1.0", &options).await?;
//! println!("pushed {}", pushed.pinned());
//! # Ok(()) }
//! ```

pub mod config;
mod credentials;
mod error;
#[cfg(feature = "local-registry")]
pub mod local_registry;

pub use config::{sha256_digest, ComponentWorld, WasmConfig};
pub use credentials::Credentials;
pub use error::OciError;

use config::{CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE};
use oci_client::client::{ClientConfig, ClientProtocol, Config, ImageLayer};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::manifest::OciImageManifest;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference, RegistryOperation};
use std::time::Duration;

/// How to reach a registry.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Who to be.
    pub credentials: Credentials,
    /// Speak plain HTTP to any registry, not only to `localhost` and
    /// `127.0.0.1` ones.
    pub insecure: bool,
}

impl Options {
    /// How to reach the registry of `reference`, as `patchbay export
    /// --oci` and the app's export dialog both decide it: the credentials
    /// `given` for this push (flags, or the dialog's fields), else those
    /// the docker config holds for the reference's registry, else none.
    /// A reference that does not parse is refused here, naming it, before
    /// anything is sent.
    pub fn for_reference(
        reference: &str,
        given: Option<Credentials>,
        insecure: bool,
    ) -> Result<Options, OciError> {
        let registry = registry_of(reference)?;
        let credentials = match given {
            Some(credentials) => credentials,
            None => Credentials::from_docker_config(&registry)?,
        };
        Ok(Options {
            credentials,
            insecure,
        })
    }
}

/// What a push stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The reference pushed to, as given.
    pub reference: String,
    /// The registry host.
    pub registry: String,
    /// The repository.
    pub repository: String,
    /// The manifest's digest (`sha256:…`): the artifact's identity.
    pub manifest_digest: String,
    /// The component layer's digest.
    pub layer_digest: String,
    /// The component's size in bytes.
    pub size: usize,
}

impl Pushed {
    /// `registry/repository@sha256:…`, the reference that always means
    /// exactly this artifact.
    pub fn pinned(&self) -> String {
        format!(
            "{}/{}@{}",
            self.registry, self.repository, self.manifest_digest
        )
    }
}

/// What a pull fetched.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The component.
    pub bytes: Vec<u8>,
    /// The digest of the manifest as received.
    pub manifest_digest: String,
    /// The digest of the layer as received.
    pub layer_digest: String,
    /// The artifact's config.
    pub config: WasmConfig,
}

/// A reference, its registry and how to talk to it.
struct Target {
    text: String,
    reference: Reference,
    registry: String,
    client: Client,
    auth: RegistryAuth,
}

impl Target {
    fn new(reference: &str, options: &Options) -> Result<Target, OciError> {
        let parsed: Reference = reference.parse().map_err(|e| OciError::BadReference {
            reference: reference.to_string(),
            reason: format!("{e}"),
        })?;
        let registry = parsed.resolve_registry().to_string();
        let protocol = if options.insecure {
            ClientProtocol::Http
        } else if is_local(&registry) {
            ClientProtocol::HttpsExcept(vec![registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let client = Client::new(ClientConfig {
            protocol,
            connect_timeout: Some(Duration::from_secs(15)),
            read_timeout: Some(Duration::from_secs(120)),
            ..ClientConfig::default()
        });
        Ok(Target {
            text: reference.to_string(),
            reference: parsed,
            registry,
            client,
            auth: options.credentials.to_registry_auth(),
        })
    }

    /// Turns a registry error into one that names the registry and says
    /// what is wrong.
    fn error(&self, operation: &'static str, e: OciDistributionError) -> OciError {
        let unauthorized = |reason: String| OciError::Unauthorized {
            registry: self.registry.clone(),
            repository: self.reference.repository().to_string(),
            reason,
        };
        match e {
            OciDistributionError::RequestError(e) if e.is_connect() || e.is_timeout() => {
                OciError::Unreachable {
                    registry: self.registry.clone(),
                    reason: chain(&e),
                }
            }
            OciDistributionError::AuthenticationFailure(reason) => unauthorized(reason),
            OciDistributionError::UnauthorizedError { .. } => {
                unauthorized("401 Unauthorized".to_string())
            }
            OciDistributionError::ServerError { code, message, .. }
                if code == 401 || code == 403 =>
            {
                unauthorized(format!("{code} {message}").trim().to_string())
            }
            OciDistributionError::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|e| {
                    matches!(e.code, OciErrorCode::Unauthorized | OciErrorCode::Denied)
                }) =>
            {
                unauthorized(
                    envelope
                        .errors
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }
            OciDistributionError::DigestError(
                oci_client::errors::DigestError::VerificationError { expected, actual },
            ) => OciError::DigestMismatch {
                registry: self.registry.clone(),
                reference: self.text.clone(),
                what: "blob",
                pushed: expected,
                pulled: actual,
            },
            other => OciError::Registry {
                registry: self.registry.clone(),
                operation,
                reference: self.text.clone(),
                reason: chain(&other),
            },
        }
    }
}

/// The registry host of `reference` (`ghcr.io`, `127.0.0.1:5000`; a
/// reference with no host is on `docker.io`, as docker resolves it).
pub fn registry_of(reference: &str) -> Result<String, OciError> {
    let parsed: Reference = reference.parse().map_err(|e| OciError::BadReference {
        reference: reference.to_string(),
        reason: format!("{e}"),
    })?;
    Ok(parsed.resolve_registry().to_string())
}

/// Whether a registry host is this machine (plain HTTP is allowed there).
fn is_local(registry: &str) -> bool {
    let host = match registry.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => registry,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// An error and its sources, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Pushes `component` to `reference` as a Wasm OCI artifact.
pub async fn push(
    component: &[u8],
    reference: &str,
    options: &Options,
) -> Result<Pushed, OciError> {
    let target = Target::new(reference, options)?;
    let config = WasmConfig::for_component(component)?;
    let config = Config {
        data: serde_json::to_vec(&config).map_err(|e| target.error("push", e.into()))?,
        media_type: CONFIG_MEDIA_TYPE.to_string(),
        annotations: None,
    };
    let layer = ImageLayer {
        data: component.to_vec(),
        media_type: LAYER_MEDIA_TYPE.to_string(),
        annotations: None,
    };
    let mut manifest = OciImageManifest::build(std::slice::from_ref(&layer), &config, None);
    manifest.media_type = Some(MANIFEST_MEDIA_TYPE.to_string());
    let body = serde_json::to_vec(&manifest).map_err(|e| target.error("push", e.into()))?;
    let manifest_digest = sha256_digest(&body);
    let (client, image) = (&target.client, &target.reference);
    client
        .auth(image, &target.auth, RegistryOperation::Push)
        .await
        .map_err(|e| target.error("push", e))?;
    let layer_digest = manifest.layers[0].digest.clone();
    client
        .push_blob(image, &layer.data, &layer_digest)
        .await
        .map_err(|e| target.error("push", e))?;
    client
        .push_blob(image, &config.data, &manifest.config.digest)
        .await
        .map_err(|e| target.error("push", e))?;
    client
        .push_manifest_raw(
            image,
            body,
            http::HeaderValue::from_static(MANIFEST_MEDIA_TYPE),
        )
        .await
        .map_err(|e| target.error("push", e))?;
    Ok(Pushed {
        reference: target.text.clone(),
        registry: target.registry.clone(),
        repository: image.repository().to_string(),
        manifest_digest,
        layer_digest,
        size: component.len(),
    })
}

/// Pulls the Wasm OCI artifact at `reference`: its component and config,
/// each checked against the digest the manifest gives it.
pub async fn pull(reference: &str, options: &Options) -> Result<Pulled, OciError> {
    let target = Target::new(reference, options)?;
    let (client, image) = (&target.client, &target.reference);
    let (raw, _) = client
        .pull_manifest_raw(image, &target.auth, &[MANIFEST_MEDIA_TYPE])
        .await
        .map_err(|e| target.error("pull", e))?;
    let manifest_digest = sha256_digest(&raw);
    if let Some(pinned) = image.digest() {
        if pinned != manifest_digest {
            return Err(OciError::DigestMismatch {
                registry: target.registry.clone(),
                reference: target.text.clone(),
                what: "manifest",
                pushed: pinned.to_string(),
                pulled: manifest_digest,
            });
        }
    }
    let not_wasm = |reason: String| OciError::NotWasm {
        registry: target.registry.clone(),
        reference: target.text.clone(),
        reason,
    };
    let manifest: OciImageManifest = serde_json::from_slice(&raw)
        .map_err(|e| not_wasm(format!("its manifest is not an OCI image manifest: {e}")))?;
    if manifest.config.media_type != CONFIG_MEDIA_TYPE {
        return Err(not_wasm(format!(
            "its config is {}, not {CONFIG_MEDIA_TYPE}",
            manifest.config.media_type
        )));
    }
    let [layer] = manifest.layers.as_slice() else {
        return Err(not_wasm(format!(
            "it has {} layers, not one",
            manifest.layers.len()
        )));
    };
    if layer.media_type != LAYER_MEDIA_TYPE {
        return Err(not_wasm(format!(
            "its layer is {}, not {LAYER_MEDIA_TYPE}",
            layer.media_type
        )));
    }
    let mut config = Vec::new();
    client
        .pull_blob(image, &manifest.config, &mut config)
        .await
        .map_err(|e| target.error("pull", e))?;
    let config: WasmConfig = serde_json::from_slice(&config)
        .map_err(|e| not_wasm(format!("its config does not read as a Wasm config: {e}")))?;
    let mut bytes = Vec::with_capacity(usize::try_from(layer.size).unwrap_or(0));
    client
        .pull_blob(image, layer, &mut bytes)
        .await
        .map_err(|e| target.error("pull", e))?;
    let layer_digest = sha256_digest(&bytes);
    if layer_digest != layer.digest {
        return Err(OciError::DigestMismatch {
            registry: target.registry.clone(),
            reference: target.text.clone(),
            what: "layer",
            pushed: layer.digest.clone(),
            pulled: layer_digest,
        });
    }
    Ok(Pulled {
        bytes,
        manifest_digest,
        layer_digest,
        config,
    })
}

/// Checks that `pulled` is what `pushed` stored: the same manifest digest,
/// the same layer digest, the same bytes as `component`.
pub fn verify(pushed: &Pushed, pulled: &Pulled, component: &[u8]) -> Result<(), OciError> {
    let mismatch = |what, pushed_digest: &str, pulled_digest: &str| OciError::DigestMismatch {
        registry: pushed.registry.clone(),
        reference: pushed.reference.clone(),
        what,
        pushed: pushed_digest.to_string(),
        pulled: pulled_digest.to_string(),
    };
    if pulled.manifest_digest != pushed.manifest_digest {
        return Err(mismatch(
            "manifest",
            &pushed.manifest_digest,
            &pulled.manifest_digest,
        ));
    }
    if pulled.layer_digest != pushed.layer_digest || pulled.bytes != component {
        return Err(mismatch(
            "layer",
            &pushed.layer_digest,
            &pulled.layer_digest,
        ));
    }
    Ok(())
}

/// Pushes `component`, pulls `reference` back and [`verify`]s it.
pub async fn push_and_verify(
    component: &[u8],
    reference: &str,
    options: &Options,
) -> Result<Pushed, OciError> {
    let pushed = push(component, reference, options).await?;
    let pulled = pull(reference, options).await?;
    verify(&pushed, &pulled, component)?;
    Ok(pushed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_gets_plain_http() {
        for local in [
            "localhost",
            "localhost:5000",
            "127.0.0.1:41234",
            "[::1]:5000",
        ] {
            assert!(is_local(local), "{local}");
        }
        for remote in [
            "ghcr.io",
            "registry.example.com:5000",
            "localhost.example.com",
            "10.0.0.1:5000",
        ] {
            assert!(!is_local(remote), "{remote}");
        }
    }

    #[test]
    fn given_credentials_win_and_a_bad_reference_is_refused_first() {
        let given = Credentials::Basic {
            username: "me".into(),
            password: "pw".into(),
        };
        let options = Options::for_reference("127.0.0.1:5000/app:1", Some(given), true)
            .expect("a good reference");
        assert!(options.insecure);
        assert!(matches!(
            options.credentials,
            Credentials::Basic { ref username, .. } if username == "me"
        ));
        let err = Options::for_reference("Bad Ref", None, false).expect_err("bad reference");
        assert!(matches!(err, OciError::BadReference { .. }), "{err:?}");
    }

    #[test]
    fn a_bad_reference_says_what_is_expected() {
        let err = Target::new("Not A Reference", &Options::default())
            .err()
            .expect("bad reference");
        let text = err.to_string();
        assert!(
            text.contains("`Not A Reference` is not an OCI reference"),
            "{text}"
        );
    }
}
