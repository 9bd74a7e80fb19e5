//! WIT value types as WAVE text is parsed against them.
//!
//! [`WaveType`] is a component value type read from a wac-graph package,
//! owned and self-contained, that implements wasm-wave's `WasmType`. The
//! host implements the same trait for Wasmtime's types, so one generic rule
//! ([`crate::mock_answers`]) parses mock values for `check` (with
//! [`WaveType`]) and for a run (with Wasmtime's `Val`), through the same
//! wasm-wave parser: a value `check` accepts is one the host accepts.

use std::borrow::Cow;
use wac_types::{DefinedType, PrimitiveType, Types, ValueType};
use wasm_wave::wasm::{WasmType, WasmTypeKind, WasmValue, WasmValueError};

/// A component value type: what WAVE text of it must look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaveType {
    /// `bool`
    Bool,
    /// `s8`
    S8,
    /// `u8`
    U8,
    /// `s16`
    S16,
    /// `u16`
    U16,
    /// `s32`
    S32,
    /// `u32`
    U32,
    /// `s64`
    S64,
    /// `u64`
    U64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `char`
    Char,
    /// `string`
    String,
    /// `list<T>`
    List(Box<WaveType>),
    /// `list<T, N>`, which WAVE cannot write yet.
    FixedList(Box<WaveType>),
    /// A record's fields, in order.
    Record(Vec<(String, WaveType)>),
    /// `tuple<…>`
    Tuple(Vec<WaveType>),
    /// A variant's cases and their payloads.
    Variant(Vec<(String, Option<WaveType>)>),
    /// An enum's cases.
    Enum(Vec<String>),
    /// `option<T>`
    Option(Box<WaveType>),
    /// `result<T, E>`
    Result {
        /// The `ok` payload.
        ok: Option<Box<WaveType>>,
        /// The `err` payload.
        err: Option<Box<WaveType>>,
    },
    /// A flags type's names.
    Flags(Vec<String>),
    /// A resource handle, stream, future, map or error context: values that
    /// WAVE text cannot write.
    Unsupported,
}

impl WaveType {
    /// Reads a value type of a wac-graph type collection.
    pub fn from_wac(types: &Types, ty: &ValueType) -> Self {
        match ty {
            ValueType::Primitive(p) => match p {
                PrimitiveType::Bool => Self::Bool,
                PrimitiveType::S8 => Self::S8,
                PrimitiveType::U8 => Self::U8,
                PrimitiveType::S16 => Self::S16,
                PrimitiveType::U16 => Self::U16,
                PrimitiveType::S32 => Self::S32,
                PrimitiveType::U32 => Self::U32,
                PrimitiveType::S64 => Self::S64,
                PrimitiveType::U64 => Self::U64,
                PrimitiveType::F32 => Self::F32,
                PrimitiveType::F64 => Self::F64,
                PrimitiveType::Char => Self::Char,
                PrimitiveType::String => Self::String,
                PrimitiveType::ErrorContext => Self::Unsupported,
            },
            ValueType::Borrow(_) | ValueType::Own(_) => Self::Unsupported,
            ValueType::Defined(id) => {
                let boxed = |t: &ValueType| Box::new(Self::from_wac(types, t));
                match &types[*id] {
                    DefinedType::Tuple(items) => {
                        Self::Tuple(items.iter().map(|t| Self::from_wac(types, t)).collect())
                    }
                    DefinedType::List(t) => Self::List(boxed(t)),
                    DefinedType::FixedSizeList(t, _) => Self::FixedList(boxed(t)),
                    DefinedType::Option(t) => Self::Option(boxed(t)),
                    DefinedType::Result { ok, err } => Self::Result {
                        ok: ok.as_ref().map(boxed),
                        err: err.as_ref().map(boxed),
                    },
                    DefinedType::Variant(v) => Self::Variant(
                        v.cases
                            .iter()
                            .map(|(name, t)| {
                                (name.clone(), t.as_ref().map(|t| Self::from_wac(types, t)))
                            })
                            .collect(),
                    ),
                    DefinedType::Record(r) => Self::Record(
                        r.fields
                            .iter()
                            .map(|(name, t)| (name.clone(), Self::from_wac(types, t)))
                            .collect(),
                    ),
                    DefinedType::Flags(f) => Self::Flags(f.0.iter().cloned().collect()),
                    DefinedType::Enum(e) => Self::Enum(e.0.iter().cloned().collect()),
                    DefinedType::Alias(t) => Self::from_wac(types, t),
                    DefinedType::Map(..) | DefinedType::Stream(_) | DefinedType::Future(_) => {
                        Self::Unsupported
                    }
                }
            }
        }
    }
}

