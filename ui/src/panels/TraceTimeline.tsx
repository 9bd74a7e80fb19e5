/**
 * Calls across wires as a timeline: one row per call, in the order the
 * calls started, each with a bar placed on its run's time axis (so a call
 * made while another is running sits inside it). Clicking a row focuses
 * that wire.
 *
 * With a live session (runs share one instance) it shows the session's
 * trace as the backend keeps it: every call of the session, grouped under
 * the call that made it, until Clear (here or in the Run panel) or Reset.
 * With a fresh instance per call it shows the last run's.
 */
import { useEffect, useState } from 'react';
import type { CallTrace, Location, ProjectDoc, TraceEntry } from '../bindings/types';
import { useStore } from '../store';
import { EmptyState } from './common';
import { commands, errorText } from '../store/backend';
import { formatMicros } from './text';
import { nodePathText, traceTarget } from './traceInside';

export function TraceTimeline() {
  const lastRun = useStore((s) => s.lastRun);
  const session = useStore((s) => s.session);
  const sessionAt = useStore((s) => s.sessionAt);
  const freshPerCall = useStore((s) => s.freshPerCall);
  const live = !freshPerCall && session?.state === 'live';
  const calls = useSessionTrace(live, `${sessionAt}:${lastRun?.run ?? 0}`);

  if (live && calls && calls.length > 0) return <SessionTrace calls={calls} />;
  if (!freshPerCall && session?.state === 'none' && lastRun) {
    return <EmptyState>The session was reset: the next run starts a new one, and its calls across wires show here.</EmptyState>;
  }
  if (!lastRun) return <EmptyState>Run an export to see the calls across each wire.</EmptyState>;
  if (lastRun.trace.length === 0) {
    return (
      <EmptyState>
        {lastRun.mode === 'traced'
          ? 'No calls crossed a wire in the last run.'
          : `Last run: ${lastRun.modeReason}. Calls across wires are recorded only in traced runs.`}
      </EmptyState>
    );
  }
  const total = lastRun.trace.reduce((sum, t) => sum + t.micros, 0);
  return (
    <section className="pbp-panel" aria-label="Trace">
      <div className="pbp-summary">
        <span>
          {lastRun.trace.length} call{lastRun.trace.length === 1 ? '' : 's'} across wires, {formatMicros(total)} in
          callees, run took {formatMicros(lastRun.micros)}
        </span>
      </div>
      <TraceTable groups={[{ key: 'last', title: null, entries: lastRun.trace }]} />
    </section>
  );
}

/** The live session's trace from the backend, asked again whenever `when`
 * changes (a run finished, the session was cleared or reset). */
function useSessionTrace(live: boolean, when: string): CallTrace[] | null {
  const toast = useStore((s) => s.toast);
  const [calls, setCalls] = useState<CallTrace[] | null>(null);
  useEffect(() => {
    if (!live) return;
    let current = true;
    commands.sessionTrace({}).then(
      (trace) => current && setCalls(trace.calls),
      (e: unknown) => current && toast(errorText(e), 'error'),
    );
    return () => {
      current = false;
    };
  }, [live, when, toast]);
  return live ? calls : null;
}

/** Every call of the session with the wire calls it made, and Clear. */
function SessionTrace({ calls }: { calls: CallTrace[] }) {
  const clearSession = useStore((s) => s.clearSession);
  const entries = calls.reduce((n, c) => n + c.entries.length, 0);
  return (
    <section className="pbp-panel" aria-label="Trace">
      <div className="pbp-summary pbp-summary-line">
        <span>
          Session: {calls.length} call{calls.length === 1 ? '' : 's'}, {entries} across wires
        </span>
        <button type="button" className="pbp-button" onClick={() => void clearSession()} title="Empty the session's trace, mock calls and fakes, keeping its instance">
          Clear
        </button>
      </div>
      <TraceTable
        groups={calls.map((c) => ({ key: String(c.run), title: `#${c.run} ${c.call}`, entries: c.entries }))}
      />
    </section>
  );
}

type Group = { key: string; title: string | null; entries: readonly TraceEntry[] };

