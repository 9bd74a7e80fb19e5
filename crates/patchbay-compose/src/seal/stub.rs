//! Deny stubs: a generated component exporting exactly the interface (or
//! world-level function) one node imports, with the same WIT, whose every
//! function traps. The WIT comes from the node's component (decoded with
//! wit-component); the world of the stub exports that one item and imports
//! the interfaces its types come from (`wasi:filesystem/preopens` uses
//! `wasi:filesystem/types`'s `descriptor`). Resources the interface defines
//! are defined by the stub: no function can make one, so none ever exists.

use super::core::{trap_module, TrapFunction};
use super::fake::{check_role, GuestPlan};
use super::guest::{rewrite, Overrides};
use super::handles::{has_map, holds_handle, mentions_handle, with_handles_as_u32};
use super::mock::{mock_module, MockFunction};
use crate::{display_name, mock_answers, MockAnswer, PortFunction, WaveType};
use patchbay_project::Mock;
use wasm_encoder::ValType;
use wasm_wave::value::{Type as ValueType, Value};
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
        let found = self.find(import, "deny")?;
        let traps: Vec<TrapFunction> = found
            .functions
            .iter()
            .map(|f| {
                let core = self.core_signature(&found, f);
                TrapFunction {
                    export: core.export,
                    params: core.params,
                    results: core.results,
                    name: denial_name(
                        node,
                        import,
                        found.interface.map(|_| display_name(&f.name)).as_deref(),
                    ),
                }
            })
            .collect();
        let module = trap_module(&traps);
        let bytes = self.encode(&found, module)?;
        Ok(StubComponent {
            // The encoder imports only the interfaces the exported types
            // need, fewer than the world names.
            imports: super::top_level_imports(&bytes),
            bytes,
            functions: traps.into_iter().map(|t| t.name).collect(),
        })
    }

    /// A mock stub for `import` of `node`: exports it, every function
    /// answers as `mock` says (`ports` are the import's functions with
    /// their types, as `check` reads them). The error says which function
    /// cannot be baked and why; the mock then stays an import.
    pub fn mock_stub(
        &self,
        node: &str,
        import: &str,
        mock: &Mock,
        ports: &[PortFunction],
    ) -> Result<StubComponent, String> {
        let found = self.find(import, "mock")?;
        let functions = self.mock_functions(&found, import, mock, ports)?;
        let module = mock_module(node, &functions)?;
        let bytes = self.encode(&found, module)?;
        Ok(StubComponent {
            imports: super::top_level_imports(&bytes),
            bytes,
            functions: functions.into_iter().map(|f| f.called).collect(),
        })
    }

    /// Each function of `found` with its core signature and how `mock`
    /// answers it, by [`mock_answers`]'s rule (`ports` are the import's
    /// functions with their types, as `check` reads them). The error says
    /// which function cannot be baked and why.
    fn mock_functions(
        &self,
        found: &Found<'_>,
        import: &str,
        mock: &Mock,
        ports: &[PortFunction],
    ) -> Result<Vec<MockFunction>, String> {
        for f in &found.functions {
            let types = f.params.iter().map(|p| &p.ty).chain(f.result.as_ref());
            if types.into_iter().any(|t| has_map(&self.resolve, t)) {
                return Err(format!(
                    "`{}` takes or returns a map, which a mock stub cannot bake yet",
                    display_name(&f.name)
                ));
            }
        }
        let mut typed: Vec<PortFunction<ValueType>> = Vec::new();
        for p in ports {
            let convert = |t: &WaveType| {
                ValueType::from_wasm_type(&with_handles_as_u32(t)).ok_or_else(|| {
                    format!(
                        "`{}` takes or returns a value WAVE cannot write, which a mock stub cannot bake",
                        p.name
                    )
                })
            };
            typed.push(PortFunction {
                name: p.name.clone(),
                item: p.item.clone(),
                params: p
                    .params
                    .iter()
                    .map(|(n, t)| Ok((n.clone(), convert(t)?)))
                    .collect::<Result<_, String>>()?,
                result: p.result.as_ref().map(convert).transpose()?,
            });
        }
        let answers = mock_answers::<Value>(import, mock, &typed).map_err(|e| e.to_string())?;
        for (p, answer) in ports.iter().zip(&answers) {
            let handle = |v: &Option<Value>| match (&p.result, v) {
                (Some(t), Some(v)) => holds_handle(t, v),
                _ => false,
            };
            let holds = match answer {
                MockAnswer::Returns(v) => handle(v),
                MockAnswer::Sequence(vs) => vs.iter().any(handle),
                MockAnswer::Match { cases, otherwise } => {
                    if p.params.iter().any(|(_, t)| mentions_handle(t)) {
                        return Err(format!(
                            "`{}` takes a resource handle, and `cases` cannot match on one",
                            p.name
                        ));
                    }
                    cases.iter().any(|(_, v)| handle(v)) || otherwise.iter().any(handle)
                }
                _ => false,
            };
            if holds {
                return Err(format!(
                    "a value of `{}` holds a resource handle, which a mock stub cannot bake",
                    p.name
                ));
            }
        }
        let mut functions = Vec::new();
        for f in &found.functions {
            let at = if found.interface.is_some() {
                typed.iter().position(|p| p.item == f.name)
            } else {
                (typed.len() == 1).then_some(0)
            }
            .ok_or_else(|| format!("`{}` has no types to bake its values against", f.name))?;
            let signature = self.resolve.wasm_signature(AbiVariant::GuestExport, f);
            let core = self.core_signature(found, f);
            functions.push(MockFunction {
                export: core.export,
                params: core.params,
                results: core.results,
                retptr: signature.retptr,
                indirect_params: signature.indirect_params,
                called: match found.interface {
                    Some(_) => format!("{import}#{}", display_name(&f.name)),
                    None => import.to_string(),
                },
                param_types: typed[at].params.iter().map(|(_, t)| t.clone()).collect(),
                result: typed[at].result.clone(),
                answer: answers[at].clone(),
            });
        }
        Ok(functions)
    }

    /// A stub for `import` of `node` made of the fakes' guest module, as
    /// `plan` says (see `fake.rs`); with the plan's `functions` overrides,
    /// the functions the mock sets answer its values (`ports` are the
    /// import's functions with their types) and the rest the fake. The
    /// error says why it cannot be made.
    pub fn guest_stub(
        &self,
        node: &str,
        import: &str,
        plan: &GuestPlan,
        ports: &[PortFunction],
    ) -> Result<StubComponent, String> {
        let found = self.find(import, "fake")?;
        // Per function, the mock's answer when the mock answers it.
        let mut mocked: Vec<Option<MockFunction>> = match &plan.overrides {
            Some(mock) => self
                .mock_functions(&found, import, mock, ports)?
                .into_iter()
                .map(|f| (!matches!(f.answer, MockAnswer::Fake(_))).then_some(f))
                .collect(),
            None => found.functions.iter().map(|_| None).collect(),
        };
        let mut renames = Vec::new();
        let mut functions = Vec::new();
        let mut overridden = Vec::new();
        for (f, mocked) in found.functions.iter().zip(&mut mocked) {
            let name = display_name(&f.name);
            functions.push(match found.interface {
                Some(_) => format!("{import}#{name}"),
                None => import.to_string(),
            });
            if let Some(m) = mocked.take() {
                overridden.push(m);
                continue;
            }
            let role = plan.roles.get(name.as_str()).copied().ok_or_else(|| {
                format!("`{name}` is a function the sealed fake does not implement")
            })?;
            let core = self.core_signature(&found, f);
            check_role(role, &name, &core.params, &core.results)?;
            renames.push((role.export(), core.export));
        }
        let reads_host = plan.module.reads_host();
        let overrides = Overrides {
            node,
            functions: overridden,
        };
        let module = rewrite(
            plan.module.bytes(),
            &renames,
            &plan.seed,
            reads_host.then_some(import),
            plan.overrides.is_some().then_some(&overrides),
        )?;
        let bytes = self.encode_world(&found, module, reads_host)?;
        Ok(StubComponent {
            imports: super::top_level_imports(&bytes),
            bytes,
            functions,
        })
    }

    /// The interfaces `import` uses types from, transitively, by the
    /// names the component imports them under (`wasi:io/streams@0.2.12`
    /// for `wasi:filesystem/types@0.2.12`). The error says why it cannot
    /// tell.
    pub fn uses(&self, import: &str) -> Result<Vec<String>, String> {
        let world = &self.resolve.worlds[self.world];
        let (_, item) = world
            .imports
            .iter()
            .find(|(k, _)| self.resolve.name_world_key(k) == import)
            .ok_or_else(|| format!("the component does not import `{import}`"))?;
        let deps = match item {
            WorldItem::Interface { id, .. } => self.interface_deps(*id),
            WorldItem::Function(f) => self.function_deps(f)?,
            WorldItem::Type { .. } => Vec::new(),
        };
        Ok(deps
            .into_iter()
            .filter_map(|id| self.resolve.id_of(id))
            .collect())
    }

    /// The world item `import` names, its functions and the interfaces
    /// its types come from. `what` is `deny` or `mock`, for errors.
    fn find<'r>(&'r self, import: &str, what: &str) -> Result<Found<'r>, String> {
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
                    "`{import}` is a type, not a capability, so there is nothing to {what}"
                ))
            }
        };
        if let Some(f) = functions.iter().find(|f| f.kind.is_async()) {
            return Err(format!(
                "`{}` is an async function, and {what} stubs of async functions are not made yet",
                f.name
            ));
        }
        Ok(Found {
            interface: matches!(item, WorldItem::Interface { .. }).then_some(key),
            key,
            item,
            functions,
            deps,
        })
    }

    /// The core export name and signature of `f`, exported.
    fn core_signature(&self, found: &Found<'_>, f: &Function) -> CoreSignature {
        let mangling = ManglingAndAbi::Legacy(LiftLowerAbi::Sync);
        let signature = self.resolve.wasm_signature(AbiVariant::GuestExport, f);
        CoreSignature {
            export: self.resolve.wasm_export_name(
                mangling,
                WasmExport::Func {
                    interface: found.interface,
                    func: f,
                    kind: WasmExportKind::Normal,
                },
            ),
            params: signature.params.iter().map(core_type).collect(),
            results: signature.results.iter().map(core_type).collect(),
        }
    }

    /// The stub component around `module`: its world exports the found
    /// item and imports the interfaces its types come from.
    fn encode(&self, found: &Found<'_>, module: Vec<u8>) -> Result<Vec<u8>, String> {
        self.encode_world(found, module, false)
    }

    /// As [`Self::encode`]; with `import_it`, the world also imports the
    /// item it exports (the environment filter reads the host's).
    fn encode_world(
        &self,
        found: &Found<'_>,
        mut module: Vec<u8>,
        import_it: bool,
    ) -> Result<Vec<u8>, String> {
        let world = &self.resolve.worlds[self.world];
        let (key, item, deps) = (found.key, found.item, &found.deps);
        let mut resolve = self.resolve.clone();
        let mut imports: Vec<(WorldKey, WorldItem)> = deps
            .iter()
            .map(|dep| (WorldKey::Interface(*dep), interface_item(*dep)))
            .collect();
        let export = match item {
            WorldItem::Interface { id, .. } => interface_item(*id),
            other => other.clone(),
        };
        if import_it {
            imports.push((key.clone(), export.clone()));
        }
        let stub_world = resolve.worlds.alloc(World {
            name: super::STUB_MODULE_NAME.to_string(),
            imports: imports.into_iter().collect(),
            exports: [(key.clone(), export)].into_iter().collect(),
            package: world.package,
            docs: Default::default(),
            stability: Default::default(),
            includes: Vec::new(),
            span: Default::default(),
        });
        wit_component::embed_component_metadata(
            &mut module,
            &resolve,
            stub_world,
            StringEncoding::UTF8,
        )
        .map_err(|e| format!("its WIT cannot be embedded in the stub: {e:#}"))?;
        ComponentEncoder::default()
            .validate(true)
            .module(&module)
            .and_then(|encoder| encoder.encode())
            .map_err(|e| format!("the stub does not encode: {e:#}"))
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

/// An import of the component, found.
struct Found<'r> {
    key: &'r WorldKey,
    /// The key again, for an interface (`None` for a world-level function).
    interface: Option<&'r WorldKey>,
    item: &'r WorldItem,
    functions: Vec<&'r Function>,
    deps: Vec<InterfaceId>,
}

/// A function's core export name and signature.
struct CoreSignature {
    export: String,
    params: Vec<ValType>,
    results: Vec<ValType>,
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
