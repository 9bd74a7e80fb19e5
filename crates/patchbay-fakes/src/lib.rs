//! The fakes' guest module, built from source (`guest/`), and what a sealed
//! export needs to know to use it.
//!
//! The module holds the code of Patchbay's fakes and of the grant scopes a
//! sealed artifact enforces itself: the `kv` and `config` maps, the seeded
//! random sources and the environment filter. Its functions are *roles*
//! ([`Role`]), each with the canonical ABI's core signature of one WIT
//! shape; patchbay-compose renames the roles a binding needs to the
//! functions of the import it serves, writes the binding's values at
//! [`SEED_SYMBOL`] ([`encode_seed`]) and wraps the module in a component.

/// The fakes: `kv`/`config` map and seeded random sources. Imports nothing.
pub const FAKES_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fakes.wasm"));

/// The environment filter. Imports the host's `get-environment` from
/// [`HOST_ENVIRONMENT_MODULE`].
pub const ENV_FILTER_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/env-filter.wasm"));

/// The `http` fake: a core module built with wit-bindgen from
/// `http-guest/`, carrying its WIT (`http-guest/wit/http-fake.wit`), to be
/// encoded as a component once its seed ([`encode_seed`]: per canned
/// response the URL and `STATUS BODY`) is written at [`SEED_SYMBOL`]. It
/// exports `wasi:http/outgoing-handler` and `wasi:http/types` answered from
/// the seed, and the interfaces of [`HTTP_FAKE_FORWARDS`] over its own
/// resources; it imports those from the host, at [`HTTP_FAKE_WASI_VERSION`].
pub const HTTP_FAKE_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/http-fake.wasm"));

/// The WASI version of every interface the `http` fake imports and exports.
pub const HTTP_FAKE_WASI_VERSION: &str = "0.2.12";

/// The interfaces (without version) the `http` fake exports besides
/// `wasi:http/types` and `wasi:http/outgoing-handler`: the `wasi:io`
/// streams and pollables the HTTP types speak in, with the standard
/// streams and the monotonic clock that hand out such resources, each over
/// the host's import of the same interface.
pub const HTTP_FAKE_FORWARDS: [&str; 7] = [
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:clocks/monotonic-clock",
];

/// The exported global holding the address of the seed area.
pub const SEED_SYMBOL: &str = "PATCHBAY_FAKE_SEED";

/// How many bytes the seed area holds.
pub const SEED_CAPACITY: usize = 64 * 1024;

/// The fixed monotonic clock. Imports the host's `subscribe-duration` from
/// [`HOST_MONOTONIC_CLOCK_MODULE`], to wait for real.
pub const FIXED_CLOCK_MODULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fixed-clock.wasm"));

/// The `kv` fake of one version of the standard `wasi:keyvalue`: its
/// guest build, whose exports already carry the component encoder's names
/// for the whole of `store`, `atomics` and `batch`, and the WIT of that
/// version (the files the host serves, `crates/patchbay-host/wit`), which
/// the stub around it exports.
#[derive(Debug, Clone, Copy)]
pub struct StandardKeyValue {
    /// The package version: `0.2.0-draft`.
    pub version: &'static str,
    /// The guest build.
    pub module: &'static [u8],
    /// The WIT files of the package, by name.
    pub wit: &'static [(&'static str, &'static str)],
}

/// Every version of `wasi:keyvalue` whose `kv` fake a sealed artifact
/// carries: wasmCloud's SDK's `0.2.0-draft` and Spin 3's `0.2.0-draft2`.
pub const STANDARD_KEYVALUE: &[StandardKeyValue] = &[
    StandardKeyValue {
        version: "0.2.0-draft",
        module: include_bytes!(concat!(env!("OUT_DIR"), "/keyvalue-draft.wasm")),
        wit: &[
            (
                "world.wit",
                include_str!("../../patchbay-host/wit/keyvalue/world.wit"),
            ),
            (
                "store.wit",
                include_str!("../../patchbay-host/wit/keyvalue/store.wit"),
            ),
            (
                "atomic.wit",
                include_str!("../../patchbay-host/wit/keyvalue/atomic.wit"),
            ),
            (
                "batch.wit",
                include_str!("../../patchbay-host/wit/keyvalue/batch.wit"),
            ),
        ],
    },
    StandardKeyValue {
        version: "0.2.0-draft2",
        module: include_bytes!(concat!(env!("OUT_DIR"), "/keyvalue-draft2.wasm")),
        wit: &[
            (
                "world.wit",
                include_str!("../../patchbay-host/wit/keyvalue-draft2/world.wit"),
            ),
            (
                "store.wit",
                include_str!("../../patchbay-host/wit/keyvalue-draft2/store.wit"),
            ),
            (
                "atomic.wit",
                include_str!("../../patchbay-host/wit/keyvalue-draft2/atomic.wit"),
            ),
            (
                "batch.wit",
                include_str!("../../patchbay-host/wit/keyvalue-draft2/batch.wit"),
            ),
        ],
    },
];

/// How the core import modules of the host's interfaces start; a sealed
/// export renames them to the real import (`wasi:cli/environment@…`).
pub const HOST_MODULE_PREFIX: &str = "patchbay-fake:host-";

