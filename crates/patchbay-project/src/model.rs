//! The in-memory project model. None of these types is serialized directly;
//! see [`crate::file`] for the on-disk format.

use crate::id::{ComponentId, NodeId};
use indexmap::IndexMap;
use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// A Patchbay project: components, the nodes that instantiate them, the wires
/// between nodes, what happens to every unwired import, and what the
/// composition exports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    /// The project name; also the package name of the composition
    /// (`project:<name>` in the generated `.wac`).
    pub name: String,
    /// Components by id.
    pub components: IndexMap<ComponentId, ComponentRef>,
    /// Composite definitions by name: reusable sub-graphs a node can
    /// instantiate like a component. Composite names and component ids
    /// share one namespace.
    pub composites: IndexMap<ComponentId, Composite>,
    /// Nodes (component or composite instances) by id.
    pub nodes: IndexMap<NodeId, Node>,
    /// Wires, each feeding one node's import from another node's export.
    pub wires: Vec<Wire>,
    /// Exports of the composition.
    pub exports: Vec<ExportDecl>,
    /// Bindings of unwired imports, in file order.
    pub bindings: IndexMap<ImportSelector, Binding>,
    /// Where the editor draws each built-in fake as a node. Layout only:
    /// what a fake serves is in `bindings`.
    pub fake_nodes: IndexMap<Fake, Position>,
    /// Named arguments for the functions the composition exports (see
    /// [`crate::preset`]).
    pub presets: crate::preset::Presets,
}

/// A component file used by the project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComponentRef {
    /// Path of the `.wasm` or `.wat` file, relative to the project file.
    pub path: PathBuf,
    /// Shell command that rebuilds the file, run in the project folder.
    pub build: Option<String>,
    /// Source files or folders (relative to the project file) whose changes
    /// call for a rebuild.
    pub watch: Vec<PathBuf>,
    /// Content hash (`sha256:<hex>`) of the file when the project was saved.
    pub hash: Option<String>,
}

/// An instance of a component or of a composite on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What this node instantiates: a component id, or the name of a
    /// composite ([`Project::composites`]; one namespace for both). The
    /// file writes `component = …` or `composite = …` accordingly.
    pub component: ComponentId,
    /// Position in the editor.
    pub position: Position,
}

/// A composite definition: a sub-graph of nodes, wires and exports that
/// composes into one component of its own. Its inner nodes have no
/// bindings: every import no inner wire feeds becomes an import (a port)
/// of the composite, by name (inner nodes importing the same name share
/// that port), and the enclosing graph wires or binds it on the node that
/// instantiates the composite. Its exports are [`Composite::exports`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Composite {
    /// Inner nodes by id; an inner node may instantiate a component or
    /// another composite (nesting, without cycles).
    pub nodes: IndexMap<NodeId, Node>,
    /// Wires between inner nodes.
    pub wires: Vec<Wire>,
    /// The composite's exports: inner node exports, optionally renamed.
    pub exports: Vec<ExportDecl>,
}

impl Project {
    /// Whether `name` names a composite definition.
    pub fn is_composite(&self, name: &str) -> bool {
        self.composites.contains_key(name)
    }

    /// The composite `name` as a project of its own: the same components
    /// and composite definitions, the composite's nodes, wires and exports
    /// at the top, and every import its inner nodes leave unwired left open
    /// (`*.*` = `leave`), which is what makes them the composite's ports.
    /// This is what composing a composite composes, and what a library
    /// folder saved from it holds.
    pub fn composite_project(&self, name: &str) -> Option<Project> {
        let c = self.composites.get(name)?;
        let leave_all = ImportSelector {
            node: None,
            import: String::new(),
            prefix: true,
        };
        Some(Project {
            name: name.to_string(),
            components: self.components.clone(),
            composites: self.composites.clone(),
            nodes: c.nodes.clone(),
            wires: c.wires.clone(),
            exports: c.exports.clone(),
            bindings: [(leave_all, Binding::Leave)].into_iter().collect(),
            fake_nodes: IndexMap::new(),
            presets: Default::default(),
        })
    }

