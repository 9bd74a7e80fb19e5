// The project slice: start-up, opening a project or a shipped sample, and
// taking in what the backend opened (document, components, analysis).

import { withCompositeViews } from './inside';
import { commands, errorText, isApiError, subscribeEvents, type ComponentView } from './backend';
import { allStacked, reconcileFakeNodes } from './doc';
import { nodesOverlap } from './metrics';
import { cancelTimers, isCancelled, rt } from './runtime';
import { importRowsOf } from './selectors';
import { runMemoryInitial } from './runSlice';
import type { GetState, OpenError, SetState, Slice, State, Store } from './types';

type ProjectState = 'project' | 'fakes' | 'samples' | 'sampleComponents' | 'openError' | 'newProject' | 'importing';
type ProjectActions =
  | 'startup'
  | 'retryStartup'
  | 'openProject'
  | 'openSample'
  | 'applyOpened'
  | 'setNewProject'
  | 'createProject'
  | 'setImporting'
  | 'importProject';
export type ProjectSlice = Pick<Store, ProjectState | ProjectActions>;

export function projectInitial(): Pick<State, ProjectState> {
  return {
    project: null,
    fakes: [],
    samples: [],
    sampleComponents: [],
    openError: null,
    newProject: null,
    importing: null,
  };
}

let stopEvents: (() => void) | null = null;

/** Opening helpers shared with the save slice (which opens after a confirm). */
export function projectOps(set: SetState, get: GetState) {
  /** A project that failed to open: with none open, the empty state keeps
   *  saying why (a toast would vanish); with one open, a toast says it. */
  function openFailed(e: unknown, retry: OpenError['retry']): void {
    // A `.wac` recipe or a component binary: the import dialog takes it
    // (the detail is the file), whether or not a project is open.
    if (isApiError(e) && e.code === 'importable' && e.detail) {
      set({ importing: e.detail, openError: get().doc ? get().openError : null });
      return;
    }
    if (get().doc) {
      get().toast(errorText(e), 'error');
      return;
    }
    const message = isApiError(e) ? e.message : errorText(e);
    // A folder without a project: the detail is the folder, offered for a new project.
    if (isApiError(e) && e.code === 'no-project') {
      set({ openError: { message, detail: null, retry: null, folder: e.detail } });
      return;
    }
    const detail = isApiError(e) ? e.detail : null;
    set({ openError: { message, detail, retry } });
  }

  async function openAtStartup(): Promise<void> {
    try {
      const opened = await commands.startup({});
      if (opened) get().applyOpened(opened);
      else set({ openError: null });
    } catch (e) {
      openFailed(e, 'startup');
    }
  }

  async function openNow(path: string | null): Promise<void> {
    try {
      const opened = await commands.openProject({ path });
      get().applyOpened(opened);
    } catch (e) {
      if (!isCancelled(e)) openFailed(e, null);
    }
  }

  async function openSampleNow(name: string): Promise<void> {
    try {
      get().applyOpened(await commands.openSample({ name }));
    } catch (e) {
      openFailed(e, null);
    }
  }

  return { openAtStartup, openNow, openSampleNow };
}

export const createProjectSlice: Slice<ProjectSlice> = (set, get) => {
  const { openAtStartup, openNow, openSampleNow } = projectOps(set, get);

  return {
    ...projectInitial(),

    startup() {
      // Once per page, even when React mounts twice in development.
      rt.startupPromise ??= (async () => {
        stopEvents ??= subscribeEvents((e) => get().handleEvent(e));
        commands
          .fakes({})
          .then((fakes) => set({ fakes }))
          .catch((e) => get().toast(`Could not list the built-in fakes: ${errorText(e)}`, 'warning'));
        // Offered on the empty state and in the palette; none is fine.
        commands
          .samples({})
          .then((samples) => set({ samples }))
          .catch(() => {});
        commands
          .sampleComponents({})
          .then((sampleComponents) => set({ sampleComponents }))
          .catch(() => {});
        await openAtStartup();
      })();
      return rt.startupPromise;
    },

    async retryStartup() {
      await openAtStartup();
    },

    async openProject(path) {
      if (get().dirty) {
        set({ confirm: { reason: 'open', path } });
        return;
      }
      await openNow(path);
    },

    async openSample(name) {
      if (get().dirty) {
        set({ confirm: { reason: 'open', path: null, sample: name } });
        return;
      }
      await openSampleNow(name);
    },

    setNewProject(request) {
      set({ newProject: request });
    },

    async createProject(name, dir) {
      try {
        const opened = await commands.newProject({ dir, name: name.trim() || null });
        get().applyOpened(opened);
        return true;
      } catch (e) {
        if (!isCancelled(e)) get().toast(errorText(e), 'error');
        return false;
      }
    },

    setImporting(file) {
      set({ importing: file });
    },

    async importProject(file, output, deps) {
      try {
        const opened = await commands.importProject({ file, output, deps });
        get().applyOpened(opened);
        return true;
      } catch (e) {
        if (!isCancelled(e)) get().toast(errorText(e), 'error');
        return false;
      }
    },

    applyOpened(opened) {
      cancelTimers();
      rt.analyzeSeq++;
      const components: Record<string, ComponentView> = {};
      for (const c of opened.components) components[c.id] = c;
      set({
        openError: null,
        newProject: null,
        importing: null,
        project: { path: opened.path, dir: opened.dir },
        doc: opened.doc,
        savedDoc: opened.doc,
        components: withCompositeViews(components, opened.analysis),
        analysis: opened.analysis,
        analysisError: null,
        inside: [],
        groupPrompt: null,
        analyzing: false,
        dirty: false,
        past: [],
        future: [],
        fakeNodes: reconcileFakeNodes(opened.doc, []),
        selectedNodes: [],
        selectedEdges: [],
        selectedPort: null,
        drag: null,
        expandedGroups: {},
        ...runMemoryInitial(),
        lastCall: null,
        pendingCall: null,
        activeWires: {},
        status: null,
        recovery: opened.recovery,
        confirm: null,
        rightTab: 'inspector',
        focus: { seq: ++rt.focusSeq, nodes: [] },
      });
      for (const note of opened.notes ?? []) get().toast(note, 'info');
      const rowsOf = (node: string) => importRowsOf(get(), node);
      if (allStacked(opened.doc.nodes) || nodesOverlap(opened.doc.nodes, components, rowsOf)) {
        // A generated project, or positions not made for these node sizes:
        // lay it out, and count the layout as the opened state (nothing to
        // undo, nothing unsaved to ask about).
        void get()
          .autoLayout()
          .then(() => {
            const s = get();
            if (s.doc && s.savedDoc === opened.doc && s.past.length === 1) set({ savedDoc: s.doc, dirty: false, past: [] });
          });
      }
    },
  };
};
