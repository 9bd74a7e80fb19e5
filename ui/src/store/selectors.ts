// Indexes derived from the store, computed once per analysis or document and
// cached by identity, so hundreds of nodes can each select a small value
// (a count, a mode) without scanning lists on every store change.

import type { Analysis, ImportState, PortInfo, Problem, ProjectDoc, WireEntry } from './backend';
import { parseExactSelector, portKey, selectorNode } from './doc';
import { viewAnalysis, viewDoc } from './inside';
import { importRows, sameRows, type ImportRow, type ImportRowsInput } from './portGroups';
import type { DragState, State, Store } from './types';

export type ProblemIndex = {
  /** Problems pinned to a node, one of its ports, its component, or an exact binding of it. */
  byNode: Map<string, Problem[]>;
  /** Problems of one port (`portKey`). */
  byPort: Map<string, Problem[]>;
  /** Problems of one wire, by index into `doc.wires`. */
  byWire: Map<number, Problem[]>;
  errors: number;
  warnings: number;
  /** Notes (an empty project's "nothing to compose yet"): information, not
   *  problems, so they are neither counted as warnings nor drawn on the
   *  canvas; the Problems panel lists them as notes. */
  notes: number;
};

const problemCache = new WeakMap<Analysis, ProblemIndex>();
const importCache = new WeakMap<Analysis, Map<string, ImportState>>();
const wiredCache = new WeakMap<WireEntry[], { imports: Set<string>; exports: Set<string> }>();

const EMPTY_INDEX: ProblemIndex = { byNode: new Map(), byPort: new Map(), byWire: new Map(), errors: 0, warnings: 0, notes: 0 };

function push<K>(map: Map<K, Problem[]>, key: K, p: Problem): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(p)) list.push(p);
  } else map.set(key, [p]);
}

export function problemIndex(analysis: Analysis | null): ProblemIndex {
  if (!analysis) return EMPTY_INDEX;
  let index = problemCache.get(analysis);
  if (index) return index;
  index = { byNode: new Map(), byPort: new Map(), byWire: new Map(), errors: 0, warnings: 0, notes: 0 };
  for (const p of analysis.problems) {
    if (p.severity === 'note') {
      index.notes++;
      continue;
    }
    if (p.severity === 'error') index.errors++;
    else index.warnings++;
    const loc = p.location;
    switch (loc.kind) {
      case 'node':
        push(index.byNode, loc.node, p);
        break;
      case 'port':
        push(index.byNode, loc.node, p);
        push(index.byPort, portKey(loc), p);
        break;
      case 'component':
        for (const n of loc.nodes) push(index.byNode, n, p);
        break;
      case 'wire':
        push(index.byWire, loc.index, p);
        break;
      case 'composite':
        // Inside a composite: on the nodes that instantiate it.
        for (const n of loc.nodes) push(index.byNode, n, p);
        break;
      case 'binding': {
        const exact = parseExactSelector(loc.selector);
        if (exact) {
          push(index.byNode, exact.node, p);
          push(index.byPort, portKey(exact), p);
        } else {
          const node = selectorNode(loc.selector);
          if (node) push(index.byNode, node, p);
        }
        break;
      }
      default:
        break;
    }
  }
  problemCache.set(analysis, index);
  return index;
}

export function importStates(analysis: Analysis | null): Map<string, ImportState> {
  if (!analysis) return new Map();
  let map = importCache.get(analysis);
  if (!map) {
    map = new Map(analysis.imports.map((i) => [portKey(i), i]));
    importCache.set(analysis, map);
  }
  return map;
}

export function wiredPorts(doc: ProjectDoc | null): { imports: Set<string>; exports: Set<string> } {
  if (!doc) return { imports: new Set(), exports: new Set() };
  let sets = wiredCache.get(doc.wires);
  if (!sets) {
    sets = { imports: new Set(doc.wires.map((w) => portKey(w.to))), exports: new Set(doc.wires.map((w) => portKey(w.from))) };
    wiredCache.set(doc.wires, sets);
  }
  return sets;
}

/** The shipped samples, the one a newcomer should start with first. */
export const FIRST_SAMPLE = 'kv-service';

export function orderedSamples<T extends { name: string }>(samples: T[]): T[] {
  return [...samples].sort((a, b) =>
    a.name === FIRST_SAMPLE ? -1 : b.name === FIRST_SAMPLE ? 1 : a.name.localeCompare(b.name),
  );
}

/** A sample's description is the first comment line of its project file,
 *  which may stop mid-sentence: keep the whole sentences. */
export function sampleBlurb(description: string): string {
  const text = description.trim();
  if (text.endsWith('.')) return text;
  const end = text.lastIndexOf('. ');
  return end > 0 ? text.slice(0, end + 1) : text;
}

