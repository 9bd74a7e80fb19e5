//! The closed sets of names that cross the boundary, so TypeScript sees a
//! union of strings. The small ones are enums here, converted from the
//! core's enum by an exhaustive match: a new name in a core crate does not
//! compile until it is named here too. Problem codes, the long list, are the
//! core's own enum, and their union is generated from its list.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of problem checking found (see [`super::Problem`]): one of
/// `patchbay-compose`'s codes, or `invalid-document` for the document's own
/// rules. Written as the code (`wire-type-mismatch`); TypeScript sees the
/// union of every code, generated from [`patchbay_compose::ProblemCode::ALL`]
/// by [`crate::typescript`], so the list lives in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemCode {
    /// The document breaks one of its own rules
    /// ([`patchbay_project::Project::validate`]): it would not open again.
    InvalidDocument,
    /// A problem `check` or `compose` found.
    Check(patchbay_compose::ProblemCode),
}

impl ProblemCode {
    /// Every code, `invalid-document` first.
    pub fn all() -> impl Iterator<Item = ProblemCode> {
        std::iter::once(ProblemCode::InvalidDocument).chain(
            patchbay_compose::ProblemCode::ALL
                .into_iter()
                .map(ProblemCode::Check),
        )
    }

    /// The code as written: `invalid-document`, `wire-type-mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::InvalidDocument => "invalid-document",
            ProblemCode::Check(code) => code.as_str(),
        }
    }
}

impl From<patchbay_compose::ProblemCode> for ProblemCode {
    fn from(code: patchbay_compose::ProblemCode) -> Self {
        ProblemCode::Check(code)
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ProblemCode::all()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem code `{text}`")))
    }
}

/// Lets callers compare with the code as written: `p.code == "left-open"`.
impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// What ended a failed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The call text is not a valid call of an export.
    BadCall,
    /// Instantiation failed.
    Instantiate,
    /// A denied capability was called.
    Denied,
    /// An import left open that Patchbay does not provide was called.
    LeftOpen,
    /// The wall-clock limit passed.
    Timeout,
    /// The fuel ran out.
    Fuel,
    /// The memory limit was reached.
    Memory,
    /// The wasm stack overflowed.
    Stack,
    /// The output limit was reached.
    Output,
    /// The guest trapped.
    Trap,
}

impl From<patchbay_host::FailureKind> for FailureKind {
    fn from(kind: patchbay_host::FailureKind) -> Self {
        use patchbay_host::FailureKind as K;
        match kind {
            K::BadCall => FailureKind::BadCall,
            K::Instantiate => FailureKind::Instantiate,
            K::Denied => FailureKind::Denied,
            K::LeftOpen => FailureKind::LeftOpen,
            K::Timeout => FailureKind::Timeout,
            K::Fuel => FailureKind::Fuel,
            K::Memory => FailureKind::Memory,
            K::Stack => FailureKind::Stack,
            K::Output => FailureKind::Output,
            K::Trap => FailureKind::Trap,
        }
    }
}

/// A limit of a run (see [`super::RunLimits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum LimitName {
    /// Wall-clock time.
    Timeout,
    /// Fuel.
    Fuel,
    /// Linear memory.
    Memory,
    /// Wasm stack.
    Stack,
    /// Captured output.
    Output,
}

impl LimitName {
    /// The limit a failure of `kind` hit, if it is a limit's.
    pub fn of_failure(kind: patchbay_host::FailureKind) -> Option<Self> {
        use patchbay_host::FailureKind as K;
        match kind {
            K::Timeout => Some(LimitName::Timeout),
            K::Fuel => Some(LimitName::Fuel),
            K::Memory => Some(LimitName::Memory),
            K::Stack => Some(LimitName::Stack),
            K::Output => Some(LimitName::Output),
            K::BadCall | K::Instantiate | K::Denied | K::LeftOpen | K::Trap => None,
        }
    }
}

/// How a run ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RunMode {
    /// The composed component, as one instance.
    Composed,
    /// Each node as its own instance, calls across wires traced.
    Traced,
}

