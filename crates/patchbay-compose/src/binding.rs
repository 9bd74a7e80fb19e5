//! What a binding can do for an import: the rules `check` reports and the
//! host applies when it prepares a run, kept here once so the two agree.
//!
//! - [`host_provides`]: which imports are host capabilities (what a
//!   `grant` can give and a run can serve when they are left open);
//! - [`left_open_note`]: what leaving open any other import means;
//! - [`fake_serves`]: which imports a built-in fake can stand in for;
//! - [`check_binding`]: both, for one binding of one import.
//!
//! Mock values are the third rule; see [`crate::mock_answers`].

use crate::mock::behavior_for;
use crate::wave::type_text;
use crate::{PortFunction, PortSummary};
use patchbay_project::{Binding, Fake, GrantScope};
use wasm_wave::wasm::{WasmType, WasmTypeKind};

/// The WASI version the host implements; imports of any `0.2.x` version of
/// these interfaces resolve to it.
pub const HOST_WASI_VERSION: &str = "0.2.12";

/// The WASI interfaces the host implements (wasmtime-wasi and
/// wasmtime-wasi-http), without their version.
pub const HOST_INTERFACES: &[&str] = &[
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:clocks/wall-clock",
    "wasi:clocks/monotonic-clock",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
    "wasi:sockets/network",
    "wasi:sockets/instance-network",
    "wasi:sockets/tcp",
    "wasi:sockets/tcp-create-socket",
    "wasi:sockets/udp",
    "wasi:sockets/udp-create-socket",
    "wasi:sockets/ip-name-lookup",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:http/types",
    "wasi:http/outgoing-handler",
];

/// The WASI 0.3 interfaces the host implements (`wasmtime-wasi-http`'s
/// `p3` module), at the exact version Wasmtime 48 serves: the types and
/// the outgoing `client` a `wasi:http/handler@0.3.0` uses. Outgoing
/// requests through `client` take the same allow-list, fake and refusals
/// as `wasi:http/outgoing-handler`.
pub const HOST_P3_INTERFACES: &[&str] = &["wasi:http/types@0.3.0", "wasi:http/client@0.3.0"];

/// The standard interfaces beyond WASI 0.2 the host implements, at the
/// exact versions wasmCloud's SDK (`wasmcloud-component` 0.2), Spin 3
/// (`spin-sdk`'s `wasi:keyvalue@0.2.0-draft2`, `wasi:config@0.2.0-draft-2024-09-27`) and
/// Wasmtime's `wasmtime-wasi-keyvalue` and `wasmtime-wasi-config` crates
/// use (a pre-release version matches only itself).
pub const STANDARD_INTERFACES: &[&str] = &[
    "wasi:keyvalue/store@0.2.0-draft",
    "wasi:keyvalue/atomics@0.2.0-draft",
    "wasi:keyvalue/batch@0.2.0-draft",
    "wasi:keyvalue/store@0.2.0-draft2",
    "wasi:keyvalue/atomics@0.2.0-draft2",
    "wasi:keyvalue/batch@0.2.0-draft2",
    "wasi:config/store@0.2.0-draft",
    "wasi:config/store@0.2.0-draft-2024-09-27",
    "wasi:config/store@0.2.0-rc.1",
    "wasi:logging/logging@0.1.0-draft",
];

/// Whether the host provides this import: one of [`HOST_INTERFACES`] at a
/// `0.2.x` version, one of [`HOST_P3_INTERFACES`], or one of
/// [`STANDARD_INTERFACES`].
pub fn host_provides(import: &str) -> bool {
    host_wasi(import)
        || HOST_P3_INTERFACES.contains(&import)
        || STANDARD_INTERFACES.contains(&import)
}

/// Whether this import is one of [`HOST_INTERFACES`] at a `0.2.x`
/// version: the host serves every such version with WASI
/// [`HOST_WASI_VERSION`].
pub fn host_wasi(import: &str) -> bool {
    match import.split_once('@') {
        Some((base, version)) => version.starts_with("0.2.") && HOST_INTERFACES.contains(&base),
        None => false,
    }
}

/// Whether `fake` stands in for the whole of `import`, one of the standard
/// interfaces: `kv` for `wasi:keyvalue`, `config` for `wasi:config/store`.
pub fn standard_fake(fake: Fake, import: &str) -> bool {
    STANDARD_INTERFACES.contains(&import)
        && match fake {
            Fake::KeyValue => import.starts_with("wasi:keyvalue/"),
            Fake::Config => import.starts_with("wasi:config/"),
            _ => false,
        }
}