/// The core import module the environment filter reads the host's
/// environment from.
pub const HOST_ENVIRONMENT_MODULE: &str = "patchbay-fake:host-environment";

/// The core import module the fixed clock waits with.
pub const HOST_MONOTONIC_CLOCK_MODULE: &str = "patchbay-fake:host-monotonic-clock";

/// The seed key whose value (a decimal `u64`, nanoseconds) is the instant
/// the fixed monotonic clock is stopped at.
pub const CLOCK_NOW_KEY: &str = "patchbay:now";

/// One of the guest's three builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestModule {
    /// [`FAKES_MODULE`].
    Fakes,
    /// [`ENV_FILTER_MODULE`].
    EnvFilter,
    /// [`FIXED_CLOCK_MODULE`].
    FixedClock,
}

impl GuestModule {
    /// Its bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            GuestModule::Fakes => FAKES_MODULE,
            GuestModule::EnvFilter => ENV_FILTER_MODULE,
            GuestModule::FixedClock => FIXED_CLOCK_MODULE,
        }
    }

    /// Whether it imports the interface it stands in for from the host.
    pub fn reads_host(self) -> bool {
        self != GuestModule::Fakes
    }
}

/// The seed key whose value (a decimal `u64`) seeds the random sources.
pub const RANDOM_SEED_KEY: &str = "patchbay:seed";

/// One function of the guest module and the WIT shape it implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `func(key: string) -> option<string>`, from the map.
    KvGet,
    /// `func(key: string, value: string)`.
    KvSet,
    /// `func(key: string)`.
    KvDelete,
    /// `func(key: string) -> bool`.
    KvExists,
    /// `wasi:random/random#get-random-bytes`.
    RandomBytes,
    /// `wasi:random/random#get-random-u64`.
    RandomU64,
    /// `wasi:random/insecure#get-insecure-random-bytes`.
    InsecureRandomBytes,
    /// `wasi:random/insecure#get-insecure-random-u64`.
    InsecureRandomU64,
    /// `wasi:random/insecure-seed#insecure-seed`.
    InsecureSeed,
    /// `wasi:cli/environment#get-environment`, filtered (environment
    /// filter module).
    GetEnvironment,
    /// `wasi:cli/environment#get-arguments`: none.
    GetArguments,
    /// `wasi:cli/environment#initial-cwd`: none.
    InitialCwd,
    /// `wasi:clocks/monotonic-clock#now`: the stopped instant.
    ClockNow,
    /// `wasi:clocks/monotonic-clock#resolution`: a nanosecond.
    ClockResolution,
    /// `wasi:clocks/monotonic-clock#subscribe-duration`: the host's wait.
    ClockSubscribeDuration,
    /// `wasi:clocks/monotonic-clock#subscribe-instant`: the host's wait
    /// for the instant less the stopped one.
    ClockSubscribeInstant,
}

/// A core value type of a role's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Core {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl Role {
    /// The guest's export name.
    pub fn export(self) -> &'static str {
        match self {
            Role::KvGet => "kv-get",
            Role::KvSet => "kv-set",
            Role::KvDelete => "kv-delete",
            Role::KvExists => "kv-exists",
            Role::RandomBytes => "random-bytes",
            Role::RandomU64 => "random-u64",
            Role::InsecureRandomBytes => "insecure-random-bytes",
            Role::InsecureRandomU64 => "insecure-random-u64",
            Role::InsecureSeed => "insecure-seed",
            Role::GetEnvironment => "env-get-environment",
            Role::GetArguments => "env-get-arguments",
            Role::InitialCwd => "env-initial-cwd",
            Role::ClockNow => "clock-now",
            Role::ClockResolution => "clock-resolution",
            Role::ClockSubscribeDuration => "clock-subscribe-duration",
            Role::ClockSubscribeInstant => "clock-subscribe-instant",
        }
    }

    /// Its core parameters and results, as the canonical ABI lowers an
    /// export of its WIT shape.
    pub fn signature(self) -> (&'static [Core], &'static [Core]) {
        use Core::{I32, I64};
        match self {
            Role::KvGet => (&[I32, I32], &[I32]),
            Role::KvSet => (&[I32, I32, I32, I32], &[]),
            Role::KvDelete => (&[I32, I32], &[]),
            Role::KvExists => (&[I32, I32], &[I32]),
            Role::RandomBytes | Role::InsecureRandomBytes => (&[I64], &[I32]),
            Role::RandomU64 | Role::InsecureRandomU64 => (&[], &[I64]),
            Role::InsecureSeed | Role::GetEnvironment | Role::GetArguments | Role::InitialCwd => {
                (&[], &[I32])
            }
            Role::ClockNow | Role::ClockResolution => (&[], &[I64]),
            Role::ClockSubscribeDuration | Role::ClockSubscribeInstant => (&[I64], &[I32]),
        }
    }

    /// The build it lives in.
    pub fn module(self) -> GuestModule {
        match self {
            Role::GetEnvironment | Role::GetArguments | Role::InitialCwd => GuestModule::EnvFilter,
            Role::ClockNow
            | Role::ClockResolution
            | Role::ClockSubscribeDuration
            | Role::ClockSubscribeInstant => GuestModule::FixedClock,
            _ => GuestModule::Fakes,
        }
    }
}

