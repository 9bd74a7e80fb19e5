// The store's types: `State` and `Actions` (together `Store`), the small
// types they are made of, the React Flow node and edge types derived from the
// document, and the shape of a slice creator (see store.ts).

import type { Edge, EdgeChange, Node, NodeChange } from '@xyflow/react';
import type { PanelSizes } from './panelSizes';
import type { StateCreator, StoreApi } from 'zustand';
import type {
  AppEvent,
  Analysis,
  Binding,
  ComponentView,
  FakeName,
  FakeView,
  Location,
  OpenedProject,
  PackageFile,
  PortAddr,
  Problem,
  ProjectDoc,
  Recovery,
  RunLimits,
  RunReport,
  SampleComponentView,
  SampleView,
  ServeInfo,
  SessionInfo,
} from './backend';
import type { Clipboard, FakeNode } from './doc';
import type { InsideStep } from './inside';
import type { RunHistoryEntry, SavedArgs } from './runHistory';

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
/** A component's `build` command: running, or how it finished (with its
 *  output). */
export type BuildStatus = {
  component: string;
  command: string;
  running: boolean;
  finished: Extract<AppEvent, { kind: 'buildFinished' }> | null;
};
/** patchbay.toml as it is on disk after an outside edit, waiting for the
 *  user's choice while the editor has unsaved changes. */
export type DiskChange = { path: string; doc: ProjectDoc; components: ComponentView[] };
/** Why the last attempt to open a project, with none open, failed: shown on
 *  the empty state until a project opens. `retry` re-runs the start-up open
 *  (the project named on the command line, or the last one). */
export type OpenError = {
  message: string;
  detail: string | null;
  retry: 'startup' | null;
  /** A folder that holds no project: the empty state offers to create one there. */
  folder?: string | null;
};
/** The *New project* dialog: in `dir` (a folder that holds no project), or
 *  in a folder picked with the native dialog when null. */
export type NewProjectDialog = { dir: string | null };
/** A point on the graph (`at`) and on the screen (`screen`, for popups). */
export type CanvasPoint = { at: { x: number; y: number }; screen: { x: number; y: number } };
/** What a right-click on the canvas opened its menu on. */
export type ContextMenuRequest = CanvasPoint &
  ({ kind: 'pane' } | { kind: 'node'; node: string; renaming?: boolean } | { kind: 'edge'; edge: string });

export type ComponentNodeData = { component: string };
export type FakeNodeData = { fake: FakeName };
/** Node kinds, as a tagged union on `type`. */
export type ComponentFlowNode = Node<ComponentNodeData, 'component'>;
export type FakeFlowNode = Node<FakeNodeData, 'fake'>;
export type FlowNode = ComponentFlowNode | FakeFlowNode;

export type WireEdgeData = {
  /** Problems pinned to this wire (red, message on hover). */
  problems: Problem[] | null;
  /** A call crossed it within the last moments. */
  active: boolean;
  /** Set for the edge of a fake node (a `mock { fake }` binding). */
  fake: FakeName | null;
};
export type FlowEdge = Edge<WireEdgeData, 'wire'>;

