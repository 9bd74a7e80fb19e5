//! `spin.toml`, Spin's application manifest version 2, for an artifact that
//! exports `wasi:http/incoming-handler`.
//!
//! The mapping, grant by grant:
//! - the artifact is one `[component.NAME]` (`source` = the exported file)
//!   behind one `[[trigger.http]]` on [`SPIN_ROUTE`];
//! - `allow` entries (`wasi:http/outgoing-handler`, `wasi:sockets`) become
//!   `allowed_outbound_hosts` entries `*://host:port`: any scheme, that host,
//!   that port, as Patchbay's allow-list matches peers;
//! - `dirs` become `files = [{ source, destination }]`: Spin preopens `/`
//!   and places each source folder at its destination, read-only, so a
//!   guest that opened `/data/x` under Patchbay opens the same path;
//! - `env` names cannot be written: Spin sets a component's environment
//!   from the manifest's fixed `environment` values or `spin up --env
//!   NAME=VALUE`, never from the host's environment (Spin `variables` are
//!   read through `spin:variables`, which the guest does not import), so
//!   each name is a note telling the operator to pass it to `spin up`;
//! - a granted `wasi:keyvalue` database file becomes `key_value_stores`:
//!   the grant's buckets are the store labels (Spin's `open` takes a
//!   label, as Patchbay's takes a bucket); Spin keeps the data in stores of
//!   its own (`default` in its SQLite file), never in the redb file, and a
//!   label other than `default` needs Spin's runtime configuration, both
//!   said in notes;
//! - granted `wasi:config` values become application `[variables]` with
//!   the value as `default`, and the component's `variables` refer to them
//!   (Spin serves `wasi:config/store` from a component's variables); a key
//!   that is not a Spin variable name, and an environment prefix, are notes;
//! - fixed clocks and seeded random sources are notes: Spin has neither.

use crate::scope::{ConfigGrant, KvGrant, Scopes};
use crate::{header, unversioned, Artifact, DeployError, Manifest, Note};
use patchbay_compose::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The file name the manifest is written to.
pub const SPIN_FILE: &str = "spin.toml";

/// The HTTP route the artifact answers: every path, as under `patchbay serve`.
pub const SPIN_ROUTE: &str = "/...";

/// The interface Spin's HTTP trigger calls.
const INCOMING_HANDLER: &str = "wasi:http/incoming-handler";

#[derive(Serialize)]
struct SpinToml {
    spin_manifest_version: u32,
    application: Application,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, Variable>,
    trigger: Triggers,
    component: BTreeMap<String, Component>,
}

#[derive(Serialize)]
struct Application {
    name: String,
    description: String,
}

#[derive(Serialize)]
struct Variable {
    default: String,
}

#[derive(Serialize)]
struct Triggers {
    http: Vec<HttpTrigger>,
}

#[derive(Serialize)]
struct HttpTrigger {
    route: String,
    component: String,
}