/// The parts of a grant that scope `import` when it is granted: `env` for
/// `wasi:cli/environment`, `dirs` for `wasi:filesystem`, `allow` for
/// `wasi:sockets` and `wasi:http/outgoing-handler`, `clock` and `random`
/// for theirs. Empty for a host interface no scope narrows (stdio, `exit`,
/// `wasi:http/types`) and for anything the host does not provide.
pub fn grant_scopes(import: &str) -> &'static [GrantScope] {
    if !host_provides(import) {
        return &[];
    }
    let name = import.split_once('@').map_or(import, |(base, _)| base);
    if name == "wasi:cli/environment" {
        &[GrantScope::Env]
    } else if name.starts_with("wasi:filesystem/") {
        &[GrantScope::Dirs]
    } else if name.starts_with("wasi:sockets/")
        || name == "wasi:http/outgoing-handler"
        || name == "wasi:http/client"
    {
        &[GrantScope::Allow]
    } else if name.starts_with("wasi:clocks/") {
        &[GrantScope::Clock]
    } else if name.starts_with("wasi:random/") {
        &[GrantScope::Random]
    } else if name.starts_with("wasi:keyvalue/") {
        &[GrantScope::Store, GrantScope::Buckets]
    } else if name == "wasi:config/store" {
        &[GrantScope::Config, GrantScope::ConfigPrefix]
    } else {
        &[]
    }
}

/// The interfaces a fake built on WASI stands in for, if it is one.
fn wasi_fake_prefix(fake: Fake) -> Option<&'static str> {
    match fake {
        Fake::Clock => Some("wasi:clocks/"),
        Fake::Random => Some("wasi:random/"),
        Fake::Http => Some("wasi:http/"),
        Fake::KeyValue | Fake::Log | Fake::Config => None,
    }
}

/// Why a binding cannot serve an import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindingError {
    /// A grant of something that is not a host capability.
    #[error("`{import}` is granted, but only WASI interfaces are host capabilities; wire it, mock it or deny it")]
    NotACapability {
        /// The import.
        import: String,
    },
    /// A fake that does not fit the import it stands in for.
    #[error("the `{fake}` fake cannot stand in for `{import}`: {reason}")]
    FakeMismatch {
        /// The import.
        import: String,
        /// The fake's name.
        fake: &'static str,
        /// Why.
        reason: String,
    },
}

/// What leaving `import` open means when this host cannot provide it, or
/// `None` when it can: the composed component keeps the import for the host
/// it is deployed to, and a run in Patchbay fails a call to it (the host
/// links a stub that reports the call). `check` shows this as a warning;
/// the host's stub says the same when the call happens.
pub fn left_open_note(import: &str) -> Option<String> {
    (!host_provides(import)).then(|| {
        format!(
            "`{import}` is left open: the composed component imports it for the host it is deployed to, and Patchbay does not provide it, so a call to it fails here; wire, mock or deny it to run it in Patchbay"
        )
    })
}

/// Checks one binding of one import (of one node): a grant needs a host
/// capability, and a fake must be able to answer every function the
/// binding leaves to it. Mock values are checked by
/// [`crate::mock_answers`]. `leave` is always valid (see
/// [`left_open_note`]).
pub fn check_binding(port: &PortSummary, binding: &Binding) -> Result<(), BindingError> {
    let import = &port.name;
    match binding {
        Binding::Grant(_) if !host_provides(import) => Err(BindingError::NotACapability {
            import: import.clone(),
        }),
        Binding::Mock(mock) => {
            let Some(fake) = mock.fake else {
                return Ok(());
            };
            let mismatch = |reason: String| BindingError::FakeMismatch {
                import: import.clone(),
                fake: fake.name(),
                reason,
            };
            if wasi_fake_prefix(fake).is_some() || standard_fake(fake, import) {
                fake_serves(fake, import, &port.functions).map_err(mismatch)?;
                if let Some(name) = mock.functions.keys().next() {
                    return Err(mismatch(format!(
                        "it replaces the whole interface, so `functions.{name}` would be ignored; remove `functions`, or drop `fake` to mock functions one by one"
                    )));
                }
                return Ok(());
            }
            let left_to_fake: Vec<&PortFunction> = port
                .functions
                .iter()
                .filter(|f| !f.is_constructor() && behavior_for(mock, f).is_none())
                .collect();
            fake_fits(fake, import, &left_to_fake).map_err(|reason| {
                // In the file, what to do is give those functions values.
                let n = left_to_fake.iter().filter(|f| f.result.is_some()).count();
                mismatch(if fake == Fake::Log && n > 0 {
                    format!(
                        "{reason}; give {} a value under `functions`",
                        if n == 1 { "it" } else { "them" }
                    )
                } else {
                    reason
                })
            })
        }
        _ => Ok(()),
    }
}

