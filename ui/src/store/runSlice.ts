// The run slice: running a call with its limits (in the live session, or a
// fresh instance per call), the session's state, serving, the last report
// and whether the document still runs what it ran (the backend's
// composition key), the run form's memory and the run history
// (runHistory.ts), the live events from the backend (the file watcher's go
// to liveSlice.ts) and the wires a call lit up.

import { commands, errorText, type ProjectDoc, type RunReport, type SessionInfo } from './backend';
import { addToHistory, sessionReplay, type RunHistoryEntry } from './runHistory';
import { wireId } from './doc';
import { isLiveEvent } from './liveSlice';
import { DEFAULT_LIMITS, LIVE_EVENT_LIMIT, WIRE_GLOW_MS } from './runtime';
import type { Slice, State, Store } from './types';

type RunState =
  | 'lastRun' | 'projectRuns' | 'running' | 'lastCall' | 'pendingCall' | 'limits' | 'session' | 'sessionAt'
  | 'freshPerCall' | 'serving' | 'activeWires' | 'liveEvents' | 'lastRunKey' | 'docRunKey' | 'runArgs'
  | 'runTarget' | 'runHistory' | 'sessionCalls';
type RunActions =
  | 'run' | 'rerunLast' | 'setRunReport' | 'setLimits' | 'setPendingCall' | 'refreshSession'
  | 'resetSession' | 'clearSession' | 'setFreshPerCall' | 'startServing' | 'stopServing'
  | 'handleEvent' | 'markWireActive' | 'refreshRunKey' | 'setRunArgs' | 'setRunTarget' | 'pinRun'
  | 'rerunEntry' | 'clearRunHistory';
export type RunSlice = Pick<Store, RunState | RunActions>;

export function runInitial(): Pick<State, RunState> {
  return {
    lastRun: null,
    projectRuns: 0,
    running: false,
    lastCall: null,
    pendingCall: null,
    limits: DEFAULT_LIMITS,
    session: null,
    sessionAt: 0,
    freshPerCall: false,
    serving: null,
    activeWires: {},
    liveEvents: [],
    lastRunKey: null,
    docRunKey: null,
    runArgs: {},
    runTarget: null,
    runHistory: [],
    sessionCalls: [],
  };
}

/** What a new project starts with: no runs, no remembered arguments. */
export function runMemoryInitial(): Pick<
  State,
  'lastRun' | 'projectRuns' | 'lastRunKey' | 'docRunKey' | 'runArgs' | 'runTarget' | 'runHistory' | 'sessionCalls'
> {
  return {
    lastRun: null,
    projectRuns: 0,
    lastRunKey: null,
    docRunKey: null,
    runArgs: {},
    runTarget: null,
    runHistory: [],
    sessionCalls: [],
  };
}

/** Whether the shown result is from before the last edit of what runs: the
 *  document's composition key (moving a node keeps it) is not the run's. */
export function resultIsStale(s: Pick<State, 'lastRun' | 'lastRunKey' | 'docRunKey'>): boolean {
  return s.lastRun !== null && s.lastRunKey !== null && s.docRunKey !== null && s.lastRunKey !== s.docRunKey;
}

/** The backend's key of what a run of `doc` depends on, or null when it cannot say. */
async function compositionKey(doc: ProjectDoc): Promise<string | null> {
  try {
    return (await commands.compositionKey({ doc, traced: true })) ?? null;
  } catch {
    // A document that does not build a workspace: analysis says why.
    return null;
  }
}

let eventSeq = 0;
let glowTimer: ReturnType<typeof setTimeout> | null = null;

