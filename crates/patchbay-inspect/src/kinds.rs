//! What a function or a named type is, as closed sets of names.

use crate::FunctionInfo;

/// What a function is: freestanding, or one of a resource's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// A plain function of an interface or world.
    Freestanding,
    /// A resource's constructor.
    Constructor,
    /// A method of a resource (takes `self`).
    Method,
    /// A static function of a resource.
    Static,
}

impl FunctionInfo {
    /// The name a mock's `functions` table, a denial and the trace use:
    /// `get` for a freestanding function, `book.balance` for a method or
    /// static function, `book.constructor` for a constructor.
    pub fn key(&self) -> String {
        match (&self.resource, self.kind) {
            (None, _) => self.name.clone(),
            (Some(resource), FunctionKind::Constructor) => format!("{resource}.constructor"),
            (Some(resource), _) => format!("{resource}.{}", self.name),
        }
    }
}

impl FunctionKind {
    /// `freestanding`, `constructor`, `method` or `static`.
    pub fn as_str(self) -> &'static str {
        match self {
            FunctionKind::Freestanding => "freestanding",
            FunctionKind::Constructor => "constructor",
            FunctionKind::Method => "method",
            FunctionKind::Static => "static",
        }
    }
}

/// What a named type of an interface is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// An alias of another type.
    Alias,
}

impl TypeKind {
    /// `record`, `variant`, `enum`, `flags`, `resource` or `type` (an
    /// alias), as WIT writes them.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Record => "record",
            TypeKind::Variant => "variant",
            TypeKind::Enum => "enum",
            TypeKind::Flags => "flags",
            TypeKind::Resource => "resource",
            TypeKind::Alias => "type",
        }
    }
}
