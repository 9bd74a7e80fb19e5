/**
 * Reads the `wasi:logging` lines of a run's output. The host writes each
 * message to the run's stderr as `[LEVEL context] message`
 * (`crates/patchbay-host/src/caps/logging.rs`).
 */

/** The levels of `wasi:logging`, as the host writes them. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL';

export type LogLine = { level: LogLevel; context: string; message: string };

const LINE = /^\[(TRACE|DEBUG|INFO|WARN|ERROR|CRITICAL)(?: ([^\]]*))?\] (.*)$/;

/** The log lines of `text`, in order; other lines are left out. */
export function logLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) out.push({ level: m[1] as LogLevel, context: m[2] ?? '', message: m[3] });
  }
  return out;
}
