import { beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  run: vi.fn(),
  sessionCall: vi.fn(),
  save: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore, type ProjectDoc } from '../store';
import { handleShortcut } from './shortcuts';

const doc: ProjectDoc = {
  name: 'p',
  fakeNodes: [],
  components: [{ id: 'c', path: 'c.wasm', build: null, watch: [], hash: null }],
  nodes: [
    { id: 'a', component: 'c', x: 0, y: 0 },
    { id: 'b', component: 'c', x: 100, y: 0 },
  ],
  wires: [],
  exports: [],
  bindings: [],
};

function key(k: string, opts: KeyboardEventInit = {}, target?: EventTarget): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts });
  if (target) Object.defineProperty(e, 'target', { value: target });
  return e;
}

beforeEach(() => {
  resetStore();
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue({ problems: [], imports: [], composed: null, millis: 1 });
  mocks.setDirty.mockResolvedValue(null);
  useStore.getState().applyOpened({
    path: '/p/patchbay.toml',
    dir: '/p',
    doc,
    components: [],
    analysis: { problems: [], imports: [], composed: null, millis: 1 },
    recovery: null,
    notes: [],
  });
});

describe('shortcuts', () => {
  it('Delete removes the selection; Ctrl+Z and Ctrl+Shift+Z undo and redo it', () => {
    const s = () => useStore.getState();
    s().setSelection(['a'], []);
    expect(handleShortcut(key('Delete'))).toBe(true);
    expect(s().doc!.nodes.map((n) => n.id)).toEqual(['b']);
    expect(handleShortcut(key('z', { ctrlKey: true }))).toBe(true);
    expect(s().doc!.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(handleShortcut(key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(s().doc!.nodes.map((n) => n.id)).toEqual(['b']);
    handleShortcut(key('z', { ctrlKey: true }));
    expect(handleShortcut(key('y', { ctrlKey: true }))).toBe(true);
    expect(s().doc!.nodes.map((n) => n.id)).toEqual(['b']);
  });

  it('leaves typing alone: Delete and Ctrl+Z in a text field are not ours', () => {
    useStore.getState().setSelection(['a'], []);
    const input = document.createElement('input');
    expect(handleShortcut(key('Delete', {}, input))).toBe(false);
    expect(handleShortcut(key('z', { ctrlKey: true }, input))).toBe(false);
    expect(useStore.getState().doc!.nodes).toHaveLength(2);
  });

  it('Ctrl+C, Ctrl+V paste a copy', () => {
    useStore.getState().setSelection(['a'], []);
    expect(handleShortcut(key('c', { ctrlKey: true }))).toBe(true);
    expect(handleShortcut(key('v', { ctrlKey: true }))).toBe(true);
    expect(useStore.getState().doc!.nodes.map((n) => n.id)).toEqual(['a', 'b', 'a2']);
  });

  it('Ctrl+Enter runs the run panel’s call, even from a text field', () => {
    mocks.sessionCall.mockResolvedValue({ report: { run: 1, call: 'f()', ok: true, trace: [] }, session: null });
    useStore.getState().setPendingCall('f()');
    expect(handleShortcut(key('Enter', { ctrlKey: true }, document.createElement('textarea')))).toBe(true);
    expect(mocks.sessionCall).toHaveBeenCalledWith(expect.objectContaining({ call: 'f()', traced: true }));
  });

  it('Ctrl+K toggles the palette, Ctrl+E opens the export dialog, Ctrl+S saves', () => {
    mocks.save.mockResolvedValue({ path: '/p/patchbay.toml', doc });
    handleShortcut(key('k', { ctrlKey: true }));
    expect(useStore.getState().paletteOpen).toBe(true);
    handleShortcut(key('k', { ctrlKey: true }));
    expect(useStore.getState().paletteOpen).toBe(false);
    handleShortcut(key('e', { ctrlKey: true }));
    expect(useStore.getState().exportOpen).toBe(true);
    handleShortcut(key('S', { ctrlKey: true, shiftKey: true }));
    expect(mocks.save).toHaveBeenCalledWith({ doc, saveAs: true });
  });
});