impl WasmType for WaveType {
    fn kind(&self) -> WasmTypeKind {
        match self {
            Self::Bool => WasmTypeKind::Bool,
            Self::S8 => WasmTypeKind::S8,
            Self::U8 => WasmTypeKind::U8,
            Self::S16 => WasmTypeKind::S16,
            Self::U16 => WasmTypeKind::U16,
            Self::S32 => WasmTypeKind::S32,
            Self::U32 => WasmTypeKind::U32,
            Self::S64 => WasmTypeKind::S64,
            Self::U64 => WasmTypeKind::U64,
            Self::F32 => WasmTypeKind::F32,
            Self::F64 => WasmTypeKind::F64,
            Self::Char => WasmTypeKind::Char,
            Self::String => WasmTypeKind::String,
            Self::List(_) => WasmTypeKind::List,
            Self::FixedList(_) => WasmTypeKind::FixedLengthList,
            Self::Record(_) => WasmTypeKind::Record,
            Self::Tuple(_) => WasmTypeKind::Tuple,
            Self::Variant(_) => WasmTypeKind::Variant,
            Self::Enum(_) => WasmTypeKind::Enum,
            Self::Option(_) => WasmTypeKind::Option,
            Self::Result { .. } => WasmTypeKind::Result,
            Self::Flags(_) => WasmTypeKind::Flags,
            Self::Unsupported => WasmTypeKind::Unsupported,
        }
    }

    fn list_element_type(&self) -> Option<Self> {
        match self {
            Self::List(t) | Self::FixedList(t) => Some((**t).clone()),
            _ => None,
        }
    }

