// Recovery and status agree: a recovered document brings its components
// back (or says which cannot be opened, with Locate / Remove); a failed
// analysis is never shown as "No problems"; a refusal goes when the
// document changes.

import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, ComponentView, OpenedProject, ProjectDoc } from '../store/backend';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  addComponents: vi.fn(),
  saveRecovery: vi.fn(),
  discardRecovery: vi.fn(),
  setDirty: vi.fn(),
  sessionStatus: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { StatusLine } from '../shell/StatusLine';
import { Toolbar } from '../shell/Toolbar';
import { withoutComponent } from './componentFix';
import { ProblemsPanel } from './ProblemsPanel';

const clean: Analysis = { problems: [], imports: [], composed: null, millis: 1 };

function doc(): ProjectDoc {
  return {
    name: 'kv-service',
    fakeNodes: [],
    components: [{ id: 'kv-service', path: '../wasm/kv-service.wasm', build: null, watch: [], hash: null }],
    nodes: [{ id: 'service', component: 'kv-service', x: 0, y: 0 }],
    wires: [],
    exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    bindings: [],
  };
}

function view(id: string, error: string | null = null): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/wasm/${id}.wasm`, size: 100, hash: null, info: null, error };
}

/** The saved project plus a cache added before the crash, wired in. */
function recoveredDoc(): ProjectDoc {
  const d = doc();
  d.components.push({ id: 'kv-cache', path: '../wasm/kv-cache.wasm', build: null, watch: [], hash: null });
  d.nodes.push({ id: 'cache', component: 'kv-cache', x: 300, y: 0 });
  d.wires.push({ from: { node: 'cache', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } });
  d.bindings.push({ selector: 'cache.wasi:cli/environment@0.2.6', binding: { mode: 'deny' } });
  return d;
}

function open(cacheError: string | null): void {
  const opened: OpenedProject = {
    path: '/p/kv-service/patchbay.toml',
    dir: '/p/kv-service',
    doc: doc(),
    components: [view('kv-service')],
    analysis: clean,
    recovery: { doc: recoveredDoc(), savedAtMs: 1, components: [view('kv-service'), view('kv-cache', cacheError)] },
    notes: [],
  };
  useStore.getState().applyOpened(opened);
}

const state = () => useStore.getState();

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue(clean);
  mocks.saveRecovery.mockResolvedValue(null);
  mocks.discardRecovery.mockResolvedValue(null);
  mocks.setDirty.mockResolvedValue(null);
  mocks.sessionStatus.mockResolvedValue(null);
  resetStore();
});

afterEach(() => vi.useRealTimers());

describe('recover', () => {
  it('brings back the components added before the crash', () => {
    open(null);
    state().recover();
    expect(state().doc!.nodes.map((n) => n.id)).toEqual(['service', 'cache']);
    expect(state().components['kv-cache']).toMatchObject({ id: 'kv-cache', error: null });
    expect(state().status).toBeNull();
  });

  it('says which components cannot be opened and shows the Problems tab', () => {
    open('file ../wasm/kv-cache.wasm does not exist');
    state().recover();
    expect(state().bottomTab).toBe('problems');
    expect(state().status).toEqual({
      kind: 'error',
      text: 'Recovered, but kv-cache cannot be opened: locate the file or remove it (Problems tab)',
    });
  });
});

describe('a component that cannot be opened', () => {
  const missing = {
    severity: 'error' as const,
    code: 'component-missing' as const,
    location: { kind: 'component' as const, component: 'kv-cache', nodes: ['cache'] },
    message: 'file /p/wasm/kv-cache.wasm does not exist',
    position: null,
  };

  it('is offered Locate file… and Remove in the Problems tab', async () => {
    open(null);
    state().recover();
    // What the backend's analysis of the recovered document says.
    mocks.analyze.mockResolvedValue({ ...clean, problems: [missing] });
    useStore.setState({ analysis: { ...clean, problems: [missing] } as Analysis });
    render(<ProblemsPanel />);
    await userEvent.click(screen.getByRole('button', { name: 'Remove kv-cache' }));
    const d = state().doc!;
    expect(d.components.map((c) => c.id)).toEqual(['kv-service']);
    expect(d.nodes.map((n) => n.id)).toEqual(['service']);
    expect(d.wires).toEqual([]);
    expect(d.bindings).toEqual([]);
    expect(state().past.at(-1)?.label).toBe('Remove kv-cache and its nodes');
  });

  it('Locate file… points the component at the file picked, keeping its id and nodes', async () => {
    open(null);
    state().recover();
    // What the backend's analysis of the recovered document says.
    mocks.analyze.mockResolvedValue({ ...clean, problems: [missing] });
    useStore.setState({ analysis: { ...clean, problems: [missing] } as Analysis });
    mocks.addComponents.mockResolvedValue([{ ...view('kv-cache-2'), path: '../moved/kv-cache.wasm', hash: 'sha256:ab' }]);
    render(<ProblemsPanel />);
    await userEvent.click(screen.getByRole('button', { name: 'Locate file…' }));
    const c = state().doc!.components.find((x) => x.id === 'kv-cache');
    expect(c).toMatchObject({ path: '../moved/kv-cache.wasm', hash: 'sha256:ab' });
    expect(state().doc!.nodes.some((n) => n.id === 'cache')).toBe(true);
    expect(state().components['kv-cache']).toMatchObject({ id: 'kv-cache', path: '../moved/kv-cache.wasm' });
  });

  it('withoutComponent leaves other nodes, wires and exports alone', () => {
    const d = recoveredDoc();
    withoutComponent(d, 'kv-cache');
    expect(d.exports).toEqual(doc().exports);
    expect(d.nodes).toEqual(doc().nodes);
  });
});

describe('status and analysis agree', () => {
  it('a failed analysis is "Not checked", never "No problems"', async () => {
    open(null);
    mocks.analyze.mockRejectedValue({ code: 'internal', message: 'the checker stopped', detail: null });
    await act(() => state().analyzeNow());
    expect(state().analysis).toBeNull();
    render(
      <>
        <Toolbar />
        <ProblemsPanel />
      </>,
    );
    expect(screen.getByTitle('Show the problems')).toHaveTextContent('Not checked');
    expect(screen.getByRole('alert')).toHaveTextContent('The graph could not be checked: the checker stopped');
    expect(screen.queryByText(/No problems/)).toBeNull();

    mocks.analyze.mockResolvedValue(clean);
    await act(() => state().analyzeNow());
    expect(state().analysisError).toBeNull();
    expect(screen.getByTitle('Show the problems')).toHaveTextContent('No problems');
  });

  it('a refusal goes away when the document changes (undo)', () => {
    open(null);
    state().updateDoc('Move service', (d) => {
      d.nodes[0].x = 50;
    });
    render(<StatusLine />);
    act(() => state().setStatus({ kind: 'error', text: 'Wire refused: the Logging fake cannot serve it' }));
    expect(screen.getByTestId('status-line')).toHaveTextContent('Wire refused');
    act(() => state().undo());
    expect(state().status).toBeNull();
    expect(screen.getByTestId('status-line')).toHaveTextContent('');
  });
});
