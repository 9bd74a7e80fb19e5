// Patchbay's own context menu on the canvas, in place of the webview's: on
// the pane (add a node, paste, fit view), on a node (duplicate, rename,
// delete …), on a wire (delete).

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore, type ContextMenuRequest } from '../store';
import { menuItems } from './menuItems';
import { keepOnScreen } from './popup';
import './menus.css';

function RenameBox({ node }: { node: string }) {
  const [name, setName] = useState(node);
  const close = () => useStore.getState().setContextMenu(null);
  const commit = () => {
    if (useStore.getState().renameNode(node, name) || name.trim() === node) close();
  };
  return (
    <form
      className="pb-context-menu__rename"
      onSubmit={(e) => {
        e.preventDefault();
        commit();
      }}
    >
      <label>
        Rename {node}
        <input
          className="nodrag nokey"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close();
            }
          }}
          aria-label={`New name of ${node}`}
        />
      </label>
      <button type="submit" className="pb-btn pb-btn--primary">
        Rename
      </button>
    </form>
  );
}

function Menu({ menu, fitView }: { menu: ContextMenuRequest; fitView: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = () => useStore.getState().setContextMenu(null);
  const [items] = useState(() => menuItems(useStore.getState(), menu, fitView));
  const renaming = menu.kind === 'node' && !!menu.renaming;
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [renaming]);
  const onKeyDown = (e: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not(:disabled)') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? (i + 1) % buttons.length : (i - 1 + buttons.length) % buttons.length;
      buttons[next]?.focus();
    }
  };
  return (
    <div className="pb-popup-layer" onMouseDown={close} onContextMenu={(e) => (e.preventDefault(), close())}>
      <div
        ref={ref}
        className="pb-context-menu"
        role="menu"
        aria-label={menu.kind === 'pane' ? 'Canvas' : menu.kind === 'node' ? `Node ${menu.node}` : 'Wire'}
        style={keepOnScreen(menu.screen, 240, renaming ? 120 : items.length * 32 + 12)}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        {menu.kind === 'node' && menu.renaming ? (
          <RenameBox node={menu.node} />
        ) : (
          items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className={`pb-context-menu__item ${item.danger ? 'is-danger' : ''}`}
              disabled={item.disabled}
              onClick={() => {
                if (item.label !== 'Rename…' && item.label !== 'Add node…') close();
                item.run();
              }}
            >
              <span>{item.label}</span>
              {item.hint && <kbd>{item.hint}</kbd>}
            </button>
          ))
        )}
      </div>
    </div>
  );
}

export function ContextMenu({ fitView }: { fitView: () => void }) {
  const menu = useStore((s) => s.contextMenu);
  if (!menu) return null;
  // A new request (another right-click) is a new menu.
  const key = `${menu.kind}:${menu.screen.x},${menu.screen.y}:${menu.kind === 'node' && !!menu.renaming}`;
  return <Menu key={key} menu={menu} fitView={fitView} />;
}
