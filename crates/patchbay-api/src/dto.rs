//! Request and response types of the editor's commands.
//!
//! These are boundary types: the domain types of the core crates stay free
//! of IPC concerns and are converted here explicitly. Every type derives
//! [`TS`], and `ui/src/bindings/types.ts` is generated from them.

use crate::ApiError;
use indexmap::IndexMap;
use patchbay_project as model;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

// ---------------------------------------------------------------------------
// The editable document

/// A port of a node: an import or export name of the node's component.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct PortAddr {
    /// Node id.
    pub node: String,
    /// WIT import or export name (`patchbay:kv/store`, `handle-request`).
    pub port: String,
}

impl PortAddr {
    pub(crate) fn to_model(&self) -> Result<model::PortRef, ApiError> {
        model::check_id(&self.node)
            .map_err(|e| ApiError::bad_request(format!("node id `{}`: {e}", self.node)))?;
        if self.port.is_empty() {
            return Err(ApiError::bad_request(format!(
                "a port of node `{}` has no name",
                self.node
            )));
        }
        Ok(model::PortRef::new(&self.node, &self.port))
    }

    /// The port as the model holds it; [`model::Project::validate`] checks it.
    fn to_model_unchecked(&self) -> model::PortRef {
        model::PortRef::new(&self.node, &self.port)
    }

    fn from_model(port: &model::PortRef) -> Self {
        Self {
            node: port.node.clone(),
            port: port.port.clone(),
        }
    }
}

/// The project as the editor edits it; mirrors `patchbay.toml` version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDoc {
    /// Project name (kebab-case).
    pub name: String,
    /// Component files.
    pub components: Vec<ComponentEntry>,
    /// Nodes on the canvas.
    pub nodes: Vec<NodeEntry>,
    /// Wires from an export to an import.
    pub wires: Vec<WireEntry>,
    /// Exports of the composition.
    pub exports: Vec<ExportEntry>,
    /// Bindings of unwired imports, in file order.
    pub bindings: Vec<BindingEntry>,
    /// Where the editor draws each built-in fake's node (`[fake-nodes]`).
    /// Absent in documents written before it existed (recovery files).
    #[serde(default)]
    pub fake_nodes: Vec<FakeNodeEntry>,
}

/// A built-in fake drawn as a node, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FakeNodeEntry {
    /// Which fake.
    pub fake: FakeName,
    /// Horizontal position.
    pub x: f64,
    /// Vertical position.
    pub y: f64,
}

/// A component file of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ComponentEntry {
    /// Component id (kebab-case).
    pub id: String,
    /// Path as written in the project: relative to the project file.
    pub path: String,
    /// Shell command that rebuilds the file.
    pub build: Option<String>,
    /// Sources whose changes call for a rebuild.
    pub watch: Vec<String>,
    /// Content hash recorded when the project was saved.
    pub hash: Option<String>,
}

/// A node: an instance of a component, placed on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeEntry {
    /// Node id (kebab-case).
    pub id: String,
    /// Component id.
    pub component: String,
    /// Horizontal position.
    pub x: f64,
    /// Vertical position.
    pub y: f64,
}

/// A wire: `from` (an export) feeds `to` (an import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WireEntry {
    /// The exporting side.
    pub from: PortAddr,
    /// The importing side.
    pub to: PortAddr,
}

/// An export of the composition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportEntry {
    /// The node export re-exported.
    pub from: PortAddr,
    /// Its name in the composition, if renamed.
    pub name: Option<String>,
}

/// A binding and the imports it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BindingEntry {
    /// `node.import`, `*.import`, `node.prefix*` or `*.prefix*`.
    pub selector: String,
    /// What happens to the selected imports.
    pub binding: Binding,
}

/// What happens to an unwired import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Binding {
    /// Stays an import of the composition.
    Leave,
    /// Calls fail with "capability denied".
    Deny,
    /// A real host capability, scoped.
    Grant(Grant),
    /// Canned answers or a built-in fake.
    Mock(Mock),
}

/// Scope of a granted capability.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Grant {
    /// Environment variables the guest may read.
    pub env: Vec<String>,
    /// Folders shared with the guest.
    pub dirs: Vec<DirGrant>,
    /// `host:port` peers reachable by sockets or outgoing HTTP.
    pub allow: Vec<String>,
    /// The clock the guest sees.
    pub clock: Option<ClockSetting>,
    /// The random source the guest sees.
    pub random: Option<RandomSetting>,
}

/// A folder shared with the guest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DirGrant {
    /// Folder on the host (relative to the project file, or absolute).
    pub host: String,
    /// Path the guest sees.
    pub guest: String,
    /// Whether the guest may write.
    pub writable: bool,
}

/// Which clock a guest sees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClockSetting {
    /// The host's clock.
    Real,
    /// A clock stopped at `unixMs`.
    Fixed {
        /// Milliseconds since the Unix epoch.
        #[serde(rename = "unixMs")]
        unix_ms: u64,
    },
}

/// Which random source a guest sees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RandomSetting {
    /// The host's secure random source.
    Real,
    /// A deterministic generator.
    Seeded {
        /// The seed.
        seed: u64,
    },
}

/// A mocked import.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Mock {
    /// A built-in fake.
    pub fake: Option<FakeName>,
    /// Canned behaviour per function; overrides the fake.
    pub functions: Vec<MockFunction>,
    /// Initial contents of the `kv` fake or the `config` fake's map.
    pub values: Vec<KeyValue>,
    /// Canned answers of the `http` fake, by URL (`"200 body"`).
    pub responses: Vec<KeyValue>,
}

/// A key and a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyValue {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// Canned behaviour of one mocked function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MockFunction {
    /// Function name.
    pub name: String,
    /// What it does.
    pub behavior: MockBehavior,
}

/// What a mocked function does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MockBehavior {
    /// Always returns `value` (WAVE).
    Returns {
        /// WAVE text.
        value: String,
    },
    /// Returns these in turn; the last repeats.
    Sequence {
        /// WAVE texts.
        values: Vec<String>,
    },
    /// Answers by arguments.
    Match {
        /// Cases, first match wins.
        cases: Vec<MockCase>,
        /// For calls no case matches; a trap if absent.
        otherwise: Option<String>,
    },
    /// Traps with `message`.
    Trap {
        /// The trap message.
        message: String,
    },
}

