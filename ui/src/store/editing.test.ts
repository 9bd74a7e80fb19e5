// Editing as node editors do it: replacing a wire by dropping on a wired
// import, splicing a node into a wire, renaming and duplicating nodes,
// placing new nodes in view, starting a new project, and run numbers that
// start again with each project.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, ComponentView, OpenedProject, ProjectDoc } from './backend';

const mocks = vi.hoisted(() => ({
  startup: vi.fn(),
  newProject: vi.fn(),
  addComponents: vi.fn(),
  analyze: vi.fn(),
  candidates: vi.fn(),
  checkWire: vi.fn(),
  fakes: vi.fn(),
  samples: vi.fn(),
  sampleComponents: vi.fn(),
  fakeTargets: vi.fn(),
  checkFake: vi.fn(),
  saveRecovery: vi.fn(),
  setDirty: vi.fn(),
  run: vi.fn(),
}));

vi.mock('./backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { registerViewport } from './placement';
import { resetStore, useStore } from './store';
import { wireId } from './doc';

const emptyAnalysis: Analysis = { problems: [], imports: [], composed: null, millis: 1 };
const KV = 'patchbay:kv/store';

/** memory → service over kv, and a cache node standing apart. */
function doc(): ProjectDoc {
  return {
    name: 'shop',
    fakeNodes: [],
    components: ['kv-memory', 'kv-service', 'kv-cache'].map((id) => ({
      id,
      path: `../wasm/${id}.wasm`,
      build: null,
      watch: [],
      hash: null,
    })),
    nodes: [
      { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
      { id: 'service', component: 'kv-service', x: 720, y: 0 },
      { id: 'cache', component: 'kv-cache', x: 360, y: 400 },
    ],
    wires: [{ from: { node: 'memory', port: KV }, to: { node: 'service', port: KV } }],
    exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    bindings: [{ selector: 'service.patchbay:kv/log', binding: { mode: 'deny' } }],
  };
}

function view(id: string): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/wasm/${id}.wasm`, size: 1, hash: null, info: null, error: null };
}

function opened(d: ProjectDoc = doc()): OpenedProject {
  return {
    path: '/p/shop/patchbay.toml',
    dir: '/p/shop',
    doc: d,
    components: d.components.map((c) => view(c.id)),
    analysis: emptyAnalysis,
    recovery: null,
    notes: [],
  };
}

const state = () => useStore.getState();
const open = (d?: ProjectDoc) => state().applyOpened(opened(d));

beforeEach(() => {
  vi.useFakeTimers();
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue(emptyAnalysis);
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  mocks.fakes.mockResolvedValue([]);
  mocks.samples.mockResolvedValue([]);
  mocks.sampleComponents.mockResolvedValue([]);
  registerViewport(null);
  resetStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('dropping a wire on an import that already has one', () => {
  const cache = { node: 'cache', port: KV };
  const service = { node: 'service', port: KV };

  it('replaces the old wire, checked without it, as one undoable step', async () => {
    open();
    const before = state().doc!;
    mocks.checkWire.mockResolvedValue({ ok: true, reason: null });
    expect(await state().connect(cache, service)).toBe(true);
    // The backend was asked about the document without the old wire.
    const asked = mocks.checkWire.mock.calls[0][0];
    expect(asked.doc.wires).toEqual([]);
    expect(asked.from).toEqual(cache);
    expect(state().doc!.wires).toEqual([{ from: cache, to: service }]);
    expect(state().past.map((e) => e.label)).toEqual([`Replace wire memory.${KV} → service.${KV} with cache.${KV}`]);
    expect(state().status?.text).toBe(`Rewired service.${KV}: cache.${KV} replaces memory.${KV}`);
    state().undo();
    expect(state().doc).toBe(before);
  });

  it('keeps the old wire when the new one does not fit, with the reason', async () => {
    open();
    const before = state().doc;
    mocks.checkWire.mockResolvedValue({ ok: false, reason: 'missing export `get`' });
    expect(await state().connect(cache, service)).toBe(false);
    expect(state().doc).toBe(before);
    expect(state().status).toEqual({ kind: 'error', text: 'Wire refused: missing export `get`' });
  });

  it('does nothing for the wire that is already there', async () => {
    open();
    const before = state().doc;
    expect(await state().connect({ node: 'memory', port: KV }, service)).toBe(false);
    expect(mocks.checkWire).not.toHaveBeenCalled();
    expect(state().doc).toBe(before);
  });

  it('a fake dropped on a wired import takes the wire’s place', async () => {
    open();
    state().addFakeNode('kv');
    mocks.fakeTargets.mockResolvedValue([service]);
    expect(await state().connect({ node: 'fake:kv', port: 'fake' }, service)).toBe(true);
    expect(mocks.fakeTargets.mock.calls[0][0].doc.wires).toEqual([]);
    expect(state().doc!.wires).toEqual([]);
    expect(state().doc!.bindings.find((b) => b.selector === `service.${KV}`)?.binding).toMatchObject({ mode: 'mock', fake: 'kv' });
    state().undo();
    expect(state().doc!.wires).toHaveLength(1);
  });
});

describe('splicing a node into a wire', () => {
  const wire = () => wireId(doc().wires[0]);

  it('feeds the node from the wire’s source and the target from the node, as one step', async () => {
    open();
    const before = state().doc!;
    mocks.candidates.mockImplementation(async ({ port }) =>
      port.node === 'memory'
        ? { direction: 'export', ports: [{ node: 'service', port: KV }, { node: 'cache', port: KV }] }
        : { direction: 'import', ports: [{ node: 'memory', port: KV }, { node: 'cache', port: KV }] },
    );
    expect(await state().spliceNode('cache', wire())).toBe(true);
    // Both directions were asked of the backend.
    expect(mocks.candidates.mock.calls.map((c) => c[0].port)).toEqual([
      { node: 'memory', port: KV },
      { node: 'service', port: KV },
    ]);
    expect(state().doc!.wires).toEqual([
      { from: { node: 'memory', port: KV }, to: { node: 'cache', port: KV } },
      { from: { node: 'cache', port: KV }, to: { node: 'service', port: KV } },
    ]);
    expect(state().past.map((e) => e.label)).toEqual([`Splice cache into memory.${KV} → service.${KV}`]);
    state().undo();
    expect(state().doc).toBe(before);
  });

  it('leaves the wire alone when the node has no port that fits, and says which', async () => {
    open();
    const before = state().doc;
    mocks.candidates.mockImplementation(async ({ port }) =>
      port.node === 'memory'
        ? { direction: 'export', ports: [{ node: 'cache', port: KV }] }
        : { direction: 'import', ports: [{ node: 'memory', port: KV }] },
    );
    expect(await state().spliceNode('cache', wire())).toBe(false);
    expect(state().doc).toBe(before);
    expect(state().status).toEqual({
      kind: 'info',
      text: `Not spliced into memory.${KV} → service.${KV}: no export of cache can feed service.${KV}`,
    });
  });

  it('never splices a node into its own wire', async () => {
    open();
    expect(await state().spliceNode('memory', wire())).toBe(false);
    expect(mocks.candidates).not.toHaveBeenCalled();
  });
});

describe('renaming and duplicating nodes', () => {
  it('renames a node with its wires, exports and bindings; a taken name is refused', () => {
    open();
    expect(state().renameNode('service', 'front')).toBe(true);
    const d = state().doc!;
    expect(d.nodes.map((n) => n.id)).toEqual(['memory', 'front', 'cache']);
    expect(d.wires[0].to.node).toBe('front');
    expect(d.exports[0].from.node).toBe('front');
    expect(d.bindings[0].selector).toBe('front.patchbay:kv/log');
    expect(state().renameNode('front', 'memory')).toBe(false);
    expect(state().status?.text).toBe('Not renamed: a node is already called memory');
    expect(state().past).toHaveLength(1);
  });

  it('duplicates a node with its own bindings, beside it', () => {
    open();
    const id = state().duplicateNode('service');
    expect(id).toBe('service2');
    const d = state().doc!;
    expect(d.nodes.find((n) => n.id === 'service2')).toEqual({ id: 'service2', component: 'kv-service', x: 760, y: 40 });
    expect(d.bindings.map((b) => b.selector)).toContain('service2.patchbay:kv/log');
    expect(state().selectedNodes).toEqual(['service2']);
  });
});

describe('where new nodes go', () => {
  it('in the middle of what the canvas shows, on a free spot, without moving the view', () => {
    open();
    registerViewport(() => ({ x: 0, y: -200, width: 1200, height: 800 }));
    const focus = state().focus;
    const id = state().addNode('kv-cache')!;
    const n = state().doc!.nodes.find((x) => x.id === id)!;
    expect(n.x).toBeGreaterThanOrEqual(0);
    expect(n.x + 300).toBeLessThanOrEqual(1200);
    expect(n.y).toBeGreaterThanOrEqual(-200);
    expect(n.y).toBeLessThanOrEqual(600);
    expect(state().focus).toBe(focus);
  });

  it('at the pointer when one is given, and in view with components added from files', async () => {
    open();
    registerViewport(() => ({ x: 0, y: 0, width: 2000, height: 1000 }));
    state().addNode('kv-cache', { x: 1500.4, y: 300 });
    expect(state().doc!.nodes.at(-1)).toMatchObject({ x: 1500, y: 300 });
    mocks.addComponents.mockResolvedValue([view('validator')]);
    await state().addComponents(['/p/wasm/validator.wasm'], { x: 100, y: 600 });
    expect(mocks.addComponents).toHaveBeenCalledWith({ doc: expect.anything(), paths: ['/p/wasm/validator.wasm'] });
    expect(state().doc!.nodes.at(-1)).toEqual({ id: 'validator', component: 'validator', x: 100, y: 600 });
  });

  it('to the right of the graph, shown, when no canvas says what is visible', () => {
    open();
    const seq = state().focus!.seq;
    const id = state().addNode('kv-cache')!;
    expect(state().doc!.nodes.find((x) => x.id === id)).toMatchObject({ x: 1100, y: 0 });
    expect(state().focus).toEqual({ seq: seq + 1, nodes: [id] });
  });
});

describe('a new project', () => {
  it('a folder without a project is offered for one, and createProject opens it', async () => {
    mocks.startup.mockRejectedValue({
      code: 'no-project',
      message: '/p/empty holds no patchbay.toml: create a project there, or open another folder',
      detail: '/p/empty',
    });
    await state().startup();
    expect(state().openError).toEqual({
      message: '/p/empty holds no patchbay.toml: create a project there, or open another folder',
      detail: null,
      retry: null,
      folder: '/p/empty',
    });
    state().setNewProject({ dir: '/p/empty' });
    mocks.newProject.mockResolvedValue(opened({ ...doc(), name: 'empty', nodes: [], wires: [], exports: [], bindings: [] }));
    expect(await state().createProject('  ', '/p/empty')).toBe(true);
    expect(mocks.newProject).toHaveBeenCalledWith({ dir: '/p/empty', name: null });
    expect(state().doc!.name).toBe('empty');
    expect(state().openError).toBeNull();
    expect(state().newProject).toBeNull();
  });

  it('a cancelled folder dialog changes nothing; a refusal is said', async () => {
    open();
    mocks.newProject.mockRejectedValueOnce({ code: 'cancelled', message: 'cancelled', detail: null });
    expect(await state().createProject('tools', null)).toBe(false);
    expect(mocks.newProject).toHaveBeenCalledWith({ dir: null, name: 'tools' });
    expect(state().toasts).toEqual([]);
    mocks.newProject.mockRejectedValueOnce({
      code: 'bad-request',
      message: '/p/x/patchbay.toml already exists: that folder holds a project; open it instead',
      detail: null,
    });
    expect(await state().createProject('tools', null)).toBe(false);
    expect(state().toasts.map((t) => t.text)).toEqual([
      '/p/x/patchbay.toml already exists: that folder holds a project; open it instead',
    ]);
    expect(state().doc!.name).toBe('shop');
  });

  it('lists the sample components at start-up', async () => {
    mocks.startup.mockResolvedValue(null);
    mocks.sampleComponents.mockResolvedValue([{ name: 'kv-memory', path: '/s/wasm/kv-memory.wasm' }]);
    await state().startup();
    await vi.waitFor(() => expect(state().sampleComponents).toEqual([{ name: 'kv-memory', path: '/s/wasm/kv-memory.wasm' }]));
  });
});

describe('run numbers', () => {
  it('count the runs of the open project, from 1 again in the next one', async () => {
    open();
    useStore.setState({ freshPerCall: true });
    let hostRun = 40;
    mocks.run.mockImplementation(async ({ call }) => ({ run: ++hostRun, call, trace: [] }));
    await state().run('handle-request("a")');
    await state().run('handle-request("b")');
    expect(state().lastRun).toMatchObject({ run: 2, call: 'handle-request("b")' });
    open();
    expect(state().lastRun).toBeNull();
    await state().run('handle-request("c")');
    expect(state().lastRun).toMatchObject({ run: 1, call: 'handle-request("c")' });
    expect(hostRun).toBe(43);
  });
});
