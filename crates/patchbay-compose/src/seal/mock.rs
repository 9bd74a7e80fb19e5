//! The core functions of a mock stub: each answers as the host's mock
//! does (`crates/patchbay-host/src/caps/mock.rs`), with the same values,
//! parsed by the same rule ([`crate::mock_answers`]):
//!
//! - `returns`: the value, laid out in the stub's memory (a pointer to it
//!   is the return area) or, for a one-value result, a constant;
//! - `sequence`: a counter in a global picks the value; the last repeats;
//! - `cases`: compares the arguments (scalars, enums, strings) with each
//!   case's in turn; the first that matches answers, else `otherwise`, else
//!   a trap;
//! - `trap`, and a function the mock sets no value for: `unreachable`, in a
//!   function named after the mock, the function and the message, so a
//!   trap's backtrace says which mock refused what.

use super::core::{stub_module, CoreFunction};
use super::lower::{enum_index, flat, flat_count, Flat, Image, DATA_BASE};
use crate::MockAnswer;
use wasm_encoder::{BlockType, Function, Ieee32, Ieee64, InstructionSink, ValType};
use wasm_wave::value::{Type, Value};
use wasm_wave::wasm::{WasmType, WasmTypeKind as K, WasmValue};

/// How every mock stub's trap is named: `mock: node mocked called
/// wasi:cli/environment@0.2.12#get-environment: trap: MESSAGE`.
pub const MOCK_PREFIX: &str = "mock: node ";

/// One function of a mocked import, with the answer it bakes.
pub(crate) struct MockFunction {
    /// The core export name.
    pub export: String,
    /// Core parameter types.
    pub params: Vec<ValType>,
    /// Core result types.
    pub results: Vec<ValType>,
    /// Whether the result is returned through a pointer.
    pub retptr: bool,
    /// Whether the parameters are passed through a pointer.
    pub indirect_params: bool,
    /// `IMPORT#function`, as traps name it.
    pub called: String,
    /// Parameter types.
    pub param_types: Vec<Type>,
    /// The result type.
    pub result: Option<Type>,
    /// How it answers.
    pub answer: MockAnswer<Value>,
}

/// The name of a mock stub's trap.
pub fn mock_trap_name(node: &str, called: &str, why: &str) -> String {
    format!("{MOCK_PREFIX}{node} called {called}: {why}")
}

/// The core module answering `functions` for `node`. The error says which
/// function cannot be baked and why.
pub(crate) fn mock_module(node: &str, functions: &[MockFunction]) -> Result<Vec<u8>, String> {
    // Global 0 is the stub's heap; its data starts at DATA_BASE.
    let code = mock_code(node, functions, Bases::default())?;
    Ok(stub_module(&code.functions, &code.data, code.counters))
}

/// Where a mock's code goes in the module that holds it: a stub of its
/// own, or the fakes' guest module, which answers the binding's other
/// functions (`functions` overrides on a fake).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bases {
    /// The index of the first function the mock adds.
    pub function: u32,
    /// The index of the first counter global it adds.
    pub global: u32,
    /// The address of its data in memory 0 (a multiple of 8).
    pub data: u32,
}

impl Default for Bases {
    /// A mock stub of its own ([`stub_module`]): its functions first, its
    /// counters after the heap global, its data at [`DATA_BASE`].
    fn default() -> Self {
        Self {
            function: 0,
            global: 1,
            data: DATA_BASE,
        }
    }
}

/// A mock's core code, for the module that holds it.
pub(crate) struct MockCode {
    /// The exported functions in the order given, then the helpers (traps
    /// and `memeq`), numbered from [`Bases::function`].
    pub functions: Vec<CoreFunction>,
    /// The values, to place at [`Bases::data`].
    pub data: Vec<u8>,
    /// How many `i32` counter globals (starting at 0) follow
    /// [`Bases::global`].
    pub counters: u32,
}