    /// Composite names in an order where each comes after the composites
    /// its nodes instantiate, and the composites that are part of a
    /// definition cycle (which have no such order), each cycle once as the
    /// path that closes it (`a`, `b`, `a`).
    pub fn composite_order(&self) -> (Vec<ComponentId>, Vec<Vec<ComponentId>>) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Visiting,
            Done,
        }
        fn visit(
            p: &Project,
            name: &ComponentId,
            marks: &mut std::collections::HashMap<ComponentId, Mark>,
            stack: &mut Vec<ComponentId>,
            order: &mut Vec<ComponentId>,
            cycles: &mut Vec<Vec<ComponentId>>,
        ) {
            match marks.get(name) {
                Some(Mark::Done) => return,
                Some(Mark::Visiting) => {
                    let start = stack.iter().position(|n| n == name).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(name.clone());
                    cycles.push(cycle);
                    return;
                }
                None => {}
            }
            marks.insert(name.clone(), Mark::Visiting);
            stack.push(name.clone());
            if let Some(c) = p.composites.get(name) {
                for node in c.nodes.values() {
                    if p.composites.contains_key(&node.component) {
                        visit(p, &node.component, marks, stack, order, cycles);
                    }
                }
            }
            stack.pop();
            marks.insert(name.clone(), Mark::Done);
            order.push(name.clone());
        }
        let mut marks = std::collections::HashMap::new();
        let (mut order, mut cycles) = (Vec::new(), Vec::new());
        for name in self.composites.keys() {
            visit(
                self,
                name,
                &mut marks,
                &mut Vec::new(),
                &mut order,
                &mut cycles,
            );
        }
        let cyclic: std::collections::HashSet<&ComponentId> = cycles.iter().flatten().collect();
        let order = order.into_iter().filter(|n| !cyclic.contains(n)).collect();
        (order, cycles)
    }
}

/// A point on the editor canvas.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Position {
    /// Horizontal coordinate.
    pub x: f64,
    /// Vertical coordinate.
    pub y: f64,
}

/// A port of a node: `node.port`, where `port` is a WIT import or export
/// name such as `patchbay:kv/store` or `handle-request`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRef {
    /// Node id.
    pub node: NodeId,
    /// Import or export name.
    pub port: String,
}

impl PortRef {
    /// Creates a port reference.
    pub fn new(node: NodeId, port: impl Into<String>) -> Self {
        Self {
            node,
            port: port.into(),
        }
    }

    /// Parses `node.port`. Node ids never contain `.`, so the first `.`
    /// separates them (import names may contain dots in versions).
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((node, port)) = text.split_once('.') else {
            return Err(format!(
                "`{}` is not a port reference; expected `node.port`, for example `service.patchbay:kv/store`",
                shown(text)
            ));
        };
        let node = NodeId::new(node).map_err(|e| format!("in `{}`: node {e}", shown(text)))?;
        if port.is_empty() {
            return Err(format!(
                "`{}` names no port after `{}.`",
                shown(text),
                shown(&node)
            ));
        }
        Ok(Self::new(node, port))
    }
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.node, self.port)
    }
}

/// A wire: `from` (an export) feeds `to` (an import).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Wire {
    /// The exporting side.
    pub from: PortRef,
    /// The importing side.
    pub to: PortRef,
}

impl fmt::Display for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

/// An export of the composition.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDecl {
    /// The node export that is re-exported.
    pub from: PortRef,
    /// The name in the composition; defaults to the node's export name.
    pub name: Option<String>,
}

impl ExportDecl {
    /// The name this export has in the composition.
    pub fn export_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.from.port)
    }
}

/// Which imports a binding applies to: `node.import`, where `node` may be
/// `*` (every node) and `import` may end in `*` (a prefix, such as `wasi:*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportSelector {
    /// `None` selects every node.
    pub node: Option<NodeId>,
    /// The import name, or a prefix if `prefix` is set.
    pub import: String,
    /// Whether `import` is a prefix (written with a trailing `*`).
    pub prefix: bool,
}

impl ImportSelector {
    /// Selects exactly one import of one node.
    pub fn exact(node: NodeId, import: impl Into<String>) -> Self {
        Self {
            node: Some(node),
            import: import.into(),
            prefix: false,
        }
    }

    /// Parses `node.import`, `*.import`, `node.prefix*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let Some((node, import)) = text.split_once('.') else {
            return Err(format!(
                "binding key `{}` must look like `node.import` (for example `service.wasi:cli/environment@0.2.6`, `service.wasi:*` or `*.wasi:*`)",
                shown(text)
            ));
        };
        let node = if node == "*" {
            None
        } else {
            Some(
                NodeId::new(node)
                    .map_err(|e| format!("binding key `{}`: node {e}", shown(text)))?,
            )
        };
        let (import, prefix) = match import.strip_suffix('*') {
            Some(p) => (p, true),
            None => (import, false),
        };
        if import.contains('*') {
            return Err(format!(
                "binding key `{}`: `*` may only end the import name",
                shown(text)
            ));
        }
        if import.is_empty() && !prefix {
            return Err(format!("binding key `{}` names no import", shown(text)));
        }
        Ok(Self {
            node,
            import: import.to_string(),
            prefix,
        })
    }

    /// Whether this selector applies to `import` of `node`.
    pub fn matches(&self, node: &str, import: &str) -> bool {
        if self.node.as_deref().is_some_and(|n| n != node) {
            return false;
        }
        if self.prefix {
            import.starts_with(&self.import)
        } else {
            import == self.import
        }
    }

    /// Orders selectors by how specific they are: an exact import beats a
    /// prefix, a longer prefix beats a shorter one, a named node beats `*`.
    pub fn specificity(&self) -> (bool, usize, bool) {
        (!self.prefix, self.import.len(), self.node.is_some())
    }
}

