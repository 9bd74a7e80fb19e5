//! The Patchbay project: a folder with a `patchbay.toml` that names component
//! files, the nodes instantiating them, the wires between nodes, a binding
//! for every unwired import, and the exports of the composition.
//!
//! The file is versioned (`version = 1`). Older versions are upgraded on
//! load; newer or broken files give an error with line and column.
//!
//! # What saving guarantees
//!
//! [`save`] (and [`write_atomic`], [`write_output`]) replace a file so that
//! anyone reading it sees the old content or the new, never a mix, even
//! when saves run at the same time or a save is killed:
//!
//! - every save writes its own temporary file in the target's folder
//!   (`.name.tmp-<pid>-<counter>-<random>`, created with `create_new`) and
//!   renames it over the target;
//! - saves of one target take turns: an in-process lock keyed by the
//!   canonical path, and an advisory OS lock on `.name.lock` beside it for
//!   other processes (the lock file is removed when the save ends);
//! - [`save`] and [`write_atomic`] sync the file before the rename and the
//!   folder after it (on Unix), so after a crash or power cut the target is
//!   the old or the new content; [`write_output`] skips the syncs (build
//!   outputs can be made again);
//! - temporaries left by killed saves are removed by the next save of the
//!   target, and by [`load`] once their process is gone or they are older
//!   than [`STALE_TEMP_AGE`].
//!
//! Reading is as careful: [`load`] (and every crate reading a file a person
//! named, through [`read_regular`]) reads only regular files, up to a cap
//! ([`MAX_MANIFEST_BYTES`], [`MAX_COMPONENT_BYTES`]); a FIFO or a device is
//! an error naming the file and what it is, never a hang.
//!
//! ```
//! use patchbay_project::{parse, to_toml, PortRef};
//! let text = r#"
//! version = 1
//! name = "demo"
//! [components.kv-memory]
//! path = "kv-memory.wasm"
//! [nodes.memory]
//! component = "kv-memory"
//! "#;
//! let (project, upgraded_from) = parse(text, "patchbay.toml".as_ref()).unwrap();
//! assert_eq!(upgraded_from, None);
//! assert_eq!(project.nodes["memory"].component, "kv-memory");
//! assert_eq!(parse(&to_toml(&project), "x".as_ref()).unwrap().0, project);
//! assert_eq!(PortRef::parse("memory.patchbay:kv/store").unwrap().node, "memory");
//! ```

mod file;
mod model;
mod read;
mod validate;
mod write;

pub use model::*;
pub use read::{
    read_regular, size_text, FileKind, ReadError, MAX_COMPONENT_BYTES, MAX_MANIFEST_BYTES,
};
pub use validate::{check_dir_grant, check_env_name, Invalid, Place};
pub use write::STALE_TEMP_AGE;

use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// The project file version this build writes.
pub const CURRENT_VERSION: u32 = 1;

/// The file name of a project manifest inside a project folder.
pub const MANIFEST_NAME: &str = "patchbay.toml";

/// A problem in a project file, with the place it was found when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// 1-based line, if the place is known.
    pub line: Option<usize>,
    /// 1-based column, if the place is known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{l}:{c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a project could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The project file could not be read (missing, a folder without a
    /// manifest, no permission …).
    #[error("cannot read project file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The project path names a folder inside the project folder, a FIFO, a
    /// socket or a device instead of a file.
    #[error("{}: is {kind}, not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: FileKind,
    },
    /// The project file is larger than [`MAX_MANIFEST_BYTES`].
    #[error(
        "{}: is {}, more than the {} a project file may have",
        path.display(),
        size_text(*size),
        size_text(*limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least).
        size: u64,
        /// The cap, [`MAX_MANIFEST_BYTES`].
        limit: u64,
    },
    /// The project file could not be written; the old file is untouched.
    #[error("cannot save project file {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or does not have the shape of a project.
    #[error("{}:{}:{}: {message}", path.display(), line, column)]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// The file was written by a newer Patchbay.
    #[error(
        "{}: project file version {found} is newer than this Patchbay understands (up to {supported}); update Patchbay to open it",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The file parses, but some entries are malformed.
    #[error("{}", display_problems(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every malformed entry.
        problems: Vec<FileProblem>,
    },
}

