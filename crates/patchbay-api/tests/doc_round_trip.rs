//! Any document the API accepts survives save → open as the same document
//! (issue 9). Documents are generated from small pools of good and bad
//! values (ids, selectors, env names, guest paths, hosts, mock shapes), so
//! many are accepted and many break one rule; a refused one must be refused
//! by the file loader too.
//!
//! `PATCHBAY_ROUNDTRIP_CASES` sets the number of documents (default 5000).

use patchbay_api::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A value from `good` mostly, from `bad` about one time in thirteen, so
/// that a good share of documents is accepted and each rule gets broken.
fn pick(pool: &'static [&'static [&'static str]; 2]) -> impl Strategy<Value = String> {
    prop_oneof![
        12 => proptest::sample::select(pool[0]),
        1 => proptest::sample::select(pool[1]),
    ]
    .prop_map(str::to_string)
}

// Each pool: `[good, bad]`; the good ones include text awkward to write as
// TOML.
const IDS: &[&[&str]; 2] = &[
    &["memory", "service", "kv-memory", "svc2", "a"],
    &["Not Kebab", "", "x-"],
];
const TEXT: &[&[&str]; 2] = &[
    &[
        "",
        "hello",
        "some(\"1\")",
        "a \"quoted\" b",
        "back\\slash",
        "line\nbreak",
        "tab\there",
    ],
    &["ünïcødé", "[]", "'single'", "#hash", "="],
];
const PORTS: &[&[&str]; 2] = &[
    &[
        "patchbay:kv/store",
        "wasi:cli/environment@0.2.6",
        "handle-request",
        "a.b.c",
    ],
    &[""],
];
const SELECTORS: &[&[&str]; 2] = &[
    &[
        "service.wasi:cli/environment@0.2.6",
        "memory.wasi:filesystem/*",
        "*.wasi:*",
        "service.*",
        "*.*",
        "service.patchbay:kv/store",
    ],
    &["service.a*b*", "nodot", "Bad Node.x"],
];
const ENV: &[&[&str]; 2] = &[
    &["HOME", "GREETING", "X_1", "with space"],
    &["A=B", "", "nul\0"],
];
const GUESTS: &[&[&str]; 2] = &[&["/data", "/", "/a b"], &["data", ""]];
const HOSTS: &[&[&str]; 2] = &[
    &["data", "../shared", "C:\\data", "dir/with space"],
    &["", " "],
];
const ALLOW: &[&[&str]; 2] = &[
    &["127.0.0.1:8080", "[::1]:9000", "example.com:443", "[x]:80"],
    &["example.com", "host:99999", "[]:1"],
];
const RESPONSES: &[&[&str]; 2] = &[
    &["200 hello", "404", "200  two spaces", "599 x"],
    &["99 too low", "ok"],
];
// Argument presets: the function, the name, the WAVE arguments.
const CALLS: &[&[&str]; 2] = &[
    &["handle-request", "patchbay:sandbox/probe#run-all", "get"],
    &["", "get a", "f()"],
];
const PRESET_NAMES: &[&[&str]; 2] = &[
    &["get a", "quoted \"x\"", "ünïcødé", "'single'", "#1 = [a]"],
    &["", "two\nlines"],
];
const PRESET_ARGS: &[&[&str]; 2] = &[
    &[
        "",
        "\"get a\"",
        "1, [2, 3]",
        "some(\"it's\")",
        "{a: 1}",
        "'\\n'",
    ],
    &["\"open", "(", "1,,"],
];
const FUNCTIONS: &[&[&str]; 2] = &[&["get", "set", "book.balance", "get-environment"], &[""]];

fn fake() -> impl Strategy<Value = FakeName> {
    prop_oneof![
        Just(FakeName::Kv),
        Just(FakeName::Log),
        Just(FakeName::Config),
        Just(FakeName::Clock),
        Just(FakeName::Random),
        Just(FakeName::Http),
    ]
}

fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(-12.5), Just(1e300), -1e6f64..1e6]
}

fn big() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0), Just(i64::MAX as u64), Just(u64::MAX), any::<u64>()]
}

fn behavior() -> impl Strategy<Value = MockBehavior> {
    prop_oneof![
        pick(TEXT).prop_map(|value| MockBehavior::Returns { value }),
        prop::collection::vec(pick(TEXT), 0..3)
            .prop_map(|values| MockBehavior::Sequence { values }),
        (
            prop::collection::vec(
                (pick(TEXT), pick(TEXT)).prop_map(|(args, returns)| MockCase { args, returns }),
                0..3
            ),
            prop::option::of(pick(TEXT))
        )
            .prop_map(|(cases, otherwise)| MockBehavior::Match { cases, otherwise }),
        pick(TEXT).prop_map(|message| MockBehavior::Trap { message }),
    ]
}

