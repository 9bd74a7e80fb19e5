//! Where a problem is in the project file.
//!
//! `check` records, with each problem it can pin to an entry of the file,
//! that entry's [`Site`]: its path of TOML keys (`bindings`,
//! `"service.patchbay:kv/store"`, `functions`, `get`, `returns`). [`locate`]
//! finds those in the file's text and sets each problem's `file:line:col`.
//! The text is the caller's: the CLI reads the file it loaded, and the app,
//! whose document never was a file, pins problems by [`crate::Location`].

use std::fmt;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One step of a [`Site`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKey {
    /// A key of a table.
    Key(String),
    /// An entry of an array (`[[wires]]` number n, 0-based).
    Index(usize),
}

/// An entry of the project file, as its path of keys. The deepest entry the
/// file has is used: a value, or the key of a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Site(pub Vec<SiteKey>);

impl Site {
    /// The site at these keys.
    pub fn keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self(
            keys.into_iter()
                .map(|k| SiteKey::Key(k.to_string()))
                .collect(),
        )
    }

    /// This site, one key deeper.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(SiteKey::Key(key.into()));
        self
    }

    /// This site, one array entry deeper.
    pub fn index(mut self, index: usize) -> Self {
        self.0.push(SiteKey::Index(index));
        self
    }
}

/// A 1-based line and column (in characters) in the project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for FilePosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The byte offset of the deepest entry of `site` the table has.
pub(crate) fn find(root: &DeTable<'_>, site: &Site) -> Option<usize> {
    let mut at: Option<usize> = None;
    let mut table = Some(root);
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for step in &site.0 {
        let next = match (step, table, value.map(|v| v.get_ref())) {
            (SiteKey::Key(k), Some(t), _) => t.get_key_value(k.as_str()).map(|(key, v)| {
                // A table is found at its key; a plain value at the value.
                let start = if v.get_ref().is_table() || v.get_ref().is_array() {
                    key.span().start
                } else {
                    v.span().start
                };
                (start, v)
            }),
            (SiteKey::Index(i), _, Some(DeValue::Array(items))) => {
                items.get(*i).map(|v| (v.span().start, v))
            }
            _ => None,
        };
        let Some((start, v)) = next else { break };
        at = Some(start);
        value = Some(v);
        table = v.get_ref().as_table();
    }
    at
}

pub(crate) fn position(text: &str, offset: usize) -> FilePosition {
    let before = &text[..offset.min(text.len())];
    FilePosition {
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, site: Site) -> Option<(usize, usize)> {
        let root = DeTable::parse(text).unwrap();
        find(root.get_ref(), &site).map(|o| {
            let p = position(text, o);
            (p.line, p.column)
        })
    }

    #[test]
    fn sites_are_found_in_every_way_toml_writes_them() {
        let text = r#"version = 1
name = "demo"

[[exports]]
from = "a.x"

[[exports]]
from = "a.y"
as = "!"

[bindings."a.patchbay:kv/store"]
mode = "mock"
functions.get = { returns = "some((((" }

[bindings."b.patchbay:kv/store".functions.get]
sequence = ["none", "x"]
"#;
        assert_eq!(
            at(text, Site::keys(["exports"]).index(1).key("as")),
            Some((9, 6))
        );
        let binding = Site::keys(["bindings", "a.patchbay:kv/store"]);
        assert_eq!(at(text, binding.clone()), Some((11, 11)));
        assert_eq!(
            at(
                text,
                binding.clone().key("functions").key("get").key("returns")
            ),
            Some((13, 29))
        );
        assert_eq!(at(text, binding.key("mode")), Some((12, 8)));
        let seq = Site::keys([
            "bindings",
            "b.patchbay:kv/store",
            "functions",
            "get",
            "sequence",
        ]);
        assert_eq!(at(text, seq.index(1)), Some((16, 21)));
        // Missing keys stop at the deepest entry found: here the header of
        // the first `[[exports]]`.
        assert_eq!(
            at(text, Site::keys(["exports"]).index(0).key("as")),
            Some((4, 1))
        );
        assert_eq!(at(text, Site::keys(["nodes"])), None);
    }
}
