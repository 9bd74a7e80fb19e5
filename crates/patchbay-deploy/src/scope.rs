//! What the artifact asks of its engine: for every node, the grants on the
//! imports the artifact still has, and the bindings the artifact does not
//! carry (denials and mocks of an open export, mocks a sealed export could
//! not bake).

use crate::{unversioned, Artifact, DeployError, Note};
use patchbay_compose::{grant_scopes, Workspace};
use patchbay_project::{Binding, ClockSetting, DirGrant, GrantScope, HostPort, RandomSetting};
use std::path::PathBuf;

/// A folder granted to a node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Folder {
    /// The node.
    pub node: String,
    /// The grant as written.
    pub grant: DirGrant,
    /// The host folder, absolute.
    pub host: PathBuf,
}

/// An allow-listed peer of a node, and through which interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Peer {
    /// The node.
    pub node: String,
    /// `host:port`.
    pub peer: HostPort,
    /// Whether it came from `wasi:http/outgoing-handler` (else `wasi:sockets`).
    pub http: bool,
}

/// The scopes of every node's grants on imports the artifact keeps.
#[derive(Debug, Default)]
pub(crate) struct Scopes {
    /// Environment names per node.
    pub env: Vec<(String, Vec<String>)>,
    /// Folders.
    pub dirs: Vec<Folder>,
    /// Allow-listed peers.
    pub allow: Vec<Peer>,
    /// Nodes with a fixed clock, and its time.
    pub fixed_clocks: Vec<(String, u64)>,
    /// Nodes with a seeded random source, and its seed.
    pub seeded_random: Vec<(String, u64)>,
    /// Key-value database files granted, with their buckets.
    pub kv: Vec<KvGrant>,
    /// Configuration granted: values and environment prefixes.
    pub config: Vec<ConfigGrant>,
    /// Bindings the artifact does not carry, each a note for any engine.
    pub unsealed: Vec<Note>,
}

/// A `wasi:keyvalue` grant of a database file to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KvGrant {
    /// The node.
    pub node: String,
    /// The database file, as the project names it.
    pub file: String,
    /// The buckets the node may open.
    pub buckets: Vec<String>,
}

/// A `wasi:config/store` grant to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigGrant {
    /// The node.
    pub node: String,
    /// The values, by key, in the project's order.
    pub values: Vec<(String, String)>,
    /// The environment prefix, if any.
    pub prefix: Option<String>,
}

impl Scopes {
    /// Reads the grants of every node of `ws` on the imports `artifact`
    /// still has.
    pub fn collect(ws: &Workspace, artifact: &Artifact, engine: &str) -> Result<Self, DeployError> {
        let project = ws.project();
        let kept = |import: &str| {
            artifact
                .imports
                .iter()
                .any(|i| unversioned(i) == unversioned(import))
        };
        let mut scopes = Scopes::default();
        for (node, _) in &project.nodes {
            let part = ws
                .node_part(node)
                .ok_or_else(|| DeployError::MissingComponent {
                    node: node.as_str().to_string(),
                })?;
            let mut env: Vec<String> = Vec::new();
            for port in &part.imports {
                let import = port.name.as_str();
                if port.types_only || project.wire_into(node, import).is_some() || !kept(import) {
                    continue;
                }
                let binding = project.binding_for(node, import).map(|(_, b)| b);
                match binding {
                    Some(Binding::Grant(grant)) => {
                        for scope in grant_scopes(import) {
                            match scope {
                                GrantScope::Env => {
                                    for name in &grant.env {
                                        if !env.contains(name) {
                                            env.push(name.clone());
                                        }
                                    }
                                }
                                GrantScope::Dirs => {
                                    for dir in &grant.dirs {
                                        let host = std::path::absolute(ws.doc().resolve(&dir.host))
                                            .unwrap_or_else(|_| ws.doc().resolve(&dir.host));
                                        let folder = Folder {
                                            node: node.as_str().to_string(),
                                            grant: dir.clone(),
                                            host,
                                        };
                                        if !scopes.dirs.contains(&folder) {
                                            scopes.dirs.push(folder);
                                        }
                                    }
                                }
                                GrantScope::Allow => {
                                    let http = unversioned(import) == "wasi:http/outgoing-handler";
                                    for peer in &grant.allow {
                                        let peer = Peer {
                                            node: node.as_str().to_string(),
                                            peer: peer.clone(),
                                            http,
                                        };
                                        if !scopes.allow.contains(&peer) {
                                            scopes.allow.push(peer);
                                        }
                                    }
                                }
                                GrantScope::Clock => {
                                    if let Some(ClockSetting::Fixed { unix_ms }) = grant.clock {
                                        push_once(&mut scopes.fixed_clocks, node, unix_ms);
                                    }
                                }
                                GrantScope::Random => {
                                    if let Some(RandomSetting::Seeded(seed)) = grant.random {
                                        push_once(&mut scopes.seeded_random, node, seed);
                                    }
                                }
                                GrantScope::Store => {
                                    if let Some(file) = &grant.store {
                                        let store = KvGrant {
                                            node: node.as_str().to_string(),
                                            file: file.to_string_lossy().replace('\\', "/"),
                                            buckets: grant.buckets.clone(),
                                        };
                                        if !scopes.kv.contains(&store) {
                                            scopes.kv.push(store);
                                        }
                                    }
                                }
                                GrantScope::Config => {
                                    let config = ConfigGrant {
                                        node: node.as_str().to_string(),
                                        values: grant
                                            .config
                                            .iter()
                                            .map(|(k, v)| (k.clone(), v.clone()))
                                            .collect(),
                                        prefix: grant.config_prefix.clone(),
                                    };
                                    let empty = config.values.is_empty() && config.prefix.is_none();
                                    if !empty && !scopes.config.contains(&config) {
                                        scopes.config.push(config);
                                    }
                                }
                                GrantScope::Buckets | GrantScope::ConfigPrefix => {}
                            }
                        }
                    }
                    Some(b @ (Binding::Deny | Binding::Mock(_))) if !artifact.sealed => {
                        scopes.unsealed.push(Note::new(
                            Some(node),
                            format!("{} of {import}", b.mode()),
                            format!("an open export does not carry bindings, so {engine} answers the import with its own implementation (seal the export to keep it)"),
                        ));
                    }
                    _ => {}
                }
            }
            if !env.is_empty() {
                scopes.env.push((node.as_str().to_string(), env));
            }
        }
        for n in &artifact.not_sealed {
            scopes.unsealed.push(Note::new(
                Some(&n.node),
                format!("mock of {}", n.import),
                format!(
                    "not sealed ({}), so {engine} answers the import with its own implementation",
                    n.reason
                ),
            ));
        }
        Ok(scopes)
    }