export type State = {
  project: { path: string; dir: string } | null;
  doc: ProjectDoc | null;
  /** The document as last saved or opened; `dirty` is `doc !== savedDoc`. */
  savedDoc: ProjectDoc | null;
  components: Record<string, ComponentView>;
  analysis: Analysis | null;
  /** Why the last analysis failed (then `analysis` is null). */
  analysisError: string | null;
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
  /** The components shipped with the samples, addable without a dialog. */
  sampleComponents: SampleComponentView[];
  newProject: NewProjectDialog | null;
  /** A `.wac` recipe or component binary being imported as a project (the
   *  import dialog is open on it). */
  importing: string | null;
  /** The search popup that adds a node at a point of the canvas. */
  nodeSearch: CanvasPoint | null;
  contextMenu: ContextMenuRequest | null;
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
  /** Runs made in the open project: the number the last run is shown with. */
  projectRuns: number;
  running: boolean;
  lastCall: string | null;
  /** The call the run panel has composed; Ctrl+Enter and the toolbar run it. */
  pendingCall: string | null;
  limits: RunLimits;
  /** The run panel's live session, as the backend last reported it. */
  session: SessionInfo | null;
  /** When `session` was reported (its age counts on from there). */
  sessionAt: number;
  /** Give every run a fresh instance instead of the live session's. */
  freshPerCall: boolean;
  serving: ServeInfo | null;
  /** Edge id → time of the last call across it (for the glow). */
  activeWires: Record<string, number>;
  /** Edge id → the route the last auto-layout gave the wire (start, bend
   *  points, end; see layoutSlice.ts); drawn while it still fits its ends. */
  wireRoutes: Record<string, { x: number; y: number }[]>;
  liveEvents: LiveEvent[];
  /** The backend's composition key of the document the last run ran, and
   *  of the document now (see `resultIsStale`). */
  lastRunKey: string | null;
  docRunKey: string | null;
  /** The run form's arguments per function (`argsKey`), kept across edits. */
  runArgs: Record<string, SavedArgs>;
  /** The function the run panel shows (its call prefix). */
  runTarget: string | null;
  /** Calls made in this project, newest first (pinned ones kept). */
  runHistory: RunHistoryEntry[];
  /** The live session's calls so far, as this panel made them. */
  sessionCalls: string[];
  /** Component id → its last build, while it runs and after. */
  builds: Record<string, BuildStatus>;
  /** An outside edit of patchbay.toml met unsaved changes: Reload from disk
   *  or Keep my changes. */
  diskChange: DiskChange | null;

  theme: Theme;
  rightTab: RightTab;
  bottomTab: BottomTab;
  /** Side panel widths, dock height, which panels are open (remembered). */
  panels: PanelSizes;
  toasts: Toast[];
  busy: Record<string, boolean>;
  status: StatusLine | null;
  /** An autosaved document waiting for Recover / Discard. */
  recovery: Recovery | null;
  confirm: ConfirmRequest | null;
  exportOpen: boolean;
  paletteOpen: boolean;
  focus: FocusRequest | null;
  /** The composites entered, outermost first (empty: the top level). */
  inside: InsideStep[];
  /** The *Group* name box, open on these nodes with this suggested name. */
  groupPrompt: { nodes: string[]; name: string } | null;
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
  /** Adds component files (a dialog when `paths` is null) and a node of
   *  each, at `at` or near the middle of the view. */
  addComponents(paths: string[] | null, at?: { x: number; y: number }): Promise<void>;
  addNode(componentId: string, at?: { x: number; y: number }): string | null;
  /** Another node of the same component, with the node's own bindings. */
  duplicateNode(node: string): string | null;
  /** Renames a node and everything that names it; false if the name is taken. */
  renameNode(from: string, to: string): boolean;
  /** Splices `node` into the wire it was dropped on, if the backend finds
   *  an import of it that takes the wire's source and an export that feeds
   *  the wire's target. */
  spliceNode(node: string, wire: string): Promise<boolean>;
  /** Opens (or with null closes) the *New project* dialog. */
  setNewProject(request: NewProjectDialog | null): void;
  /** Creates an empty project in `dir` (a dialog picks it when null) and opens it. */
  createProject(name: string, dir: string | null): Promise<boolean>;
  /** Opens (or with null closes) the import dialog on a file. */
  setImporting(file: string | null): void;
  /** Imports `file` into the folder `output` (with a recipe's packages
   *  `deps`) and opens the project; false (and a toast) if it fails. */
  importProject(file: string, output: string, deps: PackageFile[]): Promise<boolean>;
  setNodeSearch(point: CanvasPoint | null): void;
  setContextMenu(menu: ContextMenuRequest | null): void;
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
  /** Asks the backend about the session for the document as it is now
   *  (an edit that changed the composition ends it). */
  refreshSession(): Promise<void>;
  /** Drops the session's instance: the next run makes a new one. */
  resetSession(): Promise<void>;
  /** Empties the session's mock calls, trace and fake state. */
  clearSession(): Promise<void>;
  setFreshPerCall(fresh: boolean): void;
  /** Asks the backend for the composition key of the document now. */
  refreshRunKey(): Promise<void>;
  setRunArgs(key: string, args: SavedArgs): void;
  setRunTarget(callPrefix: string | null): void;
  pinRun(run: number, pinned: boolean): void;
  /** Runs a history entry's call again (same function, same arguments). */
  rerunEntry(run: number): Promise<void>;
  /** Drops the unpinned history entries. */
  clearRunHistory(): void;
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
  /** Resizes or collapses panels; `remember` (default) saves the result. */
  setPanels(patch: Partial<PanelSizes>, remember?: boolean): void;
  recover(): void;
  discardRecovery(): Promise<void>;
  requestClose(): void;
  resolveConfirm(choice: 'save' | 'discard' | 'cancel'): Promise<void>;
  setExportOpen(open: boolean): void;
  setPaletteOpen(open: boolean): void;
  handleEvent(event: AppEvent): void;
  /** A build, a changed component file or an outside edit of patchbay.toml. */
  applyLiveEvent(event: Extract<AppEvent, { kind: 'buildStarted' | 'buildFinished' | 'componentChanged' | 'projectChanged' }>): void;
  /** The user's choice when patchbay.toml changed on disk under unsaved
   *  changes: take the file's document, or keep the editor's (the next save
   *  overwrites the file). */
  resolveDiskChange(choice: 'reload' | 'keep'): void;
  markWireActive(edgeIds: string[]): void;
  /** Opens the *Group* name box on `nodes` (default: the selection). */
  requestGroup(nodes?: string[]): void;
  /** Groups `nodes` of the graph shown into a new composite `name` (the
   *  backend's `group_nodes`); false, with the reason in the status line,
   *  when it refuses. */
  groupNodes(nodes: string[], name: string): Promise<boolean>;
  /** Replaces composite node `node` by its inner nodes (`ungroup_node`). */
  ungroupNode(node: string): Promise<boolean>;
  /** Enters the composite node `node` of the graph shown; false if it is
   *  not one. */
  enterComposite(node: string): boolean;
  /** Shows the graph reached by entering `steps` from the top level
   *  (none: the top level), nothing selected. */
  enterPath(steps: InsideStep[]): void;
  /** Goes back out to `depth` levels entered (0: the top level). */
  leaveComposite(depth: number): void;
  /** Shows a location that may be inside a composite: enters it first. */
  focusInside(loc: Location): void;
  /** Writes the composite alone as a component, in a folder a dialog picks. */
  exportComposite(composite: string): Promise<void>;
  /** Writes the composite as a library folder a dialog picks. */
  saveCompositeToLibrary(composite: string): Promise<void>;
};

export type Store = State & Actions;

/** What a slice creator gets: zustand's `set` and `get` of the whole store. */
export type SetState = StoreApi<Store>['setState'];
export type GetState = StoreApi<Store>['getState'];
/** One slice of the store: its part of `State` and `Actions`. */
export type Slice<T> = StateCreator<Store, [], [], T>;
