//! Where the capabilities of one run record scope refusals, capped.

use crate::events::{Event, EventSink};
use crate::report::ScopeRefusal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Most scope lines kept per run; a guest looping on refused connections
/// must not grow the report without bound.
pub(crate) const MAX_SCOPE_LINES: usize = 256;

/// Where the capabilities of one run record scope refusals: the run's
/// report (through a shared list, since the socket check runs outside the
/// Store) and the event stream.
#[derive(Debug, Clone)]
pub(crate) struct ScopeLog {
    /// The run now recording (a live session's calls are runs of their own).
    run: Arc<AtomicU64>,
    events: EventSink,
    lines: Arc<Mutex<ScopeLines>>,
}

#[derive(Debug, Default)]
struct ScopeLines {
    kept: Vec<ScopeRefusal>,
    dropped: usize,
}

impl ScopeLog {
    pub fn new(run: u64, events: EventSink) -> Self {
        Self {
            run: Arc::new(AtomicU64::new(run)),
            events,
            lines: Arc::default(),
        }
    }

    /// Records one line (the same line twice in a run is kept once).
    pub fn record(&self, line: ScopeRefusal) {
        let Ok(mut lines) = self.lines.lock() else {
            return;
        };
        if lines.kept.contains(&line) {
            return;
        }
        if lines.kept.len() >= MAX_SCOPE_LINES {
            lines.dropped += 1;
            return;
        }
        self.events.send(Event::OutOfScope {
            run: self.run.load(Ordering::Relaxed),
            nodes: line.nodes.clone(),
            interface: line.interface.clone(),
            message: line.message.clone(),
        });
        lines.kept.push(line);
    }

    /// Names the run whose refusals follow (the next call of a session).
    pub fn set_run(&self, run: u64) {
        self.run.store(run, Ordering::Relaxed);
    }

    /// How many lines are kept (not counting the one about dropped lines).
    pub fn len(&self) -> usize {
        self.lines.lock().map_or(0, |l| l.kept.len())
    }

    /// The lines recorded so far, with one more saying how many were
    /// dropped past the cap.
    pub fn lines(&self) -> Vec<ScopeRefusal> {
        let Ok(lines) = self.lines.lock() else {
            return Vec::new();
        };
        let mut out = lines.kept.clone();
        if lines.dropped > 0 {
            out.push(ScopeRefusal {
                nodes: Vec::new(),
                interface: String::new(),
                refused: false,
                message: format!(
                    "{} more scope lines were dropped after the first {MAX_SCOPE_LINES}",
                    lines.dropped
                ),
            });
        }
        out
    }
}