/// One argument-matched answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MockCase {
    /// Arguments as a WAVE tuple, such as `("a")`.
    pub args: String,
    /// Result as WAVE.
    pub returns: String,
}

/// The built-in fakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FakeName {
    /// In-memory key-value store.
    Kv,
    /// Records log messages.
    Log,
    /// Answers config lookups from a map.
    Config,
    /// A fixed clock.
    Clock,
    /// A seeded random source.
    Random,
    /// Outgoing HTTP answered from canned responses.
    Http,
}

impl FakeName {
    pub(crate) fn to_model(self) -> model::Fake {
        match self {
            FakeName::Kv => model::Fake::KeyValue,
            FakeName::Log => model::Fake::Log,
            FakeName::Config => model::Fake::Config,
            FakeName::Clock => model::Fake::Clock,
            FakeName::Random => model::Fake::Random,
            FakeName::Http => model::Fake::Http,
        }
    }

    pub(crate) fn from_model(fake: model::Fake) -> Self {
        match fake {
            model::Fake::KeyValue => FakeName::Kv,
            model::Fake::Log => FakeName::Log,
            model::Fake::Config => FakeName::Config,
            model::Fake::Clock => FakeName::Clock,
            model::Fake::Random => FakeName::Random,
            model::Fake::Http => FakeName::Http,
        }
    }
}

impl ProjectDoc {
    /// Converts the document into the project model and applies the
    /// document's rules ([`model::Project::validate`], the same ones the
    /// file loader applies), so a document this accepts can be saved and
    /// opened again. Errors name the binding, node or field at fault.
    pub fn to_model(&self) -> Result<model::Project, ApiError> {
        let project = self.to_model_unchecked()?;
        let problems = project.validate();
        if problems.is_empty() {
            Ok(project)
        } else {
            Err(invalid_document(&problems))
        }
    }

    /// Converts the document into the project model, refusing only what the
    /// model cannot hold (an entry listed twice, a selector, address or
    /// response that does not parse), without [`model::Project::validate`]:
    /// for analysis, which reports the document's problems beside the
    /// others instead of failing.
    pub(crate) fn to_model_unchecked(&self) -> Result<model::Project, ApiError> {
        let mut project = model::Project {
            name: self.name.clone(),
            ..Default::default()
        };
        for c in &self.components {
            let entry = model::ComponentRef {
                path: file_path(&c.path),
                build: c.build.clone().filter(|b| !b.trim().is_empty()),
                watch: c.watch.iter().map(|w| file_path(w)).collect(),
                hash: c.hash.clone(),
            };
            if project.components.insert(c.id.clone(), entry).is_some() {
                return Err(ApiError::bad_request(format!(
                    "component id `{}` is used twice",
                    c.id
                )));
            }
        }
        for n in &self.nodes {
            let node = model::Node {
                component: n.component.clone(),
                position: model::Position { x: n.x, y: n.y },
            };
            if project.nodes.insert(n.id.clone(), node).is_some() {
                return Err(ApiError::bad_request(format!(
                    "node id `{}` is used twice",
                    n.id
                )));
            }
        }
        for w in &self.wires {
            project.wires.push(model::Wire {
                from: w.from.to_model_unchecked(),
                to: w.to.to_model_unchecked(),
            });
        }
        for e in &self.exports {
            project.exports.push(model::ExportDecl {
                from: e.from.to_model_unchecked(),
                name: e.name.clone().filter(|n| !n.is_empty()),
            });
        }
        for b in &self.bindings {
            let selector =
                model::ImportSelector::parse(&b.selector).map_err(ApiError::bad_request)?;
            let binding = b
                .binding
                .to_model()
                .map_err(|e| ApiError::bad_request(format!("binding `{}`: {e}", b.selector)))?;
            if project.bindings.insert(selector, binding).is_some() {
                return Err(ApiError::bad_request(format!(
                    "binding `{}` is listed twice",
                    b.selector
                )));
            }
        }
        for f in &self.fake_nodes {
            let at = model::Position { x: f.x, y: f.y };
            if project.fake_nodes.insert(f.fake.to_model(), at).is_some() {
                return Err(ApiError::bad_request(format!(
                    "the `{}` fake's node is placed twice",
                    f.fake.to_model().name()
                )));
            }
        }
        Ok(project)
    }

    /// The document of a project model.
    pub fn from_model(project: &model::Project) -> Self {
        Self {
            name: project.name.clone(),
            components: project
                .components
                .iter()
                .map(|(id, c)| ComponentEntry {
                    id: id.clone(),
                    path: path_text(&c.path),
                    build: c.build.clone(),
                    watch: c.watch.iter().map(|p| path_text(p)).collect(),
                    hash: c.hash.clone(),
                })
                .collect(),
            nodes: project
                .nodes
                .iter()
                .map(|(id, n)| NodeEntry {
                    id: id.clone(),
                    component: n.component.clone(),
                    x: n.position.x,
                    y: n.position.y,
                })
                .collect(),
            wires: project
                .wires
                .iter()
                .map(|w| WireEntry {
                    from: PortAddr::from_model(&w.from),
                    to: PortAddr::from_model(&w.to),
                })
                .collect(),
            exports: project
                .exports
                .iter()
                .map(|e| ExportEntry {
                    from: PortAddr::from_model(&e.from),
                    name: e.name.clone(),
                })
                .collect(),
            bindings: project
                .bindings
                .iter()
                .map(|(selector, binding)| BindingEntry {
                    selector: selector.to_string(),
                    binding: Binding::from_model(binding),
                })
                .collect(),
            fake_nodes: project
                .fake_nodes
                .iter()
                .map(|(fake, at)| FakeNodeEntry {
                    fake: FakeName::from_model(*fake),
                    x: at.x,
                    y: at.y,
                })
                .collect(),
        }
    }
}