#[derive(Serialize)]
struct Component {
    description: String,
    source: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    files: Vec<Mount>,
    allowed_outbound_hosts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    key_value_stores: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Mount {
    source: String,
    destination: String,
}

/// Generates `spin.toml` for `artifact`, exported from `ws`. Fails when the
/// artifact exports no `wasi:http/incoming-handler@0.2.x` (Spin has no
/// trigger that calls anything else) or when the project name cannot name a
/// Spin component (kebab-case).
pub fn spin_manifest(ws: &Workspace, artifact: &Artifact) -> Result<Manifest, DeployError> {
    let project = &ws.project().name;
    let http = artifact
        .exports
        .iter()
        .any(|e| unversioned(e) == INCOMING_HANDLER && e.contains("@0.2."));
    if !http {
        return Err(DeployError::NoHttpExport {
            project: project.clone(),
            exports: artifact.exports.clone(),
        });
    }
    if patchbay_project::check_id(project).is_err() {
        return Err(DeployError::BadName {
            target: "Spin",
            name: project.clone(),
            rule: "is not kebab-case (lowercase words of letters and digits joined by `-`), as Spin component names must be",
        });
    }
    let scopes = Scopes::collect(ws, artifact, "Spin")?;
    let mut notes = scopes.unsealed.clone();
    let dir = std::path::absolute(&artifact.dir).unwrap_or_else(|_| artifact.dir.clone());

    let mut hosts: Vec<String> = Vec::new();
    for peer in &scopes.allow {
        let entry = format!("*://{}", peer.peer);
        if !hosts.contains(&entry) {
            hosts.push(entry);
        }
    }

    let mut files: Vec<Mount> = Vec::new();
    for folder in &scopes.dirs {
        let grant = &folder.grant;
        let destination = if grant.guest.starts_with('/') {
            grant.guest.clone()
        } else {
            notes.push(Note::new(
                Some(&folder.node),
                format!("dirs {} -> {}", grant.host.display(), grant.guest),
                format!("Spin mounts folders at absolute paths under its one preopen `/`, so the guest finds it at `/{}`, not at the preopen `{}`", grant.guest, grant.guest),
            ));
            format!("/{}", grant.guest)
        };
        if grant.writable {
            notes.push(Note::new(
                Some(&folder.node),
                format!(
                    "dirs {} -> {} (writable)",
                    grant.host.display(),
                    grant.guest
                ),
                "Spin mounts files read-only, so the guest cannot write there",
            ));
        }
        if let Some(other) = files.iter().find(|m| m.destination == destination) {
            notes.push(Note::new(
                Some(&folder.node),
                format!("dirs {} -> {}", grant.host.display(), grant.guest),
                format!("another node's folder `{}` is already mounted at {destination}; one component has one file system", other.source),
            ));
            continue;
        }
        files.push(Mount {
            source: relative_to(&folder.host, &dir),
            destination,
        });
    }

    for (node, names) in &scopes.env {
        notes.push(Note::new(
            Some(node),
            format!("env {}", names.join(", ")),
            format!(
                "Spin gives a component only the manifest's fixed `environment` values and `spin up --env`, never the host's variables; pass them when starting: `spin up {}`",
                names.iter().map(|n| format!("--env {n}=…")).collect::<Vec<_>>().join(" ")
            ),
        ));
    }
    let key_value_stores = stores(&scopes.kv, &mut notes);
    let (variables, component_variables) = variables(&scopes.config, &mut notes);
    notes.extend(scopes.clock_and_random("Spin"));
    notes.extend(scopes.widened("Spin"));
    for import in &artifact.imports {
        if !import.starts_with("wasi:") {
            notes.push(Note::new(
                None,
                format!("import {import}"),
                "Spin provides WASI and its own `spin:`/`fermyon:` interfaces only; it refuses to start a component with this import",
            ));
        }
    }

    let manifest = SpinToml {
        spin_manifest_version: 2,
        application: Application {
            name: project.clone(),
            description: format!(
                "Patchbay project `{project}`, exported {}",
                if artifact.sealed { "sealed" } else { "open" }
            ),
        },
        variables,
        trigger: Triggers {
            http: vec![HttpTrigger {
                route: SPIN_ROUTE.to_string(),
                component: project.clone(),
            }],
        },
        component: BTreeMap::from([(
            project.clone(),
            Component {
                description: format!("The composition of `{project}`"),
                source: artifact.file.clone(),
                files,
                allowed_outbound_hosts: hosts,
                key_value_stores,
                variables: component_variables,
            },
        )]),
    };
    let body = toml::to_string(&manifest).map_err(|e| DeployError::Serialize {
        target: "Spin",
        message: e.to_string(),
    })?;
    let extra = vec!["Run it with `spin up --from spin.toml` in this folder.".to_string()];
    Ok(Manifest {
        text: format!("{}{body}", header(project, "Spin", &notes, &extra)),
        notes,
    })
}

/// Spin's store labels for the granted buckets, and the notes on what
/// Spin does differently.
fn stores(grants: &[KvGrant], notes: &mut Vec<Note>) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for grant in grants {
        for bucket in &grant.buckets {
            if !labels.contains(bucket) {
                labels.push(bucket.clone());
            }
        }
        notes.push(Note::new(
            Some(&grant.node),
            format!("store {}", grant.file),
            format!(
                "Spin does not read Patchbay's redb file: the buckets ({}) are the component's `key_value_stores` labels, and Spin keeps their data in its own stores (`default` in its SQLite file, `.spin/sqlite_key_value.db`), so copy any data the guest needs there",
                if grant.buckets.is_empty() { "none".to_string() } else { grant.buckets.join(", ") }
            ),
        ));
    }
    let undefined: Vec<&str> = labels
        .iter()
        .map(String::as_str)
        .filter(|l| *l != SPIN_DEFAULT_STORE)
        .collect();
    if !undefined.is_empty() {
        notes.push(Note::new(
            None,
            format!("key_value_stores {}", undefined.join(", ")),
            format!(
                "Spin defines only the `default` store and refuses to start with another label until its runtime configuration defines it: run `spin up --runtime-config-file runtime-config.toml` with {}",
                undefined
                    .iter()
                    .map(|l| format!("`[key_value_store.{l}] type = \"spin\" path = \"{l}.db\"`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    labels
}

/// The application's variables and the component's references to them,
/// from the granted configuration values.
fn variables(
    grants: &[ConfigGrant],
    notes: &mut Vec<Note>,
) -> (BTreeMap<String, Variable>, BTreeMap<String, String>) {
    let mut declared: BTreeMap<String, Variable> = BTreeMap::new();
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    for grant in grants {
        for (key, value) in &grant.values {
            if !spin_variable_name(key) {
                notes.push(Note::new(
                    Some(&grant.node),
                    format!("config {key}"),
                    "Spin variable names are lower snake case (a letter, then letters, digits and `_`), so this value is not written and the guest finds no such key under Spin",
                ));
                continue;
            }
            if let Some(other) = declared.get(key) {
                if &other.default != value {
                    notes.push(Note::new(
                        Some(&grant.node),
                        format!("config {key}"),
                        format!(
                            "another node's grant sets it to `{}`; Spin gives one component one set of variables, so this node reads that value",
                            other.default
                        ),
                    ));
                }
                continue;
            }
            declared.insert(
                key.clone(),
                Variable {
                    default: value.clone(),
                },
            );
            used.insert(key.clone(), format!("{{{{ {key} }}}}"));
        }
        if let Some(prefix) = &grant.prefix {
            notes.push(Note::new(
                Some(&grant.node),
                format!("config-prefix {prefix}"),
                format!(
                    "Spin reads no `{prefix}*` host variables: it sets a declared variable `name` from `SPIN_VARIABLE_NAME`, so declare each key the guest reads in `[variables]` and the component's `variables`, and set `SPIN_VARIABLE_…` when starting"
                ),
            ));
        }
    }
    (declared, used)
}

/// The store label Spin always defines.
const SPIN_DEFAULT_STORE: &str = "default";

/// Whether `name` is a Spin variable name: a lowercase letter, then
/// lowercase letters, digits and `_`.
fn spin_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `path` relative to `base` with `/` separators, or absolute when no
/// relative path exists.
fn relative_to(path: &Path, base: &Path) -> String {
    let rel = pathdiff::diff_paths(path, base).unwrap_or_else(|| path.to_path_buf());
    let text = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".to_string()
    } else if rel.is_absolute() {
        format!("/{}", text.trim_start_matches('/'))
    } else {
        text
    }
}
