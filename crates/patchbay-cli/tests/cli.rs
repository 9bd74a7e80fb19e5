//! Runs the real `patchbay` binary on the samples, one test per verb and
//! outcome, and asserts on what a person would read.

use patchbay_test_programs as programs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn patchbay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(args)
        .output()
        .expect("run patchbay")
}

fn repo(path: &str) -> String {
    Path::new(programs::REPO_DIR)
        .join(path)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn success(out: &Output) -> (String, String) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "failed: {stderr}\n{stdout}");
    (stdout, stderr)
}

#[track_caller]
fn failure(out: &Output) -> (String, String) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "succeeded: {stdout}");
    (stdout, stderr)
}

#[test]
fn help_lists_every_verb() {
    let (stdout, _) = success(&patchbay(&["--help"]));
    for verb in ["new", "inspect", "check", "compose", "export", "candidates"] {
        assert!(stdout.contains(verb), "{verb} missing from:\n{stdout}");
    }
}

#[test]
fn inspect_prints_the_world_as_wit() {
    let (stdout, _) = success(&patchbay(&["inspect", programs::KV_SERVICE]));
    assert!(stdout.contains("import patchbay:kv/store;"), "{stdout}");
    assert!(
        stdout.contains("export handle-request: func(req: string) -> string;"),
        "{stdout}"
    );
    assert!(
        stdout.contains("get: func(key: string) -> option<string>;"),
        "{stdout}"
    );
}

