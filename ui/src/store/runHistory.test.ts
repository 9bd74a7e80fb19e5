import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './runtime';
import {
  addToHistory,
  callCommandLine,
  orderedHistory,
  sessionReplay,
  shellQuote,
  type RunHistoryEntry,
} from './runHistory';

function entry(run: number, pinned = false): RunHistoryEntry {
  return {
    run,
    call: `f(${run})`,
    ok: true,
    result: String(run),
    failure: null,
    at: run * 1000,
    micros: 10,
    mode: 'traced',
    session: true,
    replay: [`f(${run})`],
    replayComplete: true,
    limits: DEFAULT_LIMITS,
    projectDir: '/p',
    unsaved: false,
    key: 'k',
    pinned,
  };
}

describe('run history', () => {
  it('keeps the newest unpinned entries and every pinned one, pinned first', () => {
    let h: RunHistoryEntry[] = [];
    h = addToHistory(h, entry(1, true), 3);
    for (let run = 2; run <= 7; run++) h = addToHistory(h, entry(run), 3);
    expect(h.map((e) => e.run)).toEqual([7, 6, 5, 1]);
    expect(orderedHistory(h).map((e) => e.run)).toEqual([1, 7, 6, 5]);
  });

  it('replays a session only when the backend counted the same calls', () => {
    expect(sessionReplay([], 'a()', 1)).toEqual({ replay: ['a()'], complete: true });
    expect(sessionReplay(['a()'], 'b()', 2)).toEqual({ replay: ['a()', 'b()'], complete: true });
    // A new instance (the composition changed): only this call.
    expect(sessionReplay(['a()', 'b()'], 'c()', 1)).toEqual({ replay: ['c()'], complete: true });
    // Calls this panel did not see.
    expect(sessionReplay(['a()'], 'b()', 5)).toEqual({ replay: ['b()'], complete: false });
    // The call ended the session: what was seen is what ran.
    expect(sessionReplay(['a()'], 'b()', null)).toEqual({ replay: ['a()', 'b()'], complete: true });
  });

  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('/home/me/kv-service')).toBe('/home/me/kv-service');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('get("a b")')).toBe(`'get("a b")'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME `x` \\')).toBe("'$HOME `x` \\'");
  });

  it('writes the limits, traced mode, folder and calls as the CLI takes them', () => {
    expect(
      callCommandLine({ replay: ['set("a")', 'get("a")'], call: 'get("a")', limits: DEFAULT_LIMITS, projectDir: '/my project' }),
    ).toBe(
      `patchbay call --traced --timeout-ms 5000 --max-memory-mib 64 --max-output-kib 256 '/my project' 'set("a")' 'get("a")'`,
    );
    expect(
      callCommandLine({ replay: [], call: 'run-all()', limits: { ...DEFAULT_LIMITS, fuel: 9 }, projectDir: '/p' }),
    ).toBe(`patchbay call --traced --timeout-ms 5000 --max-memory-mib 64 --fuel 9 --max-output-kib 256 /p 'run-all()'`);
  });
});
