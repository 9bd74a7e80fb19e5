// Keyboard shortcuts of the editor. Ctrl stands for Cmd on macOS.

import { useEffect } from 'react';
import { openNodeSearchAtPointer } from '../canvas/popup';
import { allNodes } from '../canvas/menuItems';
import { compositeOf, useStore, viewDoc } from '../store';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(type);
}

function hasTextSelection(): boolean {
  const sel = window.getSelection();
  return !!sel && !sel.isCollapsed && sel.toString().length > 0;
}

/** Runs the run panel's current call, or opens the run panel to pick one. */
export function runPendingCall(): void {
  const s = useStore.getState();
  if (!s.doc || s.running) return;
  const call = s.pendingCall ?? s.lastCall;
  if (call) {
    void s.run(call);
  } else {
    s.setRightTab('run');
    s.toast('Choose an export and its arguments in the Run panel, then run it.', 'info');
  }
}

/** What each shortcut does; returns true when it handled the event. */
export function handleShortcut(e: KeyboardEvent): boolean {
  const s = useStore.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const inText = isTextField(e.target);
  const modal =
    s.paletteOpen || s.exportOpen || s.confirm !== null || s.newProject !== null || s.nodeSearch !== null || s.contextMenu !== null || s.groupPrompt !== null;

  if (mod && key === 'Enter') {
    runPendingCall();
    return true;
  }
  if (mod && key === 's') {
    void s.save(e.shiftKey);
    return true;
  }
  if (mod && key === 'n') {
    s.setNewProject({ dir: null });
    return true;
  }
  if (mod && key === 'o') {
    void s.openProject(null);
    return true;
  }
  if (mod && key === 'k') {
    s.setPaletteOpen(!s.paletteOpen);
    return true;
  }
  if (mod && key === 'e') {
    if (s.doc) s.setExportOpen(true);
    return true;
  }
  if (inText || modal) return false;
  if (!mod && key === 'Tab' && !e.shiftKey && !e.altKey) {
    // Tab on the canvas adds a node, as in node editors; elsewhere it moves focus.
    const onCanvas = !(e.target instanceof HTMLElement) || e.target === document.body || !!e.target.closest('.pb-canvas');
    if (!s.doc || !onCanvas) return false;
    return openNodeSearchAtPointer();
  }
  if (mod && key === 'z') {
    if (e.shiftKey) s.redo();
    else s.undo();
    return true;
  }
  if (mod && key === 'y') {
    s.redo();
    return true;
  }
  if (mod && key === 'c') {
    if (hasTextSelection() || s.selectedNodes.length === 0) return false;
    s.copySelection();
    return true;
  }
  if (mod && key === 'v') {
    if (!s.clipboard) return false;
    s.paste();
    return true;
  }
  if (mod && key === 'a') {
    if (!s.doc) return false;
    s.setSelection(allNodes(s), []);
    return true;
  }
  if (mod && key === 'g') {
    if (!s.doc) return false;
    if (e.shiftKey) {
      // Ungroup the selected composite node.
      const node = s.selectedNodes.length === 1 ? s.selectedNodes[0] : null;
      const component = node ? viewDoc(s)?.nodes.find((n) => n.id === node)?.component : undefined;
      if (!node || !component || !compositeOf(s.doc, component)) {
        s.setStatus({ text: 'Not ungrouped: select one composite node first', kind: 'error' });
      } else void s.ungroupNode(node);
    } else s.requestGroup();
    return true;
  }
  if (!mod && (key === 'Delete' || key === 'Backspace')) {
    if (s.selectedNodes.length === 0 && s.selectedEdges.length === 0) return false;
    s.deleteSelection();
    return true;
  }
  if (!mod && key === 'Escape') {
    if (s.selectedNodes.length || s.selectedEdges.length) {
      s.setSelection([], []);
      return true;
    }
    // With nothing selected, Escape goes up out of a composite.
    if (s.inside.length) {
      s.leaveComposite(s.inside.length - 1);
      return true;
    }
  }
  return false;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if (handleShortcut(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
