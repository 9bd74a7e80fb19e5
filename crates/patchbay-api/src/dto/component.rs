//! Components and their types: a component file as the library and the
//! nodes show it, its typed imports and exports, and the structure of WIT
//! types for forms.

use super::{FunctionKind, TypeKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A component file as the library panel and the nodes show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentView {
    /// Component id.
    pub id: String,
    /// Path as written in the project.
    pub path: String,
    /// Absolute path on disk.
    pub abs_path: String,
    /// File size in bytes.
    pub size: u64,
    /// Content hash (`sha256:…`) of the loaded component.
    pub hash: Option<String>,
    /// Ports and WIT, if the file loaded.
    pub info: Option<ComponentInfo>,
    /// Why the file did not load.
    pub error: Option<String>,
}

/// `patchbay inspect --json`: one component file and its typed surface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectedFile {
    /// The file as given.
    pub file: String,
    /// What it was, for people (`binary component`, `WASI preview1 core
    /// module (command adapter)` …).
    pub source: String,
    /// Whether it was converted into a component (text or a core module).
    pub converted: bool,
    /// Content hash of the file (`sha256:…`).
    pub hash: String,
    /// File size in bytes.
    pub size: u64,
    /// Size of the component binary in bytes.
    pub component_size: u64,
    /// Imports, in the component's order.
    pub imports: Vec<PortInfo>,
    /// Exports, in the component's order.
    pub exports: Vec<PortInfo>,
    /// The whole world as WIT.
    pub wit: String,
}

impl InspectedFile {
    /// The description of `file`, inspected.
    pub fn new(file: &std::path::Path, inspection: &patchbay_inspect::Inspection) -> Self {
        let info = ComponentInfo::from(&inspection.info);
        let component = &inspection.component;
        Self {
            file: file.display().to_string(),
            source: component.kind.describe(),
            converted: component.kind != patchbay_inspect::SourceKind::Component,
            hash: component.hash.clone(),
            size: component.input_size as u64,
            component_size: component.bytes.len() as u64,
            imports: info.imports,
            exports: info.exports,
            wit: info.wit,
        }
    }
}

/// The typed surface of a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ComponentInfo {
    /// Imports, in the component's order.
    pub imports: Vec<PortInfo>,
    /// Exports, in the component's order.
    pub exports: Vec<PortInfo>,
    /// The whole world as WIT.
    pub wit: String,
}

/// Whether a port is an interface or a single function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PortKind {
    /// An interface instance.
    Interface,
    /// A single function.
    Function,
}

/// One import or export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortInfo {
    /// Full name (`wasi:http/outgoing-handler@0.2.6`, `handle-request`).
    pub name: String,
    /// Interface or function.
    pub kind: PortKind,
    /// `namespace:package`.
    pub package: Option<String>,
    /// Interface name.
    pub interface: Option<String>,
    /// Package version.
    pub version: Option<String>,
    /// Functions.
    pub functions: Vec<FunctionInfo>,
    /// Types defined by the interface.
    pub types: Vec<TypeInfo>,
    /// Carries only plain types: needs no wire and no binding.
    pub types_only: bool,
}

/// A function signature with the structure of its types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FunctionInfo {
    /// Name as called.
    pub name: String,
    /// Freestanding, or a resource's constructor, method or static function.
    pub kind: FunctionKind,
    /// The name a mock's `functions` table, a denial and the trace use:
    /// `get`, `book.balance`, `book.constructor`.
    pub key: String,
    /// The resource of a constructor, method or static function.
    pub resource: Option<String>,
    /// Parameters.
    pub params: Vec<ParamInfo>,
    /// Result type as WIT.
    pub result: Option<String>,
    /// Structure of the result type.
    pub result_shape: Option<TypeShape>,
    /// `get: func(key: string) -> option<string>`.
    pub signature: String,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ParamInfo {
    /// Name.
    pub name: String,
    /// Type as WIT.
    pub ty: String,
    /// Structure of the type.
    pub shape: TypeShape,
}

/// A type defined by an interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TypeInfo {
    /// Name.
    pub name: String,
    /// Record, variant, enum, flags, resource or alias (`type`).
    pub kind: TypeKind,
    /// Fields, cases or flags.
    pub members: Vec<MemberInfo>,
    /// For aliases, the aliased type.
    pub target: Option<String>,
}

/// A field, case or flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberInfo {
    /// Name.
    pub name: String,
    /// Field type or case payload.
    pub ty: Option<String>,
}

/// The structure of a WIT type, for forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TypeShape {
    /// `bool`, integers, floats, `char`, `string`.
    Primitive {
        /// The WIT name.
        name: String,
    },
    /// `list<T>`.
    List {
        /// Element type.
        of: Box<TypeShape>,
    },
    /// `option<T>`.
    Option {
        /// Payload type.
        of: Box<TypeShape>,
    },
    /// `result<T, E>`.
    Result {
        /// Ok payload.
        ok: Option<Box<TypeShape>>,
        /// Err payload.
        err: Option<Box<TypeShape>>,
    },
    /// `tuple<…>`.
    Tuple {
        /// Items.
        items: Vec<TypeShape>,
    },
    /// A record.
    Record {
        /// Type name.
        name: Option<String>,
        /// Fields.
        fields: Vec<FieldShape>,
    },
    /// A variant.
    Variant {
        /// Type name.
        name: Option<String>,
        /// Cases.
        cases: Vec<CaseShape>,
    },
    /// An enum.
    Enum {
        /// Type name.
        name: Option<String>,
        /// Cases.
        cases: Vec<String>,
    },
    /// Flags.
    Flags {
        /// Type name.
        name: Option<String>,
        /// Flags.
        flags: Vec<String>,
    },
    /// A resource handle.
    Handle {
        /// Resource name.
        name: Option<String>,
        /// `borrow<…>` rather than `own<…>`.
        borrow: bool,
    },
    /// `stream<T>` of a payload the host can make: written as the WAVE
    /// list of the items the stream delivers.
    Stream {
        /// Item type.
        of: Box<TypeShape>,
    },
    /// `future<T>` of a payload the host can make: written as the WAVE
    /// value it resolves to.
    Future {
        /// Value type.
        of: Box<TypeShape>,
    },
    /// A type WAVE cannot spell (or a stream or future of a payload the
    /// host cannot make).
    Unsupported {
        /// The type as WIT.
        wit: String,
    },
}