/// The error for a document that breaks the document's rules: the first
/// problem as the message (it names the binding, node or field), every
/// problem in `detail`.
pub(crate) fn invalid_document(problems: &[model::Invalid]) -> ApiError {
    let message = match problems {
        [one] => one.message.clone(),
        [first, rest @ ..] => format!("{} (and {} more)", first.message, rest.len()),
        [] => "the document is valid".into(),
    };
    let detail: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    ApiError::bad_request(message).with_detail(detail.join("\n"))
}

/// A path as the project file holds it: `/` on every platform (the file
/// writes `\\` as `/`, so a path keeping one would not read back).
fn file_path(text: &str) -> PathBuf {
    PathBuf::from(text.replace('\\', "/"))
}

fn path_text(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl Binding {
    fn to_model(&self) -> Result<model::Binding, String> {
        Ok(match self {
            Binding::Leave => model::Binding::Leave,
            Binding::Deny => model::Binding::Deny,
            Binding::Grant(g) => model::Binding::Grant(model::Grant {
                env: g.env.clone(),
                dirs: g
                    .dirs
                    .iter()
                    .map(|d| model::DirGrant {
                        host: file_path(&d.host),
                        guest: d.guest.clone(),
                        writable: d.writable,
                    })
                    .collect(),
                allow: g
                    .allow
                    .iter()
                    .map(|a| model::HostPort::parse(a))
                    .collect::<Result<_, _>>()?,
                clock: g.clock.map(|c| match c {
                    ClockSetting::Real => model::ClockSetting::Real,
                    ClockSetting::Fixed { unix_ms } => model::ClockSetting::Fixed { unix_ms },
                }),
                random: g.random.map(|r| match r {
                    RandomSetting::Real => model::RandomSetting::Real,
                    RandomSetting::Seeded { seed } => model::RandomSetting::Seeded(seed),
                }),
            }),
            Binding::Mock(m) => {
                let mut functions = IndexMap::new();
                for f in &m.functions {
                    let behavior = match &f.behavior {
                        MockBehavior::Returns { value } => {
                            model::MockBehavior::Returns(value.clone())
                        }
                        MockBehavior::Sequence { values } => {
                            model::MockBehavior::Sequence(values.clone())
                        }
                        MockBehavior::Match { cases, otherwise } => model::MockBehavior::Match {
                            cases: cases
                                .iter()
                                .map(|c| model::MockCase {
                                    args: c.args.clone(),
                                    returns: c.returns.clone(),
                                })
                                .collect(),
                            otherwise: otherwise.clone(),
                        },
                        MockBehavior::Trap { message } => {
                            model::MockBehavior::Trap(message.clone())
                        }
                    };
                    if functions.insert(f.name.clone(), behavior).is_some() {
                        return Err(format!("function `{}` is mocked twice", f.name));
                    }
                }
                let map =
                    |what: &str, kv: &[KeyValue]| -> Result<IndexMap<String, String>, String> {
                        let mut out = IndexMap::new();
                        for e in kv {
                            if out.insert(e.key.clone(), e.value.clone()).is_some() {
                                return Err(format!(
                                    "{what} `{}` is listed twice",
                                    model::shown(&e.key)
                                ));
                            }
                        }
                        Ok(out)
                    };
                model::Binding::Mock(model::Mock {
                    fake: m.fake.map(FakeName::to_model),
                    functions,
                    values: map("value", &m.values)?,
                    responses: map("response URL", &m.responses)?
                        .into_iter()
                        .map(|(url, text)| {
                            model::CannedResponse::parse(&text)
                                .map(|r| (url.clone(), r))
                                .map_err(|err| format!("URL `{}`: {err}", model::shown(&url)))
                        })
                        .collect::<Result<_, _>>()?,
                })
            }
        })
    }

    fn from_model(binding: &model::Binding) -> Self {
        match binding {
            model::Binding::Leave => Binding::Leave,
            model::Binding::Deny => Binding::Deny,
            model::Binding::Grant(g) => Binding::Grant(Grant {
                env: g.env.clone(),
                dirs: g
                    .dirs
                    .iter()
                    .map(|d| DirGrant {
                        host: path_text(&d.host),
                        guest: d.guest.clone(),
                        writable: d.writable,
                    })
                    .collect(),
                allow: g.allow.iter().map(|a| a.to_string()).collect(),
                clock: g.clock.map(|c| match c {
                    model::ClockSetting::Real => ClockSetting::Real,
                    model::ClockSetting::Fixed { unix_ms } => ClockSetting::Fixed { unix_ms },
                }),
                random: g.random.map(|r| match r {
                    model::RandomSetting::Real => RandomSetting::Real,
                    model::RandomSetting::Seeded(seed) => RandomSetting::Seeded { seed },
                }),
            }),
            model::Binding::Mock(m) => Binding::Mock(Mock {
                fake: m.fake.map(FakeName::from_model),
                functions: m
                    .functions
                    .iter()
                    .map(|(name, b)| MockFunction {
                        name: name.clone(),
                        behavior: match b {
                            model::MockBehavior::Returns(value) => MockBehavior::Returns {
                                value: value.clone(),
                            },
                            model::MockBehavior::Sequence(values) => MockBehavior::Sequence {
                                values: values.clone(),
                            },
                            model::MockBehavior::Match { cases, otherwise } => {
                                MockBehavior::Match {
                                    cases: cases
                                        .iter()
                                        .map(|c| MockCase {
                                            args: c.args.clone(),
                                            returns: c.returns.clone(),
                                        })
                                        .collect(),
                                    otherwise: otherwise.clone(),
                                }
                            }
                            model::MockBehavior::Trap(message) => MockBehavior::Trap {
                                message: message.clone(),
                            },
                        },
                    })
                    .collect(),
                values: m
                    .values
                    .iter()
                    .map(|(k, v)| KeyValue {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect(),
                responses: m
                    .responses
                    .iter()
                    .map(|(k, v)| KeyValue {
                        key: k.clone(),
                        value: v.to_string(),
                    })
                    .collect(),
            }),
        }
    }
}

// ---------------------------------------------------------------------------
// Components and their types

/// A component file as the library panel and the nodes show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentView {
    /// Component id.
    pub id: String,
    /// Path as written in the project.
    pub path: String,
    /// Absolute path on disk.
    pub abs_path: String,
    /// File size in bytes.
    pub size: u64,
    /// Content hash (`sha256:…`) of the loaded component.
    pub hash: Option<String>,
    /// Ports and WIT, if the file loaded.
    pub info: Option<ComponentInfo>,
    /// Why the file did not load.
    pub error: Option<String>,
}

/// The typed surface of a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ComponentInfo {
    /// Imports, in the component's order.
    pub imports: Vec<PortInfo>,
    /// Exports, in the component's order.
    pub exports: Vec<PortInfo>,
    /// The whole world as WIT.
    pub wit: String,
}

/// Whether a port is an interface or a single function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PortKind {
    /// An interface instance.
    Interface,
    /// A single function.
    Function,
}

