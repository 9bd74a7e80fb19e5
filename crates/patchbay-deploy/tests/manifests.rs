//! The Spin and wadm manifests of sealed (and open) exports: http-hello
//! (an HTTP export), sandbox-demo (granted folder, environment and HTTP
//! allow-list, no HTTP export) and a project serving HTTP with an outbound
//! allow-list, and an HTTP service whose other node is granted a
//! key-value database file and configuration. Each wadm manifest is validated by wadm's own validator
//! (`wadm-types`, built in `wadm-check/`, its own workspace); each Spin
//! manifest by Spin's documented rules (`spin_rules`).

mod spin_rules;

use patchbay_compose::Workspace;
use patchbay_deploy::{spin_manifest, wadm_manifest, Artifact, DeployError, Note};
use patchbay_test_programs::{HTTP_HELLO, SAMPLES_DIR, SANDBOX_DEMO, STD_INTERFACES};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Exports `project` into a new folder as `patchbay export` does (sealed
/// unless `open`) and describes the artifact.
fn export(project: &Path, open: bool) -> (Workspace, Artifact, tempfile::TempDir) {
    let ws = Workspace::open(patchbay_project::load(project).expect("project loads"));
    let (composed, not_sealed) = if open {
        (ws.compose().expect("composes"), vec![])
    } else {
        let sealed = ws.compose_sealed().expect("seals");
        (sealed.composed, sealed.not_sealed)
    };
    let dir = tempfile::tempdir().unwrap();
    let file = format!("{}.wasm", ws.project().name);
    std::fs::write(dir.path().join(&file), &composed.bytes).unwrap();
    let artifact = Artifact {
        file,
        dir: dir.path().to_path_buf(),
        exports: ws
            .project()
            .exports
            .iter()
            .map(|e| e.export_name().to_string())
            .collect(),
        imports: composed.imports.clone(),
        sealed: !open,
        not_sealed,
        image: None,
    };
    (ws, artifact, dir)
}

fn sample(name: &str) -> PathBuf {
    Path::new(SAMPLES_DIR).join(name)
}

/// Builds `wadm-check` once (its own workspace and lockfile, in a folder of
/// this build's target directory) and returns its path.
fn wadm_checker() -> &'static Path {
    static CHECKER: OnceLock<PathBuf> = OnceLock::new();
    CHECKER.get_or_init(|| {
        // target/debug/deps/manifests-HASH → target
        let exe = std::env::current_exe().unwrap();
        let target = exe.ancestors().nth(3).unwrap().join("wadm-check");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("wadm-check/Cargo.toml");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--locked", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .env_remove("CARGO_TARGET_DIR")
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building {} failed", manifest.display());
        target.join("debug/wadm-check")
    })
}

