// The run panel's memory: the arguments typed for each function, the
// history of calls (pinned ones first, kept past the limit) and each call
// as a `patchbay call` command line. Plain data and functions; the run
// slice holds the state.

import type { RunFailure, RunLimits, RunMode } from './backend';

/** The most unpinned calls the history keeps. */
export const RUN_HISTORY_LIMIT = 30;

/** The most earlier session calls a copied command line replays. */
export const MAX_REPLAYED_CALLS = 50;

/** What the form held for one function, kept across edits. */
export type SavedArgs = {
  /** The function's signature when they were typed: another one drops them. */
  signature: string;
  mode: 'form' | 'wave';
  /** The arguments as WAVE, without the parentheses. */
  text: string;
};

/** One call in the run history. */
export type RunHistoryEntry = {
  /** The run's number in the project. */
  run: number;
  call: string;
  ok: boolean;
  result: string | null;
  failure: RunFailure | null;
  /** When it ran (ms since the epoch). */
  at: number;
  micros: number;
  mode: RunMode;
  /** Ran in the live session (earlier calls' state visible), or a fresh instance. */
  session: boolean;
  /** The session's calls up to and including this one, oldest first (just
   *  this call for a fresh instance): what a command line replays. */
  replay: string[];
  /** False when the session had earlier calls this panel did not see (the
   *  command line then makes this call alone, on a new instance). */
  replayComplete: boolean;
  limits: RunLimits;
  /** The project folder it ran in, and whether the document had unsaved edits. */
  projectDir: string | null;
  unsaved: boolean;
  /** The backend's composition key of the document it ran. */
  key: string | null;
  pinned: boolean;
};

/** The form-memory key of a function: its node, export and function. */
export function argsKey(node: string | null, exportName: string, fn: string): string {
  return `${node ?? '?'}\u0000${exportName}\u0000${fn}`;
}

/** Adds the newest entry, keeping every pinned one and the newest unpinned ones. */
export function addToHistory(history: RunHistoryEntry[], entry: RunHistoryEntry, limit = RUN_HISTORY_LIMIT): RunHistoryEntry[] {
  const next = [entry, ...history];
  let unpinned = 0;
  return next.filter((e) => e.pinned || ++unpinned <= limit);
}

/** Pinned entries first (newest first), then the rest, newest first. */
export function orderedHistory(history: RunHistoryEntry[]): RunHistoryEntry[] {
  return [...history.filter((e) => e.pinned), ...history.filter((e) => !e.pinned)];
}

/** Quotes one word for a POSIX shell: as is when it is plain, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `patchbay call` command line that makes the entry's call again: the
 * same limits, traced as the run panel runs, and for a session call the
 * session's earlier calls first (they share one instance there too). It
 * runs the project as saved on disk.
 */
export function callCommandLine(entry: Pick<RunHistoryEntry, 'replay' | 'call' | 'limits' | 'projectDir'>): string {
  const calls = entry.replay.length > 0 ? entry.replay : [entry.call];
  const l = entry.limits;
  const words = [
    'patchbay',
    'call',
    '--traced',
    '--timeout-ms',
    String(l.timeoutMs),
    '--max-memory-mib',
    String(l.maxMemoryMib),
    ...(l.fuel === null ? [] : ['--fuel', String(l.fuel)]),
    '--max-output-kib',
    String(l.maxOutputKib),
    entry.projectDir ?? '.',
    ...calls,
  ];
  return words.map(shellQuote).join(' ');
}

/** The calls a session call replays, given the session's calls before it
 *  as this panel saw them and the backend's count after it (null when the
 *  call ended the session): complete when the counts agree. */
export function sessionReplay(
  earlier: string[],
  call: string,
  callsInSession: number | null,
): { replay: string[]; complete: boolean } {
  const all = callsInSession === 1 ? [call] : [...earlier, call];
  const complete = (callsInSession === null || all.length === callsInSession) && all.length <= MAX_REPLAYED_CALLS;
  return complete ? { replay: all, complete } : { replay: [call], complete };
}