/// Whether `fake` can serve an import with these functions, and if not,
/// why. The editor offers a fake node only for imports it can serve.
/// Constructors need no fake: a mock answers them with a new handle.
pub fn fake_serves<T: WasmType>(
    fake: Fake,
    import: &str,
    functions: &[PortFunction<T>],
) -> Result<(), String> {
    if standard_fake(fake, import) {
        return Ok(());
    }
    if let Some(prefix) = wasi_fake_prefix(fake) {
        return if import.starts_with(prefix) && host_provides(import) {
            Ok(())
        } else {
            Err(format!("it fakes the host's `{prefix}*` interfaces"))
        };
    }
    let functions: Vec<&PortFunction<T>> =
        functions.iter().filter(|f| !f.is_constructor()).collect();
    if functions.is_empty() {
        return Err(format!("`{import}` has no functions to fake"));
    }
    fake_fits(fake, import, &functions)
}

/// What the `kv` and `config` fakes implement: the name, how many string
/// parameters, and the result.
fn fake_functions(fake: Fake) -> &'static [(&'static str, usize, Option<KvResult>)] {
    match fake {
        Fake::KeyValue => &[
            ("get", 1, Some(KvResult::OptionString)),
            ("set", 2, None),
            ("delete", 1, None),
            ("exists", 1, Some(KvResult::Bool)),
        ],
        Fake::Config => &[("get", 1, Some(KvResult::OptionString))],
        Fake::Log | Fake::Clock | Fake::Random | Fake::Http => &[],
    }
}

/// The results the `kv` and `config` fakes return.
#[derive(Clone, Copy)]
enum KvResult {
    OptionString,
    Bool,
}

impl KvResult {
    fn fits<T: WasmType>(self, ty: &T) -> bool {
        match self {
            KvResult::Bool => ty.kind() == WasmTypeKind::Bool,
            KvResult::OptionString => {
                ty.kind() == WasmTypeKind::Option
                    && ty
                        .option_some_type()
                        .is_some_and(|t| t.kind() == WasmTypeKind::String)
            }
        }
    }

    fn text(self) -> &'static str {
        match self {
            KvResult::OptionString => "option<string>",
            KvResult::Bool => "bool",
        }
    }
}

/// Whether `fake` answers every one of `functions` (the ones a binding
/// leaves to it) with values of the right types.
fn fake_fits<T: WasmType>(
    fake: Fake,
    import: &str,
    functions: &[&PortFunction<T>],
) -> Result<(), String> {
    if fake == Fake::Log {
        let valued: Vec<String> = functions
            .iter()
            .filter_map(|f| {
                f.result
                    .as_ref()
                    .map(|r| format!("`{}` returns {}", f.name, type_text(r)))
            })
            .collect();
        if valued.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "it records calls and returns nothing, but {}",
            valued.join(" and ")
        ));
    }
    let implemented = fake_functions(fake);
    let mut missing = Vec::new();
    let mut differ = Vec::new();
    for f in functions {
        let Some((name, params, result)) = implemented.iter().find(|(n, ..)| *n == f.name) else {
            missing.push(f.name.as_str());
            continue;
        };
        let params_fit = f.params.len() == *params
            && f.params
                .iter()
                .all(|(_, t)| t.kind() == WasmTypeKind::String);
        let result_fits = match (result, &f.result) {
            (None, None) => true,
            (Some(want), Some(got)) => want.fits(got),
            _ => false,
        };
        if !params_fit || !result_fits {
            let want = format!(
                "{name}({}){}",
                vec!["string"; *params].join(", "),
                result
                    .map(|r| format!(" -> {}", r.text()))
                    .unwrap_or_default()
            );
            differ.push(format!("`{}` is {}, not {want}", f.name, signature(f)));
        }
    }
    let list = implemented
        .iter()
        .map(|(n, ..)| *n)
        .collect::<Vec<_>>()
        .join(", ");
    if !missing.is_empty() {
        return Err(format!(
            "the `{}` fake implements {list}; `{import}` also has {}",
            fake.name(),
            missing.join(", ")
        ));
    }
    if !differ.is_empty() {
        return Err(differ.join("; "));
    }
    Ok(())
}

