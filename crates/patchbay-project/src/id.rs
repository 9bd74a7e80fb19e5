//! Typed ids: a node id and a component id are kebab-case names, as WIT and
//! WAC spell them, because the generated `.wac` uses them as names. The
//! only way to get one is [`NodeId::new`] or [`ComponentId::new`] (or the
//! `TryFrom`/`FromStr` impls that call them), so a [`crate::Project`] can
//! never hold an id the recipe could not use. Spin's manifest crate types
//! its ids the same way (`KebabId`).
//!
//! An id reads as the text it wraps: it dereferences to `str`, compares
//! with strings, and borrows as `str`, so maps keyed by ids are looked up
//! with plain text (`project.nodes.get("service")`).
//!
//! ```
//! use patchbay_project::NodeId;
//! let id = NodeId::new("kv-memory").unwrap();
//! assert_eq!(id, "kv-memory");
//! assert_eq!(id.len(), 9);
//! let err = NodeId::new("Not Kebab").unwrap_err();
//! assert!(err.contains("`Not Kebab` is not kebab-case"), "{err}");
//! ```

use crate::model::shown;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// Checks that `id` is a kebab-case identifier as WIT and WAC spell them
/// (`kv-memory`, `svc2`): lowercase words of ASCII letters and digits,
/// each starting with a letter, joined by single `-`. Node and component
/// ids ([`NodeId`], [`ComponentId`]) and the project name must be.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.split('-').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "id `{}` is not kebab-case (lowercase words of letters and digits joined by `-`, each starting with a letter, like `kv-memory`)",
            shown(id)
        ))
    }
}

/// An id like `base` that `taken` does not hold: `base` itself, else the
/// next number after it (`svc1` gives `svc2`, `svc3`…; `stage` gives
/// `stage2`, `stage3`…), never `stage-2`, which is no id (a kebab-case word
/// cannot start with a digit). The one rule for naming a second node,
/// component or composite of one name, wherever the app, the import or
/// Ungroup makes one; the editor's paste (`uniqueId` in
/// `ui/src/store/doc.ts`) numbers the same way. The result is an id when
/// `base` is ([`check_id`]).
///
/// ```
/// use patchbay_project::fresh_id;
/// assert_eq!(fresh_id("stage", |id| id == "stage"), "stage2");
/// assert_eq!(fresh_id("a", |id| id == "a" || id == "a2"), "a3");
/// assert_eq!(fresh_id("svc1", |id| id == "svc1" || id == "svc2"), "svc3");
/// assert_eq!(fresh_id("free", |_| false), "free");
/// ```
pub fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let stem = base.trim_end_matches(|c: char| c.is_ascii_digit());
    let (stem, mut n) = match stem.chars().last() {
        Some(c) if stem.len() < base.len() && c.is_ascii_lowercase() => (
            stem,
            base[stem.len()..]
                .parse::<u64>()
                .map_or(2, |n| n.saturating_add(1)),
        ),
        _ => (base, 2),
    };
    loop {
        let id = format!("{stem}{n}");
        if !taken(&id) {
            return id;
        }
        n = n.saturating_add(1);
    }
}

macro_rules! kebab_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The id `text`, if it is kebab-case ([`check_id`]); else the
            /// reason it is not, naming the text.
            pub fn new(text: impl Into<String>) -> Result<Self, String> {
                let text = text.into();
                check_id(&text)?;
                Ok(Self(text))
            }

            /// The id's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                Self::new(text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            fn try_from(text: &str) -> Result<Self, String> {
                Self::new(text)
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl<'a> From<&'a $name> for Cow<'a, str> {
            fn from(id: &'a $name) -> Cow<'a, str> {
                Cow::Borrowed(&id.0)
            }
        }
    };
}

kebab_id! {
    /// The id of a node (a component instance on the canvas): the key of
    /// `[nodes.ID]`, the node part of `node.port` and of binding selectors,
    /// and the instance name in the generated `.wac`.
    NodeId
}

kebab_id! {
    /// The id of a component file: the key of `[components.ID]`, what a
    /// node's `component` names, and the package name in the generated
    /// `.wac` (`project:ID`).
    ComponentId
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn ids_are_kebab_case_only() {
        for good in ["a", "kv-memory", "svc2", "a-b2-c"] {
            assert_eq!(NodeId::new(good).unwrap(), good);
            assert_eq!(ComponentId::new(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "A",
            "kv_memory",
            "kv--memory",
            "-a",
            "a-",
            "2a",
            "a-2",
            "é",
            "a b",
        ] {
            let err = NodeId::new(bad).unwrap_err();
            assert!(err.contains("is not kebab-case"), "{bad:?}: {err}");
            assert!(bad.parse::<ComponentId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_id_reads_and_hashes_as_its_text() {
        let id = NodeId::new("service").unwrap();
        let mut map = HashMap::new();
        map.insert(id.clone(), 1);
        assert_eq!(map.get("service"), Some(&1));
        assert_eq!(format!("{id}"), "service");
        assert_eq!("service", id);
        assert_eq!(id, "service");
        assert_eq!(id, *"service");
        assert_eq!(id, String::from("service"));
        assert_eq!(String::from(id), "service");
    }

    #[test]
    fn a_long_bad_id_is_shortened_in_the_message() {
        let long = "X".repeat(500);
        let err = NodeId::new(long).unwrap_err();
        assert!(err.len() < 400, "{err}");
        assert!(err.contains("(500 characters)"), "{err}");
    }
}