// Selectors returning primitives or stable references, for `useStore(sel)`.

export const selectNodeProblemCount = (node: string) => (s: Store) =>
  problemIndex(viewAnalysis(s)).byNode.get(node)?.length ?? 0;

export const selectNodeProblems = (node: string) => (s: Store) => problemIndex(viewAnalysis(s)).byNode.get(node);

export const selectImportMode = (node: string, port: string) => (s: Store) =>
  importStates(viewAnalysis(s)).get(portKey({ node, port }))?.mode ?? null;

export const selectIsWired = (node: string, port: string, side: 'import' | 'export') => (s: Store) =>
  wiredPorts(viewDoc(s))[side === 'import' ? 'imports' : 'exports'].has(portKey({ node, port }));

export type DragMark = '' | 'origin' | 'lit' | 'dim';

/** How a handle looks during a wire drag: the origin, lit (compatible), dim,
 *  or '' when nothing is dragged (or the candidates are still coming). */
export function dragMarkOf(d: DragState | null, node: string, port: string, side: 'import' | 'export'): DragMark {
  if (!d) return '';
  if (d.side === side && d.from.node === node && d.from.port === port) return 'origin';
  if (d.pending) return '';
  if (d.direction !== side) return 'dim';
  return d.compatible.some((p) => p.node === node && p.port === port) ? 'lit' : 'dim';
}

export const selectDragMark = (node: string, port: string, side: 'import' | 'export') => (s: Store) =>
  dragMarkOf(s.drag, node, port, side);

export const selectPortProblems = (node: string, port: string) => (s: Store) =>
  problemIndex(viewAnalysis(s)).byPort.get(portKey({ node, port }));

export const selectImportState = (node: string, port: string) => (s: Store) =>
  importStates(viewAnalysis(s)).get(portKey({ node, port })) ?? null;

export const selectIsSelectedPort = (node: string, port: string, side: 'import' | 'export') => (s: Store) =>
  s.selectedPort !== null && s.selectedPort.node === node && s.selectedPort.port === port && s.selectedPort.side === side;

// Import rows (groups of like imports, see portGroups.ts).

const NO_PACKAGES: readonly string[] = [];

/** What `importRows` needs about `node`, read through the cached indexes. */
export function importRowsInput(s: Pick<State, 'analysis' | 'doc' | 'expandedGroups' | 'inside'>, node: string): ImportRowsInput {
  const states = importStates(viewAnalysis(s));
  const wired = wiredPorts(viewDoc(s)).imports;
  const problems = problemIndex(viewAnalysis(s)).byPort;
  const expanded = s.expandedGroups[node] ?? NO_PACKAGES;
  return {
    states: { get: (port) => states.get(portKey({ node, port })) },
    wired: { has: (port) => wired.has(portKey({ node, port })) },
    problems: { has: (port) => problems.has(portKey({ node, port })) },
    expanded: { has: (pkg) => expanded.includes(pkg) },
  };
}

/** The imports of a node as the canvas draws them (no node: none). */
export function importRowsOf(s: Pick<State, 'analysis' | 'doc' | 'expandedGroups' | 'components' | 'inside'>, node: string): ImportRow[] {
  const component = viewDoc(s)?.nodes.find((n) => n.id === node)?.component;
  const imports = (component && s.components[component]?.info?.imports) || [];
  return importRows(imports, importRowsInput(s, node));
}

type RowsEntry = {
  analysis: Analysis | null;
  wires: WireEntry[] | undefined;
  expanded: readonly string[] | undefined;
  rows: ImportRow[];
};
const rowsCache = new WeakMap<readonly PortInfo[], Map<string, RowsEntry>>();

/** The import rows of `node` for `useStore`: recomputed only when the
 *  analysis, the wires or the node's expanded groups change, and the same
 *  array as before while the rows draw the same, so a node re-renders only
 *  when its rows do. */
export const selectImportRows = (node: string, imports: readonly PortInfo[]) => (s: Store) => {
  let perNode = rowsCache.get(imports);
  if (!perNode) {
    perNode = new Map();
    rowsCache.set(imports, perNode);
  }
  const wires = viewDoc(s)?.wires;
  const expanded = s.expandedGroups[node];
  const analysis = viewAnalysis(s);
  const old = perNode.get(node);
  if (old && old.analysis === analysis && old.wires === wires && old.expanded === expanded) return old.rows;
  const rows = importRows(imports, importRowsInput(s, node));
  perNode.set(node, { analysis, wires, expanded, rows: old && sameRows(old.rows, rows) ? old.rows : rows });
  return perNode.get(node)!.rows;
};
