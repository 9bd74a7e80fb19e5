// The composite slice: grouping nodes into a composite node and back, the
// composite a user entered (drill-down, see inside.ts), and writing a
// composite alone (a component, or a library folder). Every rule is the
// backend's: the store sends the document, takes the one it gets back as one
// undoable edit, and shows a refusal's reason.

import { commands, errorText, type ProjectDoc } from './backend';
import { commitDoc } from './docSlice';
import { uniqueId } from './doc';
import { compositeOf, currentComposite, innermost, validSteps, viewDoc } from './inside';
import { isCancelled } from './runtime';
import type { Slice, State, Store } from './types';

type CompositeState = 'inside' | 'groupPrompt';
type CompositeActions =
  | 'requestGroup' | 'groupNodes' | 'ungroupNode' | 'enterComposite' | 'enterPath' | 'leaveComposite' | 'focusInside'
  | 'exportComposite' | 'saveCompositeToLibrary';
export type CompositeSlice = Pick<Store, CompositeState | CompositeActions>;

export function compositeInitial(): Pick<State, CompositeState> {
  return { inside: [], groupPrompt: null };
}

/** A name for a new composite no node, component or composite has yet:
 *  `group`, `group2` … (a suggestion; the backend checks the name; never
 *  `group-1`, which is no id: a kebab-case word cannot start with a digit). */
export function suggestGroupName(doc: ProjectDoc): string {
  const taken = new Set<string>([
    ...doc.components.map((c) => c.id),
    ...(doc.composites ?? []).map((c) => c.name),
    ...doc.nodes.map((n) => n.id),
    ...(doc.composites ?? []).flatMap((c) => c.nodes.map((n) => n.id)),
  ]);
  return uniqueId('group', taken);
}

/** `view` (a definition as a project, as the backend changed it) put back
 *  into the whole document `doc` in place of the definition `composite`. */
function putBack(doc: ProjectDoc, composite: string, view: ProjectDoc): ProjectDoc {
  const composites = (view.composites ?? []).map((c) =>
    c.name === composite ? { ...c, nodes: view.nodes, wires: view.wires, exports: view.exports } : c,
  );
  return { ...doc, components: view.components, composites };
}

export const createCompositeSlice: Slice<CompositeSlice> = (set, get) => {
  /** Takes the backend's answer for the document `sent` as one edit,
   *  unless the document changed while it was asked. */
  const apply = (label: string, sent: ProjectDoc, composite: string | null, next: ProjectDoc): boolean => {
    const { doc } = get();
    if (!doc || viewDoc(get()) !== sent) {
      get().setStatus({ text: `${label}: the document changed meanwhile; try again`, kind: 'error' });
      return false;
    }
    commitDoc(set, get, label, composite === null ? next : putBack(doc, composite, next));
    return true;
  };

  return {
    ...compositeInitial(),

    requestGroup(nodes) {
      const doc = viewDoc(get());
      if (!doc) return;
      const picked = (nodes ?? get().selectedNodes).filter((id) => doc.nodes.some((n) => n.id === id));
      if (picked.length === 0) {
        get().setStatus({ text: 'Not grouped: select the nodes to group first', kind: 'error' });
        return;
      }
      set({ groupPrompt: { nodes: picked, name: suggestGroupName(get().doc!) }, contextMenu: null });
    },

    async groupNodes(nodes, name) {
      const sent = viewDoc(get());
      if (!sent) return false;
      const composite = currentComposite(get());
      let grouped;
      try {
        grouped = await commands.groupNodes({ doc: sent, nodes, name: name.trim() });
      } catch (e) {
        get().setStatus({ text: `Not grouped: ${errorText(e)}`, kind: 'error' });
        return false;
      }
      const label = `Group ${nodes.length} node${nodes.length === 1 ? '' : 's'} as ${grouped.node}`;
      if (!apply(label, sent, composite, grouped.doc)) return false;
      set({ groupPrompt: null, selectedNodes: [grouped.node], selectedEdges: [], selectedPort: null });
      get().setStatus({ text: `Grouped ${nodes.length} nodes into ${grouped.node}`, kind: 'info' });
      return true;
    },

    async ungroupNode(node) {
      const sent = viewDoc(get());
      if (!sent) return false;
      const composite = currentComposite(get());
      let ungrouped;
      try {
        ungrouped = await commands.ungroupNode({ doc: sent, node });
      } catch (e) {
        get().setStatus({ text: `Not ungrouped: ${errorText(e)}`, kind: 'error' });
        return false;
      }
      if (!apply(`Ungroup ${node}`, sent, composite, ungrouped.doc)) return false;
      set({ selectedNodes: ungrouped.nodes, selectedEdges: [], selectedPort: null });
      get().setStatus({ text: `Ungrouped ${node} into ${ungrouped.nodes.length} nodes`, kind: 'info' });
      return true;
    },

    enterComposite(node) {
      const view = viewDoc(get());
      const component = view?.nodes.find((n) => n.id === node)?.component;
      if (!component || !compositeOf(get().doc, component)) return false;
      set((s) => ({
        inside: [...s.inside, { node, composite: component }],
        selectedNodes: [],
        selectedEdges: [],
        selectedPort: null,
        drag: null,
        contextMenu: null,
      }));
      get().focusNodes([]);
      return true;
    },

    enterPath(steps) {
      const { inside } = get();
      const same = steps.length === inside.length && steps.every((x, i) => x.node === inside[i].node && x.composite === inside[i].composite);
      if (same) return;
      set({ inside: validSteps(get().doc, steps), selectedNodes: [], selectedEdges: [], selectedPort: null, drag: null });
    },

    leaveComposite(depth) {
      const { inside } = get();
      if (depth >= inside.length) return;
      // Leaving selects the composite node it was entered from.
      const from = inside[depth].node;
      set({ inside: inside.slice(0, depth), selectedNodes: [from], selectedEdges: [], selectedPort: null, drag: null });
      get().focusNodes([]);
    },

    focusInside(loc) {
      const { composite, nodes, inner } = innermost(loc);
      if (composite === null) {
        get().focusLocation(loc);
        return;
      }
      const doc = get().doc;
      // Enter the composite from the top: through the node the backend
      // names, else the first node that instantiates it.
      const via = nodes[0] ?? doc?.nodes.find((n) => n.component === composite)?.id;
      if (!doc || !compositeOf(doc, composite)) return;
      set({ inside: [{ node: via ?? composite, composite }], selectedNodes: [], selectedEdges: [], selectedPort: null });
      get().focusLocation(inner);
    },

    async exportComposite(composite) {
      const { doc } = get();
      if (!doc) return;
      try {
        const out = await commands.exportComposite({ doc, composite, dir: null, chooseDir: true });
        get().toast(`Exported ${composite} to ${out.path} (${out.imports.length} imports, ${out.exports.length} exports)`, 'success');
      } catch (e) {
        if (!isCancelled(e)) get().setStatus({ text: `Composite ${composite} not exported: ${errorText(e)}`, kind: 'error' });
      }
    },

    async saveCompositeToLibrary(composite) {
      const { doc } = get();
      if (!doc) return;
      try {
        const saved = await commands.saveCompositeToLibrary({ doc, composite, folder: null, chooseFolder: true });
        get().toast(`Saved ${composite} to ${saved.folder}: add ${saved.component} to another project`, 'success');
      } catch (e) {
        if (!isCancelled(e)) get().setStatus({ text: `Composite ${composite} not saved: ${errorText(e)}`, kind: 'error' });
      }
    },
  };
};
