// The editor's one store: the open project, its document with undo history,
// what the core said about it (analysis, runs), selection and UI state.
//
// Every edit goes through `updateDoc(label, recipe)`: an immutable update
// (immer, so unchanged nodes keep their identity and do not re-render), one
// undo step, a debounced `analyze` and a debounced recovery autosave.

import { create } from 'zustand';
import { produce } from 'immer';
import { applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import {
  commands,
  errorText,
  isApiError,
  subscribeEvents,
  type AppEvent,
  type Analysis,
  type Binding,
  type ComponentView,
  type FakeName,
  type FakeView,
  type Location,
  type OpenedProject,
  type PortAddr,
  type ProjectDoc,
  type Recovery,
  type RunLimits,
  type RunReport,
  type SampleView,
  type ServeInfo,
} from './backend';
import {
  allStacked,
  baseName,
  copyFromDoc,
  deleteFromDoc,
  dirName,
  FAKE_PORT,
  fakeBinding,
  fakeLinks,
  fakeNodeId,
  fakeOfNodeId,
  isFakeNodeId,
  parseExactSelector,
  pasteIntoDoc,
  placeFakeNode,
  reconcileFakeNodes,
  samePort,
  selectorOf,
  setBindingInDoc,
  uniqueId,
  wireId,
  type Clipboard,
  type FakeNode,
} from './doc';
import { layeredLayout, type LayoutNode } from './layout';
import { reconcileEdges, reconcileNodes, type FlowEdge, type FlowNode } from './flow';
import { estimateComponentNode, estimateFakeNode, nodesOverlap, type NodeGeometry } from './metrics';
import { collapsedGroupOf } from './portGroups';
import { importRowsOf } from './selectors';

export type Theme = 'light' | 'dark';
export type RightTab = 'inspector' | 'binding' | 'run';
export type BottomTab = 'problems' | 'output' | 'trace';
export type ToastKind = 'info' | 'success' | 'warning' | 'error';
export type Toast = { id: number; text: string; kind: ToastKind };
export type PortSide = 'import' | 'export';
/** A selected port; `side` tells an import from an export of the same name. */
export type SelectedPort = PortAddr & { side: PortSide };
/** A wire being dragged from `from`: the ports it may reach (from the Rust
 *  checker), on the `direction` side. `pending` until the answer arrives. */
export type DragState = {
  from: PortAddr;
  side: PortSide;
  direction: PortSide;
  compatible: PortAddr[];
  pending: boolean;
};
/** One backend event as it arrived; `id` is a stable key for lists. */
export type LiveEvent = { id: number; at: number; event: AppEvent };
export type StatusLine = { text: string; kind: 'info' | 'error' };
/** `open` asks before opening `path` (null: ask with a dialog), or the
 *  shipped `sample` when that is set. */
export type ConfirmRequest = { reason: 'close' } | { reason: 'open'; path: string | null; sample?: string };
/** Asks the canvas to centre these nodes (all nodes when empty). */
export type FocusRequest = { seq: number; nodes: string[] };
export type HistoryEntry = { doc: ProjectDoc; label: string };
/** Why the last attempt to open a project, with none open, failed: shown on
 *  the empty state until a project opens. `retry` re-runs the start-up open
 *  (the project named on the command line, or the last one). */
export type OpenError = { message: string; detail: string | null; retry: 'startup' | null };

export const HISTORY_LIMIT = 200;
export const ANALYZE_DELAY_MS = 150;
export const RECOVERY_DELAY_MS = 2000;
export const WIRE_GLOW_MS = 600;
export const LIVE_EVENT_LIMIT = 300;
export const DEFAULT_LIMITS: RunLimits = { timeoutMs: 5000, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 };
const THEME_KEY = 'patchbay.theme';

export type State = {
  project: { path: string; dir: string } | null;
  doc: ProjectDoc | null;
  /** The document as last saved or opened; `dirty` is `doc !== savedDoc`. */
  savedDoc: ProjectDoc | null;
  components: Record<string, ComponentView>;
  analysis: Analysis | null;
  analyzing: boolean;
  dirty: boolean;
  past: HistoryEntry[];
  future: HistoryEntry[];

  /** Fake nodes on the canvas (UI-only; the doc holds their bindings). */
  fakeNodes: FakeNode[];
  /** The built-in fakes the backend offers. */
  fakes: FakeView[];
  /** The sample projects shipped with the app (empty when it has none). */
  samples: SampleView[];
  /** Why no project is open, when opening one failed. */
  openError: OpenError | null;
  /** What React Flow shows, derived from the above (see flow.ts). */
  flowNodes: FlowNode[];
  flowEdges: FlowEdge[];

  selectedNodes: string[];
  selectedEdges: string[];
  selectedPort: SelectedPort | null;
  drag: DragState | null;
  /** Node id → the packages whose import groups are expanded on it (UI
   *  state only: never saved to the project file). */
  expandedGroups: Record<string, string[]>;
  clipboard: Clipboard | null;

  lastRun: RunReport | null;
  running: boolean;
  lastCall: string | null;
  /** The call the run panel has composed; Ctrl+Enter and the toolbar run it. */
  pendingCall: string | null;
  limits: RunLimits;
  serving: ServeInfo | null;
  /** Edge id → time of the last call across it (for the glow). */
  activeWires: Record<string, number>;
  liveEvents: LiveEvent[];

  theme: Theme;
  rightTab: RightTab;
  bottomTab: BottomTab;
  toasts: Toast[];
  busy: Record<string, boolean>;
  status: StatusLine | null;
  /** An autosaved document waiting for Recover / Discard. */
  recovery: Recovery | null;
  confirm: ConfirmRequest | null;
  exportOpen: boolean;
  paletteOpen: boolean;
  focus: FocusRequest | null;
};

export type Actions = {
  startup(): Promise<void>;
  /** Tries the start-up open again (after `openError` with `retry`). */
  retryStartup(): Promise<void>;
  openProject(path: string | null): Promise<void>;
  openSample(name: string): Promise<void>;
  applyOpened(opened: OpenedProject): void;
  updateDoc(label: string, recipe: (doc: ProjectDoc) => void): void;
  undo(): void;
  redo(): void;
  setBinding(selector: string, binding: Binding | null): void;
  addComponents(paths: string[] | null): Promise<void>;
  addNode(componentId: string, at?: { x: number; y: number }): string | null;
  addFakeNode(fake: FakeName, at?: { x: number; y: number }): void;
  moveNodes(positions: Record<string, { x: number; y: number }>): void;
  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(): void;
  connect(from: PortAddr, to: PortAddr): Promise<boolean>;
  beginDrag(port: PortAddr, side: PortSide): Promise<void>;
  endDrag(): void;
  /** Expands or collapses the import groups of `pkg` on `node`. */
  setGroupExpanded(node: string, pkg: string, expanded: boolean): void;
  setSelection(nodes: string[], edges: string[]): void;
  selectPort(addr: PortAddr, side?: PortSide): void;
  /** Selects a node and shows the bindings of its unwired imports. */
  showNodeBindings(node: string): void;
  focusLocation(loc: Location): void;
  focusNodes(nodes: string[]): void;
  analyzeNow(): Promise<void>;
  run(call: string): Promise<void>;
  rerunLast(): Promise<void>;
  setRunReport(report: RunReport | null): void;
  setLimits(limits: RunLimits): void;
  setPendingCall(call: string | null): void;
  startServing(port: number | null): Promise<void>;
  stopServing(): Promise<void>;
  save(saveAs: boolean): Promise<boolean>;
  autoLayout(): Promise<void>;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  toast(text: string, kind?: ToastKind): void;
  dismissToast(id: number): void;
  setStatus(status: StatusLine | null): void;
  setRightTab(tab: RightTab): void;
  setBottomTab(tab: BottomTab): void;
  recover(): void;
  discardRecovery(): Promise<void>;
  requestClose(): void;
  resolveConfirm(choice: 'save' | 'discard' | 'cancel'): Promise<void>;
  setExportOpen(open: boolean): void;
  setPaletteOpen(open: boolean): void;
  handleEvent(event: AppEvent): void;
  markWireActive(edgeIds: string[]): void;
};

export type Store = State & Actions;

function initialTheme(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage may be unavailable; fall back to the system preference.
  }
  const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)')?.matches;
  return dark ? 'dark' : 'light';
}

