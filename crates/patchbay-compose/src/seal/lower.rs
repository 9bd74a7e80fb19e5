//! Mock values lowered through the canonical ABI, at build time: a value
//! is laid out in an [`Image`] of the stub's memory (its strings and lists
//! after it, pointed at by absolute addresses), which becomes a data
//! segment; or, for a result the ABI passes flat in one core value, it
//! becomes that constant ([`flat`]). Values are wasm-wave [`Value`]s
//! parsed against their types by the rule `check` and the host apply.

use wasm_encoder::ValType;
use wasm_wave::value::{Type, Value};
use wasm_wave::wasm::{WasmType, WasmTypeKind as K, WasmValue};

/// Where the stub's data starts in its memory; address 0 stays unused.
pub(crate) const DATA_BASE: u32 = 16;

/// The bytes of the stub's memory from its base ([`DATA_BASE`] in a stub
/// of its own) on, as laid out.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    /// The address of `bytes[0]` (8-aligned).
    pub base: u32,
    pub bytes: Vec<u8>,
}

impl Default for Image {
    fn default() -> Self {
        Self::at(DATA_BASE)
    }
}

impl Image {
    /// An empty image whose bytes start at `base` (a multiple of 8, so
    /// that alignments hold).
    pub fn at(base: u32) -> Self {
        Self {
            base,
            bytes: Vec::new(),
        }
    }

    /// Reserves `size` zeroed bytes aligned to `align`; their address.
    pub fn alloc(&mut self, size: u32, align: u32) -> u32 {
        let end = self.base + self.bytes.len() as u32;
        let at = align_to(end, align.max(1));
        self.bytes.resize((at + size - self.base) as usize, 0);
        at
    }

    fn put(&mut self, addr: u32, bytes: &[u8]) {
        let at = (addr - self.base) as usize;
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// Lays `value` of type `ty` out in the image; its address.
    pub fn value(&mut self, ty: &Type, value: &Value) -> Result<u32, String> {
        let (size, align) = size_align(ty)?;
        let at = self.alloc(size, align);
        self.store(ty, value, at)?;
        Ok(at)
    }

    /// Copies `bytes` into the image; their address.
    pub fn bytes(&mut self, bytes: &[u8]) -> u32 {
        let at = self.alloc(bytes.len() as u32, 1);
        self.put(at, bytes);
        at
    }

    fn store(&mut self, ty: &Type, v: &Value, at: u32) -> Result<(), String> {
        match ty.kind() {
            K::Bool => self.put(at, &[u8::from(v.unwrap_bool())]),
            K::S8 => self.put(at, &v.unwrap_s8().to_le_bytes()),
            K::U8 => self.put(at, &v.unwrap_u8().to_le_bytes()),
            K::S16 => self.put(at, &v.unwrap_s16().to_le_bytes()),
            K::U16 => self.put(at, &v.unwrap_u16().to_le_bytes()),
            K::S32 => self.put(at, &v.unwrap_s32().to_le_bytes()),
            K::U32 => self.put(at, &v.unwrap_u32().to_le_bytes()),
            K::S64 => self.put(at, &v.unwrap_s64().to_le_bytes()),
            K::U64 => self.put(at, &v.unwrap_u64().to_le_bytes()),
            K::F32 => self.put(at, &v.unwrap_f32().to_bits().to_le_bytes()),
            K::F64 => self.put(at, &v.unwrap_f64().to_bits().to_le_bytes()),
            K::Char => self.put(at, &u32::from(v.unwrap_char()).to_le_bytes()),
            K::String => {
                let s = v.unwrap_string();
                let ptr = self.bytes(s.as_bytes());
                self.put(at, &ptr.to_le_bytes());
                self.put(at + 4, &(s.len() as u32).to_le_bytes());
            }
            K::List => {
                let elem = ty
                    .list_element_type()
                    .ok_or("a list without its element type")?;
                let (size, align) = size_align(&elem)?;
                let items: Vec<_> = v.unwrap_list().collect();
                let ptr = self.alloc(size * items.len() as u32, align);
                for (i, item) in items.iter().enumerate() {
                    self.store(&elem, item, ptr + size * i as u32)?;
                }
                self.put(at, &ptr.to_le_bytes());
                self.put(at + 4, &(items.len() as u32).to_le_bytes());
            }
            K::Record => {
                let types: Vec<Type> = ty.record_fields().map(|(_, t)| t).collect();
                let values: Vec<_> = v.unwrap_record().map(|(_, v)| v).collect();
                self.fields(&types, values.iter().map(|v| v.as_ref()), at)?;
            }
            K::Tuple => {
                let types: Vec<Type> = ty.tuple_element_types().collect();
                let values: Vec<_> = v.unwrap_tuple().collect();
                self.fields(&types, values.iter().map(|v| v.as_ref()), at)?;
            }
            K::Variant | K::Enum | K::Option | K::Result => {
                let cases = cases(ty);
                let (index, payload) = case_of(ty, v, &cases)?;
                let disc = discriminant_size(cases.len());
                self.put(at, &index.to_le_bytes()[..disc as usize]);
                if let (Some(t), Some(p)) = (&cases[index as usize], payload) {
                    let offset = payload_offset(&cases)?;
                    self.store(t, &p, at + offset)?;
                }
            }
            K::Flags => {
                let names: Vec<String> = ty.flags_names().map(|n| n.into_owned()).collect();
                let mut bits = vec![0u8; flags_size(names.len()) as usize];
                for set in v.unwrap_flags() {
                    let i = names
                        .iter()
                        .position(|n| *n == set)
                        .ok_or_else(|| format!("no flag `{set}`"))?;
                    bits[i / 8] |= 1 << (i % 8);
                }
                self.put(at, &bits);
            }
            other => return Err(format!("{other} values cannot be baked yet")),
        }
        Ok(())
    }

    fn fields<'v>(
        &mut self,
        types: &[Type],
        values: impl Iterator<Item = &'v Value>,
        at: u32,
    ) -> Result<(), String> {
        let mut offset = 0;
        for (t, v) in types.iter().zip(values) {
            let (size, align) = size_align(t)?;
            offset = align_to(offset, align);
            self.store(t, v, at + offset)?;
            offset += size;
        }
        Ok(())
    }
}

