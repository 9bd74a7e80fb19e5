//! The host's value-text helpers: WAVE rendering of component values
//! (resource handles included) and short type descriptions for messages.

use wasmtime::component::{Type, Val};

/// The kind of a component value type, for messages (`record`, `string` …).
pub(crate) fn type_desc(ty: &Type) -> &'static str {
    match ty {
        Type::Bool => "bool",
        Type::S8 => "s8",
        Type::U8 => "u8",
        Type::S16 => "s16",
        Type::U16 => "u16",
        Type::S32 => "s32",
        Type::U32 => "u32",
        Type::S64 => "s64",
        Type::U64 => "u64",
        Type::Float32 => "f32",
        Type::Float64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::List(_) => "list",
        Type::Record(_) => "record",
        Type::Tuple(_) => "tuple",
        Type::Variant(_) => "variant",
        Type::Enum(_) => "enum",
        Type::Option(_) => "option",
        Type::Result(_) => "result",
        Type::Flags(_) => "flags",
        Type::Own(_) => "own<resource>",
        Type::Borrow(_) => "borrow<resource>",
        _ => "value",
    }
}

/// Whether `v`, or any value nested in it, is one that `hit` picks.
pub(crate) fn holds(v: &Val, hit: &dyn Fn(&Val) -> bool) -> bool {
    hit(v)
        || match v {
            Val::List(items) | Val::Tuple(items) | Val::FixedLengthList(items) => {
                items.iter().any(|v| holds(v, hit))
            }
            Val::Record(fields) => fields.iter().any(|(_, v)| holds(v, hit)),
            Val::Variant(_, Some(v))
            | Val::Option(Some(v))
            | Val::Result(Ok(Some(v)))
            | Val::Result(Err(Some(v))) => holds(v, hit),
            _ => false,
        }
}

/// Renders a value as WAVE. WAVE has no syntax for resource handles (and
/// its writer panics on them), so any value holding one is shown with the
/// handles written `<resource>`.
pub(crate) fn wave_text(v: &Val) -> String {
    wave_text_labelled(v, &mut || "<resource>".into())
}

/// [`wave_text`], with each resource handle written as `handle()` says, in
/// depth-first, left-to-right order.
pub(crate) fn wave_text_labelled(v: &Val, handle: &mut dyn FnMut() -> String) -> String {
    let has_resource = |v: &Val| {
        holds(v, &|v| {
            matches!(
                v,
                Val::Resource(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_)
            )
        })
    };
    fn shallow(v: &Val, handle: &mut dyn FnMut() -> String) -> String {
        let mut join = |items: &[Val]| {
            items
                .iter()
                .map(|v| shallow(v, handle))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match v {
            Val::Resource(_) => handle(),
            Val::Future(_) => "<future>".into(),
            Val::Stream(_) => "<stream>".into(),
            Val::ErrorContext(_) => "<error-context>".into(),
            Val::List(items) | Val::FixedLengthList(items) => format!("[{}]", join(items)),
            Val::Tuple(items) => format!("({})", join(items)),
            Val::Record(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", shallow(v, handle)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Variant(case, v) => format!("{case}{}", payload(v, handle)),
            Val::Option(None) => "none".into(),
            Val::Option(Some(v)) => format!("some({})", shallow(v, handle)),
            Val::Result(Ok(v)) => format!("ok{}", payload(v, handle)),
            Val::Result(Err(v)) => format!("err{}", payload(v, handle)),
            other => other.to_wave().unwrap_or_else(|e| format!("<{e}>")),
        }
    }
    fn payload(v: &Option<Box<Val>>, handle: &mut dyn FnMut() -> String) -> String {
        v.as_ref()
            .map(|v| format!("({})", shallow(v, handle)))
            .unwrap_or_default()
    }
    if has_resource(v) {
        shallow(v, handle)
    } else {
        v.to_wave()
            .unwrap_or_else(|e| format!("<unprintable: {e}>"))
    }
}
