//! Fakes and enforced grant scopes, sealed with the fakes' guest module
//! (crate `patchbay-fakes`, Rust built from source).
//!
//! Which binding becomes what ([`plan`]):
//! - the `kv` and `config` fakes: the guest's map, seeded with the
//!   binding's `values`;
//! - the `config` fake of the standard `wasi:config/store`: a mock stub
//!   answering the binding's `values` (`get` matches the key, `get-all`
//!   lists them), which fixed values need no map for;
//! - the `random` fake, and a grant whose `random` is seeded: the guest's
//!   random sources, seeded as the host seeds them, so the artifact draws
//!   the numbers `patchbay call` draws;
//! - a grant of `wasi:cli/environment`: the guest's environment filter,
//!   which imports the host's environment and passes on only the variables
//!   the grant names (no arguments, no working folder, as in the sandbox);
//! - the `clock` fake, and a grant whose `clock` is fixed: on
//!   `wasi:clocks/wall-clock` a mock stub answering the fixed time; on
//!   `wasi:clocks/monotonic-clock` the guest's fixed clock, which answers
//!   the stopped instant and waits through the host's `subscribe-duration`
//!   (a mock stub when the component never waits);
//! - the `log` fake: a mock stub whose functions return nothing.
//!
//! A `kv` or `config` fake with `functions` overrides is the guest's map
//! for the functions the fake answers and the mock's code for those the
//! binding sets, in one module ([`GuestPlan::overrides`]): which is which
//! is [`crate::mock_answers`]'s rule, as in the host.
//!
//! For the guest, the module is rewritten per binding
//! ([`super::guest::rewrite`]) and [`super::stub::StubSource`] wraps it in
//! a component exporting the import.

use patchbay_fakes::{Core, GuestModule, Role, CLOCK_NOW_KEY, RANDOM_SEED_KEY};
use patchbay_project::{
    shown, ClockSetting, Fake, Grant, Mock, MockBehavior, MockCase, RandomSetting,
};
use std::collections::HashMap;
use wasm_encoder::ValType;

/// How one binding is sealed.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// By the guest module: a role per function (by WIT name), the seed.
    Guest(GuestPlan),
    /// By a mock stub answering these values.
    Mock(Mock),
}

/// A binding sealed by the guest module.
#[derive(Debug, Clone)]
pub(crate) struct GuestPlan {
    /// The role of each function the import has, by its WIT name.
    pub roles: HashMap<&'static str, Role>,
    /// The seed area's bytes.
    pub seed: Vec<u8>,
    /// The guest build its roles live in; the environment filter and the
    /// fixed clock import, from the host, the import they export.
    pub module: GuestModule,
    /// The binding's mock, when it sets `functions` of its own: those
    /// answer its values, the rest the fake's roles.
    pub overrides: Option<Mock>,
}

impl GuestPlan {
    fn new(roles: &[(&'static str, Role)], seed: Vec<u8>) -> Self {
        Self {
            module: roles
                .first()
                .map_or(GuestModule::Fakes, |(_, r)| r.module()),
            roles: roles.iter().copied().collect(),
            seed,
            overrides: None,
        }
    }
}

/// The interface of `import` without its version: `wasi:random/random`.
fn base(import: &str) -> &str {
    import.split_once('@').map_or(import, |(b, _)| b)
}

/// The random source's roles for a `wasi:random/*` interface.
fn random_roles(import: &str) -> Option<&'static [(&'static str, Role)]> {
    match base(import) {
        "wasi:random/random" => Some(&[
            ("get-random-bytes", Role::RandomBytes),
            ("get-random-u64", Role::RandomU64),
        ]),
        "wasi:random/insecure" => Some(&[
            ("get-insecure-random-bytes", Role::InsecureRandomBytes),
            ("get-insecure-random-u64", Role::InsecureRandomU64),
        ]),
        "wasi:random/insecure-seed" => Some(&[("insecure-seed", Role::InsecureSeed)]),
        _ => None,
    }
}

fn random_plan(import: &str, seed: u64) -> Result<Plan, String> {
    let roles = random_roles(import)
        .ok_or_else(|| format!("`{import}` is not a random source the artifact can seed"))?;
    let seed_text = seed.to_string();
    let bytes = patchbay_fakes::encode_seed([(RANDOM_SEED_KEY, seed_text.as_str())])?;
    Ok(Plan::Guest(GuestPlan::new(roles, bytes)))
}