/// A variant-like type's cases' payload types: variant, enum, option
/// (`none`, `some`) and result (`ok`, `err`).
fn cases(ty: &Type) -> Vec<Option<Type>> {
    match ty.kind() {
        K::Variant => ty.variant_cases().map(|(_, t)| t).collect(),
        K::Enum => ty.enum_cases().map(|_| None).collect(),
        K::Option => vec![None, ty.option_some_type()],
        K::Result => {
            let (ok, err) = ty.result_types().unwrap_or((None, None));
            vec![ok, err]
        }
        _ => Vec::new(),
    }
}

/// The case `v` is, and its payload.
fn case_of(ty: &Type, v: &Value, cases: &[Option<Type>]) -> Result<(u32, Option<Value>), String> {
    let (index, payload) = match ty.kind() {
        K::Variant => {
            let (name, payload) = v.unwrap_variant();
            let i = ty
                .variant_cases()
                .position(|(n, _)| n == name)
                .ok_or_else(|| format!("no case `{name}`"))?;
            (i, payload.map(|p| p.into_owned()))
        }
        K::Enum => {
            let name = v.unwrap_enum();
            let i = ty
                .enum_cases()
                .position(|n| n == name)
                .ok_or_else(|| format!("no case `{name}`"))?;
            (i, None)
        }
        K::Option => match v.unwrap_option() {
            None => (0, None),
            Some(p) => (1, Some(p.into_owned())),
        },
        _ => match v.unwrap_result() {
            Ok(p) => (0, p.map(|p| p.into_owned())),
            Err(p) => (1, p.map(|p| p.into_owned())),
        },
    };
    debug_assert!(index < cases.len());
    Ok((index as u32, payload))
}

fn align_to(n: u32, align: u32) -> u32 {
    n.div_ceil(align) * align
}

fn discriminant_size(cases: usize) -> u32 {
    match cases {
        0..=256 => 1,
        257..=65536 => 2,
        _ => 4,
    }
}

