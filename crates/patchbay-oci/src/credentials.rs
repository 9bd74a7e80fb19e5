//! Registry credentials: given on the command line, or read from the
//! docker config (`$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`: its `auths` entries, `credHelpers` and
//! `credsStore`, as `docker login` writes them). Never written anywhere,
//! never printed: `Debug` shows only the username.

use crate::OciError;
use docker_credential::{CredentialRetrievalError, DockerCredential};
use oci_client::secrets::RegistryAuth;
use std::fmt;
use std::path::PathBuf;

/// How to authenticate to a registry.
#[derive(Clone, Default)]
pub enum Credentials {
    /// No credentials (public pulls, local registries without auth).
    #[default]
    Anonymous,
    /// HTTP basic credentials (`docker login`'s username and password, or
    /// a token used as the password, as ghcr.io takes).
    Basic {
        /// The username.
        username: String,
        /// The password or token.
        password: String,
    },
    /// A bearer token, sent as is.
    Token(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Anonymous => f.write_str("Anonymous"),
            Credentials::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <hidden> }}")
            }
            Credentials::Token(_) => f.write_str("Token(<hidden>)"),
        }
    }
}

impl Credentials {
    /// The docker config file this process would read: `config.json` in
    /// `$DOCKER_CONFIG`, else in `~/.docker`.
    pub fn docker_config_path() -> Option<PathBuf> {
        std::env::var_os("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".docker")))
            .map(|dir| dir.join("config.json"))
    }

    /// The credentials the docker config holds for `registry` (a host as in
    /// a reference, e.g. `ghcr.io`, `localhost:5000`; `docker.io` matches
    /// docker's `https://index.docker.io/v1/` key). No config file, or no
    /// entry for the registry, is [`Credentials::Anonymous`]; a config that
    /// cannot be read or decoded is an error naming the file.
    pub fn from_docker_config(registry: &str) -> Result<Credentials, OciError> {
        match Self::docker_config_path() {
            Some(path) => Self::from_docker_config_file(registry, path),
            None => Ok(Credentials::Anonymous),
        }
    }

    /// [`Credentials::from_docker_config`] for a given file.
    pub fn from_docker_config_file(registry: &str, path: PathBuf) -> Result<Credentials, OciError> {
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Credentials::Anonymous)
            }
            Err(e) => {
                return Err(OciError::CredentialsFile {
                    registry: registry.to_string(),
                    path,
                    reason: e.to_string(),
                })
            }
        };
        let found =
            docker_credential::get_credential_from_reader(std::io::BufReader::new(file), registry);
        match found {
            Ok(DockerCredential::UsernamePassword(username, password)) => {
                Ok(Credentials::Basic { username, password })
            }
            // An identity token is an OAuth refresh token, which the
            // registry client cannot exchange: say so rather than fail later.
            Ok(DockerCredential::IdentityToken(_)) => Err(OciError::CredentialsFile {
                registry: registry.to_string(),
                path,
                reason: "it holds an identity token (an OAuth login), which Patchbay cannot use; pass --oci-username and --oci-password-stdin instead".to_string(),
            }),
            Err(CredentialRetrievalError::NoCredentialConfigured) => Ok(Credentials::Anonymous),
            Err(e) => Err(OciError::CredentialsFile {
                registry: registry.to_string(),
                path,
                reason: match e {
                    // The helper's output may hold a secret: name the helper only.
                    CredentialRetrievalError::HelperFailure { helper, .. } => {
                        format!("credential helper `docker-credential-{helper}` failed")
                    }
                    CredentialRetrievalError::ConfigReadError => {
                        "it is not a docker config (JSON with `auths`)".to_string()
                    }
                    other => other.to_string(),
                },
            }),
        }
    }

    pub(crate) fn to_registry_auth(&self) -> RegistryAuth {
        match self {
            Credentials::Anonymous => RegistryAuth::Anonymous,
            Credentials::Basic { username, password } => {
                RegistryAuth::Basic(username.clone(), password.clone())
            }
            Credentials::Token(token) => RegistryAuth::Bearer(token.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.json");
        std::fs::write(&path, text).expect("write config");
        (dir, path)
    }

    #[test]
    fn reads_auths_base64_user_and_password() {
        // "ci:s3cret:with:colons"
        let (_dir, path) =
            config(r#"{"auths":{"localhost:5000":{"auth":"Y2k6czNjcmV0OndpdGg6Y29sb25z"}}}"#);
        match Credentials::from_docker_config_file("localhost:5000", path).expect("reads") {
            Credentials::Basic { username, password } => {
                assert_eq!(username, "ci");
                assert_eq!(password, "s3cret:with:colons");
            }
            other => panic!("expected basic credentials, got {other:?}"),
        }
    }

    #[test]
    fn an_identity_token_is_refused_with_what_to_do() {
        let (_dir, path) =
            config(r#"{"auths":{"myregistry.azurecr.io":{"identitytoken":"refresh-me"}}}"#);
        let err = Credentials::from_docker_config_file("myregistry.azurecr.io", path)
            .expect_err("identity token");
        let text = err.to_string();
        assert!(text.contains("identity token"), "{text}");
        assert!(text.contains("--oci-password-stdin"), "{text}");
        assert!(!text.contains("refresh-me"), "{text}");
    }

    #[test]
    fn docker_hub_key_matches_docker_io() {
        // "u:p"
        let (_dir, path) = config(r#"{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"}}}"#);
        let found = Credentials::from_docker_config_file("index.docker.io", path).expect("reads");
        assert!(matches!(found, Credentials::Basic { .. }), "{found:?}");
    }

    #[test]
    fn other_registries_and_missing_files_are_anonymous() {
        let (dir, path) = config(r#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#);
        let found = Credentials::from_docker_config_file("localhost:5000", path).expect("reads");
        assert!(matches!(found, Credentials::Anonymous), "{found:?}");
        let missing = dir.path().join("absent.json");
        let found = Credentials::from_docker_config_file("ghcr.io", missing).expect("reads");
        assert!(matches!(found, Credentials::Anonymous), "{found:?}");
    }

    #[test]
    fn a_broken_config_names_the_file_and_hides_the_secret() {
        let (_dir, path) = config("{ not json");
        let err = Credentials::from_docker_config_file("ghcr.io", path.clone())
            .expect_err("broken config");
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("ghcr.io"), "{text}");
        let basic = Credentials::Basic {
            username: "me".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{basic:?}").contains("hunter2"));
    }
}
