//! The rules a project document must follow to be written and read back:
//! [`Project::validate`]. The file loader, the app's document conversion,
//! its `save` and the CLI all apply these, so a document one of them
//! accepts the others accept too.
//!
//! These rules need no component: they are about the document alone (the
//! project name, selectors, scopes, mock shapes; node and component ids are
//! checked when they are made, by [`crate::NodeId`] and
//! [`crate::ComponentId`]). Rules that need the components' types
//! (mock values against WIT, export names, conflicting open imports)
//! belong to `patchbay-compose`'s `check`.

use crate::id::check_id;
use crate::model::*;
use std::fmt;

/// Where in the document a [`Invalid`] problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The project's `name`.
    Name,
    /// A component entry.
    Component {
        /// Component id, as written.
        id: String,
        /// The field at fault (`path`, `build`), or `None` for the id.
        field: Option<&'static str>,
    },
    /// A node entry.
    Node {
        /// Node id, as written.
        id: String,
        /// The field at fault (`position`), or `None` for the id.
        field: Option<&'static str>,
    },
    /// One side of a wire.
    Wire {
        /// Index into the project's wires (0-based).
        index: usize,
        /// `from` or `to`.
        side: &'static str,
        /// The port as written (`node.port`).
        port: String,
    },
    /// An export.
    Export {
        /// Index into the project's exports (0-based).
        index: usize,
        /// The port as written (`node.port`).
        port: String,
    },
    /// A binding.
    Binding {
        /// The selector as written (`service.wasi:*`).
        selector: String,
        /// The field at fault: `env`, `dirs`, `allow`, `clock`, `random`,
        /// `fake`, `functions.<name>`, `responses`, or `None` for the key.
        field: Option<String>,
    },
    /// Where the editor draws a fake.
    FakeNode {
        /// The fake.
        fake: Fake,
    },
    /// A composite definition, or an entry inside it.
    Composite {
        /// The composite's name, as written.
        name: String,
        /// The entry inside it (a [`Place::Node`], [`Place::Wire`] or
        /// [`Place::Export`] of the composite), or `None` for the
        /// definition itself.
        inner: Option<Box<Place>>,
    },
    /// An argument preset.
    Preset {
        /// The function it is for, as written.
        function: String,
        /// The preset's name (empty when the problem is the function's
        /// table).
        name: String,
    },
}

impl Place {
    /// The binding selector this problem is about, if any.
    pub fn binding(&self) -> Option<&str> {
        match self {
            Place::Binding { selector, .. } => Some(selector),
            _ => None,
        }
    }
}

/// A document problem: where it is and what is wrong, as one message that
/// names the entry and field (`binding `a.b`: `env` entry `A=B` is not an
/// environment variable name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Where it is.
    pub place: Place,
    /// What is wrong, naming the entry.
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks an environment variable name a grant lists: not empty, no `=`
/// (the separator of `NAME=value`) and no NUL, which no environment holds.
pub fn check_env_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        return Err(format!(
            "`env` entry `{}` is not an environment variable name",
            shown(name)
        ));
    }
    Ok(())
}

/// The problems of a grant's key-value scope: a `store` file that names
/// something, and buckets that are named, listed once, and held by a store.
fn keyvalue_problems(g: &crate::Grant) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if g.store.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
        out.push(("store".into(), "`store` names no database file".into()));
    }
    if g.store.is_none() && !g.buckets.is_empty() {
        out.push((
            "buckets".into(),
            "`buckets` lists buckets, but no `store` file holds them; add `store = \"data/kv.redb\"`".into(),
        ));
    }
    for (i, b) in g.buckets.iter().enumerate() {
        if let Err(e) = check_bucket_name(b) {
            out.push(("buckets".into(), e));
        } else if g.buckets[..i].contains(b) {
            out.push((
                "buckets".into(),
                format!("`buckets` lists `{}` twice", shown(b)),
            ));
        }
    }
    out
}

