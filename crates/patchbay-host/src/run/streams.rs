//! Stream and future values of an export call, to and from WAVE.
//!
//! - an argument of type `stream<T>` is written as a WAVE list of `T`: the
//!   host makes the stream with those items and ends it after the last;
//! - an argument of type `future<T>` is written as a WAVE `T`: the host
//!   makes the future, already resolved to it;
//! - a result `stream<T>` is read to its end, at most [`MAX_STREAM_ITEMS`]
//!   items, and shown as a WAVE list (with a note when it was cut); a
//!   result `future<T>` is awaited and shown as its value.
//!
//! Wasmtime 48 makes host streams and futures only of a Rust type
//! (`StreamReader<T>`, `FutureReader<T>` with `T: ComponentType`), never of
//! dynamic `Val`s, so the payloads handled here are [`PAYLOADS`]: `bool`,
//! the integers, the floats, `char` and `string`. Any other payload is
//! refused with a message naming the parameter and its type.

use crate::state::RunState;
use crate::value::type_desc;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use wasmtime::component::wasm_wave::ast::Node;
use wasmtime::component::{
    ComponentType, FutureAny, FutureConsumer, FutureReader, Lift, Lower, Source, StreamAny,
    StreamConsumer, StreamReader, StreamResult, Type, Val,
};
use wasmtime::{Store, StoreContextMut};

/// The payload types a stream or future argument or result may carry.
pub const PAYLOADS: &[&str] = &[
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
];

/// How many items of a stream result are read before the rest is dropped.
pub const MAX_STREAM_ITEMS: usize = 10_000;

/// A payload the host can hold as a Rust value.
trait Payload: ComponentType + Lift + Lower + Send + Sync + Unpin + 'static {
    fn from_val(v: Val) -> Option<Self>;
    fn into_val(self) -> Val;
}

macro_rules! payloads {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl Payload for $t {
            fn from_val(v: Val) -> Option<Self> {
                match v {
                    Val::$v(x) => Some(x),
                    _ => None,
                }
            }
            fn into_val(self) -> Val {
                Val::$v(self)
            }
        }
    )*};
}

payloads!(
    bool => Bool, i8 => S8, u8 => U8, i16 => S16, u16 => U16, i32 => S32, u32 => U32,
    i64 => S64, u64 => U64, f32 => Float32, f64 => Float64, char => Char, String => String,
);

/// Calls `$f::<T>($args)` with the Rust type of payload type `$ty`, or
/// gives `None` for a payload the host cannot hold.
macro_rules! by_payload {
    ($ty:expr, $f:ident ( $($arg:expr),* )) => {
        match $ty {
            Type::Bool => Some($f::<bool>($($arg),*)),
            Type::S8 => Some($f::<i8>($($arg),*)),
            Type::U8 => Some($f::<u8>($($arg),*)),
            Type::S16 => Some($f::<i16>($($arg),*)),
            Type::U16 => Some($f::<u16>($($arg),*)),
            Type::S32 => Some($f::<i32>($($arg),*)),
            Type::U32 => Some($f::<u32>($($arg),*)),
            Type::S64 => Some($f::<i64>($($arg),*)),
            Type::U64 => Some($f::<u64>($($arg),*)),
            Type::Float32 => Some($f::<f32>($($arg),*)),
            Type::Float64 => Some($f::<f64>($($arg),*)),
            Type::Char => Some($f::<char>($($arg),*)),
            Type::String => Some($f::<String>($($arg),*)),
            _ => None,
        }
    };
}

/// `stream<T>` or `future<T>` as WIT, for messages.
pub(crate) fn handle_type_text(ty: &Type) -> String {
    let (kind, payload) = match ty {
        Type::Stream(s) => ("stream", s.ty()),
        Type::Future(f) => ("future", f.ty()),
        other => return type_desc(other).to_string(),
    };
    match payload {
        Some(p) => format!("{kind}<{}>", type_desc(&p)),
        None => kind.to_string(),
    }
}