/// One import or export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortInfo {
    /// Full name (`wasi:http/outgoing-handler@0.2.6`, `handle-request`).
    pub name: String,
    /// Interface or function.
    pub kind: PortKind,
    /// `namespace:package`.
    pub package: Option<String>,
    /// Interface name.
    pub interface: Option<String>,
    /// Package version.
    pub version: Option<String>,
    /// Functions.
    pub functions: Vec<FunctionInfo>,
    /// Types defined by the interface.
    pub types: Vec<TypeInfo>,
    /// Carries only plain types: needs no wire and no binding.
    pub types_only: bool,
}

/// A function signature with the structure of its types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionInfo {
    /// Name as called.
    pub name: String,
    /// `freestanding`, `constructor`, `method` or `static`.
    pub kind: String,
    /// The resource of a constructor, method or static function.
    pub resource: Option<String>,
    /// Parameters.
    pub params: Vec<ParamInfo>,
    /// Result type as WIT.
    pub result: Option<String>,
    /// Structure of the result type.
    pub result_shape: Option<TypeShape>,
    /// `get: func(key: string) -> option<string>`.
    pub signature: String,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ParamInfo {
    /// Name.
    pub name: String,
    /// Type as WIT.
    pub ty: String,
    /// Structure of the type.
    pub shape: TypeShape,
}

/// A type defined by an interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TypeInfo {
    /// Name.
    pub name: String,
    /// `record`, `variant`, `enum`, `flags`, `resource` or `type`.
    pub kind: String,
    /// Fields, cases or flags.
    pub members: Vec<MemberInfo>,
    /// For aliases, the aliased type.
    pub target: Option<String>,
}

/// A field, case or flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberInfo {
    /// Name.
    pub name: String,
    /// Field type or case payload.
    pub ty: Option<String>,
}

/// The structure of a WIT type, for forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TypeShape {
    /// `bool`, integers, floats, `char`, `string`.
    Primitive {
        /// The WIT name.
        name: String,
    },
    /// `list<T>`.
    List {
        /// Element type.
        of: Box<TypeShape>,
    },
    /// `option<T>`.
    Option {
        /// Payload type.
        of: Box<TypeShape>,
    },
    /// `result<T, E>`.
    Result {
        /// Ok payload.
        ok: Option<Box<TypeShape>>,
        /// Err payload.
        err: Option<Box<TypeShape>>,
    },
    /// `tuple<…>`.
    Tuple {
        /// Items.
        items: Vec<TypeShape>,
    },
    /// A record.
    Record {
        /// Type name.
        name: Option<String>,
        /// Fields.
        fields: Vec<FieldShape>,
    },
    /// A variant.
    Variant {
        /// Type name.
        name: Option<String>,
        /// Cases.
        cases: Vec<CaseShape>,
    },
    /// An enum.
    Enum {
        /// Type name.
        name: Option<String>,
        /// Cases.
        cases: Vec<String>,
    },
    /// Flags.
    Flags {
        /// Type name.
        name: Option<String>,
        /// Flags.
        flags: Vec<String>,
    },
    /// A resource handle.
    Handle {
        /// Resource name.
        name: Option<String>,
        /// `borrow<…>` rather than `own<…>`.
        borrow: bool,
    },
    /// A type WAVE cannot spell.
    Unsupported {
        /// The type as WIT.
        wit: String,
    },
}

/// A record field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldShape {
    /// Name.
    pub name: String,
    /// Type.
    pub shape: TypeShape,
}

/// A variant case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseShape {
    /// Name.
    pub name: String,
    /// Payload type.
    pub shape: Option<TypeShape>,
}

impl From<&patchbay_inspect::TypeShape> for TypeShape {
    fn from(s: &patchbay_inspect::TypeShape) -> Self {
        use patchbay_inspect::TypeShape as S;
        let b = |s: &S| Box::new(TypeShape::from(s));
        match s {
            S::Primitive { name } => TypeShape::Primitive {
                name: (*name).to_string(),
            },
            S::List { of } => TypeShape::List { of: b(of) },
            S::Option { of } => TypeShape::Option { of: b(of) },
            S::Result { ok, err } => TypeShape::Result {
                ok: ok.as_deref().map(b),
                err: err.as_deref().map(b),
            },
            S::Tuple { items } => TypeShape::Tuple {
                items: items.iter().map(TypeShape::from).collect(),
            },
            S::Record { name, fields } => TypeShape::Record {
                name: name.clone(),
                fields: fields
                    .iter()
                    .map(|f| FieldShape {
                        name: f.name.clone(),
                        shape: (&f.shape).into(),
                    })
                    .collect(),
            },
            S::Variant { name, cases } => TypeShape::Variant {
                name: name.clone(),
                cases: cases
                    .iter()
                    .map(|c| CaseShape {
                        name: c.name.clone(),
                        shape: c.shape.as_ref().map(TypeShape::from),
                    })
                    .collect(),
            },
            S::Enum { name, cases } => TypeShape::Enum {
                name: name.clone(),
                cases: cases.clone(),
            },
            S::Flags { name, flags } => TypeShape::Flags {
                name: name.clone(),
                flags: flags.clone(),
            },
            S::Handle { name, borrow } => TypeShape::Handle {
                name: name.clone(),
                borrow: *borrow,
            },
            S::Unsupported { wit } => TypeShape::Unsupported { wit: wit.clone() },
        }
    }
}

