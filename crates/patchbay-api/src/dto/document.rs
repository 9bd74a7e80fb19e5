//! The editable document: the project as the editor edits it (components,
//! nodes, wires, exports, bindings, grants, mocks, fakes). Its conversion
//! to and from the project model is in `convert.rs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A port of a node: an import or export name of the node's component.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct PortAddr {
    /// Node id.
    pub node: String,
    /// WIT import or export name (`patchbay:kv/store`, `handle-request`).
    pub port: String,
}

/// The project as the editor edits it; mirrors `patchbay.toml` version 2.
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
    /// The run panel's argument presets (`[presets]`), by function in file
    /// order. Absent when there are none (and in documents written before
    /// they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub presets: Vec<PresetEntry>,
    /// Composite definitions (`[composites.NAME]`), in file order. A node
    /// whose `component` is one of their names instantiates that composite
    /// (component ids and composite names share one namespace). Absent
    /// when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<CompositeEntry>,
}

/// A composite definition: a sub-graph that composes into one component
/// of its own. Its ports are the imports its inner wires leave unfed (by
/// name; inner nodes importing the same name share one port) and its
/// `exports`. Inner nodes have no bindings: the enclosing graph binds or
/// wires the composite node's ports (selectors `node.import` as usual).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CompositeEntry {
    /// Its name (kebab-case), unique among components and composites.
    pub name: String,
    /// Inner nodes, each instantiating a component or another composite.
    pub nodes: Vec<NodeEntry>,
    /// Wires between inner nodes.
    pub wires: Vec<WireEntry>,
    /// The composite's exports: inner node exports, optionally renamed.
    pub exports: Vec<ExportEntry>,
}

/// A named set of arguments for one function the composition exports
/// (`[presets."handle-request"] "get a" = '"get a"'`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PresetEntry {
    /// The call text before the arguments: `handle-request` or
    /// `patchbay:sandbox/probe#run-all`.
    pub function: String,
    /// The preset's name, one line.
    pub name: String,
    /// The arguments as WAVE, without the parentheses.
    pub args: String,
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

/// A node: an instance of a component or a composite, placed on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeEntry {
    /// Node id (kebab-case).
    pub id: String,
    /// Component id, or the name of a composite of `composites`.
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
    /// The key-value database file (`wasi:keyvalue`), relative to the
    /// project file or absolute.
    pub store: Option<String>,
    /// The buckets of `store` the guest may open.
    pub buckets: Vec<String>,
    /// Configuration values (`wasi:config/store`).
    pub config: Vec<KeyValue>,
    /// A host environment prefix whose variables become configuration
    /// values (prefix stripped, lowercased).
    #[serde(rename = "configPrefix")]
    pub config_prefix: Option<String>,
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
