//! `wasi:logging/logging@0.1.0-draft`: every message becomes a line of
//! the run's output, `[LEVEL context] message` on the Store's stderr pipe,
//! so it shows in the output panel, in `patchbay call` and in the run
//! report with its level, and counts against the output cap like any
//! other output.

use crate::state::RunState;
use wasmtime::component::{HasData, Linker};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::p2::OutputStream;

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit/logging",
        world: "wasi:logging/imports",
        imports: { default: trappable },
    });
}

use bindings::wasi::logging::logging;
pub use bindings::wasi::logging::logging::Level;

/// A level as log lines show it.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Trace => "TRACE",
        Level::Debug => "DEBUG",
        Level::Info => "INFO",
        Level::Warn => "WARN",
        Level::Error => "ERROR",
        Level::Critical => "CRITICAL",
    }
}

/// One log line: `[WARN cache] miss for a`; `[INFO] started` without a
/// context.
pub fn line(level: Level, context: &str, message: &str) -> String {
    if context.is_empty() {
        format!("[{}] {message}\n", level_name(level))
    } else {
        format!("[{} {context}] {message}\n", level_name(level))
    }
}

/// Where a scope's log lines go: the Store's stderr.
#[derive(Clone)]
pub(crate) struct LogSink(pub MemoryOutputPipe);

impl LogSink {
    fn write(&mut self, text: &str) {
        // Past the output cap the pipe refuses the rest, as it does for
        // the guest's own writes.
        let room = self.0.check_write().unwrap_or(0);
        let bytes = text.as_bytes();
        let _ = self.0.write(bytes::Bytes::copy_from_slice(
            &bytes[..bytes.len().min(room)],
        ));
    }
}

struct LogData;

impl HasData for LogData {
    type Data<'a> = &'a mut RunState;
}

impl logging::Host for &mut RunState {
    fn log(&mut self, level: Level, context: String, message: String) -> wasmtime::Result<()> {
        let text = line(level, &context, &message);
        let scope = match self.scopes.get_mut(self.active) {
            Some(scope) => scope,
            None => &mut self.closed,
        };
        scope.log.write(&text);
        Ok(())
    }
}

/// Adds `wasi:logging/logging@0.1.0-draft` to the linker.
pub(crate) fn link(linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
    logging::add_to_linker::<RunState, LogData>(linker, |state| state)
}