impl From<&patchbay_inspect::FunctionInfo> for FunctionInfo {
    fn from(f: &patchbay_inspect::FunctionInfo) -> Self {
        Self {
            name: f.name.clone(),
            kind: f.kind.to_string(),
            resource: f.resource.clone(),
            params: f
                .params
                .iter()
                .map(|p| ParamInfo {
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    shape: (&p.shape).into(),
                })
                .collect(),
            result: f.result.clone(),
            result_shape: f.result_shape.as_ref().map(TypeShape::from),
            signature: f.signature.clone(),
        }
    }
}

impl From<&patchbay_inspect::PortInfo> for PortInfo {
    fn from(p: &patchbay_inspect::PortInfo) -> Self {
        Self {
            name: p.name.clone(),
            kind: match p.kind {
                patchbay_inspect::PortKind::Interface => PortKind::Interface,
                patchbay_inspect::PortKind::Function => PortKind::Function,
            },
            package: p.package.clone(),
            interface: p.interface.clone(),
            version: p.version.clone(),
            functions: p.functions.iter().map(FunctionInfo::from).collect(),
            types: p
                .types
                .iter()
                .map(|t| TypeInfo {
                    name: t.name.clone(),
                    kind: t.kind.to_string(),
                    members: t
                        .members
                        .iter()
                        .map(|m| MemberInfo {
                            name: m.name.clone(),
                            ty: m.ty.clone(),
                        })
                        .collect(),
                    target: t.target.clone(),
                })
                .collect(),
            types_only: p.types_only,
        }
    }
}

impl From<&patchbay_inspect::ComponentInfo> for ComponentInfo {
    fn from(i: &patchbay_inspect::ComponentInfo) -> Self {
        Self {
            imports: i.imports.iter().map(PortInfo::from).collect(),
            exports: i.exports.iter().map(PortInfo::from).collect(),
            wit: i.wit.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// Checking

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Blocks composition.
    Error,
    /// Composes, but probably not what was meant.
    Warning,
}

/// A problem found by checking, pinned to what it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// What it belongs to.
    pub location: Location,
}

/// What a problem belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// The project.
    Project,
    /// A component and the nodes using it.
    Component {
        /// Component id.
        component: String,
        /// Nodes using it.
        nodes: Vec<String>,
    },
    /// A node.
    Node {
        /// Node id.
        node: String,
    },
    /// A port.
    Port {
        /// Node id.
        node: String,
        /// Port name.
        port: String,
    },
    /// A wire.
    Wire {
        /// Index into `doc.wires`.
        index: u32,
        /// `node.export`.
        from: String,
        /// `node.import`.
        to: String,
    },
    /// A binding.
    Binding {
        /// Its selector.
        selector: String,
    },
    /// An export.
    Export {
        /// Index into `doc.exports`.
        index: u32,
        /// Its name.
        name: String,
    },
}

impl Problem {
    /// A problem of the document's own rules ([`model::Project::validate`]),
    /// code `invalid-document`, at the entry it names.
    pub(crate) fn invalid(p: &model::Invalid, project: &model::Project) -> Self {
        let location = match &p.place {
            model::Place::Name => Location::Project,
            model::Place::Component { id, .. } => Location::Component {
                component: id.clone(),
                nodes: project
                    .nodes
                    .iter()
                    .filter(|(_, n)| n.component == *id)
                    .map(|(n, _)| n.clone())
                    .collect(),
            },
            model::Place::Node { id, .. } => Location::Node { node: id.clone() },
            model::Place::Wire { index, .. } => Location::Wire {
                index: u32::try_from(*index).unwrap_or(u32::MAX),
                from: project
                    .wires
                    .get(*index)
                    .map(|w| w.from.to_string())
                    .unwrap_or_default(),
                to: project
                    .wires
                    .get(*index)
                    .map(|w| w.to.to_string())
                    .unwrap_or_default(),
            },
            model::Place::Export { index, port } => Location::Export {
                index: u32::try_from(*index).unwrap_or(u32::MAX),
                name: project
                    .exports
                    .get(*index)
                    .map_or(port.clone(), |e| e.export_name().to_string()),
            },
            model::Place::Binding { selector, .. } => Location::Binding {
                selector: selector.clone(),
            },
            model::Place::FakeNode { .. } => Location::Project,
        };
        Self {
            severity: Severity::Error,
            code: "invalid-document".into(),
            message: p.message.clone(),
            location,
        }
    }
}

impl From<&patchbay_compose::Problem> for Problem {
    fn from(p: &patchbay_compose::Problem) -> Self {
        use patchbay_compose::Location as L;
        Self {
            severity: match p.severity {
                patchbay_compose::Severity::Error => Severity::Error,
                patchbay_compose::Severity::Warning => Severity::Warning,
            },
            code: p.code.to_string(),
            message: p.message.clone(),
            location: match &p.location {
                L::Project => Location::Project,
                L::Component { component, nodes } => Location::Component {
                    component: component.clone(),
                    nodes: nodes.clone(),
                },
                L::Node { node } => Location::Node { node: node.clone() },
                L::Port { node, port } => Location::Port {
                    node: node.clone(),
                    port: port.clone(),
                },
                L::Wire { index, from, to } => Location::Wire {
                    index: u32::try_from(*index).unwrap_or(u32::MAX),
                    from: from.clone(),
                    to: to.clone(),
                },
                L::Binding { selector } => Location::Binding {
                    selector: selector.clone(),
                },
                L::Export { index, name } => Location::Export {
                    index: u32::try_from(*index).unwrap_or(u32::MAX),
                    name: name.clone(),
                },
            },
        }
    }
}

/// How an import of a node is satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// A wire feeds it.
    Wired,
    /// Left open: an import of the composition.
    Leave,
    /// Granted by the host.
    Grant,
    /// Mocked.
    Mock,
    /// Denied.
    Deny,
}

/// The effective state of one import, so the UI never re-implements
/// selector matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportState {
    /// Node id.
    pub node: String,
    /// Import name.
    pub port: String,
    /// How it is satisfied.
    pub mode: ImportMode,
    /// The selector of the binding that applies, if any.
    pub selector: Option<String>,
    /// The fake serving it, for mocks with a fake.
    pub fake: Option<FakeName>,
    /// Only carries types: needs neither wire nor binding.
    #[serde(rename = "typesOnly")]
    pub types_only: bool,
}