/// The core functions answering `functions` for `node`, placed at
/// `bases`. The error says which function cannot be baked and why.
pub(crate) fn mock_code(
    node: &str,
    functions: &[MockFunction],
    bases: Bases,
) -> Result<MockCode, String> {
    let mut b = Builder {
        node,
        image: Image::at(bases.data),
        helpers: Vec::new(),
        first_helper: bases.function + functions.len() as u32,
        first_counter: bases.global,
        counters: 0,
        memeq: None,
    };
    let mut core = Vec::new();
    for f in functions {
        let (name, body) = b
            .function(f)
            .map_err(|why| format!("`{}` cannot be baked: {why}", f.called))?;
        core.push(CoreFunction {
            export: Some(f.export.clone()),
            params: f.params.clone(),
            results: f.results.clone(),
            name,
            body,
        });
    }
    core.append(&mut b.helpers);
    Ok(MockCode {
        functions: core,
        data: b.image.bytes,
        counters: b.counters,
    })
}

struct Builder<'a> {
    node: &'a str,
    image: Image,
    /// Functions after the exported ones: traps and `memeq`.
    helpers: Vec<CoreFunction>,
    first_helper: u32,
    /// The index of the first counter global.
    first_counter: u32,
    counters: u32,
    memeq: Option<u32>,
}