fn key_values(
    values: &'static [&'static [&'static str]; 2],
) -> impl Strategy<Value = Vec<KeyValue>> {
    prop::collection::vec(
        (pick(TEXT), pick(values)).prop_map(|(key, value)| KeyValue { key, value }),
        0..3,
    )
}

fn binding() -> impl Strategy<Value = Binding> {
    let grant = (
        prop::collection::vec(pick(ENV), 0..3),
        prop::collection::vec(
            (pick(HOSTS), pick(GUESTS), any::<bool>()).prop_map(|(host, guest, writable)| {
                DirGrant {
                    host,
                    guest,
                    writable,
                }
            }),
            0..3,
        ),
        prop::collection::vec(pick(ALLOW), 0..3),
        prop::option::of(prop_oneof![
            Just(ClockSetting::Real),
            big().prop_map(|unix_ms| ClockSetting::Fixed { unix_ms })
        ]),
        prop::option::of(prop_oneof![
            Just(RandomSetting::Real),
            big().prop_map(|seed| RandomSetting::Seeded { seed })
        ]),
        prop::option::of(pick(HOSTS)),
        prop::collection::vec(pick(ENV), 0..3),
        key_values(TEXT),
        prop::option::of(pick(ENV)),
    )
        .prop_map(
            |(env, dirs, allow, clock, random, store, buckets, config, config_prefix)| {
                Binding::Grant(Grant {
                    env,
                    dirs,
                    allow,
                    clock,
                    random,
                    store,
                    buckets,
                    config,
                    config_prefix,
                })
            },
        );
    let mock = (
        prop::option::of(fake()),
        prop::collection::vec(
            (pick(FUNCTIONS), behavior())
                .prop_map(|(name, behavior)| MockFunction { name, behavior }),
            0..3,
        ),
        key_values(TEXT),
        key_values(RESPONSES),
    )
        .prop_map(|(fake, functions, values, responses)| {
            Binding::Mock(Mock {
                fake,
                functions,
                values,
                responses,
            })
        });
    prop_oneof![Just(Binding::Leave), Just(Binding::Deny), grant, mock]
}

fn port_addr() -> impl Strategy<Value = PortAddr> {
    (pick(IDS), pick(PORTS)).prop_map(|(node, port)| PortAddr { node, port })
}

fn document() -> impl Strategy<Value = ProjectDoc> {
    (
        pick(IDS),
        prop::collection::vec(
            (
                pick(IDS),
                pick(HOSTS),
                prop::option::of(pick(TEXT)),
                prop::collection::vec(pick(HOSTS), 0..2),
                prop::option::of(pick(TEXT)),
            )
                .prop_map(|(id, path, build, watch, hash)| ComponentEntry {
                    id,
                    path,
                    build,
                    watch,
                    hash,
                }),
            0..3,
        ),
        prop::collection::vec(
            (pick(IDS), pick(IDS), coordinate(), coordinate()).prop_map(|(id, component, x, y)| {
                NodeEntry {
                    id,
                    component,
                    x,
                    y,
                }
            }),
            0..3,
        ),
        prop::collection::vec(
            (port_addr(), port_addr()).prop_map(|(from, to)| WireEntry { from, to }),
            0..3,
        ),
        prop::collection::vec(
            (port_addr(), prop::option::of(pick(TEXT)))
                .prop_map(|(from, name)| ExportEntry { from, name }),
            0..2,
        ),
        prop::collection::vec(
            (pick(SELECTORS), binding())
                .prop_map(|(selector, binding)| BindingEntry { selector, binding }),
            0..4,
        ),
        prop::collection::vec(
            (fake(), coordinate(), coordinate()).prop_map(|(fake, x, y)| FakeNodeEntry {
                fake,
                x,
                y,
            }),
            0..2,
        ),
        prop::collection::vec(
            (pick(CALLS), pick(PRESET_NAMES), pick(PRESET_ARGS)).prop_map(
                |(function, name, args)| PresetEntry {
                    function,
                    name,
                    args,
                },
            ),
            0..3,
        ),
    )
        .prop_map(
            |(name, components, nodes, wires, exports, bindings, fake_nodes, presets)| ProjectDoc {
                name,
                components,
                nodes,
                wires,
                exports,
                bindings,
                fake_nodes,
                presets,
                composites: Vec::new(),
            },
        )
}

#[test]
fn every_accepted_document_saves_and_opens_as_the_same_document() {
    let cases = std::env::var("PATCHBAY_ROUNDTRIP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let accepted = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let path = Path::new("patchbay.toml");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&document(), |doc| {
        match doc.to_model() {
            Ok(project) => {
                accepted.fetch_add(1, Ordering::Relaxed);
                // What `save` writes and `open` reads.
                let text = patchbay_project::to_toml_checked(&project, path)
                    .map_err(|e| TestCaseError::fail(format!("accepted but not saved: {e}")))?;
                let (back, _) = patchbay_project::parse(&text, path).map_err(|e| {
                    TestCaseError::fail(format!("saved but does not open: {e}\n{text}"))
                })?;
                prop_assert_eq!(&back, &project, "{}", text);
                prop_assert_eq!(
                    ProjectDoc::from_model(&back),
                    ProjectDoc::from_model(&project)
                );
            }
            Err(e) => {
                refused.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(e.code.as_str(), "bad-request");
                prop_assert!(!e.message.is_empty());
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (accepted, refused) = (accepted.into_inner(), refused.into_inner());
    // The pools must exercise both sides, or the property says little.
    assert!(
        accepted * 10 >= cases as usize && refused * 10 >= cases as usize,
        "accepted {accepted}, refused {refused} of {cases}"
    );
}