/// A function the run panel can call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunTarget {
    /// The composition's export name.
    pub export: String,
    /// The function.
    pub function: FunctionInfo,
    /// Call text before the arguments: `handle-request` or
    /// `patchbay:sandbox/probe#run-all`.
    pub call_prefix: String,
    /// Whether the function can be called from a form (no resource handles).
    pub callable: bool,
}

/// The composed result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComposedSummary {
    /// Size in bytes.
    pub size: u64,
    /// Content hash.
    pub hash: String,
    /// Remaining imports: the attack surface.
    pub imports: Vec<String>,
    /// WIT of the result.
    pub wit: String,
    /// The `.wac` recipe.
    pub wac: String,
    /// Ports of the result.
    pub info: Option<ComponentInfo>,
    /// Functions the run panel offers.
    pub run_targets: Vec<RunTarget>,
    /// Whether the composition exports `wasi:http/incoming-handler`.
    pub serves_http: bool,
}

/// The result of checking and composing a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Analysis {
    /// Every problem.
    pub problems: Vec<Problem>,
    /// Every import of every node, with how it is satisfied.
    pub imports: Vec<ImportState>,
    /// The composed result, when the graph composes.
    pub composed: Option<ComposedSummary>,
    /// How long checking and composing took, in milliseconds.
    pub millis: f64,
}

// ---------------------------------------------------------------------------
// Running

/// Limits of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunLimits {
    /// Wall-clock limit.
    pub timeout_ms: u64,
    /// Linear memory limit per instance.
    pub max_memory_mib: u64,
    /// Fuel (instructions, roughly); unlimited if absent.
    pub fuel: Option<u64>,
    /// Captured stdout/stderr limit.
    pub max_output_kib: u64,
}

impl Default for RunLimits {
    fn default() -> Self {
        Self {
            timeout_ms: 5_000,
            max_memory_mib: 64,
            fuel: None,
            max_output_kib: 256,
        }
    }
}

impl RunLimits {
    /// The host's limits, each checked against its range by the one check
    /// the command line uses too ([`patchbay_host::Limits::from_units`]).
    pub(crate) fn to_host(self) -> Result<patchbay_host::Limits, ApiError> {
        patchbay_host::Limits::from_units(patchbay_host::LimitUnits {
            timeout_ms: self.timeout_ms,
            max_memory_mib: self.max_memory_mib,
            fuel: self.fuel,
            max_output_kib: self.max_output_kib,
        })
        .map_err(|e| {
            ApiError::bad_request(format!(
                "{} must be {}, got {}",
                e.limit.label,
                e.limit.describe(),
                e.got
            ))
        })
    }
}

/// What ended a failed run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunFailure {
    /// `bad-call`, `instantiate`, `denied`, `timeout`, `fuel`, `memory`,
    /// `stack`, `output` or `trap`.
    pub kind: String,
    /// What happened.
    pub message: String,
    /// The limit that was hit, if any.
    pub limit: Option<String>,
}

/// A call answered by a mock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MockCall {
    /// Interface.
    pub interface: String,
    /// Function.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE.
    pub result: String,
}

/// A call refused because its capability is denied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Denial {
    /// Nodes whose import is denied.
    pub nodes: Vec<String>,
    /// Interface.
    pub interface: String,
    /// Function.
    pub function: String,
}

/// A reach outside a node's granted scope (a refused connection, request
/// or path), or the narrowed view of the host a node was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScopeLine {
    /// The nodes whose scope it was.
    pub nodes: Vec<String>,
    /// Interface (`wasi:http/outgoing-handler`).
    pub interface: String,
    /// Whether something the guest tried was refused (false: a narrowed
    /// view it was given).
    pub refused: bool,
    /// What was refused or withheld.
    pub message: String,
}

/// A call across a wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceEntry {
    /// Calling node.
    pub caller: String,
    /// Called node.
    pub callee: String,
    /// `interface#function`.
    pub function: String,
    /// Arguments as WAVE.
    pub args: Vec<String>,
    /// Result as WAVE, or the error.
    pub result: String,
    /// When the call started, in microseconds since the run began.
    pub start_micros: u64,
    /// Duration in microseconds.
    pub micros: u64,
}

impl From<&patchbay_host::TraceEntry> for TraceEntry {
    fn from(t: &patchbay_host::TraceEntry) -> Self {
        Self {
            caller: t.caller.clone(),
            callee: t.callee.clone(),
            function: t.function.clone(),
            args: t.args.clone(),
            result: t.result.clone(),
            start_micros: t.start_micros,
            micros: t.micros,
        }
    }
}

/// Everything about one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// Run number.
    pub run: u64,
    /// The call as WAVE.
    pub call: String,
    /// `composed` or `traced`.
    pub mode: String,
    /// Why that mode.
    pub mode_reason: String,
    /// Whether the call returned.
    pub ok: bool,
    /// The result as WAVE.
    pub result: Option<String>,
    /// Why it failed.
    pub failure: Option<RunFailure>,
    /// Captured stdout.
    pub stdout: String,
    /// Captured stderr.
    pub stderr: String,
    /// Calls answered by mocks.
    pub mock_calls: Vec<MockCall>,
    /// Calls refused by denials.
    pub denials: Vec<Denial>,
    /// Calls across wires.
    pub trace: Vec<TraceEntry>,
    /// Reaches outside a node's scope, and narrowed views, by node.
    pub scope: Vec<ScopeLine>,
    /// Duration in microseconds.
    pub micros: u64,
    /// The limits it ran under.
    pub limits: RunLimits,
}