/// `path:line:col: message`, one line per problem, as compilers print them.
fn display_problems(path: &Path, problems: &[FileProblem]) -> String {
    let line = |p: &FileProblem| match (p.line, p.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", path.display(), p.message),
        _ => format!("{}: {}", path.display(), p.message),
    };
    if problems.len() == 1 {
        return line(&problems[0]);
    }
    let mut out = format!("{}: {} problems:", path.display(), problems.len());
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&line(p));
    }
    out
}

/// A project loaded from disk.
#[derive(Debug, Clone)]
pub struct ProjectDoc {
    /// The manifest file (`…/patchbay.toml`).
    pub path: PathBuf,
    /// The project.
    pub project: Project,
    /// The version the file was upgraded from, if it was older.
    pub upgraded_from: Option<u32>,
}

impl ProjectDoc {
    /// The folder that relative paths in the project are resolved against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Resolves a path written in the project file.
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        self.dir().join(relative)
    }

    /// The file of component `id`, if the project has it.
    pub fn component_path(&self, id: &str) -> Option<PathBuf> {
        self.project
            .components
            .get(id)
            .map(|c| self.resolve(&c.path))
    }

    /// Writes the project back to its file, atomically.
    pub fn save(&self) -> Result<(), ProjectError> {
        save(&self.project, &self.path)
    }
}

/// Finds the manifest for `path`: the file itself, or `patchbay.toml` inside
/// a folder.
pub fn manifest_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(MANIFEST_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Loads a project from a manifest file or a project folder. Only a regular
/// file of at most [`MAX_MANIFEST_BYTES`] is read. Temporary files of saves
/// of this manifest that were killed are removed on the way.
pub fn load(path: &Path) -> Result<ProjectDoc, ProjectError> {
    let path = manifest_path(path);
    let bytes = read_regular(&path, MAX_MANIFEST_BYTES).map_err(|e| match e {
        ReadError::Io(source) => ProjectError::Read {
            path: path.clone(),
            source,
        },
        ReadError::NotRegular(kind) => ProjectError::NotRegular {
            path: path.clone(),
            kind,
        },
        ReadError::TooLarge { size, limit } => ProjectError::TooLarge {
            path: path.clone(),
            size,
            limit,
        },
    })?;
    write::remove_abandoned_temps(&path);
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let (line, column) = line_col(std::str::from_utf8(&bytes[..at]).unwrap_or_default(), at);
        ProjectError::Syntax {
            path: path.clone(),
            line,
            column,
            message: format!("the file is not UTF-8 text (byte 0x{:02x})", bytes[at]),
        }
    })?;
    let (project, upgraded_from) = parse(&text, &path)?;
    Ok(ProjectDoc {
        path,
        project,
        upgraded_from,
    })
}

/// Parses project text; `path` is only used in error messages. Returns the
/// project and, if the text was an older version, that version.
pub fn parse(text: &str, path: &Path) -> Result<(Project, Option<u32>), ProjectError> {
    let syntax = |e: toml::de::Error| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ProjectError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: shown_message(e.message().trim_end()),
        }
    };
    let probe: file::VersionProbe = toml::from_str(text).map_err(syntax)?;
    let (v1, upgraded_from) = match probe.version {
        None => {
            let v0: file::v0::ProjectFile = toml::from_str(text).map_err(syntax)?;
            // Without `version`, a file is version 0 only if it has what a
            // version-0 project had; otherwise (an empty file, comments,
            // a lone `name`) it is no project, and upgrading it would
            // compose an empty component.
            if v0.components.is_empty()
                && v0.nodes.is_empty()
                && v0.connections.is_empty()
                && v0.exports.is_empty()
            {
                return Err(ProjectError::Invalid {
                    path: path.to_path_buf(),
                    problems: vec![FileProblem {
                        line: None,
                        column: None,
                        message: format!(
                            "the project file is empty: a Patchbay project needs `version = {CURRENT_VERSION}`, a `name`, and the [components] and [nodes] it is made of"
                        ),
                    }],
                });
            }
            (upgrade_v0(v0, path), Some(0))
        }
        Some(toml::Value::Integer(1)) => (toml::from_str(text).map_err(syntax)?, None),
        Some(toml::Value::Integer(n)) if n > CURRENT_VERSION as i64 => {
            return Err(ProjectError::TooNew {
                path: path.to_path_buf(),
                found: n,
                supported: CURRENT_VERSION,
            })
        }
        Some(other) => {
            let (line, column) = find(text, "version").unwrap_or((1, 1));
            return Err(ProjectError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("`version` must be {CURRENT_VERSION}, found {other}"),
            });
        }
    };
    let project = from_file(v1, text).map_err(|problems| ProjectError::Invalid {
        path: path.to_path_buf(),
        problems,
    })?;
    Ok((project, upgraded_from))
}

