//! Deny stubs: a generated component exporting exactly the interface (or
//! world-level function) one node imports, with the same WIT, whose every
//! function traps. The WIT comes from the node's component (decoded with
//! wit-component); the world of the stub exports that one item and imports
//! the interfaces its types come from (`wasi:filesystem/preopens` uses
//! `wasi:filesystem/types`'s `descriptor`). Resources the interface defines
//! are defined by the stub: no function can make one, so none ever exists.

use super::core::{trap_module, TrapFunction};
use crate::display_name;
use wasm_encoder::ValType;
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::abi::{AbiVariant, WasmType};
use wit_parser::{
    Function, InterfaceId, LiftLowerAbi, ManglingAndAbi, Resolve, Type, TypeDefKind, TypeOwner,
    WasmExport, WasmExportKind, World, WorldId, WorldItem, WorldKey,
};

/// What a trap of a sealed denial is named after, in the stub's name
/// section and so in a trap's backtrace:
/// `denied: node denied called wasi:cli/environment@0.2.12#get-environment`.
/// `function` is `None` for a world-level function import.
pub fn denial_name(node: &str, import: &str, function: Option<&str>) -> String {
    match function {
        Some(f) => format!("{DENIAL_PREFIX}{node} called {import}#{f}"),
        None => format!("{DENIAL_PREFIX}{node} called {import}"),
    }
}

/// How every [`denial_name`] starts; a host finding a frame named so in a
/// trap's backtrace knows the trap is a sealed denial.
pub const DENIAL_PREFIX: &str = "denied: node ";

/// A generated deny stub, before it is placed in a composition.
#[derive(Debug, Clone)]
pub(crate) struct StubComponent {
    /// The component.
    pub bytes: Vec<u8>,
    /// The [`denial_name`] of each of its functions.
    pub functions: Vec<String>,
    /// The interfaces it imports for the types it uses, by import name (a
    /// subset of its world's imports: only those its exports need).
    pub imports: Vec<String>,
}

/// The decoded WIT of one component, from which stubs for its imports are
/// made.
pub(crate) struct StubSource {
    resolve: Resolve,
    world: WorldId,
}

impl StubSource {
    /// Decodes the component's WIT. The error says why it cannot be read.
    pub fn new(component: &[u8]) -> Result<Self, String> {
        match wit_component::decode(component) {
            Ok(wit_component::DecodedWasm::Component(resolve, world)) => {
                Ok(Self { resolve, world })
            }
            Ok(wit_component::DecodedWasm::WitPackage(..)) => {
                Err("it is a WIT package, not a component".to_string())
            }
            Err(e) => Err(format!("its WIT cannot be decoded: {e:#}")),
        }
    }

    /// A stub for `import` of `node`: exports it, every function traps
    /// naming the node, the import and the function. The error says why it
    /// cannot be made.
    pub fn deny_stub(&self, node: &str, import: &str) -> Result<StubComponent, String> {
        let world = &self.resolve.worlds[self.world];
        let (key, item) = world
            .imports
            .iter()
            .find(|(k, _)| self.resolve.name_world_key(k) == import)
            .ok_or_else(|| format!("the component does not import `{import}`"))?;
        let (functions, deps): (Vec<&Function>, Vec<InterfaceId>) = match item {
            WorldItem::Interface { id, .. } => (
                self.resolve.interfaces[*id].functions.values().collect(),
                self.interface_deps(*id),
            ),
            WorldItem::Function(f) => (vec![f], self.function_deps(f)?),
            WorldItem::Type { .. } => {
                return Err(format!(
                    "`{import}` is a type, not a capability, so there is nothing to deny"
                ))
            }
        };
        if let Some(f) = functions.iter().find(|f| f.kind.is_async()) {
            return Err(format!(
                "`{}` is an async function, and deny stubs of async functions are not made yet",
                f.name
            ));
        }
        let interface = matches!(item, WorldItem::Interface { .. }).then_some(key);
        let mangling = ManglingAndAbi::Legacy(LiftLowerAbi::Sync);
        let traps: Vec<TrapFunction> = functions
            .iter()
            .map(|f| {
                let signature = self.resolve.wasm_signature(AbiVariant::GuestExport, f);
                TrapFunction {
                    export: self.resolve.wasm_export_name(
                        mangling,
                        WasmExport::Func {
                            interface,
                            func: f,
                            kind: WasmExportKind::Normal,
                        },
                    ),
                    params: signature.params.iter().map(core_type).collect(),
                    results: signature.results.iter().map(core_type).collect(),
                    name: denial_name(
                        node,
                        import,
                        interface.map(|_| display_name(&f.name)).as_deref(),
                    ),
                }
            })
            .collect();

        let mut resolve = self.resolve.clone();
        let imports: Vec<(WorldKey, WorldItem)> = deps
            .iter()
            .map(|dep| (WorldKey::Interface(*dep), interface_item(*dep)))
            .collect();
        let export = match item {
            WorldItem::Interface { id, .. } => interface_item(*id),
            other => other.clone(),
        };
        let stub_world = resolve.worlds.alloc(World {
            name: "patchbay-deny-stub".to_string(),
            imports: imports.into_iter().collect(),
            exports: [(key.clone(), export)].into_iter().collect(),
            package: world.package,
            docs: Default::default(),
            stability: Default::default(),
            includes: Vec::new(),
            span: Default::default(),
        });
        let mut module = trap_module(&traps);
        wit_component::embed_component_metadata(
            &mut module,
            &resolve,
            stub_world,
            StringEncoding::UTF8,
        )
        .map_err(|e| format!("its WIT cannot be embedded in the stub: {e:#}"))?;
        let bytes = ComponentEncoder::default()
            .validate(true)
            .module(&module)
            .and_then(|encoder| encoder.encode())
            .map_err(|e| format!("the stub does not encode: {e:#}"))?;
        Ok(StubComponent {
            // The encoder imports only the interfaces the exported types
            // need, fewer than the world names.
            imports: super::top_level_imports(&bytes),
            bytes,
            functions: traps.into_iter().map(|t| t.name).collect(),
        })
    }

