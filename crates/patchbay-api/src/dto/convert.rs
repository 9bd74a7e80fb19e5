//! The editable document ([`ProjectDoc`]) to and from the project model,
//! explicitly: typed ids and selectors are made here, and the document's
//! rules ([`model::Project::validate`], the ones the file loader applies)
//! are applied by [`ProjectDoc::to_model`].

use super::*;
use crate::ApiError;
use indexmap::IndexMap;
use patchbay_project as model;
use std::path::PathBuf;

impl PortAddr {
    pub(crate) fn to_model(&self) -> Result<model::PortRef, ApiError> {
        let node = model::NodeId::new(self.node.as_str())
            .map_err(|e| ApiError::bad_request(format!("node {e}")))?;
        if self.port.is_empty() {
            return Err(ApiError::bad_request(format!(
                "a port of node `{}` has no name",
                self.node
            )));
        }
        Ok(model::PortRef::new(node, &self.port))
    }

    pub(super) fn from_model(port: &model::PortRef) -> Self {
        Self {
            node: port.node.to_string(),
            port: port.port.clone(),
        }
    }
}

/// Why a document cannot become a project model.
#[derive(Debug)]
pub(crate) enum NotAModel {
    /// Ids that are not kebab-case ([`model::NodeId`],
    /// [`model::ComponentId`]), each at its place: analysis reports them as
    /// the document's problems, every other command refuses the document.
    Ids(Vec<model::Invalid>),
    /// Anything else the model cannot hold: an entry listed twice, a
    /// selector or response that does not parse.
    Other(ApiError),
}

impl From<NotAModel> for ApiError {
    fn from(e: NotAModel) -> Self {
        match e {
            NotAModel::Ids(problems) => invalid_document(&problems),
            NotAModel::Other(e) => e,
        }
    }
}

impl From<ApiError> for NotAModel {
    fn from(e: ApiError) -> Self {
        NotAModel::Other(e)
    }
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
    /// model cannot hold (an id that is not kebab-case, an entry listed
    /// twice, a selector or response that does not parse), without
    /// [`model::Project::validate`]: for analysis, which reports the
    /// document's problems beside the others instead of failing.
    pub(crate) fn to_model_unchecked(&self) -> Result<model::Project, NotAModel> {
        let mut bad_ids = Vec::new();
        let mut project = model::Project {
            name: self.name.clone(),
            ..Default::default()
        };
        for c in &self.components {
            let id = match model::ComponentId::new(c.id.as_str()) {
                Ok(id) => id,
                Err(e) => {
                    bad_ids.push(model::Invalid {
                        place: model::Place::Component {
                            id: c.id.clone(),
                            field: None,
                        },
                        message: format!("component {e}"),
                    });
                    continue;
                }
            };
            let entry = model::ComponentRef {
                path: file_path(&c.path),
                build: c.build.clone().filter(|b| !b.trim().is_empty()),
                watch: c.watch.iter().map(|w| file_path(w)).collect(),
                hash: c.hash.clone(),
            };
            if project.components.insert(id, entry).is_some() {
                return Err(ApiError::bad_request(format!(
                    "component id `{}` is used twice",
                    c.id
                ))
                .into());
            }
        }
        let top = |place: model::Place| place;
        (project.nodes, project.wires, project.exports) = super::graph::graph_to_model(
            (&self.nodes, &self.wires, &self.exports),
            &top,
            &mut bad_ids,
        )?;
        for c in &self.composites {
            let name = match model::ComponentId::new(c.name.as_str()) {
                Ok(name) => name,
                Err(e) => {
                    bad_ids.push(model::Invalid {
                        place: model::Place::Composite {
                            name: c.name.clone(),
                            inner: None,
                        },
                        message: format!("composite {e}"),
                    });
                    continue;
                }
            };
            let inside = |place: model::Place| model::Place::Composite {
                name: c.name.clone(),
                inner: Some(Box::new(place)),
            };
            let (nodes, wires, exports) = super::graph::graph_to_model(
                (&c.nodes, &c.wires, &c.exports),
                &inside,
                &mut bad_ids,
            )?;
            let composite = model::Composite {
                nodes,
                wires,
                exports,
            };
            if project.composites.insert(name, composite).is_some() {
                return Err(ApiError::bad_request(format!(
                    "composite `{}` is defined twice",
                    c.name
                ))
                .into());
            }
        }
        if !bad_ids.is_empty() {
            return Err(NotAModel::Ids(bad_ids));
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
                ))
                .into());
            }
        }
        for f in &self.fake_nodes {
            let at = model::Position { x: f.x, y: f.y };
            if project.fake_nodes.insert(f.fake.to_model(), at).is_some() {
                return Err(ApiError::bad_request(format!(
                    "the `{}` fake's node is placed twice",
                    f.fake.to_model().name()
                ))
                .into());
            }
        }
        for p in &self.presets {
            let entries = project.presets.entry(p.function.clone()).or_default();
            if entries.insert(p.name.clone(), p.args.clone()).is_some() {
                return Err(ApiError::bad_request(format!(
                    "preset `{}` of `{}` is listed twice",
                    p.name, p.function
                ))
                .into());
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
                    id: id.to_string(),
                    path: path_text(&c.path),
                    build: c.build.clone(),
                    watch: c.watch.iter().map(|p| path_text(p)).collect(),
                    hash: c.hash.clone(),
                })
                .collect(),
            nodes: super::graph::nodes_from_model(&project.nodes),
            wires: super::graph::wires_from_model(&project.wires),
            exports: super::graph::exports_from_model(&project.exports),
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
            presets: project
                .presets
                .iter()
                .flat_map(|(function, entries)| {
                    entries.iter().map(move |(name, args)| PresetEntry {
                        function: function.clone(),
                        name: name.clone(),
                        args: args.clone(),
                    })
                })
                .collect(),
            composites: project
                .composites
                .iter()
                .map(|(name, c)| CompositeEntry {
                    name: name.to_string(),
                    nodes: super::graph::nodes_from_model(&c.nodes),
                    wires: super::graph::wires_from_model(&c.wires),
                    exports: super::graph::exports_from_model(&c.exports),
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
                store: g.store.as_deref().map(file_path),
                buckets: g.buckets.clone(),
                config: {
                    let mut out = IndexMap::new();
                    for e in &g.config {
                        if out.insert(e.key.clone(), e.value.clone()).is_some() {
                            return Err(format!(
                                "config key `{}` is listed twice",
                                model::shown(&e.key)
                            ));
                        }
                    }
                    out
                },
                config_prefix: g.config_prefix.clone(),
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
                store: g.store.as_deref().map(path_text),
                buckets: g.buckets.clone(),
                config: g
                    .config
                    .iter()
                    .map(|(k, v)| KeyValue {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect(),
                config_prefix: g.config_prefix.clone(),
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
