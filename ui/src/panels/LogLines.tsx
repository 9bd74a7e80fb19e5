/**
 * The `wasi:logging` lines of a run, as the host reports them (typed: the
 * nodes that logged, level, context, message), each level shown as a
 * badge, with a filter that hides the levels below the one picked.
 */
import { useState } from 'react';
import './LogLines.css';
import type { LogLevel, LogLine } from '../bindings/types';

/** The levels from the least to the most severe. */
const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'];

export function LogLines({ lines }: { lines: readonly LogLine[] }) {
  const [least, setLeast] = useState<LogLevel>('TRACE');
  if (lines.length === 0) return null;
  const from = LEVELS.indexOf(least);
  const shown = lines.filter((l) => LEVELS.indexOf(l.level) >= from);
  const multiNode = lines.some((l) => l.nodes.length !== lines[0].nodes.length || l.nodes.join() !== lines[0].nodes.join());
  return (
    <div className="pbp-log-lines">
      <div className="pbp-log-head">
        <span className="pbp-section-title">Log</span>
        <label>
          Show{' '}
          <select aria-label="Log level" value={least} onChange={(e) => setLeast(e.target.value as LogLevel)}>
            {LEVELS.map((level, i) => (
              <option key={level} value={level}>
                {i === 0 ? 'every level' : `${level} and above`}
              </option>
            ))}
          </select>
        </label>
        <span className="pbp-muted">
          {shown.length === lines.length ? `${lines.length} line${lines.length === 1 ? '' : 's'}` : `${shown.length} of ${lines.length} lines`}
        </span>
      </div>
      <table className="pbp-table pbp-log" aria-label="Log">
        <tbody>
          {shown.map((l, i) => (
            <tr key={i} className={`pbp-log-${l.level.toLowerCase()}`}>
              <td>
                <span className="pbp-log-level">{l.level}</span>
              </td>
              {multiNode && <td className="pbp-muted">{l.nodes.join(', ')}</td>}
              <td className="pbp-muted">{l.context}</td>
              <td>{l.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
