//! How a mock binding answers each function of the import it mocks, with
//! its WAVE values parsed against the function's types.
//!
//! [`mock_answers`] is generic over the value type: `check` calls it with
//! the types of the component's WIT (read from wac-graph, [`WaveType`]) to
//! find wrong values and pin them to the project file, and the host calls it
//! with Wasmtime's `Val` to get the values it answers with. One rule, one
//! parser, so a value `check` accepts is one the host accepts.
//!
//! [`WaveType`]: crate::WaveType

use crate::wave::type_text;
use crate::PortFunction;
use patchbay_project::{Fake, Mock, MockBehavior};
use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::wasm::{WasmType, WasmValue};

/// How a mocked function answers, with its values parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum MockAnswer<V> {
    /// Always this value (`None` for a function that returns nothing).
    Returns(Option<V>),
    /// These values in turn; the last one repeats.
    Sequence(Vec<Option<V>>),
    /// The value of the first case whose arguments match.
    Match {
        /// `(arguments, value)` pairs.
        cases: Vec<(Vec<V>, Option<V>)>,
        /// The value for calls no case matches; a trap without one.
        otherwise: Option<Option<V>>,
    },
    /// A trap with this message.
    Trap(String),
    /// A fresh resource handle (a constructor the binding does not set).
    NewResource,
    /// The binding's fake answers.
    Fake(Fake),
    /// Nothing answers: a call traps, naming the missing `functions` entry.
    Missing,
}

/// Which value of a mocked function a [`MockError`] is about, as the
/// project file writes it under `functions.<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockValueSite {
    /// `returns` (also the fallback of `cases`).
    Returns,
    /// The n-th entry of `sequence`.
    Sequence(usize),
    /// `args` of the n-th entry of `cases`.
    CaseArgs(usize),
    /// `returns` of the n-th entry of `cases`.
    CaseReturns(usize),
}

/// A mock binding that does not fit the import it mocks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mock for `{import}` function `{function}`: {message}")]
pub struct MockError {
    /// The import.
    pub import: String,
    /// The function, as the binding names it under `functions`.
    pub function: String,
    /// The wrong value, or `None` when the interface has no such function.
    pub value: Option<MockValueSite>,
    /// What is wrong (names the WAVE text and the expected type).
    pub message: String,
}

/// The `functions` entry that sets `f`: its full name (`book.balance`)
/// or its short name (`balance`).
pub fn behavior_for<'m, T>(
    mock: &'m Mock,
    f: &PortFunction<T>,
) -> Option<(&'m str, &'m MockBehavior)> {
    mock.functions
        .get_key_value(f.name.as_str())
        .or_else(|| mock.functions.get_key_value(f.short_name()))
        .map(|(k, b)| (k.as_str(), b))
}

/// Parses a WAVE value of a function's result; `ty` is `None` for a
/// function that returns nothing, whose value must be `()`.
fn parse_value<V: WasmValue>(ty: Option<&V::Type>, text: &str) -> Result<Option<V>, String> {
    match ty {
        None if text.trim() == "()" || text.trim().is_empty() => Ok(None),
        None => Err(format!(
            "the function returns nothing, so its value must be `()`, not `{text}`"
        )),
        Some(ty) if ty.kind() == wasm_wave::wasm::WasmTypeKind::Unsupported => Err(format!(
            "`{text}` cannot stand for the value returned: it is a handle (a resource, stream or future), which a mock cannot make from WAVE values; wire the import to a component that provides it, deny it or leave it open"
        )),
        Some(ty) => wasm_wave::from_str::<V>(ty, text).map(Some).map_err(|e| {
            let hint = if holds_handle(ty) {
                " (a value holding a handle, a resource, stream or future, cannot be written in WAVE: give one without, such as an empty list, a `none` or another case)"
            } else {
                ""
            };
            format!("`{text}` is not a valid {}: {e}{hint}", type_text(ty))
        }),
    }
}

/// Whether a value of `ty` may hold a handle (a resource, or a WASI 0.3
/// stream or future): WAVE has no text for one.
fn holds_handle<T: WasmType>(ty: &T) -> bool {
    use wasm_wave::wasm::WasmTypeKind as K;
    match ty.kind() {
        K::Unsupported => true,
        K::List => ty.list_element_type().is_some_and(|t| holds_handle(&t)),
        K::Option => ty.option_some_type().is_some_and(|t| holds_handle(&t)),
        K::Tuple => ty.tuple_element_types().any(|t| holds_handle(&t)),
        K::Record => ty.record_fields().any(|(_, t)| holds_handle(&t)),
        K::Variant => ty
            .variant_cases()
            .any(|(_, t)| t.is_some_and(|t| holds_handle(&t))),
        K::Result => ty.result_types().is_some_and(|(ok, err)| {
            ok.is_some_and(|t| holds_handle(&t)) || err.is_some_and(|t| holds_handle(&t))
        }),
        _ => false,
    }
}

/// Parses a WAVE argument tuple such as `("a", 1)` against parameter types.
fn parse_args<V: WasmValue + 'static>(params: &[V::Type], args: &str) -> Result<Vec<V>, String> {
    let call_text = format!("f{args}");
    let call = UntypedFuncCall::parse(&call_text)
        .map_err(|e| format!("arguments `{args}` are not a WAVE tuple: {e}"))?;
    call.to_wasm_params::<V>(params.iter())
        .map_err(|e| format!("arguments `{args}` do not fit the parameters: {e}"))
}

