//! The fakes' guest module (crate `patchbay-fakes`), rewritten for one
//! binding ([`rewrite`]): the roles the import needs are exported under
//! the names the component encoder expects for that import's functions,
//! every other export but the memory and allocator is dropped, the
//! binding's values become a data segment at the guest's seed area, and
//! the host imports of the environment filter and the fixed clock are
//! renamed to the real import.
//!
//! A fake binding with `functions` overrides answers those functions with
//! the mock's values: their code ([`super::mock::mock_code`], the code of
//! mock stubs) is added to the guest module, its counters as new globals,
//! its values in the seed area after the binding's seed, and its functions
//! named in the name section (so a trap's backtrace names the mock). One
//! core module, one memory, one allocator: the component encoder wraps it
//! like any stub.

use super::mock::{mock_code, Bases, MockCode, MockFunction};
use patchbay_fakes::{HOST_MODULE_PREFIX, SEED_CAPACITY, SEED_SYMBOL};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, ConstExpr, DataCountSection, DataSection, EntityType, ExportKind, ExportSection,
    FunctionSection, GlobalSection, GlobalType, ImportSection, NameMap, NameSection, RawSection,
    TypeSection, ValType,
};
use wasmparser::{ExternalKind, KnownCustom, Name, Operator, Parser, Payload, TypeRef};

/// Functions a fake binding's mock answers (its `functions` overrides),
/// added to the guest module.
pub(crate) struct Overrides<'a> {
    /// The node, as the mock's traps name it.
    pub node: &'a str,
    /// The overridden functions, with their answers.
    pub functions: Vec<MockFunction>,
}

/// What the first pass learns of the guest module.
#[derive(Default)]
struct Layout {
    /// Defined types: the index of the first added one.
    types: u32,
    /// Imported plus defined functions: the index of the first added one.
    functions: u32,
    /// Defined globals (the guest imports none): the first added one.
    globals: u32,
    /// The address of the seed area.
    seed_at: Option<u32>,
}

fn broken(e: impl std::fmt::Display) -> String {
    format!("the fakes' guest module does not read: {e}")
}

fn layout(module: &[u8]) -> Result<Layout, String> {
    let mut layout = Layout::default();
    let mut global_values: Vec<Option<i32>> = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.map_err(broken)? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Func(_) = import.map_err(broken)?.ty {
                        layout.functions += 1;
                    }
                }
            }
            Payload::TypeSection(reader) => layout.types = reader.count(),
            Payload::FunctionSection(reader) => layout.functions += reader.count(),
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(broken)?;
                    let mut ops = global.init_expr.get_operators_reader();
                    global_values.push(match ops.read() {
                        Ok(Operator::I32Const { value }) => Some(value),
                        _ => None,
                    });
                }
                layout.globals = global_values.len() as u32;
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(broken)?;
                    if export.kind == ExternalKind::Global && export.name == SEED_SYMBOL {
                        layout.seed_at = global_values
                            .get(export.index as usize)
                            .copied()
                            .flatten()
                            .map(|a| a as u32);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(layout)
}

