//! Run deadlines on elapsed time.
//!
//! A run's timeout is an [`Instant`], not a count of epoch ticks. The epoch
//! ticker only makes running guest code look at the clock: every tick, a
//! Store's epoch-deadline callback compares `Instant::now()` with the run's
//! deadline and either lets the guest go on (after yielding to the async
//! executor, so a spinning guest does not hog a worker thread) or stops it
//! with [`wasmtime::Trap::Interrupt`]. A late or skipped tick therefore
//! delays the stop by at most one tick; it never adds up over the run.
//!
//! Code that waits on the host (an outgoing request, a slow client) runs no
//! wasm, so no epoch check happens there; [`Deadline::bound`] cancels such a
//! wait with a timer at the same instant.
//!
//! The ticker sleeps while no run is live ([`Ticker::arm`] counts the live
//! Stores), so an idle host does not wake up a thousand times a second.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::Thread;
use std::time::{Duration, Instant};
use wasmtime::{Engine, Store, UpdateDeadline};

/// When a run must stop: `timeout` after the instant it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadline {
    /// `None` when the instant is too far away to represent: no deadline.
    at: Option<Instant>,
}

impl Deadline {
    /// The deadline `timeout` after `start`.
    pub(crate) fn after(start: Instant, timeout: Duration) -> Self {
        Self {
            at: start.checked_add(timeout),
        }
    }

    /// Whether the deadline has passed at `now`.
    fn passed(&self, now: Instant) -> bool {
        self.at.is_some_and(|at| now >= at)
    }

    /// What an epoch-deadline callback does at `now`: stop the guest once
    /// the deadline has passed, otherwise yield and look again next tick.
    fn update(&self, now: Instant) -> UpdateDeadline {
        if self.passed(now) {
            UpdateDeadline::Interrupt
        } else {
            UpdateDeadline::Yield(1)
        }
    }

    /// Runs `future` until it finishes or the deadline passes, whichever is
    /// first; `None` when the deadline passed (the future is dropped).
    pub(crate) async fn bound<F: Future>(&self, future: F) -> Option<F::Output> {
        match self.at {
            Some(at) => tokio::time::timeout_at(tokio::time::Instant::from_std(at), future)
                .await
                .ok(),
            None => Some(future.await),
        }
    }
}

/// The thread that advances the engine's epoch every [`crate::EPOCH_TICK`]
/// while at least one run is live, and parks otherwise.
pub(crate) struct Ticker {
    shared: Arc<TickerShared>,
    thread: Thread,
}

struct TickerShared {
    /// Stores armed with a deadline and not yet dropped.
    live: AtomicUsize,
    stop: AtomicBool,
}

impl Ticker {
    /// Starts the ticker thread of `engine`. It ends when the ticker is
    /// dropped or the engine is gone.
    pub(crate) fn start(engine: &Engine) -> std::io::Result<Self> {
        let shared = Arc::new(TickerShared {
            live: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let engine = engine.weak();
        let state = shared.clone();
        let handle = std::thread::Builder::new()
            .name("patchbay-epoch".into())
            .spawn(move || loop {
                if state.stop.load(Ordering::Acquire) {
                    break;
                }
                if state.live.load(Ordering::Acquire) == 0 {
                    // `arm` unparks; a wake-up with nothing live parks again.
                    std::thread::park();
                    continue;
                }
                std::thread::sleep(crate::EPOCH_TICK);
                match engine.upgrade() {
                    Some(e) => e.increment_epoch(),
                    None => break,
                }
            })?;
        Ok(Self {
            shared,
            thread: handle.thread().clone(),
        })
    }

    /// Gives `store` the deadline: its guest code checks the clock every
    /// tick and traps with [`wasmtime::Trap::Interrupt`] once `deadline`
    /// has passed. The ticker runs as long as the Store lives.
    pub(crate) fn arm<T: 'static>(&self, store: &mut Store<T>, deadline: Deadline) {
        let live = LiveRun::enter(self.shared.clone());
        self.thread.unpark();
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            let _live = &live;
            Ok(deadline.update(Instant::now()))
        });
    }
}

impl Ticker {
    /// Takes the deadline back from `store` between the calls of a live
    /// session, so the ticker sleeps while the session waits. The next
    /// call arms it again.
    pub(crate) fn disarm<T: 'static>(&self, store: &mut Store<T>) {
        store.epoch_deadline_callback(|_| Ok(UpdateDeadline::Continue(1)));
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// One live Store, counted while it (and so its callback) exists.
struct LiveRun(Arc<TickerShared>);

impl LiveRun {
    fn enter(shared: Arc<TickerShared>) -> Self {
        shared.live.fetch_add(1, Ordering::AcqRel);
        Self(shared)
    }
}

impl Drop for LiveRun {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_continues_before_the_deadline_and_stops_at_it() {
        let start = Instant::now();
        let deadline = Deadline::after(start, Duration::from_millis(100));
        assert!(matches!(
            deadline.update(start + Duration::from_millis(99)),
            UpdateDeadline::Yield(1)
        ));
        assert!(matches!(
            deadline.update(start + Duration::from_millis(100)),
            UpdateDeadline::Interrupt
        ));
        assert!(matches!(
            deadline.update(start + Duration::from_secs(5)),
            UpdateDeadline::Interrupt
        ));
    }

    #[test]
    fn a_deadline_too_far_to_represent_never_passes() {
        let start = Instant::now();
        let deadline = Deadline::after(start, Duration::MAX);
        assert_eq!(deadline.at, None);
        assert!(!deadline.passed(start + Duration::from_secs(1 << 40)));
    }

    #[test]
    fn a_bounded_wait_is_cancelled_at_the_deadline() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let deadline = Deadline::after(Instant::now(), Duration::from_millis(20));
        let never = std::future::pending::<()>();
        assert_eq!(rt.block_on(deadline.bound(never)), None);
        let ready = async { 7 };
        assert_eq!(rt.block_on(deadline.bound(ready)), Some(7));
    }

    #[test]
    fn the_ticker_counts_live_stores() {
        let mut config = wasmtime::Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).unwrap();
        let ticker = Ticker::start(&engine).unwrap();
        let mut store = Store::new(&engine, ());
        ticker.arm(
            &mut store,
            Deadline::after(Instant::now(), Duration::from_secs(1)),
        );
        assert_eq!(ticker.shared.live.load(Ordering::Acquire), 1);
        drop(store);
        assert_eq!(ticker.shared.live.load(Ordering::Acquire), 0);
    }
}
