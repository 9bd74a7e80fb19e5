// Composites in the editor: Group and Ungroup ask the backend and take its
// document as one undoable edit (or show its refusal), entering a composite
// shows and edits its definition, the breadcrumb's way out, problems and
// trace rows inside a composite lead into it.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, ComponentView, OpenedProject, ProjectDoc, Problem } from './backend';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  candidates: vi.fn(),
  checkWire: vi.fn(),
  groupNodes: vi.fn(),
  ungroupNode: vi.fn(),
  exportComposite: vi.fn(),
  saveCompositeToLibrary: vi.fn(),
  saveRecovery: vi.fn(),
  setDirty: vi.fn(),
}));

vi.mock('./backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { registerViewport } from './placement';
import { resetStore, useStore } from './store';
import { viewAnalysis, viewDoc } from './inside';
import { selectNodeProblems } from './selectors';
import { nodePathText, traceTarget } from '../panels/traceInside';

const KV = 'patchbay:kv/store';
const emptyAnalysis: Analysis = { problems: [], imports: [], composed: null, millis: 1 };

const component = (id: string) => ({ id, path: `../wasm/${id}.wasm`, build: null, watch: [], hash: null });

/** memory → service, and a logger apart. */
function flat(): ProjectDoc {
  return {
    name: 'shop',
    fakeNodes: [],
    components: ['kv-memory', 'kv-service', 'logger'].map(component),
    nodes: [
      { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
      { id: 'service', component: 'kv-service', x: 400, y: 0 },
      { id: 'logger', component: 'logger', x: 0, y: 300 },
    ],
    wires: [{ from: { node: 'memory', port: KV }, to: { node: 'service', port: KV } }],
    exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    bindings: [{ selector: 'logger.wasi:*', binding: { mode: 'deny' } }],
  };
}

/** `flat` with memory and service grouped as `stage` (what the backend answers). */
function grouped(): ProjectDoc {
  const d = flat();
  return {
    ...d,
    nodes: [
      { id: 'logger', component: 'logger', x: 0, y: 300 },
      { id: 'stage', component: 'stage', x: 200, y: 0 },
    ],
    wires: [],
    exports: [{ from: { node: 'stage', port: 'handle-request' }, name: null }],
    composites: [
      {
        name: 'stage',
        nodes: [
          { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
          { id: 'service', component: 'kv-service', x: 400, y: 0 },
        ],
        wires: [{ from: { node: 'memory', port: KV }, to: { node: 'service', port: KV } }],
        exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
      },
    ],
  };
}

function view(id: string): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/wasm/${id}.wasm`, size: 1, hash: null, info: null, error: null };
}

function opened(d: ProjectDoc): OpenedProject {
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
const open = (d: ProjectDoc) => state().applyOpened(opened(d));

beforeEach(() => {
  vi.useFakeTimers();
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue(emptyAnalysis);
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  registerViewport(null);
  resetStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Group and Ungroup', () => {
  it('sends the selection and takes the backend document as one undoable edit', async () => {
    open(flat());
    state().setSelection(['memory', 'service'], []);
    state().requestGroup();
    expect(state().groupPrompt).toEqual({ nodes: ['memory', 'service'], name: 'group' });
    mocks.groupNodes.mockResolvedValue({ doc: grouped(), node: 'stage' });
    expect(await state().groupNodes(['memory', 'service'], 'stage')).toBe(true);
    expect(mocks.groupNodes).toHaveBeenCalledWith({ doc: flat(), nodes: ['memory', 'service'], name: 'stage' });
    expect(state().doc).toEqual(grouped());
    expect(state().selectedNodes).toEqual(['stage']);
    expect(state().groupPrompt).toBeNull();
    expect(state().past.map((p) => p.label)).toEqual(['Group 2 nodes as stage']);
    state().undo();
    expect(state().doc).toEqual(flat());
    state().redo();
    expect(state().doc).toEqual(grouped());
  });

  it('shows the refusal in the status line and keeps the document', async () => {
    open(flat());
    const before = state().doc;
    mocks.groupNodes.mockRejectedValue({
      code: 'bad-request',
      message: 'node `logger` has no ports: its component did not load, so its ports are unknown',
      detail: null,
    });
    state().requestGroup(['logger']);
    expect(await state().groupNodes(['logger'], 'solo')).toBe(false);
    expect(state().doc).toBe(before);
    expect(state().past).toEqual([]);
    expect(state().status).toEqual({
      text: 'Not grouped: node `logger` has no ports: its component did not load, so its ports are unknown',
      kind: 'error',
    });
    // The box stays open on the nodes, to try another name.
    expect(state().groupPrompt?.nodes).toEqual(['logger']);
  });

  it('asks for a selection first', () => {
    open(flat());
    state().requestGroup();
    expect(state().groupPrompt).toBeNull();
    expect(state().status?.kind).toBe('error');
  });

  it('ungroups a composite node as one edit, selecting its inner nodes', async () => {
    open(grouped());
    mocks.ungroupNode.mockResolvedValue({ doc: flat(), nodes: ['memory', 'service'] });
    expect(await state().ungroupNode('stage')).toBe(true);
    expect(mocks.ungroupNode).toHaveBeenCalledWith({ doc: grouped(), node: 'stage' });
    expect(state().doc).toEqual(flat());
    expect(state().selectedNodes).toEqual(['memory', 'service']);
    state().undo();
    expect(state().doc).toEqual(grouped());
  });

  it('suggests a name no node, component or composite has', () => {
    const d = grouped();
    d.nodes.push({ id: 'group', component: 'logger', x: 0, y: 0 });
    open(d);
    state().requestGroup(['logger']);
    expect(state().groupPrompt?.name).toBe('group2');
  });
});

describe('inside a composite', () => {
  it('shows the definition and edits it, leaving the rest of the document alone', () => {
    open(grouped());
    expect(state().enterComposite('logger')).toBe(false);
    expect(state().enterComposite('stage')).toBe(true);
    expect(state().inside).toEqual([{ node: 'stage', composite: 'stage' }]);
    expect(state().flowNodes.map((n) => n.id)).toEqual(['memory', 'service']);
    expect(state().flowEdges.map((e) => e.id)).toEqual([`wire:memory.${KV}->service.${KV}`]);
    // Edits reach the definition; the top level keeps its nodes and bindings.
    state().setSelection([], [`wire:memory.${KV}->service.${KV}`]);
    state().deleteSelection();
    expect(state().doc!.composites![0].wires).toEqual([]);
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['logger', 'stage']);
    expect(state().doc!.bindings).toEqual(flat().bindings);
    state().moveNodes({ memory: { x: 10, y: 20 } });
    expect(state().doc!.composites![0].nodes[0]).toMatchObject({ id: 'memory', x: 10, y: 20 });
    // Copy and paste inside the definition.
    state().setSelection(['memory'], []);
    state().copySelection();
    state().paste();
    expect(state().doc!.composites![0].nodes.map((n) => n.id)).toEqual(['memory', 'service', 'memory2']);
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['logger', 'stage']);
    // One undo step each, on the whole document.
    state().undo();
    state().undo();
    state().undo();
    expect(state().doc).toEqual(grouped());
  });

  it('goes back out by the breadcrumb, selecting the composite node', () => {
    open(grouped());
    state().enterComposite('stage');
    state().leaveComposite(0);
    expect(state().inside).toEqual([]);
    expect(state().selectedNodes).toEqual(['stage']);
    expect(state().flowNodes.map((n) => n.id)).toEqual(['logger', 'stage']);
  });

  it('leaves a composite that an undo removed', async () => {
    open(flat());
    mocks.groupNodes.mockResolvedValue({ doc: grouped(), node: 'stage' });
    await state().groupNodes(['memory', 'service'], 'stage');
    state().enterComposite('stage');
    state().undo();
    expect(state().inside).toEqual([]);
    expect(viewDoc(state())).toBe(state().doc);
  });

  it('groups inside a definition: the backend answer goes back into it', async () => {
    open(grouped());
    state().enterComposite('stage');
    const inner = viewDoc(state())!;
    const answer: ProjectDoc = {
      ...inner,
      nodes: [{ id: 'pair', component: 'pair', x: 0, y: 0 }],
      wires: [],
      exports: [{ from: { node: 'pair', port: 'handle-request' }, name: null }],
      composites: [...inner.composites!, { name: 'pair', nodes: inner.nodes, wires: inner.wires, exports: inner.exports }],
    };
    mocks.groupNodes.mockResolvedValue({ doc: answer, node: 'pair' });
    expect(await state().groupNodes(['memory', 'service'], 'pair')).toBe(true);
    expect(mocks.groupNodes.mock.calls[0][0].doc).toBe(inner);
    const d = state().doc!;
    expect(d.nodes.map((n) => n.id)).toEqual(['logger', 'stage']);
    expect(d.composites!.map((c) => c.name)).toEqual(['stage', 'pair']);
    expect(d.composites![0].nodes.map((n) => n.id)).toEqual(['pair']);
    expect(state().flowNodes.map((n) => n.id)).toEqual(['pair']);
  });

  it('pins a problem inside a composite on its node, and on the composite node outside', () => {
    const problem: Problem = {
      severity: 'error',
      code: 'unbound-import',
      message: 'composite `stage`, node `service`: …',
      location: { kind: 'composite', composite: 'stage', nodes: ['stage'], inner: { kind: 'node', node: 'service' } },
      position: null,
    };
    open(grouped());
    useStore.setState({ analysis: { ...emptyAnalysis, problems: [problem] } });
    expect(selectNodeProblems('stage')(state())).toHaveLength(1);
    state().focusLocation(problem.location);
    expect(state().inside).toEqual([{ node: 'stage', composite: 'stage' }]);
    expect(state().selectedNodes).toEqual(['service']);
    expect(viewAnalysis(state())!.problems[0].location).toEqual({ kind: 'node', node: 'service' });
    expect(selectNodeProblems('service')(state())).toHaveLength(1);
    expect(selectNodeProblems('stage')(state())).toBeUndefined();
  });

  it('leads a trace row with inner node paths to the wire inside', () => {
    const d = grouped();
    const entry = { caller: 'stage/service', callee: 'stage/memory', function: `${KV}#get`, args: [], result: '', startMicros: 0, micros: 1 };
    expect(traceTarget(d, entry)).toEqual({
      steps: [{ node: 'stage', composite: 'stage' }],
      index: 0,
      wire: d.composites![0].wires[0],
    });
    // A traced run names inner nodes NODE-INNER (flattened composites).
    expect(traceTarget(d, { ...entry, caller: 'stage-service', callee: 'stage-memory' })?.steps).toEqual([
      { node: 'stage', composite: 'stage' },
    ]);
    expect(nodePathText(d, 'stage-service')).toBe('stage › service');
    expect(nodePathText(d, 'logger')).toBe('logger');
    expect(nodePathText(d, 'stage-nothing')).toBe('stage-nothing');
    // A top-level row stays at the top level.
    const top = { ...grouped(), wires: [{ from: { node: 'logger', port: 'log' }, to: { node: 'stage', port: 'log' } }] };
    expect(traceTarget(top, { ...entry, caller: 'stage/service', callee: 'logger', function: 'log' })).toEqual({
      steps: [],
      index: 0,
      wire: top.wires[0],
    });
  });
});