#[test]
fn inspect_json_describes_ports() {
    let (stdout, _) = success(&patchbay(&["inspect", "--json", programs::ORDER_SERVICE]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["source"], "binary component");
    let imports = json["imports"].as_array().unwrap();
    let ledger = imports
        .iter()
        .find(|p| p["name"] == "patchbay:orders/ledger@0.1.0")
        .expect("ledger import");
    assert_eq!(ledger["package"], "patchbay:orders");
    assert_eq!(ledger["interface"], "ledger");
    assert_eq!(ledger["version"], "0.1.0");
    let balance = ledger["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "balance")
        .expect("balance method");
    assert_eq!(balance["kind"], "method");
    assert_eq!(balance["resource"], "book");
    assert_eq!(balance["result"], "u64");
    let export = &json["exports"][0];
    assert_eq!(export["name"], "process-order");
    assert_eq!(export["kind"], "function");
    assert_eq!(
        export["functions"][0]["signature"],
        "process-order: func(order: order) -> result<invoice, order-error>"
    );
    assert!(json["hash"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn inspect_converts_a_preview1_module_and_says_so() {
    let file = repo("tests/inspect/preview1-command/input.wat");
    let (stdout, _) = success(&patchbay(&["inspect", &file]));
    assert!(
        stdout.contains("WASI preview1 core module, converted"),
        "{stdout}"
    );
    assert!(stdout.contains("export wasi:cli/run@"), "{stdout}");
}

#[test]
fn inspect_refuses_bad_files_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.wasm");
    let (_, stderr) = failure(&patchbay(&["inspect", missing.to_str().unwrap()]));
    assert!(stderr.contains("nope.wasm: cannot read file"), "{stderr}");
    let (_, stderr) = failure(&patchbay(&["inspect", dir.path().to_str().unwrap()]));
    assert!(
        stderr.contains("is a folder, not a component file"),
        "{stderr}"
    );
    let truncated = repo("tests/bad-inspect/truncated-component/input.wasm");
    let (_, stderr) = failure(&patchbay(&["inspect", &truncated]));
    assert!(stderr.contains("the file looks truncated"), "{stderr}");
}

#[test]
fn check_passes_on_every_sample_project() {
    for sample in ["kv-service", "order-pipeline", "sandbox-demo", "http-hello"] {
        let (stdout, stderr) = success(&patchbay(&["check", &repo(&format!("samples/{sample}"))]));
        assert!(
            stdout.contains("0 errors, 0 warnings"),
            "{sample}: {stdout}{stderr}"
        );
    }
}

#[test]
fn check_names_the_wrong_wire_and_the_differing_type() {
    let project = repo("tests/compose/wrong-wire");
    let (stdout, stderr) = failure(&patchbay(&["check", &project]));
    assert!(stdout.contains("1 error, 0 warnings"), "{stdout}");
    assert!(
        stderr.contains("error[wire-type-mismatch] wire #2 `validator.patchbay:orders/validate@0.1.0 -> orders.patchbay:orders/tax@0.1.0`"),
        "{stderr}"
    );
    let project = repo("tests/compose/field-mismatch");
    let (_, stderr) = failure(&patchbay(&["check", &project]));
    assert!(
        stderr.contains("mismatched type for export `point`: expected record field 1 to be named `z`, found a field named `y`"),
        "{stderr}"
    );
}

#[test]
fn check_json_pins_problems_to_their_place() {
    let project = repo("tests/compose/wired-twice");
    let (stdout, _) = failure(&patchbay(&["check", "--json", &project]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["errors"], 1);
    let problem = &json["problems"][0];
    assert_eq!(problem["code"], "import-wired-twice");
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["location"]["kind"], "wire");
    assert_eq!(problem["location"]["index"], 1);
    assert_eq!(problem["location"]["from"], "backup.patchbay:kv/store");
    assert!(
        problem["position"]["line"].as_u64().unwrap() > 1,
        "{problem}"
    );
}

#[test]
fn compose_writes_wasm_wac_and_wit() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("kv.wasm");
    let wac = dir.path().join("kv.wac");
    let wit = dir.path().join("kv.wit");
    let (_, stderr) = success(&patchbay(&[
        "compose",
        &repo("samples/kv-service"),
        "-o",
        out.to_str().unwrap(),
        "--wac",
        wac.to_str().unwrap(),
        "--wit",
        wit.to_str().unwrap(),
    ]));
    assert!(stderr.contains("kv.wasm ("), "{stderr}");
    // The composed file is itself a valid component with the service's export.
    let (stdout, _) = success(&patchbay(&["inspect", out.to_str().unwrap()]));
    assert!(
        stdout.contains("export handle-request: func(req: string) -> string;"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("import patchbay:kv/store"),
        "the store is wired inside:\n{stdout}"
    );
    let wac = std::fs::read_to_string(&wac).unwrap();
    assert!(
        wac.contains("let service = new project:kv-service {"),
        "{wac}"
    );
    assert!(
        wac.contains("\"patchbay:kv/store\": memory[\"patchbay:kv/store\"],"),
        "{wac}"
    );
    assert!(wac.contains("export service[\"handle-request\"];"), "{wac}");
    assert_eq!(std::fs::read_to_string(&wit).unwrap(), stdout);
}

#[test]
fn compose_refuses_a_broken_project_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let (_, stderr) = failure(&patchbay(&[
        "compose",
        &repo("tests/compose/cycle"),
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(stderr.contains("error[cycle]"), "{stderr}");
    assert!(stderr.contains("cannot compose"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn candidates_lists_compatible_ports() {
    let project = repo("samples/kv-service");
    let (stdout, _) = success(&patchbay(&[
        "candidates",
        &project,
        "service.patchbay:kv/store",
    ]));
    assert_eq!(stdout.trim(), "memory.patchbay:kv/store");
    let (stdout, _) = success(&patchbay(&[
        "candidates",
        &project,
        "memory.patchbay:kv/store",
    ]));
    assert_eq!(stdout.trim(), "service.patchbay:kv/store");
    let project = repo("samples/order-pipeline");
    let (stdout, _) = success(&patchbay(&[
        "candidates",
        &project,
        "orders.patchbay:orders/tax@0.1.0",
    ]));
    assert_eq!(stdout.trim(), "tax.patchbay:orders/tax@0.1.0");
}

#[test]
fn candidates_json_is_what_the_editor_receives() {
    let project = repo("samples/kv-service");
    let (stdout, _) = success(&patchbay(&[
        "candidates",
        "--json",
        &project,
        "service.patchbay:kv/store",
    ]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["direction"], "import");
    assert_eq!(json["ports"][0]["node"], "memory");
    assert_eq!(json["ports"][0]["port"], "patchbay:kv/store");
}

#[test]
fn an_old_project_file_is_upgraded_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("patchbay.toml"),
        format!(
            "name = \"old\"\n[components.kv-memory]\npath = {:?}\n[nodes.memory]\ncomponent = \"kv-memory\"\n[[exports]]\nfrom = \"memory.patchbay:kv/store\"\n",
            programs::KV_MEMORY
        ),
    )
    .unwrap();
    let (stdout, stderr) = success(&patchbay(&["check", dir.path().to_str().unwrap()]));
    assert!(
        stderr.contains("is project file version 0; it was upgraded"),
        "{stderr}"
    );
    assert!(stdout.contains("0 errors"), "{stdout}");
}

#[test]
fn call_prints_the_result_as_wave() {
    let (stdout, stderr) = success(&patchbay(&[
        "call",
        &repo("samples/kv-service"),
        r#"handle-request("set a 1")"#,
    ]));
    assert_eq!(stdout.trim(), r#""ok""#);
    assert!(stderr.contains("composed mode"), "{stderr}");
}

#[test]
fn call_json_reports_mode_denials_and_mocks() {
    let (stdout, _) = failure(&patchbay(&[
        "call",
        "--json",
        &repo("samples/sandbox-demo"),
        r#"denied#read-env("GREETING")"#,
    ]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["mode"], "traced");
    assert_eq!(json["ok"], false);
    assert_eq!(json["failure"]["kind"], "denied");
    assert_eq!(json["denials"][0]["function"], "get-environment");
    assert_eq!(json["denials"][0]["nodes"][0], "denied");

    let (stdout, _) = success(&patchbay(&[
        "call",
        "--json",
        &repo("samples/sandbox-demo"),
        r#"mocked#read-env("GREETING")"#,
    ]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["result"], r#"ok("hello from a mock")"#);
    assert_eq!(json["mockCalls"][0]["function"], "get-environment");
}

#[test]
fn call_stops_a_hostile_guest_and_names_the_limit() {
    let (_, stderr) = failure(&patchbay(&[
        "call",
        &repo("samples/hostile"),
        "spin()",
        "--timeout-ms",
        "300",
    ]));
    assert!(
        stderr.contains("error[timeout]: node `guest` ran past its timeout of 300 ms"),
        "{stderr}"
    );
    let (_, stderr) = failure(&patchbay(&[
        "call",
        &repo("samples/hostile"),
        "allocate(1024)",
        "--max-memory-mib",
        "16",
    ]));
    assert!(
        stderr.contains("error[memory]: node `guest` hit the memory limit of 16 MiB"),
        "{stderr}"
    );
}

#[test]
fn limit_flags_out_of_range_name_their_range() {
    let kv = repo("samples/kv-service");
    let call = r#"handle-request("get a")"#;
    for (flag, value, range) in [
        (
            "--max-memory-mib",
            "17592186044416",
            "must be between 1 and 4096 (MiB)",
        ),
        (
            "--max-stack-kib",
            "99999",
            "must be between 16 and 16384 (KiB)",
        ),
        ("--timeout-ms", "0", "must be between 1 and 3600000 (ms)"),
        (
            "--max-output-kib",
            "99999999999999999999999",
            "must be between 1 and 1048576 (KiB)",
        ),
        ("--fuel", "0", "must be between 1 and"),
    ] {
        let (_, stderr) = failure(&patchbay(&["call", &kv, call, flag, value]));
        assert!(
            stderr.contains(&format!("invalid value '{value}' for '{flag}"))
                && stderr.contains(range),
            "{flag} {value}: {stderr}"
        );
    }
    // A large stack within the range runs (the run's fiber grows with it).
    let (stdout, _) = success(&patchbay(&["call", &kv, call, "--max-stack-kib", "8192"]));
    assert_eq!(stdout.trim(), r#""not found: a""#);
}

/// `patchbay-run` under an address-space limit of 4 GiB: the instance pool
/// cannot be reserved, so the host allocates on demand and says so.
#[cfg(target_os = "linux")]
#[test]
fn call_runs_under_a_4_gib_address_space_limit() {
    let out = Command::new("sh")
        .args([
            "-c",
            r#"ulimit -v 4194304 && exec "$0" "$@""#,
            env!("CARGO_BIN_EXE_patchbay-run"),
            "call",
            &repo("samples/kv-service"),
            r#"handle-request("set a 1")"#,
        ])
        .output()
        .expect("run sh");
    let (stdout, stderr) = success(&out);
    assert_eq!(stdout.trim(), r#""ok""#);
    assert!(
        stderr.contains("note: the instance pool could not be reserved"),
        "{stderr}"
    );
}

#[test]
fn call_traced_prints_the_wire_calls() {
    let (stdout, stderr) = success(&patchbay(&[
        "call",
        "--traced",
        &repo("samples/kv-service"),
        r#"handle-request("get a")"#,
    ]));
    assert_eq!(stdout.trim(), r#""not found: a""#);
    assert!(
        stderr.contains(r#"wire   service -> memory patchbay:kv/store#get("a") -> none"#),
        "{stderr}"
    );
}

#[test]
fn call_runs_several_calls_on_one_instance_unless_fresh() {
    let kv = repo("samples/kv-service");
    let (set, get) = (r#"handle-request("set a 1")"#, r#"handle-request("get a")"#);
    for traced in [&[][..], &["--traced"][..]] {
        let mut args = vec!["call", &kv, set, get];
        args.extend_from_slice(traced);
        let (stdout, stderr) = success(&patchbay(&args));
        assert_eq!(stdout, "\"ok\"\n\"1\"\n", "{stderr}");
        assert!(
            stderr.contains("--- call 2: handle-request(\"get a\")"),
            "{stderr}"
        );
        assert!(
            stderr.contains("kept live across the session's calls"),
            "{stderr}"
        );
        assert!(
            stderr.contains("(session: 2 calls on one instance, ")
                && stderr.contains(" KiB of linear memory in use)"),
            "{stderr}"
        );
    }
    let (stdout, _) = success(&patchbay(&["call", "--fresh", &kv, set, get]));
    assert_eq!(stdout, "\"ok\"\n\"not found: a\"\n");

    let (stdout, _) = success(&patchbay(&["call", "--json", &kv, set, get]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json[1]["result"], r#""1""#);
    assert_eq!(json.as_array().map(Vec::len), Some(2));
}

#[test]
fn call_stops_the_session_at_a_trap_and_names_it() {
    let hostile = repo("samples/hostile");
    let (stdout, stderr) = failure(&patchbay(&[
        "call",
        &hostile,
        "ok()",
        r#"fail("boom")"#,
        "ok()",
        "ok()",
    ]));
    assert_eq!(stdout, "\"still healthy\"\n", "{stderr}");
    assert!(stderr.contains("error[trap]: node `guest`"), "{stderr}");
    assert!(
        stderr.contains(
            "error[session-ended]: the session ended when `fail(\"boom\")` failed (trap)"
        ) && stderr.contains("2 calls not run"),
        "{stderr}"
    );
}

/// A fixture of this checkout (not of whichever clone built the samples).
fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn check_and_compose_pin_problems_to_file_line_and_column() {
    // A mock value that is not WAVE of its type: refused before composing,
    // at the line and column of the value.
    let project = fixture("bad-project/mock-bad-wave");
    let (stdout, stderr) = failure(&patchbay(&["check", &project]));
    assert!(stdout.contains("1 error, 0 warnings"), "{stdout}");
    assert!(
        stderr.contains("mock-bad-wave/patchbay.toml:17:29: error[mock-value] binding `service.patchbay:kv/store`: mock for `service.patchbay:kv/store` function `get`: `some((((` is not a valid option<string>"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let (_, stderr) = failure(&patchbay(&[
        "compose",
        &project,
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(
        stderr.contains("patchbay.toml:17:29: error[mock-value]"),
        "{stderr}"
    );
    assert!(!out.exists(), "compose wrote {}", out.display());

    // A refused compose still shows the warnings `check` showed.
    let project = fixture("compose/mock-unknown-function");
    let (_, stderr) = failure(&patchbay(&[
        "compose",
        &project,
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(
        stderr.contains("patchbay.toml:16:11: error[mock-unknown-function]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("patchbay.toml:21:11: warning[unused-binding] binding `service.wasi:http/outgoing-handler@0.2.6`"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_says_its_cause_once() {
    let (_, stderr) = failure(&patchbay(&["inspect", "/nonexistent/nope.wasm"]));
    assert_eq!(
        stderr.trim_end(),
        "error: /nonexistent/nope.wasm: cannot read file: No such file or directory (os error 2)"
    );
    let (_, stderr) = failure(&patchbay(&["check", "/nonexistent"]));
    assert_eq!(
        stderr.trim_end(),
        "error: cannot read project file /nonexistent: No such file or directory (os error 2)"
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.wasm");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    // Before, both verbs waited forever for a writer.
    let (_, stderr) = failure(&patchbay(&["inspect", fifo.to_str().unwrap()]));
    assert!(
        stderr.contains("pipe.wasm: is a FIFO, not a regular file"),
        "{stderr}"
    );
    let (_, stderr) = failure(&patchbay(&["check", fifo.to_str().unwrap()]));
    assert!(
        stderr.contains("pipe.wasm: is a FIFO, not a regular file"),
        "{stderr}"
    );
    let (_, stderr) = failure(&patchbay(&["check", "/dev/zero"]));
    assert_eq!(
        stderr.trim_end(),
        "error: /dev/zero: is a character device, not a regular file"
    );
}

#[test]
fn export_seals_denials_and_mocks_and_lists_what_it_did_not_seal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (stdout, stderr) = success(&patchbay(&[
        "export",
        &repo("samples/sandbox-demo"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ]));
    assert!(stderr.contains("sandbox-demo.wasm"), "{stderr}");
    assert!(
        stdout.contains("sealed: 3 denied imports composed in as deny stubs (each function traps, naming the denial), 3 mocked imports as mock stubs (each function answers the mock's values), 0 faked imports as fake stubs (the fake, configured with the binding's values), 1 granted import behind scope stubs (the grant's scope enforced inside the artifact)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  deny  denied.wasi:cli/environment@0.2.12 (1 function; stubs/denied-deny-cli-environment.wasm)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  mock  mocked.wasi:cli/environment@0.2.12 (1 function; stubs/mocked-mock-cli-environment.wasm)"),
        "{stdout}"
    );
    assert!(!stdout.contains("not sealed"), "{stdout}");
    for file in [
        "sandbox-demo.wasm",
        "sandbox-demo.wac",
        "sandbox-demo.wit",
        "stubs/denied-deny-cli-environment.wasm",
        "stubs/mocked-mock-cli-environment.wasm",
    ] {
        assert!(out.join(file).is_file(), "{file} not written");
    }
    let wac = std::fs::read_to_string(out.join("sandbox-demo.wac")).expect("read wac");
    assert!(
        wac.contains("let denied-deny-cli-environment = new sealed:denied-deny-cli-environment"),
        "{wac}"
    );
    assert!(
        wac.contains(r#""wasi:cli/environment@0.2.12": denied-deny-cli-environment["wasi:cli/environment@0.2.12"],"#),
        "{wac}"
    );
}

#[test]
fn export_seals_fakes_and_grant_scopes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (stdout, _) = success(&patchbay(&[
        "export",
        &repo("tests/compose/different-bindings"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ]));
    assert!(!stdout.contains("not sealed"), "{stdout}");
    assert!(
        stdout.contains("sealed: 1 denied import composed in as deny stubs (each function traps, naming the denial), 0 mocked imports as mock stubs (each function answers the mock's values), 1 faked import as fake stubs (the fake, configured with the binding's values), 2 granted imports behind scope stubs (the grant's scope enforced inside the artifact)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  fake  faked.patchbay:kv/store (2 functions; stubs/faked-fake-kv-store.wasm)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  scope  faked.wasi:cli/environment@0.2.6 (1 function; stubs/faked-scope-cli-environment.wasm)"),
        "{stdout}"
    );
    assert!(out.join("stubs/faked-fake-kv-store.wasm").is_file());
}

#[test]
fn export_says_which_mocks_it_cannot_seal_and_why_before_writing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("project folder");
    // A constructor the mock leaves unset answers a new handle in the
    // host, which a stub cannot make: that import stays. A fake with a
    // function of its own set is sealed: the mock answers that function,
    // the fake the others.
    let toml = r#"version = 1
name = "overridden"

[components.kv-service]
path = "KV"

[components.order-service]
path = "ORDERS"

[nodes.faked]
component = "kv-service"

[nodes.denied]
component = "kv-service"

[nodes.orders]
component = "order-service"

[[exports]]
from = "faked.handle-request"
as = "faked"

[[exports]]
from = "denied.handle-request"
as = "denied"

[[exports]]
from = "orders.process-order"

[bindings."faked.patchbay:kv/store"]
mode = "mock"
fake = "kv"
functions.get = { returns = 'some("x")' }

[bindings."denied.patchbay:kv/store"]
mode = "deny"

[bindings."orders.patchbay:orders/ledger@0.1.0"]
mode = "mock"
functions."book.record-entry" = { returns = "()" }
functions.balance = { sequence = ["10", "20"] }

[bindings."orders.*"]
mode = "leave"

[bindings."*.wasi:*"]
mode = "grant"
"#
    .replace("KV", &repo("samples/wasm/kv-service.wasm"))
    .replace("ORDERS", &repo("samples/wasm/order-service.wasm"));
    std::fs::write(project.join("patchbay.toml"), toml).expect("write project");
    let out = dir.path().join("out");
    let (stdout, stderr) = success(&patchbay(&[
        "export",
        project.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ]));
    assert!(stderr.contains("overridden.wasm"), "{stderr}");
    let not_sealed = stdout
        .find("not sealed: 1 binding stays an import (whoever runs the artifact decides what it gets):\n  mock  `orders.patchbay:orders/ledger@0.1.0`: `patchbay:orders/ledger@0.1.0#book.constructor` cannot be baked: the mock sets no value for this constructor, so the host answers a new resource handle, which a mock stub cannot make yet; it stays an import\n")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        not_sealed < stdout.find("\nsealed: ").expect("sealed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  deny  denied.patchbay:kv/store"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  fake  faked.patchbay:kv/store (2 functions; stubs/faked-fake-kv-store.wasm)"
        ),
        "{stdout}"
    );
    assert!(out.join("stubs/faked-fake-kv-store.wasm").is_file());
}

#[test]
fn export_open_writes_what_compose_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (stdout, _) = success(&patchbay(&[
        "export",
        &repo("samples/sandbox-demo"),
        "-o",
        dir.path().to_str().expect("utf-8 path"),
        "--open",
    ]));
    assert!(stdout.contains("open: no binding is baked in"), "{stdout}");
    assert!(!stdout.contains("deny  "), "{stdout}");
    assert!(!dir.path().join("stubs").exists());
    let composed = dir.path().join("composed.wasm");
    success(&patchbay(&[
        "compose",
        &repo("samples/sandbox-demo"),
        "-o",
        composed.to_str().expect("utf-8 path"),
    ]));
    assert_eq!(
        std::fs::read(dir.path().join("sandbox-demo.wasm")).expect("export"),
        std::fs::read(&composed).expect("compose"),
    );
}

#[test]
fn import_opens_a_wac_file_as_a_project_that_checks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wac = dir.path().join("kv.wac");
    std::fs::write(
        &wac,
        "package demo:kv;\n\nlet store = new demo:memory { ... };\nlet svc = new demo:service { \"patchbay:kv/store\": store[\"patchbay:kv/store\"], ... };\nexport svc[\"handle-request\"];\n",
    )
    .expect("write recipe");
    let out = dir.path().join("project");
    let memory = format!("demo:memory={}", repo("samples/wasm/kv-memory.wasm"));
    let service = format!("demo:service={}", repo("samples/wasm/kv-service.wasm"));
    let (stdout, _) = success(&patchbay(&[
        "import",
        wac.to_str().expect("utf-8 path"),
        "--dep",
        &memory,
        "--dep",
        &service,
        "-o",
        out.to_str().expect("utf-8 path"),
    ]));
    assert!(
        stdout.contains("2 nodes, 1 wire, 1 export from 2 packages"),
        "{stdout}"
    );
    let toml = std::fs::read_to_string(out.join("patchbay.toml")).expect("written");
    assert!(toml.contains("[nodes.svc]"), "{toml}");
    let (stdout, _) = success(&patchbay(&["check", out.to_str().expect("utf-8 path")]));
    assert!(stdout.contains(": 0 errors, 0 warnings"), "{stdout}");
    // A second import into the same folder is refused, naming the file.
    let (_, stderr) = failure(&patchbay(&[
        "import",
        wac.to_str().expect("utf-8 path"),
        "--dep",
        &memory,
        "--dep",
        &service,
        "-o",
        out.to_str().expect("utf-8 path"),
    ]));
    assert!(stderr.contains("patchbay.toml already exists"), "{stderr}");
    // A package not given is named, with the flag that gives it.
    let (_, stderr) = failure(&patchbay(&[
        "import",
        wac.to_str().expect("utf-8 path"),
        "-o",
        dir.path().join("other").to_str().expect("utf-8 path"),
    ]));
    assert!(stderr.contains("kv.wac:3:"), "{stderr}");
    assert!(stderr.contains("pass `--dep demo:memory=FILE`"), "{stderr}");
}
