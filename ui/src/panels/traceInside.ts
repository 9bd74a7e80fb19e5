// A trace row's wire, also when the call crossed a wire inside a composite.
// A traced run flattens composites (patchbay-compose's `flattened`): an
// inner node runs as a node of its own, named after the composite node and
// its inner id (`stage-a`: the composite node `stage`, its inner node `a`;
// `stage/a` is read the same). The row leads to the wire in the graph that
// holds it: the top level, or the composite entered through those nodes.

import { compositeOf, type InsideStep, type NodeEntry, type ProjectDoc, type TraceEntry, type WireEntry } from '../store';
import { wireIndexOf } from './text';

export type TraceTarget = { steps: InsideStep[]; index: number; wire: WireEntry };

/** The node a traced name stands for, as the path of node ids from the top
 *  level (`['stage', 'a']`), or null when the document has no such node. */
export function nodePath(doc: ProjectDoc, name: string, nodes: NodeEntry[] = doc.nodes, depth = 0): string[] | null {
  if (nodes.some((n) => n.id === name)) return [name];
  if (depth > 16) return null;
  for (const n of nodes) {
    const def = compositeOf(doc, n.component);
    if (!def || name.length <= n.id.length + 1 || !name.startsWith(n.id)) continue;
    const sep = name[n.id.length];
    if (sep !== '-' && sep !== '/') continue;
    const inner = nodePath(doc, name.slice(n.id.length + 1), def.nodes, depth + 1);
    if (inner) return [n.id, ...inner];
  }
  return null;
}

/** A traced node name as people read it: `stage › a` inside a composite. */
export function nodePathText(doc: ProjectDoc | null, name: string): string {
  const path = doc ? nodePath(doc, name) : null;
  return path ? path.join(' › ') : name;
}

/** The graph (`steps` entered from the top level) and wire a trace entry
 *  crossed, or null when the document has none that matches. */
export function traceTarget(doc: ProjectDoc, entry: TraceEntry): TraceTarget | null {
  const caller = nodePath(doc, entry.caller);
  const callee = nodePath(doc, entry.callee);
  if (!caller || !callee) return null;
  // The composite nodes both ends are inside.
  let shared = 0;
  while (shared < caller.length - 1 && shared < callee.length - 1 && caller[shared] === callee[shared]) shared++;
  const steps: InsideStep[] = [];
  let graph: ProjectDoc = doc;
  for (const node of caller.slice(0, shared)) {
    const component = graph.nodes.find((n) => n.id === node)?.component;
    const def = component ? compositeOf(doc, component) : undefined;
    if (!def) return null;
    steps.push({ node, composite: def.name });
    graph = { ...doc, nodes: def.nodes, wires: def.wires, exports: def.exports };
  }
  // An end deeper inside than the other is, in this graph, the composite
  // node it is in.
  const index = wireIndexOf(graph, { ...entry, caller: caller[shared], callee: callee[shared] });
  return index < 0 ? null : { steps, index, wire: graph.wires[index] };
}
