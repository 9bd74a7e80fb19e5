/**
 * The run history: every call made in the project (its WAVE call text,
 * result or failure, time, duration, composed or traced, session or fresh
 * instance), pinned entries first and kept past the limit. Each can be run
 * again, pinned, or copied as the `patchbay call` command line that makes
 * the same call (with a session's earlier calls, on the saved project).
 */
import { useStore } from '../store';
import { callCommandLine, orderedHistory, RUN_HISTORY_LIMIT, type RunHistoryEntry } from '../store/runHistory';
import { CopyButton } from './common';
import { formatMicros } from './text';

export function RunHistory() {
  const history = useStore((s) => s.runHistory);
  const docKey = useStore((s) => s.docRunKey);
  const running = useStore((s) => s.running);
  const rerun = useStore((s) => s.rerunEntry);
  const pin = useStore((s) => s.pinRun);
  const clear = useStore((s) => s.clearRunHistory);
  if (history.length === 0) return null;
  const entries = orderedHistory(history);
  const unpinned = history.filter((e) => !e.pinned).length;
  return (
    <div className="pbp-history" role="region" aria-label="Run history">
      <div className="pbp-history-head">
        <span className="pbp-section-title">History ({history.length})</span>
        <span className="pbp-muted">the last {RUN_HISTORY_LIMIT} calls are kept, and every pinned one</span>
        <button type="button" className="pbp-btn pbp-btn-small" disabled={unpinned === 0} onClick={clear}>
          Clear unpinned
        </button>
      </div>
      <ol className="pbp-history-list">
        {entries.map((e) => (
          <HistoryRow
            key={e.run}
            entry={e}
            stale={e.key !== null && docKey !== null && e.key !== docKey}
            running={running}
            onRerun={() => void rerun(e.run)}
            onPin={() => pin(e.run, !e.pinned)}
          />
        ))}
      </ol>
    </div>
  );
}

function HistoryRow({
  entry: e,
  stale,
  running,
  onRerun,
  onPin,
}: {
  entry: RunHistoryEntry;
  stale: boolean;
  running: boolean;
  onRerun: () => void;
  onPin: () => void;
}) {
  const command = callCommandLine(e);
  const outcome = e.ok ? (e.result ?? 'returned nothing') : `${e.failure?.kind ?? 'failed'}: ${e.failure?.message ?? ''}`;
  const commandTitle = [
    e.unsaved ? 'This run used unsaved edits; the command runs patchbay.toml as saved.' : null,
    e.session && e.replay.length > 1 ? `Replays the session's ${e.replay.length} calls on one instance.` : null,
    e.session && !e.replayComplete
      ? 'The session had calls this panel did not see: the command makes this call alone, on a new instance.'
      : null,
    command,
  ]
    .filter((x) => x !== null)
    .join('\n');
  return (
    <li
      className={['pbp-history-entry', e.pinned ? 'pbp-history-pinned' : '', stale ? 'pbp-run-stale' : ''].join(' ').trim()}
      aria-label={`Run ${e.run}`}
    >
      <div className="pbp-history-line">
        <span className="pbp-muted">#{e.run}</span>
        <span className={e.ok ? 'pbp-badge pbp-badge-ok' : 'pbp-badge pbp-badge-fail'}>{e.ok ? 'ok' : 'failed'}</span>
        <code className="pbp-ellipsis" title={e.call}>
          {e.call}
        </code>
      </div>
      <div className="pbp-history-line">
        <code className={e.ok ? 'pbp-ellipsis' : 'pbp-ellipsis pbp-denied'} title={outcome} aria-label="Outcome">
          {outcome}
        </code>
      </div>
      <div className="pbp-history-line pbp-muted">
        <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleTimeString()}</time>
        <span>{formatMicros(e.micros)}</span>
        <span>{e.mode}</span>
        <span>{e.session ? 'session' : 'fresh instance'}</span>
        {stale && <span title="The graph or its bindings changed since this ran">before your last edit</span>}
      </div>
      <div className="pbp-history-line">
        <button type="button" className="pbp-btn pbp-btn-small" disabled={running} onClick={onRerun} aria-label={`Re-run #${e.run}`}>
          Re-run
        </button>
        <button
          type="button"
          className="pbp-btn pbp-btn-small"
          aria-pressed={e.pinned}
          onClick={onPin}
          aria-label={`${e.pinned ? 'Unpin' : 'Pin'} #${e.run}`}
        >
          {e.pinned ? 'Unpin' : 'Pin'}
        </button>
        <CopyButton
          text={command}
          label="Copy command"
          name={`Copy #${e.run} as a patchbay call command`}
          title={commandTitle}
        />
      </div>
    </li>
  );
}
