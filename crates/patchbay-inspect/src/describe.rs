//! Turns a component's decoded WIT world into port descriptions and text.

use crate::{FunctionKind, InspectError, TypeKind};
use std::path::Path;
use wit_component::{DecodedWasm, WitPrinter};
use wit_parser::{
    Function, FunctionKind as WitFunctionKind, Handle, InterfaceId, Resolve, Type, TypeDefKind,
    TypeId, WorldItem, WorldKey,
};

/// The typed surface of a component: what it imports and exports.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentInfo {
    /// Imports, in the component's order.
    pub imports: Vec<PortInfo>,
    /// Exports, in the component's order.
    pub exports: Vec<PortInfo>,
    /// The whole world as WIT text, with every package it uses.
    pub wit: String,
}

impl ComponentInfo {
    /// The import named `name`.
    pub fn import(&self, name: &str) -> Option<&PortInfo> {
        self.imports.iter().find(|p| p.name == name)
    }

    /// The export named `name`.
    pub fn export(&self, name: &str) -> Option<&PortInfo> {
        self.exports.iter().find(|p| p.name == name)
    }
}

/// What a port carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortKind {
    /// An interface instance (`wasi:cli/stdout@0.2.6`).
    Interface,
    /// A single function (`handle-request`).
    Function,
}

/// One import or export.
#[derive(Debug, Clone, PartialEq)]
pub struct PortInfo {
    /// The full name, as wires and bindings refer to it
    /// (`wasi:http/outgoing-handler@0.2.4`, `handle-request`).
    pub name: String,
    /// Interface or function.
    pub kind: PortKind,
    /// `namespace:package` for interfaces from a package (`wasi:http`).
    pub package: Option<String>,
    /// Interface name (`outgoing-handler`).
    pub interface: Option<String>,
    /// Package version (`0.2.4`).
    pub version: Option<String>,
    /// Functions, including resource constructors and methods.
    pub functions: Vec<FunctionInfo>,
    /// Types defined by the interface.
    pub types: Vec<TypeInfo>,
    /// Whether the port only carries plain types (a `use`d interface):
    /// nothing in it can be called and it defines no resource, so it needs no
    /// binding.
    pub types_only: bool,
}

/// A function signature.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionInfo {
    /// The name as called (`get`, `record-entry`); for resources, without the
    /// `[method]book.` prefix.
    pub name: String,
    /// Freestanding, or a resource's constructor, method or static function.
    pub kind: FunctionKind,
    /// The resource a constructor, method or static function belongs to.
    pub resource: Option<String>,
    /// Parameters with their WIT types (`self` is left out of methods).
    pub params: Vec<ParamInfo>,
    /// The WIT result type, if any.
    pub result: Option<String>,
    /// The structure of the result type, for editors that build values.
    pub result_shape: Option<TypeShape>,
    /// The signature as WIT: `get: func(key: string) -> option<string>`.
    pub signature: String,
}

/// A named, typed parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Parameter name.
    pub name: String,
    /// WIT type.
    pub ty: String,
    /// The structure of the type, for editors that build values.
    pub shape: TypeShape,
}

/// The structure of a WIT type with every name resolved, so that an editor
/// can build a value of it (a form field per record field, a select per
/// enum) without parsing WIT.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeShape {
    /// `bool`, `s8` … `u64`, `f32`, `f64`, `char` or `string`.
    Primitive {
        /// The WIT name of the primitive.
        name: &'static str,
    },
    /// `list<T>` (and fixed-length lists and maps, as lists).
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
        /// The `ok` payload, if any.
        ok: Option<Box<TypeShape>>,
        /// The `err` payload, if any.
        err: Option<Box<TypeShape>>,
    },
    /// `tuple<…>`.
    Tuple {
        /// Element types.
        items: Vec<TypeShape>,
    },
    /// A record.
    Record {
        /// The type name, if it has one.
        name: Option<String>,
        /// Fields in order.
        fields: Vec<FieldShape>,
    },
    /// A variant.
    Variant {
        /// The type name, if it has one.
        name: Option<String>,
        /// Cases in order.
        cases: Vec<CaseShape>,
    },
    /// An enum.
    Enum {
        /// The type name, if it has one.
        name: Option<String>,
        /// Case names.
        cases: Vec<String>,
    },
    /// Flags.
    Flags {
        /// The type name, if it has one.
        name: Option<String>,
        /// Flag names.
        flags: Vec<String>,
    },
    /// `own<R>` or `borrow<R>`: a resource handle, which no text can spell.
    Handle {
        /// The resource name.
        name: Option<String>,
        /// Whether it is a `borrow`.
        borrow: bool,
    },
    /// `stream<T>`: a call can give one as the list of items the stream
    /// delivers.
    Stream {
        /// Item type (`None` for a stream without values).
        of: Option<Box<TypeShape>>,
        /// The type as WIT.
        wit: String,
    },
    /// `future<T>`: a call can give one as the value it resolves to.
    Future {
        /// Value type (`None` for a future without a value).
        of: Option<Box<TypeShape>>,
        /// The type as WIT.
        wit: String,
    },
    /// A type WAVE cannot write (`error-context`, and anything a call
    /// cannot give).
    Unsupported {
        /// The type as WIT.
        wit: String,
    },
}

