// The editor's one store: the open project, its document with undo history,
// what the core said about it (analysis, runs), selection and UI state.
// It is made of zustand slices, one per area (the `*Slice.ts` files), combined
// here in one `create`; the types are in types.ts, the shared timers and
// constants in runtime.ts.
//
// Every edit goes through `updateDoc(label, recipe)`: an immutable update
// (immer, so unchanged nodes keep their identity and do not re-render), one
// undo step, a debounced `analyze` and a debounced recovery autosave.

import { create } from 'zustand';
import { commands } from './backend';
import { reconcileEdges, reconcileNodes } from './flow';
import { analysisInitial, createAnalysisSlice } from './analysisSlice';
import { compositeInitial, createCompositeSlice } from './compositeSlice';
import { createDocSlice, docInitial } from './docSlice';
import { createLayoutSlice, layoutInitial } from './layoutSlice';
import { createLiveSlice, liveInitial } from './liveSlice';
import { createProjectSlice, projectInitial } from './projectSlice';
import { createRunSlice, runInitial } from './runSlice';
import { viewAnalysis, viewDoc } from './inside';
import { resetRuntime } from './runtime';
import { createSaveSlice, saveInitial } from './saveSlice';
import { createSelectionSlice, selectionInitial } from './selectionSlice';
import { createUiSlice, uiInitial } from './uiSlice';
import type { State, Store } from './types';

export type {
  Theme,
  RightTab,
  BottomTab,
  ToastKind,
  Toast,
  PortSide,
  SelectedPort,
  DragState,
  LiveEvent,
  StatusLine,
  ConfirmRequest,
  FocusRequest,
  HistoryEntry,
  BuildStatus,
  DiskChange,
  OpenError,
  NewProjectDialog,
  CanvasPoint,
  ContextMenuRequest,
  State,
  Actions,
  Store,
} from './types';
export {
  HISTORY_LIMIT,
  ANALYZE_DELAY_MS,
  RECOVERY_DELAY_MS,
  WIRE_GLOW_MS,
  LIVE_EVENT_LIMIT,
  DEFAULT_LIMITS,
} from './runtime';
export { registerMeasurer } from './layoutSlice';
export { registerViewport } from './placement';
export { wiresBetween } from './runSlice';

function initialState(): State {
  return {
    ...projectInitial(),
    ...docInitial(),
    ...analysisInitial(),
    ...selectionInitial(),
    ...runInitial(),
    ...liveInitial(),
    ...uiInitial(),
    ...saveInitial(),
    ...layoutInitial(),
    ...compositeInitial(),
  };
}

export const useStore = create<Store>()((...a) => ({
  ...createProjectSlice(...a),
  ...createDocSlice(...a),
  ...createAnalysisSlice(...a),
  ...createSelectionSlice(...a),
  ...createRunSlice(...a),
  ...createLiveSlice(...a),
  ...createSaveSlice(...a),
  ...createLayoutSlice(...a),
  ...createUiSlice(...a),
  ...createCompositeSlice(...a),
}));

// Tell the shell whenever the document becomes dirty or clean, so closing the
// window asks first.
useStore.subscribe((s, prev) => {
  if (s.dirty !== prev.dirty) commands.setDirty({ dirty: s.dirty }).catch(() => {});
});

// Keep React Flow's nodes and edges in step with what they are derived from.
useStore.subscribe((s, prev) => {
  const nodesStale =
    s.doc !== prev.doc || s.inside !== prev.inside || s.fakeNodes !== prev.fakeNodes || s.selectedNodes !== prev.selectedNodes;
  const edgesStale =
    s.doc !== prev.doc ||
    s.inside !== prev.inside ||
    s.fakeNodes !== prev.fakeNodes ||
    s.selectedEdges !== prev.selectedEdges ||
    s.analysis !== prev.analysis ||
    s.activeWires !== prev.activeWires;
  if (!nodesStale && !edgesStale) return;
  // Inside a composite the canvas shows its definition (inside.ts).
  const shown = s.inside.length ? { ...s, doc: viewDoc(s), fakeNodes: [], analysis: viewAnalysis(s) } : s;
  const flowNodes = nodesStale ? reconcileNodes(s.flowNodes, shown) : s.flowNodes;
  const flowEdges = edgesStale ? reconcileEdges(s.flowEdges, shown, Date.now()) : s.flowEdges;
  if (flowNodes !== s.flowNodes || flowEdges !== s.flowEdges) useStore.setState({ flowNodes, flowEdges });
});

/** Resets the store (tests). */
export function resetStore(): void {
  resetRuntime();
  useStore.setState(initialState());
}
