//! The on-disk `patchbay.toml` format.
//!
//! These are the only `Serialize`/`Deserialize` types of the crate: the
//! domain model in [`crate::model`] is converted to and from them explicitly.
//! Every version ever written keeps its own module so that old files can be
//! read and upgraded step by step (`v0` → `v1` → `v2`).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Only used to peek at the `version` key before choosing a schema.
#[derive(Deserialize)]
pub(crate) struct VersionProbe {
    pub version: Option<toml::Value>,
}

/// Version 0: the unversioned draft format of the first prototypes.
///
/// It had no `version` key, listed wires as `[[connections]]` with
/// `export`/`import` keys, gave nodes flat `x`/`y` coordinates, and had no
/// bindings (every unwired import was left open). It is read only to upgrade.
pub(crate) mod v0 {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct ProjectFile {
        pub name: Option<String>,
        #[serde(default)]
        pub components: IndexMap<String, super::v1::ComponentEntry>,
        #[serde(default)]
        pub nodes: IndexMap<String, NodeEntry>,
        #[serde(default)]
        pub connections: Vec<Connection>,
        #[serde(default)]
        pub exports: Vec<super::v1::ExportEntry>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct NodeEntry {
        pub component: String,
        #[serde(default)]
        pub x: f64,
        #[serde(default)]
        pub y: f64,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Connection {
        pub export: String,
        pub import: String,
    }
}

/// Version 1: the format before composites. Every version-1 file means the
/// same as version 2 read with no composites; it is read only to upgrade.
pub(crate) mod v1 {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct ProjectFile {
        #[allow(dead_code)]
        pub version: u32,
        pub name: String,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub components: IndexMap<String, ComponentEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub nodes: IndexMap<String, NodeEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub wires: Vec<WireEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exports: Vec<ExportEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub bindings: IndexMap<String, BindingEntry>,
        /// `[fake-nodes.<fake>] position = { x, y }`: where the editor
        /// draws each built-in fake.
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub fake_nodes: IndexMap<String, FakeNodeEntry>,
        /// `[presets."<function>"] "<name>" = '<WAVE arguments>'`: argument
        /// presets of the run panel.
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub presets: IndexMap<String, IndexMap<String, String>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FakeNodeEntry {
        pub position: Position,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct ComponentEntry {
        pub path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub build: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub watch: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hash: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct NodeEntry {
        pub component: String,
        #[serde(default)]
        pub position: Position,
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    pub struct Position {
        pub x: f64,
        pub y: f64,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct WireEntry {
        pub from: String,
        pub to: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ExportEntry {
        pub from: String,
        #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
        pub as_name: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, tag = "mode", rename_all = "kebab-case")]
    pub enum BindingEntry {
        Leave,
        Deny,
        Grant(GrantEntry),
        Mock(MockEntry),
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct GrantEntry {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub env: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub dirs: Vec<DirEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub allow: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub clock: Option<ClockEntry>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub random: Option<RandomEntry>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub store: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub buckets: Vec<String>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub config: IndexMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub config_prefix: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct DirEntry {
        pub host: String,
        pub guest: String,
        #[serde(default)]
        pub writable: bool,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum ClockEntry {
        /// `"real"`
        Named(String),
        /// `{ fixed-unix-ms = 0 }`
        Fixed {
            #[serde(rename = "fixed-unix-ms")]
            fixed_unix_ms: u64,
        },
    }

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum RandomEntry {
        /// `"real"`
        Named(String),
        /// `{ seed = 42 }`
        Seeded { seed: u64 },
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct MockEntry {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fake: Option<String>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub functions: IndexMap<String, MockFunctionEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub values: IndexMap<String, String>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub responses: IndexMap<String, String>,
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct MockFunctionEntry {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub returns: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub sequence: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub cases: Vec<MockCaseEntry>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub trap: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct MockCaseEntry {
        pub args: String,
        pub returns: String,
    }
}

/// Version 2: the current format. Version 1 plus composite definitions
/// (`[composites.NAME]` with their own `nodes`, `wires` and `exports`),
/// and nodes that instantiate a composite (`composite = "NAME"`) instead
/// of a component.
pub(crate) mod v2 {
    use super::*;
    // The entries version 2 keeps as version 1 wrote them.
    pub use super::v1::{
        BindingEntry, ComponentEntry, ExportEntry, FakeNodeEntry, Position, WireEntry,
    };

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct ProjectFile {
        pub version: u32,
        pub name: String,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub components: IndexMap<String, ComponentEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub nodes: IndexMap<String, NodeEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub wires: Vec<WireEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exports: Vec<ExportEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub bindings: IndexMap<String, BindingEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub fake_nodes: IndexMap<String, FakeNodeEntry>,
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub presets: IndexMap<String, IndexMap<String, String>>,
        /// `[composites.NAME]`: composite definitions. Written last, so
        /// the top-level graph reads first.
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub composites: IndexMap<String, CompositeEntry>,
    }

    /// A node instantiates exactly one of a component or a composite.
    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct NodeEntry {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub component: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub composite: Option<String>,
        #[serde(default)]
        pub position: Position,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct CompositeEntry {
        #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
        pub nodes: IndexMap<String, NodeEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub wires: Vec<WireEntry>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub exports: Vec<ExportEntry>,
    }
}
