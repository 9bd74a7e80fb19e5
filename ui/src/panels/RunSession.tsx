/**
 * The run panel's live session: one instance of the composition that
 * successive runs share. Shows calls made, the instance's age, linear
 * memory in use and what the session has recorded; Reset starts a new
 * instance, Clear empties the mock calls, trace and fake state. The
 * backend decides when a session ends (an edit of the composition, a
 * failure inside the guest); this shows what it reports.
 */
import { useEffect, useState } from 'react';
import { useStore } from '../store';
import type { SessionInfo } from '../store/backend';
import { formatAge, formatBytes, SESSION_STATUS_DELAY_MS } from './sessionText';
import './RunSession.css';

export function SessionBar() {
  const session = useStore((s) => s.session);
  const sessionAt = useStore((s) => s.sessionAt);
  const fresh = useStore((s) => s.freshPerCall);
  const doc = useStore((s) => s.doc);
  const running = useStore((s) => s.running);
  const refreshSession = useStore((s) => s.refreshSession);
  const resetSession = useStore((s) => s.resetSession);
  const clearSession = useStore((s) => s.clearSession);
  const setFreshPerCall = useStore((s) => s.setFreshPerCall);
  const live = session?.state === 'live';

  // After an edit (and when the panel shows), ask whether the session
  // still runs this composition.
  useEffect(() => {
    if (fresh || !live) return;
    const timer = setTimeout(() => void refreshSession(), SESSION_STATUS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, live, fresh, refreshSession]);

  const now = useNow(live && !fresh);

  return (
    <div className="pbp-session" role="group" aria-label="Session">
      <div className="pbp-session-row">
        <span className="pbp-label">Session</span>
        <label className="pbp-session-row">
          <input
            type="checkbox"
            role="switch"
            className="nodrag nokey"
            checked={fresh}
            onChange={(e) => setFreshPerCall(e.target.checked)}
          />
          Fresh instance per call
        </label>
      </div>
      {fresh ? (
        <div className="pbp-muted">Every run gets a new instance: nothing is kept between calls.</div>
      ) : (
        <SessionState
          session={session}
          age={session?.ageMs == null ? null : session.ageMs + Math.max(0, now - sessionAt)}
          busy={running}
          onReset={() => void resetSession()}
          onClear={() => void clearSession()}
        />
      )}
    </div>
  );
}

function SessionState({
  session,
  age,
  busy,
  onReset,
  onClear,
}: {
  session: SessionInfo | null;
  age: number | null;
  busy: boolean;
  onReset: () => void;
  onClear: () => void;
}) {
  if (!session || session.state === 'none') {
    return <div className="pbp-muted">No live instance yet: the next run starts one, and later runs share it.</div>;
  }
  if (session.state === 'ended') {
    const ended = session.ended;
    const edited = ended?.cause === 'edited';
    return (
      <div className="pbp-session-ended pbp-failure" role="alert">
        <div className="pbp-failure-title">{edited ? 'Session ended: the composition changed' : 'Session ended'}</div>
        <div className="pbp-failure-message">{ended?.message}</div>
        <button type="button" className="pbp-btn" disabled={busy} onClick={onReset}>
          New session
        </button>
      </div>
    );
  }
  const recorded = [
    session.mockCalls ? `${session.mockCalls} mock call${session.mockCalls === 1 ? '' : 's'}` : null,
    session.traceEntries ? `${session.traceEntries} wire call${session.traceEntries === 1 ? '' : 's'}` : null,
    session.fakeEntries ? `${session.fakeEntries} fake entr${session.fakeEntries === 1 ? 'y' : 'ies'}` : null,
  ].filter((x) => x !== null);
  return (
    <div className="pbp-session-row">
      <dl className="pbp-session-facts">
        <div>
          <dt>Calls</dt>
          <dd aria-label="Calls made">{session.calls}</dd>
        </div>
        <div>
          <dt>Age</dt>
          <dd aria-label="Instance age">{age === null ? '–' : formatAge(age)}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd aria-label="Memory in use">{formatBytes(session.memoryBytes)}</dd>
        </div>
        {recorded.length > 0 && (
          <div>
            <dt>Recorded</dt>
            <dd>{recorded.join(', ')}</dd>
          </div>
        )}
      </dl>
      <button
        type="button"
        className="pbp-btn"
        disabled={busy}
        onClick={onReset}
        title="Drop this instance; the next run starts a new one"
      >
        Reset
      </button>
      <button
        type="button"
        className="pbp-btn"
        disabled={busy || recorded.length === 0}
        onClick={onClear}
        title="Empty the mock calls, trace and fake state, keeping the instance"
      >
        Clear records
      </button>
    </div>
  );
}

/** The time now, ticking every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