/// The seed area's bytes for `entries`: a little-endian `u32` count, then
/// per entry a `u32` length and the key, a `u32` length and the value. The
/// error says how much too large it is.
pub fn encode_seed<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0; 4];
    let mut count = 0u32;
    for (key, value) in entries {
        for text in [key, value] {
            let len = u32::try_from(text.len()).map_err(|_| too_large(usize::MAX))?;
            bytes.extend(len.to_le_bytes());
            bytes.extend(text.as_bytes());
        }
        count += 1;
    }
    bytes[..4].copy_from_slice(&count.to_le_bytes());
    if bytes.len() > SEED_CAPACITY {
        return Err(too_large(bytes.len()));
    }
    Ok(bytes)
}

fn too_large(len: usize) -> String {
    format!(
        "its values take {len} bytes, and a sealed fake holds at most {SEED_CAPACITY} bytes of values"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export names of a core module.
    fn exports(module: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(module) {
            if let Ok(wasmparser::Payload::ExportSection(reader)) = payload {
                names.extend(
                    reader
                        .into_iter()
                        .map(|e| e.expect("export").name.to_string()),
                );
            }
        }
        names
    }

    #[test]
    fn each_module_exports_its_roles_the_seed_and_the_allocator() {
        let roles = [
            Role::KvGet,
            Role::KvSet,
            Role::KvDelete,
            Role::KvExists,
            Role::RandomBytes,
            Role::RandomU64,
            Role::InsecureRandomBytes,
            Role::InsecureRandomU64,
            Role::InsecureSeed,
            Role::GetEnvironment,
            Role::GetArguments,
            Role::InitialCwd,
            Role::ClockNow,
            Role::ClockResolution,
            Role::ClockSubscribeDuration,
            Role::ClockSubscribeInstant,
        ];
        for module in [
            GuestModule::Fakes,
            GuestModule::EnvFilter,
            GuestModule::FixedClock,
        ] {
            let names = exports(module.bytes());
            for role in roles.iter().filter(|r| r.module() == module) {
                assert!(
                    names.iter().any(|n| n == role.export()),
                    "{names:?} lacks {role:?}"
                );
            }
            for needed in [SEED_SYMBOL, "memory", "cabi_realloc"] {
                assert!(
                    names.iter().any(|n| n == needed),
                    "{names:?} lacks {needed}"
                );
            }
        }
    }

    #[test]
    fn each_standard_keyvalue_build_exports_its_version_whole() {
        for kv in STANDARD_KEYVALUE {
            let names = exports(kv.module);
            for function in [
                "store@V#open",
                "store@V#[method]bucket.get",
                "store@V#[method]bucket.set",
                "store@V#[method]bucket.delete",
                "store@V#[method]bucket.exists",
                "store@V#[method]bucket.list-keys",
                "store@V#[dtor]bucket",
                "atomics@V#increment",
                "batch@V#get-many",
                "batch@V#set-many",
                "batch@V#delete-many",
            ] {
                let name = format!("wasi:keyvalue/{}", function.replace('V', kv.version));
                assert!(names.contains(&name), "{names:?} lacks {name}");
            }
            for needed in [SEED_SYMBOL, "memory", "cabi_realloc"] {
                assert!(names.iter().any(|n| n == needed), "{needed}");
            }
            assert!(kv.wit[0]
                .1
                .contains(&format!("package wasi:keyvalue@{};", kv.version)));
        }
    }

    #[test]
    fn the_http_fake_exports_its_seed_and_carries_its_wit() {
        let names = exports(HTTP_FAKE_MODULE);
        for needed in [
            SEED_SYMBOL,
            "memory",
            "cabi_realloc",
            "wasi:http/outgoing-handler@0.2.12#handle",
        ] {
            assert!(
                names.iter().any(|n| n == needed),
                "{names:?} lacks {needed}"
            );
        }
        let carries_wit = wasmparser::Parser::new(0)
            .parse_all(HTTP_FAKE_MODULE)
            .any(|p| {
                matches!(p, Ok(wasmparser::Payload::CustomSection(c))
                    if c.name().starts_with("component-type"))
            });
        assert!(
            carries_wit,
            "the http fake's module has no component-type section"
        );
    }

    #[test]
    fn the_seed_is_counted_and_length_prefixed() {
        let bytes = encode_seed([("a", "1"), ("", "xy")]).expect("fits");
        assert_eq!(
            bytes,
            [2, 0, 0, 0, 1, 0, 0, 0, b'a', 1, 0, 0, 0, b'1', 0, 0, 0, 0, 2, 0, 0, 0, b'x', b'y']
        );
        assert_eq!(encode_seed([]).expect("fits"), [0, 0, 0, 0]);
        let big = "v".repeat(SEED_CAPACITY);
        let e = encode_seed([("k", big.as_str())]).unwrap_err();
        assert!(e.contains("at most 65536 bytes"), "{e}");
    }
}
