// The canvas's own menus: the context menu (pane, node, wire), the node
// search popup (double-click, Tab) and what Ctrl+K can add.

import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenedProject, ProjectDoc } from '../store';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  addComponents: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore, wireId } from '../store';
import { buildItems } from '../shell/paletteItems';
import { ContextMenu } from './ContextMenu';
import { NodeSearch } from './NodeSearch';

const KV = 'patchbay:kv/store';

function doc(): ProjectDoc {
  return {
    name: 'shop',
    fakeNodes: [],
    components: ['kv-memory', 'kv-service'].map((id) => ({ id, path: `../wasm/${id}.wasm`, build: null, watch: [], hash: null })),
    nodes: [
      { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
      { id: 'service', component: 'kv-service', x: 400, y: 0 },
    ],
    wires: [{ from: { node: 'memory', port: KV }, to: { node: 'service', port: KV } }],
    exports: [],
    bindings: [],
  };
}

function open() {
  const d = doc();
  const opened: OpenedProject = {
    path: '/p/shop/patchbay.toml',
    dir: '/p/shop',
    doc: d,
    components: d.components.map((c) => ({
      id: c.id,
      path: c.path,
      absPath: `/p/wasm/${c.id}.wasm`,
      size: 1,
      hash: null,
      info: null,
      error: null,
    })),
    analysis: { problems: [], imports: [], composed: null, millis: 1 },
    recovery: null,
    notes: [],
  };
  act(() => {
    useStore.getState().applyOpened(opened);
    useStore.setState({
      fakes: [{ name: 'log', title: 'Logging', description: 'Accepts every call that returns nothing.' }],
      sampleComponents: [
        { name: 'kv-memory', path: '/p/wasm/kv-memory.wasm' },
        { name: 'kv-cache', path: '/s/wasm/kv-cache.wasm' },
      ],
    });
  });
}

const state = () => useStore.getState();
const point = { at: { x: 120, y: 340 }, screen: { x: 200, y: 150 } };

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue({ problems: [], imports: [], composed: null, millis: 1 });
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  resetStore();
});

describe('the context menu', () => {
  it('on the pane: add a node, paste (only with something copied), fit view', async () => {
    open();
    const fitView = vi.fn();
    render(<ContextMenu fitView={fitView} />);
    act(() => state().setContextMenu({ kind: 'pane', ...point }));
    const menu = screen.getByRole('menu', { name: 'Canvas' });
    expect(menu).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /Paste/ })).toBeDisabled();
    await userEvent.setup().click(screen.getByRole('menuitem', { name: 'Fit view' }));
    expect(fitView).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('menu')).toBeNull();

    act(() => state().setContextMenu({ kind: 'pane', ...point }));
    await userEvent.setup().click(screen.getByRole('menuitem', { name: /Add node/ }));
    expect(state().nodeSearch).toEqual(point);
  });

  it('on a node: duplicate, rename (with everything that names it), delete', async () => {
    open();
    const user = userEvent.setup();
    render(<ContextMenu fitView={() => {}} />);
    act(() => state().setContextMenu({ kind: 'node', node: 'service', ...point }));
    await user.click(screen.getByRole('menuitem', { name: 'Duplicate' }));
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['memory', 'service', 'service2']);

    act(() => state().setContextMenu({ kind: 'node', node: 'service', ...point }));
    await user.click(screen.getByRole('menuitem', { name: 'Rename…' }));
    const box = screen.getByRole('textbox', { name: 'New name of service' });
    await user.clear(box);
    await user.type(box, 'front{Enter}');
    expect(state().doc!.wires[0].to.node).toBe('front');
    expect(screen.queryByRole('menu')).toBeNull();

    act(() => state().setContextMenu({ kind: 'node', node: 'front', ...point }));
    await user.click(screen.getByRole('menuitem', { name: /Delete/ }));
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['memory', 'service2']);
    expect(state().doc!.wires).toEqual([]);
  });

  it('on a wire: delete it; Escape closes the menu', async () => {
    open();
    const user = userEvent.setup();
    render(<ContextMenu fitView={() => {}} />);
    act(() => state().setContextMenu({ kind: 'edge', edge: wireId(doc().wires[0]), ...point }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    act(() => state().setContextMenu({ kind: 'edge', edge: wireId(doc().wires[0]), ...point }));
    await user.click(screen.getByRole('menuitem', { name: /Delete wire/ }));
    expect(state().doc!.wires).toEqual([]);
    expect(state().past.at(-1)?.label).toBe('Delete');
  });
});

