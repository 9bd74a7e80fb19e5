// A trace row's wire, also when the call crossed a wire inside a composite:
// the backend names an inner node by its path (`stage/a`, the composite node
// `stage`, its inner node `a`). The row leads to the wire in the graph that
// holds it: the top level, or the composite entered through those nodes.

import { compositeOf, type InsideStep, type ProjectDoc, type TraceEntry, type WireEntry } from '../store';
import { wireIndexOf } from './text';

export type TraceTarget = { steps: InsideStep[]; index: number; wire: WireEntry };

/** The graph (`steps` entered from the top) and wire a trace entry crossed,
 *  or null when the document has none that matches. */
export function traceTarget(doc: ProjectDoc, entry: TraceEntry): TraceTarget | null {
  const caller = entry.caller.split('/');
  const callee = entry.callee.split('/');
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

/** A node path as the trace shows it: `stage › a`. */
export function nodePathText(path: string): string {
  return path.split('/').join(' › ');
}