    fn record_fields(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Self)> + '_> {
        match self {
            Self::Record(fields) => Box::new(
                fields
                    .iter()
                    .map(|(n, t)| (Cow::Borrowed(n.as_str()), t.clone())),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn tuple_element_types(&self) -> Box<dyn Iterator<Item = Self> + '_> {
        match self {
            Self::Tuple(items) => Box::new(items.iter().cloned()),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn variant_cases(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Option<Self>)> + '_> {
        match self {
            Self::Variant(cases) => Box::new(
                cases
                    .iter()
                    .map(|(n, t)| (Cow::Borrowed(n.as_str()), t.clone())),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn enum_cases(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Self::Enum(cases) => Box::new(cases.iter().map(|c| Cow::Borrowed(c.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn option_some_type(&self) -> Option<Self> {
        match self {
            Self::Option(t) => Some((**t).clone()),
            _ => None,
        }
    }

    fn result_types(&self) -> Option<(Option<Self>, Option<Self>)> {
        match self {
            Self::Result { ok, err } => Some((ok.as_deref().cloned(), err.as_deref().cloned())),
            _ => None,
        }
    }

    fn flags_names(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Self::Flags(names) => Box::new(names.iter().map(|c| Cow::Borrowed(c.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// A value parsed only to be checked: it remembers its kind and nothing
/// else. The parser does the structural checks (fields, cases, payloads,
/// tuple lengths); the constructors add the ones it leaves to the value
/// (enum cases, flag names), as Wasmtime's `Val` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checked(WasmTypeKind);

impl WasmValue for Checked {
    type Type = WaveType;

    fn kind(&self) -> WasmTypeKind {
        self.0
    }

    fn make_bool(_: bool) -> Self {
        Self(WasmTypeKind::Bool)
    }
    fn make_s8(_: i8) -> Self {
        Self(WasmTypeKind::S8)
    }
    fn make_s16(_: i16) -> Self {
        Self(WasmTypeKind::S16)
    }
    fn make_s32(_: i32) -> Self {
        Self(WasmTypeKind::S32)
    }
    fn make_s64(_: i64) -> Self {
        Self(WasmTypeKind::S64)
    }
    fn make_u8(_: u8) -> Self {
        Self(WasmTypeKind::U8)
    }
    fn make_u16(_: u16) -> Self {
        Self(WasmTypeKind::U16)
    }
    fn make_u32(_: u32) -> Self {
        Self(WasmTypeKind::U32)
    }
    fn make_u64(_: u64) -> Self {
        Self(WasmTypeKind::U64)
    }
    fn make_f32(_: f32) -> Self {
        Self(WasmTypeKind::F32)
    }
    fn make_f64(_: f64) -> Self {
        Self(WasmTypeKind::F64)
    }
    fn make_char(_: char) -> Self {
        Self(WasmTypeKind::Char)
    }
    fn make_string(_: Cow<str>) -> Self {
        Self(WasmTypeKind::String)
    }
    fn make_list(
        ty: &WaveType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        let element = ty.list_element_type();
        expect_kind(ty, WasmTypeKind::List)?;
        for v in vals {
            expect_value(element.as_ref(), v)?;
        }
        Ok(Self(WasmTypeKind::List))
    }
    fn make_record<'a>(
        ty: &WaveType,
        fields: impl IntoIterator<Item = (&'a str, Self)>,
    ) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Record)?;
        for (name, v) in fields {
            let field = ty.record_fields().find(|(n, _)| n == name).map(|(_, t)| t);
            match field {
                Some(t) => expect_value(Some(&t), v)?,
                None => return Err(WasmValueError::UnknownField(name.to_string())),
            }
        }
        Ok(Self(WasmTypeKind::Record))
    }
    fn make_tuple(
        ty: &WaveType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Tuple)?;
        let types: Vec<WaveType> = ty.tuple_element_types().collect();
        let vals: Vec<Self> = vals.into_iter().collect();
        if types.len() != vals.len() {
            return Err(WasmValueError::WrongNumberOfTupleValues {
                want: types.len(),
                got: vals.len(),
            });
        }
        for (t, v) in types.iter().zip(vals) {
            expect_value(Some(t), v)?;
        }
        Ok(Self(WasmTypeKind::Tuple))
    }
    fn make_variant(ty: &WaveType, case: &str, val: Option<Self>) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Variant)?;
        let Some((_, payload)) = ty.variant_cases().find(|(n, _)| n == case) else {
            return Err(WasmValueError::UnknownCase(case.to_string()));
        };
        expect_payload(case, payload.as_ref(), val)?;
        Ok(Self(WasmTypeKind::Variant))
    }
    fn make_enum(ty: &WaveType, case: &str) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Enum)?;
        if !ty.enum_cases().any(|c| c == case) {
            return Err(WasmValueError::UnknownCase(case.to_string()));
        }
        Ok(Self(WasmTypeKind::Enum))
    }
    fn make_option(ty: &WaveType, val: Option<Self>) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Option)?;
        if let Some(v) = val {
            expect_value(ty.option_some_type().as_ref(), v)?;
        }
        Ok(Self(WasmTypeKind::Option))
    }
    fn make_result(
        ty: &WaveType,
        val: Result<Option<Self>, Option<Self>>,
    ) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Result)?;
        let (ok, err) = ty.result_types().unwrap_or((None, None));
        match val {
            Ok(v) => expect_payload("ok", ok.as_ref(), v)?,
            Err(v) => expect_payload("err", err.as_ref(), v)?,
        }
        Ok(Self(WasmTypeKind::Result))
    }
    fn make_flags<'a>(
        ty: &WaveType,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, WasmValueError> {
        expect_kind(ty, WasmTypeKind::Flags)?;
        for name in names {
            if !ty.flags_names().any(|n| n == name) {
                return Err(WasmValueError::UnknownCase(name.to_string()));
            }
        }
        Ok(Self(WasmTypeKind::Flags))
    }
}

fn expect_kind(ty: &WaveType, kind: WasmTypeKind) -> Result<(), WasmValueError> {
    wasm_wave::wasm::ensure_type_kind(ty, kind)
}

fn expect_value(ty: Option<&WaveType>, v: Checked) -> Result<(), WasmValueError> {
    match ty {
        Some(t) if t.kind() == v.0 => Ok(()),
        Some(t) => Err(WasmValueError::WrongTypeKind {
            kind: v.0,
            ty: wasm_wave::wasm::DisplayType(t).to_string(),
        }),
        None => Err(WasmValueError::Other(format!("unexpected {} value", v.0))),
    }
}

fn expect_payload(
    case: &str,
    ty: Option<&WaveType>,
    v: Option<Checked>,
) -> Result<(), WasmValueError> {
    match (ty, v) {
        (None, None) => Ok(()),
        (Some(t), Some(v)) => expect_value(Some(t), v),
        (Some(_), None) => Err(WasmValueError::MissingPayload(case.to_string())),
        (None, Some(_)) => Err(WasmValueError::UnexpectedPayload(case.to_string())),
    }
}

/// A type for messages: nested lists, options, results and tuples in full,
/// records, variants, enums and flags by kind only (a WASI error variant
/// has forty cases).
pub fn type_text<T: WasmType>(ty: &T) -> String {
    match ty.kind() {
        WasmTypeKind::List => match ty.list_element_type() {
            Some(e) => format!("list<{}>", type_text(&e)),
            None => "list".into(),
        },
        WasmTypeKind::Option => match ty.option_some_type() {
            Some(e) => format!("option<{}>", type_text(&e)),
            None => "option".into(),
        },
        WasmTypeKind::Tuple => format!(
            "tuple<{}>",
            ty.tuple_element_types()
                .map(|t| type_text(&t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        WasmTypeKind::Result => match ty.result_types() {
            Some((ok, err)) => {
                let side = |t: Option<T>| t.map(|t| type_text(&t)).unwrap_or_else(|| "_".into());
                match (&ok, &err) {
                    (None, None) => "result".into(),
                    _ => format!("result<{}, {}>", side(ok), side(err)),
                }
            }
            None => "result".into(),
        },
        WasmTypeKind::Unsupported => "resource handle".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(ty: &WaveType, text: &str) -> Result<(), String> {
        wasm_wave::from_str::<Checked>(ty, text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn option_string() -> WaveType {
        WaveType::Option(Box::new(WaveType::String))
    }

    #[test]
    fn values_are_parsed_against_their_type() {
        assert_eq!(parse(&option_string(), r#"some("x")"#), Ok(()));
        assert_eq!(parse(&option_string(), "none"), Ok(()));
        assert!(parse(&option_string(), "some((((").is_err());
        assert!(parse(&option_string(), "42").is_err());
        let e = WaveType::Enum(vec!["eu".into(), "us".into()]);
        assert_eq!(parse(&e, "eu"), Ok(()));
        assert!(parse(&e, "mars").is_err());
        let f = WaveType::Flags(vec!["a".into(), "b".into()]);
        assert_eq!(parse(&f, "{a, b}"), Ok(()));
        assert!(parse(&f, "{c}").is_err());
        let r = WaveType::Record(vec![
            ("x".into(), WaveType::U32),
            ("y".into(), option_string()),
        ]);
        assert_eq!(parse(&r, "{x: 1}"), Ok(()));
        assert!(parse(&r, "{y: none}").is_err());
    }

    #[test]
    fn handles_have_no_text_but_other_cases_of_their_type_do() {
        let ty = WaveType::Result {
            ok: Some(Box::new(WaveType::Unsupported)),
            err: Some(Box::new(WaveType::String)),
        };
        assert_eq!(parse(&ty, r#"err("no")"#), Ok(()));
        assert!(parse(&ty, "ok(0)").is_err());
        assert!(parse(&WaveType::Unsupported, "0").is_err());
    }
}
