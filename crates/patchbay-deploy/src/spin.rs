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
//! - fixed clocks and seeded random sources are notes: Spin has neither.

use crate::scope::Scopes;
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
    trigger: Triggers,
    component: BTreeMap<String, Component>,
}

#[derive(Serialize)]
struct Application {
    name: String,
    description: String,
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
