// The live slice: what the backend's file watcher reports. A component's
// build (started, then finished with its output), a component file with new
// content (its node is updated, the document re-analyzed and the last call
// re-run), and an outside edit of patchbay.toml (the document reloads, or,
// with unsaved changes, the user chooses which side to keep).

import { commands, type AppEvent, type ComponentView } from './backend';
import { baseName, reconcileFakeNodes } from './doc';
import { cancelTimers, rt } from './runtime';
import type { BuildStatus, DiskChange, Slice, State, Store } from './types';

type LiveState = 'builds' | 'diskChange';
type LiveActions = 'applyLiveEvent' | 'resolveDiskChange';
export type LiveSlice = Pick<Store, LiveState | LiveActions>;

/** The events this slice handles. */
export type LiveEventKind = 'buildStarted' | 'buildFinished' | 'componentChanged' | 'projectChanged';
type Live = Extract<AppEvent, { kind: LiveEventKind }>;

export function isLiveEvent(event: AppEvent): event is Live {
  return (
    event.kind === 'buildStarted' ||
    event.kind === 'buildFinished' ||
    event.kind === 'componentChanged' ||
    event.kind === 'projectChanged'
  );
}

export function liveInitial(): Pick<State, LiveState> {
  return { builds: {}, diskChange: null };
}

const busyKey = (component: string) => `building ${component}`;

function seconds(millis: number): string {
  return `${(millis / 1000).toFixed(1)} s`;
}

export const createLiveSlice: Slice<LiveSlice> = (set, get) => {
  /** Puts the file's document in the editor: the saved state, nothing to
   *  undo, the last call kept (and re-run once analyzed). */
  function replaceDocument(change: DiskChange): void {
    cancelTimers();
    rt.analyzeSeq++;
    const components: Record<string, ComponentView> = {};
    for (const c of change.components) components[c.id] = c;
    set((s) => ({
      doc: change.doc,
      savedDoc: change.doc,
      components,
      dirty: false,
      past: [],
      future: [],
      fakeNodes: reconcileFakeNodes(change.doc, s.fakeNodes),
      selectedNodes: s.selectedNodes.filter((id) => change.doc.nodes.some((n) => n.id === id)),
      selectedEdges: [],
      selectedPort: null,
      drag: null,
      diskChange: null,
      recovery: null,
    }));
    // The editor's unsaved changes are gone: so is their recovery file.
    commands.discardRecovery({}).catch(() => {});
    void get()
      .analyzeNow()
      .then(() => {
        if (get().lastCall && get().analysis?.composed) void get().rerunLast();
      });
  }

  return {
    ...liveInitial(),

    applyLiveEvent(event) {
      switch (event.kind) {
        case 'buildStarted': {
          const build: BuildStatus = { component: event.component, command: event.command, running: true, finished: null };
          set((s) => ({
            builds: { ...s.builds, [event.component]: build },
            busy: { ...s.busy, [busyKey(event.component)]: true },
          }));
          get().setStatus({ text: `Building \`${event.component}\`…`, kind: 'info' });
          return;
        }
        case 'buildFinished': {
          const build: BuildStatus = { component: event.component, command: event.command, running: false, finished: event };
          set((s) => {
            const busy = { ...s.busy };
            delete busy[busyKey(event.component)];
            return { builds: { ...s.builds, [event.component]: build }, busy };
          });
          if (event.success) {
            get().setStatus({ text: `Built \`${event.component}\` in ${seconds(event.millis)}`, kind: 'info' });
          } else {
            const text = `The build of \`${event.component}\` failed (${event.ended}); the last good build stays. Its output is in the Output panel.`;
            // Once, on the status line (with the output opened), not also as a toast.
            get().setStatus({ text, kind: 'error' });
            set({ bottomTab: 'output' });
          }
          return;
        }
        case 'componentChanged': {
          const c = event.component;
          if (c.error) {
            // An unloadable file (a build half-written, a broken component):
            // the node keeps its last good ports.
            get().toast(event.message || `${baseName(c.path)} does not load; the last good build stays`, 'error');
            return;
          }
          set((s) => ({ components: { ...s.components, [c.id]: c } }));
          // The message names the file: "kv-service.wasm changed on disk: …".
          get().toast(event.message || `${baseName(c.path)} changed on disk`, 'info');
          get().setStatus({ text: event.message || `Reloaded \`${c.id}\``, kind: 'info' });
          void get()
            .analyzeNow()
            .then(() => {
              if (get().lastCall) void get().rerunLast();
            });
          return;
        }
        case 'projectChanged': {
          if (!event.doc) {
            // Broken on disk (an editor's half-done save, a typo): the
            // editor's document stays, and the status says what is wrong.
            const text = event.error ? `${event.message}\n${event.error}` : event.message;
            // Once, on the status line (the full text on hover), not also as a toast.
            get().setStatus({ text, kind: 'error' });
            return;
          }
          const change: DiskChange = { path: event.path, doc: event.doc, components: event.components };
          if (get().dirty) {
            set({ diskChange: change });
            return;
          }
          replaceDocument(change);
          get().toast(`${baseName(event.path)} changed on disk; reloaded`, 'info');
          return;
        }
      }
    },

    resolveDiskChange(choice) {
      const change = get().diskChange;
      if (!change) return;
      if (choice === 'reload') {
        replaceDocument(change);
        get().toast(`Reloaded ${baseName(change.path)} from disk; your unsaved changes were dropped`, 'info');
        return;
      }
      set({ diskChange: null });
      get().toast(`Kept your changes; saving will overwrite ${baseName(change.path)}`, 'info');
    },
  };
};