/// The guest `module` for one binding: `renames` (role export → the
/// encoder's name for the import's function) exported with `memory` and
/// `cabi_realloc`, nothing else; `seed` written at the seed area; the
/// host imports (of the environment filter, the fixed clock) renamed to
/// `host_import`; the `overrides`' code added.
pub(crate) fn rewrite(
    module: &[u8],
    renames: &[(&str, String)],
    seed: &[u8],
    host_import: Option<&str>,
    overrides: Option<&Overrides<'_>>,
) -> Result<Vec<u8>, String> {
    let layout = layout(module)?;
    let seed_at = layout.seed_at.ok_or_else(|| {
        format!("the fakes' guest module has no `{SEED_SYMBOL}` to write the values at")
    })?;
    // The mock's values go after the seed, in the seed area.
    let data_at = (seed_at + seed.len() as u32).div_ceil(8) * 8;
    let extra: Option<MockCode> = overrides
        .map(|o| {
            mock_code(
                o.node,
                &o.functions,
                Bases {
                    function: layout.functions,
                    global: layout.globals,
                    data: data_at,
                },
            )
        })
        .transpose()?;
    let mut data = seed.to_vec();
    if let Some(extra) = &extra {
        data.resize((data_at - seed_at) as usize, 0);
        data.extend(&extra.data);
        if data.len() > SEED_CAPACITY {
            return Err(format!(
                "the fake's values and the mock's values of its overridden functions take {} bytes, and a sealed fake holds at most {SEED_CAPACITY}",
                data.len()
            ));
        }
    }
    let mut re = RoundtripReencoder;
    let mut out = wasm_encoder::Module::new();
    // The code section's bodies, copied as they come; the section is
    // written with the added ones after the last.
    let mut code: Option<(u32, CodeSection)> = None;
    let (mut seeded, mut named) = (false, false);
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(broken)?;
        match &payload {
            Payload::TypeSection(reader) if extra.is_some() => {
                let mut types = TypeSection::new();
                re.parse_type_section(&mut types, reader.clone())
                    .map_err(broken)?;
                for f in extra.iter().flat_map(|e| &e.functions) {
                    types
                        .ty()
                        .function(f.params.iter().copied(), f.results.iter().copied());
                }
                out.section(&types);
            }
            Payload::FunctionSection(reader) if extra.is_some() => {
                let mut functions = FunctionSection::new();
                re.parse_function_section(&mut functions, reader.clone())
                    .map_err(broken)?;
                // The added functions' types follow the module's own.
                let added = extra.as_ref().map_or(0, |e| e.functions.len() as u32);
                for i in 0..added {
                    functions.function(layout.types + i);
                }
                out.section(&functions);
            }
            Payload::GlobalSection(reader) if extra.is_some() => {
                let mut globals = GlobalSection::new();
                re.parse_global_section(&mut globals, reader.clone())
                    .map_err(broken)?;
                for _ in 0..extra.as_ref().map_or(0, |e| e.counters) {
                    globals.global(
                        GlobalType {
                            val_type: ValType::I32,
                            mutable: true,
                            shared: false,
                        },
                        &ConstExpr::i32_const(0),
                    );
                }
                out.section(&globals);
            }
            Payload::ImportSection(reader) => {
                let mut section = ImportSection::new();
                for import in reader.clone().into_imports() {
                    let import = import.map_err(broken)?;
                    let TypeRef::Func(ty) = import.ty else {
                        return Err(format!(
                            "the fakes' guest module imports `{}`, which is not a function",
                            import.name
                        ));
                    };
                    let module_name = match host_import {
                        Some(real) if import.module.starts_with(HOST_MODULE_PREFIX) => real,
                        _ => import.module,
                    };
                    section.import(module_name, import.name, EntityType::Function(ty));
                }
                out.section(&section);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader.clone() {
                    let export = export.map_err(broken)?;
                    let (name, kind) = match export.kind {
                        ExternalKind::Memory if export.name == "memory" => {
                            ("memory", ExportKind::Memory)
                        }
                        ExternalKind::Func if export.name == "cabi_realloc" => {
                            ("cabi_realloc", ExportKind::Func)
                        }
                        ExternalKind::Func => {
                            match renames.iter().find(|(role, _)| *role == export.name) {
                                Some((_, to)) => (to.as_str(), ExportKind::Func),
                                None => continue,
                            }
                        }
                        _ => continue,
                    };
                    section.export(name, kind, export.index);
                }
                for (i, f) in extra.iter().flat_map(|e| &e.functions).enumerate() {
                    if let Some(name) = &f.export {
                        section.export(name, ExportKind::Func, layout.functions + i as u32);
                    }
                }
                out.section(&section);
            }
            Payload::CodeSectionStart { count, .. } => {
                code = Some((*count, CodeSection::new()));
                if *count == 0 {
                    finish_code(&mut out, &mut code, extra.as_ref());
                }
            }
            Payload::CodeSectionEntry(body) => {
                let Some((count, section)) = &mut code else {
                    return Err(broken("a function body outside the code section"));
                };
                let range = body.range();
                section.raw(&module[range.start as usize..range.end as usize]);
                if section.len() == *count {
                    finish_code(&mut out, &mut code, extra.as_ref());
                }
            }
            Payload::DataCountSection { count, .. } => {
                out.section(&DataCountSection { count: count + 1 });
            }
            Payload::DataSection(reader) => {
                let mut section = DataSection::new();
                for segment in reader.clone() {
                    let segment = segment.map_err(broken)?;
                    section.raw(&module[segment.range.start as usize..segment.range.end as usize]);
                }
                section.active(
                    0,
                    &ConstExpr::i32_const(seed_at as i32),
                    data.iter().copied(),
                );
                out.section(&section);
                seeded = true;
            }
            // The name section names functions in backtraces; the rest
            // (producers, target features) is of no use in a stub.
            Payload::CustomSection(c) if c.name() == "name" => {
                named = true;
                match &extra {
                    None => copy(&mut out, module, &payload),
                    Some(extra) => {
                        let KnownCustom::Name(reader) = c.as_known() else {
                            return Err(broken("its name section"));
                        };
                        out.section(&names(Some(reader), layout.functions, extra)?);
                    }
                }
            }
            Payload::CustomSection(_) => {}
            _ => copy(&mut out, module, &payload),
        }
    }
    if code.is_some() {
        return Err(broken("its code section ends early"));
    }
    if !seeded {
        return Err(format!(
            "the fakes' guest module has no data section to write the values at `{SEED_SYMBOL}`"
        ));
    }
    if let (Some(extra), false) = (&extra, named) {
        out.section(&names(None, layout.functions, extra)?);
    }
    Ok(out.finish())
}

/// Writes the code section: the module's bodies, then the added ones.
fn finish_code(
    out: &mut wasm_encoder::Module,
    code: &mut Option<(u32, CodeSection)>,
    extra: Option<&MockCode>,
) {
    if let Some((_, mut section)) = code.take() {
        for f in extra.iter().flat_map(|e| &e.functions) {
            section.function(&f.body);
        }
        out.section(&section);
    }
}

/// The name section: the stub's module name, the module's functions'
/// names (from `reader`, if it has one), then the added functions' (from
/// `first`).
fn names(
    reader: Option<wasmparser::NameSectionReader<'_>>,
    first: u32,
    extra: &MockCode,
) -> Result<NameSection, String> {
    let mut section = NameSection::new();
    // The module is a stub now: a host finds the mock's traps by the
    // stub's module name and the function's.
    section.module(super::STUB_MODULE_NAME);
    let mut functions = NameMap::new();
    for name in reader.into_iter().flatten() {
        if let Name::Function(map) = name.map_err(broken)? {
            for naming in map {
                let naming = naming.map_err(broken)?;
                functions.append(naming.index, naming.name);
            }
        }
    }
    for (i, f) in extra.functions.iter().enumerate() {
        functions.append(first + i as u32, &f.name);
    }
    section.functions(&functions);
    Ok(section)
}

/// Copies a section as it is.
fn copy(out: &mut wasm_encoder::Module, module: &[u8], payload: &Payload<'_>) {
    if let Some((id, range)) = payload.as_section() {
        out.section(&RawSection {
            id,
            data: &module[range.start as usize..range.end as usize],
        });
    }
}