export const createRunSlice: Slice<RunSlice> = (set, get) => ({
  ...runInitial(),

  async run(call) {
    const { doc, limits, freshPerCall, dirty, project } = get();
    if (!doc) return;
    set({ running: true, lastCall: call });
    try {
      const key = compositionKey(doc);
      let report: RunReport;
      let replay = { replay: [call], complete: true };
      if (freshPerCall) {
        report = await commands.run({ doc, call, limits, traced: true });
      } else {
        const called = await commands.sessionCall({ doc, call, limits, traced: true });
        setSession(set, called.session);
        if (!called.report) return;
        report = called.report;
        const live = called.session.state === 'live';
        replay = sessionReplay(get().sessionCalls, call, live ? called.session.calls : null);
        set({ sessionCalls: live ? replay.replay : [] });
      }
      const runKey = await key;
      // Runs are numbered per project (the host counts every run of the
      // app); opening a project starts again at 1.
      set((s) => {
        const run = s.projectRuns + 1;
        const entry: RunHistoryEntry = {
          run,
          call: report.call,
          ok: report.ok,
          result: report.result,
          failure: report.failure,
          at: Date.now(),
          micros: report.micros,
          mode: report.mode,
          session: !freshPerCall,
          replay: replay.replay,
          replayComplete: replay.complete,
          limits: report.limits,
          projectDir: project?.dir ?? null,
          unsaved: dirty,
          key: runKey,
          pinned: false,
        };
        return {
          lastRun: { ...report, run },
          lastRunKey: runKey,
          docRunKey: s.doc === doc ? runKey : s.docRunKey,
          projectRuns: run,
          runHistory: addToHistory(s.runHistory, entry),
          bottomTab: s.bottomTab === 'problems' ? 'output' : s.bottomTab,
        };
      });
      const glow: string[] = [];
      for (const t of report.trace) glow.push(...wiresBetween(get().doc, t.callee, t.caller, t.function));
      if (glow.length) get().markWireActive(glow);
    } catch (e) {
      get().toast(errorText(e), 'error');
    } finally {
      set({ running: false });
    }
  },

  async rerunLast() {
    const call = get().lastCall;
    if (call) await get().run(call);
  },

  async refreshRunKey() {
    const doc = get().doc;
    if (!doc) return;
    const key = await compositionKey(doc);
    if (get().doc === doc) set({ docRunKey: key });
  },

  setRunArgs(key, args) {
    set((s) => ({ runArgs: { ...s.runArgs, [key]: args } }));
  },

  setRunTarget(callPrefix) {
    set({ runTarget: callPrefix });
  },

  pinRun(run, pinned) {
    set((s) => ({ runHistory: s.runHistory.map((e) => (e.run === run ? { ...e, pinned } : e)) }));
  },

  async rerunEntry(run) {
    const entry = get().runHistory.find((e) => e.run === run);
    if (entry && !get().running) await get().run(entry.call);
  },

  clearRunHistory() {
    set((s) => ({ runHistory: s.runHistory.filter((e) => e.pinned) }));
  },

  setRunReport(report) {
    set({ lastRun: report });
  },

  setLimits(limits) {
    set({ limits });
  },

  setPendingCall(call) {
    if (get().pendingCall !== call) set({ pendingCall: call });
  },

  async refreshSession() {
    const doc = get().doc;
    if (!doc) return;
    try {
      setSession(set, await commands.sessionStatus({ doc, traced: true }));
    } catch {
      // A document that does not build a workspace has no session to ask
      // about; analysis reports why.
    }
  },

  async resetSession() {
    try {
      set({ sessionCalls: [] });
      setSession(set, await commands.sessionReset({}));
    } catch (e) {
      get().toast(errorText(e), 'error');
    }
  },

  async clearSession() {
    try {
      setSession(set, await commands.sessionClear({}));
    } catch (e) {
      get().toast(errorText(e), 'error');
    }
  },

  setFreshPerCall(fresh) {
    set({ freshPerCall: fresh });
  },

  async startServing(port) {
    const doc = get().doc;
    if (!doc) return;
    try {
      const serving = await commands.serveStart({ doc, port, limits: get().limits });
      set({ serving });
      get().toast(`Serving ${serving.node} at ${serving.url}`, 'success');
    } catch (e) {
      get().toast(errorText(e), 'error');
    }
  },

  async stopServing() {
    try {
      await commands.serveStop({});
    } catch (e) {
      get().toast(errorText(e), 'error');
    }
    set({ serving: null });
  },

  handleEvent(event) {
    set((s) => ({
      liveEvents: [...s.liveEvents.slice(-(LIVE_EVENT_LIMIT - 1)), { id: ++eventSeq, at: Date.now(), event }],
    }));
    if (isLiveEvent(event)) {
      get().applyLiveEvent(event);
      return;
    }
    switch (event.kind) {
      case 'wireCall':
        get().markWireActive(wiresBetween(get().doc, event.callee, event.caller, event.function));
        return;
      case 'filesDropped': {
        // A dropped project file opens; components join the open project.
        const manifest = event.paths.find((p) => /\.toml$/i.test(p));
        if (manifest) {
          void get().openProject(manifest);
          return;
        }
        const parts = event.paths.filter((p) => /\.(wasm|wat)$/i.test(p));
        if (parts.length) void get().addComponents(parts);
        else get().toast('Drop .wasm or .wat components, or a patchbay.toml project.', 'warning');
        return;
      }
      case 'closeRequested':
        get().requestClose();
        return;
      case 'busy':
        set((s) => {
          const busy = { ...s.busy };
          if (event.busy) busy[event.task] = true;
          else delete busy[event.task];
          return { busy };
        });
        return;
      default:
        return;
    }
  },

  markWireActive(edgeIds) {
    if (edgeIds.length === 0) return;
    const now = Date.now();
    set((s) => {
      const activeWires = { ...s.activeWires };
      for (const id of edgeIds) activeWires[id] = now;
      return { activeWires };
    });
    if (glowTimer) clearTimeout(glowTimer);
    glowTimer = setTimeout(function expire() {
      glowTimer = null;
      const cutoff = Date.now() - WIRE_GLOW_MS;
      const current = get().activeWires;
      const kept: Record<string, number> = {};
      let remaining = 0;
      for (const [id, t] of Object.entries(current)) {
        if (t > cutoff) {
          kept[id] = t;
          remaining++;
        }
      }
      set({ activeWires: kept });
      if (remaining) glowTimer = setTimeout(expire, WIRE_GLOW_MS);
    }, WIRE_GLOW_MS);
  },
});

function setSession(set: (partial: Partial<State>) => void, session: SessionInfo) {
  set({ session, sessionAt: Date.now() });
}

/** The edges a call from `caller` into `callee` crossed. `fn` may be
 *  `interface#function`; without a match on the interface, every wire between
 *  the two nodes glows. */
export function wiresBetween(doc: ProjectDoc | null, callee: string, caller: string, fn: string): string[] {
  if (!doc) return [];
  const between = doc.wires.filter((w) => w.from.node === callee && w.to.node === caller);
  const hash = fn.lastIndexOf('#');
  if (hash > 0) {
    const iface = fn.slice(0, hash);
    const exact = between.filter((w) => w.to.port === iface || w.from.port === iface);
    if (exact.length) return exact.map(wireId);
  }
  return between.map(wireId);
}
