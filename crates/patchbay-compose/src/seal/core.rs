//! The core module inside a stub, written with wasm-encoder. A deny stub
//! has one exported function per denied function whose body is
//! `unreachable`, named (in the name section) after the denial, so the
//! trap's backtrace says who called what. A mock stub's functions answer
//! from data in its memory (see `mock.rs`). Both have the memory and
//! `cabi_realloc` the canonical ABI needs to pass arguments in.

use super::lower::DATA_BASE;
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, ExportKind, ExportSection, Function,
    FunctionSection, GlobalSection, GlobalType, MemorySection, MemoryType, Module, NameMap,
    NameSection, TypeSection, ValType,
};

/// The module's name in the name section (and so in backtraces).
pub const STUB_MODULE_NAME: &str = "patchbay-stub";

/// One exported function that traps.
#[derive(Debug, Clone)]
pub(crate) struct TrapFunction {
    /// The core export name the component encoder looks for
    /// (`wasi:cli/environment@0.2.12#get-environment`).
    pub export: String,
    /// Core parameter types.
    pub params: Vec<ValType>,
    /// Core result types.
    pub results: Vec<ValType>,
    /// The function's name in the name section: the denial.
    pub name: String,
}

/// One function of a stub's core module.
pub(crate) struct CoreFunction {
    /// Its core export name, if it is exported.
    pub export: Option<String>,
    /// Core parameter types.
    pub params: Vec<ValType>,
    /// Core result types.
    pub results: Vec<ValType>,
    /// Its name in the name section (and so in backtraces).
    pub name: String,
    /// Its body (locals included).
    pub body: Function,
}

/// The core module of a deny stub: `functions` (each traps), then
/// `cabi_realloc`, a bump allocator over the exported `memory`.
pub(crate) fn trap_module(functions: &[TrapFunction]) -> Vec<u8> {
    let functions: Vec<CoreFunction> = functions
        .iter()
        .map(|f| {
            let mut body = Function::new([]);
            body.instructions().unreachable().end();
            CoreFunction {
                export: Some(f.export.clone()),
                params: f.params.clone(),
                results: f.results.clone(),
                name: f.name.clone(),
                body,
            }
        })
        .collect();
    stub_module(&functions, &[], 0)
}

/// A stub's core module: `functions` (function `i` has index `i`), then
/// `cabi_realloc` (index `functions.len()`), a bump allocator over the
/// exported `memory`; `data` in the memory at [`DATA_BASE`], the heap
/// after it; global 0 is the heap's next free byte, globals `1..=counters`
/// are `i32` counters starting at 0.
pub(crate) fn stub_module(functions: &[CoreFunction], data: &[u8], counters: u32) -> Vec<u8> {
    let mut types = TypeSection::new();
    let mut funcs = FunctionSection::new();
    let mut exports = ExportSection::new();
    let mut code = CodeSection::new();
    let mut names = NameMap::new();
    let mut index = 0u32;
    for f in functions {
        types
            .ty()
            .function(f.params.iter().copied(), f.results.iter().copied());
        funcs.function(index);
        if let Some(export) = &f.export {
            exports.export(export, ExportKind::Func, index);
        }
        code.function(&f.body);
        names.append(index, &f.name);
        index += 1;
    }
    let realloc = index;
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    funcs.function(realloc);
    exports.export("cabi_realloc", ExportKind::Func, realloc);
    code.function(&realloc_body());
    names.append(realloc, "cabi_realloc");
    exports.export("memory", ExportKind::Memory, 0);

    // The heap starts after the data, 8-aligned; 8 at least keeps the
    // first allocation off address 0.
    let heap = if data.is_empty() {
        8
    } else {
        (DATA_BASE + data.len() as u32).div_ceil(8) * 8
    };
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: if data.is_empty() {
            0
        } else {
            u64::from(heap.div_ceil(65536))
        },
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    let mutable_i32 = GlobalType {
        val_type: ValType::I32,
        mutable: true,
        shared: false,
    };
    globals.global(mutable_i32, &ConstExpr::i32_const(heap as i32));
    for _ in 0..counters {
        globals.global(mutable_i32, &ConstExpr::i32_const(0));
    }
    let mut data_section = DataSection::new();
    if !data.is_empty() {
        data_section.active(
            0,
            &ConstExpr::i32_const(DATA_BASE as i32),
            data.iter().copied(),
        );
    }
    let mut name_section = NameSection::new();
    name_section.module(STUB_MODULE_NAME);
    name_section.functions(&names);

    let mut module = Module::new();
    module
        .section(&types)
        .section(&funcs)
        .section(&memories)
        .section(&globals)
        .section(&exports)
        .section(&code);
    if !data.is_empty() {
        module.section(&data_section);
    }
    module.section(&name_section);
    module.finish()
}