/// Checks a bucket name a key-value grant lists: not empty, no control
/// characters.
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(format!(
            "`buckets` entry `{}` is not a bucket name",
            shown(name)
        ));
    }
    Ok(())
}

/// Checks a folder grant: a host folder, and an absolute guest path.
pub fn check_dir_grant(host: &str, guest: &str) -> Result<(), String> {
    if host.trim().is_empty() {
        return Err("`dirs` entry has an empty `host` folder".into());
    }
    if !guest.starts_with('/') {
        return Err(format!(
            "`dirs` entry for `{}`: guest path `{}` must be absolute, like `/data`",
            shown(host),
            shown(guest)
        ));
    }
    Ok(())
}

/// The largest number the project file can hold (TOML integers are `i64`).
const MAX_FILE_INTEGER: u64 = i64::MAX as u64;

impl Project {
    /// Every problem of the document, in document order; empty when the
    /// document can be saved and read back as it is.
    ///
    /// ```
    /// use patchbay_project::{Binding, ImportSelector, Mock, Project, Place};
    /// let mut p = Project { name: "demo".into(), ..Default::default() };
    /// p.bindings.insert(
    ///     ImportSelector::parse("service.wasi:cli/environment@0.2.6").unwrap(),
    ///     Binding::Mock(Mock::default()),
    /// );
    /// let problems = p.validate();
    /// assert_eq!(problems[0].place.binding(), Some("service.wasi:cli/environment@0.2.6"));
    /// assert!(problems[0].message.contains("a mock needs a `fake`"));
    /// ```
    pub fn validate(&self) -> Vec<Invalid> {
        let mut out = Vec::new();
        if let Err(e) = check_id(&self.name) {
            out.push(Invalid {
                place: Place::Name,
                message: format!("project name: {e}"),
            });
        }
        for (id, c) in &self.components {
            let place = |field| Place::Component {
                id: id.to_string(),
                field,
            };
            if c.path.as_os_str().to_string_lossy().trim().is_empty() {
                out.push(Invalid {
                    place: place(Some("path")),
                    message: format!("component `{}` has an empty `path`", shown(id)),
                });
            }
            if c.build.as_deref().is_some_and(|b| b.trim().is_empty()) {
                out.push(Invalid {
                    place: place(Some("build")),
                    message: format!(
                        "component `{}` has an empty `build` command; remove it or give a command",
                        shown(id)
                    ),
                });
            }
        }
        for (id, n) in &self.nodes {
            if !n.position.x.is_finite() || !n.position.y.is_finite() {
                out.push(Invalid {
                    place: Place::Node {
                        id: id.to_string(),
                        field: Some("position"),
                    },
                    message: format!("node `{}` has no finite position", shown(id)),
                });
            }
        }
        for (i, w) in self.wires.iter().enumerate() {
            for (side, port) in [("from", &w.from), ("to", &w.to)] {
                if let Err(e) = check_port(port) {
                    out.push(Invalid {
                        place: Place::Wire {
                            index: i,
                            side,
                            port: port.to_string(),
                        },
                        message: format!("wire {} `{side}`: {e}", i + 1),
                    });
                }
            }
        }
        for (i, e) in self.exports.iter().enumerate() {
            if let Err(msg) = check_port(&e.from) {
                out.push(Invalid {
                    place: Place::Export {
                        index: i,
                        port: e.from.to_string(),
                    },
                    message: format!("export: {msg}"),
                });
            }
        }
        for (selector, binding) in &self.bindings {
            let key = selector.to_string();
            if let Err(msg) = check_selector(selector) {
                out.push(Invalid {
                    place: Place::Binding {
                        selector: key.clone(),
                        field: None,
                    },
                    message: msg,
                });
            }
            for (field, msg) in binding_problems(binding) {
                out.push(Invalid {
                    message: format!("binding `{}`: {msg}", shown(&key)),
                    place: Place::Binding {
                        selector: key.clone(),
                        field: Some(field),
                    },
                });
            }
        }
        for (fake, at) in &self.fake_nodes {
            if !at.x.is_finite() || !at.y.is_finite() {
                out.push(Invalid {
                    place: Place::FakeNode { fake: *fake },
                    message: format!("the `{}` fake's node has no finite position", fake.name()),
                });
            }
        }
        out.extend(self.composite_problems());
        for (function, name, message) in crate::preset::preset_problems(&self.presets) {
            out.push(Invalid {
                place: Place::Preset { function, name },
                message,
            });
        }
        out
    }
}

