//! `wasi:logging/logging@0.1.0-draft`: every message becomes a typed log
//! line ([`LogRecord`]: the nodes of the scope that logged it, its level,
//! context and message), kept in the run's report and sent on the event
//! stream as it is logged ([`Event::Log`]), so the output panel shows and
//! filters it by level and `patchbay call` prints it as `LEVEL context:
//! message`. A Store keeps at most [`MAX_LOG_LINES`]; past that one line
//! says the rest were dropped, so a guest logging in a loop cannot grow a
//! session without bound.

use crate::events::Event;
use crate::report::{LogLevel, LogRecord};
use crate::state::RunState;
use wasmtime::component::{HasData, Linker};

/// Most log lines a Store keeps (a session's, across its calls).
pub const MAX_LOG_LINES: usize = 10_000;

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit/logging",
        world: "wasi:logging/imports",
        imports: { default: trappable },
    });
}

use bindings::wasi::logging::logging;
use bindings::wasi::logging::logging::Level;

/// The report's level of a WIT level.
fn level(level: Level) -> LogLevel {
    match level {
        Level::Trace => LogLevel::Trace,
        Level::Debug => LogLevel::Debug,
        Level::Info => LogLevel::Info,
        Level::Warn => LogLevel::Warn,
        Level::Error => LogLevel::Error,
        Level::Critical => LogLevel::Critical,
    }
}

/// Who logs through one scope: the nodes its lines name.
#[derive(Clone)]
pub(crate) struct LogSink {
    nodes: Vec<String>,
}

impl LogSink {
    pub fn new(nodes: &[String]) -> Self {
        Self {
            nodes: nodes.to_vec(),
        }
    }
}

struct LogData;

impl HasData for LogData {
    type Data<'a> = &'a mut RunState;
}

impl logging::Host for &mut RunState {
    fn log(&mut self, at: Level, context: String, message: String) -> wasmtime::Result<()> {
        let nodes = match self.scopes.get(self.active) {
            Some(scope) => scope.log.nodes.clone(),
            None => self.closed.log.nodes.clone(),
        };
        let line = match self.logs.len() {
            n if n < MAX_LOG_LINES => LogRecord {
                nodes,
                level: level(at),
                context,
                message,
            },
            n if n == MAX_LOG_LINES => LogRecord {
                nodes,
                level: LogLevel::Warn,
                context: "patchbay".into(),
                message: format!(
                    "later log lines are dropped: a run keeps the first {MAX_LOG_LINES}"
                ),
            },
            _ => return Ok(()),
        };
        self.events.send(Event::Log {
            run: self.run,
            line: line.clone(),
        });
        self.logs.push(line);
        Ok(())
    }
}

/// Adds `wasi:logging/logging@0.1.0-draft` to the linker.
pub(crate) fn link(linker: &mut Linker<RunState>) -> wasmtime::Result<()> {
    logging::add_to_linker::<RunState, LogData>(linker, |state| state)
}