/// A function's signature in WAVE's type syntax: `func(key: string) -> option<string>`.
pub fn signature<T: WasmType>(f: &PortFunction<T>) -> String {
    let params = f
        .params
        .iter()
        .map(|(n, t)| format!("{n}: {}", type_text(t)))
        .collect::<Vec<_>>()
        .join(", ");
    match &f.result {
        Some(r) => format!("func({params}) -> {}", type_text(r)),
        None => format!("func({params})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WaveType;

    fn f(name: &str, params: &[WaveType], result: Option<WaveType>) -> PortFunction {
        PortFunction {
            name: name.into(),
            item: name.into(),
            params: params
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("p{i}"), t.clone()))
                .collect(),
            result,
        }
    }

    fn kv_store() -> Vec<PortFunction> {
        let s = WaveType::String;
        vec![
            f(
                "get",
                std::slice::from_ref(&s),
                Some(WaveType::Option(Box::new(s.clone()))),
            ),
            f("set", &[s.clone(), s], None),
        ]
    }

    #[test]
    fn only_wasi_interfaces_the_host_implements_are_capabilities() {
        assert!(host_provides("wasi:cli/environment@0.2.6"));
        assert!(host_provides("wasi:http/outgoing-handler@0.2.12"));
        assert!(!host_provides("wasi:http/incoming-handler@0.2.12"));
        assert!(!host_provides("wasi:cli/environment@0.3.0"));
        assert!(host_provides("wasi:http/client@0.3.0"));
        assert!(host_provides("wasi:http/types@0.3.0"));
        assert!(!host_provides("wasi:http/client@0.3.1"));
        assert!(!host_wasi("wasi:http/types@0.3.0"));
        assert!(host_provides("wasi:keyvalue/store@0.2.0-draft"));
        assert!(host_provides("wasi:logging/logging@0.1.0-draft"));
        assert!(!host_wasi("wasi:keyvalue/store@0.2.0-draft"));
        assert!(host_provides("wasi:keyvalue/store@0.2.0-draft2"));
        assert!(host_provides("wasi:config/store@0.2.0-draft-2024-09-27"));
        assert!(!host_provides("wasi:keyvalue/store@0.2.0-draft3"));
        assert!(!host_provides("patchbay:kv/store"));
    }

    #[test]
    fn fakes_serve_what_they_implement() {
        let store = kv_store();
        assert_eq!(
            fake_serves(Fake::KeyValue, "patchbay:kv/store", &store),
            Ok(())
        );
        let config = fake_serves(Fake::Config, "patchbay:kv/store", &store).unwrap_err();
        assert!(config.contains("also has set"), "{config}");
        let log = fake_serves(Fake::Log, "patchbay:kv/store", &store).unwrap_err();
        assert!(log.contains("`get` returns option<string>"), "{log}");
        // The standard interfaces' fakes stand in for the whole interface,
        // and only for theirs.
        assert_eq!(
            fake_serves(Fake::KeyValue, "wasi:keyvalue/store@0.2.0-draft", &store),
            Ok(())
        );
        assert!(fake_serves(Fake::Config, "wasi:keyvalue/store@0.2.0-draft", &store).is_err());
        let clock = fake_serves(Fake::Clock, "patchbay:kv/store", &store).unwrap_err();
        assert!(clock.contains("wasi:clocks/"), "{clock}");
        let odd = [f("get", &[WaveType::U32], Some(WaveType::String))];
        let e = fake_serves(Fake::KeyValue, "x:y/z", &odd).unwrap_err();
        assert!(
            e.contains("`get` is func(p0: u32) -> string, not get(string) -> option<string>"),
            "{e}"
        );
    }

    #[test]
    fn each_granted_interface_is_scoped_by_its_own_part_of_the_grant() {
        use GrantScope::*;
        let cases: [(&str, &[GrantScope]); 14] = [
            ("wasi:http/client@0.3.0", &[Allow]),
            ("wasi:http/types@0.3.0", &[]),
            ("wasi:keyvalue/store@0.2.0-draft", &[Store, Buckets]),
            ("wasi:config/store@0.2.0-draft", &[Config, ConfigPrefix]),
            ("wasi:logging/logging@0.1.0-draft", &[]),
            ("wasi:cli/environment@0.2.6", &[Env]),
            ("wasi:filesystem/preopens@0.2.3", &[Dirs]),
            ("wasi:sockets/tcp@0.2.0", &[Allow]),
            ("wasi:http/outgoing-handler@0.2.12", &[Allow]),
            ("wasi:clocks/wall-clock@0.2.6", &[Clock]),
            ("wasi:random/random@0.2.6", &[Random]),
            ("wasi:cli/stdout@0.2.6", &[]),
            // Not host capabilities: nothing to scope.
            ("wasi:cli/environment@0.3.0", &[]),
            ("patchbay:kv/store", &[]),
        ];
        for (import, scopes) in cases {
            assert_eq!(grant_scopes(import), scopes, "{import}");
        }
    }
}