impl Project {
    /// The rules of composite definitions: a name no component has, inner
    /// wires and exports between the composite's own nodes, ports that read
    /// back, export names given once, positions on the canvas, and no
    /// definition that contains itself (through other composites or not).
    fn composite_problems(&self) -> Vec<Invalid> {
        let mut out = Vec::new();
        for (name, c) in &self.composites {
            let at = |inner: Option<Place>| Place::Composite {
                name: name.to_string(),
                inner: inner.map(Box::new),
            };
            let this = format!("composite `{}`", shown(name));
            if self.components.contains_key(name) {
                out.push(Invalid {
                    place: at(None),
                    message: format!(
                        "{this} has the name of a component; components and composites share one set of names"
                    ),
                });
            }
            for (id, n) in &c.nodes {
                if !n.position.x.is_finite() || !n.position.y.is_finite() {
                    out.push(Invalid {
                        place: at(Some(Place::Node {
                            id: id.to_string(),
                            field: Some("position"),
                        })),
                        message: format!("{this}, node `{}` has no finite position", shown(id)),
                    });
                }
            }
            for (i, w) in c.wires.iter().enumerate() {
                for (side, port) in [("from", &w.from), ("to", &w.to)] {
                    let place = at(Some(Place::Wire {
                        index: i,
                        side,
                        port: port.to_string(),
                    }));
                    if let Err(e) = check_port(port) {
                        out.push(Invalid {
                            place,
                            message: format!("{this}, wire {} `{side}`: {e}", i + 1),
                        });
                    } else if !c.nodes.contains_key(&port.node) {
                        out.push(Invalid {
                            place,
                            message: format!(
                                "{this}, wire {} `{side}`: `{}` names no node of the composite",
                                i + 1,
                                shown(&port.to_string())
                            ),
                        });
                    }
                }
            }
            let mut names: Vec<&str> = Vec::new();
            for (i, e) in c.exports.iter().enumerate() {
                let place = || {
                    at(Some(Place::Export {
                        index: i,
                        port: e.from.to_string(),
                    }))
                };
                if let Err(msg) = check_port(&e.from) {
                    out.push(Invalid {
                        place: place(),
                        message: format!("{this}, export: {msg}"),
                    });
                } else if !c.nodes.contains_key(&e.from.node) {
                    out.push(Invalid {
                        place: place(),
                        message: format!(
                            "{this}, export `{}` names no node of the composite",
                            shown(&e.from.to_string())
                        ),
                    });
                }
                let export = e.export_name();
                if names.contains(&export) {
                    out.push(Invalid {
                        place: place(),
                        message: format!("{this} exports `{}` twice", shown(export)),
                    });
                }
                names.push(export);
            }
        }
        for cycle in self.composite_order().1 {
            let path: Vec<&str> = cycle.iter().map(|n| n.as_str()).collect();
            out.push(Invalid {
                place: Place::Composite {
                    name: path[0].to_string(),
                    inner: None,
                },
                message: format!(
                    "composite `{}` contains itself: {}; a composite cannot be part of its own definition",
                    path[0],
                    path.join(" → ")
                ),
            });
        }
        out
    }
}

