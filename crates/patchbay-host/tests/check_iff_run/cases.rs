//! Running the cases: one generated project per seed, and the fixture
//! projects, each checked against compose and prepare.

use super::*;

/// What one case expects of `check`.
enum Expect {
    Clean,
    Fault(Fault),
    Anything,
}

/// What a case came to: whether `check` found errors, and whether the
/// host chose traced runs (nodes binding one import differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Refused,
    Composed,
    Traced,
}

fn run_case(host: &Host, samples: &[Sample], seed: u64, show: bool) -> Result<Outcome, String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (draft, expect) = match seed % 3 {
        0 => (valid_project(&mut rng, samples), Expect::Clean),
        1 => {
            let mut d = valid_project(&mut rng, samples);
            let faults = [
                Fault::BadWave,
                Fault::GrantNotWasi,
                Fault::LogFakeWithValues,
                Fault::UnknownMockFunction,
                Fault::ExportNameInvalid,
                Fault::ExportNameTaken,
            ];
            let fault = *faults.choose(&mut rng).unwrap();
            let expect = if add_fault(&mut rng, &mut d, samples, fault) {
                Expect::Fault(fault)
            } else {
                Expect::Clean
            };
            (d, expect)
        }
        _ => (random_project(&mut rng, samples), Expect::Anything),
    };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let text = draft.text(samples);
    let path = dir.path().join("patchbay.toml");
    std::fs::write(&path, &text).map_err(|e| e.to_string())?;
    if show {
        eprintln!("--- seed {seed} ---\n{text}");
    }
    let fail = |what: String| format!("seed {seed}: {what}\n--- patchbay.toml ---\n{text}");
    let doc = patchbay_project::load(&path).map_err(|e| fail(format!("does not load: {e}")))?;
    let ws = Workspace::open(doc);
    let mut problems = ws.check();
    locate(&mut problems, &text);
    let listing = problems
        .iter()
        .map(|p| patchbay_compose::problem_line(Path::new("patchbay.toml"), p))
        .collect::<Vec<_>>()
        .join("\n");
    if show {
        eprintln!("--- check ---\n{listing}");
    }
    for p in &problems {
        if p.site.is_some() && p.position.is_none() {
            return Err(fail(format!("problem not found in the file: {p}")));
        }
    }
    let errors = problems.iter().any(Problem::is_error);
    match expect {
        Expect::Clean if errors => {
            return Err(fail(format!("a valid project has errors:\n{listing}")))
        }
        Expect::Fault(f) if !problems.iter().any(|p| p.is_error() && p.code == f.code()) => {
            return Err(fail(format!(
                "fault {f:?} was not reported as `{}`:\n{listing}",
                f.code()
            )))
        }
        _ => {}
    }
    let composed = ws.compose();
    let prepared = host.prepare(&ws);
    if errors {
        if composed.is_ok() {
            return Err(fail(format!(
                "`check` has errors but `compose` succeeded:\n{listing}"
            )));
        }
        if prepared.is_ok() {
            return Err(fail(format!(
                "`check` has errors but the host prepared it:\n{listing}"
            )));
        }
        return Ok(Outcome::Refused);
    }
    match composed {
        Err(problems) => {
            let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            return Err(fail(format!(
                "`check` found no error, but `compose` refused:\n{}",
                shown.join("\n")
            )));
        }
        // `compose --wit` and the app describe what they composed.
        Ok(c) => {
            if let Err(e) = c.describe() {
                return Err(fail(format!(
                    "`check` found no error, but the composition has no WIT: {e}"
                )));
            }
        }
    }
    // `patchbay call --traced` runs every project `check` passes, too.
    if let Err(e) = host.prepare_traced(&ws) {
        return Err(fail(format!(
            "`check` found no error, but the host cannot prepare a traced run: {e}\n{listing}"
        )));
    }
    match prepared {
        Ok(runnable) if runnable.is_traced() => Ok(Outcome::Traced),
        Ok(_) => Ok(Outcome::Composed),
        Err(e) => Err(fail(format!(
            "`check` found no error, but the host cannot prepare a run: {e}\n{listing}"
        ))),
    }
}

#[test]
fn check_has_no_errors_iff_compose_and_prepare_succeed() {
    let samples = samples();
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    if let Some(seed) = std::env::var("PATCHBAY_CHECK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        match run_case(&host, &samples, seed, true) {
            Ok(outcome) => eprintln!("seed {seed}: {outcome:?}"),
            Err(e) => panic!("{e}"),
        }
        return;
    }
    let cases = std::env::var("PATCHBAY_CHECK_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let mut failures = Vec::new();
    let mut outcomes = std::collections::BTreeMap::new();
    for seed in 0..cases {
        match run_case(&host, &samples, seed, false) {
            Ok(outcome) => *outcomes.entry(format!("{outcome:?}")).or_insert(0) += 1,
            Err(e) => failures.push(e),
        }
    }
    eprintln!("{cases} generated projects: {outcomes:?}");
    if !failures.is_empty() {
        panic!(
            "{} of {cases} generated projects break `check` ⇔ run (replay one with PATCHBAY_CHECK_SEED):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
    // Both sides of the property were exercised.
    for outcome in ["Refused", "Composed", "Traced"] {
        assert!(
            outcomes.contains_key(outcome) || cases < DEFAULT_CASES,
            "no generated project came out {outcome}: {outcomes:?}"
        );
    }
}

/// Every case of `tests/bad-project` that loads is refused by the host
/// too, and every case of `tests/compose` runs exactly when `check` finds
/// no error.
#[test]
fn fixture_projects_run_exactly_when_check_passes() {
    let host = Host::new(HostOptions {
        cache_dir: None,
        ..HostOptions::default()
    })
    .expect("host starts");
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut seen = 0;
    for suite in ["bad-project", "compose"] {
        for entry in std::fs::read_dir(tests.join(suite)).unwrap() {
            let dir = entry.unwrap().path();
            let Ok(doc) = patchbay_project::load(&dir) else {
                continue;
            };
            seen += 1;
            let ws = Workspace::open(doc);
            let errors = ws.check().iter().any(Problem::is_error);
            let prepared = host.prepare(&ws);
            match (errors, prepared) {
                (true, Ok(_)) => panic!("{}: `check` has errors, but it runs", dir.display()),
                (false, Err(e)) => panic!("{}: `check` passes, but: {e}", dir.display()),
                _ => {}
            }
            if suite == "bad-project" {
                assert!(errors, "{}: a bad project passes `check`", dir.display());
            }
        }
    }
    assert!(seen > 20, "only {seen} fixture projects found");
}
