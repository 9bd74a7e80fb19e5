//! `wadm.yaml`, a wasmCloud application manifest (OAM
//! `core.oam.dev/v1beta1`, `kind: Application`), in the shape wadm's own
//! types (`wadm-types`) read.
//!
//! The artifact is one `component` (its `image` the OCI reference when the
//! export pushed one, else a `file://` path, which a wasmCloud host loads
//! when started with `--allow-file-load`), scaled to one instance. An
//! artifact exporting `wasi:http/incoming-handler` gets the `httpserver`
//! capability provider linked to it, as wasmCloud's own examples do, on
//! [`HTTP_SERVER_ADDRESS`]; one importing `wasi:http/outgoing-handler` gets
//! the `httpclient` provider linked from it. A granted `wasi:keyvalue`
//! database file becomes links to the NATS key-value provider
//! ([`KEYVALUE_IMAGE`]), one per bucket, named after the bucket (that
//! provider's `open` takes the link name) with the bucket as its NATS
//! bucket; granted `wasi:config` values become the component's named
//! config, which wasmCloud serves through `wasi:config/store`. What wadm
//! cannot say is a note: the redb file's data, an environment prefix,
//! environment names (wasmCloud gives components named config through
//! `wasi:config/store`, not through `wasi:cli/environment`), folders
//! (a wasmCloud host preopens none), allow-lists (the HTTP client provider
//! reaches any host), fixed clocks and seeded random sources.

use crate::scope::{KvGrant, Scopes};
use crate::{header, unversioned, Artifact, DeployError, Manifest, Note};
use patchbay_compose::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;

// The manifest's shape, as wadm reads it (`wadm_types::Manifest`). wadm's
// own types cannot be a dependency here: `wadm-types` pins `regex ~1.10`
// and `oci-client` needs `regex ^1.11`, and a workspace holds one. Tests
// validate the output with `wadm-types` built in its own workspace
// (`wadm-check/`).

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Oam {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    annotations: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Spec {
    components: Vec<Component>,
}

#[derive(Serialize)]
struct Component {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    properties: Properties,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    traits: Vec<Trait>,
}

#[derive(Serialize)]
struct Properties {
    image: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    config: Vec<Config>,
}

#[derive(Serialize)]
struct Trait {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: TraitProperties,
}

#[derive(Serialize)]
#[serde(untagged)]
enum TraitProperties {
    SpreadScaler { instances: usize },
    Link(Link),
}

#[derive(Serialize)]
struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    namespace: &'static str,
    package: &'static str,
    interfaces: Vec<&'static str>,
    target: Target,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Source>,
}

#[derive(Serialize)]
struct Target {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    config: Vec<Config>,
}

#[derive(Serialize)]
struct Source {
    config: Vec<Config>,
}

#[derive(Serialize)]
struct Config {
    name: String,
    properties: BTreeMap<String, String>,
}

/// The file name the manifest is written to.
pub const WADM_FILE: &str = "wadm.yaml";

/// The HTTP server provider's image, as wasmCloud's examples pin it.
pub const HTTP_SERVER_IMAGE: &str = "ghcr.io/wasmcloud/http-server:0.27.0";

/// The HTTP client provider's image.
pub const HTTP_CLIENT_IMAGE: &str = "ghcr.io/wasmcloud/http-client:0.13.1";

/// The key-value provider's image: NATS JetStream buckets, as wasmCloud's
/// examples pin it.
pub const KEYVALUE_IMAGE: &str = "ghcr.io/wasmcloud/keyvalue-nats:0.3.1";

/// The key-value provider's name in the manifest.
const KEYVALUE_PROVIDER: &str = "kv-nats";

/// Where the HTTP server provider listens for the component.
pub const HTTP_SERVER_ADDRESS: &str = "0.0.0.0:8000";