/// How `mock` answers each of `functions` (the functions of the import
/// `import`), in their order, with every value parsed against the
/// function's types. Fails on the first value that does not fit, then on a
/// `functions` entry the interface does not have.
pub fn mock_answers<V: WasmValue + 'static>(
    import: &str,
    mock: &Mock,
    functions: &[PortFunction<V::Type>],
) -> Result<Vec<MockAnswer<V>>, MockError> {
    let mut answers = Vec::with_capacity(functions.len());
    let mut used = Vec::new();
    for f in functions {
        let behavior = behavior_for(mock, f);
        let key = behavior.map(|(k, _)| k).unwrap_or(&f.name);
        let err = |value: MockValueSite| {
            move |message: String| MockError {
                import: import.to_string(),
                function: key.to_string(),
                value: Some(value),
                message,
            }
        };
        let result = f.result.as_ref();
        let answer = match behavior {
            Some((k, b)) => {
                used.push(k);
                match b {
                    MockBehavior::Returns(v) => MockAnswer::Returns(
                        parse_value(result, v).map_err(err(MockValueSite::Returns))?,
                    ),
                    MockBehavior::Sequence(vs) => MockAnswer::Sequence(
                        vs.iter()
                            .enumerate()
                            .map(|(i, v)| {
                                parse_value(result, v).map_err(err(MockValueSite::Sequence(i)))
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    MockBehavior::Match { cases, otherwise } => {
                        let params: Vec<V::Type> =
                            f.params.iter().map(|(_, t)| t.clone()).collect();
                        let mut parsed = Vec::with_capacity(cases.len());
                        for (i, case) in cases.iter().enumerate() {
                            let args = parse_args::<V>(&params, &case.args)
                                .map_err(err(MockValueSite::CaseArgs(i)))?;
                            let value = parse_value(result, &case.returns)
                                .map_err(err(MockValueSite::CaseReturns(i)))?;
                            parsed.push((args, value));
                        }
                        MockAnswer::Match {
                            cases: parsed,
                            otherwise: otherwise
                                .as_ref()
                                .map(|v| parse_value(result, v))
                                .transpose()
                                .map_err(err(MockValueSite::Returns))?,
                        }
                    }
                    MockBehavior::Trap(msg) => MockAnswer::Trap(msg.clone()),
                }
            }
            None if f.is_constructor() => MockAnswer::NewResource,
            None => match mock.fake {
                Some(fake) => MockAnswer::Fake(fake),
                None => MockAnswer::Missing,
            },
        };
        answers.push(answer);
    }
    if let Some(unknown) = mock.functions.keys().find(|k| !used.contains(&k.as_str())) {
        return Err(MockError {
            import: import.to_string(),
            function: unknown.clone(),
            value: None,
            message: format!(
                "the interface has no such function (it has {})",
                functions
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wave::Checked;
    use crate::WaveType;
    use patchbay_project::MockCase;

    fn store() -> Vec<PortFunction> {
        let s = WaveType::String;
        vec![
            PortFunction {
                name: "get".into(),
                item: "get".into(),
                params: vec![("key".into(), s.clone())],
                result: Some(WaveType::Option(Box::new(s.clone()))),
            },
            PortFunction {
                name: "set".into(),
                item: "set".into(),
                params: vec![("key".into(), s.clone()), ("value".into(), s)],
                result: None,
            },
        ]
    }

    fn mock(functions: &[(&str, MockBehavior)]) -> Mock {
        Mock {
            functions: functions
                .iter()
                .map(|(k, b)| (k.to_string(), b.clone()))
                .collect(),
            ..Mock::default()
        }
    }

    fn answers(m: &Mock) -> Result<Vec<MockAnswer<Checked>>, MockError> {
        mock_answers::<Checked>("patchbay:kv/store", m, &store())
    }

    #[test]
    fn values_are_checked_against_the_function_types() {
        let ok = mock(&[
            ("get", MockBehavior::Returns("some(\"a\")".into())),
            ("set", MockBehavior::Returns("()".into())),
        ]);
        assert!(answers(&ok).is_ok());
        let bad = mock(&[("get", MockBehavior::Returns("some((((".into()))]);
        let e = answers(&bad).unwrap_err();
        assert_eq!(e.value, Some(MockValueSite::Returns));
        assert!(
            e.to_string().starts_with(
                "mock for `patchbay:kv/store` function `get`: `some((((` is not a valid option<string>"
            ),
            "{e}"
        );
        let unit = mock(&[("set", MockBehavior::Returns("1".into()))]);
        assert!(answers(&unit).unwrap_err().message.contains("must be `()`"));
        let seq = mock(&[(
            "get",
            MockBehavior::Sequence(vec!["none".into(), "7".into()]),
        )]);
        assert_eq!(
            answers(&seq).unwrap_err().value,
            Some(MockValueSite::Sequence(1))
        );
        let cases = mock(&[(
            "get",
            MockBehavior::Match {
                cases: vec![MockCase {
                    args: "(1)".into(),
                    returns: "none".into(),
                }],
                otherwise: None,
            },
        )]);
        assert_eq!(
            answers(&cases).unwrap_err().value,
            Some(MockValueSite::CaseArgs(0))
        );
    }

    #[test]
    fn unknown_functions_and_fakes() {
        let unknown = mock(&[("delete", MockBehavior::Trap("no".into()))]);
        let e = answers(&unknown).unwrap_err();
        assert_eq!((e.function.as_str(), e.value), ("delete", None));
        assert!(e.message.contains("it has get, set"), "{e}");
        let mut faked = mock(&[("get", MockBehavior::Returns("none".into()))]);
        faked.fake = Some(Fake::Log);
        let got = answers(&faked).unwrap();
        assert_eq!(got[1], MockAnswer::Fake(Fake::Log));
    }
}