impl Builder<'_> {
    /// A function's name and body.
    fn function(&mut self, f: &MockFunction) -> Result<(String, Function), String> {
        let answering = format!("{MOCK_PREFIX}{} answers {}", self.node, f.called);
        let local = f.params.len() as u32;
        let mut body = Function::new([(1, ValType::I32)]);
        let mut name = answering;
        match &f.answer {
            MockAnswer::Returns(v) => {
                let mut ins = body.instructions();
                self.value(f, v, &mut ins)?;
            }
            MockAnswer::Sequence(values) => {
                let Some(last) = values.len().checked_sub(1) else {
                    if f.result.is_some() {
                        let trap = self.trap(
                            &f.called,
                            "the sequence is empty; a call has no value to return",
                        );
                        body.instructions().call(trap);
                        body.instructions().unreachable();
                    }
                    body.instructions().end();
                    return Ok((name, body));
                };
                let counter = self.first_counter + self.counters;
                self.counters += 1;
                let mut ins = body.instructions();
                // i = counter; if i < last { counter = i + 1 }
                ins.global_get(counter)
                    .local_tee(local)
                    .i32_const(last as i32)
                    .i32_lt_u()
                    .if_(BlockType::Empty)
                    .local_get(local)
                    .i32_const(1)
                    .i32_add()
                    .global_set(counter)
                    .end();
                for (i, v) in values[..last].iter().enumerate() {
                    ins.local_get(local)
                        .i32_const(i as i32)
                        .i32_eq()
                        .if_(BlockType::Empty);
                    self.value(f, v, &mut ins)?;
                    ins.return_().end();
                }
                self.value(f, &values[last], &mut ins)?;
            }
            MockAnswer::Match { cases, otherwise } => {
                if f.indirect_params {
                    return Err("its arguments are passed in memory (too many to match)".into());
                }
                // The first core parameter of each argument.
                let mut locals = Vec::new();
                let mut next = 0u32;
                for t in &f.param_types {
                    locals.push(next);
                    next += flat_count(t)? as u32;
                }
                for (args, v) in cases {
                    let mut cond = Vec::new();
                    for ((arg, ty), at) in args.iter().zip(&f.param_types).zip(&locals) {
                        cond.push((arg, ty, *at));
                    }
                    let mut ins = body.instructions();
                    ins.i32_const(1);
                    for (arg, ty, at) in cond {
                        self.matches(ty, arg, at, &mut ins)?;
                        ins.i32_and();
                    }
                    ins.if_(BlockType::Empty);
                    self.value(f, v, &mut ins)?;
                    ins.return_().end();
                }
                match otherwise {
                    Some(v) => {
                        let mut ins = body.instructions();
                        self.value(f, v, &mut ins)?;
                    }
                    None => {
                        let trap = self.trap(&f.called, "no case matches the arguments");
                        body.instructions().call(trap).unreachable();
                    }
                }
            }
            MockAnswer::Trap(msg) => {
                name = mock_trap_name(self.node, &f.called, &format!("trap: {msg}"));
                body.instructions().unreachable();
            }
            MockAnswer::Missing => {
                name = mock_trap_name(
                    self.node,
                    &f.called,
                    "the mock sets no value for this function",
                );
                body.instructions().unreachable();
            }
            MockAnswer::NewResource => {
                return Err(
                    "the mock sets no value for this constructor, so the host answers a new resource handle, which a mock stub cannot make yet".into(),
                )
            }
            MockAnswer::Fake(fake) => {
                return Err(format!(
                    "the `{}` fake answers it, which a mock stub has no code for",
                    fake.name()
                ))
            }
        }
        body.instructions().end();
        Ok((name, body))
    }

    /// Pushes the function's result: `v`, or a pointer to it.
    fn value(
        &mut self,
        f: &MockFunction,
        v: &Option<Value>,
        ins: &mut InstructionSink<'_>,
    ) -> Result<(), String> {
        let (Some(ty), Some(v)) = (&f.result, v) else {
            return match f.result {
                None => Ok(()),
                Some(_) => Err("it has no value to return".into()),
            };
        };
        if f.retptr {
            let at = self.image.value(ty, v)?;
            ins.i32_const(at as i32);
            return Ok(());
        }
        let mut values = Vec::new();
        flat(ty, v, &mut values)?;
        let types: Vec<ValType> = values.iter().map(|v| v.ty()).collect();
        if types != f.results {
            return Err(format!(
                "its result lowers to {types:?}, not the {:?} its signature returns",
                f.results
            ));
        }
        for v in values {
            match v {
                Flat::I32(n) => ins.i32_const(n),
                Flat::I64(n) => ins.i64_const(n),
                Flat::F32(b) => ins.f32_const(Ieee32::new(b)),
                Flat::F64(b) => ins.f64_const(Ieee64::new(b)),
            };
        }
        Ok(())
    }

    /// Pushes whether the argument at core parameter `at` equals `arg`.
    fn matches(
        &mut self,
        ty: &Type,
        arg: &Value,
        at: u32,
        ins: &mut InstructionSink<'_>,
    ) -> Result<(), String> {
        match ty.kind() {
            K::Bool => {
                ins.local_get(at)
                    .i32_const(0)
                    .i32_ne()
                    .i32_const(i32::from(arg.unwrap_bool()))
                    .i32_eq();
            }
            // Narrow integers: only their low bits count.
            K::S8 | K::U8 | K::S16 | K::U16 => {
                let (mask, v) = match ty.kind() {
                    K::S8 => (0xff, i32::from(arg.unwrap_s8() as u8)),
                    K::U8 => (0xff, i32::from(arg.unwrap_u8())),
                    K::S16 => (0xffff, i32::from(arg.unwrap_s16() as u16)),
                    _ => (0xffff, i32::from(arg.unwrap_u16())),
                };
                ins.local_get(at)
                    .i32_const(mask)
                    .i32_and()
                    .i32_const(v)
                    .i32_eq();
            }
            K::S32 => {
                ins.local_get(at).i32_const(arg.unwrap_s32()).i32_eq();
            }
            K::U32 => {
                ins.local_get(at)
                    .i32_const(arg.unwrap_u32() as i32)
                    .i32_eq();
            }
            K::Char => {
                ins.local_get(at)
                    .i32_const(u32::from(arg.unwrap_char()) as i32)
                    .i32_eq();
            }
            K::S64 => {
                ins.local_get(at).i64_const(arg.unwrap_s64()).i64_eq();
            }
            K::U64 => {
                ins.local_get(at)
                    .i64_const(arg.unwrap_u64() as i64)
                    .i64_eq();
            }
            K::F32 => {
                ins.local_get(at)
                    .f32_const(Ieee32::new(arg.unwrap_f32().to_bits()))
                    .f32_eq();
            }
            K::F64 => {
                ins.local_get(at)
                    .f64_const(Ieee64::new(arg.unwrap_f64().to_bits()))
                    .f64_eq();
            }
            K::Enum => {
                let i = enum_index(ty, &arg.unwrap_enum()).ok_or("an unknown enum case")?;
                ins.local_get(at).i32_const(i as i32).i32_eq();
            }
            K::String => {
                let s = arg.unwrap_string();
                let addr = self.image.bytes(s.as_bytes());
                let memeq = self.memeq();
                // len == n && memeq(ptr, addr, n)
                ins.local_get(at + 1)
                    .i32_const(s.len() as i32)
                    .i32_eq()
                    .if_(BlockType::Result(ValType::I32))
                    .local_get(at)
                    .i32_const(addr as i32)
                    .i32_const(s.len() as i32)
                    .call(memeq)
                    .else_()
                    .i32_const(0)
                    .end();
            }
            other => {
                return Err(format!(
                    "`cases` match scalar, enum and string arguments, not {other} ones"
                ))
            }
        }
        Ok(())
    }

    /// A helper function that traps, named after the mock and `why`.
    fn trap(&mut self, called: &str, why: &str) -> u32 {
        let mut body = Function::new([]);
        body.instructions().unreachable().end();
        self.helper(mock_trap_name(self.node, called, why), vec![], vec![], body)
    }

    /// `memeq(a, b, n) -> i32`: whether `n` bytes at `a` and `b` are equal.
    fn memeq(&mut self) -> u32 {
        if let Some(i) = self.memeq {
            return i;
        }
        let (a, b, n, i) = (0, 1, 2, 3);
        let mut body = Function::new([(1, ValType::I32)]);
        body.instructions()
            .block(BlockType::Empty)
            .loop_(BlockType::Empty)
            .local_get(i)
            .local_get(n)
            .i32_ge_u()
            .br_if(1)
            .local_get(a)
            .local_get(i)
            .i32_add()
            .i32_load8_u(byte())
            .local_get(b)
            .local_get(i)
            .i32_add()
            .i32_load8_u(byte())
            .i32_ne()
            .if_(BlockType::Empty)
            .i32_const(0)
            .return_()
            .end()
            .local_get(i)
            .i32_const(1)
            .i32_add()
            .local_set(i)
            .br(0)
            .end()
            .end()
            .i32_const(1)
            .end();
        let index = self.helper(
            "memeq".into(),
            vec![ValType::I32; 3],
            vec![ValType::I32],
            body,
        );
        self.memeq = Some(index);
        index
    }

    fn helper(
        &mut self,
        name: String,
        params: Vec<ValType>,
        results: Vec<ValType>,
        body: Function,
    ) -> u32 {
        let index = self.first_helper + self.helpers.len() as u32;
        self.helpers.push(CoreFunction {
            export: None,
            params,
            results,
            name,
            body,
        });
        index
    }
}