/// The fixed wall clock's answers: `unix_ms` after the epoch, to the
/// millisecond, as the host's fixed clock.
fn fixed_clock(import: &str, unix_ms: u64, functions: &[String]) -> Result<Plan, String> {
    if base(import) == "wasi:clocks/monotonic-clock" {
        return monotonic_clock(functions);
    }
    if base(import) != "wasi:clocks/wall-clock" {
        return Err(format!("`{import}` is not a clock the artifact can stop"));
    }
    let now = format!(
        "{{seconds: {}, nanoseconds: {}}}",
        unix_ms / 1000,
        (unix_ms % 1000) * 1_000_000
    );
    let answers = [
        ("now", now),
        (
            "resolution",
            "{seconds: 0, nanoseconds: 1000000}".to_string(),
        ),
    ];
    let mut mock = Mock::default();
    for (name, value) in answers {
        // The import has only the functions the component calls.
        if functions.iter().any(|f| f == name) {
            mock.functions
                .insert(name.into(), MockBehavior::Returns(value));
        }
    }
    Ok(Plan::Mock(mock))
}

/// The fixed monotonic clock, stopped at 0 as the host's: answers `now`
/// and `resolution` itself; waits are the host's (the guest's fixed clock
/// imports `subscribe-duration`), or, when the component never waits, it
/// is a mock stub that imports nothing.
fn monotonic_clock(functions: &[String]) -> Result<Plan, String> {
    let has = |name: &str| functions.iter().any(|f| f == name);
    if !has("subscribe-duration") && !has("subscribe-instant") {
        let mut mock = Mock::default();
        for name in ["now", "resolution"] {
            if has(name) {
                let value = if name == "now" { "0" } else { "1" };
                mock.functions
                    .insert(name.into(), MockBehavior::Returns(value.into()));
            }
        }
        return Ok(Plan::Mock(mock));
    }
    if !has("subscribe-duration") {
        return Err(
            "the component waits with `subscribe-instant` only, and the artifact's fixed clock waits through the host's `subscribe-duration`, which the component does not import"
                .into(),
        );
    }
    let seed = patchbay_fakes::encode_seed([(CLOCK_NOW_KEY, "0")])?;
    Ok(Plan::Guest(GuestPlan::new(
        &[
            ("subscribe-duration", Role::ClockSubscribeDuration),
            ("now", Role::ClockNow),
            ("resolution", Role::ClockResolution),
            ("subscribe-instant", Role::ClockSubscribeInstant),
        ],
        seed,
    )))
}