impl fmt::Display for ImportSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}{}",
            self.node.as_deref().unwrap_or("*"),
            self.import,
            if self.prefix { "*" } else { "" }
        )
    }
}

/// What happens to an import that no wire feeds.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// The import stays an import of the composition.
    Leave,
    /// The host grants a real capability, scoped by the settings.
    Grant(Grant),
    /// The host answers with a mock.
    Mock(Mock),
    /// Calling the import fails with a "capability denied" error.
    Deny,
}

impl Binding {
    /// The binding's mode as written in the project file.
    pub fn mode(&self) -> &'static str {
        match self {
            Binding::Leave => "leave",
            Binding::Grant(_) => "grant",
            Binding::Mock(_) => "mock",
            Binding::Deny => "deny",
        }
    }
}

/// Scope of a granted capability. Only the settings that make sense for the
/// granted interface are used; nothing is granted by default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grant {
    /// Environment variables the guest may read (`wasi:cli/environment`).
    pub env: Vec<String>,
    /// Preopened folders (`wasi:filesystem`).
    pub dirs: Vec<DirGrant>,
    /// `host:port` pairs reachable by sockets or outgoing HTTP.
    pub allow: Vec<HostPort>,
    /// Wall clock (`wasi:clocks`).
    pub clock: Option<ClockSetting>,
    /// Random source (`wasi:random`).
    pub random: Option<RandomSetting>,
    /// The key-value database file (`wasi:keyvalue`), relative to the
    /// project file or absolute; its data persists across runs.
    pub store: Option<PathBuf>,
    /// The buckets of [`Grant::store`] the guest may open (`wasi:keyvalue`).
    pub buckets: Vec<String>,
    /// Configuration values by key (`wasi:config/store`).
    pub config: IndexMap<String, String>,
    /// A host environment prefix (`APP_`) whose variables become
    /// configuration values, the prefix stripped and the rest lowercased,
    /// as Spin's environment variables provider does (`wasi:config/store`).
    pub config_prefix: Option<String>,
}

/// One part of a [`Grant`], named as the project file's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantScope {
    /// [`Grant::env`].
    Env,
    /// [`Grant::dirs`].
    Dirs,
    /// [`Grant::allow`].
    Allow,
    /// [`Grant::clock`].
    Clock,
    /// [`Grant::random`].
    Random,
    /// [`Grant::store`].
    Store,
    /// [`Grant::buckets`].
    Buckets,
    /// [`Grant::config`].
    Config,
    /// [`Grant::config_prefix`].
    ConfigPrefix,
}

impl GrantScope {
    /// Every scope, in the order editors show them.
    pub const ALL: [GrantScope; 9] = [
        GrantScope::Env,
        GrantScope::Dirs,
        GrantScope::Allow,
        GrantScope::Clock,
        GrantScope::Random,
        GrantScope::Store,
        GrantScope::Buckets,
        GrantScope::Config,
        GrantScope::ConfigPrefix,
    ];

    /// The key in the project file: `env`, `dirs`, `allow`, `clock`,
    /// `random`, `store`, `buckets`, `config`, `config-prefix`.
    pub fn key(self) -> &'static str {
        match self {
            GrantScope::Env => "env",
            GrantScope::Dirs => "dirs",
            GrantScope::Allow => "allow",
            GrantScope::Clock => "clock",
            GrantScope::Random => "random",
            GrantScope::Store => "store",
            GrantScope::Buckets => "buckets",
            GrantScope::Config => "config",
            GrantScope::ConfigPrefix => "config-prefix",
        }
    }
}

/// A folder shared with the guest.
#[derive(Debug, Clone, PartialEq)]
pub struct DirGrant {
    /// Folder on the host, relative to the project file or absolute.
    pub host: PathBuf,
    /// Path the guest sees.
    pub guest: String,
    /// Whether the guest may write; read-only otherwise.
    pub writable: bool,
}

/// An allow-listed network peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
}