/// A record field of a [`TypeShape::Record`].
#[derive(Debug, Clone, PartialEq)]
pub struct FieldShape {
    /// Field name.
    pub name: String,
    /// Field type.
    pub shape: TypeShape,
}

/// A case of a [`TypeShape::Variant`].
#[derive(Debug, Clone, PartialEq)]
pub struct CaseShape {
    /// Case name.
    pub name: String,
    /// Payload type, if any.
    pub shape: Option<TypeShape>,
}

/// Resolves `ty` into a [`TypeShape`].
pub fn type_shape(resolve: &Resolve, ty: &Type) -> TypeShape {
    let prim = |name| TypeShape::Primitive { name };
    match ty {
        Type::Bool => prim("bool"),
        Type::U8 => prim("u8"),
        Type::U16 => prim("u16"),
        Type::U32 => prim("u32"),
        Type::U64 => prim("u64"),
        Type::S8 => prim("s8"),
        Type::S16 => prim("s16"),
        Type::S32 => prim("s32"),
        Type::S64 => prim("s64"),
        Type::F32 => prim("f32"),
        Type::F64 => prim("f64"),
        Type::Char => prim("char"),
        Type::String => prim("string"),
        Type::ErrorContext => TypeShape::Unsupported {
            wit: "error-context".into(),
        },
        Type::Id(id) => {
            let def = &resolve.types[*id];
            let name = def.name.clone();
            let boxed = |t: &Type| Box::new(type_shape(resolve, t));
            match &def.kind {
                TypeDefKind::Type(t) => type_shape(resolve, t),
                TypeDefKind::Record(r) => TypeShape::Record {
                    name,
                    fields: r
                        .fields
                        .iter()
                        .map(|f| FieldShape {
                            name: f.name.clone(),
                            shape: type_shape(resolve, &f.ty),
                        })
                        .collect(),
                },
                TypeDefKind::Variant(v) => TypeShape::Variant {
                    name,
                    cases: v
                        .cases
                        .iter()
                        .map(|c| CaseShape {
                            name: c.name.clone(),
                            shape: c.ty.as_ref().map(|t| type_shape(resolve, t)),
                        })
                        .collect(),
                },
                TypeDefKind::Enum(e) => TypeShape::Enum {
                    name,
                    cases: e.cases.iter().map(|c| c.name.clone()).collect(),
                },
                TypeDefKind::Flags(f) => TypeShape::Flags {
                    name,
                    flags: f.flags.iter().map(|f| f.name.clone()).collect(),
                },
                TypeDefKind::List(t) | TypeDefKind::FixedLengthList(t, _) => {
                    TypeShape::List { of: boxed(t) }
                }
                TypeDefKind::Option(t) => TypeShape::Option { of: boxed(t) },
                TypeDefKind::Result(r) => TypeShape::Result {
                    ok: r.ok.as_ref().map(boxed),
                    err: r.err.as_ref().map(boxed),
                },
                TypeDefKind::Tuple(t) => TypeShape::Tuple {
                    items: t.types.iter().map(|t| type_shape(resolve, t)).collect(),
                },
                TypeDefKind::Handle(Handle::Own(r)) => TypeShape::Handle {
                    name: resolve.types[*r].name.clone(),
                    borrow: false,
                },
                TypeDefKind::Handle(Handle::Borrow(r)) => TypeShape::Handle {
                    name: resolve.types[*r].name.clone(),
                    borrow: true,
                },
                TypeDefKind::Resource => TypeShape::Handle {
                    name,
                    borrow: false,
                },
                TypeDefKind::Stream(of) => TypeShape::Stream {
                    of: of.as_ref().map(boxed),
                    wit: type_name(resolve, ty),
                },
                TypeDefKind::Future(of) => TypeShape::Future {
                    of: of.as_ref().map(boxed),
                    wit: type_name(resolve, ty),
                },
                _ => TypeShape::Unsupported {
                    wit: type_name(resolve, ty),
                },
            }
        }
    }
}

