// Pure functions over the project document: ids, selectors, the fake nodes
// derived from bindings, deleting, copying and pasting. No React, no backend.

import type { Binding, BindingEntry, FakeName, NodeEntry, PortAddr, ProjectDoc, WireEntry } from './backend';

/** A fake node on the canvas. Fake nodes are UI-only: the document records
 *  only the `mock { fake }` bindings they stand for. */
export type FakeNode = { id: string; fake: FakeName; x: number; y: number };

/** The handle id of a fake node's single output. */
export const FAKE_PORT = 'fake';

export const FAKE_NAMES: readonly FakeName[] = ['kv', 'log', 'config', 'clock', 'random', 'http'];

export function fakeNodeId(fake: FakeName): string {
  return `fake:${fake}`;
}

export function isFakeNodeId(id: string): boolean {
  return id.startsWith('fake:');
}

export function fakeOfNodeId(id: string): FakeName | null {
  if (!isFakeNodeId(id)) return null;
  const name = id.slice('fake:'.length) as FakeName;
  return FAKE_NAMES.includes(name) ? name : null;
}

export function wireId(w: WireEntry): string {
  return `wire:${w.from.node}.${w.from.port}->${w.to.node}.${w.to.port}`;
}

/** The edge id of a fake node feeding `selector` (`node.import`). */
export function fakeEdgeId(fake: FakeName, selector: string): string {
  return `fake:${fake}->${selector}`;
}

export function portKey(p: PortAddr): string {
  return `${p.node}\u0000${p.port}`;
}

export function samePort(a: PortAddr, b: PortAddr): boolean {
  return a.node === b.node && a.port === b.port;
}

/** The exact selector of one import: `node.import`. */
export function selectorOf(p: PortAddr): string {
  return `${p.node}.${p.port}`;
}

/** Splits an exact selector `node.import`; null for wildcards. */
export function parseExactSelector(selector: string): PortAddr | null {
  if (selector.includes('*')) return null;
  const dot = selector.indexOf('.');
  if (dot <= 0 || dot === selector.length - 1) return null;
  return { node: selector.slice(0, dot), port: selector.slice(dot + 1) };
}

/** The node a selector names, or null when it is `*`. */
export function selectorNode(selector: string): string | null {
  const dot = selector.indexOf('.');
  const node = dot < 0 ? selector : selector.slice(0, dot);
  return node === '*' || node === '' ? null : node;
}

/** A binding that lets a built-in fake serve an import. */
export function fakeBinding(fake: FakeName): Binding {
  return { mode: 'mock', fake, functions: [], values: [], responses: [] };
}

/** The exact-selector bindings served by a fake: the edges of fake nodes. */
export function fakeLinks(doc: ProjectDoc): { fake: FakeName; selector: string; to: PortAddr }[] {
  const links: { fake: FakeName; selector: string; to: PortAddr }[] = [];
  for (const b of doc.bindings) {
    if (b.binding.mode !== 'mock' || !b.binding.fake) continue;
    const to = parseExactSelector(b.selector);
    if (!to) continue;
    links.push({ fake: b.binding.fake, selector: b.selector, to });
  }
  return links;
}

/** The fake nodes on the canvas, derived from the document: every fake
 *  placed in it (`doc.fakeNodes`, saved as `[fake-nodes]`) at its saved
 *  position, plus every fake a binding uses that has no saved place, put
 *  next to the first import it serves. Entries of `prev` that did not change
 *  are reused, and `prev` itself when nothing changed. */
export function reconcileFakeNodes(doc: ProjectDoc, prev: FakeNode[]): FakeNode[] {
  const out: FakeNode[] = [];
  const have = new Set<FakeName>();
  const spots = new Map<string, number>();
  const add = (fake: FakeName, x: number, y: number) => {
    have.add(fake);
    const old = prev.find((f) => f.fake === fake);
    out.push(old && old.x === x && old.y === y ? old : { id: fakeNodeId(fake), fake, x, y });
  };
  for (const placed of doc.fakeNodes) {
    if (!have.has(placed.fake)) add(placed.fake, placed.x, placed.y);
  }
  for (const link of fakeLinks(doc)) {
    if (have.has(link.fake)) continue;
    const target = doc.nodes.find((n) => n.id === link.to.node);
    const base = target ? { x: target.x - 300, y: target.y } : { x: 0, y: 0 };
    const key = `${base.x},${base.y}`;
    const k = spots.get(key) ?? 0;
    spots.set(key, k + 1);
    add(link.fake, base.x, base.y + k * 90);
  }
  const same = out.length === prev.length && out.every((f, i) => f === prev[i]);
  return same ? prev : out;
}