impl HostPort {
    /// Parses `host:port` (IPv6 addresses in brackets: `[::1]:8080`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{}` is not `host:port` (for example `127.0.0.1:8080`)",
                shown(text)
            )
        };
        let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad());
        }
        let port = port.parse::<u16>().map_err(|_| bad())?;
        Ok(Self {
            host: host.to_string(),
            port,
        })
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Which clock a guest sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSetting {
    /// The host's clock.
    Real,
    /// A clock stopped at this many milliseconds after the Unix epoch.
    Fixed {
        /// Milliseconds since 1970-01-01T00:00:00Z.
        unix_ms: u64,
    },
}

/// Which random source a guest sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomSetting {
    /// The host's secure random source.
    Real,
    /// A deterministic generator with this seed.
    Seeded(u64),
}

/// A mocked import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mock {
    /// A built-in fake that implements the interface.
    pub fake: Option<Fake>,
    /// Per-function canned behaviour, by function name. Functions listed here
    /// override the fake.
    pub functions: IndexMap<String, MockBehavior>,
    /// Initial contents of the `kv` fake, or the map the `config` fake
    /// answers from.
    pub values: IndexMap<String, String>,
    /// Canned answers of the `http` fake, by URL.
    pub responses: IndexMap<String, CannedResponse>,
}

/// A canned HTTP response, written `"200 body text"` in the project file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    /// Status code.
    pub status: u16,
    /// Body text.
    pub body: String,
}

impl CannedResponse {
    /// Parses `"STATUS BODY"` (the body may be empty).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (status, body) = text.split_once(' ').unwrap_or((text, ""));
        match status.parse::<u16>() {
            Ok(status) if (100..=599).contains(&status) => Ok(Self {
                status,
                body: body.to_string(),
            }),
            _ => Err(format!(
                "response `{}` must start with an HTTP status from 100 to 599, like `200 hello`",
                shown(text)
            )),
        }
    }
}

impl fmt::Display for CannedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.body.is_empty() {
            write!(f, "{}", self.status)
        } else {
            write!(f, "{} {}", self.status, self.body)
        }
    }
}

/// The built-in fakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fake {
    /// In-memory key-value store (`patchbay:kv/store`, `wasi:keyvalue`).
    KeyValue,
    /// A log sink that records every message.
    Log,
    /// A config/variables map.
    Config,
    /// A fixed clock.
    Clock,
    /// A seeded random source.
    Random,
    /// Outgoing HTTP answered from a table of canned responses.
    Http,
}

impl Fake {
    /// Every fake, in the order the editor offers them.
    pub const ALL: [Fake; 6] = [
        Fake::KeyValue,
        Fake::Log,
        Fake::Config,
        Fake::Clock,
        Fake::Random,
        Fake::Http,
    ];

    /// The name used in the project file.
    pub fn name(self) -> &'static str {
        match self {
            Fake::KeyValue => "kv",
            Fake::Log => "log",
            Fake::Config => "config",
            Fake::Clock => "clock",
            Fake::Random => "random",
            Fake::Http => "http",
        }
    }

    /// Looks a fake up by its file name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What a mocked function does when called. Values are WAVE text, checked
/// against the function's WIT types when the project is checked or run.
#[derive(Debug, Clone, PartialEq)]
pub enum MockBehavior {
    /// Always returns this value.
    Returns(String),
    /// Returns these values in turn; the last one repeats.
    Sequence(Vec<String>),
    /// Returns the value of the first case whose arguments match; otherwise
    /// the fallback, or a trap if there is none.
    Match {
        /// `(arguments as a WAVE tuple, result)` pairs.
        cases: Vec<MockCase>,
        /// Value for calls that match no case.
        otherwise: Option<String>,
    },
    /// Traps with this message.
    Trap(String),
}

/// One argument-matched answer of a mock.
#[derive(Debug, Clone, PartialEq)]
pub struct MockCase {
    /// Arguments as a WAVE tuple, such as `("a")`.
    pub args: String,
    /// Result as WAVE.
    pub returns: String,
}

/// How many characters of a person's text an error message echoes.
pub const SHOWN_CHARS: usize = 80;

/// `text` as an error message echoes it: whole when it is short, else its
/// first [`SHOWN_CHARS`] characters, an ellipsis and its length, so that a
/// 2 MB key does not make a 2 MB message.
///
/// ```
/// use patchbay_project::shown;
/// assert_eq!(shown("kv-memory"), "kv-memory");
/// let long = "a".repeat(100);
/// assert_eq!(shown(&long), format!("{}… (100 characters)", &long[..80]));
/// ```
pub fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..cut],
            text.chars().count()
        )),
    }
}