/// Renders a project as `patchbay.toml` text in the current version.
pub fn to_toml(project: &Project) -> String {
    let file = to_file(project);
    let body = toml::to_string_pretty(&file).unwrap_or_else(|e| {
        // Every field is a string, number, table or array of those, so
        // serialization cannot fail; keep a readable message if it ever does.
        format!("# could not render project: {e}\n")
    });
    format!("# Patchbay project. Edit freely; Patchbay keeps comments out but keeps your order.\n{body}")
}

/// Renders `project` as `patchbay.toml` text only if that text opens again
/// as the same project: the document follows [`Project::validate`]'s rules
/// and reads back equal. Otherwise [`ProjectError::Invalid`] lists why,
/// naming the entry and field; `path` is only used in the error.
pub fn to_toml_checked(project: &Project, path: &Path) -> Result<String, ProjectError> {
    let invalid = |problems: Vec<FileProblem>| ProjectError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let problems = project.validate();
    if !problems.is_empty() {
        return Err(invalid(
            problems
                .into_iter()
                .map(|p| FileProblem {
                    line: None,
                    column: None,
                    message: p.message,
                })
                .collect(),
        ));
    }
    let text = to_toml(project);
    match parse(&text, path) {
        Ok((back, _)) if back == *project => Ok(text),
        Ok(_) => Err(invalid(vec![FileProblem {
            line: None,
            column: None,
            message: "the project would read back differently from the file it is saved as".into(),
        }])),
        Err(e) => Err(invalid(vec![FileProblem {
            line: None,
            column: None,
            message: format!("the saved file would not open again: {e}"),
        }])),
    }
}

/// Writes `project` to `path` atomically: the text goes to a temporary file
/// in the same folder, is synced, then renamed over `path`. A project that
/// would not open again ([`to_toml_checked`]) is refused, and the file is
/// left as it was.
pub fn save(project: &Project, path: &Path) -> Result<(), ProjectError> {
    let text = to_toml_checked(project, path)?;
    write_atomic(path, text.as_bytes()).map_err(|source| ProjectError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes bytes to `path` through a synced temporary file and a rename, and
/// syncs the folder: the file is either the old or the new content, even
/// after a crash, and saves at the same time take turns (see the crate
/// documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write::replace(path, bytes, true)
}

/// Writes a build output (a composed `.wasm`, `.wac` or `.wit`) like
/// [`write_atomic`], so readers never see half a file and writes at the
/// same time take turns, but without waiting for the disk: outputs can be
/// made again, and the sync costs more than composing a small graph.
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write::replace(path, bytes, false)
}

/// The content hash Patchbay records for component files: `sha256:<hex>`.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl Project {
    /// The binding that applies to `import` of `node`: the most specific
    /// matching selector (see [`ImportSelector::specificity`]).
    pub fn binding_for(&self, node: &str, import: &str) -> Option<(&ImportSelector, &Binding)> {
        self.bindings
            .iter()
            .filter(|(sel, _)| sel.matches(node, import))
            .max_by_key(|(sel, _)| sel.specificity())
    }

    /// The wire feeding `import` of `node`, if any.
    pub fn wire_into(&self, node: &str, import: &str) -> Option<&Wire> {
        self.wires
            .iter()
            .find(|w| w.to.node == node && w.to.port == import)
    }
}

/// A parser's message as a problem shows it: every `quoted` part through
/// [`shown`], and the whole cut to a few lines' worth, since the TOML parser
/// echoes keys and values (a 2 MB unknown key, a 2 MB string of the wrong
/// type).
fn shown_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&shown(part));
        } else {
            out.push_str(part);
        }
    }
    match out.char_indices().nth(8 * SHOWN_CHARS) {
        None => out,
        Some((cut, _)) => format!("{}… ({} characters)", &out[..cut], out.chars().count()),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Locates the first occurrence of `needle` in the text, for messages about
/// entries whose span the TOML parser no longer has.
fn find(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|o| line_col(text, o))
}

