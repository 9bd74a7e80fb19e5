//! Mocks: host implementations of any imported interface, built from its
//! WIT types at run time. Values are WAVE text, parsed against the types when
//! the project is prepared, so a wrong value is reported before any run.

use super::{display_name, import_items, MockValueError};
use crate::plan::ImportPlan;
use crate::state::{MockCall, RunState};
use patchbay_project::{Fake, Mock, MockBehavior};
use std::sync::Arc;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;
use wasmtime::component::{Linker, Resource, Type, Val};
use wasmtime::Engine;

/// Marks resources of mocked interfaces; their handles carry a counter.
struct MockResource;

#[derive(Debug, Clone)]
enum Answer {
    Returns(Option<Val>),
    Sequence(Vec<Option<Val>>),
    Match {
        cases: Vec<(Vec<Val>, Option<Val>)>,
        otherwise: Option<Option<Val>>,
    },
    Trap(String),
    NewResource,
    Fake(Fake),
    Missing,
}

#[derive(Debug)]
struct MockFn {
    interface: String,
    /// The name in the linker (`[method]book.balance`, or the import name
    /// for a world-level function).
    item: String,
    /// The name people write (`book.balance`).
    function: String,
    answer: Answer,
    values: Arc<indexmap::IndexMap<String, String>>,
}

/// One mocked import.
#[derive(Debug, Clone)]
pub(crate) struct MockedImport {
    name: String,
    root_function: bool,
    functions: Vec<Arc<MockFn>>,
    resources: Vec<String>,
}

fn parse_value(ty: Option<&Type>, text: &str) -> Result<Option<Val>, String> {
    match ty {
        None if text.trim() == "()" || text.trim().is_empty() => Ok(None),
        None => Err(format!(
            "the function returns nothing, so its value must be `()`, not `{text}`"
        )),
        Some(ty) => Val::from_wave(ty, text)
            .map(Some)
            .map_err(|e| format!("`{text}` is not a valid {}: {e}", type_desc(ty))),
    }
}

fn type_desc(ty: &Type) -> String {
    crate::run::type_desc(ty).to_string()
}

