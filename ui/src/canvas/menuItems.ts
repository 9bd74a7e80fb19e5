// The entries of the canvas's context menu, by what it was opened on. A
// node's menu also exports its exports from the composition (what the Run
// panel calls) and grants its WASI imports with an empty scope, so a new
// project runs without editing patchbay.toml. Composite nodes add entering,
// ungrouping and writing the composite alone; selected nodes can be grouped.

import { bindingForMode } from '../panels/bindingEdit';
import { compositeOf, fakeOfNodeId, viewDoc, type ContextMenuRequest, type Store } from '../store';

export type MenuItem = { label: string; hint?: string; run: () => void; disabled?: boolean; danger?: boolean };

/** Every node the canvas shows (inside a composite: its definition's). */
export function allNodes(s: Store): string[] {
  const doc = viewDoc(s);
  return [...(doc?.nodes.map((n) => n.id) ?? []), ...(s.inside.length ? [] : s.fakeNodes.map((f) => f.id))];
}

/** *Group…* for these nodes (fake nodes are bindings, not nodes: left out). */
function groupItems(s: Store, nodes: string[]): MenuItem[] {
  const real = nodes.filter((id) => !fakeOfNodeId(id));
  if (real.length === 0) return [];
  const label = real.length === 1 ? 'Group as a composite…' : `Group ${real.length} nodes…`;
  return [{ label, hint: 'Ctrl+G', run: () => s.requestGroup(real) }];
}

/** The entries of the menu `menu` opened, for the store as it is. */
export function menuItems(s: Store, menu: ContextMenuRequest, fitView: () => void): MenuItem[] {
  switch (menu.kind) {
    case 'pane':
      return [
        { label: 'Add node…', hint: 'Tab', run: () => s.setNodeSearch({ at: menu.at, screen: menu.screen }) },
        { label: 'Add component from a file…', run: () => void s.addComponents(null, menu.at) },
        { label: 'Paste', hint: 'Ctrl+V', run: () => s.paste(), disabled: !s.clipboard },
        { label: 'Select all', hint: 'Ctrl+A', run: () => s.setSelection(allNodes(s), []) },
        ...groupItems(s, s.selectedNodes),
        ...(s.inside.length ? [{ label: 'Go out of the composite', hint: 'Esc', run: () => s.leaveComposite(s.inside.length - 1) }] : []),
        { label: 'Fit view', run: fitView },
        { label: 'Auto-layout', run: () => void s.autoLayout() },
      ];
    case 'node': {
      const node = menu.node;
      const select = () => s.setSelection([node], []);
      if (fakeOfNodeId(node)) {
        return [
          { label: 'Delete', hint: 'Del', danger: true, run: () => (select(), s.deleteSelection()) },
        ];
      }
      const doc = viewDoc(s);
      const inside = s.inside.length > 0;
      const component = doc?.nodes.find((n) => n.id === node)?.component;
      const info = component ? s.components[component]?.info : null;
      const composite = component && compositeOf(s.doc, component) ? component : null;
      // The composition's exports: what the Run panel can call.
      const exportItems: MenuItem[] = (info?.exports ?? []).map((p) => {
        const exported = doc?.exports.some((e) => e.from.node === node && e.from.port === p.name);
        return exported
          ? {
              label: `Stop exporting ${p.name}`,
              run: () =>
                s.updateDoc(`Stop exporting ${node}.${p.name}`, (d) => {
                  d.exports = d.exports.filter((e) => !(e.from.node === node && e.from.port === p.name));
                }),
            }
          : {
              label: `Export ${p.name}`,
              run: () =>
                s.updateDoc(`Export ${node}.${p.name}`, (d) => {
                  d.exports.push({ from: { node, port: p.name }, name: null });
                }),
            };
      });
      const wasi = `${node}.wasi:*`;
      const grantItems: MenuItem[] =
        !inside && info?.imports.some((p) => p.name.startsWith('wasi:')) && !s.doc?.bindings.some((b) => b.selector === wasi)
          ? [{ label: 'Grant its WASI imports (no env, folders or network)', run: () => s.setBinding(wasi, bindingForMode('grant', null)) }]
          : [];
      // On a selected node, grouping takes the whole selection.
      const grouped = s.selectedNodes.includes(node) ? s.selectedNodes : [node];
      const compositeItems: MenuItem[] = composite
        ? [
            { label: 'Open composite', hint: 'Double-click', run: () => void s.enterComposite(node) },
            { label: 'Ungroup', hint: 'Ctrl+Shift+G', run: () => void s.ungroupNode(node) },
            { label: 'Export composite…', run: () => void s.exportComposite(composite) },
            { label: 'Save to library…', run: () => void s.saveCompositeToLibrary(composite) },
          ]
        : [];
      return [
        ...compositeItems,
        ...groupItems(s, grouped),
        { label: 'Rename…', run: () => s.setContextMenu({ ...menu, renaming: true }) },
        { label: 'Duplicate', run: () => void s.duplicateNode(node) },
        ...(inside ? [] : [{ label: 'Bindings', run: () => s.showNodeBindings(node) }]),
        ...exportItems,
        ...grantItems,
        { label: 'Copy', hint: 'Ctrl+C', run: () => (select(), s.copySelection()) },
        { label: 'Delete', hint: 'Del', danger: true, run: () => (select(), s.deleteSelection()) },
      ];
    }
    case 'edge': {
      const edge = menu.edge;
      return [
        { label: 'Delete wire', hint: 'Del', danger: true, run: () => (s.setSelection([], [edge]), s.deleteSelection()) },
      ];
    }
  }
}