fn upgrade_v0(v0: file::v0::ProjectFile, path: &Path) -> file::v1::ProjectFile {
    let name = v0.name.unwrap_or_else(|| {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_lowercase().replace(['_', ' '], "-"))
            .unwrap_or_else(|| "project".into())
    });
    file::v1::ProjectFile {
        version: CURRENT_VERSION,
        name,
        components: v0.components,
        nodes: v0
            .nodes
            .into_iter()
            .map(|(id, n)| {
                (
                    id,
                    file::v1::NodeEntry {
                        component: n.component,
                        position: file::v1::Position { x: n.x, y: n.y },
                    },
                )
            })
            .collect(),
        wires: v0
            .connections
            .into_iter()
            .map(|c| file::v1::WireEntry {
                from: c.export,
                to: c.import,
            })
            .collect(),
        exports: v0.exports,
        // Version 0 left every unwired import open.
        bindings: [("*.*".to_string(), file::v1::BindingEntry::Leave)]
            .into_iter()
            .collect(),
        fake_nodes: Default::default(),
    }
}

fn from_file(f: file::v1::ProjectFile, text: &str) -> Result<Project, Vec<FileProblem>> {
    use file::v1::*;
    let mut problems = Vec::new();
    let mut problem = |needle: &str, message: String| {
        let at = find(text, needle);
        problems.push(FileProblem {
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            message,
        });
    };

    let mut components = indexmap::IndexMap::new();
    for (id, c) in f.components {
        components.insert(
            id,
            ComponentRef {
                path: PathBuf::from(c.path),
                build: c.build.filter(|b| !b.trim().is_empty()),
                watch: c.watch.into_iter().map(PathBuf::from).collect(),
                hash: c.hash,
            },
        );
    }

    let mut nodes = indexmap::IndexMap::new();
    for (id, n) in f.nodes {
        nodes.insert(
            id,
            Node {
                component: n.component,
                position: model::Position {
                    x: n.position.x,
                    y: n.position.y,
                },
            },
        );
    }

    let mut wires = Vec::new();
    for (i, w) in f.wires.iter().enumerate() {
        match (PortRef::parse(&w.from), PortRef::parse(&w.to)) {
            (Ok(from), Ok(to)) => wires.push(Wire { from, to }),
            (from, to) => {
                for (side, text_value, r) in [("from", &w.from, from), ("to", &w.to, to)] {
                    if let Err(e) = r {
                        problem(
                            &format!("\"{text_value}\""),
                            format!("wire {} `{side}`: {e}", i + 1),
                        );
                    }
                }
            }
        }
    }

    let mut exports = Vec::new();
    for e in f.exports {
        match PortRef::parse(&e.from) {
            Ok(from) => exports.push(ExportDecl {
                from,
                name: e.as_name,
            }),
            Err(msg) => problem(&format!("\"{}\"", e.from), format!("export: {msg}")),
        }
    }

    let mut bindings = indexmap::IndexMap::new();
    for (key, b) in f.bindings {
        let selector = match ImportSelector::parse(&key) {
            Ok(s) => s,
            Err(msg) => {
                problem(&key, msg);
                continue;
            }
        };
        let binding = match b {
            BindingEntry::Leave => Binding::Leave,
            BindingEntry::Deny => Binding::Deny,
            BindingEntry::Grant(g) => match grant_from_file(g) {
                Ok(g) => Binding::Grant(g),
                Err(msg) => {
                    problem(&key, format!("binding `{}`: {msg}", shown(&key)));
                    continue;
                }
            },
            BindingEntry::Mock(m) => match mock_from_file(m) {
                Ok(m) => Binding::Mock(m),
                Err(msg) => {
                    problem(&key, format!("binding `{}`: {msg}", shown(&key)));
                    continue;
                }
            },
        };
        bindings.insert(selector, binding);
    }

    let mut fake_nodes = indexmap::IndexMap::new();
    for (name, entry) in f.fake_nodes {
        match Fake::from_name(&name) {
            Some(fake) => {
                fake_nodes.insert(
                    fake,
                    model::Position {
                        x: entry.position.x,
                        y: entry.position.y,
                    },
                );
            }
            None => {
                let known: Vec<_> = Fake::ALL.iter().map(|f| f.name()).collect();
                problem(
                    &name,
                    format!(
                        "fake-nodes: unknown fake `{}`; the built-in fakes are {}",
                        shown(&name),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    let project = Project {
        name: f.name,
        components,
        nodes,
        wires,
        exports,
        bindings,
        fake_nodes,
    };
    // The document's own rules, the same ones the editor's save applies.
    for invalid in project.validate() {
        problem(&needle(&invalid.place), invalid.message);
    }
    if problems.is_empty() {
        Ok(project)
    } else {
        // Compiler order: by place in the file, unplaced ones last.
        problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
        Err(problems)
    }
}

/// The text that marks where `place` is written in the project file.
fn needle(place: &Place) -> String {
    match place {
        Place::Name => "name".into(),
        Place::Component { id, .. } | Place::Node { id, .. } => id.clone(),
        Place::Wire { port, .. } | Place::Export { port, .. } => format!("\"{port}\""),
        Place::Binding { selector, .. } => selector.clone(),
        Place::FakeNode { fake } => fake.name().into(),
    }
}

fn grant_from_file(g: file::v1::GrantEntry) -> Result<Grant, String> {
    use file::v1::{ClockEntry, RandomEntry};
    let mut dirs = Vec::new();
    for d in g.dirs {
        dirs.push(DirGrant {
            host: PathBuf::from(d.host),
            guest: d.guest,
            writable: d.writable,
        });
    }
    let allow = g
        .allow
        .iter()
        .map(|a| HostPort::parse(a).map_err(|e| format!("`allow`: {e}")))
        .collect::<Result<_, _>>()?;
    let clock = match g.clock {
        None => None,
        Some(ClockEntry::Named(n)) if n == "real" => Some(ClockSetting::Real),
        Some(ClockEntry::Named(n)) => {
            return Err(format!(
                "`clock = \"{}\"`: expected `\"real\"` or `{{ fixed-unix-ms = … }}`",
                shown(&n)
            ))
        }
        Some(ClockEntry::Fixed { fixed_unix_ms }) => Some(ClockSetting::Fixed {
            unix_ms: fixed_unix_ms,
        }),
    };
    let random = match g.random {
        None => None,
        Some(RandomEntry::Named(n)) if n == "real" => Some(RandomSetting::Real),
        Some(RandomEntry::Named(n)) => {
            return Err(format!(
                "`random = \"{}\"`: expected `\"real\"` or `{{ seed = … }}`",
                shown(&n)
            ))
        }
        Some(RandomEntry::Seeded { seed }) => Some(RandomSetting::Seeded(seed)),
    };
    Ok(Grant {
        env: g.env,
        dirs,
        allow,
        clock,
        random,
    })
}

fn mock_from_file(m: file::v1::MockEntry) -> Result<Mock, String> {
    let fake = match m.fake {
        None => None,
        Some(name) => Some(Fake::from_name(&name).ok_or_else(|| {
            let known: Vec<_> = Fake::ALL.iter().map(|f| f.name()).collect();
            format!(
                "unknown fake `{}`; the built-in fakes are {}",
                shown(&name),
                known.join(", ")
            )
        })?),
    };
    let mut responses = indexmap::IndexMap::new();
    for (url, text) in m.responses {
        let response = CannedResponse::parse(&text)
            .map_err(|e| format!("`responses.\"{}\"`: {e}", shown(&url)))?;
        responses.insert(url, response);
    }
    let mut functions = indexmap::IndexMap::new();
    for (name, f) in m.functions {
        let behavior = match (f.returns, f.sequence.is_empty(), f.cases.is_empty(), f.trap) {
            (Some(v), true, true, None) => MockBehavior::Returns(v),
            (None, false, true, None) => MockBehavior::Sequence(f.sequence),
            (otherwise, true, false, None) => MockBehavior::Match {
                cases: f
                    .cases
                    .into_iter()
                    .map(|c| MockCase {
                        args: c.args,
                        returns: c.returns,
                    })
                    .collect(),
                otherwise,
            },
            (None, true, true, Some(msg)) => MockBehavior::Trap(msg),
            (None, true, true, None) => {
                return Err(format!(
                    "function `{}` needs one of `returns`, `sequence`, `cases` or `trap`",
                    shown(&name)
                ))
            }
            _ => {
                return Err(format!(
                    "function `{}` mixes `returns`, `sequence`, `cases` and `trap`; use one (`returns` may go with `cases` as the fallback)",
                    shown(&name)
                ))
            }
        };
        functions.insert(name, behavior);
    }
    Ok(Mock {
        fake,
        functions,
        values: m.values,
        responses,
    })
}

fn to_file(p: &Project) -> file::v1::ProjectFile {
    use file::v1::*;
    ProjectFile {
        version: CURRENT_VERSION,
        name: p.name.clone(),
        components: p
            .components
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    ComponentEntry {
                        path: path_text(&c.path),
                        build: c.build.clone(),
                        watch: c.watch.iter().map(|w| path_text(w)).collect(),
                        hash: c.hash.clone(),
                    },
                )
            })
            .collect(),
        nodes: p
            .nodes
            .iter()
            .map(|(id, n)| {
                (
                    id.clone(),
                    NodeEntry {
                        component: n.component.clone(),
                        position: file::v1::Position {
                            x: n.position.x,
                            y: n.position.y,
                        },
                    },
                )
            })
            .collect(),
        wires: p
            .wires
            .iter()
            .map(|w| WireEntry {
                from: w.from.to_string(),
                to: w.to.to_string(),
            })
            .collect(),
        exports: p
            .exports
            .iter()
            .map(|e| ExportEntry {
                from: e.from.to_string(),
                as_name: e.name.clone(),
            })
            .collect(),
        bindings: p
            .bindings
            .iter()
            .map(|(sel, b)| (sel.to_string(), binding_to_file(b)))
            .collect(),
        fake_nodes: p
            .fake_nodes
            .iter()
            .map(|(fake, at)| {
                (
                    fake.name().to_string(),
                    FakeNodeEntry {
                        position: file::v1::Position { x: at.x, y: at.y },
                    },
                )
            })
            .collect(),
    }
}

fn binding_to_file(b: &Binding) -> file::v1::BindingEntry {
    use file::v1::*;
    match b {
        Binding::Leave => BindingEntry::Leave,
        Binding::Deny => BindingEntry::Deny,
        Binding::Grant(g) => BindingEntry::Grant(GrantEntry {
            env: g.env.clone(),
            dirs: g
                .dirs
                .iter()
                .map(|d| DirEntry {
                    host: path_text(&d.host),
                    guest: d.guest.clone(),
                    writable: d.writable,
                })
                .collect(),
            allow: g.allow.iter().map(|a| a.to_string()).collect(),
            clock: g.clock.map(|c| match c {
                ClockSetting::Real => ClockEntry::Named("real".into()),
                ClockSetting::Fixed { unix_ms } => ClockEntry::Fixed {
                    fixed_unix_ms: unix_ms,
                },
            }),
            random: g.random.map(|r| match r {
                RandomSetting::Real => RandomEntry::Named("real".into()),
                RandomSetting::Seeded(seed) => RandomEntry::Seeded { seed },
            }),
        }),
        Binding::Mock(m) => BindingEntry::Mock(MockEntry {
            fake: m.fake.map(|f| f.name().to_string()),
            functions: m
                .functions
                .iter()
                .map(|(name, b)| {
                    let mut e = MockFunctionEntry::default();
                    match b {
                        MockBehavior::Returns(v) => e.returns = Some(v.clone()),
                        MockBehavior::Sequence(s) => e.sequence = s.clone(),
                        MockBehavior::Match { cases, otherwise } => {
                            e.cases = cases
                                .iter()
                                .map(|c| MockCaseEntry {
                                    args: c.args.clone(),
                                    returns: c.returns.clone(),
                                })
                                .collect();
                            e.returns = otherwise.clone();
                        }
                        MockBehavior::Trap(msg) => e.trap = Some(msg.clone()),
                    }
                    (name.clone(), e)
                })
                .collect(),
            values: m.values.clone(),
            responses: m
                .responses
                .iter()
                .map(|(url, r)| (url.clone(), r.to_string()))
                .collect(),
        }),
    }
}

/// Project files use `/` on every platform.
fn path_text(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests;