/// The payload of a stream or future type the host can hold, or why not.
fn payload_of(ty: &Type) -> Result<Type, String> {
    let payload = match ty {
        Type::Stream(s) => s.ty(),
        Type::Future(f) => f.ty(),
        _ => return Err(format!("`{}` is not a stream or future", type_desc(ty))),
    };
    let refuse = |what: String| {
        format!(
            "{} carries {what}; a call can give or read streams and futures of {} only",
            handle_type_text(ty),
            PAYLOADS.join(", ")
        )
    };
    match payload {
        None => Err(refuse("no values".into())),
        Some(p) if by_payload!(&p, noop()).is_some() => Ok(p),
        Some(p) => Err(refuse(format!("a {}", type_desc(&p)))),
    }
}

fn noop<T>() {}

/// One argument from its WAVE text (`node` in `src`), for parameter type
/// `ty`: a stream or future made here for those types, else the value as
/// WAVE reads it. The error says what does not fit, without the
/// parameter's name (the caller adds it).
pub(crate) fn argument(
    store: &mut Store<RunState>,
    ty: &Type,
    node: &Node,
    src: &str,
) -> Result<Val, String> {
    match ty {
        Type::Stream(_) => {
            let payload = payload_of(ty)?;
            let items = node
                .as_list()
                .map_err(|_| format!("a {} is written as a WAVE list", handle_type_text(ty)))?
                .map(|n| {
                    n.to_wasm_value::<Val>(&payload, src)
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<Val>, String>>()?;
            by_payload!(&payload, make_stream(store, items))
                .unwrap_or_else(|| Err("no payload".into()))
        }
        Type::Future(_) => {
            let payload = payload_of(ty)?;
            let value = node
                .to_wasm_value::<Val>(&payload, src)
                .map_err(|e| e.to_string())?;
            by_payload!(&payload, make_future(store, value))
                .unwrap_or_else(|| Err("no payload".into()))
        }
        _ => node
            .to_wasm_value::<Val>(ty, src)
            .map_err(|e| e.to_string()),
    }
}

fn make_stream<T: Payload>(store: &mut Store<RunState>, items: Vec<Val>) -> Result<Val, String> {
    let items: Vec<T> = items.into_iter().filter_map(T::from_val).collect();
    let reader = StreamReader::new(&mut *store, items)
        .map_err(|e| format!("cannot make the stream: {e:#}"))?;
    StreamAny::try_from_stream_reader(&mut *store, reader)
        .map(Val::Stream)
        .map_err(|e| format!("cannot make the stream: {e:#}"))
}

fn make_future<T: Payload>(store: &mut Store<RunState>, value: Val) -> Result<Val, String> {
    let value = T::from_val(value).ok_or("the value does not fit the future's type")?;
    let reader = FutureReader::new(&mut *store, async move { Ok::<T, wasmtime::Error>(value) })
        .map_err(|e| format!("cannot make the future: {e:#}"))?;
    FutureAny::try_from_future_reader(&mut *store, reader)
        .map(Val::Future)
        .map_err(|e| format!("cannot make the future: {e:#}"))
}

/// What a stream or future result delivered, once read.
#[derive(Default)]
struct Delivered {
    items: Vec<Val>,
    /// The stream had more than [`MAX_STREAM_ITEMS`] items.
    cut: bool,
}

/// A result read from a stream or future, to be shown once the Store's
/// event loop has run it to its end.
pub(crate) struct Pending {
    delivered: Arc<Mutex<Delivered>>,
    done: tokio::sync::oneshot::Receiver<()>,
    stream: bool,
}

impl Pending {
    /// Waits until the stream ended (or was cut) or the future resolved.
    /// Run inside the Store's event loop.
    pub(crate) async fn finished(&mut self) {
        let _ = (&mut self.done).await;
    }

    /// The result as WAVE: a list for a stream (with a note if cut), the
    /// value for a future (`<future dropped>` if it never resolved).
    pub(crate) fn text(&self) -> String {
        let delivered = self.delivered.lock().map(|d| (d.items.clone(), d.cut));
        let (items, cut) = delivered.unwrap_or_default();
        let shown: Vec<String> = items.iter().map(crate::value::wave_text).collect();
        if self.stream {
            let list = format!("[{}]", shown.join(", "));
            if cut {
                format!(
                    "{list} (the stream's first {MAX_STREAM_ITEMS} items; the rest were dropped)"
                )
            } else {
                list
            }
        } else {
            shown
                .into_iter()
                .next()
                .unwrap_or_else(|| "<future dropped without a value>".into())
        }
    }
}

/// Starts reading a stream or future result `v` of type `ty` into a
/// [`Pending`]; `None` for any other value, or a payload the host cannot
/// hold (shown as `<stream>`/`<future>` as before).
pub(crate) fn read_result(store: &mut Store<RunState>, ty: &Type, v: &Val) -> Option<Pending> {
    let payload = payload_of(ty).ok()?;
    match v {
        Val::Stream(any) => by_payload!(&payload, read_stream(store, any.clone()))?,
        Val::Future(any) => by_payload!(&payload, read_future(store, any.clone()))?,
        _ => None,
    }
}

fn read_stream<T: Payload>(store: &mut Store<RunState>, any: StreamAny) -> Option<Pending> {
    let reader = any.try_into_stream_reader::<T>().ok()?;
    let delivered = Arc::new(Mutex::new(Delivered::default()));
    let (tx, done) = tokio::sync::oneshot::channel();
    let consumer = Collect::<T> {
        delivered: delivered.clone(),
        _done: tx,
        _t: std::marker::PhantomData,
    };
    reader.pipe(&mut *store, consumer).ok()?;
    Some(Pending {
        delivered,
        done,
        stream: true,
    })
}

fn read_future<T: Payload>(store: &mut Store<RunState>, any: FutureAny) -> Option<Pending> {
    let reader = any.try_into_future_reader::<T>().ok()?;
    let delivered = Arc::new(Mutex::new(Delivered::default()));
    let (tx, done) = tokio::sync::oneshot::channel();
    let consumer = Collect::<T> {
        delivered: delivered.clone(),
        _done: tx,
        _t: std::marker::PhantomData,
    };
    reader.pipe(&mut *store, consumer).ok()?;
    Some(Pending {
        delivered,
        done,
        stream: false,
    })
}

/// Keeps what a stream or future result delivers; dropping it (the
/// stream ended, or the future resolved) ends [`Pending::finished`].
struct Collect<T> {
    delivered: Arc<Mutex<Delivered>>,
    _done: tokio::sync::oneshot::Sender<()>,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T: Payload> StreamConsumer<RunState> for Collect<T> {
    type Item = T;

    fn poll_consume(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        store: StoreContextMut<RunState>,
        mut source: Source<'_, T>,
        _finish: bool,
    ) -> Poll<wasmtime::Result<StreamResult>> {
        let Ok(mut delivered) = self.delivered.lock() else {
            return Poll::Ready(Ok(StreamResult::Dropped));
        };
        let room = MAX_STREAM_ITEMS.saturating_sub(delivered.items.len());
        if room == 0 {
            delivered.cut = true;
            return Poll::Ready(Ok(StreamResult::Dropped));
        }
        let mut read: Vec<T> = Vec::with_capacity(room.min(1024));
        source.read(store, &mut read)?;
        delivered.items.extend(read.into_iter().map(T::into_val));
        Poll::Ready(Ok(StreamResult::Completed))
    }
}

impl<T: Payload> FutureConsumer<RunState> for Collect<T> {
    type Item = T;

    fn poll_consume(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        store: StoreContextMut<RunState>,
        mut source: Source<'_, T>,
        _finish: bool,
    ) -> Poll<wasmtime::Result<()>> {
        let mut value: Option<T> = None;
        source.read(store, &mut value)?;
        if let (Some(v), Ok(mut delivered)) = (value, self.delivered.lock()) {
            delivered.items.push(v.into_val());
        }
        Poll::Ready(Ok(()))
    }
}