impl MockedImport {
    pub fn new(
        engine: &Engine,
        plan: &ImportPlan,
        mock: &Mock,
        item: &ComponentItem,
    ) -> Result<Self, MockValueError> {
        let root_function = matches!(item, ComponentItem::ComponentFunc(_));
        let values = Arc::new(mock.values.clone());
        let mut functions = Vec::new();
        let mut resources = Vec::new();
        let mut used = Vec::new();
        for (item_name, ty) in import_items(engine, item) {
            let func = match ty {
                ComponentItem::ComponentFunc(f) => f,
                ComponentItem::Resource(_) => {
                    resources.push(item_name);
                    continue;
                }
                _ => continue,
            };
            let item_name = if root_function {
                plan.name.clone()
            } else {
                item_name
            };
            let function = display_name(&item_name);
            let short = function.rsplit('.').next().unwrap_or(&function).to_string();
            let err = |message: String| MockValueError {
                import: plan.name.clone(),
                function: function.clone(),
                message,
            };
            let result_ty = func.results().next();
            let behavior = mock
                .functions
                .get(&function)
                .or_else(|| mock.functions.get(&short));
            if behavior.is_some() {
                used.push(if mock.functions.contains_key(&function) {
                    function.clone()
                } else {
                    short.clone()
                });
            }
            let answer = match behavior {
                Some(MockBehavior::Returns(v)) => {
                    Answer::Returns(parse_value(result_ty.as_ref(), v).map_err(err)?)
                }
                Some(MockBehavior::Sequence(vs)) => Answer::Sequence(
                    vs.iter()
                        .map(|v| parse_value(result_ty.as_ref(), v))
                        .collect::<Result<_, _>>()
                        .map_err(err)?,
                ),
                Some(MockBehavior::Match { cases, otherwise }) => {
                    let params: Vec<Type> = func.params().map(|(_, t)| t).collect();
                    let mut parsed = Vec::new();
                    for case in cases {
                        let call_text = format!("f{}", case.args);
                        let call = UntypedFuncCall::parse(&call_text).map_err(|e| {
                            err(format!(
                                "arguments `{}` are not a WAVE tuple: {e}",
                                case.args
                            ))
                        })?;
                        let args: Vec<Val> = call.to_wasm_params(params.iter()).map_err(|e| {
                            err(format!(
                                "arguments `{}` do not fit the parameters: {e}",
                                case.args
                            ))
                        })?;
                        parsed.push((
                            args,
                            parse_value(result_ty.as_ref(), &case.returns).map_err(err)?,
                        ));
                    }
                    Answer::Match {
                        cases: parsed,
                        otherwise: otherwise
                            .as_ref()
                            .map(|v| parse_value(result_ty.as_ref(), v))
                            .transpose()
                            .map_err(err)?,
                    }
                }
                Some(MockBehavior::Trap(msg)) => Answer::Trap(msg.clone()),
                None if item_name.starts_with("[constructor]") => Answer::NewResource,
                None => match mock.fake {
                    Some(f) => Answer::Fake(f),
                    None => Answer::Missing,
                },
            };
            functions.push(Arc::new(MockFn {
                interface: plan.name.clone(),
                item: item_name,
                function,
                answer,
                values: values.clone(),
            }));
        }
        if let Some(unknown) = mock.functions.keys().find(|k| !used.contains(k)) {
            return Err(MockValueError {
                import: plan.name.clone(),
                function: unknown.clone(),
                message: format!(
                    "the interface has no such function (it has {})",
                    functions
                        .iter()
                        .map(|f| f.function.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok(Self {
            name: plan.name.clone(),
            root_function,
            functions,
            resources,
        })
    }

    pub fn link(&self, linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
        let mut target = super::link_target(linker, &self.name, self.root_function)?;
        super::define_resources::<MockResource>(&mut target, &self.name, &self.resources)?;
        for f in &self.functions {
            let f = f.clone();
            let item = f.item.clone();
            target.func_new_async(&item, move |mut store, _ty, params, results| {
                let f = f.clone();
                Box::new(async move {
                    let args: Vec<String> = params
                        .iter()
                        .map(crate::run::wave_text)
                        .collect();
                    let outcome = answer(&f, &mut store, params);
                    let shown = match &outcome {
                        Ok(Some(v)) => crate::run::wave_text(v),
                        Ok(None) => "()".into(),
                        Err(e) => format!("trap: {e}"),
                    };
                    store.data_mut().record_mock(MockCall {
                        interface: f.interface.clone(),
                        function: f.function.clone(),
                        args,
                        result: shown,
                    });
                    match (results.first_mut(), outcome?) {
                        (Some(slot), Some(v)) => *slot = v,
                        (None, _) => {}
                        (Some(_), None) => {
                            return Err(wasmtime::Error::msg(format!(
                                "mock `{}#{}` has no value to return; add `functions.{}` to its binding",
                                f.interface, f.function, f.function
                            )))
                        }
                    }
                    Ok(())
                })
            })?;
        }
        Ok(())
    }
}

fn answer(
    f: &MockFn,
    store: &mut wasmtime::StoreContextMut<'_, RunState>,
    params: &[Val],
) -> wasmtime::Result<Option<Val>> {
    match &f.answer {
        Answer::Returns(v) => Ok(v.clone()),
        Answer::Sequence(vs) => {
            let key = format!("{}#{}", f.interface, f.function);
            let seq = store.data_mut().sequences.entry(key).or_default();
            let v = vs.get(*seq).or(vs.last()).cloned().flatten();
            *seq += 1;
            Ok(v)
        }
        Answer::Match { cases, otherwise } => {
            if let Some((_, v)) = cases.iter().find(|(args, _)| args.as_slice() == params) {
                return Ok(v.clone());
            }
            match otherwise {
                Some(v) => Ok(v.clone()),
                None => Err(wasmtime::Error::msg(format!(
                    "mock `{}#{}` has no case for arguments ({})",
                    f.interface,
                    f.function,
                    params.iter().map(crate::run::wave_text).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        Answer::Trap(msg) => Err(wasmtime::Error::msg(format!(
            "mock `{}#{}` traps: {msg}",
            f.interface, f.function
        ))),
        Answer::NewResource => {
            let rep = store.data_mut().sequences.entry("resources".into()).or_default();
            *rep += 1;
            let rep = u32::try_from(*rep).unwrap_or(u32::MAX);
            let handle = Resource::<MockResource>::new_own(rep).try_into_resource_any(&mut *store)?;
            Ok(Some(Val::Resource(handle)))
        }
        Answer::Fake(fake) => fake_answer(*fake, f, store, params),
        Answer::Missing => Err(wasmtime::Error::msg(format!(
            "`{}#{}` is mocked without a value for this function; add `functions.{}` to its binding",
            f.interface, f.function, f.function
        ))),
    }
}

fn string_arg(params: &[Val], i: usize) -> Option<String> {
    match params.get(i) {
        Some(Val::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The `kv`, `log` and `config` fakes.
fn fake_answer(
    fake: Fake,
    f: &MockFn,
    store: &mut wasmtime::StoreContextMut<'_, RunState>,
    params: &[Val],
) -> wasmtime::Result<Option<Val>> {
    let unsupported = || {
        wasmtime::Error::msg(format!(
            "the `{}` fake does not implement `{}#{}`; add `functions.{}` to its binding",
            fake.name(),
            f.interface,
            f.function,
            f.function
        ))
    };
    match fake {
        Fake::KeyValue => {
            let map = store
                .data_mut()
                .kv
                .entry(f.interface.clone())
                .or_insert_with(|| {
                    f.values
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                });
            match (
                f.function.as_str(),
                string_arg(params, 0),
                string_arg(params, 1),
            ) {
                ("get", Some(k), None) => Ok(Some(Val::Option(
                    map.get(&k).map(|v| Box::new(Val::String(v.clone()))),
                ))),
                ("set", Some(k), Some(v)) => {
                    map.insert(k, v);
                    Ok(None)
                }
                ("delete", Some(k), None) => {
                    map.remove(&k);
                    Ok(None)
                }
                ("exists", Some(k), None) => Ok(Some(Val::Bool(map.contains_key(&k)))),
                _ => Err(unsupported()),
            }
        }
        Fake::Config => match (f.function.as_str(), string_arg(params, 0)) {
            ("get", Some(k)) => Ok(Some(Val::Option(
                f.values.get(&k).map(|v| Box::new(Val::String(v.clone()))),
            ))),
            _ => Err(unsupported()),
        },
        // Every call is recorded (by the caller); the log answers nothing.
        Fake::Log => Ok(None),
        Fake::Clock | Fake::Random | Fake::Http => Err(unsupported()),
    }
}
