//! A green `check` means it runs: over random projects built from the
//! sample components, `check` reports no error **if and only if** the
//! project composes and the host prepares it to run
//! (`Host::prepare`, what `patchbay call` uses, and `prepare_traced`),
//! and the composition can be described as WIT (`compose --wit`, the app).
//!
//! Each case is one seed. A third of the cases are built from valid parts
//! only (they must pass `check` and run), a third are such projects with
//! one known fault added (`check` must report it with its code), and a
//! third are anything at all: random wires between any ports, random
//! bindings (grant, deny, leave, mock, fakes, mock values valid and not),
//! random export names. Every error `check` pins to the project file must
//! be found in its text.
//!
//! `PATCHBAY_CHECK_CASES=5000` runs more cases (the default keeps the test
//! short); `PATCHBAY_CHECK_SEED=123` replays one case, and prints its
//! project file.

use patchbay_compose::{locate, Problem, WaveType, Workspace};
use patchbay_host::{Host, HostOptions};
use rand::rngs::StdRng;
use rand::seq::{IndexedMutRandom, IndexedRandom};
use rand::{RngExt, SeedableRng};
use std::fmt::Write as _;
use std::path::Path;

mod cases;

/// Cases run when `PATCHBAY_CHECK_CASES` is not set.
const DEFAULT_CASES: u64 = 60;

/// A sample component and the ports it has (read from the component).
struct Sample {
    name: &'static str,
    path: String,
    /// Non-type imports: `(name, is WASI, functions with result types)`.
    imports: Vec<Port>,
    exports: Vec<String>,
}

#[derive(Clone)]
struct Port {
    name: String,
    types_only: bool,
    functions: Vec<Function>,
}

#[derive(Clone)]
struct Function {
    name: String,
    constructor: bool,
    params: Vec<WaveType>,
    result: Option<WaveType>,
}

/// The built sample `name` of this checkout (the build cache may be shared
/// with another clone, whose samples the constants then name).
fn sample_path(name: &str, built: &str) -> String {
    let local = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/wasm")
        .join(format!("{name}.wasm"));
    match local.canonicalize() {
        Ok(p) => p.display().to_string(),
        Err(_) => built.to_string(),
    }
}

