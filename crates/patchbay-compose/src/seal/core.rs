//! The core module inside a deny stub, written with wasm-encoder: one
//! exported function per denied function whose body is `unreachable`,
//! named (in the name section) after the denial, so the trap's backtrace
//! says who called what; plus the memory and `cabi_realloc` the canonical
//! ABI needs to pass arguments in before the trap.

use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, ExportKind, ExportSection, Function, FunctionSection,
    GlobalSection, GlobalType, MemorySection, MemoryType, Module, NameMap, NameSection,
    TypeSection, ValType,
};

/// The module's name in the name section (and so in backtraces).
pub const STUB_MODULE_NAME: &str = "patchbay-deny-stub";

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

/// The core module: `functions` (each traps), then `cabi_realloc`, a bump
/// allocator over the exported `memory`.
pub(crate) fn trap_module(functions: &[TrapFunction]) -> Vec<u8> {
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
        exports.export(&f.export, ExportKind::Func, index);
        let mut body = Function::new([]);
        body.instructions().unreachable().end();
        code.function(&body);
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

    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 0,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    // The next free byte; 8 keeps the first allocation off address 0.
    globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(8),
    );
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
        .section(&code)
        .section(&name_section);
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
