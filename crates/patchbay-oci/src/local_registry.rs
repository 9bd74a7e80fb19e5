//! A real OCI registry on this machine, for tests: Debian's
//! `docker-registry` (CNCF distribution 2.8) started on 127.0.0.1 on a free
//! port, with its own config and storage in a temporary folder, stopped
//! (and its folder removed) when the [`LocalRegistry`] is dropped, also
//! when a test panics.
//!
//! Also the helpers the registry tests share: [`block_on`] and
//! [`unused_address`].
//!
//! `scripts/setup.sh` installs the package (`ensure_registry`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running registry; dropping it stops it.
pub struct LocalRegistry {
    child: Child,
    address: String,
    dir: tempfile::TempDir,
}

/// Why a registry did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The binary is not installed.
    #[error("no `docker-registry` binary at {}: install Debian's docker-registry package (scripts/setup.sh: ensure_registry)", .0.display())]
    NotInstalled(PathBuf),
    /// Writing its config or starting it failed.
    #[error("cannot start the registry: {0}")]
    Io(#[from] std::io::Error),
    /// It exited, or did not answer in time.
    #[error("the registry at {address} did not come up: {reason}\n--- its log ---\n{log}")]
    NotServing {
        /// Where it should listen.
        address: String,
        /// What happened.
        reason: String,
        /// Its log.
        log: String,
    },
}

impl LocalRegistry {
    /// The registry binary: `$PATCHBAY_REGISTRY_BIN`, else
    /// `/usr/bin/docker-registry`.
    pub fn binary() -> PathBuf {
        std::env::var_os("PATCHBAY_REGISTRY_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/docker-registry"))
    }

    /// Starts a registry that anyone may push to and pull from.
    pub fn start() -> Result<LocalRegistry, StartError> {
        Self::start_with(None)
    }

    /// Starts a registry that takes only `username` and `password` (HTTP
    /// basic auth, checked against an htpasswd file).
    pub fn start_with_user(username: &str, password: &str) -> Result<LocalRegistry, StartError> {
        Self::start_with(Some((username, password)))
    }

    fn start_with(user: Option<(&str, &str)>) -> Result<LocalRegistry, StartError> {
        let binary = Self::binary();
        if !binary.is_file() {
            return Err(StartError::NotInstalled(binary));
        }
        let dir = tempfile::Builder::new()
            .prefix("patchbay-registry-")
            .tempdir()?;
        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage)?;
        // A free port: bound and released; the registry binds it next.
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let address = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {address}\n",
            yaml_string(&storage)
        );
        if let Some((username, password)) = user {
            let hash = bcrypt::hash(password, 5).map_err(std::io::Error::other)?;
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, format!("{username}:{hash}\n"))?;
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: patchbay-test\n    path: {}\n",
                yaml_string(&htpasswd)
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config)?;
        let log_path = dir.path().join("registry.log");
        let log = std::fs::File::create(&log_path)?;
        let child = Command::new(&binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let mut registry = LocalRegistry {
            child,
            address,
            dir,
        };
        registry.wait_until_serving(&log_path)?;
        Ok(registry)
    }

    fn wait_until_serving(&mut self, log_path: &Path) -> Result<(), StartError> {
        let not_serving = |reason: String| StartError::NotServing {
            address: self.address.clone(),
            reason,
            log: std::fs::read_to_string(log_path).unwrap_or_default(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(not_serving(format!("it exited ({status})")));
            }
            if answers_v2(&self.address) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(not_serving("no answer on /v2/ within 20 s".to_string()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// A reference in this registry: `127.0.0.1:PORT/repository`.
    pub fn reference(&self, repository: &str) -> String {
        format!("{}/{repository}", self.address)
    }

    /// The registry's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `future` to completion on a runtime of its own (the push and pull
/// are async; tests are not).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime starts")
        .block_on(future)
}

/// `127.0.0.1:PORT` where nothing listens (a port bound, then released):
/// the address of an unreachable registry.
pub fn unused_address() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port();
    format!("127.0.0.1:{port}")
}

/// A path as a double-quoted YAML string.
fn yaml_string(path: &Path) -> String {
    let text = path.display().to_string();
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Whether an HTTP server answers `GET /v2/` at `address` (any status:
/// 200 open, 401 with auth).
fn answers_v2(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /v2/ HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 ")
}