fn flags_size(n: usize) -> u32 {
    match n {
        0 => 0,
        1..=8 => 1,
        9..=16 => 2,
        _ => 4 * (n as u32).div_ceil(32),
    }
}

fn max_case_align(cases: &[Option<Type>]) -> Result<u32, String> {
    let mut align = 1;
    for t in cases.iter().flatten() {
        align = align.max(size_align(t)?.1);
    }
    Ok(align)
}

fn payload_offset(cases: &[Option<Type>]) -> Result<u32, String> {
    Ok(align_to(
        discriminant_size(cases.len()),
        max_case_align(cases)?,
    ))
}

/// The canonical ABI's size and alignment of a value of `ty` in memory.
pub(crate) fn size_align(ty: &Type) -> Result<(u32, u32), String> {
    Ok(match ty.kind() {
        K::Bool | K::S8 | K::U8 => (1, 1),
        K::S16 | K::U16 => (2, 2),
        K::S32 | K::U32 | K::F32 | K::Char => (4, 4),
        K::S64 | K::U64 | K::F64 => (8, 8),
        K::String | K::List => (8, 4),
        K::Record | K::Tuple => {
            let types: Vec<Type> = if ty.kind() == K::Record {
                ty.record_fields().map(|(_, t)| t).collect()
            } else {
                ty.tuple_element_types().collect()
            };
            let (mut size, mut align) = (0, 1);
            for t in &types {
                let (s, a) = size_align(t)?;
                size = align_to(size, a) + s;
                align = align.max(a);
            }
            (align_to(size, align), align)
        }
        K::Variant | K::Enum | K::Option | K::Result => {
            let cases = cases(ty);
            let disc = discriminant_size(cases.len());
            let align = disc.max(max_case_align(&cases)?);
            let mut payload = 0;
            for t in cases.iter().flatten() {
                payload = payload.max(size_align(t)?.0);
            }
            (align_to(payload_offset(&cases)? + payload, align), align)
        }
        K::Flags => {
            let size = flags_size(ty.flags_names().count());
            (size, size.clamp(1, 4))
        }
        other => return Err(format!("{other} values cannot be baked yet")),
    })
}

/// A core constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Flat {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

impl Flat {
    /// Its core type.
    pub fn ty(self) -> ValType {
        match self {
            Flat::I32(_) => ValType::I32,
            Flat::I64(_) => ValType::I64,
            Flat::F32(_) => ValType::F32,
            Flat::F64(_) => ValType::F64,
        }
    }
}

/// The core values a value of `ty` is passed as, when the canonical ABI
/// passes it flat. Only for the types a one-value result can have
/// (scalars, enums, flags, payload-free variants and records of one of
/// these); an error for the others.
pub(crate) fn flat(ty: &Type, v: &Value, out: &mut Vec<Flat>) -> Result<(), String> {
    match ty.kind() {
        K::Bool => out.push(Flat::I32(i32::from(v.unwrap_bool()))),
        K::S8 => out.push(Flat::I32(i32::from(v.unwrap_s8()))),
        K::U8 => out.push(Flat::I32(i32::from(v.unwrap_u8()))),
        K::S16 => out.push(Flat::I32(i32::from(v.unwrap_s16()))),
        K::U16 => out.push(Flat::I32(i32::from(v.unwrap_u16()))),
        K::S32 => out.push(Flat::I32(v.unwrap_s32())),
        K::U32 => out.push(Flat::I32(v.unwrap_u32() as i32)),
        K::S64 => out.push(Flat::I64(v.unwrap_s64())),
        K::U64 => out.push(Flat::I64(v.unwrap_u64() as i64)),
        K::F32 => out.push(Flat::F32(v.unwrap_f32().to_bits())),
        K::F64 => out.push(Flat::F64(v.unwrap_f64().to_bits())),
        K::Char => out.push(Flat::I32(u32::from(v.unwrap_char()) as i32)),
        K::Record => {
            let types: Vec<Type> = ty.record_fields().map(|(_, t)| t).collect();
            for (t, v) in types.iter().zip(v.unwrap_record()) {
                flat(t, &v.1, out)?;
            }
        }
        K::Tuple => {
            let types: Vec<Type> = ty.tuple_element_types().collect();
            for (t, v) in types.iter().zip(v.unwrap_tuple()) {
                flat(t, &v, out)?;
            }
        }
        K::Variant | K::Enum | K::Option | K::Result => {
            let cases = cases(ty);
            if cases.iter().any(Option::is_some) {
                return Err("a variant with payloads is not one core value".into());
            }
            out.push(Flat::I32(case_of(ty, v, &cases)?.0 as i32));
        }
        K::Flags => {
            let names: Vec<String> = ty.flags_names().map(|n| n.into_owned()).collect();
            let mut words = vec![0u32; names.len().div_ceil(32)];
            for set in v.unwrap_flags() {
                if let Some(i) = names.iter().position(|n| *n == set) {
                    words[i / 32] |= 1 << (i % 32);
                }
            }
            out.extend(words.into_iter().map(|w| Flat::I32(w as i32)));
        }
        other => return Err(format!("{other} values are not one core value")),
    }
    Ok(())
}

