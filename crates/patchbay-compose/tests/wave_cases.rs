//! The WAVE cases the editor shares with the host (`tests/wave/cases.json`),
//! checked against wasm-wave, the parser and writer the host runs values
//! through: each canonical text parses and is written back unchanged, each
//! alternate parses to the same value, each invalid text is refused. The
//! editor's vitest suite (`ui/src/wave/cases.test.ts`) checks the same file
//! against its own formatter and parser.

use patchbay_compose::wasm_wave::{
    self,
    value::{Type, Value},
};
use serde_json::Value as Json;
use std::path::Path;

fn cases() -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/wave/cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_of<'a>(json: &'a Json, key: &str) -> &'a str {
    json[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {json}"))
}

fn list_of<'a>(json: &'a Json, key: &str) -> &'a [Json] {
    json.get(key)
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

fn optional(json: &Json) -> Option<Type> {
    (!json.is_null()).then(|| wave_type(json))
}

/// The wasm-wave type of a fixture type, written as the UI's `TypeShape`.
fn wave_type(shape: &Json) -> Type {
    let names = |key: &str| -> Vec<String> {
        list_of(shape, key)
            .iter()
            .map(|n| n.as_str().expect("a name").to_string())
            .collect()
    };
    let kind = str_of(shape, "kind");
    let ty = match kind {
        "primitive" => match str_of(shape, "name") {
            "bool" => Some(Type::BOOL),
            "s8" => Some(Type::S8),
            "u8" => Some(Type::U8),
            "s16" => Some(Type::S16),
            "u16" => Some(Type::U16),
            "s32" => Some(Type::S32),
            "u32" => Some(Type::U32),
            "s64" => Some(Type::S64),
            "u64" => Some(Type::U64),
            "f32" => Some(Type::F32),
            "f64" => Some(Type::F64),
            "char" => Some(Type::CHAR),
            "string" => Some(Type::STRING),
            _ => None,
        },
        "list" => Some(Type::list(wave_type(&shape["of"]))),
        "option" => Some(Type::option(wave_type(&shape["of"]))),
        "result" => Some(Type::result(
            optional(&shape["ok"]),
            optional(&shape["err"]),
        )),
        "tuple" => Type::tuple(
            list_of(shape, "items")
                .iter()
                .map(wave_type)
                .collect::<Vec<_>>(),
        ),
        "record" => Type::record(
            list_of(shape, "fields")
                .iter()
                .map(|f| (str_of(f, "name").to_string(), wave_type(&f["shape"]))),
        ),
        "variant" => Type::variant(
            list_of(shape, "cases")
                .iter()
                .map(|c| (str_of(c, "name").to_string(), optional(&c["shape"]))),
        ),
        "enum" => Type::enum_ty(names("cases")),
        "flags" => Type::flags(names("flags")),
        _ => None,
    };
    ty.unwrap_or_else(|| panic!("not a WAVE type: {shape}"))
}

fn write(value: &Value) -> String {
    wasm_wave::to_string(value).unwrap_or_else(|e| panic!("writing {value:?}: {e}"))
}

#[test]
fn wasm_wave_agrees_with_the_shared_cases() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut checked = 0;
    for group in list_of(&cases, "groups") {
        let name = str_of(group, "name");
        let ty = wave_type(&group["type"]);
        for value in list_of(group, "values") {
            let canonical = str_of(value, "wave");
            checked += 1;
            match wasm_wave::from_str::<Value>(&ty, canonical) {
                Err(e) => failures.push(format!("{name}: {canonical:?} is refused: {e}")),
                Ok(v) if write(&v) != canonical => failures.push(format!(
                    "{name}: {canonical:?} is written back as {:?}",
                    write(&v)
                )),
                Ok(_) => {}
            }
            for alternate in list_of(value, "also") {
                let alternate = alternate.as_str().expect("an alternate text");
                checked += 1;
                // Compared as written: the writer is exact for every value,
                // including NaN and -0, which `==` on values is not.
                match wasm_wave::from_str::<Value>(&ty, alternate) {
                    Err(e) => failures.push(format!("{name}: {alternate:?} is refused: {e}")),
                    Ok(v) if write(&v) != canonical => failures.push(format!(
                        "{name}: {alternate:?} reads as {:?}, not {canonical:?}",
                        write(&v)
                    )),
                    Ok(_) => {}
                }
            }
        }
        for invalid in list_of(group, "invalid") {
            let invalid = invalid.as_str().expect("an invalid text");
            checked += 1;
            if let Ok(v) = wasm_wave::from_str::<Value>(&ty, invalid) {
                failures.push(format!(
                    "{name}: {invalid:?} is accepted, as {:?}",
                    write(&v)
                ));
            }
        }
        // Texts the spec refuses and the editor refuses, but wasm-wave
        // reads: kept here so that the day wasm-wave refuses them too, this
        // fails and they move to `invalid`.
        for lenient in list_of(group, "hostLenient") {
            let text = str_of(lenient, "wave");
            checked += 1;
            if let Err(e) = wasm_wave::from_str::<Value>(&ty, text) {
                failures.push(format!(
                    "{name}: {text:?} is now refused ({e}): move it to `invalid`"
                ));
            }
        }
    }
    assert!(
        checked > 300,
        "only {checked} texts: is the fixture complete?"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} texts disagree with wasm-wave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
