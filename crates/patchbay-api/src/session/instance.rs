//! The run panel's live session: one instance of the document's
//! composition (composed or traced) that successive calls share, the
//! host's [`LiveSession`]. An edit that changes the composition ends it
//! (the next status says so, the next call starts a new one); a call that
//! fails inside the guest ends it until a reset. The rules live in the
//! host; this keeps one session per window and tells edits apart.

use super::run::run_key;
use super::*;
use crate::dto::*;
use crate::ApiError;
use patchbay_host::LiveSession;

/// The window's session and, once an edit ended it, why.
#[derive(Default)]
pub(super) struct Instance {
    /// The session and the [`run_key`] of what it runs.
    current: Option<(String, LiveSession)>,
    /// Set when an edit ended the last session, until the next call or
    /// reset.
    edited: Option<SessionEnd>,
    /// Where each call of the session starts and ends in its trace, in
    /// call order, so the Trace tab can show the session call by call.
    marks: Vec<CallMark>,
}

/// One call of the session and its stretch of the session's trace.
struct CallMark {
    run: u64,
    call: String,
    from: usize,
    to: usize,
}

impl Instance {
    /// Ends the session if `key` is not what it runs, remembering why when
    /// it had made an instance.
    fn follow(&mut self, key: &str) {
        let Some((current, session)) = &self.current else {
            return;
        };
        if current == key {
            return;
        }
        let status = session.status();
        if status.age.is_some() {
            self.edited = Some(SessionEnd {
                cause: SessionEndCause::Edited,
                call: None,
                kind: None,
                message: format!(
                    "the composition changed, so the session ended after {} call{}; the next call starts a new one",
                    status.calls,
                    if status.calls == 1 { "" } else { "s" }
                ),
            });
        }
        self.current = None;
        self.marks.clear();
    }

    fn info(&self) -> SessionInfo {
        match (&self.current, &self.edited) {
            (Some((_, session)), _) => SessionInfo::from_host(&session.status()),
            (None, Some(end)) => SessionInfo {
                state: SessionState::Ended,
                ended: Some(end.clone()),
                ..SessionInfo::none()
            },
            (None, None) => SessionInfo::none(),
        }
    }
}

impl Session {
    /// Runs one call in the live session, making its instance first if
    /// there is none (or the composition changed since).
    pub async fn session_call(
        &self,
        request: SessionCallRequest,
    ) -> Result<SessionCalled, ApiError> {
        let limits = request.limits.to_host()?;
        let ws = self.workspace(&request.doc)?;
        let key = run_key(&request.doc, &ws, request.traced);
        let mut slot = self.instance.lock().await;
        slot.follow(&key);
        slot.edited = None;
        let current = match slot.current.take() {
            Some(current) => current,
            None => {
                slot.marks.clear();
                let runnable = self
                    .runnable(ws, key.clone(), request.traced, &request.call)
                    .await?;
                (key, self.host.session(runnable))
            }
        };
        let (_, session) = slot.current.insert(current);
        let from = session.trace().len();
        let report = match self.host.call_in(session, &request.call, &limits).await {
            Ok(report) => {
                let mark = CallMark {
                    run: report.run,
                    call: request.call.clone(),
                    from,
                    to: session.trace().len(),
                };
                slot.marks.push(mark);
                Some(RunReport::from_host(&report, request.limits))
            }
            Err(_) => {
                slot.marks.clear();
                None
            }
        };
        Ok(SessionCalled {
            report,
            session: slot.info(),
        })
    }

    /// The live session as it is now for this document: ended, and said
    /// so, when the document's composition is not the session's.
    pub async fn session_status(&self, request: SessionRequest) -> Result<SessionInfo, ApiError> {
        let ws = self.workspace(&request.doc)?;
        let key = run_key(&request.doc, &ws, request.traced);
        let mut slot = self.instance.lock().await;
        slot.follow(&key);
        Ok(slot.info())
    }

    /// What a run of this document depends on, as a key: the same for two
    /// documents whose runs cannot differ (moving a node keeps it), another
    /// after an edit of the composition, its bindings or a component file.
    /// The run panel keeps the key of each run and marks the result stale
    /// when the document's key is no longer the run's.
    pub async fn composition_key(&self, request: SessionRequest) -> Result<String, ApiError> {
        let ws = self.workspace(&request.doc)?;
        Ok(run_key(&request.doc, &ws, request.traced))
    }

    /// Whether a preset can be saved in the project as it is (the project
    /// file's rule, [`patchbay_project::check_preset`]): the run form asks
    /// before it adds one.
    pub async fn check_preset(&self, request: PresetEntry) -> Result<Verdict, ApiError> {
        Ok(
            match patchbay_project::check_preset(&request.function, &request.name, &request.args) {
                Ok(()) => Verdict::ok(),
                Err(reason) => Verdict::refused(reason),
            },
        )
    }

    /// Drops the session's instance and everything it held: the next call
    /// makes a new one.
    pub async fn session_reset(&self, _request: Empty) -> Result<SessionInfo, ApiError> {
        let mut slot = self.instance.lock().await;
        *slot = Instance::default();
        Ok(slot.info())
    }

    /// Empties the session's mock call log, trace and fake state, keeping
    /// its instance.
    pub async fn session_clear(&self, _request: Empty) -> Result<SessionInfo, ApiError> {
        let mut slot = self.instance.lock().await;
        if let Some((_, session)) = &mut slot.current {
            session.clear();
        }
        slot.marks.clear();
        Ok(slot.info())
    }

    /// Every call across a wire the live session recorded since it began
    /// (or was cleared), grouped by the call that made it, in call order:
    /// the Trace tab's view of the session. Empty with no live session.
    pub async fn session_trace(&self, _request: Empty) -> Result<SessionTrace, ApiError> {
        let slot = self.instance.lock().await;
        let entries = slot.current.as_ref().map_or(&[][..], |(_, s)| s.trace());
        let calls = slot
            .marks
            .iter()
            .map(|m| CallTrace {
                run: m.run,
                call: m.call.clone(),
                entries: entries
                    .get(m.from.min(entries.len())..m.to.min(entries.len()))
                    .unwrap_or_default()
                    .iter()
                    .map(TraceEntry::from)
                    .collect(),
            })
            .collect();
        Ok(SessionTrace { calls })
    }
}
