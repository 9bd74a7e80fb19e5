use super::*;
use crate::place::find;
use std::path::Path;

const FULL: &str = r#"
version = 1
name = "kv-service"

[components.kv-memory]
path = "../wasm/kv-memory.wasm"
build = "bash ../build.sh kv-memory"
watch = ["../components/kv-memory/src"]
hash = "sha256:00"

[components.kv-service]
path = "../wasm/kv-service.wasm"

[nodes.memory]
component = "kv-memory"
position = { x = 0.0, y = 40.0 }

[nodes.service]
component = "kv-service"
position = { x = 320.0, y = 40.0 }

[[wires]]
from = "memory.patchbay:kv/store"
to = "service.patchbay:kv/store"

[[exports]]
from = "service.handle-request"

[[exports]]
from = "memory.patchbay:kv/store"
as = "store"

[bindings."service.wasi:*"]
mode = "leave"

[bindings."*.wasi:cli/environment@0.2.6"]
mode = "grant"
env = ["GREETING"]
dirs = [{ host = "data", guest = "/data" }]
allow = ["127.0.0.1:8080", "[::1]:9000"]
clock = { fixed-unix-ms = 1000 }
random = { seed = 7 }

[bindings."service.wasi:http/outgoing-handler@0.2.4"]
mode = "deny"

[bindings."service.patchbay:kv/log"]
mode = "mock"
fake = "log"
functions.get = { returns = 'some("1")' }
functions.next = { sequence = ["1", "2"] }
functions.pick = { cases = [{ args = '("a")', returns = "1" }], returns = "0" }
functions.boom = { trap = "no" }
values = { greeting = "hi" }
responses = { "http://127.0.0.1:8080/" = "200 hello there", "http://x/" = "404" }

[fake-nodes.log]
position = { x = 320.0, y = 260.0 }
"#;

fn node(id: &str) -> NodeId {
    NodeId::new(id).unwrap()
}

fn parse_ok(text: &str) -> Project {
    parse(text, Path::new("patchbay.toml")).unwrap().0
}

fn parse_err(text: &str) -> String {
    parse(text, Path::new("p/patchbay.toml"))
        .unwrap_err()
        .to_string()
}

