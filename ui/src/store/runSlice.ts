// The run slice: running a call with its limits (in the live session, or a
// fresh instance per call), the session's state, serving, the last report,
// the live events from the backend (the file watcher's go to liveSlice.ts)
// and the wires a call lit up.

import { commands, errorText, type ProjectDoc, type RunReport, type SessionInfo } from './backend';
import { wireId } from './doc';
import { isLiveEvent } from './liveSlice';
import { DEFAULT_LIMITS, LIVE_EVENT_LIMIT, WIRE_GLOW_MS } from './runtime';
import type { Slice, State, Store } from './types';

type RunState =
  | 'lastRun' | 'projectRuns' | 'running' | 'lastCall' | 'pendingCall' | 'limits' | 'session' | 'sessionAt'
  | 'freshPerCall' | 'serving' | 'activeWires' | 'liveEvents';
type RunActions =
  | 'run' | 'rerunLast' | 'setRunReport' | 'setLimits' | 'setPendingCall' | 'refreshSession'
  | 'resetSession' | 'clearSession' | 'setFreshPerCall' | 'startServing' | 'stopServing'
  | 'handleEvent' | 'markWireActive';
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
  };
}

let eventSeq = 0;
let glowTimer: ReturnType<typeof setTimeout> | null = null;

export const createRunSlice: Slice<RunSlice> = (set, get) => ({
  ...runInitial(),

  async run(call) {
    const { doc, limits, freshPerCall } = get();
    if (!doc) return;
    set({ running: true, lastCall: call });
    try {
      let report: RunReport;
      if (freshPerCall) {
        report = await commands.run({ doc, call, limits, traced: true });
      } else {
        const called = await commands.sessionCall({ doc, call, limits, traced: true });
        setSession(set, called.session);
        if (!called.report) return;
        report = called.report;
      }
      // Runs are numbered per project (the host counts every run of the
      // app); opening a project starts again at 1.
      set((s) => ({
        lastRun: { ...report, run: s.projectRuns + 1 },
        projectRuns: s.projectRuns + 1,
        bottomTab: s.bottomTab === 'problems' ? 'output' : s.bottomTab,
      }));
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