impl RunReport {
    pub(crate) fn from_host(r: &patchbay_host::RunReport, limits: RunLimits) -> Self {
        let (ok, result, failure) = match &r.result {
            Ok(v) => (true, Some(v.clone()), None),
            Err(f) => {
                let kind = serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("{:?}", f.kind));
                let limit = matches!(
                    f.kind,
                    patchbay_host::FailureKind::Timeout
                        | patchbay_host::FailureKind::Fuel
                        | patchbay_host::FailureKind::Memory
                        | patchbay_host::FailureKind::Stack
                        | patchbay_host::FailureKind::Output
                )
                .then(|| kind.clone());
                (
                    false,
                    None,
                    Some(RunFailure {
                        kind,
                        message: f.message.clone(),
                        limit,
                    }),
                )
            }
        };
        Self {
            run: r.run,
            call: r.call.clone(),
            mode: r.mode.to_string(),
            mode_reason: r.mode_reason.clone(),
            ok,
            result,
            failure,
            stdout: r.stdout.clone(),
            stderr: r.stderr.clone(),
            mock_calls: r
                .mock_calls
                .iter()
                .map(|m| MockCall {
                    interface: m.interface.clone(),
                    function: m.function.clone(),
                    args: m.args.clone(),
                    result: m.result.clone(),
                })
                .collect(),
            denials: r
                .denials
                .iter()
                .map(|d| Denial {
                    nodes: d.nodes.clone(),
                    interface: d.interface.clone(),
                    function: d.function.clone(),
                })
                .collect(),
            trace: r.trace.iter().map(TraceEntry::from).collect(),
            scope: r
                .scope
                .iter()
                .map(|l| ScopeLine {
                    nodes: l.nodes.clone(),
                    interface: l.interface.clone(),
                    refused: l.refused,
                    message: l.message.clone(),
                })
                .collect(),
            micros: r.micros,
            limits,
        }
    }
}

// ---------------------------------------------------------------------------
// Requests and responses

/// No arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Empty {}

/// `openProject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenProjectRequest {
    /// A `patchbay.toml` or a folder holding one; `null` shows the open
    /// dialog. Must be a path the user chose (command line, dialog, drop).
    pub path: Option<String>,
}

/// `openSample`: one of the sample projects that ship with Patchbay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenSampleRequest {
    /// The sample's folder name (`kv-service`, `order-pipeline` …).
    pub name: String,
}

/// A sample project the app can open without a dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SampleView {
    /// Folder name.
    pub name: String,
    /// The first comment line of its `patchbay.toml`.
    pub description: String,
}

/// A project, opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenedProject {
    /// The manifest file.
    pub path: String,
    /// Its folder.
    pub dir: String,
    /// The document.
    pub doc: ProjectDoc,
    /// Every component, loaded.
    pub components: Vec<ComponentView>,
    /// Check and compose results.
    pub analysis: Analysis,
    /// Unsaved changes autosaved after the file was last saved, if any.
    pub recovery: Option<Recovery>,
    /// Notes for the user (the file was upgraded from an older version).
    pub notes: Vec<String>,
}

/// Autosaved changes that can be recovered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recovery {
    /// The autosaved document.
    pub doc: ProjectDoc,
    /// When it was written, in milliseconds since the Unix epoch.
    pub saved_at_ms: u64,
}

/// `addComponents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AddComponentsRequest {
    /// The current document (new ids must not clash with it).
    pub doc: ProjectDoc,
    /// Files from a drop; `null` shows the open dialog.
    pub paths: Option<Vec<String>>,
}

/// A request about the current document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocRequest {
    /// The current document.
    pub doc: ProjectDoc,
}

/// `candidates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CandidatesRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Where the drag starts.
    pub port: PortAddr,
}

/// Which side a port is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// An import (left side).
    Import,
    /// An export (right side).
    Export,
}

/// The ports a drag can end on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Candidates {
    /// The side of the port the drag started from.
    pub direction: Direction,
    /// Compatible ports on other nodes.
    pub ports: Vec<PortAddr>,
}

/// `checkWire`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckWireRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Export side.
    pub from: PortAddr,
    /// Import side.
    pub to: PortAddr,
}

/// Whether something is acceptable, and if not, exactly why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Verdict {
    /// Acceptable.
    pub ok: bool,
    /// Why not.
    pub reason: Option<String>,
}

impl Verdict {
    pub(crate) fn ok() -> Self {
        Self {
            ok: true,
            reason: None,
        }
    }

    pub(crate) fn refused(reason: impl Into<String>) -> Self {
        Self {
            ok: false,
            reason: Some(reason.into()),
        }
    }
}

/// `checkMockValue`: is `value` a valid WAVE result of `function`?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckMockValueRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Node id.
    pub node: String,
    /// Import name.
    pub import: String,
    /// Function name.
    pub function: String,
    /// WAVE text of the result.
    pub value: String,
}

/// A built-in fake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FakeView {
    /// Its name in the project file.
    pub name: FakeName,
    /// Short title.
    pub title: String,
    /// What it does.
    pub description: String,
}

/// `fakeTargets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FakeTargetsRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// The fake.
    pub fake: FakeName,
}

/// `importFakes`: which built-in fakes can serve one import of a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportFakesRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Node id.
    pub node: String,
    /// Import name.
    pub port: String,
}

/// One grant entry as someone types it, checked by the rule the document
/// follows ([`model::Project::validate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GrantEntry {
    /// An environment variable name (`env`).
    Env {
        /// The name.
        name: String,
    },
    /// A shared folder (`dirs`).
    Dir {
        /// Folder on the host.
        host: String,
        /// Path the guest sees.
        guest: String,
    },
    /// An allow-listed `host:port` (`allow`).
    Allow {
        /// The address.
        address: String,
    },
    /// A canned HTTP response `STATUS BODY` of the `http` fake.
    Response {
        /// The response text.
        text: String,
    },
}

impl GrantEntry {
    /// Whether the document accepts the entry, and if not, why.
    pub(crate) fn verdict(&self) -> Verdict {
        let result = match self {
            GrantEntry::Env { name } => model::check_env_name(name),
            GrantEntry::Dir { host, guest } => model::check_dir_grant(host, guest),
            GrantEntry::Allow { address } => model::HostPort::parse(address).map(|_| ()),
            GrantEntry::Response { text } => model::CannedResponse::parse(text).map(|_| ()),
        };
        match result {
            Ok(()) => Verdict::ok(),
            Err(reason) => Verdict::refused(reason),
        }
    }
}

/// `checkGrantEntry`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckGrantEntryRequest {
    /// The entry.
    pub entry: GrantEntry,
}