#[test]
fn full_file_round_trips() {
    let p = parse_ok(FULL);
    assert_eq!(p.nodes.len(), 2);
    assert_eq!(
        p.wires[0].to,
        PortRef::new(node("service"), "patchbay:kv/store")
    );
    assert_eq!(p.exports[1].export_name(), "store");
    assert_eq!(p.fake_nodes[&Fake::Log], Position { x: 320.0, y: 260.0 });
    let text = to_toml(&p);
    assert_eq!(parse_ok(&text), p, "rendered:\n{text}");
    match &p.bindings[&ImportSelector::parse("*.wasi:cli/environment@0.2.6").unwrap()] {
        Binding::Grant(g) => {
            assert_eq!(g.env, ["GREETING"]);
            assert_eq!(g.allow[1].to_string(), "[::1]:9000");
            assert_eq!(g.clock, Some(ClockSetting::Fixed { unix_ms: 1000 }));
            assert_eq!(g.random, Some(RandomSetting::Seeded(7)));
        }
        other => panic!("{other:?}"),
    }
    match &p.bindings[&ImportSelector::exact(node("service"), "patchbay:kv/log")] {
        Binding::Mock(m) => {
            assert_eq!(m.fake, Some(Fake::Log));
            assert!(
                matches!(m.functions["pick"], MockBehavior::Match { ref otherwise, .. } if otherwise.as_deref() == Some("0"))
            );
            assert_eq!(m.functions["boom"], MockBehavior::Trap("no".into()));
            assert_eq!(m.values["greeting"], "hi");
            assert_eq!(m.responses["http://127.0.0.1:8080/"].status, 200);
            assert_eq!(m.responses["http://127.0.0.1:8080/"].body, "hello there");
            assert_eq!(m.responses["http://x/"].body, "");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn most_specific_binding_wins() {
    let p = parse_ok(FULL);
    let (sel, b) = p
        .binding_for("service", "wasi:cli/environment@0.2.6")
        .unwrap();
    assert_eq!(
        b.mode(),
        "grant",
        "exact import beats the `wasi:*` prefix ({sel})"
    );
    let (_, b) = p.binding_for("service", "wasi:io/streams@0.2.6").unwrap();
    assert_eq!(b.mode(), "leave");
    assert!(p.binding_for("memory", "wasi:io/streams@0.2.6").is_none());
}

#[test]
fn version_zero_is_upgraded() {
    let v0 = r#"
[components.a]
path = "a.wasm"
[nodes.one]
component = "a"
x = 5.0
[[connections]]
export = "one.x"
import = "two.x"
"#;
    let (p, from) = parse(v0, Path::new("/tmp/my_demo/patchbay.toml")).unwrap();
    assert_eq!(from, Some(0));
    assert_eq!(p.name, "my-demo");
    assert_eq!(p.nodes["one"].position.x, 5.0);
    assert_eq!(p.wires[0].from, PortRef::new(node("one"), "x"));
    assert_eq!(p.binding_for("one", "anything").unwrap().1, &Binding::Leave);
}

#[test]
fn newer_version_is_refused() {
    let e = parse_err("version = 7\nname = \"x\"\n");
    assert!(e.contains("version 7 is newer"), "{e}");
}

#[test]
fn syntax_errors_have_line_and_column() {
    let e = parse_err("version = 1\nname = \"x\"\n[nodes.a]\ncomponent = \n");
    assert!(e.starts_with("p/patchbay.toml:4:"), "{e}");
    let e = parse_err("version = 1\nname = \"x\"\nwires = 3\n");
    assert!(e.starts_with("p/patchbay.toml:3:"), "{e}");
    let e = parse_err("version = 1\nname = \"x\"\ncolour = \"red\"\n");
    assert!(e.contains("colour"), "{e}");
    let e = parse_err("version = \"one\"\nname = \"x\"\n");
    assert!(
        e.starts_with("p/patchbay.toml:1:1: `version` must be 2"),
        "{e}"
    );
}

#[test]
fn malformed_entries_are_listed_with_places() {
    let e = parse_err(
        "version = 1\nname = \"x\"\n[[wires]]\nfrom = \"nodot\"\nto = \"b.y\"\n[bindings.\"a.b\"]\nmode = \"mock\"\nfake = \"teapot\"\n",
    );
    assert!(
        e.contains("4:8: wire 1 `from`: `nodot` is not a port reference"),
        "{e}"
    );
    assert!(e.contains("unknown fake `teapot`"), "{e}");
    let e = parse_err("version = 1\nname = \"Bad Name\"\n");
    assert!(e.contains("not kebab-case"), "{e}");
    let e = parse_err(
        "version = 1\nname = \"x\"\n[bindings.\"a.b\"]\nmode = \"grant\"\nallow = [\"nohost\"]\n",
    );
    assert!(e.contains("`nohost` is not `host:port`"), "{e}");
    let e = parse_err("version = 1\nname = \"x\"\n[bindings.\"a.b\"]\nmode = \"mock\"\nfunctions.f = { returns = \"1\", trap = \"t\" }\n");
    assert!(e.contains("mixes"), "{e}");
    let e = parse_err("version = 1\nname = \"x\"\n[bindings.\"a.b\"]\nmode = \"forward\"\n");
    assert!(e.contains("forward"), "{e}");
    let e = parse_err(
        "version = 1\nname = \"x\"\n[fake-nodes.teapot]\nposition = { x = 1.0, y = 2.0 }\n",
    );
    assert!(
        e.contains("3:13: fake-nodes: unknown fake `teapot`; the built-in fakes are kv, log"),
        "{e}"
    );
}

#[test]
fn save_is_atomic_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    let p = parse_ok(FULL);
    save(&p, &path).unwrap();
    assert_eq!(load(dir.path()).unwrap().project, p);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [MANIFEST_NAME]);

    // A failed save leaves the old file as it was.
    let before = std::fs::read(&path).unwrap();
    let blocked = dir.path().join("no-such-dir").join(MANIFEST_NAME);
    assert!(matches!(
        save(&p, &blocked),
        Err(ProjectError::Write { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn missing_file_names_the_path() {
    let e = load(Path::new("/nonexistent/patchbay.toml")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read project file /nonexistent/patchbay.toml"
    );
}

#[test]
fn content_hash_is_sha256() {
    assert_eq!(
        content_hash(b""),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn bad_ids_in_the_file_are_listed_with_places() {
    let e = parse_err(
        "version = 1\nname = \"x\"\n[components.Kv_Memory]\npath = \"kv.wasm\"\n[nodes.Svc]\ncomponent = \"kv\"\n[nodes.svc]\ncomponent = \"Kv_Memory\"\n",
    );
    assert!(
        e.contains("3:13: component id `Kv_Memory` is not kebab-case"),
        "{e}"
    );
    assert!(e.contains("5:8: node id `Svc` is not kebab-case"), "{e}");
    assert!(
        e.contains(
            "8:13: node `svc`: `component` names no component: id `Kv_Memory` is not kebab-case"
        ),
        "{e}"
    );
}

#[test]
fn long_keys_and_values_are_shown_cut() {
    assert_eq!(shown("service.wasi:*"), "service.wasi:*");
    let exactly = "é".repeat(SHOWN_CHARS);
    assert_eq!(shown(&exactly), exactly.as_str());

    // A 2 MB binding key without a dot, and a 2 MB node id: each message
    // echoes them once, cut to SHOWN_CHARS characters and their length.
    // A 2 MB key is no key to print when a test fails.
    let parse_err = |text: &str| match parse(text, Path::new("p/patchbay.toml")) {
        Ok(_) => panic!("the project parsed"),
        Err(e) => e.to_string(),
    };
    let key = "K".repeat(2 << 20);
    let e = parse_err(&format!(
        "version = 1\nname = \"x\"\n[bindings.\"{key}\"]\nmode = \"leave\"\n"
    ));
    assert!(e.len() < 1000, "{} characters", e.len());
    assert!(
        e.contains(&format!(
            "binding key `{}… (2097152 characters)`",
            &key[..SHOWN_CHARS]
        )),
        "{e}"
    );
    let e = parse_err(&format!(
        "version = 1\nname = \"x\"\n[bindings.\"{key}.wasi:*\"]\nmode = \"leave\"\n"
    ));
    assert!(e.len() < 1000, "{} characters", e.len());
    assert!(e.contains("binding key `KKKK"), "{e}");
    assert!(e.contains("… (2097159 characters)`: node id `KKKK"), "{e}");
    assert!(
        e.contains("… (2097152 characters)` is not kebab-case"),
        "{e}"
    );

    // The TOML parser's own messages echo keys and values too.
    let e = parse_err(&format!("version = 1\nname = \"x\"\n{key} = 1\n"));
    assert!(e.len() < 1000, "{} characters", e.len());
    assert!(e.contains("… (2097152 characters)"), "{e}");
    let e = parse_err(&format!(
        "version = 1\nname = \"x\"\n[bindings.\"a.b\"]\nmode = \"grant\"\nallow = [\"{key}\"]\n"
    ));
    assert!(e.len() < 1000, "{} characters", e.len());
}

#[test]
fn a_manifest_that_is_not_utf8_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    std::fs::write(&path, b"version = 1\nname = \"x\xff\"\n").unwrap();
    let e = load(&path).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}:2:10: the file is not UTF-8 text (byte 0xff)",
            path.display()
        )
    );
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The id of a process that has exited (and been reaped).
fn gone_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn load_removes_temporaries_of_gone_processes_and_old_ones_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    save(&parse_ok(FULL), &path).unwrap();
    let temp = |suffix: &str| dir.path().join(format!(".{MANIFEST_NAME}.tmp-{suffix}"));
    let me = std::process::id();
    let gone = gone_pid();
    for (suffix, age) in [
        (format!("{gone}-0-00"), 0),
        (gone.to_string(), 0),
        (format!("{me}-999-01"), 0),
        (format!("{me}-998-02"), 3600),
    ] {
        let file = std::fs::File::create(temp(&suffix)).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
        file.set_modified(when).unwrap();
    }
    // A temporary of another file is not ours to remove.
    std::fs::write(dir.path().join(".other.toml.tmp-1-2-3"), "x").unwrap();

    load(&path).unwrap();
    assert_eq!(
        names_in(dir.path()),
        [
            ".other.toml.tmp-1-2-3".to_string(),
            format!(".{MANIFEST_NAME}.tmp-{me}-999-01"),
            MANIFEST_NAME.to_string(),
        ],
        "the live, fresh temporary stays; the gone and old ones go"
    );

    // A save holds the target's lock, so no temporary of it is in use: all go.
    save(&parse_ok(FULL), &path).unwrap();
    assert_eq!(
        names_in(dir.path()),
        [".other.toml.tmp-1-2-3", MANIFEST_NAME],
        "no temporary and no lock file stay after a save"
    );
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(MANIFEST_NAME);
    save(&parse_ok(FULL), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    save(&parse_ok(FULL), &path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn saving_a_path_without_a_file_name_is_an_error() {
    let e = write_atomic(Path::new("/"), b"x").unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("does not name a file"), "{e}");
}

#[test]
fn sizes_read_as_people_write_them() {
    assert_eq!(size_text(MAX_MANIFEST_BYTES), "16 MiB");
    assert_eq!(size_text(MAX_COMPONENT_BYTES), "512 MiB");
    assert_eq!(size_text(1536), "1.5 KiB");
    assert_eq!(size_text(1), "1 byte");
    assert_eq!(size_text(12), "12 bytes");
    assert_eq!(size_text(3 << 30), "3 GiB");
}

/// The case of issue 9: a mock with nothing to answer with, an `env` name
/// with `=` and a relative guest folder, all in one document.
fn issue_nine_project() -> Project {
    let mut p = parse_ok(FULL);
    p.bindings.insert(
        ImportSelector::exact(node("service"), "wasi:cli/environment@0.2.6"),
        Binding::Mock(Mock::default()),
    );
    p.bindings.insert(
        ImportSelector::parse("memory.wasi:filesystem/*").unwrap(),
        Binding::Grant(Grant {
            env: vec!["A=B".into()],
            dirs: vec![DirGrant {
                host: "data".into(),
                guest: "data".into(),
                writable: false,
            }],
            ..Default::default()
        }),
    );
    p
}

#[test]
fn validate_lists_every_problem_with_its_binding_and_field() {
    let problems = issue_nine_project().validate();
    let found: Vec<(Option<&str>, Option<&str>, &str)> = problems
        .iter()
        .map(|p| match &p.place {
            Place::Binding { selector, field } => (
                Some(selector.as_str()),
                field.as_deref(),
                p.message.as_str(),
            ),
            _ => (None, None, p.message.as_str()),
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                Some("service.wasi:cli/environment@0.2.6"),
                Some("fake"),
                "binding `service.wasi:cli/environment@0.2.6`: a mock needs a `fake` or at least one entry under `functions`"
            ),
            (
                Some("memory.wasi:filesystem/*"),
                Some("env"),
                "binding `memory.wasi:filesystem/*`: `env` entry `A=B` is not an environment variable name"
            ),
            (
                Some("memory.wasi:filesystem/*"),
                Some("dirs"),
                "binding `memory.wasi:filesystem/*`: `dirs` entry for `data`: guest path `data` must be absolute, like `/data`"
            ),
        ]
    );
    assert!(parse_ok(FULL).validate().is_empty());
}

#[test]
fn the_loader_applies_validate_and_places_each_problem() {
    let text = to_toml(&issue_nine_project());
    let e = parse_err(&text);
    assert!(e.contains("3 problems"), "{e}");
    for (needle, message) in [
        (
            "service.wasi:cli/environment@0.2.6",
            "a mock needs a `fake`",
        ),
        ("memory.wasi:filesystem/*", "`env` entry `A=B`"),
        (
            "memory.wasi:filesystem/*",
            "guest path `data` must be absolute",
        ),
    ] {
        let (line, col) = find(&text, needle).unwrap();
        assert!(
            e.contains(&format!("{line}:{col}: binding `{needle}`: ")),
            "{e}"
        );
        assert!(e.contains(message), "{e}");
    }
}

#[test]
fn save_refuses_a_project_that_would_not_open_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("patchbay.toml");
    save(&parse_ok(FULL), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let e = save(&issue_nine_project(), &path).unwrap_err().to_string();
    assert!(e.contains("a mock needs a `fake`"), "{e}");
    assert!(e.contains("`env` entry `A=B`"), "{e}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );

    // Shapes the file cannot hold are refused too, not written to be lost.
    let mut p = parse_ok(FULL);
    let seeded = Binding::Grant(Grant {
        random: Some(RandomSetting::Seeded(u64::MAX)),
        ..Default::default()
    });
    p.bindings
        .insert(ImportSelector::exact(node("a"), "b"), seeded);
    p.bindings.insert(
        ImportSelector::exact(node("a"), "c"),
        Binding::Mock(Mock {
            functions: [("f".to_string(), MockBehavior::Sequence(vec![]))]
                .into_iter()
                .collect(),
            ..Default::default()
        }),
    );
    let e = to_toml_checked(&p, &path).unwrap_err().to_string();
    assert!(e.contains("binding `a.b`: `random`: `seed`"), "{e}");
    assert!(
        e.contains("binding `a.c`: function `f`: a sequence needs at least one value"),
        "{e}"
    );
    assert!(parse_ok(FULL).validate().is_empty());
}
