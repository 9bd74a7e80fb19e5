//! Random values for mutated projects: ids, names, positions, grants,
//! mocks and export names.

use super::*;

pub(super) fn rename_references(p: &mut Project, old: &str, new: &NodeId) {
    for w in &mut p.wires {
        for end in [&mut w.from, &mut w.to] {
            if end.node == old {
                end.node = new.clone();
            }
        }
    }
    for e in &mut p.exports {
        if e.from.node == old {
            e.from.node = new.clone();
        }
    }
    let bindings = std::mem::take(&mut p.bindings);
    p.bindings = bindings
        .into_iter()
        .map(|(mut s, b)| {
            if s.node.as_deref() == Some(old) {
                s.node = Some(new.clone());
            }
            (s, b)
        })
        .collect::<IndexMap<_, _>>();
}

/// A kebab-case id: often one that already exists somewhere.
pub(super) fn new_id(rng: &mut Rng) -> String {
    if rng.chance(2, 3) {
        rng.pick(IDS).copied().unwrap_or("a").to_string()
    } else {
        format!("n{}", rng.below(1000))
    }
}

/// [`new_id`] as a node id.
pub(super) fn new_node_id(rng: &mut Rng) -> NodeId {
    NodeId::new(new_id(rng)).expect("new_id makes kebab-case ids")
}

/// [`new_id`] as a component id.
pub(super) fn new_component_id(rng: &mut Rng) -> ComponentId {
    ComponentId::new(new_id(rng)).expect("new_id makes kebab-case ids")
}

pub(super) fn nonempty_string(rng: &mut Rng) -> String {
    let s = rng.pick(INTERESTING_STRINGS).copied().unwrap_or("x");
    if s.is_empty() {
        "x".into()
    } else {
        s.to_string()
    }
}

/// A name close to `name`: another version, cut short, or with a suffix.
pub(super) fn near_miss(rng: &mut Rng, name: &str) -> String {
    match rng.below(4) {
        0 => match name.split_once('@') {
            Some((base, _)) => format!("{base}@{}.{}.{}", rng.below(3), rng.below(3), rng.below(3)),
            None => format!("{name}@0.1.0"),
        },
        1 => match name.split_once('@') {
            Some((base, _)) => base.to_string(),
            None => format!("{name}-x"),
        },
        2 => name.to_uppercase(),
        _ => format!("{name}{}", nonempty_string(rng)),
    }
}

pub(super) fn random_position(rng: &mut Rng) -> Position {
    let coord = |rng: &mut Rng| match rng.below(4) {
        0 => 0.0,
        1 => -1e9,
        _ => (rng.below(2000) as f64) - 500.0,
    };
    Position {
        x: coord(rng),
        y: coord(rng),
    }
}

/// No name, a name like an existing export's, or an interesting string.
pub(super) fn random_export_name(rng: &mut Rng, p: &Project) -> Option<String> {
    match rng.below(4) {
        0 => None,
        1 => p
            .exports
            .get(rng.below(p.exports.len().max(1)))
            .map(|e| e.export_name().to_string())
            .filter(|n| !n.is_empty()),
        _ => Some(nonempty_string(rng)),
    }
}

pub(super) fn random_grant(rng: &mut Rng) -> Grant {
    let mut grant = Grant::default();
    for _ in 0..rng.below(3) {
        grant.env.push(
            rng.pick(&["HOME", "PATH", "é", "A B", "X_1"])
                .copied()
                .unwrap_or("HOME")
                .into(),
        );
    }
    for _ in 0..rng.below(2) {
        grant.dirs.push(DirGrant {
            host: PathBuf::from(
                rng.pick(&[".", "/tmp", "no/such", "../.."])
                    .copied()
                    .unwrap_or("."),
            ),
            guest: rng
                .pick(&["/", "/data", "/a b", "/é"])
                .copied()
                .unwrap_or("/")
                .into(),
            writable: rng.chance(1, 2),
        });
    }
    for _ in 0..rng.below(3) {
        grant.allow.push(HostPort {
            host: rng
                .pick(&["127.0.0.1", "localhost", "::1", "example.invalid"])
                .copied()
                .unwrap_or("localhost")
                .into(),
            port: rng.next_u64() as u16,
        });
    }
    grant.clock = match rng.below(3) {
        0 => None,
        1 => Some(ClockSetting::Real),
        _ => Some(ClockSetting::Fixed {
            // The project file holds integers up to `i64::MAX` (validate
            // refuses larger ones), so generated values stay within it.
            unix_ms: rng.next_u64() >> rng.below(64).max(1),
        }),
    };
    grant.random = match rng.below(3) {
        0 => None,
        1 => Some(RandomSetting::Real),
        _ => Some(RandomSetting::Seeded(rng.next_u64() >> 1)),
    };
    grant
}

pub(super) fn wave(rng: &mut Rng) -> String {
    rng.pick(WAVE).copied().unwrap_or("0").to_string()
}

pub(super) fn random_mock(rng: &mut Rng, functions: &[String]) -> Mock {
    let mut mock = Mock {
        fake: if rng.chance(1, 2) {
            rng.pick(&Fake::ALL).copied()
        } else {
            None
        },
        ..Mock::default()
    };
    for _ in 0..rng.below(3) {
        let name = match rng.pick(functions) {
            Some(f) if rng.chance(3, 4) => f.clone(),
            _ => nonempty_string(rng),
        };
        let behavior = match rng.below(4) {
            0 => MockBehavior::Returns(wave(rng)),
            1 => MockBehavior::Sequence((0..rng.between(1, 3)).map(|_| wave(rng)).collect()),
            2 => MockBehavior::Match {
                cases: (0..rng.between(1, 2))
                    .map(|_| MockCase {
                        args: wave(rng),
                        returns: wave(rng),
                    })
                    .collect(),
                otherwise: if rng.chance(1, 2) {
                    Some(wave(rng))
                } else {
                    None
                },
            },
            _ => MockBehavior::Trap(nonempty_string(rng)),
        };
        mock.functions.insert(name, behavior);
    }
    if mock.fake.is_none() && mock.functions.is_empty() {
        mock.fake = Some(Fake::KeyValue);
    }
    for _ in 0..rng.below(2) {
        mock.values
            .insert(nonempty_string(rng), nonempty_string(rng));
    }
    for _ in 0..rng.below(2) {
        mock.responses.insert(
            format!("http://{}/", nonempty_string(rng)),
            CannedResponse {
                status: rng.between(100, 599) as u16,
                body: rng.pick(&["", "ok", "a b"]).copied().unwrap_or("").into(),
            },
        );
    }
    mock
}