/// `run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// The call as WAVE: `handle-request("get a")`.
    pub call: String,
    /// Limits.
    pub limits: RunLimits,
    /// Trace calls across wires (falls back to composed when it cannot).
    pub traced: bool,
}

/// `serveStart`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServeRequest {
    /// The current document.
    pub doc: ProjectDoc,
    /// Port on 127.0.0.1; a free one if absent.
    pub port: Option<u16>,
    /// Limits per request.
    pub limits: RunLimits,
}

/// A running HTTP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServeInfo {
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    /// The node whose handler serves.
    pub node: String,
}

/// `save`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Ask where to save.
    pub save_as: bool,
}

/// Where the project was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Saved {
    /// The manifest file.
    pub path: String,
    /// The document as saved (paths rebased when saved elsewhere, hashes
    /// updated).
    pub doc: ProjectDoc,
}

/// `setDirty`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SetDirtyRequest {
    /// Whether there are unsaved changes.
    pub dirty: bool,
}

/// What an export would write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportPreview {
    /// The composition's imports: what it still needs from its host.
    pub surface: Vec<SurfaceItem>,
    /// Default folder.
    pub dir: String,
    /// File names.
    pub wasm: String,
    /// `.wac` file name.
    pub wac: String,
    /// `.wit` file name.
    pub wit: String,
    /// Size of the composed component.
    pub size: u64,
    /// WIT of the result.
    pub wit_text: String,
    /// The recipe.
    pub wac_text: String,
}

/// One remaining import and what it gives the component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SurfaceItem {
    /// Import name.
    pub name: String,
    /// What it lets the component do.
    pub meaning: String,
}

/// `exportArtifacts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// The document.
    pub doc: ProjectDoc,
    /// Target folder: must be the default folder or one chosen by dialog in
    /// this session; `null` is the default.
    pub dir: Option<String>,
    /// Show a folder dialog first.
    pub choose_dir: bool,
}

/// Written files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Exported {
    /// Folder.
    pub dir: String,
    /// The composed component.
    pub wasm: String,
    /// The recipe.
    pub wac: String,
    /// The WIT of the result.
    pub wit: String,
    /// Size of the component.
    pub size: u64,
}

// ---------------------------------------------------------------------------
// Events

/// An event from the backend, emitted as `patchbay://event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AppEvent {
    /// A call crossed a wire (animate it).
    #[serde(rename_all = "camelCase")]
    WireCall {
        /// Run number.
        run: u64,
        /// Calling node.
        caller: String,
        /// Called node.
        callee: String,
        /// `interface#function`.
        function: String,
        /// Duration.
        micros: u64,
    },
    /// A denied capability was called.
    Denied {
        /// Run number.
        run: u64,
        /// Nodes.
        nodes: Vec<String>,
        /// Interface.
        interface: String,
        /// Function.
        function: String,
    },
    /// A guest reached outside its scope, or was shown a narrowed view.
    OutOfScope {
        /// Run number.
        run: u64,
        /// Nodes.
        nodes: Vec<String>,
        /// Interface.
        interface: String,
        /// What was refused or withheld.
        message: String,
    },
    /// Guest output.
    Output {
        /// Run number.
        run: u64,
        /// `stdout` or `stderr`.
        stream: String,
        /// Text.
        text: String,
    },
    /// A run started.
    RunStarted {
        /// Run number.
        run: u64,
        /// The call.
        call: String,
    },
    /// A run ended.
    RunFinished {
        /// Run number.
        run: u64,
        /// Whether it returned.
        ok: bool,
    },
    /// A run hit a limit.
    LimitHit {
        /// Run number.
        run: u64,
        /// Node.
        node: String,
        /// Which limit.
        limit: String,
        /// What happened.
        message: String,
    },
    /// An HTTP request was served.
    Served {
        /// Method.
        method: String,
        /// Path.
        path: String,
        /// Status.
        status: u16,
        /// Duration.
        micros: u64,
    },
    /// A component file changed on disk and was reloaded.
    ComponentChanged {
        /// The component as it is now.
        component: ComponentView,
        /// What changed, for a toast.
        message: String,
    },
    /// Files were dropped on the window (already permitted).
    FilesDropped {
        /// Absolute paths.
        paths: Vec<String>,
    },
    /// The window is closing with unsaved changes.
    CloseRequested,
    /// Long work started or ended.
    Busy {
        /// What (`compiling`, `composing`).
        task: String,
        /// Started (true) or ended.
        busy: bool,
    },
}

impl AppEvent {
    pub(crate) fn from_host(event: &patchbay_host::Event) -> Option<Self> {
        use patchbay_host::Event as E;
        Some(match event {
            E::RunStarted { run, call, .. } => AppEvent::RunStarted {
                run: *run,
                call: call.clone(),
            },
            E::RunFinished { run, error, .. } => AppEvent::RunFinished {
                run: *run,
                ok: error.is_none(),
            },
            E::Output { run, stream, text } => AppEvent::Output {
                run: *run,
                stream: stream.to_string(),
                text: text.clone(),
            },
            E::Denied {
                run,
                nodes,
                interface,
                function,
            } => AppEvent::Denied {
                run: *run,
                nodes: nodes.clone(),
                interface: interface.clone(),
                function: function.clone(),
            },
            E::OutOfScope {
                run,
                nodes,
                interface,
                message,
            } => AppEvent::OutOfScope {
                run: *run,
                nodes: nodes.clone(),
                interface: interface.clone(),
                message: message.clone(),
            },
            E::WireCall { run, call } => AppEvent::WireCall {
                run: *run,
                caller: call.caller.clone(),
                callee: call.callee.clone(),
                function: call.function.clone(),
                micros: call.micros,
            },
            E::LimitHit {
                run,
                node,
                limit,
                message,
            } => AppEvent::LimitHit {
                run: *run,
                node: node.clone(),
                limit: limit.to_string(),
                message: message.clone(),
            },
            E::Served {
                method,
                path,
                status,
                micros,
                ..
            } => AppEvent::Served {
                method: method.clone(),
                path: path.clone(),
                status: *status,
                micros: *micros,
            },
            E::Mocked { .. } | E::Reloaded { .. } => return None,
        })
    }
}