function initialState(): State {
  return {
    project: null,
    doc: null,
    savedDoc: null,
    components: {},
    analysis: null,
    analyzing: false,
    dirty: false,
    past: [],
    future: [],
    fakeNodes: [],
    fakes: [],
    samples: [],
    openError: null,
    flowNodes: [],
    flowEdges: [],
    selectedNodes: [],
    selectedEdges: [],
    selectedPort: null,
    drag: null,
    expandedGroups: {},
    clipboard: null,
    lastRun: null,
    running: false,
    lastCall: null,
    pendingCall: null,
    limits: DEFAULT_LIMITS,
    serving: null,
    activeWires: {},
    liveEvents: [],
    theme: initialTheme(),
    rightTab: 'inspector',
    bottomTab: 'problems',
    toasts: [],
    busy: {},
    status: null,
    recovery: null,
    confirm: null,
    exportOpen: false,
    paletteOpen: false,
    focus: null,
  };
}

// Timers and sequence numbers live outside the state: they are not UI.
let analyzeTimer: ReturnType<typeof setTimeout> | null = null;
let recoveryTimer: ReturnType<typeof setTimeout> | null = null;
let analyzeSeq = 0;
let dragSeq = 0;
let toastSeq = 0;
let eventSeq = 0;
let focusSeq = 0;
let pasteCount = 0;
let stopEvents: (() => void) | null = null;
let startupPromise: Promise<void> | null = null;
let glowTimer: ReturnType<typeof setTimeout> | null = null;
let measurer: ((id: string) => NodeGeometry | null) | null = null;
const fakeTargetCache = new WeakMap<ProjectDoc, Map<FakeName, Promise<PortAddr[]>>>();

