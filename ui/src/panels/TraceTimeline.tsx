/**
 * The last traced run as a timeline: one row per call across a wire, in the
 * order the calls started, each with a bar placed on the run's time axis
 * (so a call made while another is running sits inside it). Clicking a row
 * focuses that wire.
 */
import { useStore } from '../store';
import { EmptyState } from './common';
import { formatMicros, wireIndexOf } from './text';

export function TraceTimeline() {
  const lastRun = useStore((s) => s.lastRun);
  const doc = useStore((s) => s.doc);
  const focusLocation = useStore((s) => s.focusLocation);

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
  const calls = [...lastRun.trace].sort((a, b) => a.startMicros - b.startMicros);
  const axis = timeAxis(calls);
  const total = lastRun.trace.reduce((sum, t) => sum + t.micros, 0);
  return (
    <section className="pbp-panel" aria-label="Trace">
      <div className="pbp-summary">
        <span>
          {lastRun.trace.length} call{lastRun.trace.length === 1 ? '' : 's'} across wires, {formatMicros(total)} in
          callees, run took {formatMicros(lastRun.micros)}
        </span>
      </div>
      <table className="pbp-trace">
        <thead>
          <tr>
            <th scope="col">caller → callee</th>
            <th scope="col">call</th>
            <th scope="col">result</th>
            <th scope="col" className="pbp-trace-time" title="Each bar spans the call on the run's clock">
              {formatMicros(axis.from)} – {formatMicros(axis.from + axis.span)}
            </th>
          </tr>
        </thead>
        <tbody>
          {calls.map((t, i) => {
            const index = doc ? wireIndexOf(doc, t) : -1;
            const wire = index >= 0 && doc ? doc.wires[index] : null;
            const focus = () => {
              if (!wire) return;
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
                title={wire ? `Show wire #${index + 1} on the canvas` : 'No wire in the document matches this call'}
              >
                <td className="pbp-nowrap">
                  <code>{t.caller}</code> → <code>{t.callee}</code>
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
        </tbody>
      </table>
    </section>
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
