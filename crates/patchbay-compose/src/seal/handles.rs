//! Types with resource handles in mock stubs. A mock's value may have a
//! type that mentions handles (`result<own<future-incoming-response>,
//! error-code>`, `list<tuple<own<descriptor>, string>>`) as long as the
//! value holds none (`err(…)`, `[]`): such a value is baked. A handle,
//! stream, future or error context is an `i32` in the canonical ABI, so for
//! laying values out it stands in as `u32` ([`with_handles_as_u32`]); a
//! value that fills such a place is refused ([`holds_handle`]), as is any
//! `map` (whose layout differs), found in the WIT's own types
//! ([`has_map`]).

use crate::WaveType;
use wasm_wave::value::Value;
use wasm_wave::wasm::WasmValue;
use wit_parser::{Resolve, Type, TypeDefKind};

/// `ty` with every handle (and stream, future, error context) as `u32`.
pub(crate) fn with_handles_as_u32(ty: &WaveType) -> WaveType {
    let map = |t: &WaveType| Box::new(with_handles_as_u32(t));
    match ty {
        WaveType::Unsupported => WaveType::U32,
        WaveType::List(t) => WaveType::List(map(t)),
        WaveType::FixedList(t) => WaveType::FixedList(map(t)),
        WaveType::Option(t) => WaveType::Option(map(t)),
        WaveType::Record(fields) => WaveType::Record(
            fields
                .iter()
                .map(|(n, t)| (n.clone(), with_handles_as_u32(t)))
                .collect(),
        ),
        WaveType::Tuple(items) => WaveType::Tuple(items.iter().map(with_handles_as_u32).collect()),
        WaveType::Variant(cases) => WaveType::Variant(
            cases
                .iter()
                .map(|(n, t)| (n.clone(), t.as_ref().map(with_handles_as_u32)))
                .collect(),
        ),
        WaveType::Result { ok, err } => WaveType::Result {
            ok: ok.as_deref().map(map),
            err: err.as_deref().map(map),
        },
        other => other.clone(),
    }
}

/// Whether `ty` mentions a handle anywhere.
pub(crate) fn mentions_handle(ty: &WaveType) -> bool {
    match ty {
        WaveType::Unsupported => true,
        WaveType::List(t) | WaveType::FixedList(t) | WaveType::Option(t) => mentions_handle(t),
        WaveType::Record(fields) => fields.iter().any(|(_, t)| mentions_handle(t)),
        WaveType::Tuple(items) => items.iter().any(mentions_handle),
        WaveType::Variant(cases) => cases
            .iter()
            .any(|(_, t)| t.as_ref().is_some_and(mentions_handle)),
        WaveType::Result { ok, err } => ok.iter().chain(err.iter()).any(|t| mentions_handle(t)),
        _ => false,
    }
}

/// Whether `v` (parsed against [`with_handles_as_u32`] of `ty`) fills a
/// place of `ty` that is a handle.
pub(crate) fn holds_handle(ty: &WaveType, v: &Value) -> bool {
    match ty {
        WaveType::Unsupported => true,
        WaveType::List(t) => v.unwrap_list().any(|v| holds_handle(t, &v)),
        WaveType::Option(t) => v.unwrap_option().is_some_and(|v| holds_handle(t, &v)),
        WaveType::Record(fields) => fields
            .iter()
            .zip(v.unwrap_record())
            .any(|((_, t), (_, v))| holds_handle(t, &v)),
        WaveType::Tuple(items) => items
            .iter()
            .zip(v.unwrap_tuple())
            .any(|(t, v)| holds_handle(t, &v)),
        WaveType::Variant(cases) => {
            let (name, payload) = v.unwrap_variant();
            let t = cases
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, t)| t.as_ref());
            matches!((t, payload), (Some(t), Some(p)) if holds_handle(t, &p))
        }
        WaveType::Result { ok, err } => {
            let (t, p) = match v.unwrap_result() {
                Ok(p) => (ok, p),
                Err(p) => (err, p),
            };
            matches!((t, p), (Some(t), Some(p)) if holds_handle(t, &p))
        }
        _ => false,
    }
}

/// Whether `ty` is or holds a `map`.
pub(crate) fn has_map(resolve: &Resolve, ty: &Type) -> bool {
    let Type::Id(id) = ty else { return false };
    match &resolve.types[*id].kind {
        TypeDefKind::Map(..) => true,
        TypeDefKind::List(t)
        | TypeDefKind::FixedLengthList(t, _)
        | TypeDefKind::Option(t)
        | TypeDefKind::Type(t) => has_map(resolve, t),
        TypeDefKind::Tuple(t) => t.types.iter().any(|t| has_map(resolve, t)),
        TypeDefKind::Record(r) => r.fields.iter().any(|f| has_map(resolve, &f.ty)),
        TypeDefKind::Variant(v) => v
            .cases
            .iter()
            .any(|c| c.ty.as_ref().is_some_and(|t| has_map(resolve, t))),
        TypeDefKind::Result(r) => r.ok.iter().chain(r.err.iter()).any(|t| has_map(resolve, t)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_without_handles_is_bakeable() {
        let ty = WaveType::Result {
            ok: Some(Box::new(WaveType::Unsupported)),
            err: Some(Box::new(WaveType::String)),
        };
        let stand_in = wasm_wave::value::Type::from_wasm_type(&with_handles_as_u32(&ty)).unwrap();
        let err = wasm_wave::from_str::<Value>(&stand_in, r#"err("x")"#).unwrap();
        assert!(!holds_handle(&ty, &err));
        let ok = wasm_wave::from_str::<Value>(&stand_in, "ok(3)").unwrap();
        assert!(holds_handle(&ty, &ok));
        assert!(mentions_handle(&ty));
    }
}