/** The canvas registers how to read measured node sizes for the layout. */
export function registerMeasurer(fn: ((id: string) => NodeGeometry | null) | null): void {
  measurer = fn;
}

function fakeTargetsFor(doc: ProjectDoc, fake: FakeName): Promise<PortAddr[]> {
  let perDoc = fakeTargetCache.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    fakeTargetCache.set(doc, perDoc);
  }
  let p = perDoc.get(fake);
  if (!p) {
    p = commands.fakeTargets({ doc, fake });
    perDoc.set(fake, p);
    p.catch(() => perDoc.delete(fake));
  }
  return p;
}

function isCancelled(e: unknown): boolean {
  return isApiError(e) && e.code === 'cancelled';
}

/** Where to put new nodes: to the right of everything, one under another. */
function freeSpot(doc: ProjectDoc, index: number): { x: number; y: number } {
  if (doc.nodes.length === 0) return { x: 0, y: index * 240 };
  let maxX = -Infinity;
  let minY = Infinity;
  for (const n of doc.nodes) {
    maxX = Math.max(maxX, n.x);
    minY = Math.min(minY, n.y);
  }
  return { x: maxX + 380, y: minY + index * 240 };
}

export const useStore = create<Store>()((set, get) => {
  /** Runs after every change of `doc`: dirty flag, fake nodes, selection
   *  pruning, and the debounced analysis and recovery autosave. */
  function afterDocChange(): void {
    const { doc, savedDoc, fakeNodes, selectedNodes, selectedEdges, selectedPort } = get();
    if (!doc) return;
    const nodeIds = new Set(doc.nodes.map((n) => n.id));
    const nextFakes = reconcileFakeNodes(doc, fakeNodes);
    for (const f of nextFakes) nodeIds.add(f.id);
    const edgeIds = new Set(doc.wires.map(wireId));
    for (const l of fakeLinks(doc)) edgeIds.add(`fake:${l.fake}->${l.selector}`);
    const nextNodes = selectedNodes.filter((id) => nodeIds.has(id));
    const nextEdges = selectedEdges.filter((id) => edgeIds.has(id));
    const { expandedGroups } = get();
    const gone = Object.keys(expandedGroups).filter((id) => !nodeIds.has(id));
    if (gone.length) {
      const next = { ...expandedGroups };
      for (const id of gone) delete next[id];
      set({ expandedGroups: next });
    }
    set({
      dirty: doc !== savedDoc,
      fakeNodes: nextFakes,
      selectedNodes: nextNodes.length === selectedNodes.length ? selectedNodes : nextNodes,
      selectedEdges: nextEdges.length === selectedEdges.length ? selectedEdges : nextEdges,
      selectedPort: selectedPort && nodeIds.has(selectedPort.node) ? selectedPort : null,
    });
    scheduleAnalyze();
    scheduleRecovery();
  }

  function scheduleAnalyze(): void {
    if (analyzeTimer) clearTimeout(analyzeTimer);
    analyzeTimer = setTimeout(() => {
      analyzeTimer = null;
      void get().analyzeNow();
    }, ANALYZE_DELAY_MS);
  }

  function scheduleRecovery(): void {
    if (recoveryTimer) clearTimeout(recoveryTimer);
    recoveryTimer = setTimeout(() => {
      recoveryTimer = null;
      const { doc, dirty, recovery } = get();
      // While the recovery prompt is open, the file is the user's to decide on.
      if (!doc || recovery) return;
      // Back at the saved document (undo): nothing is left to recover.
      if (dirty) commands.saveRecovery({ doc }).catch(() => {});
      else commands.discardRecovery({}).catch(() => {});
    }, RECOVERY_DELAY_MS);
  }

  function cancelTimers(): void {
    if (analyzeTimer) clearTimeout(analyzeTimer);
    if (recoveryTimer) clearTimeout(recoveryTimer);
    analyzeTimer = null;
    recoveryTimer = null;
  }

  /** A project that failed to open: with none open, the empty state keeps
   *  saying why (a toast would vanish); with one open, a toast says it. */
  function openFailed(e: unknown, retry: OpenError['retry']): void {
    if (get().doc) {
      get().toast(errorText(e), 'error');
      return;
    }
    const message = isApiError(e) ? e.message : errorText(e);
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

  function refuse(reason: string): void {
    get().toast(reason, 'error');
    set({ status: { text: `Wire refused: ${reason}`, kind: 'error' } });
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

  return {
    ...initialState(),

    startup() {
      // Once per page, even when React mounts twice in development.
      startupPromise ??= (async () => {
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
        await openAtStartup();
      })();
      return startupPromise;
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

    applyOpened(opened) {
      cancelTimers();
      analyzeSeq++;
      const components: Record<string, ComponentView> = {};
      for (const c of opened.components) components[c.id] = c;
      set({
        openError: null,
        project: { path: opened.path, dir: opened.dir },
        doc: opened.doc,
        savedDoc: opened.doc,
        components,
        analysis: opened.analysis,
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
        lastRun: null,
        lastCall: null,
        pendingCall: null,
        activeWires: {},
        status: null,
        recovery: opened.recovery,
        confirm: null,
        rightTab: 'inspector',
        focus: { seq: ++focusSeq, nodes: [] },
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

    updateDoc(label, recipe) {
      const { doc, past } = get();
      if (!doc) return;
      const next = produce(doc, recipe);
      if (next === doc) return;
      const trimmed = past.length >= HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT + 1) : past;
      set({ doc: next, past: [...trimmed, { doc, label }], future: [] });
      afterDocChange();
    },

    undo() {
      const { doc, past, future } = get();
      if (!doc || past.length === 0) return;
      const entry = past[past.length - 1];
      set({ doc: entry.doc, past: past.slice(0, -1), future: [...future, { doc, label: entry.label }] });
      afterDocChange();
    },

    redo() {
      const { doc, past, future } = get();
      if (!doc || future.length === 0) return;
      const entry = future[future.length - 1];
      set({ doc: entry.doc, future: future.slice(0, -1), past: [...past, { doc, label: entry.label }] });
      afterDocChange();
    },

    setBinding(selector, binding) {
      get().updateDoc(binding ? `Bind ${selector}` : `Remove binding ${selector}`, (d) =>
        setBindingInDoc(d, selector, binding),
      );
    },

    async addComponents(paths) {
      const doc = get().doc;
      if (!doc) {
        get().toast('Open a project first, then add components to it.', 'warning');
        return;
      }
      let views: ComponentView[];
      try {
        views = await commands.addComponents({ doc, paths });
      } catch (e) {
        if (!isCancelled(e)) get().toast(errorText(e), 'error');
        return;
      }
      if (views.length === 0) return;
      const added: string[] = [];
      get().updateDoc(views.length === 1 ? `Add ${views[0].id}` : `Add ${views.length} components`, (d) => {
        const taken = new Set(d.nodes.map((n) => n.id));
        const known = new Set(d.components.map((c) => c.id));
        views.forEach((v, i) => {
          if (!known.has(v.id)) {
            d.components.push({ id: v.id, path: v.path, build: null, watch: [], hash: v.hash });
            known.add(v.id);
          }
          const id = uniqueId(v.id, taken);
          taken.add(id);
          d.nodes.push({ id, component: v.id, ...freeSpot(d, i) });
          added.push(id);
        });
      });
      set((s) => {
        const components = { ...s.components };
        for (const v of views) components[v.id] = v;
        return { components, selectedNodes: added, selectedEdges: [] };
      });
      for (const v of views) if (v.error) get().toast(`${baseName(v.path)}: ${v.error}`, 'error');
      get().focusNodes(added);
    },

    addNode(componentId, at) {
      const doc = get().doc;
      if (!doc || !doc.components.some((c) => c.id === componentId)) return null;
      const id = uniqueId(componentId, new Set(doc.nodes.map((n) => n.id)));
      get().updateDoc(`Add node ${id}`, (d) => {
        d.nodes.push({ id, component: componentId, ...(at ?? freeSpot(d, 0)) });
      });
      set({ selectedNodes: [id], selectedEdges: [] });
      get().focusNodes([id]);
      return id;
    },

    addFakeNode(fake, at) {
      const { fakeNodes, doc } = get();
      if (!doc) return;
      const id = fakeNodeId(fake);
      if (!fakeNodes.some((f) => f.id === id)) {
        let pos = at;
        if (!pos) {
          const xs = doc.nodes.map((n) => n.x);
          const ys = doc.nodes.map((n) => n.y);
          const minX = xs.length ? Math.min(...xs) : 0;
          const minY = ys.length ? Math.min(...ys) : 0;
          pos = { x: minX - 300, y: minY + fakeNodes.length * 100 };
        }
        const placed = { x: Math.round(pos.x), y: Math.round(pos.y) };
        get().updateDoc(`Add the ${fake} fake`, (d) => placeFakeNode(d, fake, placed));
      }
      set({ selectedNodes: [id], selectedEdges: [] });
      get().focusNodes([id]);
    },

    moveNodes(positions) {
      const { doc, fakeNodes } = get();
      if (!doc) return;
      const fakesMoved = fakeNodes.filter((f) => {
        const p = positions[f.id];
        return p && (p.x !== f.x || p.y !== f.y);
      });
      const moved = doc.nodes.filter((n) => {
        const p = positions[n.id];
        return p && (p.x !== n.x || p.y !== n.y);
      });
      const count = moved.length + fakesMoved.length;
      if (count === 0) return;
      const label = count > 1 ? `Move ${count} nodes` : `Move ${moved[0]?.id ?? `the ${fakesMoved[0].fake} fake`}`;
      get().updateDoc(label, (d) => {
        for (const n of d.nodes) {
          const p = positions[n.id];
          if (p) {
            n.x = Math.round(p.x);
            n.y = Math.round(p.y);
          }
        }
        // A fake's place is saved once it has been moved (or added by hand).
        for (const f of fakesMoved) {
          const p = positions[f.id];
          placeFakeNode(d, f.fake, { x: Math.round(p.x), y: Math.round(p.y) });
        }
      });
    },

    onNodesChange(changes) {
      // Positions while dragging and measured sizes stay in the view; the
      // document gets positions once, when a drag ends (moveNodes).
      const live = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (live.length) set((s) => ({ flowNodes: applyNodeChanges(live, s.flowNodes) }));
      // A drag that ended, or a move with the arrow keys: one undo step.
      const settled: Record<string, { x: number; y: number }> = {};
      let any = false;
      for (const c of live) {
        if (c.type === 'position' && c.dragging === false && c.position) {
          settled[c.id] = c.position;
          any = true;
        }
      }
      if (any) get().moveNodes(settled);
      const picks = changes.filter((c) => c.type === 'select');
      if (picks.length) {
        const { selectedNodes, selectedEdges } = get();
        const next = new Set(selectedNodes);
        for (const c of picks) {
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        get().setSelection([...next], selectedEdges);
      }
    },

    onEdgesChange(changes) {
      const picks = changes.filter((c) => c.type === 'select');
      if (!picks.length) return;
      const { selectedNodes, selectedEdges } = get();
      const next = new Set(selectedEdges);
      for (const c of picks) {
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      get().setSelection(selectedNodes, [...next]);
    },

    deleteSelection() {
      const { doc, selectedNodes, selectedEdges } = get();
      if (!doc || (selectedNodes.length === 0 && selectedEdges.length === 0)) return;
      const nodeIds = new Set(selectedNodes.filter((id) => !isFakeNodeId(id)));
      const removedFakes = new Set<FakeName>();
      for (const id of selectedNodes) {
        const fake = fakeOfNodeId(id);
        if (fake) removedFakes.add(fake);
      }
      const edgeIds = new Set(selectedEdges);
      const count = nodeIds.size + removedFakes.size + edgeIds.size;
      get().updateDoc(count === 1 ? 'Delete' : `Delete ${count} items`, (d) =>
        deleteFromDoc(d, nodeIds, edgeIds, removedFakes),
      );
      set({ selectedNodes: [], selectedEdges: [], selectedPort: null });
    },

    copySelection() {
      const { doc, selectedNodes } = get();
      if (!doc) return;
      const clip = copyFromDoc(doc, new Set(selectedNodes));
      if (!clip) return;
      pasteCount = 0;
      set({
        clipboard: clip,
        status: { text: `Copied ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`, kind: 'info' },
      });
    },

    paste() {
      const { doc, clipboard } = get();
      if (!doc || !clipboard) return;
      pasteCount++;
      let added: string[] = [];
      get().updateDoc(`Paste ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`, (d) => {
        added = pasteIntoDoc(d, clipboard, { x: 40 * pasteCount, y: 40 * pasteCount });
      });
      set({ selectedNodes: added, selectedEdges: [], selectedPort: null });
    },

    async connect(fromIn, toIn) {
      let from = fromIn;
      let to = toIn;
      if (fakeOfNodeId(to.node)) [from, to] = [to, from];
      const doc = get().doc;
      if (!doc) return false;
      const fake = fakeOfNodeId(from.node);
      if (fake) {
        const selector = selectorOf(to);
        if (doc.wires.some((w) => samePort(w.to, to))) {
          refuse(`${selector} is already wired; remove its wire before mocking it with the ${fake} fake`);
          return false;
        }
        let targets: PortAddr[];
        try {
          targets = await fakeTargetsFor(doc, fake);
        } catch (e) {
          refuse(errorText(e));
          return false;
        }
        if (!targets.some((t) => samePort(t, to))) {
          refuse(`the ${fake} fake cannot serve ${selector}`);
          return false;
        }
        get().updateDoc(`Mock ${selector} with the ${fake} fake`, (d) => setBindingInDoc(d, selector, fakeBinding(fake)));
        set({ status: { text: `${selector} is mocked by the ${fake} fake`, kind: 'info' } });
        return true;
      }
      let verdict;
      try {
        verdict = await commands.checkWire({ doc, from, to });
      } catch (e) {
        refuse(errorText(e));
        return false;
      }
      if (!verdict.ok) {
        refuse(verdict.reason ?? `${selectorOf(from)} cannot feed ${selectorOf(to)}`);
        return false;
      }
      get().updateDoc(`Wire ${selectorOf(from)} → ${selectorOf(to)}`, (d) => {
        if (d.wires.some((w) => samePort(w.from, from) && samePort(w.to, to))) return;
        d.wires.push({ from, to });
        const selector = selectorOf(to);
        const i = d.bindings.findIndex(
          (b) => b.selector === selector && b.binding.mode === 'mock' && b.binding.fake !== null,
        );
        if (i >= 0) d.bindings.splice(i, 1);
      });
      set({ status: { text: `Wired ${selectorOf(from)} → ${selectorOf(to)}`, kind: 'info' } });
      return true;
    },

    async beginDrag(port, side) {
      const doc = get().doc;
      if (!doc) return;
      const seq = ++dragSeq;
      const fake = fakeOfNodeId(port.node);
      set({
        drag: { from: port, side, direction: side === 'import' ? 'export' : 'import', compatible: [], pending: true },
      });
      try {
        let compatible: PortAddr[];
        let direction: PortSide;
        if (fake) {
          compatible = await fakeTargetsFor(doc, fake);
          direction = 'import';
        } else {
          const fakes = side === 'import' ? get().fakeNodes : [];
          const [c, fakeHits] = await Promise.all([
            commands.candidates({ doc, port }),
            Promise.all(
              fakes.map(async (f) => {
                try {
                  const targets = await fakeTargetsFor(doc, f.fake);
                  return targets.some((t) => samePort(t, port)) ? f.id : null;
                } catch {
                  return null;
                }
              }),
            ),
          ]);
          compatible = [...c.ports];
          // `c.direction` is the side the drag started from; the candidates
          // are on the other side.
          direction = c.direction === 'import' ? 'export' : 'import';
          for (const id of fakeHits) if (id) compatible.push({ node: id, port: FAKE_PORT });
        }
        if (seq !== dragSeq) return;
        set({ drag: { from: port, side, direction, compatible, pending: false } });
      } catch (e) {
        if (seq !== dragSeq) return;
        set({ drag: null, status: { text: errorText(e), kind: 'error' } });
      }
    },

    endDrag() {
      dragSeq++;
      if (get().drag) set({ drag: null });
    },

    setGroupExpanded(node, pkg, expanded) {
      const current = get().expandedGroups[node] ?? [];
      if (current.includes(pkg) === expanded) return;
      const next = expanded ? [...current, pkg] : current.filter((p) => p !== pkg);
      set((s) => ({ expandedGroups: { ...s.expandedGroups, [node]: next } }));
    },

    setSelection(nodes, edges) {
      const s = get();
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (same(s.selectedNodes, nodes) && same(s.selectedEdges, edges)) return;
      set({
        selectedNodes: nodes,
        selectedEdges: edges,
        selectedPort: s.selectedPort && nodes.includes(s.selectedPort.node) ? s.selectedPort : null,
      });
    },

    selectPort(addr, side = 'import') {
      // A port hidden in a collapsed group comes into view.
      if (side === 'import') {
        const group = collapsedGroupOf(importRowsOf(get(), addr.node), addr.port);
        if (group) get().setGroupExpanded(addr.node, group.package, true);
      }
      set({
        selectedPort: { node: addr.node, port: addr.port, side },
        selectedNodes: [addr.node],
        selectedEdges: [],
        rightTab: side === 'import' ? 'binding' : 'inspector',
      });
    },

    showNodeBindings(node) {
      set({ selectedNodes: [node], selectedEdges: [], selectedPort: null, rightTab: 'binding' });
    },

    focusLocation(loc) {
      const { doc } = get();
      if (!doc) return;
      switch (loc.kind) {
        case 'project':
          set({ rightTab: 'inspector' });
          return;
        case 'node':
          set({ selectedNodes: [loc.node], selectedEdges: [], selectedPort: null });
          get().focusNodes([loc.node]);
          return;
        case 'component': {
          const nodes = loc.nodes.length ? loc.nodes : doc.nodes.filter((n) => n.component === loc.component).map((n) => n.id);
          set({ selectedNodes: nodes, selectedEdges: [], selectedPort: null });
          get().focusNodes(nodes);
          return;
        }
        case 'port': {
          const view = get().components[doc.nodes.find((n) => n.id === loc.node)?.component ?? ''];
          const isExport =
            !view?.info?.imports.some((p) => p.name === loc.port) && view?.info?.exports.some((p) => p.name === loc.port);
          get().selectPort({ node: loc.node, port: loc.port }, isExport ? 'export' : 'import');
          get().focusNodes([loc.node]);
          return;
        }
        case 'wire': {
          const w = doc.wires[loc.index];
          const nodes = w ? [w.from.node, w.to.node] : [loc.from.split('.')[0], loc.to.split('.')[0]];
          set({ selectedNodes: [], selectedEdges: w ? [wireId(w)] : [], selectedPort: null });
          get().focusNodes(nodes);
          return;
        }
        case 'binding': {
          const exact = parseExactSelector(loc.selector);
          if (exact && doc.nodes.some((n) => n.id === exact.node)) {
            get().selectPort(exact, 'import');
            get().focusNodes([exact.node]);
          } else {
            const node = loc.selector.split('.')[0];
            const known = doc.nodes.some((n) => n.id === node);
            set({ selectedNodes: known ? [node] : [], selectedEdges: [], selectedPort: null, rightTab: 'binding' });
            if (known) get().focusNodes([node]);
          }
          return;
        }
        case 'export': {
          const e = doc.exports[loc.index];
          if (!e) return;
          get().selectPort(e.from, 'export');
          get().focusNodes([e.from.node]);
          return;
        }
      }
    },

    focusNodes(nodes) {
      set({ focus: { seq: ++focusSeq, nodes } });
    },

    async analyzeNow() {
      const doc = get().doc;
      if (!doc) return;
      const seq = ++analyzeSeq;
      set({ analyzing: true });
      try {
        const analysis = await commands.analyze({ doc });
        if (seq !== analyzeSeq) return;
        set({ analysis, analyzing: false });
      } catch (e) {
        if (seq !== analyzeSeq) return;
        set({ analyzing: false, status: { text: `Analysis failed: ${errorText(e)}`, kind: 'error' } });
      }
    },

    async run(call) {
      const { doc, limits } = get();
      if (!doc) return;
      set({ running: true, lastCall: call });
      try {
        const report = await commands.run({ doc, call, limits, traced: true });
        set((s) => ({ lastRun: report, bottomTab: s.bottomTab === 'problems' ? 'output' : s.bottomTab }));
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

    async save(saveAs) {
      const doc = get().doc;
      if (!doc) return false;
      try {
        const saved = await commands.save({ doc, saveAs });
        // The saved document may differ (paths rebased by Save As, hashes
        // updated); it replaces ours unless we edited meanwhile.
        if (get().doc === doc) set({ doc: saved.doc, savedDoc: saved.doc, dirty: false });
        else set({ savedDoc: saved.doc, dirty: true });
        set({ project: { path: saved.path, dir: dirName(saved.path) } });
        if (recoveryTimer) clearTimeout(recoveryTimer);
        recoveryTimer = null;
        get().toast(`Saved ${baseName(saved.path)}`, 'success');
        return true;
      } catch (e) {
        if (!isCancelled(e)) get().toast(errorText(e), 'error');
        return false;
      }
    },

    async autoLayout() {
      const { doc, components, fakeNodes } = get();
      if (!doc) return;
      const nodes: LayoutNode[] = [];
      for (const n of doc.nodes) {
        const g = measurer?.(n.id) ?? estimateComponentNode(components[n.component], importRowsOf(get(), n.id));
        nodes.push({ id: n.id, ...g });
      }
      for (const f of fakeNodes) nodes.push({ id: f.id, ...(measurer?.(f.id) ?? estimateFakeNode()) });
      const edges = doc.wires.map((w) => ({
        source: w.from.node,
        sourcePort: w.from.port,
        target: w.to.node,
        targetPort: w.to.port,
      }));
      for (const l of fakeLinks(doc)) {
        edges.push({ source: fakeNodeId(l.fake), sourcePort: FAKE_PORT, target: l.to.node, targetPort: l.to.port });
      }
      let positions: Record<string, { x: number; y: number }>;
      set((s) => ({ busy: { ...s.busy, layout: true } }));
      try {
        positions = await layeredLayout(nodes, edges);
      } catch (e) {
        get().toast(`Auto-layout failed: ${errorText(e)}`, 'error');
        return;
      } finally {
        set((s) => {
          const busy = { ...s.busy };
          delete busy.layout;
          return { busy };
        });
      }
      if (get().doc !== doc) return;
      get().moveNodes(positions);
      get().focusNodes([]);
    },

    setTheme(theme) {
      try {
        globalThis.localStorage?.setItem(THEME_KEY, theme);
      } catch {
        // Not persisted; the choice still applies to this session.
      }
      set({ theme });
    },

    toggleTheme() {
      get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
    },

    toast(text, kind = 'info') {
      const id = ++toastSeq;
      set((s) => ({ toasts: [...s.toasts.slice(-4), { id, text, kind }] }));
      setTimeout(() => get().dismissToast(id), kind === 'error' ? 9000 : 5000);
    },

    dismissToast(id) {
      if (get().toasts.some((t) => t.id === id)) set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },

    setStatus(status) {
      set({ status });
    },

    setRightTab(rightTab) {
      set({ rightTab });
    },

    setBottomTab(bottomTab) {
      set({ bottomTab });
    },

    recover() {
      const recovered = get().recovery;
      if (!recovered) return;
      set({ recovery: null });
      get().updateDoc('Recover unsaved changes', () => recovered.doc);
    },

    async discardRecovery() {
      set({ recovery: null });
      try {
        await commands.discardRecovery({});
      } catch (e) {
        get().toast(errorText(e), 'error');
      }
    },

    requestClose() {
      if (get().dirty) set({ confirm: { reason: 'close' } });
      else commands.closeWindow({}).catch((e) => get().toast(errorText(e), 'error'));
    },

    async resolveConfirm(choice) {
      const confirm = get().confirm;
      if (!confirm) return;
      set({ confirm: null });
      if (choice === 'cancel') return;
      if (choice === 'save' && !(await get().save(false))) return;
      if (confirm.reason === 'close') {
        cancelTimers();
        try {
          if (choice === 'discard') await commands.discardRecovery({});
          await commands.closeWindow({});
        } catch (e) {
          get().toast(errorText(e), 'error');
        }
      } else {
        if (choice === 'discard') await commands.discardRecovery({}).catch(() => {});
        if (confirm.sample) await openSampleNow(confirm.sample);
        else await openNow(confirm.path);
      }
    },

    setExportOpen(exportOpen) {
      set({ exportOpen });
    },

    setPaletteOpen(paletteOpen) {
      set({ paletteOpen });
    },

    handleEvent(event) {
      set((s) => ({
        liveEvents: [...s.liveEvents.slice(-(LIVE_EVENT_LIMIT - 1)), { id: ++eventSeq, at: Date.now(), event }],
      }));
      switch (event.kind) {
        case 'wireCall':
          get().markWireActive(wiresBetween(get().doc, event.callee, event.caller, event.function));
          return;
        case 'componentChanged': {
          const c = event.component;
          set((s) => ({ components: { ...s.components, [c.id]: c } }));
          // The message names the file: "kv-service.wasm changed on disk: …".
          get().toast(event.message || `${baseName(c.path)} changed on disk`, c.error ? 'error' : 'info');
          void get().analyzeNow();
          if (get().lastCall) void get().rerunLast();
          return;
        }
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
  };
});

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

// Tell the shell whenever the document becomes dirty or clean, so closing the
// window asks first.
useStore.subscribe((s, prev) => {
  if (s.dirty !== prev.dirty) commands.setDirty({ dirty: s.dirty }).catch(() => {});
});

// Keep React Flow's nodes and edges in step with what they are derived from.
useStore.subscribe((s, prev) => {
  const nodesStale = s.doc !== prev.doc || s.fakeNodes !== prev.fakeNodes || s.selectedNodes !== prev.selectedNodes;
  const edgesStale =
    s.doc !== prev.doc ||
    s.fakeNodes !== prev.fakeNodes ||
    s.selectedEdges !== prev.selectedEdges ||
    s.analysis !== prev.analysis ||
    s.activeWires !== prev.activeWires;
  if (!nodesStale && !edgesStale) return;
  const flowNodes = nodesStale ? reconcileNodes(s.flowNodes, s) : s.flowNodes;
  const flowEdges = edgesStale ? reconcileEdges(s.flowEdges, s, Date.now()) : s.flowEdges;
  if (flowNodes !== s.flowNodes || flowEdges !== s.flowEdges) useStore.setState({ flowNodes, flowEdges });
});

/** Resets the store (tests). */
export function resetStore(): void {
  startupPromise = null;
  analyzeSeq++;
  dragSeq++;
  pasteCount = 0;
  if (analyzeTimer) clearTimeout(analyzeTimer);
  if (recoveryTimer) clearTimeout(recoveryTimer);
  analyzeTimer = null;
  recoveryTimer = null;
  useStore.setState(initialState());
}