/** Places a fake's node in the document (a draft), or moves it there. */
export function placeFakeNode(doc: ProjectDoc, fake: FakeName, at: { x: number; y: number }): void {
  const entry = doc.fakeNodes.find((f) => f.fake === fake);
  if (entry) {
    entry.x = at.x;
    entry.y = at.y;
  } else {
    doc.fakeNodes.push({ fake, x: at.x, y: at.y });
  }
}

/** A node id not in `taken`: `base` itself, else `base` numbered on its last
 *  word (`memory`, `memory2`, `memory3` …). `base` is an id the backend made
 *  (a component id, or the id of a node being copied), so the result keeps
 *  its form; what makes an id valid is the backend's rule (`NodeId` in
 *  patchbay-project), which analysis reports on the node if it is broken. */
export function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  const m = /^(.*?)(\d+)$/.exec(base);
  const stem = m && /[a-z]$/.test(m[1]) ? m[1] : base;
  let i = m && stem === m[1] ? Number(m[2]) + 1 : 2;
  while (taken.has(`${stem}${i}`)) i++;
  return `${stem}${i}`;
}

/** Whether a binding's selector belongs to one of `nodes` (named, not `*`). */
function selectorInNodes(selector: string, nodes: Set<string>): boolean {
  const node = selectorNode(selector);
  return node !== null && nodes.has(node);
}

/** What deleting removes: nodes (with their wires, bindings and exports),
 *  wires by edge id, and fake edges (their bindings). Mutates `doc` (a draft). */
export function deleteFromDoc(
  doc: ProjectDoc,
  nodeIds: Set<string>,
  edgeIds: Set<string>,
  fakeNodesRemoved: Set<FakeName>,
): void {
  doc.nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
  doc.fakeNodes = doc.fakeNodes.filter((f) => !fakeNodesRemoved.has(f.fake));
  doc.wires = doc.wires.filter(
    (w) => !nodeIds.has(w.from.node) && !nodeIds.has(w.to.node) && !edgeIds.has(wireId(w)),
  );
  doc.exports = doc.exports.filter((e) => !nodeIds.has(e.from.node));
  doc.bindings = doc.bindings.filter((b) => {
    if (selectorInNodes(b.selector, nodeIds)) return false;
    if (b.binding.mode === 'mock' && b.binding.fake && parseExactSelector(b.selector)) {
      if (fakeNodesRemoved.has(b.binding.fake)) return false;
      if (edgeIds.has(fakeEdgeId(b.binding.fake, b.selector))) return false;
    }
    return true;
  });
}

/** What Ctrl+C keeps: nodes, the wires among them and their own bindings. */
export type Clipboard = { nodes: NodeEntry[]; wires: WireEntry[]; bindings: BindingEntry[] };

export function copyFromDoc(doc: ProjectDoc, nodeIds: Set<string>): Clipboard | null {
  const nodes = doc.nodes.filter((n) => nodeIds.has(n.id));
  if (nodes.length === 0) return null;
  const wires = doc.wires.filter((w) => nodeIds.has(w.from.node) && nodeIds.has(w.to.node));
  const bindings = doc.bindings.filter((b) => selectorInNodes(b.selector, nodeIds));
  return structuredClone({ nodes, wires, bindings });
}

/** Pastes a clipboard into `doc` (a draft) with fresh node ids, offset by
 *  `offset`; internal wires and bindings follow the renamed nodes. Returns the
 *  new node ids. */
