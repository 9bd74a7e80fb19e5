/**
 * What the guest printed: live while a run is going (from the backend's
 * `output` events), then the captured stdout and stderr of the last run.
 * Requests answered while serving are listed too, and so are the builds the
 * file watcher ran (running, or finished with their output).
 */
import { useStore } from '../store';
import type { BuildStatus, LiveEvent } from '../store';
import type { LogLine } from '../bindings/types';
import { EmptyState, Mark, Spinner } from './common';
import { OutputBlock } from './RunPanel';
import { formatMicros } from './text';
import { LogLines } from './LogLines';

/** Output and log events since the last `runStarted`. */
function liveOutput(events: LiveEvent[]): { stdout: string; stderr: string; logs: LogLine[]; call: string | null } {
  let start = 0;
  let call: string | null = null;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i].event;
    if (e.kind === 'runStarted') {
      start = i + 1;
      call = e.call;
      break;
    }
  }
  let stdout = '';
  let stderr = '';
  const logs: LogLine[] = [];
  for (const { event } of events.slice(start)) {
    if (event.kind === 'log') logs.push(event.line);
    if (event.kind !== 'output') continue;
    if (event.stream === 'stdout') stdout += event.text;
    else stderr += event.text;
  }
  return { stdout, stderr, logs, call };
}

/** The watcher's builds, one per component: running, or how it ended. */
function Builds({ builds }: { builds: BuildStatus[] }) {
  if (builds.length === 0) return null;
  return (
    <div className="pbp-builds" aria-label="Builds">
      {builds.map((b) => (
        <div key={b.component}>
          <div className="pbp-summary pbp-summary-line">
            {b.running || !b.finished ? (
              <>
                <Spinner label="Building" /> <span>Building <code>{b.component}</code>…</span>
              </>
            ) : (
              <>
                <span className={b.finished.success ? 'pbp-badge pbp-badge-ok' : 'pbp-badge pbp-badge-fail'}>
                  {b.finished.success ? '✓ built' : <><Mark kind="error" /> build failed</>}
                </span>
                <code className="pbp-ellipsis">{b.component}</code>
                <span className="pbp-muted">
                  {b.finished.success ? '' : `${b.finished.ended}; the last good build stays · `}
                  {(b.finished.millis / 1000).toFixed(1)} s
                </span>
              </>
            )}
          </div>
          <OutputBlock title={`build output of ${b.component}`} text={b.finished?.output ?? ''} error={!b.finished?.success} />
        </div>
      ))}
    </div>
  );
}

export function OutputPanel() {
  const running = useStore((s) => s.running);
  const lastRun = useStore((s) => s.lastRun);
  const lastCall = useStore((s) => s.lastCall);
  const liveEvents = useStore((s) => s.liveEvents);
  const serving = useStore((s) => s.serving);
  const builds = useStore((s) => s.builds);
  const buildList = Object.values(builds).reverse();

  const served = serving
    ? liveEvents.filter((e): e is LiveEvent & { event: { kind: 'served' } } => e.event.kind === 'served').slice(-50)
    : [];

  let body;
  if (running) {
    const live = liveOutput(liveEvents);
    body = (
      <>
        <div className="pbp-summary">
          <Spinner label="Running" /> <span>Running <code>{live.call ?? lastCall}</code>…</span>
        </div>
        <OutputBlock title="stdout" text={live.stdout} />
        <OutputBlock title="stderr" text={live.stderr} error />
        <LogLines lines={live.logs} />
        {!live.stdout && !live.stderr && live.logs.length === 0 && <div className="pbp-muted">No output yet.</div>}
      </>
    );
  } else if (lastRun) {
    body = (
      <>
        <div className="pbp-summary pbp-summary-line">
          <span className={lastRun.ok ? 'pbp-badge pbp-badge-ok' : 'pbp-badge pbp-badge-fail'}>
            {lastRun.ok ? (
              '✓ ok'
            ) : (
              <>
                <Mark kind="error" /> {lastRun.failure?.kind ?? 'failed'}
              </>
            )}
          </span>
          <code className="pbp-ellipsis">{lastRun.call}</code>
          <span className="pbp-muted">{formatMicros(lastRun.micros)}</span>
        </div>
        <OutputBlock title="stdout" text={lastRun.stdout} />
        <OutputBlock title="stderr" text={lastRun.stderr} error />
        <LogLines lines={lastRun.logs ?? []} />
        {!lastRun.stdout && !lastRun.stderr && (lastRun.logs ?? []).length === 0 && <div className="pbp-muted">The last run printed nothing.</div>}
        {lastRun.denials.length > 0 && (
          <ul className="pbp-denials">
            {lastRun.denials.map((d, i) => (
              <li key={i} className="pbp-denied">
                <Mark kind="error" /> {d.nodes.join(', ')}: <code>{d.interface}#{d.function}</code> denied
              </li>
            ))}
          </ul>
        )}
        {lastRun.scope.length > 0 && (
          <ul className="pbp-denials" aria-label="Scope">
            {lastRun.scope.map((l, i) => (
              <li key={i} className={l.refused ? 'pbp-denied' : undefined}>
                {l.nodes.join(', ') || 'the composition'}: <code>{l.interface}</code> {l.message}
              </li>
            ))}
          </ul>
        )}
      </>
    );
  } else if (buildList.length === 0) {
    body = <EmptyState>Run an export to see what it prints.</EmptyState>;
  }

  return (
    <section className="pbp-panel" aria-label="Output">
      <Builds builds={buildList} />
      {body}
      {serving && (
        <div className="pbp-served">
          <div className="pbp-section-title">
            Requests to <code>{serving.url}</code>
          </div>
          {served.length === 0 ? (
            <div className="pbp-muted">None yet.</div>
          ) : (
            <table className="pbp-table">
              <tbody>
                {served.map(({ id, event }) => (
                  <tr key={id}>
                    <td>
                      <code>{event.method}</code>
                    </td>
                    <td>
                      <code>{event.path}</code>
                    </td>
                    <td className={event.status >= 400 ? 'pbp-denied' : undefined}>{event.status}</td>
                    <td className="pbp-muted">{formatMicros(event.micros)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