/// Generates `wadm.yaml` for `artifact`, exported from `ws`.
pub fn wadm_manifest(ws: &Workspace, artifact: &Artifact) -> Result<Manifest, DeployError> {
    let project = &ws.project().name;
    if !valid_name(project) {
        return Err(DeployError::BadName {
            target: "wadm",
            name: project.clone(),
            rule: "is not a wadm application name (letters, digits, `-` and `_`)",
        });
    }
    let scopes = Scopes::collect(ws, artifact, "wasmCloud")?;
    let mut notes = scopes.unsealed.clone();
    let exports = |iface: &str| artifact.exports.iter().any(|e| unversioned(e) == iface);
    let imports = |iface: &str| artifact.imports.iter().any(|e| unversioned(e) == iface);
    let component = project.clone();

    let image = match &artifact.image {
        Some(reference) => reference.clone(),
        None => {
            let file = std::path::absolute(artifact.dir.join(&artifact.file))
                .unwrap_or_else(|_| artifact.dir.join(&artifact.file));
            format!("file://{}", file.display())
        }
    };
    let mut component_traits = vec![Trait {
        kind: "spreadscaler",
        properties: TraitProperties::SpreadScaler { instances: 1 },
    }];
    let mut components = Vec::new();
    let mut providers = Vec::new();
    if imports("wasi:http/outgoing-handler") {
        component_traits.push(link("outgoing-handler", "httpclient", None));
        providers.push(provider("httpclient", HTTP_CLIENT_IMAGE, vec![]));
    }
    if !scopes.kv.is_empty() {
        component_traits.extend(keyvalue_links(project, &scopes.kv, &mut notes));
        providers.push(provider(KEYVALUE_PROVIDER, KEYVALUE_IMAGE, vec![]));
    }
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for grant in &scopes.config {
        for (key, value) in &grant.values {
            match values.get(key) {
                Some(other) if other != value => notes.push(Note::new(
                    Some(&grant.node),
                    format!("config {key}"),
                    format!("another node's grant sets it to `{other}`; wasmCloud gives one component one config, so this node reads that value"),
                )),
                Some(_) => {}
                None => {
                    values.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(prefix) = &grant.prefix {
            notes.push(Note::new(
                Some(&grant.node),
                format!("config-prefix {prefix}"),
                format!("wasmCloud serves a component only its named config, never `{prefix}*` host variables; add the keys the guest reads to the config `{project}-config`"),
            ));
        }
    }
    let config = if values.is_empty() {
        Vec::new()
    } else {
        vec![Config {
            name: format!("{project}-config"),
            properties: values,
        }]
    };
    components.push(Component {
        name: component.clone(),
        kind: "component",
        properties: Properties { image, config },
        traits: component_traits,
    });
    if exports("wasi:http/incoming-handler") {
        let address = Config {
            name: format!("{project}-http"),
            properties: BTreeMap::from([("address".to_string(), HTTP_SERVER_ADDRESS.to_string())]),
        };
        let link = link(
            "incoming-handler",
            &component,
            Some(Source {
                config: vec![address],
            }),
        );
        providers.push(provider("httpserver", HTTP_SERVER_IMAGE, vec![link]));
    }
    components.extend(providers);

    for (node, names) in &scopes.env {
        notes.push(Note::new(
            Some(node),
            format!("env {}", names.join(", ")),
            "wasmCloud gives components named config through `wasi:config/store`, and no host environment through `wasi:cli/environment`, so the guest reads none of these",
        ));
    }
    for folder in &scopes.dirs {
        notes.push(Note::new(
            Some(&folder.node),
            format!("dirs {} -> {}", folder.grant.host.display(), folder.grant.guest),
            "a wadm manifest cannot mount folders; a wasmCloud host preopens none, so the guest finds no folder",
        ));
    }
    let mut peers: Vec<(&str, String)> = Vec::new();
    for peer in &scopes.allow {
        let text = peer.peer.to_string();
        if !peers.iter().any(|(n, p)| *n == peer.node && *p == text) {
            peers.push((&peer.node, text));
        }
    }
    for (node, peer) in peers {
        notes.push(Note::new(
            Some(node),
            format!("allow {peer}"),
            "a wadm manifest has no outbound allow-list; the linked HTTP client provider (and the host's sockets) reach any peer",
        ));
    }
    notes.extend(scopes.clock_and_random("wasmCloud"));
    for import in &artifact.imports {
        if !import.starts_with("wasi:") {
            notes.push(Note::new(
                None,
                format!("import {import}"),
                "no capability provider in this manifest serves it; link one that does before deploying",
            ));
        }
    }

    let manifest = Oam {
        api_version: "core.oam.dev/v1beta1",
        kind: "Application",
        metadata: Metadata {
            name: project.clone(),
            annotations: BTreeMap::from([
                (
                    "description",
                    format!(
                        "Patchbay project {project}, exported {}",
                        if artifact.sealed { "sealed" } else { "open" }
                    ),
                ),
                ("version", "v0.1.0".to_string()),
            ]),
        },
        spec: Spec { components },
    };
    let body = serde_yaml::to_string(&manifest).map_err(|e| DeployError::Serialize {
        target: "wadm",
        message: e.to_string(),
    })?;
    let mut extra = vec!["Deploy it with `wash app deploy wadm.yaml`.".to_string()];
    if artifact.image.is_none() {
        extra.push("The image is a local file: start the host with `--allow-file-load`, or export with `--oci REF`.".to_string());
    }
    Ok(Manifest {
        text: format!("{}{body}", header(project, "wadm", &notes, &extra)),
        notes,
    })
}

fn provider(name: &str, image: &str, traits: Vec<Trait>) -> Component {
    Component {
        name: name.to_string(),
        kind: "capability",
        properties: Properties {
            image: image.to_string(),
            config: Vec::new(),
        },
        traits,
    }
}

/// A `wasi:http` link trait to `target`.
fn link(interface: &'static str, target: &str, source: Option<Source>) -> Trait {
    Trait {
        kind: "link",
        properties: TraitProperties::Link(Link {
            name: None,
            namespace: "wasi",
            package: "http",
            interfaces: vec![interface],
            target: Target {
                name: target.to_string(),
                config: Vec::new(),
            },
            source,
        }),
    }
}

/// One `wasi:keyvalue` link per granted bucket to the NATS provider, named
/// after the bucket, and the notes on the redb file each grant names.
fn keyvalue_links(project: &str, grants: &[KvGrant], notes: &mut Vec<Note>) -> Vec<Trait> {
    let mut buckets: Vec<&str> = Vec::new();
    for grant in grants {
        for bucket in &grant.buckets {
            if !buckets.contains(&bucket.as_str()) {
                buckets.push(bucket);
            }
        }
        notes.push(Note::new(
            Some(&grant.node),
            format!("store {}", grant.file),
            format!(
                "wasmCloud does not read Patchbay's redb file: each bucket ({}) is a link to the NATS key-value provider named after it, whose data lives in the NATS bucket of that name (created if missing), so copy any data the guest needs there",
                if grant.buckets.is_empty() { "none".to_string() } else { grant.buckets.join(", ") }
            ),
        ));
    }
    buckets
        .into_iter()
        .map(|bucket| Trait {
            kind: "link",
            properties: TraitProperties::Link(Link {
                name: Some(bucket.to_string()),
                namespace: "wasi",
                package: "keyvalue",
                interfaces: vec!["store", "atomics", "batch"],
                target: Target {
                    name: KEYVALUE_PROVIDER.to_string(),
                    config: vec![Config {
                        name: format!("{project}-kv-{bucket}"),
                        properties: BTreeMap::from([
                            ("bucket".to_string(), bucket.to_string()),
                            ("enable_bucket_auto_create".to_string(), "true".to_string()),
                        ]),
                    }],
                },
                source: None,
            }),
        })
        .collect()
}

/// Whether `name` is a wadm application name: `^[-\w]+$`, as wadm checks.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
}