describe('writing a composite alone', () => {
  it('exports it through the folder dialog and says where', async () => {
    open(grouped());
    mocks.exportComposite.mockResolvedValue({ path: '/out/stage.wasm', size: 10, imports: [], exports: ['handle-request'] });
    await state().exportComposite('stage');
    expect(mocks.exportComposite).toHaveBeenCalledWith({ doc: grouped(), composite: 'stage', dir: null, chooseDir: true });
    expect(state().toasts.at(-1)?.text).toContain('/out/stage.wasm');
  });

  it('saves it to a library folder; a cancelled dialog says nothing', async () => {
    open(grouped());
    mocks.saveCompositeToLibrary.mockRejectedValue({ code: 'cancelled', message: 'cancelled', detail: null });
    await state().saveCompositeToLibrary('stage');
    expect(state().status).toBeNull();
    mocks.saveCompositeToLibrary.mockResolvedValue({ folder: '/lib/stage', manifest: '/lib/stage/patchbay.toml', component: '/lib/stage/stage.wasm' });
    await state().saveCompositeToLibrary('stage');
    expect(mocks.saveCompositeToLibrary).toHaveBeenLastCalledWith({ doc: grouped(), composite: 'stage', folder: null, chooseFolder: true });
    expect(state().toasts.at(-1)?.text).toContain('/lib/stage/stage.wasm');
  });
});