fn byte() -> wasm_encoder::MemArg {
    wasm_encoder::MemArg {
        offset: 0,
        align: 0,
        memory_index: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string_fn(answer: MockAnswer<Value>) -> MockFunction {
        MockFunction {
            export: "a:b/c#f".into(),
            params: vec![ValType::I32, ValType::I32],
            results: vec![ValType::I32],
            retptr: true,
            indirect_params: false,
            called: "a:b/c#f".into(),
            param_types: vec![Type::STRING],
            result: Some(Type::option(Type::STRING)),
            answer,
        }
    }

    fn v(ty: &Type, text: &str) -> Value {
        wasm_wave::from_str::<Value>(ty, text).expect("a value")
    }

    #[test]
    fn every_answer_validates() {
        let o = Type::option(Type::STRING);
        let answers = [
            MockAnswer::Returns(Some(v(&o, r#"some("x")"#))),
            MockAnswer::Sequence(vec![Some(v(&o, "none")), Some(v(&o, r#"some("y")"#))]),
            MockAnswer::Sequence(vec![]),
            MockAnswer::Match {
                cases: vec![(vec![v(&Type::STRING, r#""k""#)], Some(v(&o, "none")))],
                otherwise: None,
            },
            MockAnswer::Trap("no".into()),
            MockAnswer::Missing,
        ];
        for answer in answers {
            let bytes = mock_module("n", &[string_fn(answer.clone())]).expect("bakes");
            wasmparser::Validator::new()
                .validate_all(&bytes)
                .unwrap_or_else(|e| panic!("{answer:?}: {e}"));
        }
        let trap = mock_module("n", &[string_fn(MockAnswer::Trap("boom".into()))]).unwrap();
        assert!(String::from_utf8_lossy(&trap).contains("mock: node n called a:b/c#f: trap: boom"));
    }

    #[test]
    fn what_cannot_be_baked_says_why() {
        let e = mock_module("n", &[string_fn(MockAnswer::NewResource)]).unwrap_err();
        assert!(
            e.starts_with("`a:b/c#f` cannot be baked: the mock sets no value for this constructor"),
            "{e}"
        );
    }
}
