// Readable at normal zoom: long port names cut in the middle with the full
// name on hover, grant badges with their scope, the composition's export
// names on the nodes, and the interfaces a fake node provides.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Analysis, ComponentView, OpenedProject, PortInfo, ProjectDoc } from '../store';

const mocks = vi.hoisted(() => ({ analyze: vi.fn(), setDirty: vi.fn(), saveRecovery: vi.fn() }));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { Canvas } from './Canvas';
import { elideMiddle, fitMiddle } from './portText';

function port(name: string): PortInfo {
  const at = name.indexOf('@');
  const slash = name.indexOf('/');
  return {
    name,
    kind: slash > 0 ? 'interface' : 'function',
    package: slash > 0 ? name.slice(0, slash) : null,
    interface: slash > 0 ? name.slice(slash + 1, at > 0 ? at : undefined) : null,
    version: at > 0 ? name.slice(at + 1) : null,
    functions: [],
    types: [],
    typesOnly: false,
  };
}

function view(id: string, imports: PortInfo[], exports: PortInfo[]): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/${id}.wasm`, size: 100, hash: null, info: { imports, exports, wit: '' }, error: null };
}

const PROBE = 'patchbay:sandbox/probe';
const LONG = 'wasi:sockets/ip-name-lookup-with-a-very-long-interface-name@0.2.6';

const doc: ProjectDoc = {
  name: 'sandbox-demo',
  fakeNodes: [{ fake: 'kv', x: -300, y: 0 }],
  components: [{ id: 'sandbox', path: '../wasm/sandbox.wasm', build: null, watch: [], hash: null }],
  nodes: [{ id: 'granted', component: 'sandbox', x: 0, y: 0 }],
  wires: [],
  exports: [{ from: { node: 'granted', port: PROBE }, name: 'granted' }],
  bindings: [
    { selector: 'granted.wasi:cli/environment@0.2.6', binding: { mode: 'grant', env: ['GREETING'], dirs: [], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null } },
    {
      selector: 'granted.wasi:filesystem/preopens@0.2.6',
      binding: { mode: 'grant', env: [], dirs: [{ host: './data', guest: '/data', writable: false }], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null },
    },
    { selector: 'granted.patchbay:kv/store', binding: { mode: 'mock', fake: 'kv', functions: [], values: [], responses: [] } },
  ],
};

const analysis: Analysis = {
  problems: [],
  imports: [
    { node: 'granted', port: 'wasi:cli/environment@0.2.6', mode: 'grant', selector: 'granted.wasi:cli/environment@0.2.6', fake: null, typesOnly: false, scopes: ['env'] },
    { node: 'granted', port: 'wasi:filesystem/preopens@0.2.6', mode: 'grant', selector: 'granted.wasi:filesystem/preopens@0.2.6', fake: null, typesOnly: false, scopes: ['dirs'] },
    { node: 'granted', port: 'patchbay:kv/store', mode: 'mock', selector: 'granted.patchbay:kv/store', fake: 'kv', typesOnly: false, scopes: [] },
    { node: 'granted', port: LONG, mode: 'deny', selector: null, fake: null, typesOnly: false, scopes: [] },
  ],
  composed: null,
  millis: 1,
};

function open() {
  const opened: OpenedProject = {
    path: '/p/patchbay.toml',
    dir: '/p',
    doc,
    components: [
      view(
        'sandbox',
        [port('wasi:cli/environment@0.2.6'), port('wasi:filesystem/preopens@0.2.6'), port('patchbay:kv/store'), port(LONG)],
        [port(PROBE)],
      ),
    ],
    analysis,
    recovery: null,
    notes: [],
  };
  act(() => useStore.getState().applyOpened(opened));
  useStore.setState({
    fakes: [{ name: 'kv', title: 'In-memory key-value', description: 'get/set' }],
  });
}

beforeEach(() => {
  resetStore();
  mocks.analyze.mockResolvedValue(analysis);
  mocks.setDirty.mockResolvedValue(null);
});

function renderCanvas() {
  return render(
    <ReactFlowProvider>
      <div style={{ width: 1200, height: 800 }}>
        <Canvas />
      </div>
    </ReactFlowProvider>,
  );
}

describe('readable at normal zoom', () => {
  it('grant badges show their scope in short form', () => {
    open();
    renderCanvas();
    expect(screen.getByTestId('badge-granted-wasi:cli/environment@0.2.6')).toHaveTextContent(/^env: GREETING$/);
    expect(screen.getByTestId('badge-granted-wasi:filesystem/preopens@0.2.6')).toHaveTextContent(/^\/data ro$/);
    expect(screen.getByTestId('badge-granted-patchbay:kv/store')).toHaveTextContent('mock · kv');
  });

  it('a long port name is cut in the middle, the full name on hover', () => {
    open();
    renderCanvas();
    const name = screen.getByTitle(LONG);
    const shown = name.textContent ?? '';
    expect(shown).toContain('…');
    expect(shown.startsWith('wasi:sockets/')).toBe(true);
    expect(shown.endsWith('name')).toBe(true);
    expect(shown.length).toBeLessThan(LONG.length);
    // Short names are whole.
    expect(screen.getByTitle(PROBE)).toHaveTextContent(/^patchbay:sandbox\/probe$/);
  });

  it('a node shows the name the composition exports its port as', () => {
    open();
    renderCanvas();
    expect(screen.getByTestId(`exported-granted-${PROBE}`)).toHaveTextContent('as granted');
  });

  it('a fake node shows the interfaces it provides', () => {
    open();
    renderCanvas();
    expect(screen.getByLabelText('Interfaces the kv fake provides')).toHaveTextContent('patchbay:kv/store');
  });

  it('a laid-out row fits the name to the room it leaves, measured in its font, so it is cut only once', () => {
    // jsdom lays nothing out and has no canvas: give the label a width and
    // the page an 11 px monospace font, as the app has.
    const GLYPH = 6.62;
    const LABEL = 190;
    const measure = (t: string) => t.length * GLYPH;
    const restore: (() => void)[] = [];
    const stub = <K extends keyof HTMLElement>(proto: object, key: K, get: (el: HTMLElement) => unknown) => {
      const before = Object.getOwnPropertyDescriptor(proto, key);
      Object.defineProperty(proto, key, { configurable: true, get() { return get(this as HTMLElement); } });
      restore.push(() => (before ? Object.defineProperty(proto, key, before) : delete (proto as Record<string, unknown>)[key as string]));
    };
    stub(HTMLElement.prototype, 'clientWidth', (el) => (el.classList.contains('pb-port__label') ? LABEL : 0));
    stub(HTMLElement.prototype, 'offsetWidth', (el) => (el.classList.contains('pb-port__dot') ? 7 : measure(el.textContent ?? '')));
    const getContext = vi
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockImplementation(() => ({ font: '', measureText: (t: string) => ({ width: measure(t) }) }) as never);
    try {
      open();
      renderCanvas();
      const name = screen.getByTitle(LONG);
      const shown = name.textContent ?? '';
      const room = LABEL - 7 - measure('@0.2.6');
      expect(shown).toBe(fitMiddle(LONG.slice(0, LONG.indexOf('@')), room - 0.5, measure));
      expect(shown.split('…')).toHaveLength(2);
      expect(measure(shown)).toBeLessThanOrEqual(room);
      // As long as fits: one more character would overflow.
      expect(measure(elideMiddle(LONG.slice(0, LONG.indexOf('@')), shown.length + 1))).toBeGreaterThan(room - 0.5);
    } finally {
      getContext.mockRestore();
      for (const r of restore.reverse()) r();
    }
  });
});
