// The entries of the canvas's context menu, by what it was opened on. A
// node's menu also exports its exports from the composition (what the Run
// panel calls) and grants its WASI imports with an empty scope, so a new
// project runs without editing patchbay.toml.

import { bindingForMode } from '../panels/bindingEdit';
import { fakeOfNodeId, type ContextMenuRequest, type Store } from '../store';

export type MenuItem = { label: string; hint?: string; run: () => void; disabled?: boolean; danger?: boolean };

/** The entries of the menu `menu` opened, for the store as it is. */
export function menuItems(s: Store, menu: ContextMenuRequest, fitView: () => void): MenuItem[] {
  switch (menu.kind) {
    case 'pane':
      return [
        { label: 'Add node…', hint: 'Tab', run: () => s.setNodeSearch({ at: menu.at, screen: menu.screen }) },
        { label: 'Add component from a file…', run: () => void s.addComponents(null, menu.at) },
        { label: 'Paste', hint: 'Ctrl+V', run: () => s.paste(), disabled: !s.clipboard },
        { label: 'Select all', hint: 'Ctrl+A', run: () => s.setSelection([...(s.doc?.nodes.map((n) => n.id) ?? []), ...s.fakeNodes.map((f) => f.id)], []) },
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
      const component = s.doc?.nodes.find((n) => n.id === node)?.component;
      const info = component ? s.components[component]?.info : null;
      // The composition's exports: what the Run panel can call.
      const exportItems: MenuItem[] = (info?.exports ?? []).map((p) => {
        const exported = s.doc?.exports.some((e) => e.from.node === node && e.from.port === p.name);
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
        info?.imports.some((p) => p.name.startsWith('wasi:')) && !s.doc?.bindings.some((b) => b.selector === wasi)
          ? [{ label: 'Grant its WASI imports (no env, folders or network)', run: () => s.setBinding(wasi, bindingForMode('grant', null)) }]
          : [];
      return [
        { label: 'Rename…', run: () => s.setContextMenu({ ...menu, renaming: true }) },
        { label: 'Duplicate', run: () => void s.duplicateNode(node) },
        { label: 'Bindings', run: () => s.showNodeBindings(node) },
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

