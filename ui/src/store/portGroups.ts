// Which imports of a node collapse into one row. A Rust guest imports every
// WASI interface it touches (wasi:cli alone is ten), so a node would be a
// tall column of identical `grant` rows; instead, unwired imports of one
// package that the same binding governs (same mode, fake and selector) share
// one group row. A port that needs attention (wired, with a problem, or
// bound differently) is always shown on its own. Pure: ports, the effective
// bindings, the wires and the problems in, rows out.

import type { FakeName, ImportMode, ImportState, PortInfo } from './backend';

/** How the members of a group are bound: a binding mode, or `types` for
 *  imports that only carry types (they need neither wire nor binding). */
export type GroupMode = Exclude<ImportMode, 'wired'> | 'types';

export type PortGroup = {
  /** `package` + how it is bound: unique within a node. */
  key: string;
  /** `namespace:package` (`wasi:cli`). */
  package: string;
  /** The version every member has, or null when they differ or have none. */
  version: string | null;
  mode: GroupMode;
  fake: FakeName | null;
  /** The binding that applies to every member (`*.wasi:*`), if any. */
  selector: string | null;
  /** The member ports, in the component's order. */
  ports: PortInfo[];
  expanded: boolean;
};

/** One row of a node's import list: a port (`group` names the expanded
 *  group it belongs to, if any) or a group's header row. A collapsed group
 *  is one row standing for all its ports; an expanded one is its header
 *  followed by a `port` row per member. */
export type ImportRow = { kind: 'port'; port: PortInfo; group: string | null } | { kind: 'group'; group: PortGroup };

/** Lookups by port name (a Map or Set will do). */
type Lookup<T> = { get(name: string): T | undefined };
type Has = { has(name: string): boolean };

export type ImportRowsInput = {
  /** The effective binding of each import of this node, by port name. */
  states: Lookup<ImportState>;
  /** Names of this node's imports that a wire feeds. */
  wired: Has;
  /** Names of this node's imports that have a problem pinned to them. */
  problems: Has;
  /** Packages whose groups the user expanded on this node. */
  expanded: Has;
};

/** The smallest group worth a row of its own. */
export const MIN_GROUP = 2;

function groupModeOf(state: ImportState | undefined): GroupMode | null {
  if (!state) return null;
  if (state.typesOnly) return 'types';
  return state.mode === 'wired' ? null : state.mode;
}

/** The key of the group `port` would join, or null when it stays a row of its own. */
function groupKeyOf(port: PortInfo, input: ImportRowsInput): string | null {
  if (!port.package || input.wired.has(port.name) || input.problems.has(port.name)) return null;
  const state = input.states.get(port.name);
  const mode = groupModeOf(state);
  if (!mode || !state) return null;
  return `${port.package}\u0000${mode}\u0000${state.fake ?? ''}\u0000${state.selector ?? ''}`;
}

/** The rows of a node's imports, in the component's order: each group takes
 *  the place of its first member. */
export function importRows(imports: readonly PortInfo[], input: ImportRowsInput): ImportRow[] {
  const members = new Map<string, PortInfo[]>();
  const keys = imports.map((p) => {
    const key = groupKeyOf(p, input);
    if (key !== null) {
      const list = members.get(key);
      if (list) list.push(p);
      else members.set(key, [p]);
    }
    return key;
  });
  const rows: ImportRow[] = [];
  const placed = new Set<string>();
  imports.forEach((port, i) => {
    const key = keys[i];
    const ports = key === null ? null : members.get(key)!;
    if (key === null || !ports || ports.length < MIN_GROUP) {
      rows.push({ kind: 'port', port, group: null });
      return;
    }
    if (placed.has(key)) return;
    placed.add(key);
    const state = input.states.get(port.name)!;
    const version = ports.every((p) => p.version === port.version) ? port.version : null;
    const group: PortGroup = {
      key,
      package: port.package!,
      version,
      mode: groupModeOf(state)!,
      fake: state.fake,
      selector: state.selector,
      ports,
      expanded: input.expanded.has(port.package!),
    };
    rows.push({ kind: 'group', group });
    if (group.expanded) for (const p of ports) rows.push({ kind: 'port', port: p, group: key });
  });
  return rows;
}

/** The collapsed group holding `port`, if it is hidden in one. */
export function collapsedGroupOf(rows: readonly ImportRow[], port: string): PortGroup | null {
  for (const r of rows) {
    if (r.kind === 'group' && !r.group.expanded && r.group.ports.some((p) => p.name === port)) return r.group;
  }
  return null;
}

/** Whether two row lists draw the same (so a node need not re-render). */
export function sameRows(a: readonly ImportRow[], b: readonly ImportRow[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind === 'port' && y.kind === 'port') {
      if (x.port !== y.port || x.group !== y.group) return false;
    } else if (x.kind === 'group' && y.kind === 'group') {
      const g = x.group;
      const h = y.group;
      if (g.key !== h.key || g.expanded !== h.expanded || g.ports.length !== h.ports.length) return false;
      if (g.ports.some((p, j) => p !== h.ports[j])) return false;
    } else return false;
  }
  return true;
}

/** `wasi:cli · 10 imports · grant`: what a collapsed group stands for. */
export function groupSummary(g: PortGroup): string {
  const what = g.mode === 'types' ? 'types only' : g.fake ? `${g.mode} · ${g.fake}` : g.mode;
  return `${g.package} · ${g.ports.length} imports · ${what}`;
}