/// How many core values a parameter of `ty` takes when passed flat.
pub(crate) fn flat_count(ty: &Type) -> Result<usize, String> {
    Ok(match ty.kind() {
        K::String | K::List => 2,
        K::Record => {
            let mut n = 0;
            for (_, t) in ty.record_fields() {
                n += flat_count(&t)?;
            }
            n
        }
        K::Tuple => {
            let mut n = 0;
            for t in ty.tuple_element_types() {
                n += flat_count(&t)?;
            }
            n
        }
        K::Variant | K::Enum | K::Option | K::Result => {
            let mut n = 0;
            for t in cases(ty).iter().flatten() {
                n = n.max(flat_count(t)?);
            }
            1 + n
        }
        K::Flags => ty.flags_names().count().div_ceil(32),
        K::Unsupported | K::FixedLengthList => {
            return Err(format!("{} values cannot be baked yet", ty.kind()))
        }
        _ => 1,
    })
}

/// The index of enum case `name` of `ty`.
pub(crate) fn enum_index(ty: &Type, name: &str) -> Option<u32> {
    ty.enum_cases().position(|n| n == name).map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(ty: &Type, text: &str) -> Value {
        wasm_wave::from_str::<Value>(ty, text).expect("a valid value")
    }

    #[test]
    fn layouts_follow_the_canonical_abi() {
        let opt = Type::option(Type::STRING);
        assert_eq!(size_align(&opt), Ok((12, 4)));
        let res = Type::result(Some(Type::U8), Some(Type::U64));
        assert_eq!(size_align(&res), Ok((16, 8)));
        let rec = Type::record([("a", Type::U8), ("b", Type::U32), ("c", Type::U16)]).unwrap();
        assert_eq!(size_align(&rec), Ok((12, 4)));
        let flags = Type::flags((0..9).map(|i| format!("f{i}"))).unwrap();
        assert_eq!(size_align(&flags), Ok((2, 2)));
    }

    #[test]
    fn a_value_lays_out_with_its_strings_after_it() {
        let ty = Type::option(Type::STRING);
        let mut image = Image::default();
        let at = image.value(&ty, &parse(&ty, r#"some("hi")"#)).unwrap();
        assert_eq!(at, DATA_BASE);
        let b = &image.bytes;
        assert_eq!(b[0], 1);
        let ptr = u32::from_le_bytes(b[4..8].try_into().unwrap());
        let len = u32::from_le_bytes(b[8..12].try_into().unwrap());
        assert_eq!(len, 2);
        let s = (ptr - DATA_BASE) as usize;
        assert_eq!(&b[s..s + 2], b"hi");
    }

    #[test]
    fn one_value_results_are_flat() {
        let e = Type::enum_ty(["a", "b", "c"]).unwrap();
        let mut out = Vec::new();
        flat(&e, &parse(&e, "c"), &mut out).unwrap();
        assert_eq!(out, [Flat::I32(2)]);
        let mut out = Vec::new();
        flat(&Type::S8, &parse(&Type::S8, "-2"), &mut out).unwrap();
        assert_eq!(out, [Flat::I32(-2)]);
        assert!(flat(
            &Type::STRING,
            &parse(&Type::STRING, "\"x\""),
            &mut Vec::new()
        )
        .is_err());
    }
}