/// Writes `text` as `wadm.yaml` into `dir` and asserts wadm's validator
/// finds nothing wrong with it.
fn assert_wadm_valid(text: &str, dir: &Path) {
    let file = dir.join("wadm.yaml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(wadm_checker()).arg(&file).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("valid"),
        "wadm rejects the manifest:\n{stdout}{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn assert_spin_valid(text: &str, dir: &Path) -> spin_rules::SpinManifest {
    match spin_rules::check(text, dir) {
        Ok(m) => m,
        Err(errors) => panic!(
            "Spin's rules refuse the manifest:\n{}\n{text}",
            errors.join("\n")
        ),
    }
}

fn has_note(notes: &[Note], node: &str, subject: &str, reason: &str) -> bool {
    notes.iter().any(|n| {
        n.node.as_deref() == Some(node) && n.subject.contains(subject) && n.reason.contains(reason)
    })
}

#[test]
fn http_hello_gets_a_spin_http_trigger_and_nothing_unexpressed() {
    let (ws, artifact, dir) = export(&sample("http-hello"), false);
    let spin = spin_manifest(&ws, &artifact).unwrap();
    let m = assert_spin_valid(&spin.text, dir.path());
    assert_eq!(m.trigger.http.len(), 1);
    assert_eq!(m.trigger.http[0].route, "/...");
    let component = &m.component[&m.trigger.http[0].component];
    assert_eq!(component.source, "http-hello.wasm");
    assert!(component.allowed_outbound_hosts.is_empty());
    assert!(component.files.is_empty());
    assert_eq!(spin.notes, vec![], "{}", spin.text);
    assert!(spin
        .text
        .contains("# Every grant of the project is expressed below."));
    assert!(Path::new(HTTP_HELLO).is_file());
}

#[test]
fn http_hello_gets_a_wadm_component_linked_from_the_http_server() {
    let (ws, mut artifact, dir) = export(&sample("http-hello"), false);
    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    let wasm = dir.path().join("http-hello.wasm");
    assert!(
        wadm.text
            .contains(&format!("image: file://{}", wasm.display())),
        "{}",
        wadm.text
    );
    assert!(wadm.text.contains("incoming-handler") && wadm.text.contains("httpserver"));
    assert!(
        !wadm.text.contains("httpclient"),
        "nothing calls out: {}",
        wadm.text
    );
    assert_eq!(wadm.notes, vec![]);

    artifact.image = Some("127.0.0.1:5000/patchbay/http-hello:0.1.0".into());
    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    assert!(wadm
        .text
        .contains("image: 127.0.0.1:5000/patchbay/http-hello:0.1.0"));
    assert!(!wadm.text.contains("file://"));
}

#[test]
fn sandbox_demo_has_no_http_export_so_spin_is_refused_with_the_reason() {
    let (ws, artifact, _dir) = export(&sample("sandbox-demo"), false);
    let err = spin_manifest(&ws, &artifact).unwrap_err();
    assert!(matches!(err, DeployError::NoHttpExport { .. }));
    let text = err.to_string();
    for part in [
        "sandbox-demo",
        "`granted`",
        "`mocked`",
        "`denied`",
        "wasi:http/incoming-handler",
        "trigger",
    ] {
        assert!(text.contains(part), "`{part}` missing from: {text}");
    }
    assert!(Path::new(SANDBOX_DEMO).is_file());
}

#[test]
fn sandbox_demo_wadm_names_each_grant_it_cannot_express() {
    let (ws, artifact, dir) = export(&sample("sandbox-demo"), false);
    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    let notes = &wadm.notes;
    assert!(
        has_note(notes, "granted", "env GREETING", "wasi:config/store"),
        "{notes:#?}"
    );
    assert!(
        has_note(notes, "granted", "-> /data", "cannot mount folders"),
        "{notes:#?}"
    );
    assert!(
        has_note(
            notes,
            "granted",
            "allow 127.0.0.1:8080",
            "no outbound allow-list"
        ),
        "{notes:#?}"
    );
    // Sealed: the denied and mocked nodes carry their bindings inside.
    assert!(
        notes.iter().all(|n| n.node.as_deref() == Some("granted")),
        "{notes:#?}"
    );
    // The granted node still calls out over HTTP: the client provider is linked.
    assert!(wadm.text.contains("httpclient") && wadm.text.contains("outgoing-handler"));
    for note in notes {
        assert!(
            wadm.text.contains(&format!("#   - {note}")),
            "note not in the manifest: {note}"
        );
    }
}

#[test]
fn an_open_export_says_the_engine_answers_denials_and_mocks() {
    let (ws, artifact, dir) = export(&sample("sandbox-demo"), true);
    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    for node in ["denied", "mocked"] {
        assert!(
            has_note(
                &wadm.notes,
                node,
                "wasi:cli/environment",
                "open export does not carry bindings"
            ),
            "{node}: {:#?}",
            wadm.notes
        );
    }
}

/// An HTTP service whose second node calls out: `web` answers requests,
/// `probe` (sandbox-demo) is granted an environment name, a writable
/// folder and an allow-list of two peers (one IPv6).
fn outbound_project(root: &Path) -> PathBuf {
    let project = root.join("project");
    std::fs::create_dir_all(project.join("data")).unwrap();
    let toml = format!(
        r#"version = 1
name = "web-outbound"

[components.http-hello]
path = {hello:?}

[components.sandbox-demo]
path = {probe:?}

[nodes.web]
component = "http-hello"
position = {{ x = 0.0, y = 0.0 }}

[nodes.probe]
component = "sandbox-demo"
position = {{ x = 0.0, y = 200.0 }}

[[exports]]
from = "web.wasi:http/incoming-handler@0.2.12"

[[exports]]
from = "probe.patchbay:sandbox/probe"

[bindings."probe.wasi:http/outgoing-handler@0.2.12"]
mode = "grant"
allow = ["127.0.0.1:8080", "[::1]:9000"]

[bindings."probe.wasi:cli/environment@0.2.12"]
mode = "grant"
env = ["GREETING", "TOKEN"]

[bindings."probe.wasi:filesystem/preopens@0.2.12"]
mode = "grant"
dirs = [{{ host = "data", guest = "/data", writable = true }}]

[bindings."*.wasi:*"]
mode = "grant"
"#,
        hello = HTTP_HELLO,
        probe = SANDBOX_DEMO,
    );
    std::fs::write(project.join("patchbay.toml"), toml).unwrap();
    project
}

#[test]
fn an_outbound_allow_list_becomes_spin_allowed_outbound_hosts() {
    let root = tempfile::tempdir().unwrap();
    let (ws, artifact, dir) = export(&outbound_project(root.path()), false);
    let spin = spin_manifest(&ws, &artifact).unwrap();
    let m = assert_spin_valid(&spin.text, dir.path());
    let component = &m.component["web-outbound"];
    assert_eq!(
        component.allowed_outbound_hosts,
        ["*://127.0.0.1:8080", "*://[::1]:9000"]
    );
    let [spin_rules::FileMount::Mapped {
        source,
        destination,
    }] = &component.files[..]
    else {
        panic!("one mapped folder expected:\n{}", spin.text);
    };
    assert_eq!(destination, "/data");
    assert_eq!(
        std::fs::canonicalize(dir.path().join(source)).unwrap(),
        std::fs::canonicalize(root.path().join("project/data")).unwrap()
    );
    let notes = &spin.notes;
    assert!(
        has_note(
            notes,
            "probe",
            "env GREETING, TOKEN",
            "spin up --env GREETING=… --env TOKEN=…"
        ),
        "{notes:#?}"
    );
    assert!(
        has_note(notes, "probe", "(writable)", "read-only"),
        "{notes:#?}"
    );
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(spin.text.contains("# Not expressed in this manifest:"));

    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    assert!(
        has_note(
            &wadm.notes,
            "probe",
            "allow [::1]:9000",
            "no outbound allow-list"
        ),
        "{:#?}",
        wadm.notes
    );
    assert!(wadm.text.contains("httpserver") && wadm.text.contains("httpclient"));
}

/// An HTTP service beside the std-interfaces sample (`app`), granted a
/// database file with two buckets and configuration values (one key Spin
/// cannot name) and an environment prefix.
fn store_project(root: &Path) -> PathBuf {
    let project = root.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let toml = format!(
        r#"version = 1
name = "web-store"

[components.http-hello]
path = {hello:?}

[components.std-interfaces]
path = {app:?}

[nodes.web]
component = "http-hello"
position = {{ x = 0.0, y = 0.0 }}

[nodes.app]
component = "std-interfaces"
position = {{ x = 0.0, y = 200.0 }}

[[exports]]
from = "web.wasi:http/incoming-handler@0.2.12"

[[exports]]
from = "app.get"

[bindings."app.wasi:keyvalue/*"]
mode = "grant"
store = "data/kv.redb"
buckets = ["default", "cache"]

[bindings."app.wasi:config/*"]
mode = "grant"
config = {{ greeting = "hello", Region-Name = "eu" }}
config-prefix = "STD_DEMO_"

[bindings."*.wasi:*"]
mode = "grant"
"#,
        hello = HTTP_HELLO,
        app = STD_INTERFACES,
    );
    std::fs::write(project.join("patchbay.toml"), toml).unwrap();
    project
}

#[test]
fn a_key_value_grant_becomes_spin_stores_and_config_becomes_variables() {
    let root = tempfile::tempdir().unwrap();
    let (ws, artifact, dir) = export(&store_project(root.path()), false);
    assert!(
        artifact
            .imports
            .iter()
            .any(|i| i.starts_with("wasi:keyvalue/store")),
        "the artifact keeps the granted import: {:?}",
        artifact.imports
    );
    let spin = spin_manifest(&ws, &artifact).unwrap();
    let m = assert_spin_valid(&spin.text, dir.path());
    let component = &m.component["web-store"];
    assert_eq!(component.key_value_stores, ["default", "cache"]);
    assert_eq!(
        m.variables["greeting"].default.as_deref(),
        Some("hello"),
        "{}",
        spin.text
    );
    assert_eq!(component.variables["greeting"], "{{ greeting }}");
    assert_eq!(component.variables.len(), 1, "{}", spin.text);
    let notes = &spin.notes;
    assert!(
        has_note(notes, "app", "store data/kv.redb", "sqlite_key_value.db"),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.node.is_none()
            && n.subject == "key_value_stores cache"
            && n.reason.contains("[key_value_store.cache] type = \"spin\"")),
        "{notes:#?}"
    );
    assert!(
        has_note(notes, "app", "config Region-Name", "lower snake case"),
        "{notes:#?}"
    );
    assert!(
        has_note(notes, "app", "config-prefix STD_DEMO_", "SPIN_VARIABLE_"),
        "{notes:#?}"
    );
}