/// A type defined by an interface.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeInfo {
    /// Type name.
    pub name: String,
    /// Record, variant, enum, flags, resource or alias.
    pub kind: TypeKind,
    /// Fields, cases or flags; `type` is the field or payload type.
    pub members: Vec<MemberInfo>,
    /// For aliases, the aliased type.
    pub target: Option<String>,
}

/// A record field, variant/enum case or flag.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberInfo {
    /// Member name.
    pub name: String,
    /// The field type or case payload, if any.
    pub ty: Option<String>,
}

/// Decodes a component binary and describes its world.
///
/// wit-parser's decoder (0.258) asserts things the validator does not
/// guarantee and panics on some valid components (`unreachable!` for a
/// function under an interface name inside an instance, for a type export
/// of another kind, for a type owned by a world; a failed `assert!` for a
/// type registered twice: all found by `patchbay-fuzz`). The decoding runs
/// under `catch_unwind`, so such a component is a [`InspectError::Decode`]
/// naming the file instead of a crash of the CLI or the app. The decoder
/// builds its own `Resolve` from the bytes and shares no state, so nothing
/// is left half-changed after a panic.
pub fn describe_component(bytes: &[u8], path: &Path) -> Result<ComponentInfo, InspectError> {
    std::panic::catch_unwind(|| describe_unguarded(bytes, path)).unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Err(InspectError::Decode {
            path: path.to_path_buf(),
            message: format!("the WIT decoder failed on this component ({reason})"),
        })
    })
}

fn describe_unguarded(bytes: &[u8], path: &Path) -> Result<ComponentInfo, InspectError> {
    let decode_err = |message: String| InspectError::Decode {
        path: path.to_path_buf(),
        message,
    };
    if let Some(message) = function_with_id_name(bytes) {
        return Err(decode_err(message));
    }
    let (resolve, world) =
        match wit_component::decode(bytes).map_err(|e| decode_err(format!("{e:#}")))? {
            DecodedWasm::Component(resolve, world) => (resolve, world),
            DecodedWasm::WitPackage(..) => {
                return Err(decode_err(
                    "the file is a WIT package, not a runnable component".into(),
                ))
            }
        };
    let w = &resolve.worlds[world];
    let ports = |items: &indexmap::IndexMap<WorldKey, WorldItem>| {
        items
            .iter()
            .filter_map(|(key, item)| port_info(&resolve, key, item))
            .collect::<Vec<_>>()
    };
    let imports = ports(&w.imports);
    let exports = ports(&w.exports);
    let wit = world_wit(&resolve, world).map_err(|e| decode_err(format!("{e:#}")))?;
    Ok(ComponentInfo {
        imports,
        exports,
        wit,
    })
}

