//! Mocks: host implementations of any imported interface, built from its
//! WIT types at run time. Values are WAVE text, parsed against the types when
//! the project is prepared (by the rule `check` applies), so a wrong value is
//! reported before any run.

use super::{import_items, MockValueError};
use crate::plan::ImportPlan;
use crate::state::{MockCall, RunState};
use patchbay_compose::{display_name, mock_answers, MockAnswer, PortFunction};
use patchbay_project::{Fake, Mock};
use std::sync::Arc;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Linker, LinkerInstance, Resource, Type, Val};
use wasmtime::{AsContextMut, Engine, StoreContextMut};

/// Marks resources of mocked interfaces; their handles carry a counter.
struct MockResource;

#[derive(Debug)]
struct MockFn {
    interface: String,
    /// The name in the linker (`[method]book.balance`, or the import name
    /// for a world-level function).
    item: String,
    /// The name people write (`book.balance`).
    function: String,
    /// Declared `async func` (WASI 0.3): defined as a concurrent host
    /// function.
    is_async: bool,
    answer: MockAnswer<Val>,
    values: Arc<indexmap::IndexMap<String, String>>,
}

/// Defines host function `item` with `body`, which answers without
/// waiting. Wasmtime refuses a sync-style host function for an import
/// declared `async func` (WASI 0.3) at link time, so such an import gets a
/// concurrent one (`func_new_concurrent`), which reaches the store through
/// its accessor.
pub(super) fn define_host_func<F>(
    target: &mut LinkerInstance<'_, RunState>,
    item: &str,
    is_async: bool,
    body: F,
) -> wasmtime::Result<()>
where
    F: Fn(StoreContextMut<'_, RunState>, &[Val], &mut [Val]) -> wasmtime::Result<()>
        + Send
        + Sync
        + 'static,
{
    if is_async {
        let body = Arc::new(body);
        target.func_new_concurrent(item, move |accessor, _ty, params, results| {
            let body = body.clone();
            Box::pin(async move {
                accessor.with(|mut access| body(access.as_context_mut(), params, results))
            })
        })
    } else {
        target.func_new_async(item, move |store, _ty, params, results| {
            let outcome = body(store, params, results);
            Box::new(async move { outcome })
        })
    }
}

/// One mocked import.
#[derive(Debug, Clone)]
pub(crate) struct MockedImport {
    name: String,
    root_function: bool,
    functions: Vec<Arc<MockFn>>,
    resources: Vec<String>,
}

impl MockedImport {
    /// Reads how the mock answers each function of the import, with its
    /// values parsed against Wasmtime's types by
    /// [`patchbay_compose::mock_answers`], the rule `check` applies to the
    /// same values with the WIT's types.
    pub fn new(
        engine: &Engine,
        plan: &ImportPlan,
        mock: &Mock,
        item: &ComponentItem,
    ) -> Result<Self, MockValueError> {
        let root_function = matches!(item, ComponentItem::ComponentFunc(_));
        let mut functions: Vec<PortFunction<Type>> = Vec::new();
        let mut asyncs = Vec::new();
        let mut resources = Vec::new();
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
            asyncs.push(func.async_());
            functions.push(PortFunction {
                name: display_name(&item_name),
                item: item_name,
                params: func.params().map(|(n, t)| (n.to_string(), t)).collect(),
                result: func.results().next(),
            });
        }
        let answers =
            mock_answers::<Val>(&plan.name, mock, &functions).map_err(|e| MockValueError {
                import: e.import,
                function: e.function,
                message: e.message,
            })?;
        let values = Arc::new(mock.values.clone());
        let functions = functions
            .into_iter()
            .zip(answers)
            .zip(asyncs)
            .map(|((f, answer), is_async)| {
                Arc::new(MockFn {
                    interface: plan.name.clone(),
                    item: f.item,
                    function: f.name,
                    is_async,
                    answer,
                    values: values.clone(),
                })
            })
            .collect();
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
            define_host_func(
                &mut target,
                &item,
                f.is_async,
                move |mut store, params, results| {
                    let args: Vec<String> = params.iter().map(crate::value::wave_text).collect();
                    // A call that needs a result and gets none traps, and is
                    // logged as that trap, never as answered.
                    let outcome = answer(&f, &mut store, params).and_then(|v| match v {
                        None if !results.is_empty() => Err(wasmtime::Error::msg(format!(
                        "mock `{}#{}` has no value to return; add `functions.{}` to its binding",
                        f.interface, f.function, f.function
                    ))),
                        v => Ok(v),
                    });
                    let shown = match &outcome {
                        Ok(Some(v)) => crate::value::wave_text(v),
                        Ok(None) => "()".into(),
                        Err(e) => format!("trap: {e}"),
                    };
                    store.data_mut().record_mock(MockCall {
                        interface: f.interface.clone(),
                        function: f.function.clone(),
                        args,
                        result: shown,
                    });
                    if let (Some(slot), Some(v)) = (results.first_mut(), outcome?) {
                        *slot = v;
                    }
                    Ok(())
                },
            )?;
        }
        Ok(())
    }
}

/// The key in [`RunState::sequences`] of the last rep handed out for a
/// mocked resource (kept when a session's fake state is cleared, so reps
/// stay unique in the instance).
pub(crate) const RESOURCE_COUNTER: &str = "resources";

fn answer(
    f: &MockFn,
    store: &mut wasmtime::StoreContextMut<'_, RunState>,
    params: &[Val],
) -> wasmtime::Result<Option<Val>> {
    match &f.answer {
        MockAnswer::Returns(v) => Ok(v.clone()),
        MockAnswer::Sequence(vs) => {
            let key = format!("{}#{}", f.interface, f.function);
            let seq = store.data_mut().sequences.entry(key).or_default();
            let v = vs.get(*seq).or(vs.last()).cloned().flatten();
            *seq += 1;
            Ok(v)
        }
        MockAnswer::Match { cases, otherwise } => {
            if let Some((_, v)) = cases.iter().find(|(args, _)| args.as_slice() == params) {
                return Ok(v.clone());
            }
            match otherwise {
                Some(v) => Ok(v.clone()),
                None => Err(wasmtime::Error::msg(format!(
                    "mock `{}#{}` has no case for arguments ({})",
                    f.interface,
                    f.function,
                    params.iter().map(crate::value::wave_text).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        MockAnswer::Trap(msg) => Err(wasmtime::Error::msg(format!(
            "mock `{}#{}` traps: {msg}",
            f.interface, f.function
        ))),
        MockAnswer::NewResource => {
            let rep = store.data_mut().sequences.entry(RESOURCE_COUNTER.into()).or_default();
            *rep += 1;
            let rep = u32::try_from(*rep).unwrap_or(u32::MAX);
            let handle = Resource::<MockResource>::new_own(rep).try_into_resource_any(&mut *store)?;
            Ok(Some(Val::Resource(handle)))
        }
        MockAnswer::Fake(fake) => fake_answer(*fake, f, store, params),
        MockAnswer::Missing => Err(wasmtime::Error::msg(format!(
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