/// A record field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldShape {
    /// Name.
    pub name: String,
    /// Type.
    pub shape: TypeShape,
}

/// A variant case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseShape {
    /// Name.
    pub name: String,
    /// Payload type.
    pub shape: Option<TypeShape>,
}

impl From<&patchbay_inspect::TypeShape> for TypeShape {
    fn from(s: &patchbay_inspect::TypeShape) -> Self {
        use patchbay_inspect::TypeShape as S;
        let b = |s: &S| Box::new(TypeShape::from(s));
        match s {
            S::Primitive { name } => TypeShape::Primitive {
                name: (*name).to_string(),
            },
            S::List { of } => TypeShape::List { of: b(of) },
            S::Option { of } => TypeShape::Option { of: b(of) },
            S::Result { ok, err } => TypeShape::Result {
                ok: ok.as_deref().map(b),
                err: err.as_deref().map(b),
            },
            S::Tuple { items } => TypeShape::Tuple {
                items: items.iter().map(TypeShape::from).collect(),
            },
            S::Record { name, fields } => TypeShape::Record {
                name: name.clone(),
                fields: fields
                    .iter()
                    .map(|f| FieldShape {
                        name: f.name.clone(),
                        shape: (&f.shape).into(),
                    })
                    .collect(),
            },
            S::Variant { name, cases } => TypeShape::Variant {
                name: name.clone(),
                cases: cases
                    .iter()
                    .map(|c| CaseShape {
                        name: c.name.clone(),
                        shape: c.shape.as_ref().map(TypeShape::from),
                    })
                    .collect(),
            },
            S::Enum { name, cases } => TypeShape::Enum {
                name: name.clone(),
                cases: cases.clone(),
            },
            S::Flags { name, flags } => TypeShape::Flags {
                name: name.clone(),
                flags: flags.clone(),
            },
            S::Handle { name, borrow } => TypeShape::Handle {
                name: name.clone(),
                borrow: *borrow,
            },
            S::Stream { of, wit } | S::Future { of, wit } => {
                // The payloads the host makes streams and futures of
                // (`patchbay_host::streams::PAYLOADS`).
                let payload = of.as_deref().filter(|of| {
                    matches!(of, S::Primitive { name } if patchbay_host::streams::PAYLOADS.contains(name))
                });
                match (payload, s) {
                    (Some(of), S::Stream { .. }) => TypeShape::Stream { of: b(of) },
                    (Some(of), _) => TypeShape::Future { of: b(of) },
                    (None, _) => TypeShape::Unsupported { wit: wit.clone() },
                }
            }
            S::Unsupported { wit } => TypeShape::Unsupported { wit: wit.clone() },
        }
    }
}

impl From<&patchbay_inspect::FunctionInfo> for FunctionInfo {
    fn from(f: &patchbay_inspect::FunctionInfo) -> Self {
        Self {
            name: f.name.clone(),
            kind: f.kind.into(),
            key: f.key(),
            resource: f.resource.clone(),
            params: f
                .params
                .iter()
                .map(|p| ParamInfo {
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    shape: (&p.shape).into(),
                })
                .collect(),
            result: f.result.clone(),
            result_shape: f.result_shape.as_ref().map(TypeShape::from),
            signature: f.signature.clone(),
        }
    }
}

impl From<&patchbay_inspect::PortInfo> for PortInfo {
    fn from(p: &patchbay_inspect::PortInfo) -> Self {
        Self {
            name: p.name.clone(),
            kind: match p.kind {
                patchbay_inspect::PortKind::Interface => PortKind::Interface,
                patchbay_inspect::PortKind::Function => PortKind::Function,
            },
            package: p.package.clone(),
            interface: p.interface.clone(),
            version: p.version.clone(),
            functions: p.functions.iter().map(FunctionInfo::from).collect(),
            types: p
                .types
                .iter()
                .map(|t| TypeInfo {
                    name: t.name.clone(),
                    kind: t.kind.into(),
                    members: t
                        .members
                        .iter()
                        .map(|m| MemberInfo {
                            name: m.name.clone(),
                            ty: m.ty.clone(),
                        })
                        .collect(),
                    target: t.target.clone(),
                })
                .collect(),
            types_only: p.types_only,
        }
    }
}

impl From<&patchbay_inspect::ComponentInfo> for ComponentInfo {
    fn from(i: &patchbay_inspect::ComponentInfo) -> Self {
        Self {
            imports: i.imports.iter().map(PortInfo::from).collect(),
            exports: i.exports.iter().map(PortInfo::from).collect(),
            wit: i.wit.clone(),
        }
    }
}