/// A port reference must read back as itself from `node.port`.
fn check_port(port: &PortRef) -> Result<(), String> {
    let text = port.to_string();
    match PortRef::parse(&text) {
        Ok(back) if back == *port => Ok(()),
        Ok(_) => Err(format!("`{}` does not read back as itself", shown(&text))),
        Err(e) => Err(e),
    }
}

/// A selector must read back as itself from its text.
fn check_selector(selector: &ImportSelector) -> Result<(), String> {
    let text = selector.to_string();
    match ImportSelector::parse(&text) {
        Ok(back) if back == *selector => Ok(()),
        Ok(_) => Err(format!(
            "binding key `{}` does not read back as itself",
            shown(&text)
        )),
        Err(e) => Err(e),
    }
}

/// The problems of one binding, each with the field it is about.
fn binding_problems(binding: &Binding) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match binding {
        Binding::Leave | Binding::Deny => {}
        Binding::Grant(g) => {
            for name in &g.env {
                if let Err(e) = check_env_name(name) {
                    out.push(("env".into(), e));
                }
            }
            for d in &g.dirs {
                if let Err(e) = check_dir_grant(&d.host.to_string_lossy(), &d.guest) {
                    out.push(("dirs".into(), e));
                }
            }
            out.extend(keyvalue_problems(g));
            for key in g.config.keys() {
                if key.is_empty() {
                    out.push(("config".into(), "`config` has an empty key".into()));
                }
            }
            if let Some(prefix) = &g.config_prefix {
                if let Err(e) = check_env_name(prefix) {
                    out.push(("config-prefix".into(), format!("`config-prefix`: {e}")));
                }
            }
            for a in &g.allow {
                let text = a.to_string();
                match HostPort::parse(&text) {
                    Ok(back) if back == *a => {}
                    Ok(_) => out.push((
                        "allow".into(),
                        format!("`allow`: `{}` does not read back as itself", shown(&text)),
                    )),
                    Err(e) => out.push(("allow".into(), format!("`allow`: {e}"))),
                }
            }
            if let Some(ClockSetting::Fixed { unix_ms }) = g.clock {
                if unix_ms > MAX_FILE_INTEGER {
                    out.push((
                        "clock".into(),
                        format!("`clock`: `fixed-unix-ms` {unix_ms} is above {MAX_FILE_INTEGER}, the largest the project file holds"),
                    ));
                }
            }
            if let Some(RandomSetting::Seeded(seed)) = g.random {
                if seed > MAX_FILE_INTEGER {
                    out.push((
                        "random".into(),
                        format!("`random`: `seed` {seed} is above {MAX_FILE_INTEGER}, the largest the project file holds"),
                    ));
                }
            }
        }
        Binding::Mock(m) => {
            if m.fake.is_none() && m.functions.is_empty() {
                out.push((
                    "fake".into(),
                    "a mock needs a `fake` or at least one entry under `functions`".into(),
                ));
            }
            for (name, behavior) in &m.functions {
                let field = format!("functions.{name}");
                match behavior {
                    MockBehavior::Sequence(values) if values.is_empty() => out.push((
                        field,
                        format!(
                            "function `{}`: a sequence needs at least one value",
                            shown(name)
                        ),
                    )),
                    MockBehavior::Match { cases, .. } if cases.is_empty() => out.push((
                        field,
                        format!(
                            "function `{}`: `cases` needs at least one case",
                            shown(name)
                        ),
                    )),
                    _ => {}
                }
            }
            for (url, response) in &m.responses {
                let text = response.to_string();
                match CannedResponse::parse(&text) {
                    Ok(back) if back == *response => {}
                    Ok(_) => out.push((
                        "responses".into(),
                        format!(
                            "`responses.\"{}\"`: `{}` does not read back as itself",
                            shown(url),
                            shown(&text)
                        ),
                    )),
                    Err(e) => out.push((
                        "responses".into(),
                        format!("`responses.\"{}\"`: {e}", shown(url)),
                    )),
                }
            }
        }
    }
    out
}