/// Prints the world's package, then every other package it uses, as WIT.
/// A function of the component's world imported or exported under an
/// interface, URL, hash or dependency name (`a:b/c` for a function). The
/// validator accepts such a component, but WIT has no way to write it and
/// wit-parser's decoder panics on it (`unreachable!` in 0.258), so it is
/// refused with a message before decoding. Malformed binaries are left to
/// the decoder, which reports them.
fn function_with_id_name(bytes: &[u8]) -> Option<String> {
    use wasmparser::names::{ComponentName, ComponentNameKind};
    use wasmparser::{ComponentExternalKind, ComponentTypeRef, Payload};
    let id_name = |name: &str| {
        ComponentName::new(name, 0).is_ok_and(|n| {
            matches!(
                n.kind(),
                ComponentNameKind::Interface(_)
                    | ComponentNameKind::Url(_)
                    | ComponentNameKind::Hash(_)
                    | ComponentNameKind::Dependency(_)
            )
        })
    };
    // parse_all walks nested modules and components too; only the
    // outermost component's imports and exports make its world.
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::Version { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(reader) if depth == 1 => {
                for import in reader {
                    let import = import.ok()?;
                    if matches!(import.ty, ComponentTypeRef::Func(_)) && id_name(import.name.name) {
                        return Some(format!(
                            "import `{}` is a function, but the name is an interface name, which only an instance may have; WIT cannot describe it",
                            import.name.name
                        ));
                    }
                }
            }
            Payload::ComponentExportSection(reader) if depth == 1 => {
                for export in reader {
                    let export = export.ok()?;
                    if export.kind == ComponentExternalKind::Func && id_name(export.name.name) {
                        return Some(format!(
                            "export `{}` is a function, but the name is an interface name, which only an instance may have; WIT cannot describe it",
                            export.name.name
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn world_wit(resolve: &Resolve, world: wit_parser::WorldId) -> anyhow::Result<String> {
    let root = resolve.worlds[world]
        .package
        .ok_or_else(|| anyhow::anyhow!("decoded world has no package"))?;
    let nested: Vec<_> = resolve
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != root)
        .collect();
    // One package after another, separated by a blank line.
    let mut text = String::new();
    for pkg in std::iter::once(root).chain(nested) {
        let mut printer = WitPrinter::default();
        printer.print_package(resolve, pkg, pkg == root)?;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(printer.output.to_string().trim_end());
        text.push('\n');
    }
    Ok(text)
}

fn port_info(resolve: &Resolve, key: &WorldKey, item: &WorldItem) -> Option<PortInfo> {
    let name = resolve.name_world_key(key);
    match item {
        WorldItem::Interface { id, .. } => Some(interface_port(resolve, name, *id)),
        WorldItem::Function(f) => Some(PortInfo {
            name,
            kind: PortKind::Function,
            package: None,
            interface: None,
            version: None,
            functions: vec![function_info(resolve, f)],
            types: Vec::new(),
            types_only: false,
        }),
        // Types used at world level are not ports: nothing can be wired to them.
        WorldItem::Type { .. } => None,
    }
}

fn interface_port(resolve: &Resolve, name: String, id: InterfaceId) -> PortInfo {
    let iface = &resolve.interfaces[id];
    let pkg = iface.package.map(|p| &resolve.packages[p].name);
    let functions: Vec<_> = iface
        .functions
        .values()
        .map(|f| function_info(resolve, f))
        .collect();
    let types: Vec<_> = iface
        .types
        .iter()
        .filter(|(_, ty)| resolve.types[**ty].owner == wit_parser::TypeOwner::Interface(id))
        .filter_map(|(name, ty)| type_info(resolve, name, *ty))
        .collect();
    PortInfo {
        name,
        kind: PortKind::Interface,
        package: pkg.map(|p| format!("{}:{}", p.namespace, p.name)),
        interface: iface.name.clone(),
        version: pkg.and_then(|p| p.version.as_ref().map(|v| v.to_string())),
        // A resource needs a host implementation even without functions.
        types_only: functions.is_empty() && !types.iter().any(|t| t.kind == TypeKind::Resource),
        functions,
        types,
    }
}

/// Renders a WIT type name, such as `list<line-item>`.
pub fn type_name(resolve: &Resolve, ty: &Type) -> String {
    let mut printer = WitPrinter::default();
    match printer.print_type_name(resolve, ty) {
        Ok(()) => printer.output.to_string(),
        Err(e) => format!("<{e}>"),
    }
}

fn function_info(resolve: &Resolve, f: &Function) -> FunctionInfo {
    let (kind, resource) = match &f.kind {
        WitFunctionKind::Freestanding | WitFunctionKind::AsyncFreestanding => {
            (FunctionKind::Freestanding, None)
        }
        WitFunctionKind::Method(r) | WitFunctionKind::AsyncMethod(r) => {
            (FunctionKind::Method, Some(*r))
        }
        WitFunctionKind::Static(r) | WitFunctionKind::AsyncStatic(r) => {
            (FunctionKind::Static, Some(*r))
        }
        WitFunctionKind::Constructor(r) => (FunctionKind::Constructor, Some(*r)),
    };
    let skip_self = usize::from(kind == FunctionKind::Method);
    let params: Vec<_> = f
        .params
        .iter()
        .skip(skip_self)
        .map(|p| ParamInfo {
            name: p.name.clone(),
            ty: type_name(resolve, &p.ty),
            shape: type_shape(resolve, &p.ty),
        })
        .collect();
    // Constructors return `own<resource>`; WIT writes them without a result.
    let result = match kind {
        FunctionKind::Constructor => None,
        _ => f.result.as_ref().map(|t| type_name(resolve, t)),
    };
    let name = f.item_name().to_string();
    let params_text = params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty))
        .collect::<Vec<_>>()
        .join(", ");
    let is_async = matches!(
        f.kind,
        WitFunctionKind::AsyncFreestanding
            | WitFunctionKind::AsyncMethod(_)
            | WitFunctionKind::AsyncStatic(_)
    );
    let signature = match kind {
        FunctionKind::Constructor => format!("constructor({params_text})"),
        _ => format!(
            "{name}: {}{}func({params_text}){}",
            if kind == FunctionKind::Static {
                "static "
            } else {
                ""
            },
            if is_async { "async " } else { "" },
            result
                .as_ref()
                .map(|r| format!(" -> {r}"))
                .unwrap_or_default()
        ),
    };
    let result_shape = match kind {
        FunctionKind::Constructor => None,
        _ => f.result.as_ref().map(|t| type_shape(resolve, t)),
    };
    FunctionInfo {
        name,
        kind,
        resource: resource.and_then(|r| resolve.types[r].name.clone()),
        params,
        result,
        result_shape,
        signature,
    }
}

fn type_info(resolve: &Resolve, name: &str, id: TypeId) -> Option<TypeInfo> {
    let def = &resolve.types[id];
    let member = |name: &str, ty: Option<&Type>| MemberInfo {
        name: name.to_string(),
        ty: ty.map(|t| type_name(resolve, t)),
    };
    let (kind, members, target) = match &def.kind {
        TypeDefKind::Record(r) => (
            TypeKind::Record,
            r.fields
                .iter()
                .map(|f| member(&f.name, Some(&f.ty)))
                .collect(),
            None,
        ),
        TypeDefKind::Variant(v) => (
            TypeKind::Variant,
            v.cases
                .iter()
                .map(|c| member(&c.name, c.ty.as_ref()))
                .collect(),
            None,
        ),
        TypeDefKind::Enum(e) => (
            TypeKind::Enum,
            e.cases.iter().map(|c| member(&c.name, None)).collect(),
            None,
        ),
        TypeDefKind::Flags(f) => (
            TypeKind::Flags,
            f.flags.iter().map(|c| member(&c.name, None)).collect(),
            None,
        ),
        TypeDefKind::Resource => (TypeKind::Resource, Vec::new(), None),
        TypeDefKind::Handle(Handle::Own(t)) | TypeDefKind::Handle(Handle::Borrow(t)) => {
            (TypeKind::Alias, Vec::new(), resolve.types[*t].name.clone())
        }
        TypeDefKind::Unknown => return None,
        TypeDefKind::Type(t) => (TypeKind::Alias, Vec::new(), Some(type_name(resolve, t))),
        other => (
            TypeKind::Alias,
            Vec::new(),
            Some(anonymous_type(resolve, other)),
        ),
    };
    Some(TypeInfo {
        name: name.to_string(),
        kind,
        members,
        target,
    })
}

/// Renders the structure of a named alias of an anonymous type, such as
/// `type bytes = list<u8>`, which [`type_name`] would print as its name.
fn anonymous_type(resolve: &Resolve, kind: &TypeDefKind) -> String {
    let t = |ty: &Type| type_name(resolve, ty);
    let opt = |ty: &Option<Type>| ty.as_ref().map_or("_".to_string(), &t);
    match kind {
        TypeDefKind::List(ty) => format!("list<{}>", t(ty)),
        TypeDefKind::FixedLengthList(ty, n) => format!("list<{}, {n}>", t(ty)),
        TypeDefKind::Map(k, v) => format!("map<{}, {}>", t(k), t(v)),
        TypeDefKind::Option(ty) => format!("option<{}>", t(ty)),
        TypeDefKind::Result(r) => format!("result<{}, {}>", opt(&r.ok), opt(&r.err)),
        TypeDefKind::Tuple(tu) => format!(
            "tuple<{}>",
            tu.types.iter().map(t).collect::<Vec<_>>().join(", ")
        ),
        TypeDefKind::Future(ty) => format!("future<{}>", opt(ty)),
        TypeDefKind::Stream(ty) => format!("stream<{}>", opt(ty)),
        _ => "?".to_string(),
    }
}