#[test]
fn a_key_value_grant_becomes_wadm_links_per_bucket_and_config_the_components_config() {
    let root = tempfile::tempdir().unwrap();
    let (ws, artifact, dir) = export(&store_project(root.path()), false);
    let wadm = wadm_manifest(&ws, &artifact).unwrap();
    assert_wadm_valid(&wadm.text, dir.path());
    let doc: serde_yaml::Value = serde_yaml::from_str(&wadm.text).unwrap();
    let components = doc["spec"]["components"].as_sequence().unwrap();
    let app = components
        .iter()
        .find(|c| c["name"] == "web-store")
        .expect("the component");
    let config = &app["properties"]["config"][0];
    assert_eq!(config["properties"]["greeting"], "hello");
    assert_eq!(config["properties"]["Region-Name"], "eu");
    let links: Vec<&serde_yaml::Value> = app["traits"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "link" && t["properties"]["package"] == "keyvalue")
        .collect();
    let named: Vec<(&str, &str)> = links
        .iter()
        .map(|t| {
            let p = &t["properties"];
            (
                p["name"].as_str().unwrap(),
                p["target"]["config"][0]["properties"]["bucket"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(named, [("default", "default"), ("cache", "cache")]);
    assert!(links
        .iter()
        .all(|t| t["properties"]["target"]["name"] == "kv-nats"));
    assert!(
        components
            .iter()
            .any(|c| c["name"] == "kv-nats" && c["type"] == "capability"),
        "{}",
        wadm.text
    );
    let notes = &wadm.notes;
    assert!(
        has_note(notes, "app", "store data/kv.redb", "NATS bucket"),
        "{notes:#?}"
    );
    assert!(
        has_note(notes, "app", "config-prefix STD_DEMO_", "web-store-config"),
        "{notes:#?}"
    );
}