fn samples() -> Vec<Sample> {
    // One project listing every sample, to read their ports.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("version = 1\nname = \"ports\"\n");
    for (name, path) in patchbay_test_programs::ALL {
        let path = sample_path(name, path);
        writeln!(text, "[components.{name}]\npath = {}", quote(&path)).unwrap();
    }
    std::fs::write(dir.path().join("patchbay.toml"), text).unwrap();
    let ws = Workspace::open(patchbay_project::load(dir.path()).unwrap());
    patchbay_test_programs::ALL
        .iter()
        .map(|(name, path)| {
            let part = ws.part(name).unwrap().as_ref().unwrap();
            Sample {
                name,
                path: sample_path(name, path),
                imports: part
                    .imports
                    .iter()
                    .map(|p| Port {
                        name: p.name.clone(),
                        types_only: p.types_only,
                        functions: p
                            .functions
                            .iter()
                            .map(|f| Function {
                                name: f.name.clone(),
                                constructor: f.is_constructor(),
                                params: f.params.iter().map(|(_, t)| t.clone()).collect(),
                                result: f.result.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
                exports: part.exports.iter().map(|p| p.name.clone()).collect(),
            }
        })
        .collect()
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_wasi(import: &str) -> bool {
    import.starts_with("wasi:")
}

/// A WAVE value of `ty`, valid by construction; `None` when WAVE has no
/// text for it (a resource handle).
fn value(rng: &mut StdRng, ty: &WaveType, depth: usize) -> Option<String> {
    Some(match ty {
        WaveType::Bool => ["true", "false"].choose(rng)?.to_string(),
        WaveType::U8 | WaveType::U16 | WaveType::U32 | WaveType::U64 => {
            rng.random_range(0..200u32).to_string()
        }
        WaveType::S8 | WaveType::S16 | WaveType::S32 | WaveType::S64 => {
            rng.random_range(-100..100i32).to_string()
        }
        WaveType::F32 | WaveType::F64 => {
            ["1.5", "-0.25", "0", "nan", "inf"].choose(rng)?.to_string()
        }
        WaveType::Char => ["'a'", "'\\n'", "'é'"].choose(rng)?.to_string(),
        WaveType::String => ["\"\"", "\"hello\"", "\"a \\\"quoted\\\" b\"", "\"ünï\""]
            .choose(rng)?
            .to_string(),
        WaveType::List(t) => {
            let n = if depth > 3 { 0 } else { rng.random_range(0..3) };
            let items: Option<Vec<String>> = (0..n).map(|_| value(rng, t, depth + 1)).collect();
            format!("[{}]", items?.join(", "))
        }
        WaveType::FixedList(_) | WaveType::Unsupported => return None,
        WaveType::Record(fields) => {
            let mut parts = Vec::new();
            for (name, t) in fields {
                if matches!(t, WaveType::Option(_)) && rng.random_bool(0.3) {
                    continue;
                }
                parts.push(format!("{name}: {}", value(rng, t, depth + 1)?));
            }
            if parts.is_empty() {
                "{:}".to_string()
            } else {
                format!("{{{}}}", parts.join(", "))
            }
        }
        WaveType::Tuple(items) => {
            let items: Option<Vec<String>> =
                items.iter().map(|t| value(rng, t, depth + 1)).collect();
            format!("({})", items?.join(", "))
        }
        WaveType::Variant(cases) => {
            let usable: Vec<_> = cases
                .iter()
                .filter_map(|(n, t)| match t {
                    None => Some(n.clone()),
                    Some(t) => value(rng, t, depth + 1).map(|v| format!("{n}({v})")),
                })
                .collect();
            usable.choose(rng)?.clone()
        }
        WaveType::Enum(cases) => cases.choose(rng)?.clone(),
        WaveType::Option(t) => match rng.random_bool(0.5) {
            true => "none".to_string(),
            false => format!("some({})", value(rng, t, depth + 1).unwrap_or_default())
                .replace("some()", "none"),
        },
        WaveType::Result { ok, err } => {
            let side = |rng: &mut StdRng, name: &str, t: &Option<Box<WaveType>>| match t {
                None => Some(name.to_string()),
                Some(t) => value(rng, t, depth + 1).map(|v| format!("{name}({v})")),
            };
            let first_ok = rng.random_bool(0.5);
            let (a, b) = if first_ok {
                ("ok", "err")
            } else {
                ("err", "ok")
            };
            let (ta, tb) = if first_ok { (ok, err) } else { (err, ok) };
            side(rng, a, ta).or_else(|| side(rng, b, tb))?
        }
        WaveType::Flags(names) => {
            let picked: Vec<&str> = names
                .iter()
                .filter(|_| rng.random_bool(0.5))
                .map(String::as_str)
                .collect();
            format!("{{{}}}", picked.join(", "))
        }
    })
}

/// A function's value: `()` for one that returns nothing.
fn result_value(rng: &mut StdRng, f: &Function) -> Option<String> {
    match &f.result {
        None => Some("()".into()),
        Some(t) => value(rng, t, 0),
    }
}

/// Text that is no WAVE value of any type.
fn broken_value(rng: &mut StdRng) -> String {
    ["some((((", "(((", "[1, ", "ok(", "{x: }", "]"]
        .choose(rng)
        .unwrap()
        .to_string()
}

/// Text that may or may not be a value of the type.
fn any_value(rng: &mut StdRng, f: &Function) -> String {
    match rng.random_range(0..4) {
        0 => broken_value(rng),
        1 => [
            "42", "\"x\"", "none", "()", "true", "ok", "{a: 1}", "[]", "eu",
        ]
        .choose(rng)
        .unwrap()
        .to_string(),
        _ => result_value(rng, f).unwrap_or_else(|| "0".into()),
    }
}

/// One node of a generated project.
struct Node {
    id: String,
    sample: usize,
}

/// A project being generated: nodes, wires and exports as entries, and
/// bindings as whole `[bindings."…"]` tables.
#[derive(Default)]
struct Draft {
    nodes: Vec<Node>,
    wires: Vec<(String, String)>,
    exports: Vec<(String, Option<String>)>,
    bindings: Vec<(String, String)>,
}

impl Draft {
    fn text(&self, samples: &[Sample]) -> String {
        let mut t = String::from("version = 1\nname = \"generated\"\n");
        let mut used: Vec<usize> = self.nodes.iter().map(|n| n.sample).collect();
        used.sort();
        used.dedup();
        for s in used {
            let s = &samples[s];
            writeln!(t, "\n[components.{}]\npath = {}", s.name, quote(&s.path)).unwrap();
        }
        for n in &self.nodes {
            writeln!(
                t,
                "\n[nodes.{}]\ncomponent = \"{}\"",
                n.id, samples[n.sample].name
            )
            .unwrap();
        }
        for (from, to) in &self.wires {
            writeln!(t, "\n[[wires]]\nfrom = {}\nto = {}", quote(from), quote(to)).unwrap();
        }
        for (from, name) in &self.exports {
            writeln!(t, "\n[[exports]]\nfrom = {}", quote(from)).unwrap();
            if let Some(name) = name {
                writeln!(t, "as = {}", quote(name)).unwrap();
            }
        }
        for (selector, body) in &self.bindings {
            writeln!(t, "\n[bindings.{}]\n{body}", quote(selector)).unwrap();
        }
        t
    }

    fn wired(&self, node: &str, import: &str) -> bool {
        let to = format!("{node}.{import}");
        self.wires.iter().any(|(_, t)| *t == to)
    }
}

/// A mock binding's body that answers every function with a valid value,
/// if WAVE can write them all (and there is a function to answer).
fn valid_mock(rng: &mut StdRng, port: &Port) -> Option<String> {
    if port.functions.iter().all(|f| f.constructor) {
        return None;
    }
    let mut body = String::from("mode = \"mock\"\n");
    for f in &port.functions {
        if f.constructor {
            continue;
        }
        let key = quote(&f.name);
        match rng.random_range(0..4) {
            0 => writeln!(body, "functions.{key} = {{ trap = \"not here\" }}").unwrap(),
            1 => {
                let a = result_value(rng, f)?;
                let b = result_value(rng, f)?;
                writeln!(
                    body,
                    "functions.{key} = {{ sequence = [{}, {}] }}",
                    quote(&a),
                    quote(&b)
                )
                .unwrap()
            }
            2 if !f.params.is_empty() => {
                let args: Option<Vec<String>> = f.params.iter().map(|t| value(rng, t, 0)).collect();
                let args = format!("({})", args?.join(", "));
                let ret = result_value(rng, f)?;
                writeln!(
                    body,
                    "functions.{key} = {{ cases = [{{ args = {}, returns = {} }}] }}",
                    quote(&args),
                    quote(&ret)
                )
                .unwrap()
            }
            _ => writeln!(
                body,
                "functions.{key} = {{ returns = {} }}",
                quote(&result_value(rng, f)?)
            )
            .unwrap(),
        }
    }
    Some(body)
}

/// A binding body for an import, from every kind there is, right or wrong.
fn any_binding(rng: &mut StdRng, port: &Port) -> String {
    let fake = ["kv", "log", "config", "clock", "random", "http"]
        .choose(rng)
        .unwrap();
    match rng.random_range(0..9) {
        0 => "mode = \"grant\"\n".into(),
        1 => "mode = \"deny\"\n".into(),
        2 => "mode = \"leave\"\n".into(),
        3 => format!("mode = \"mock\"\nfake = \"{fake}\"\n"),
        4 | 5 => valid_mock(rng, port).unwrap_or_else(|| "mode = \"deny\"\n".into()),
        _ => {
            let mut body = String::from("mode = \"mock\"\n");
            if rng.random_bool(0.3) {
                writeln!(body, "fake = \"{fake}\"").unwrap();
            }
            let mut any = false;
            for f in &port.functions {
                if rng.random_bool(0.5) {
                    any = true;
                    let v = any_value(rng, f);
                    writeln!(
                        body,
                        "functions.{} = {{ returns = {} }}",
                        quote(&f.name),
                        quote(&v)
                    )
                    .unwrap();
                }
            }
            if rng.random_bool(0.15) || !any {
                writeln!(body, "functions.frobnicate = {{ returns = \"()\" }}").unwrap();
            }
            body
        }
    }
}

/// A fault added to a valid project, and the code `check` must report.
#[derive(Debug, Clone, Copy)]
enum Fault {
    BadWave,
    GrantNotWasi,
    LogFakeWithValues,
    UnknownMockFunction,
    ExportNameInvalid,
    ExportNameTaken,
}

impl Fault {
    fn code(self) -> &'static str {
        match self {
            Fault::BadWave => "mock-value",
            Fault::GrantNotWasi => "grant-not-capability",
            Fault::LogFakeWithValues => "fake-mismatch",
            Fault::UnknownMockFunction => "mock-unknown-function",
            Fault::ExportNameInvalid => "invalid-export-name",
            Fault::ExportNameTaken => "duplicate-export",
        }
    }
}

/// A project made of valid parts only: wires between matching ports down
/// the node order (no cycles, one wire per import), every WASI import
/// granted, every other unwired import mocked with valid values, denied or
/// left open,
/// exports under fresh names.
fn valid_project(rng: &mut StdRng, samples: &[Sample]) -> Draft {
    let mut d = Draft::default();
    for i in 0..rng.random_range(1..=4) {
        d.nodes.push(Node {
            id: format!("n{i}"),
            sample: rng.random_range(0..samples.len()),
        });
    }
    for (j, to) in d.nodes.iter().enumerate() {
        for port in &samples[to.sample].imports {
            if is_wasi(&port.name) || port.types_only || rng.random_bool(0.3) {
                continue;
            }
            let feeders: Vec<&Node> = d.nodes[..j]
                .iter()
                .filter(|n| samples[n.sample].exports.contains(&port.name))
                .collect();
            if let Some(from) = feeders.choose(rng) {
                d.wires.push((
                    format!("{}.{}", from.id, port.name),
                    format!("{}.{}", to.id, port.name),
                ));
            }
        }
    }
    let mut mocked = Vec::new();
    for n in &d.nodes {
        for port in &samples[n.sample].imports {
            if is_wasi(&port.name) || port.types_only || d.wired(&n.id, &port.name) {
                continue;
            }
            // Leaving an import open that the host cannot provide is
            // valid: the composition imports it, and a run fails only a
            // call to it.
            let body = match rng.random_range(0..4) {
                0 => None,
                1 => Some("mode = \"leave\"\n".to_string()),
                _ if port.name == "patchbay:kv/store" && rng.random_bool(0.5) => {
                    Some("mode = \"mock\"\nfake = \"kv\"\n".to_string())
                }
                _ => valid_mock(rng, port),
            }
            .unwrap_or_else(|| "mode = \"deny\"\n".into());
            mocked.push((format!("{}.{}", n.id, port.name), body));
        }
    }
    d.bindings.extend(mocked);
    // Sometimes one node denies an interface the others are granted: a
    // composed run cannot, so the host runs such projects traced.
    if d.nodes.len() > 1 && rng.random_bool(0.4) {
        let node = &d.nodes.choose(rng).unwrap().id;
        d.bindings.push((
            format!("{node}.wasi:cli/environment@*"),
            "mode = \"deny\"\n".into(),
        ));
    }
    d.bindings
        .push(("*.wasi:*".into(), "mode = \"grant\"\n".into()));
    // Each interface is exported once: WIT cannot describe one that uses
    // another interface's types twice, and `check` refuses that.
    let mut k = 0;
    let mut exported = Vec::new();
    for n in &d.nodes {
        for e in &samples[n.sample].exports {
            if (!e.contains('/') || !exported.contains(e)) && rng.random_bool(0.6) {
                exported.push(e.clone());
                d.exports
                    .push((format!("{}.{e}", n.id), Some(format!("e{k}"))));
                k += 1;
            }
        }
    }
    d
}

/// Adds `fault` to a valid project, if the project has a place for it.
fn add_fault(rng: &mut StdRng, d: &mut Draft, samples: &[Sample], fault: Fault) -> bool {
    // Unwired, non-WASI, non-type imports: where binding faults go.
    let open: Vec<(String, Port)> = d
        .nodes
        .iter()
        .flat_map(|n| {
            samples[n.sample]
                .imports
                .iter()
                .filter(|p| !is_wasi(&p.name) && !p.types_only && !d.wired(&n.id, &p.name))
                .map(|p| (format!("{}.{}", n.id, p.name), p.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let rebind = |d: &mut Draft, selector: &str, body: String| {
        d.bindings.retain(|(s, _)| s != selector);
        d.bindings.insert(0, (selector.to_string(), body));
    };
    match fault {
        Fault::BadWave => {
            let valued: Vec<&(String, Port)> = open
                .iter()
                .filter(|(_, p)| p.functions.iter().any(|f| !f.constructor))
                .collect();
            let Some((selector, port)) = valued.choose(rng) else {
                return false;
            };
            let f = port.functions.iter().find(|f| !f.constructor).unwrap();
            let body = format!(
                "mode = \"mock\"\nfunctions.{} = {{ returns = {} }}\n",
                quote(&f.name),
                quote(&broken_value(rng))
            );
            rebind(d, selector, body);
        }
        Fault::GrantNotWasi => {
            let Some((selector, _)) = open.choose(rng) else {
                return false;
            };
            rebind(d, selector, "mode = \"grant\"\n".into());
        }
        Fault::LogFakeWithValues => {
            let valued: Vec<&(String, Port)> = open
                .iter()
                .filter(|(_, p)| {
                    p.functions
                        .iter()
                        .any(|f| f.result.is_some() && !f.constructor)
                })
                .collect();
            let Some((selector, _)) = valued.choose(rng) else {
                return false;
            };
            rebind(d, selector, "mode = \"mock\"\nfake = \"log\"\n".into());
        }
        Fault::UnknownMockFunction => {
            let Some((selector, _)) = open.choose(rng) else {
                return false;
            };
            rebind(
                d,
                selector,
                "mode = \"mock\"\nfunctions.frobnicate = { trap = \"no\" }\n".into(),
            );
        }
        Fault::ExportNameInvalid => {
            let Some(e) = d.exports.choose_mut(rng) else {
                return false;
            };
            e.1 = Some(
                ["!", "Mixed-Case", "two words", "[method]a.b", ""]
                    .choose(rng)
                    .unwrap()
                    .to_string(),
            );
        }
        Fault::ExportNameTaken => {
            if d.exports.len() < 2 {
                return false;
            }
            let taken = d.exports[0].1.clone().unwrap_or_default().to_uppercase();
            d.exports.last_mut().unwrap().1 = Some(taken);
        }
    }
    true
}

/// Anything at all: random nodes, wires between any ports (matching or
/// not, cycles, self wires, wires into one import twice), any binding of
/// any import (or none), exports of anything under any name.
fn random_project(rng: &mut StdRng, samples: &[Sample]) -> Draft {
    let mut d = Draft::default();
    for i in 0..rng.random_range(1..=5) {
        d.nodes.push(Node {
            id: format!("n{i}"),
            sample: rng.random_range(0..samples.len()),
        });
    }
    for _ in 0..rng.random_range(0..6) {
        let from = d.nodes.choose(rng).unwrap();
        let to = d.nodes.choose(rng).unwrap();
        let imports: Vec<&Port> = samples[to.sample].imports.iter().collect();
        let Some(import) = imports.choose(rng) else {
            continue;
        };
        let exports = &samples[from.sample].exports;
        let export = if exports.contains(&import.name) && rng.random_bool(0.7) {
            import.name.clone()
        } else {
            exports
                .choose(rng)
                .cloned()
                .unwrap_or_else(|| "nothing".into())
        };
        d.wires.push((
            format!("{}.{export}", from.id),
            format!("{}.{}", to.id, import.name),
        ));
    }
    for n in &d.nodes {
        for port in &samples[n.sample].imports {
            if d.wired(&n.id, &port.name) || (is_wasi(&port.name) && rng.random_bool(0.85)) {
                continue;
            }
            if rng.random_bool(0.08) {
                continue; // unbound
            }
            let body = any_binding(rng, port);
            d.bindings.push((format!("{}.{}", n.id, port.name), body));
        }
    }
    if rng.random_bool(0.9) {
        let mode = ["grant", "grant", "grant", "deny", "leave"]
            .choose(rng)
            .unwrap();
        d.bindings
            .push(("*.wasi:*".into(), format!("mode = \"{mode}\"\n")));
    }
    if rng.random_bool(0.2) {
        let kv = [
            "mode = \"mock\"\nfake = \"kv\"\n",
            "mode = \"deny\"\n",
            "mode = \"leave\"\n",
        ]
        .choose(rng)
        .unwrap();
        d.bindings
            .push(("*.patchbay:kv/store".into(), kv.to_string()));
    }
    let names = [
        None,
        None,
        Some("api"),
        Some("run-it"),
        Some("STORE"),
        Some("store"),
        Some("!"),
        Some("my:pkg/api"),
        Some("a:b/c@1.0.0"),
        Some("[static]x.y"),
        Some("e0"),
    ];
    for _ in 0..rng.random_range(0..4) {
        let n = d.nodes.choose(rng).unwrap();
        let Some(e) = samples[n.sample].exports.choose(rng) else {
            continue;
        };
        let name = names.choose(rng).unwrap().map(String::from);
        d.exports.push((format!("{}.{e}", n.id), name));
    }
    d
}