describe('a node’s menu makes a new project runnable', () => {
  it('exports a node’s export from the composition and grants its WASI imports, undoably', async () => {
    open();
    const view = state().components['kv-service'];
    const info = { imports: [{ name: 'wasi:cli/stdout@0.2.6' }, { name: KV }], exports: [{ name: 'handle-request' }] };
    act(() => useStore.setState({ components: { ...state().components, 'kv-service': { ...view, info: info as unknown as typeof view.info } } }));
    const user = userEvent.setup();
    render(<ContextMenu fitView={() => {}} />);
    act(() => state().setContextMenu({ kind: 'node', node: 'service', ...point }));
    await user.click(screen.getByRole('menuitem', { name: 'Export handle-request' }));
    expect(state().doc!.exports).toEqual([{ from: { node: 'service', port: 'handle-request' }, name: null }]);

    act(() => state().setContextMenu({ kind: 'node', node: 'service', ...point }));
    expect(screen.getByRole('menuitem', { name: 'Stop exporting handle-request' })).toBeInTheDocument();
    await user.click(screen.getByRole('menuitem', { name: /Grant its WASI imports/ }));
    expect(state().doc!.bindings).toEqual([
      {
        selector: 'service.wasi:*',
        binding: { mode: 'grant', env: [], dirs: [], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null },
      },
    ]);
    act(() => state().setContextMenu({ kind: 'node', node: 'service', ...point }));
    expect(screen.queryByRole('menuitem', { name: /Grant its WASI imports/ })).toBeNull();
    // A node without WASI imports or exports gets neither.
    act(() => state().setContextMenu({ kind: 'node', node: 'memory', ...point }));
    expect(screen.queryByRole('menuitem', { name: /Export|WASI/ })).toBeNull();
    state().undo();
    state().undo();
    expect(state().doc!.exports).toEqual([]);
  });
});

describe('the node search', () => {
  it('adds another node of a project component at the point it was opened', async () => {
    open();
    render(<NodeSearch />);
    act(() => state().setNodeSearch(point));
    const user = userEvent.setup();
    await user.type(screen.getByRole('combobox', { name: /Add a node/ }), 'kv-serv{Enter}');
    expect(state().doc!.nodes.at(-1)).toEqual({ id: 'kv-service', component: 'kv-service', x: 120, y: 340 });
    expect(state().nodeSearch).toBeNull();
  });

  it('lists fakes and the sample components not in the project, and adds them there', async () => {
    open();
    mocks.addComponents.mockResolvedValue([
      { id: 'kv-cache', path: '../../s/wasm/kv-cache.wasm', absPath: '/s/wasm/kv-cache.wasm', size: 1, hash: null, info: null, error: null },
    ]);
    render(<NodeSearch />);
    act(() => state().setNodeSearch(point));
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options.some((t) => t?.includes('Logging fake'))).toBe(true);
    expect(options.some((t) => t?.startsWith('samplekv-cache'))).toBe(true);
    expect(options.some((t) => t?.startsWith('samplekv-memory'))).toBe(false);
    const user = userEvent.setup();
    await user.type(screen.getByRole('combobox'), 'cache{Enter}');
    await vi.waitFor(() => expect(state().doc!.nodes.at(-1)).toEqual({ id: 'kv-cache', component: 'kv-cache', x: 120, y: 340 }));
    expect(mocks.addComponents).toHaveBeenCalledWith({ doc: expect.anything(), paths: ['/s/wasm/kv-cache.wasm'] });

    act(() => state().setNodeSearch(point));
    await user.type(screen.getByRole('combobox'), 'logging{Enter}');
    expect(state().fakeNodes).toEqual([{ id: 'fake:log', fake: 'log', x: 120, y: 340 }]);
  });
});

describe('Ctrl+K', () => {
  it('offers a new project, fakes, and another node of a component', () => {
    open();
    const labels = buildItems(state()).map((i) => i.label);
    expect(labels).toContain('New project…');
    // Open takes a project, a .wac recipe or a composed binary alike.
    const openItem = buildItems(state()).find((i) => i.label === 'Open…')!;
    expect(openItem.detail).toContain('.wac');
    expect(labels).not.toContain('Open project…');
    expect(labels).toContain('Add Logging fake');
    expect(labels).toContain('Add a node of kv-service');
    expect(labels).toContain('Add sample component kv-cache');
    buildItems(state()).find((i) => i.label === 'Add a node of kv-memory')!.run();
    expect(state().doc!.nodes.map((n) => n.component)).toEqual(['kv-memory', 'kv-service', 'kv-memory']);
    expect(state().paletteOpen).toBe(false);
  });
});
