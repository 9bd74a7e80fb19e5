import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, ComponentView, OpenedProject, ProjectDoc } from './backend';

const mocks = vi.hoisted(() => ({
  startup: vi.fn(),
  openProject: vi.fn(),
  addComponents: vi.fn(),
  analyze: vi.fn(),
  candidates: vi.fn(),
  checkWire: vi.fn(),
  checkMockValue: vi.fn(),
  fakes: vi.fn(),
  samples: vi.fn(),
  sampleComponents: vi.fn(),
  openSample: vi.fn(),
  fakeTargets: vi.fn(),
  checkFake: vi.fn(),
  run: vi.fn(),
  sessionCall: vi.fn(),
  sessionStatus: vi.fn(),
  sessionReset: vi.fn(),
  sessionClear: vi.fn(),
  serveStart: vi.fn(),
  serveStop: vi.fn(),
  save: vi.fn(),
  saveRecovery: vi.fn(),
  discardRecovery: vi.fn(),
  setDirty: vi.fn(),
  closeWindow: vi.fn(),
  exportPreview: vi.fn(),
  exportArtifacts: vi.fn(),
}));

vi.mock('./backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore, wiresBetween } from './store';
import { orderedSamples, sampleBlurb } from './selectors';
import { wireId } from './doc';

const emptyAnalysis: Analysis = { problems: [], imports: [], composed: null, millis: 1 };

function sampleDoc(): ProjectDoc {
  return {
    name: 'kv-service',
    fakeNodes: [],
    components: [
      { id: 'kv-memory', path: '../wasm/kv-memory.wasm', build: null, watch: [], hash: null },
      { id: 'kv-service', path: '../wasm/kv-service.wasm', build: null, watch: [], hash: null },
    ],
    nodes: [
      { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
      { id: 'service', component: 'kv-service', x: 360, y: 0 },
    ],
    wires: [{ from: { node: 'memory', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } }],
    exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    bindings: [
      { selector: '*.wasi:*', binding: { mode: 'grant', env: [], dirs: [], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null } },
      { selector: 'service.patchbay:kv/log', binding: { mode: 'deny' } },
      { selector: 'memory.wasi:cli/environment@0.2.6', binding: { mode: 'leave' } },
    ],
  };
}

function view(id: string): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/wasm/${id}.wasm`, size: 100, hash: null, info: null, error: null };
}

function open(doc: ProjectDoc = sampleDoc()): void {
  const opened: OpenedProject = {
    path: '/p/kv-service/patchbay.toml',
    dir: '/p/kv-service',
    doc,
    components: [view('kv-memory'), view('kv-service')],
    analysis: emptyAnalysis,
    recovery: null,
    notes: [],
  };
  useStore.getState().applyOpened(opened);
}

const state = () => useStore.getState();

beforeEach(() => {
  vi.useFakeTimers();
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue(emptyAnalysis);
  mocks.sampleComponents.mockResolvedValue([]);
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.discardRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  resetStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('updateDoc, undo and redo', () => {
  it('applies a recipe immutably, marks dirty, and undoes and redoes it', () => {
    open();
    const before = state().doc!;
    state().updateDoc('Move memory', (d) => {
      d.nodes[0].x = 100;
    });
    const after = state().doc!;
    expect(after).not.toBe(before);
    expect(before.nodes[0].x).toBe(0);
    expect(after.nodes[0].x).toBe(100);
    // Untouched parts keep their identity.
    expect(after.nodes[1]).toBe(before.nodes[1]);
    expect(after.wires).toBe(before.wires);
    expect(state().dirty).toBe(true);
    expect(state().past.map((e) => e.label)).toEqual(['Move memory']);

    state().undo();
    expect(state().doc).toBe(before);
    expect(state().dirty).toBe(false);
    state().redo();
    expect(state().doc).toBe(after);
    expect(state().dirty).toBe(true);
  });

  it('a new edit clears the redo history; a no-op edit records nothing', () => {
    open();
    state().updateDoc('a', (d) => void (d.name = 'a'));
    state().undo();
    expect(state().future).toHaveLength(1);
    state().updateDoc('b', (d) => void (d.name = 'b'));
    expect(state().future).toHaveLength(0);
    state().updateDoc('nothing', () => {});
    expect(state().past.map((e) => e.label)).toEqual(['b']);
  });

  it('caps the history at 200 steps', () => {
    open();
    for (let i = 0; i < 250; i++) state().updateDoc(`step ${i}`, (d) => void (d.nodes[0].x = i + 1));
    expect(state().past).toHaveLength(200);
    expect(state().past[0].label).toBe('step 50');
  });

  it('tells the shell when dirty changes', async () => {
    open();
    state().updateDoc('a', (d) => void (d.name = 'x'));
    expect(mocks.setDirty).toHaveBeenLastCalledWith({ dirty: true });
    state().undo();
    expect(mocks.setDirty).toHaveBeenLastCalledWith({ dirty: false });
  });

  it('analyzes 150 ms after the last edit and saves recovery 2 s after it', async () => {
    open();
    state().updateDoc('a', (d) => void (d.nodes[0].x = 1));
    state().updateDoc('b', (d) => void (d.nodes[0].x = 2));
    expect(mocks.analyze).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(160);
    expect(mocks.analyze).toHaveBeenCalledTimes(1);
    expect(mocks.analyze.mock.calls[0][0].doc.nodes[0].x).toBe(2);
    expect(mocks.saveRecovery).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2000);
    expect(mocks.saveRecovery).toHaveBeenCalledTimes(1);
    expect(mocks.saveRecovery.mock.calls[0][0].doc).toBe(state().doc);
    // Undoing back to the saved document leaves nothing to recover.
    state().undo();
    state().undo();
    await vi.advanceTimersByTimeAsync(2100);
    expect(mocks.saveRecovery).toHaveBeenCalledTimes(1);
    expect(mocks.discardRecovery).toHaveBeenCalledTimes(1);
  });
});

describe('deleteSelection', () => {
  it('removes the nodes, their wires, their bindings and exports, but not wildcard bindings', () => {
    open();
    state().setSelection(['service'], []);
    state().deleteSelection();
    const doc = state().doc!;
    expect(doc.nodes.map((n) => n.id)).toEqual(['memory']);
    expect(doc.wires).toEqual([]);
    expect(doc.exports).toEqual([]);
    expect(doc.bindings.map((b) => b.selector)).toEqual(['*.wasi:*', 'memory.wasi:cli/environment@0.2.6']);
    expect(state().selectedNodes).toEqual([]);
    // One undo step restores everything.
    state().undo();
    expect(state().doc).toEqual(sampleDoc());
  });

  it('removes a selected wire only', () => {
    open();
    const id = wireId(sampleDoc().wires[0]);
    expect(id).toBe('wire:memory.patchbay:kv/store->service.patchbay:kv/store');
    state().setSelection([], [id]);
    state().deleteSelection();
    expect(state().doc!.wires).toEqual([]);
    expect(state().doc!.nodes).toHaveLength(2);
  });

  it('deleting a fake node removes the mock bindings it served', () => {
    const doc = sampleDoc();
    doc.bindings.push({
      selector: 'service.patchbay:kv/cache',
      binding: { mode: 'mock', fake: 'kv', functions: [], values: [], responses: [] },
    });
    open(doc);
    expect(state().fakeNodes.map((f) => f.id)).toEqual(['fake:kv']);
    state().setSelection(['fake:kv'], []);
    state().deleteSelection();
    expect(state().doc!.bindings.some((b) => b.selector === 'service.patchbay:kv/cache')).toBe(false);
    expect(state().fakeNodes).toEqual([]);
  });

  it('keeps where fakes are drawn in the document: added, moved, undone, deleted', () => {
    open();
    state().addFakeNode('log', { x: -300.4, y: 20 });
    expect(state().doc!.fakeNodes).toEqual([{ fake: 'log', x: -300, y: 20 }]);
    expect(state().dirty).toBe(true);
    expect(state().fakeNodes).toEqual([{ id: 'fake:log', fake: 'log', x: -300, y: 20 }]);

    state().moveNodes({ 'fake:log': { x: -250, y: 80 } });
    expect(state().doc!.fakeNodes).toEqual([{ fake: 'log', x: -250, y: 80 }]);
    expect(state().fakeNodes[0]).toMatchObject({ x: -250, y: 80 });
    state().undo();
    expect(state().fakeNodes[0]).toMatchObject({ x: -300, y: 20 });
    state().undo();
    expect(state().doc!.fakeNodes).toEqual([]);
    expect(state().fakeNodes).toEqual([]);
    state().redo();

    state().setSelection(['fake:log'], []);
    state().deleteSelection();
    expect(state().doc!.fakeNodes).toEqual([]);
    expect(state().fakeNodes).toEqual([]);
  });

  it('puts an unplaced fake next to the import it serves, and back there when its first move is undone', () => {
    const doc = sampleDoc();
    doc.bindings.push({
      selector: 'service.patchbay:kv/cache',
      binding: { mode: 'mock', fake: 'kv', functions: [], values: [], responses: [] },
    });
    open(doc);
    const service = doc.nodes.find((n) => n.id === 'service')!;
    const auto = { x: service.x - 300, y: service.y };
    expect(state().fakeNodes[0]).toMatchObject(auto);
    state().moveNodes({ 'fake:kv': { x: 5, y: 6 } });
    expect(state().doc!.fakeNodes).toEqual([{ fake: 'kv', x: 5, y: 6 }]);
    state().undo();
    expect(state().doc!.fakeNodes).toEqual([]);
    expect(state().fakeNodes[0]).toMatchObject(auto);
  });

  it('draws a saved fake where the project file put it', () => {
    const doc = sampleDoc();
    doc.fakeNodes = [{ fake: 'clock', x: 10, y: 400 }];
    open(doc);
    expect(state().fakeNodes).toEqual([{ id: 'fake:clock', fake: 'clock', x: 10, y: 400 }]);
    expect(state().dirty).toBe(false);
  });
});

describe('copy and paste', () => {
  it('renames ids uniquely, keeps internal wires and node bindings, and selects the copies', () => {
    open();
    state().setSelection(['memory', 'service'], []);
    state().copySelection();
    state().paste();
    const doc = state().doc!;
    expect(doc.nodes.map((n) => n.id)).toEqual(['memory', 'service', 'memory2', 'service2']);
    expect(doc.nodes[2]).toMatchObject({ component: 'kv-memory', x: 40, y: 40 });
    expect(doc.wires).toContainEqual({
      from: { node: 'memory2', port: 'patchbay:kv/store' },
      to: { node: 'service2', port: 'patchbay:kv/store' },
    });
    expect(doc.wires).toHaveLength(2);
    expect(doc.bindings.map((b) => b.selector)).toContain('service2.patchbay:kv/log');
    expect(doc.bindings.map((b) => b.selector)).toContain('memory2.wasi:cli/environment@0.2.6');
    expect(state().selectedNodes).toEqual(['memory2', 'service2']);

    state().paste();
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['memory', 'service', 'memory2', 'service2', 'memory3', 'service3']);
  });

  it('does not copy wires that leave the selection', () => {
    open();
    state().setSelection(['service'], []);
    state().copySelection();
    state().paste();
    expect(state().doc!.wires).toHaveLength(1);
    expect(state().doc!.nodes.map((n) => n.id)).toContain('service2');
  });
});

describe('setBinding', () => {
  it('replaces the binding with exactly that selector in place, and adds or removes others', () => {
    open();
    state().setBinding('service.patchbay:kv/log', { mode: 'leave' });
    const doc = state().doc!;
    expect(doc.bindings.map((b) => b.selector)).toEqual([
      '*.wasi:*',
      'service.patchbay:kv/log',
      'memory.wasi:cli/environment@0.2.6',
    ]);
    expect(doc.bindings[1].binding).toEqual({ mode: 'leave' });
    expect(doc.bindings[0].binding.mode).toBe('grant');

    state().setBinding('service.wasi:*', { mode: 'deny' });
    expect(state().doc!.bindings.at(-1)).toEqual({ selector: 'service.wasi:*', binding: { mode: 'deny' } });
    expect(state().doc!.bindings[0].selector).toBe('*.wasi:*');

    state().setBinding('service.patchbay:kv/log', null);
    expect(state().doc!.bindings.map((b) => b.selector)).not.toContain('service.patchbay:kv/log');
  });
});

describe('connect', () => {
  const from = { node: 'memory', port: 'patchbay:kv/store' };
  const to = { node: 'service', port: 'patchbay:kv/log' };

  it('refuses with the exact reason and leaves the document alone', async () => {
    open();
    const before = state().doc;
    const reason = '`memory.patchbay:kv/store` cannot feed `service.patchbay:kv/log`: missing export `level`';
    mocks.checkWire.mockResolvedValue({ ok: false, reason });
    const ok = await state().connect(from, to);
    expect(ok).toBe(false);
    expect(mocks.checkWire).toHaveBeenCalledWith({ doc: before, from, to });
    expect(state().doc).toBe(before);
    expect(state().past).toHaveLength(0);
    // Shown once, on the status line, not also as a toast.
    expect(state().toasts).toHaveLength(0);
    expect(state().status?.text).toContain(reason);
  });

  it('adds the wire when the checker accepts it', async () => {
    open();
    mocks.checkWire.mockResolvedValue({ ok: true, reason: null });
    expect(await state().connect(from, to)).toBe(true);
    expect(state().doc!.wires).toContainEqual({ from, to });
    expect(state().past).toHaveLength(1);
  });

  it('a fake feeding an import sets mock {fake} on that exact selector', async () => {
    open();
    state().addFakeNode('log');
    mocks.fakeTargets.mockResolvedValue([to]);
    expect(await state().connect({ node: 'fake:log', port: 'fake' }, to)).toBe(true);
    expect(state().doc!.bindings.find((b) => b.selector === 'service.patchbay:kv/log')?.binding).toEqual({
      mode: 'mock',
      fake: 'log',
      functions: [],
      values: [],
      responses: [],
    });
  });

  it('a fake that cannot serve the import is refused', async () => {
    open();
    const before = state().doc;
    mocks.fakeTargets.mockResolvedValue([]);
    const why = 'The Logging fake cannot serve `service.patchbay:kv/log`: it records calls and returns nothing, but `get` returns option<string>.';
    mocks.checkFake.mockResolvedValue({ ok: false, reason: why });
    expect(await state().connect({ node: 'fake:log', port: 'fake' }, to)).toBe(false);
    expect(mocks.checkFake).toHaveBeenCalledWith({ doc: before, fake: 'log', node: 'service', port: 'patchbay:kv/log' });
    expect(state().doc).toBe(before);
    // The backend's reason, naming the functions, once.
    expect(state().status).toEqual({ kind: 'error', text: `Wire refused: ${why}` });
    expect(state().toasts).toHaveLength(0);
  });
});

describe('dragging', () => {
  it('asks the checker for candidates and keeps them in drag state', async () => {
    open();
    const port = { node: 'service', port: 'patchbay:kv/store' };
    // `direction` is the side the drag started from (the import side here).
    mocks.candidates.mockResolvedValue({ direction: 'import', ports: [{ node: 'memory', port: 'patchbay:kv/store' }] });
    await state().beginDrag(port, 'import');
    expect(mocks.candidates).toHaveBeenCalledTimes(1);
    expect(state().drag).toMatchObject({ from: port, direction: 'export', pending: false });
    expect(state().drag!.compatible).toEqual([{ node: 'memory', port: 'patchbay:kv/store' }]);
    state().endDrag();
    expect(state().drag).toBeNull();
  });
});

describe('events and runs', () => {
  it('run stores the call and the report; wire calls light their edge', async () => {
    open();
    const report = {
      run: 1,
      call: 'handle-request("get a")',
      mode: 'traced',
      modeReason: '',
      ok: true,
      result: '"none"',
      failure: null,
      stdout: '',
      stderr: '',
      mockCalls: [],
      denials: [],
      trace: [],
      scope: [],
      micros: 5,
      limits: state().limits,
    };
    const session = {
      state: 'live',
      calls: 1,
      ageMs: 2,
      memoryBytes: 131072,
      mockCalls: 0,
      traceEntries: 1,
      fakeEntries: 0,
      mode: 'traced',
      ended: null,
    };
    mocks.sessionCall.mockResolvedValue({ report, session });
    await state().run('handle-request("get a")');
    expect(mocks.sessionCall).toHaveBeenCalledWith(
      expect.objectContaining({ call: 'handle-request("get a")', traced: true, limits: { timeoutMs: 5000, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 } }),
    );
    expect(mocks.run).not.toHaveBeenCalled();
    expect(state().session).toBe(session);
    // Numbered as the project's first run.
    expect(state().lastRun).toEqual({ ...report, run: 1 });
    expect(state().lastCall).toBe('handle-request("get a")');
    expect(state().running).toBe(false);

    state().handleEvent({ kind: 'wireCall', run: 1, caller: 'service', callee: 'memory', function: 'patchbay:kv/store#get', micros: 3 });
    const id = wireId(sampleDoc().wires[0]);
    expect(state().activeWires[id]).toBeTypeOf('number');
    await vi.advanceTimersByTimeAsync(1300);
    expect(state().activeWires[id]).toBeUndefined();
  });

  it('run uses a fresh instance when asked; an ended session keeps the last report', async () => {
    open();
    const report = { run: 2, call: 'f()', ok: true, trace: [] };
    mocks.run.mockResolvedValue(report);
    state().setFreshPerCall(true);
    await state().run('f()');
    expect(mocks.run).toHaveBeenCalledWith(expect.objectContaining({ call: 'f()', traced: true }));
    expect(mocks.sessionCall).not.toHaveBeenCalled();
    // The host's run 2 is this project's run 1.
    expect(state().lastRun).toEqual({ ...report, run: 1 });

    state().setFreshPerCall(false);
    const ended = {
      state: 'ended',
      calls: 3,
      ageMs: 10,
      memoryBytes: 65536,
      mockCalls: 0,
      traceEntries: 0,
      fakeEntries: 0,
      mode: 'traced',
      ended: { cause: 'failure', call: 'g()', kind: 'trap', message: 'the session ended when `g()` failed (trap): boom; reset it to start a new instance' },
    };
    mocks.sessionCall.mockResolvedValue({ report: null, session: ended });
    await state().run('f()');
    expect(state().session).toBe(ended);
    expect(state().lastRun).toEqual({ ...report, run: 1 });
    expect(state().running).toBe(false);
    mocks.sessionReset.mockResolvedValue({ ...ended, state: 'none', calls: 0, ageMs: null, ended: null });
    await state().resetSession();
    expect(state().session?.state).toBe('none');
  });

  it('closeRequested asks first when dirty, else closes', () => {
    open();
    mocks.closeWindow.mockResolvedValue(null);
    state().handleEvent({ kind: 'closeRequested' });
    expect(mocks.closeWindow).toHaveBeenCalledTimes(1);
    state().updateDoc('x', (d) => void (d.name = 'x'));
    state().handleEvent({ kind: 'closeRequested' });
    expect(state().confirm).toEqual({ reason: 'close' });
    expect(mocks.closeWindow).toHaveBeenCalledTimes(1);
  });

  it('dropped components join the project; a dropped patchbay.toml opens', async () => {
    open();
    mocks.addComponents.mockResolvedValue([view('kv-extra')]);
    state().handleEvent({ kind: 'filesDropped', paths: ['/p/kv-extra.wasm'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(mocks.addComponents).toHaveBeenCalledWith({ doc: expect.anything(), paths: ['/p/kv-extra.wasm'] });
    expect(state().doc!.components.map((c) => c.id)).toContain('kv-extra');
    expect(state().doc!.nodes.map((n) => n.component)).toContain('kv-extra');
    expect(state().selectedNodes).toEqual(['kv-extra']);

    mocks.openProject.mockResolvedValue({
      path: '/q/patchbay.toml',
      dir: '/q',
      doc: { ...sampleDoc(), name: 'other' },
      components: [],
      analysis: emptyAnalysis,
      recovery: null,
      notes: [],
    });
    mocks.save.mockResolvedValue({ path: '/p/kv-service/patchbay.toml', doc: state().doc });
    state().handleEvent({ kind: 'filesDropped', paths: ['/q/patchbay.toml'] });
    // Unsaved changes: ask first.
    expect(state().confirm).toEqual({ reason: 'open', path: '/q/patchbay.toml' });
    await state().resolveConfirm('discard');
    expect(mocks.openProject).toHaveBeenCalledWith({ path: '/q/patchbay.toml' });
    expect(state().doc!.name).toBe('other');
  });

  it('opens a shipped sample, asking first when there are unsaved changes', async () => {
    const sample: OpenedProject = {
      path: '/samples/order-pipeline/patchbay.toml',
      dir: '/samples/order-pipeline',
      doc: { ...sampleDoc(), name: 'order-pipeline' },
      components: [],
      analysis: emptyAnalysis,
      recovery: null,
      notes: [],
    };
    mocks.openSample.mockResolvedValue(sample);
    await state().openSample('order-pipeline');
    expect(mocks.openSample).toHaveBeenCalledWith({ name: 'order-pipeline' });
    expect(state().doc!.name).toBe('order-pipeline');

    open();
    state().updateDoc('Move memory', (d) => {
      d.nodes[0].x = 5;
    });
    await state().openSample('order-pipeline');
    expect(state().confirm).toEqual({ reason: 'open', path: null, sample: 'order-pipeline' });
    expect(state().doc!.name).toBe('kv-service');
    await state().resolveConfirm('discard');
    expect(mocks.openSample).toHaveBeenCalledTimes(2);
    expect(state().doc!.name).toBe('order-pipeline');
  });

  it('orders the samples with kv-service first', () => {
    const names = orderedSamples([{ name: 'order-pipeline' }, { name: 'hostile' }, { name: 'kv-service' }]).map((s) => s.name);
    expect(names).toEqual(['kv-service', 'hostile', 'order-pipeline']);
    expect(sampleBlurb('One component, three nodes. Each node runs')).toBe('One component, three nodes.');
    expect(sampleBlurb('A guest that misbehaves on request: it spins')).toBe('A guest that misbehaves on request: it spins');
  });

  it('wiresBetween matches the interface of the call', () => {
    const doc = sampleDoc();
    expect(wiresBetween(doc, 'memory', 'service', 'get')).toEqual([wireId(doc.wires[0])]);
    expect(wiresBetween(doc, 'service', 'memory', 'get')).toEqual([]);
  });
});

describe('moving nodes', () => {
  it('records a drag once, when it ends, as one undo step', () => {
    open();
    const s = () => useStore.getState();
    s().onNodesChange([{ id: 'memory', type: 'position', position: { x: 5, y: 5 }, dragging: true }]);
    s().onNodesChange([{ id: 'memory', type: 'position', position: { x: 10, y: 12 }, dragging: true }]);
    expect(s().doc!.nodes[0]).toMatchObject({ x: 0, y: 0 });
    expect(s().flowNodes[0].position).toEqual({ x: 10, y: 12 });
    s().onNodesChange([{ id: 'memory', type: 'position', position: { x: 20, y: 24 }, dragging: false }]);
    expect(s().doc!.nodes[0]).toMatchObject({ x: 20, y: 24 });
    expect(s().past.map((e) => e.label)).toEqual(['Move memory']);
    expect(s().flowNodes[0].position).toEqual({ x: 20, y: 24 });
    s().undo();
    expect(s().flowNodes[0].position).toEqual({ x: 0, y: 0 });
  });
});

describe('uniqueId', () => {
  it('keeps a free id and numbers a taken one on its last word', async () => {
    const { uniqueId } = await import('./doc');
    expect(uniqueId('memory', new Set())).toBe('memory');
    expect(uniqueId('memory', new Set(['memory']))).toBe('memory2');
    expect(uniqueId('memory2', new Set(['memory2']))).toBe('memory3');
    expect(uniqueId('kv-memory', new Set(['kv-memory', 'kv-memory2']))).toBe('kv-memory3');
  });
});

describe('a project that does not open', () => {
  const broken = {
    code: 'bad-project',
    message: 'cannot open /p/broken',
    detail: '/p/broken/patchbay.toml:3:9: unclosed table, expected `]`',
  };

  function opened(name: string): OpenedProject {
    return {
      path: `/p/${name}/patchbay.toml`,
      dir: `/p/${name}`,
      doc: { ...sampleDoc(), name },
      components: [],
      analysis: emptyAnalysis,
      recovery: null,
      notes: [],
    };
  }

  it('keeps the start-up error, naming the file and what is wrong, until a project opens', async () => {
    mocks.fakes.mockResolvedValue([]);
    mocks.samples.mockResolvedValue([]);
    mocks.startup.mockRejectedValue(broken);
    await state().startup();
    expect(state().doc).toBeNull();
    expect(state().openError).toEqual({ message: broken.message, detail: broken.detail, retry: 'startup' });
    // Not a toast that times out: the empty state shows it.
    expect(state().toasts).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state().openError?.detail).toBe(broken.detail);

    // Cancelling a dialog changes nothing; another failure replaces it.
    mocks.openProject.mockRejectedValueOnce({ code: 'cancelled', message: 'cancelled', detail: null });
    await state().openProject(null);
    expect(state().openError?.retry).toBe('startup');
    mocks.openSample.mockRejectedValueOnce({ code: 'bad-request', message: 'there is no sample `x`', detail: null });
    await state().openSample('x');
    expect(state().openError).toEqual({ message: 'there is no sample `x`', detail: null, retry: null });

    mocks.openProject.mockResolvedValueOnce(opened('other'));
    await state().openProject(null);
    expect(state().doc!.name).toBe('other');
    expect(state().openError).toBeNull();
  });

  it('tries the start-up project again on request', async () => {
    mocks.startup.mockRejectedValueOnce(broken).mockResolvedValueOnce(opened('fixed'));
    mocks.fakes.mockResolvedValue([]);
    mocks.samples.mockResolvedValue([]);
    await state().startup();
    expect(state().openError).not.toBeNull();
    await state().retryStartup();
    expect(mocks.startup).toHaveBeenCalledTimes(2);
    expect(state().doc!.name).toBe('fixed');
    expect(state().openError).toBeNull();
  });

  it('says it in a toast when a project is open, which stays open', async () => {
    open();
    mocks.openProject.mockRejectedValueOnce(broken);
    await state().openProject('/p/broken');
    expect(state().doc!.name).toBe('kv-service');
    expect(state().openError).toBeNull();
    expect(state().toasts.map((t) => [t.kind, t.text])).toEqual([['error', `${broken.message}\n${broken.detail}`]]);
  });
});
