/**
 * The `wasi:logging` lines of a run's output with their level as a badge,
 * so warnings and errors stand out from the rest of the output.
 */
import './LogLines.css';
import { logLines } from './logLines';

export function LogLines({ text }: { text: string }) {
  const lines = logLines(text);
  if (lines.length === 0) return null;
  return (
    <table className="pbp-table pbp-log" aria-label="Log">
      <tbody>
        {lines.map((l, i) => (
          <tr key={i} className={`pbp-log-${l.level.toLowerCase()}`}>
            <td>
              <span className="pbp-log-level">{l.level}</span>
            </td>
            <td className="pbp-muted">{l.context}</td>
            <td>{l.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