export function pasteIntoDoc(doc: ProjectDoc, clip: Clipboard, offset: { x: number; y: number }): string[] {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = uniqueId(n.id, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  // A node instantiates a component or a composite.
  const known = new Set([...doc.components.map((c) => c.id), ...(doc.composites ?? []).map((c) => c.name)]);
  const added: string[] = [];
  for (const n of clip.nodes) {
    if (!known.has(n.component)) continue;
    const id = rename.get(n.id)!;
    doc.nodes.push({ id, component: n.component, x: n.x + offset.x, y: n.y + offset.y });
    added.push(id);
  }
  const addedSet = new Set(added);
  for (const w of clip.wires) {
    const from = rename.get(w.from.node);
    const to = rename.get(w.to.node);
    if (!from || !to || !addedSet.has(from) || !addedSet.has(to)) continue;
    doc.wires.push({ from: { node: from, port: w.from.port }, to: { node: to, port: w.to.port } });
  }
  for (const b of clip.bindings) {
    const node = selectorNode(b.selector);
    const renamed = node ? rename.get(node) : undefined;
    if (!node || !renamed || !addedSet.has(renamed)) continue;
    const selector = renamed + b.selector.slice(node.length);
    doc.bindings = doc.bindings.filter((x) => x.selector !== selector);
    doc.bindings.push({ selector, binding: structuredClone(b.binding) });
  }
  return added;
}

/** Sets or removes (null) the binding with exactly this selector, keeping
 *  file order for a replacement. Mutates `doc` (a draft). */
export function setBindingInDoc(doc: ProjectDoc, selector: string, binding: Binding | null): void {
  const i = doc.bindings.findIndex((b) => b.selector === selector);
  if (binding === null) {
    if (i >= 0) doc.bindings.splice(i, 1);
  } else if (i >= 0) {
    doc.bindings[i] = { selector, binding };
  } else {
    doc.bindings.push({ selector, binding });
  }
}

/** Whether every node sits at the same position (a generated project). */
export function allStacked(nodes: { x: number; y: number }[]): boolean {
  if (nodes.length < 2) return false;
  return nodes.every((n) => n.x === nodes[0].x && n.y === nodes[0].y);
}

/** The last path segment, for toasts and titles. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : path;
}

/** Feeds `to` from `from` instead of whatever fed it: the old wire into `to`
 *  (if any) goes, the new one comes, and a fake's binding on `to` goes (a
 *  wired import needs none). Mutates `doc` (a draft). Whether the wire is
 *  allowed is the backend's question, asked before. */
export function replaceWireInDoc(doc: ProjectDoc, from: PortAddr, to: PortAddr): void {
  doc.wires = doc.wires.filter((w) => !samePort(w.to, to));
  doc.wires.push({ from, to });
  const selector = selectorOf(to);
  doc.bindings = doc.bindings.filter(
    (b) => !(b.selector === selector && b.binding.mode === 'mock' && b.binding.fake !== null),
  );
}

/** Splices node `via` into `wire`: the wire's source feeds `via`'s import
 *  `input`, and `via`'s export `output` feeds the wire's target, in place
 *  of the wire. Mutates `doc` (a draft). */
export function spliceIntoDoc(doc: ProjectDoc, wire: WireEntry, via: string, input: string, output: string): void {
  doc.wires = doc.wires.filter((w) => !(samePort(w.from, wire.from) && samePort(w.to, wire.to)));
  replaceWireInDoc(doc, wire.from, { node: via, port: input });
  replaceWireInDoc(doc, { node: via, port: output }, wire.to);
}

/** Renames node `from` to `to` with everything that names it: wires,
 *  exports and bindings whose selector names the node. Mutates `doc` (a
 *  draft); false (and nothing changed) when `from` is unknown or `to` is
 *  taken. Whether `to` is a valid id is the backend's rule, which analysis
 *  reports on the node. */
export function renameNodeInDoc(doc: ProjectDoc, from: string, to: string): boolean {
  if (from === to || !doc.nodes.some((n) => n.id === from) || doc.nodes.some((n) => n.id === to)) return false;
  for (const n of doc.nodes) if (n.id === from) n.id = to;
  for (const w of doc.wires) {
    if (w.from.node === from) w.from.node = to;
    if (w.to.node === from) w.to.node = to;
  }
  for (const e of doc.exports) if (e.from.node === from) e.from.node = to;
  for (const b of doc.bindings) if (selectorNode(b.selector) === from) b.selector = to + b.selector.slice(from.length);
  return true;
}
