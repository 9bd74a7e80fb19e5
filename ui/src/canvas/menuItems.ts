// The entries of the canvas's context menu, by what it was opened on.

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
      return [
        { label: 'Rename…', run: () => s.setContextMenu({ ...menu, renaming: true }) },
        { label: 'Duplicate', run: () => void s.duplicateNode(node) },
        { label: 'Bindings', run: () => s.showNodeBindings(node) },
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