/// How a mock binding with a fake is sealed (`functions` is the import's
/// WIT function names), or why it is not.
pub(crate) fn fake_plan(
    fake: Fake,
    mock: &Mock,
    import: &str,
    functions: &[String],
) -> Result<Plan, String> {
    let overridden = !mock.functions.is_empty();
    if overridden && matches!(fake, Fake::Random | Fake::Clock | Fake::Http) {
        return Err(format!(
            "the `{}` fake with `functions` overrides is not sealed into the artifact yet",
            fake.name()
        ));
    }
    if fake == Fake::Config && crate::binding::standard_fake(fake, import) {
        return standard_config(mock, functions).map(Plan::Mock);
    }
    if crate::binding::standard_fake(fake, import) {
        return Err(format!(
            "the `{}` fake of the standard `{import}` answers with host resources and results the fakes' guest module does not make yet",
            fake.name()
        ));
    }
    match fake {
        Fake::KeyValue | Fake::Config => {
            let all: &[(&'static str, Role)] = &[
                ("get", Role::KvGet),
                ("set", Role::KvSet),
                ("delete", Role::KvDelete),
                ("exists", Role::KvExists),
            ];
            let offered: &[(&'static str, Role)] = if fake == Fake::Config { &all[..1] } else { all };
            let roles: Vec<(&'static str, Role)> = offered
                .iter()
                .copied()
                .filter(|(name, _)| functions.iter().any(|f| f == name))
                .collect();
            let seed = patchbay_fakes::encode_seed(
                mock.values.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )?;
            let mut plan = GuestPlan::new(&roles, seed);
            plan.module = GuestModule::Fakes;
            plan.overrides = overridden.then(|| mock.clone());
            Ok(Plan::Guest(plan))
        }
        Fake::Random => random_plan(import, 0),
        Fake::Clock => fixed_clock(import, 0, functions),
        Fake::Log => {
            // Every function the mock does not set returns nothing (the
            // check made sure none returns a value): the artifact drops
            // the messages, having nowhere of its own to write them.
            let mut sealed = mock.clone();
            sealed.fake = None;
            for f in functions {
                sealed
                    .functions
                    .entry(f.clone())
                    .or_insert_with(|| MockBehavior::Returns("()".into()));
            }
            Ok(Plan::Mock(sealed))
        }
        // On `wasi:http/outgoing-handler` the `http` fake is sealed by its
        // own guest (`http.rs`), which serves the node's HTTP types too.
        Fake::Http => Err(format!(
            "the `http` fake is sealed on `wasi:http/outgoing-handler` only, with the HTTP types it owns, and `{import}` is served with the node's other HTTP imports or not at all"
        )),
    }
}

/// The `config` fake of the standard `wasi:config/store`, as the mock its
/// values make: `get` answers each key's value (`ok(some(…))`) and
/// `ok(none)` for any other key, `get-all` every pair in the binding's
/// order, as the host's fake does. The check made sure the binding sets no
/// `functions` of its own.
fn standard_config(mock: &Mock, functions: &[String]) -> Result<Mock, String> {
    let string = |text: &str| {
        wasm_wave::to_string(
            &<wasm_wave::value::Value as wasm_wave::wasm::WasmValue>::make_string(text.into()),
        )
        .map_err(|e| {
            format!(
                "the config value {} cannot be written as WAVE: {e}",
                shown(text)
            )
        })
    };
    let mut sealed = Mock::default();
    for function in functions {
        let behavior = match function.as_str() {
            "get" => MockBehavior::Match {
                cases: mock
                    .values
                    .iter()
                    .map(|(key, value)| {
                        Ok(MockCase {
                            args: format!("({})", string(key)?),
                            returns: format!("ok(some({}))", string(value)?),
                        })
                    })
                    .collect::<Result<_, String>>()?,
                otherwise: Some("ok(none)".into()),
            },
            "get-all" => {
                let pairs = mock
                    .values
                    .iter()
                    .map(|(key, value)| Ok(format!("({}, {})", string(key)?, string(value)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                MockBehavior::Returns(format!("ok([{}])", pairs.join(", ")))
            }
            other => {
                return Err(format!(
                    "the `config` fake does not know the function `{other}` of the standard config store"
                ))
            }
        };
        sealed.functions.insert(function.clone(), behavior);
    }
    Ok(sealed)
}

/// How a grant of `import` is enforced inside the artifact: `None` when
/// the grant stays an import (the host enforces it, or there is nothing
/// to narrow); an error when its scope cannot be enforced inside.
pub(crate) fn scope_plan(
    grant: &Grant,
    import: &str,
    functions: &[String],
) -> Option<Result<Plan, String>> {
    let name = base(import);
    if name == "wasi:cli/environment" && grant.env.is_empty() {
        // No variable is granted: the artifact answers an empty
        // environment itself and does not import the host's at all.
        let mut mock = Mock::default();
        for (function, value) in [
            ("get-environment", "[]"),
            ("get-arguments", "[]"),
            ("initial-cwd", "none"),
        ] {
            if functions.iter().any(|f| f == function) {
                mock.functions
                    .insert(function.into(), MockBehavior::Returns(value.into()));
            }
        }
        return Some(Ok(Plan::Mock(mock)));
    }
    if name == "wasi:cli/environment" {
        let seed = patchbay_fakes::encode_seed(grant.env.iter().map(|n| (n.as_str(), "")));
        return Some(seed.map(|seed| {
            Plan::Guest(GuestPlan::new(
                &[
                    ("get-environment", Role::GetEnvironment),
                    ("get-arguments", Role::GetArguments),
                    ("initial-cwd", Role::InitialCwd),
                ],
                seed,
            ))
        }));
    }
    if name.starts_with("wasi:keyvalue/") && grant.store.is_some() {
        return Some(Err(format!(
            "the key-value database file `{}` and its buckets are Patchbay's local store",
            grant
                .store
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        )));
    }
    if name == "wasi:config/store" && (!grant.config.is_empty() || grant.config_prefix.is_some()) {
        return Some(Err(
            "the configuration values come from Patchbay's grant (a table or an environment prefix)"
                .into(),
        ));
    }
    if name.starts_with("wasi:random/") {
        return match grant.random {
            Some(RandomSetting::Seeded(seed)) => Some(random_plan(import, seed)),
            _ => None,
        };
    }
    if name.starts_with("wasi:clocks/") {
        return match grant.clock {
            Some(ClockSetting::Fixed { unix_ms }) => Some(fixed_clock(import, unix_ms, functions)),
            _ => None,
        };
    }
    None
}

/// Checks that `role` has the core signature the encoder expects for a
/// function exported as `export` with `params` and `results`.
pub(crate) fn check_role(
    role: Role,
    function: &str,
    params: &[ValType],
    results: &[ValType],
) -> Result<(), String> {
    let core = |c: &Core| match c {
        Core::I32 => ValType::I32,
        Core::I64 => ValType::I64,
    };
    let (want_params, want_results) = role.signature();
    let want: (Vec<ValType>, Vec<ValType>) = (
        want_params.iter().map(core).collect(),
        want_results.iter().map(core).collect(),
    );
    if want.0 != params || want.1 != results {
        return Err(format!(
            "`{function}` does not have the shape the sealed fake implements for it (`{}`)",
            role.export()
        ));
    }
    Ok(())
}