impl From<patchbay_host::RunMode> for RunMode {
    fn from(mode: patchbay_host::RunMode) -> Self {
        match mode {
            patchbay_host::RunMode::Composed => RunMode::Composed,
            patchbay_host::RunMode::Traced => RunMode::Traced,
        }
    }
}

/// Lets callers compare with the mode as written: `mode == "traced"`.
impl PartialEq<&str> for RunMode {
    fn eq(&self, other: &&str) -> bool {
        matches!(
            (self, *other),
            (RunMode::Composed, "composed") | (RunMode::Traced, "traced")
        )
    }
}

/// What a function is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FunctionKind {
    /// A plain function.
    Freestanding,
    /// A resource's constructor.
    Constructor,
    /// A resource's method.
    Method,
    /// A resource's static function.
    Static,
}

impl From<patchbay_inspect::FunctionKind> for FunctionKind {
    fn from(kind: patchbay_inspect::FunctionKind) -> Self {
        use patchbay_inspect::FunctionKind as K;
        match kind {
            K::Freestanding => FunctionKind::Freestanding,
            K::Constructor => FunctionKind::Constructor,
            K::Method => FunctionKind::Method,
            K::Static => FunctionKind::Static,
        }
    }
}

/// What a named type is; an alias is written `type`, as in WIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TypeKind {
    /// A record.
    Record,
    /// A variant.
    Variant,
    /// An enum.
    Enum,
    /// Flags.
    Flags,
    /// A resource.
    Resource,
    /// An alias.
    #[serde(rename = "type")]
    Alias,
}

impl From<patchbay_inspect::TypeKind> for TypeKind {
    fn from(kind: patchbay_inspect::TypeKind) -> Self {
        use patchbay_inspect::TypeKind as K;
        match kind {
            K::Record => TypeKind::Record,
            K::Variant => TypeKind::Variant,
            K::Enum => TypeKind::Enum,
            K::Flags => TypeKind::Flags,
            K::Resource => TypeKind::Resource,
            K::Alias => TypeKind::Alias,
        }
    }
}

/// One part of a grant, named as the project file's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum GrantScope {
    /// Environment variable names.
    Env,
    /// Shared folders.
    Dirs,
    /// Reachable `host:port` pairs.
    Allow,
    /// The wall clock.
    Clock,
    /// The random source.
    Random,
    /// The key-value database file.
    Store,
    /// The key-value buckets that may be opened.
    Buckets,
    /// Configuration values.
    Config,
    /// An environment prefix read as configuration.
    ConfigPrefix,
}

impl From<patchbay_project::GrantScope> for GrantScope {
    fn from(scope: patchbay_project::GrantScope) -> Self {
        use patchbay_project::GrantScope as S;
        match scope {
            S::Env => GrantScope::Env,
            S::Dirs => GrantScope::Dirs,
            S::Allow => GrantScope::Allow,
            S::Clock => GrantScope::Clock,
            S::Random => GrantScope::Random,
            S::Store => GrantScope::Store,
            S::Buckets => GrantScope::Buckets,
            S::Config => GrantScope::Config,
            S::ConfigPrefix => GrantScope::ConfigPrefix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each code is written at the boundary as the core writes it.
    #[test]
    fn codes_are_written_as_the_core_writes_them() {
        for code in ProblemCode::all() {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str(), "{code:?}");
            let back: ProblemCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, code);
        }
        assert!(serde_json::from_str::<ProblemCode>("\"no-such-code\"").is_err());
        for kind in [
            patchbay_host::FailureKind::BadCall,
            patchbay_host::FailureKind::LeftOpen,
            patchbay_host::FailureKind::Timeout,
            patchbay_host::FailureKind::Trap,
        ] {
            let json = serde_json::to_value(FailureKind::from(kind)).unwrap();
            assert_eq!(json, kind.as_str(), "{kind:?}");
        }
        for scope in patchbay_project::GrantScope::ALL {
            let json = serde_json::to_value(GrantScope::from(scope)).unwrap();
            assert_eq!(json, scope.key(), "{scope:?}");
        }
        assert_eq!(
            serde_json::to_value(TypeKind::from(patchbay_inspect::TypeKind::Alias)).unwrap(),
            patchbay_inspect::TypeKind::Alias.as_str()
        );
    }
}