    /// The interfaces `id` uses types from, transitively, each after the
    /// ones it depends on.
    fn interface_deps(&self, id: InterfaceId) -> Vec<InterfaceId> {
        let mut order = Vec::new();
        for dep in self.resolve.interface_direct_deps(id) {
            self.visit(dep, &mut order);
        }
        order
    }

    fn visit(&self, id: InterfaceId, order: &mut Vec<InterfaceId>) {
        if order.contains(&id) {
            return;
        }
        for dep in self.resolve.interface_direct_deps(id) {
            self.visit(dep, order);
        }
        order.push(id);
    }

    /// The interfaces a world-level function's types come from. A type the
    /// world itself defines cannot be given to a stub's world yet.
    fn function_deps(&self, f: &Function) -> Result<Vec<InterfaceId>, String> {
        let mut owners = Vec::new();
        let types = f.params.iter().map(|p| &p.ty).chain(f.result.as_ref());
        for ty in types {
            self.type_owners(ty, &mut owners, &f.name)?;
        }
        let mut order = Vec::new();
        for id in owners {
            self.visit(id, &mut order);
        }
        Ok(order)
    }

    fn type_owners(&self, ty: &Type, owners: &mut Vec<InterfaceId>, f: &str) -> Result<(), String> {
        let Type::Id(id) = ty else { return Ok(()) };
        let def = &self.resolve.types[*id];
        match def.owner {
            TypeOwner::Interface(i) => {
                owners.push(i);
                Ok(())
            }
            TypeOwner::World(_) => Err(format!(
                "`{f}` uses a type its world defines, and deny stubs of such world-level functions are not made yet"
            )),
            TypeOwner::None => {
                let mut inner: Vec<&Type> = Vec::new();
                match &def.kind {
                    TypeDefKind::List(t)
                    | TypeDefKind::FixedLengthList(t, _)
                    | TypeDefKind::Option(t)
                    | TypeDefKind::Type(t) => inner.push(t),
                    TypeDefKind::Tuple(t) => inner.extend(&t.types),
                    TypeDefKind::Result(r) => inner.extend(r.ok.iter().chain(r.err.iter())),
                    TypeDefKind::Handle(
                        wit_parser::Handle::Own(r) | wit_parser::Handle::Borrow(r),
                    ) => {
                        return self.type_owners(&Type::Id(*r), owners, f);
                    }
                    TypeDefKind::Future(t) | TypeDefKind::Stream(t) => inner.extend(t.iter()),
                    TypeDefKind::Map(k, v) => {
                        inner.push(k);
                        inner.push(v);
                    }
                    _ => {}
                }
                for t in inner {
                    self.type_owners(t, owners, f)?;
                }
                Ok(())
            }
        }
    }
}

/// A world item for an interface, with nothing but its id.
fn interface_item(id: InterfaceId) -> WorldItem {
    WorldItem::Interface {
        id,
        stability: Default::default(),
        external_id: None,
        docs: Default::default(),
        span: Default::default(),
    }
}

/// A canonical ABI core type in a 32-bit memory.
fn core_type(ty: &WasmType) -> ValType {
    match ty {
        WasmType::I32 | WasmType::Pointer | WasmType::Length => ValType::I32,
        WasmType::I64 | WasmType::PointerOrI64 => ValType::I64,
        WasmType::F32 => ValType::F32,
        WasmType::F64 => ValType::F64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv_service() -> StubSource {
        let bytes = std::fs::read(patchbay_test_programs::KV_SERVICE).expect("kv-service");
        StubSource::new(&bytes).expect("kv-service decodes")
    }

    #[test]
    fn a_stub_exports_the_import_and_names_each_trap() {
        let stub = kv_service()
            .deny_stub("service", "patchbay:kv/store")
            .expect("a stub");
        assert_eq!(stub.imports, Vec::<String>::new());
        assert!(stub
            .functions
            .contains(&"denied: node service called patchbay:kv/store#get".to_string()));
        let info = patchbay_inspect::describe_component(&stub.bytes, "<stub>".as_ref())
            .expect("the stub describes");
        let exports: Vec<&str> = info.exports.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(exports, ["patchbay:kv/store"]);
    }

    #[test]
    fn what_cannot_be_stubbed_says_why() {
        let source = kv_service();
        let e = source
            .deny_stub("service", "wasi:nope/nothing")
            .unwrap_err();
        assert_eq!(e, "the component does not import `wasi:nope/nothing`");
        let e = StubSource::new(b"\0asm").err().expect("not a component");
        assert!(e.starts_with("its WIT cannot be decoded"), "{e}");
    }
}
