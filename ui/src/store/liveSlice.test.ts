import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, AppEvent, ComponentView, OpenedProject, ProjectDoc } from './backend';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  run: vi.fn(),
  sessionCall: vi.fn(),
  saveRecovery: vi.fn(),
  discardRecovery: vi.fn(),
  setDirty: vi.fn(),
}));

vi.mock('./backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from './store';

const composed = { composed: { imports: [], exports: [], wit: '', runTargets: [] } } as unknown as Partial<Analysis>;
const emptyAnalysis: Analysis = { problems: [], imports: [], composed: null, millis: 1 };
const PATH = '/p/kv-service/patchbay.toml';

function doc(name = 'kv-service'): ProjectDoc {
  return {
    name,
    fakeNodes: [],
    components: [
      { id: 'kv-memory', path: '../wasm/kv-memory.wasm', build: 'bash ../build.sh kv-memory', watch: ['src'], hash: null },
      { id: 'kv-service', path: '../wasm/kv-service.wasm', build: null, watch: [], hash: null },
    ],
    nodes: [
      { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
      { id: 'service', component: 'kv-service', x: 360, y: 0 },
    ],
    wires: [{ from: { node: 'memory', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } }],
    exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    bindings: [],
  };
}

function view(id: string, size = 100, error: string | null = null): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/wasm/${id}.wasm`, size, hash: `h${size}`, info: null, error };
}

function open(): void {
  const opened: OpenedProject = {
    path: PATH,
    dir: '/p/kv-service',
    doc: doc(),
    components: [view('kv-memory'), view('kv-service')],
    analysis: emptyAnalysis,
    recovery: null,
    notes: [],
  };
  useStore.getState().applyOpened(opened);
}

const state = () => useStore.getState();
const send = (event: AppEvent) => state().handleEvent(event);
const toasts = () => state().toasts.map((t) => `${t.kind}: ${t.text}`);

beforeEach(() => {
  vi.useFakeTimers();
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue({ ...emptyAnalysis, ...composed });
  mocks.run.mockResolvedValue({ call: 'x', ok: true, trace: [] });
  mocks.sessionCall.mockResolvedValue({ report: { call: 'x', ok: true, trace: [] }, session: null });
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.discardRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  resetStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('builds', () => {
  it('shows a build while it runs, then its output; a failure keeps the last good build', () => {
    open();
    send({ kind: 'buildStarted', component: 'kv-memory', command: 'bash ../build.sh kv-memory' });
    expect(state().builds['kv-memory'].running).toBe(true);
    expect(state().busy['building kv-memory']).toBe(true);
    expect(state().status?.text).toBe('Building `kv-memory`…');

    send({
      kind: 'buildFinished',
      component: 'kv-memory',
      command: 'bash ../build.sh kv-memory',
      success: false,
      ended: 'exited with status 101',
      output: 'error[E0425]: cannot find value `x`',
      millis: 1200,
    });
    const build = state().builds['kv-memory'];
    expect(build.running).toBe(false);
    expect(build.finished?.output).toContain('E0425');
    expect(state().busy['building kv-memory']).toBeUndefined();
    expect(state().status).toEqual({
      kind: 'error',
      text: 'The build of `kv-memory` failed (exited with status 101); the last good build stays. Its output is in the Output panel.',
    });
    expect(state().bottomTab).toBe('output');
    // Said once: not also as a toast.
    expect(toasts()).toEqual([]);
    expect(state().components['kv-memory']).toEqual(view('kv-memory'));
  });
});

describe('componentChanged', () => {
  it('updates the node, re-analyzes and re-runs the last call', async () => {
    open();
    useStore.setState({ lastCall: 'handle-request("get a")' });
    send({ kind: 'componentChanged', component: view('kv-memory', 200), message: 'kv-memory.wasm changed on disk; ports unchanged, reloaded `kv-memory`' });
    expect(state().components['kv-memory'].size).toBe(200);
    // The rebuilt component changed the composition: the live session's
    // backend starts a new instance for this call.
    await vi.waitFor(() => expect(mocks.sessionCall).toHaveBeenCalledTimes(1));
    expect(mocks.analyze).toHaveBeenCalled();
    expect(mocks.sessionCall.mock.calls[0][0].call).toBe('handle-request("get a")');
    expect(toasts()).toContain('info: kv-memory.wasm changed on disk; ports unchanged, reloaded `kv-memory`');
  });

  it('keeps the last good ports when the new file does not load', () => {
    open();
    send({
      kind: 'componentChanged',
      component: view('kv-memory', 7, 'not a component'),
      message: 'kv-memory.wasm changed but does not load: not a component; the last good build stays',
    });
    expect(state().components['kv-memory']).toEqual(view('kv-memory'));
    expect(mocks.analyze).not.toHaveBeenCalled();
    expect(toasts()).toEqual(['error: kv-memory.wasm changed but does not load: not a component; the last good build stays']);
  });
});

describe('projectChanged', () => {
  const changed = (name: string): AppEvent => ({
    kind: 'projectChanged',
    path: PATH,
    doc: doc(name),
    components: [view('kv-memory', 300), view('kv-service')],
    error: null,
    message: 'patchbay.toml changed on disk; reloaded',
  });

  it('replaces a clean document and says so', async () => {
    open();
    send(changed('edited-outside'));
    expect(state().doc?.name).toBe('edited-outside');
    expect(state().savedDoc).toBe(state().doc);
    expect(state().dirty).toBe(false);
    expect(state().components['kv-memory'].size).toBe(300);
    expect(state().diskChange).toBeNull();
    expect(toasts()).toContain('info: patchbay.toml changed on disk; reloaded');
    await vi.waitFor(() => expect(mocks.analyze).toHaveBeenCalled());
  });

  it('with unsaved changes, asks; Keep my changes keeps the editor’s document', () => {
    open();
    state().updateDoc('Rename', (d) => {
      d.name = 'mine';
    });
    send(changed('theirs'));
    expect(state().doc?.name).toBe('mine');
    expect(state().diskChange?.doc.name).toBe('theirs');
    state().resolveDiskChange('keep');
    expect(state().diskChange).toBeNull();
    expect(state().doc?.name).toBe('mine');
    expect(state().dirty).toBe(true);
    expect(toasts()).toContain('info: Kept your changes; saving will overwrite patchbay.toml');
  });

  it('with unsaved changes, Reload from disk takes the file’s document', () => {
    open();
    state().updateDoc('Rename', (d) => {
      d.name = 'mine';
    });
    send(changed('theirs'));
    state().resolveDiskChange('reload');
    expect(state().doc?.name).toBe('theirs');
    expect(state().dirty).toBe(false);
    expect(state().past).toEqual([]);
    expect(state().diskChange).toBeNull();
    expect(mocks.discardRecovery).toHaveBeenCalled();
  });

  it('a broken file keeps the editor’s document and says what is wrong', () => {
    open();
    send({
      kind: 'projectChanged',
      path: PATH,
      doc: null,
      components: [],
      error: '/p/kv-service/patchbay.toml:12:1: invalid table header',
      message: 'patchbay.toml changed on disk but does not open: /p/kv-service/patchbay.toml:12:1: invalid table header',
    });
    expect(state().doc?.name).toBe('kv-service');
    expect(state().diskChange).toBeNull();
    expect(state().status?.kind).toBe('error');
    expect(state().status?.text).toContain('patchbay.toml:12:1');
    expect(state().status?.text).toMatch(/^patchbay.toml changed on disk but does not open/);
    // Said once: not also as a toast.
    expect(toasts()).toEqual([]);
  });
});