    /// Every environment name granted to any node, in first-seen order.
    pub fn env_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (_, list) in &self.env {
            for name in list {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// Notes for nodes whose own scope is narrower than what one component
    /// gets from the engine: the engine scopes the whole artifact, while
    /// Patchbay scoped each node. `kind` names the scope in the note.
    pub fn widened(&self, engine: &str) -> Vec<Note> {
        let mut notes = Vec::new();
        let env_all = self.env_names();
        for (node, names) in &self.env {
            let extra: Vec<&str> = env_all
                .iter()
                .copied()
                .filter(|n| !names.iter().any(|m| m == n))
                .collect();
            if !extra.is_empty() {
                notes.push(Note::new(
                    Some(node),
                    format!("env {}", names.join(", ")),
                    format!(
                        "{engine} scopes the whole component, so this node can also read {}",
                        extra.join(", ")
                    ),
                ));
            }
        }
        for node in nodes(self.allow.iter().map(|p| &p.node).collect()) {
            let extra: Vec<String> = self
                .allow
                .iter()
                .filter(|p| {
                    &p.node != node
                        && !self
                            .allow
                            .iter()
                            .any(|q| &q.node == node && q.peer == p.peer)
                })
                .map(|p| p.peer.to_string())
                .collect();
            if !extra.is_empty() {
                notes.push(Note::new(
                    Some(node),
                    "allow",
                    format!(
                        "{engine} scopes the whole component, so this node can also reach {}",
                        dedup(extra).join(", ")
                    ),
                ));
            }
        }
        for node in nodes(self.dirs.iter().map(|d| &d.node).collect()) {
            let extra: Vec<String> = self
                .dirs
                .iter()
                .filter(|d| {
                    &d.node != node
                        && !self
                            .dirs
                            .iter()
                            .any(|e| &e.node == node && e.grant.guest == d.grant.guest)
                })
                .map(|d| d.grant.guest.clone())
                .collect();
            if !extra.is_empty() {
                notes.push(Note::new(
                    Some(node),
                    "dirs",
                    format!(
                        "{engine} scopes the whole component, so this node can also open {}",
                        dedup(extra).join(", ")
                    ),
                ));
            }
        }
        notes
    }

    /// Notes for the fixed clocks and seeded random sources, which no
    /// engine here can set.
    pub fn clock_and_random(&self, engine: &str) -> Vec<Note> {
        let mut notes = Vec::new();
        for (node, ms) in &self.fixed_clocks {
            notes.push(Note::new(
                Some(node),
                format!("clock fixed at {ms} ms"),
                format!(
                    "{engine} cannot fix a component's clock; the component reads the real clock"
                ),
            ));
        }
        for (node, seed) in &self.seeded_random {
            notes.push(Note::new(
                Some(node),
                format!("random seeded with {seed}"),
                format!("{engine} cannot seed a component's random source; the component gets real randomness"),
            ));
        }
        notes
    }
}

/// The distinct names in `list`, in first-seen order.
fn nodes(list: Vec<&String>) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for n in list {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn push_once(list: &mut Vec<(String, u64)>, node: &str, value: u64) {
    if !list.iter().any(|(n, _)| n == node) {
        list.push((node.to_string(), value));
    }
}

fn dedup(mut list: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    list.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(x.clone());
            true
        }
    });
    list
}
