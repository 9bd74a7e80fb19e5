//! Spin's application manifest version 2, as its reference documents it
//! (the "Spin Application Manifest Reference" for Spin 3): Spin's own
//! `spin-manifest` crate is not published on crates.io, and no package on
//! crates.io, npm or PyPI ships its JSON schema, so the documented rules
//! are written down here. Typed fields with `deny_unknown_fields` refuse
//! any key the reference does not list; [`check`] adds the rules the
//! reference states in prose.

// The types mirror the whole documented format so that parsing enforces
// it; the tests read only some of the fields.
#![allow(dead_code)]

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpinManifest {
    pub spin_manifest_version: u32,
    pub application: Application,
    #[serde(default)]
    pub variables: BTreeMap<String, Variable>,
    pub trigger: Triggers,
    pub component: BTreeMap<String, Component>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub authors: Option<Vec<String>>,
    pub trigger: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub description: Option<String>,
    pub default: Option<String>,
    pub required: Option<bool>,
    pub secret: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    #[serde(default)]
    pub http: Vec<HttpTrigger>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTrigger {
    pub route: String,
    pub component: String,
    pub executor: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub description: Option<String>,
    pub source: String,
    #[serde(default)]
    pub files: Vec<FileMount>,
    #[serde(default)]
    pub exclude_files: Vec<String>,
    #[serde(default)]
    pub allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    pub key_value_stores: Vec<String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    pub build: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum FileMount {
    Pattern(String),
    Mapped { source: String, destination: String },
}

/// Parses `text` as a Spin v2 manifest in `dir` and lists every rule it
/// breaks.
pub fn check(text: &str, dir: &Path) -> Result<SpinManifest, Vec<String>> {
    let manifest: SpinManifest =
        toml::from_str(text).map_err(|e| vec![format!("not a Spin v2 manifest: {e}")])?;
    let mut errors = Vec::new();
    if manifest.spin_manifest_version != 2 {
        errors.push(format!(
            "spin_manifest_version is {}, not 2",
            manifest.spin_manifest_version
        ));
    }
    let name = &manifest.application.name;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(format!(
            "application name `{name}` is not alphanumerics, `-` and `_`"
        ));
    }
    for (id, var) in &manifest.variables {
        if !snake(id) {
            errors.push(format!("variable `{id}` is not lower snake case"));
        }
        if var.default.is_none() && var.required != Some(true) {
            errors.push(format!(
                "variable `{id}` has no default and is not required"
            ));
        }
    }
    if manifest.trigger.http.is_empty() {
        errors.push("no trigger".into());
    }
    for trigger in &manifest.trigger.http {
        if !manifest.component.contains_key(&trigger.component) {
            errors.push(format!(
                "trigger names component `{}`, which is not in [component]",
                trigger.component
            ));
        }
        let route = &trigger.route;
        let wildcard_ok = route
            .find("...")
            .is_none_or(|i| i + 3 == route.len() && route[..i].ends_with('/'));
        if !route.starts_with('/') || !wildcard_ok {
            errors.push(format!(
                "route `{route}` is not `/path`, `/path/:name` or `/path/...`"
            ));
        }
    }
    for (id, component) in &manifest.component {
        if !kebab(id) {
            errors.push(format!("component id `{id}` is not kebab-case"));
        }
        let source = Path::new(&component.source);
        if source.is_absolute() || !dir.join(source).is_file() {
            errors.push(format!(
                "component `{id}`: source `{}` is not a file relative to the manifest",
                component.source
            ));
        }
        for file in &component.files {
            match file {
                FileMount::Pattern(p) => {
                    if Path::new(p).is_absolute() {
                        errors.push(format!("component `{id}`: file pattern `{p}` is absolute"));
                    }
                }
                FileMount::Mapped {
                    source,
                    destination,
                } => {
                    if !dir.join(source).exists() {
                        errors.push(format!("component `{id}`: files source `{source}` does not exist relative to the manifest"));
                    }
                    if !destination.starts_with('/') {
                        errors.push(format!(
                            "component `{id}`: files destination `{destination}` is not absolute"
                        ));
                    }
                }
            }
        }
        for host in &component.allowed_outbound_hosts {
            if let Err(why) = outbound_host(host) {
                errors.push(format!(
                    "component `{id}`: allowed_outbound_hosts entry `{host}`: {why}"
                ));
            }
        }
        for (key, value) in &component.variables {
            if !snake(key) {
                errors.push(format!(
                    "component `{id}`: variable `{key}` is not lower snake case"
                ));
            }
            for name in templates(value) {
                if !manifest.variables.contains_key(name) {
                    errors.push(format!(
                        "component `{id}`: variable `{key}` uses undeclared `{name}`"
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(manifest)
    } else {
        Err(errors)
    }
}

/// `scheme://host[:port]`: the scheme `*` or a URL scheme, the host a
/// name, an address, `[v6]` or `*`/`*.domain`, the port a number, `*` or
/// a range, and required unless the scheme has a default port.
fn outbound_host(entry: &str) -> Result<(), String> {
    let (scheme, rest) = entry.split_once("://").ok_or("no `scheme://`")?;
    let scheme_ok = scheme == "*"
        || (scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
    if !scheme_ok {
        return Err(format!("bad scheme `{scheme}`"));
    }
    if rest.contains('/') {
        return Err("has a path".into());
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (addr, after) = v6.split_once(']').ok_or("unclosed `[`")?;
        addr.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("`{addr}` is not an IPv6 address"))?;
        (addr, after.strip_prefix(':'))
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    match port {
        Some(p) => {
            let ok = p == "*"
                || p.parse::<u16>().is_ok()
                || p.split_once("..")
                    .is_some_and(|(a, b)| a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok());
            if !ok {
                return Err(format!("bad port `{p}`"));
            }
        }
        None => {
            if !["http", "https", "redis", "mysql", "postgres"].contains(&scheme) {
                return Err(format!(
                    "scheme `{scheme}` has no default port, so one is required"
                ));
            }
        }
    }
    Ok(())
}

fn kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn snake(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn templates(value: &str) -> Vec<&str> {
    value
        .split("{{")
        .skip(1)
        .filter_map(|s| s.split_once("}}").map(|(name, _)| name.trim()))
        .collect()
}

#[test]
fn the_rules_refuse_what_the_reference_forbids() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.wasm"), b"\0asm").unwrap();
    let good = "spin_manifest_version = 2\n[application]\nname = \"a\"\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"a\"\n[component.a]\nsource = \"app.wasm\"\nallowed_outbound_hosts = [\"*://127.0.0.1:8080\", \"https://example.com\", \"*://[::1]:80\"]\n";
    assert!(
        check(good, dir.path()).is_ok(),
        "{:?}",
        check(good, dir.path()).err()
    );
    for (bad, why) in [
        (good.replace("= 2", "= 1"), "spin_manifest_version"),
        (
            good.replace("component = \"a\"", "component = \"b\""),
            "not in [component]",
        ),
        (good.replace("/...", "a/..."), "route"),
        (good.replace("app.wasm\"", "missing.wasm\""), "source"),
        (
            good.replace("*://127.0.0.1:8080", "127.0.0.1:8080"),
            "scheme",
        ),
        (
            good.replace("*://127.0.0.1:8080", "tcp://127.0.0.1"),
            "port",
        ),
        (
            good.replace(
                "[component.a]",
                "[component.a]\nfiles = [{ source = \"nowhere\", destination = \"d\" }]",
            ),
            "files",
        ),
        (
            good.replace("[component.a]", "[component.a]\nenv = {}"),
            "unknown field",
        ),
        (good.replace("[component.a]", "[component.A]"), "kebab"),
    ] {
        let errors = check(&bad, dir.path()).err().unwrap_or_default().join("\n");
        assert!(
            errors.contains(why),
            "expected `{why}` for\n{bad}\ngot: {errors}"
        );
    }
}