/// `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`: takes the
/// next `new_size` bytes aligned to `align` from the heap global, growing
/// the memory as needed (a trap if it cannot), and copies the old block
/// when there is one. Computed in 64 bits, so nothing wraps.
fn realloc_body() -> Function {
    const OLD_PTR: u32 = 0;
    const OLD_SIZE: u32 = 1;
    const ALIGN: u32 = 2;
    const NEW_SIZE: u32 = 3;
    const PTR: u32 = 4;
    const END: u32 = 5;
    const HEAP: u32 = 0;
    let mut f = Function::new([(2, ValType::I64)]);
    // ptr = (heap + align - 1) & -align
    f.instructions()
        .global_get(HEAP)
        .i64_extend_i32_u()
        .local_get(ALIGN)
        .i64_extend_i32_u()
        .i64_add()
        .i64_const(1)
        .i64_sub()
        .i64_const(0)
        .local_get(ALIGN)
        .i64_extend_i32_u()
        .i64_sub()
        .i64_and()
        .local_tee(PTR)
        // end = ptr + new_size
        .local_get(NEW_SIZE)
        .i64_extend_i32_u()
        .i64_add()
        .local_tee(END)
        // end > memory bytes: grow by the pages missing
        .memory_size(0)
        .i64_extend_i32_u()
        .i64_const(16)
        .i64_shl()
        .i64_gt_u()
        .if_(BlockType::Empty)
        .local_get(END)
        .memory_size(0)
        .i64_extend_i32_u()
        .i64_const(16)
        .i64_shl()
        .i64_sub()
        .i64_const(0xffff)
        .i64_add()
        .i64_const(16)
        .i64_shr_u()
        .i32_wrap_i64()
        .memory_grow(0)
        .i32_const(-1)
        .i32_eq()
        .if_(BlockType::Empty)
        .unreachable()
        .end()
        .end()
        // copy min(old_size, new_size) bytes of the old block
        .local_get(OLD_SIZE)
        .if_(BlockType::Empty)
        .local_get(PTR)
        .i32_wrap_i64()
        .local_get(OLD_PTR)
        .local_get(OLD_SIZE)
        .local_get(NEW_SIZE)
        .local_get(OLD_SIZE)
        .local_get(NEW_SIZE)
        .i32_lt_u()
        .select()
        .memory_copy(0, 0)
        .end()
        .local_get(END)
        .i32_wrap_i64()
        .global_set(HEAP)
        .local_get(PTR)
        .i32_wrap_i64()
        .end();
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_validates_and_names_each_trap() {
        let bytes = trap_module(&[TrapFunction {
            export: "a:b/c#f".into(),
            params: vec![ValType::I32, ValType::I64],
            results: vec![ValType::I32],
            name: "denied: node n called a:b/c#f".into(),
        }]);
        wasmparser::Validator::new()
            .validate_all(&bytes)
            .expect("the stub module validates");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("denied: node n called a:b/c#f"));
        assert!(text.contains(STUB_MODULE_NAME));
    }
}