/** The rows of each group under its title, each group on its own time axis. */
function TraceTable({ groups }: { groups: Group[] }) {
  const doc = useStore((s) => s.doc);
  const focusLocation = useStore((s) => s.focusLocation);
  const all = groups.flatMap((g) => g.entries);
  const axis = timeAxis(all);
  return (
    <table className="pbp-trace">
      <thead>
        <tr>
          <th scope="col">caller → callee</th>
          <th scope="col">call</th>
          <th scope="col">result</th>
          <th scope="col" className="pbp-trace-time" title="Each bar spans the call on its run's clock">
            {groups.length === 1 ? `${formatMicros(axis.from)} – ${formatMicros(axis.from + axis.span)}` : 'time in its run'}
          </th>
        </tr>
      </thead>
      {groups.map((g) => (
        <tbody key={g.key} aria-label={g.title ?? undefined}>
          {g.title !== null && (
            <tr className="pbp-trace-call-head">
              <th scope="rowgroup" colSpan={4}>
                <code>{g.title}</code>
                {g.entries.length === 0 && <span className="pbp-muted"> · no calls across wires</span>}
              </th>
            </tr>
          )}
          <Rows entries={g.entries} doc={doc} focusLocation={focusLocation} />
        </tbody>
      ))}
    </table>
  );
}

function Rows({
  entries,
  doc,
  focusLocation,
}: {
  entries: readonly TraceEntry[];
  doc: ProjectDoc | null;
  focusLocation: (loc: Location) => void;
}) {
  const calls = [...entries].sort((a, b) => a.startMicros - b.startMicros);
  const axis = timeAxis(calls);
  return (
    <>
      {calls.map((t, i) => {
        // Inside composites the row leads into the one that holds the wire.
        const target = doc ? traceTarget(doc, t) : null;
        const index = target?.index ?? -1;
        const wire = target?.wire ?? null;
        const focus = () => {
          if (!wire) return;
          useStore.getState().enterPath(target!.steps);
          focusLocation({
            kind: 'wire',
            index,
            from: `${wire.from.node}.${wire.from.port}`,
            to: `${wire.to.node}.${wire.to.port}`,
          });
        };
        return (
          <tr
            key={i}
            className={wire ? 'pbp-trace-row pbp-clickable' : 'pbp-trace-row'}
            onClick={focus}
            tabIndex={wire ? 0 : undefined}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                focus();
              }
            }}
            title={
              wire
                ? `Show wire #${index + 1}${target!.steps.length ? ` inside ${target!.steps.map((x) => x.node).join(' › ')}` : ''} on the canvas`
                : 'No wire in the document matches this call'
            }
          >
            <td className="pbp-nowrap">
              <code>{nodePathText(doc, t.caller)}</code> → <code>{nodePathText(doc, t.callee)}</code>
            </td>
            <td className="pbp-trace-call">
              <code>
                {t.function}({t.args.join(', ')})
              </code>
            </td>
            <td>
              <code>{t.result}</code>
            </td>
            <td className="pbp-trace-time">
              <div className="pbp-bar-track" title={`started at ${formatMicros(t.startMicros)}`}>
                <div className="pbp-bar" style={barStyle(axis, t)} />
              </div>
              <span className="pbp-nowrap">{formatMicros(t.micros)}</span>
            </td>
          </tr>
        );
      })}
    </>
  );
}

/** The stretch of the run's clock that the calls cover. */
function timeAxis(calls: readonly { startMicros: number; micros: number }[]): { from: number; span: number } {
  if (calls.length === 0) return { from: 0, span: 1 };
  const from = Math.min(...calls.map((t) => t.startMicros));
  const to = Math.max(...calls.map((t) => t.startMicros + t.micros));
  return { from, span: Math.max(1, to - from) };
}

/** Where a call's bar sits on the axis, in percent; at least 1% wide so short calls stay visible. */
function barStyle(
  axis: { from: number; span: number },
  t: { startMicros: number; micros: number },
): { marginLeft: string; width: string } {
  const left = Math.min(99, ((t.startMicros - axis.from) / axis.span) * 100);
  const width = Math.max(1, Math.min(100 - left, (t.micros / axis.span) * 100));
  return { marginLeft: `${left}%`, width: `${width}%` };
}
