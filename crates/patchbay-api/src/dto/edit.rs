//! Editing checks: the ports a drag can end on, whether a wire, a mock value
//! or a grant entry is acceptable, and which built-in fakes can serve an
//! import.

use super::*;
use patchbay_project as model;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `candidates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CandidatesRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Where the drag starts.
    pub port: PortAddr,
}

/// Which side a port is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// An import (left side).
    Import,
    /// An export (right side).
    Export,
}

/// The ports a drag can end on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Candidates {
    /// The side of the port the drag started from.
    pub direction: Direction,
    /// Compatible ports on other nodes.
    pub ports: Vec<PortAddr>,
}

impl Candidates {
    /// The ports of `ws` a wire from `port` can reach (`patchbay
    /// candidates` prints the same).
    pub fn find(
        ws: &patchbay_compose::Workspace,
        port: &model::PortRef,
    ) -> Result<Self, crate::ApiError> {
        let part = ws.node_part(&port.node).ok_or_else(|| {
            crate::ApiError::bad_request(format!(
                "node `{}` has no loaded component",
                model::shown(&port.node)
            ))
        })?;
        let direction = if part.import(&port.port).is_some() {
            Direction::Import
        } else {
            Direction::Export
        };
        let found = ws
            .candidates(port)
            .map_err(|e| crate::ApiError::bad_request(e.to_string()))?;
        Ok(Self {
            direction,
            ports: found
                .into_iter()
                .map(|c| PortAddr {
                    node: c.node,
                    port: c.name,
                })
                .collect(),
        })
    }
}

/// `checkWire`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckWireRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Export side.
    pub from: PortAddr,
    /// Import side.
    pub to: PortAddr,
}

/// Whether something is acceptable, and if not, exactly why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Verdict {
    /// Acceptable.
    pub ok: bool,
    /// Why not.
    pub reason: Option<String>,
}

impl Verdict {
    pub(crate) fn ok() -> Self {
        Self {
            ok: true,
            reason: None,
        }
    }

    pub(crate) fn refused(reason: impl Into<String>) -> Self {
        Self {
            ok: false,
            reason: Some(reason.into()),
        }
    }
}

/// `checkMockValue`: is `value` a valid WAVE result of `function`?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckMockValueRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Node id.
    pub node: String,
    /// Import name.
    pub import: String,
    /// Function name.
    pub function: String,
    /// WAVE text of the result.
    pub value: String,
}

/// A built-in fake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FakeView {
    /// Its name in the project file.
    pub name: FakeName,
    /// Short title.
    pub title: String,
    /// What it does.
    pub description: String,
}

/// `fakeTargets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FakeTargetsRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// The fake.
    pub fake: FakeName,
}

/// `checkFake`: can a built-in fake serve one import of a node, and if
/// not, why (the functions it cannot answer, named).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckFakeRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// The fake.
    pub fake: FakeName,
    /// Node id.
    pub node: String,
    /// Import name.
    pub port: String,
}

/// `importFakes`: which built-in fakes can serve one import of a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportFakesRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Node id.
    pub node: String,
    /// Import name.
    pub port: String,
}

/// One grant entry as someone types it, checked by the rule the document
/// follows ([`model::Project::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GrantEntry {
    /// An environment variable name (`env`).
    Env {
        /// The name.
        name: String,
    },
    /// A shared folder (`dirs`).
    Dir {
        /// Folder on the host.
        host: String,
        /// Path the guest sees.
        guest: String,
    },
    /// An allow-listed `host:port` (`allow`).
    Allow {
        /// The address.
        address: String,
    },
    /// A canned HTTP response `STATUS BODY` of the `http` fake.
    Response {
        /// The response text.
        text: String,
    },
    /// A key-value bucket a grant may open (`buckets`).
    Bucket {
        /// The bucket's name.
        name: String,
    },
    /// The environment prefix read as configuration (`config-prefix`).
    ConfigPrefix {
        /// The prefix.
        prefix: String,
    },
}

impl GrantEntry {
    /// Whether the document accepts the entry, and if not, why.
    pub(crate) fn verdict(&self) -> Verdict {
        let result = match self {
            GrantEntry::Env { name } => model::check_env_name(name),
            GrantEntry::Dir { host, guest } => model::check_dir_grant(host, guest),
            GrantEntry::Allow { address } => model::HostPort::parse(address).map(|_| ()),
            GrantEntry::Response { text } => model::CannedResponse::parse(text).map(|_| ()),
            GrantEntry::Bucket { name } => model::check_bucket_name(name),
            GrantEntry::ConfigPrefix { prefix } => model::check_env_name(prefix).map_err(|_| {
                format!(
                    "`config-prefix` `{}` cannot begin an environment variable name",
                    model::shown(prefix)
                )
            }),
        };
        match result {
            Ok(()) => Verdict::ok(),
            Err(reason) => Verdict::refused(reason),
        }
    }
}

/// `checkGrantEntry`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckGrantEntryRequest {
    /// The entry.
    pub entry: GrantEntry,
}
