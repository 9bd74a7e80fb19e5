// The composite node as the canvas draws it (its ports from the analysis's
// view of the composite, the marker and its size), entering it by
// double-click, the bar inside (the breadcrumb and the composite's ports,
// above the graph and never over its nodes), the inner nodes' binding
// badges as the backend gives them for the path entered, and the Group box
// showing the backend's refusal.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Analysis, ComponentView, ImportState, OpenedProject, PortInfo, ProjectDoc } from '../store';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  groupNodes: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { Canvas } from './Canvas';
import { handleShortcut } from '../shell/shortcuts';
import { LibraryPanel } from '../shell/LibraryPanel';

const KV = 'patchbay:kv/store';

function port(name: string): PortInfo {
  const slash = name.indexOf('/');
  return {
    name,
    kind: slash > 0 ? 'interface' : 'function',
    package: slash > 0 ? name.slice(0, slash) : null,
    interface: slash > 0 ? name.slice(slash + 1) : null,
    version: null,
    functions: [],
    types: [],
    typesOnly: false,
  };
}

function view(id: string, imports: PortInfo[], exports: PortInfo[], path = `../wasm/${id}.wasm`): ComponentView {
  return { id, path, absPath: path && `/p/${id}.wasm`, size: 1000, hash: `sha256:${id}`, info: { imports, exports, wit: '' }, error: null };
}

const doc: ProjectDoc = {
  name: 'kv-service',
  fakeNodes: [],
  components: ['kv-memory', 'kv-service'].map((id) => ({ id, path: `../wasm/${id}.wasm`, build: null, watch: [], hash: null })),
  nodes: [{ id: 'stage', component: 'stage', x: 0, y: 0 }],
  wires: [],
  exports: [{ from: { node: 'stage', port: 'handle-request' }, name: null }],
  bindings: [],
  composites: [
    {
      name: 'stage',
      nodes: [
        { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
        { id: 'service', component: 'kv-service', x: 360, y: 0 },
      ],
      wires: [{ from: { node: 'memory', port: KV }, to: { node: 'service', port: KV } }],
      exports: [{ from: { node: 'service', port: 'handle-request' }, name: null }],
    },
  ],
};

const analysis: Analysis = {
  problems: [],
  imports: [{ node: 'stage', port: 'wasi:cli/environment', mode: 'leave', selector: null, fake: null, typesOnly: false, scopes: [] }],
  composed: null,
  millis: 1,
  composites: [view('stage', [port('wasi:cli/environment')], [port('handle-request')], '')],
};

function open() {
  const opened: OpenedProject = {
    path: '/p/patchbay.toml',
    dir: '/p',
    doc,
    components: [view('kv-memory', [], [port(KV)]), view('kv-service', [port(KV), port('wasi:cli/environment')], [port('handle-request')])],
    analysis,
    recovery: null,
    notes: [],
  };
  act(() => useStore.getState().applyOpened(opened));
}

beforeEach(() => {
  resetStore();
  mocks.analyze.mockResolvedValue(analysis);
  mocks.setDirty.mockResolvedValue(null);
  mocks.saveRecovery.mockResolvedValue(null);
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

describe('a composite node', () => {
  it('draws its ports from the analysis, with the composite marker and its size', () => {
    open();
    renderCanvas();
    const node = screen.getByTestId('node-stage');
    expect(node).toHaveClass('pb-node--composite');
    expect(node).toHaveTextContent('composite · stage · 2 nodes');
    expect(screen.getByTestId('port-stage-export-handle-request')).toBeInTheDocument();
    expect(screen.getByTestId('port-stage-import-wasi:cli/environment')).toBeInTheDocument();
    expect(screen.queryByTestId('breadcrumb')).toBeNull();
  });

  it('enters on double-click: the inner nodes, the breadcrumb, the ports at the edges; Escape goes out', () => {
    open();
    renderCanvas();
    fireEvent.doubleClick(screen.getByTestId('node-stage'));
    expect(screen.getByTestId('node-memory')).toBeInTheDocument();
    expect(screen.getByTestId('node-service')).toBeInTheDocument();
    expect(screen.queryByTestId('node-stage')).toBeNull();
    const crumb = screen.getByTestId('breadcrumb');
    expect(crumb).toHaveTextContent('kv-service›stage');
    fireEvent.click(screen.getByRole('button', { name: '1 port in' }));
    expect(screen.getByLabelText('Imports of composite stage')).toHaveTextContent('wasi:cli/environment');
    fireEvent.click(screen.getByRole('button', { name: '1 port out' }));
    expect(screen.getByLabelText('Exports of composite stage')).toHaveTextContent('handle-request');
    expect(screen.queryByLabelText('Imports of composite stage')).toBeNull();
    act(() => void handleShortcut(new KeyboardEvent('keydown', { key: 'Escape' })));
    expect(screen.getByTestId('node-stage')).toBeInTheDocument();
    expect(screen.queryByTestId('breadcrumb')).toBeNull();
    // Back in by double-click, out by the breadcrumb's project step.
    fireEvent.doubleClick(screen.getByTestId('node-stage'));
    fireEvent.click(screen.getByRole('button', { name: 'kv-service' }));
    expect(screen.getByTestId('node-stage')).toBeInTheDocument();
  });

  it('docks its ports and the breadcrumb in a bar above the graph, never over its nodes', () => {
    open();
    renderCanvas();
    act(() => void useStore.getState().enterComposite('stage'));
    const bar = screen.getByTestId('inside-bar');
    const flow = screen.getByTestId('canvas-flow');
    // The bar is the graph box's sibling before it (the canvas is a column),
    // not a layer inside the box the nodes are drawn in.
    expect(bar.parentElement).toBe(flow.parentElement);
    expect(bar.compareDocumentPosition(flow) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(flow.contains(bar)).toBe(false);
    expect(bar).toContainElement(screen.getByTestId('breadcrumb'));
    // Folded to counts; an opened list is a row of the bar, still outside
    // the graph's box, where the inner nodes are.
    const count = screen.getByRole('button', { name: '1 port in' });
    expect(count).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByLabelText('Imports of composite stage')).toBeNull();
    fireEvent.click(count);
    expect(count).toHaveAttribute('aria-expanded', 'true');
    const list = screen.getByLabelText('Imports of composite stage');
    expect(bar).toContainElement(list);
    expect(flow).toContainElement(screen.getByTestId('node-memory'));
    expect(flow).toContainElement(screen.getByTestId('node-service'));
    // Out again: no bar, the graph's box is the whole canvas.
    act(() => useStore.getState().leaveComposite(0));
    expect(screen.queryByTestId('inside-bar')).toBeNull();
    expect(screen.getByTestId('canvas')).toContainElement(screen.getByTestId('canvas-flow'));
  });

  it('inner imports show the binding badges the backend gives for the path entered', () => {
    const ENV = 'wasi:cli/environment';
    const state = (node: string, port: string, mode: ImportState['mode'], selector: string | null): ImportState => ({
      node,
      port,
      mode,
      selector,
      fake: null,
      typesOnly: false,
      scopes: [],
    });
    // Two nodes instantiate `stage`, bound differently: `stage` by the
    // broad grant, `other` denied.
    const twice: ProjectDoc = { ...doc, nodes: [...doc.nodes, { id: 'other', component: 'stage', x: 0, y: 300 }] };
    const bound: Analysis = {
      ...analysis,
      imports: [state('stage', ENV, 'grant', '*.wasi:*'), state('other', ENV, 'deny', `other.${ENV}`)],
      inside: [
        { path: ['stage'], composite: 'stage', imports: [state('service', KV, 'wired', null), state('service', ENV, 'grant', '*.wasi:*')] },
        { path: ['other'], composite: 'stage', imports: [state('service', KV, 'wired', null), state('service', ENV, 'deny', `other.${ENV}`)] },
      ],
    };
    mocks.analyze.mockResolvedValue(bound);
    open();
    act(() => useStore.setState({ doc: twice, analysis: bound }));
    renderCanvas();
    expect(screen.getByTestId('badge-stage-wasi:cli/environment')).toHaveTextContent('grant');
    expect(screen.getByTestId('badge-other-wasi:cli/environment')).toHaveTextContent('deny');

    act(() => void useStore.getState().enterComposite('stage'));
    expect(screen.getByTestId('badge-service-wasi:cli/environment')).toHaveTextContent(/^grant$/);
    expect(screen.getByTestId('badge-service-wasi:cli/environment')).toHaveAttribute(
      'aria-label',
      'Binding of service.wasi:cli/environment: grant',
    );
    // Wired inside: no badge.
    expect(screen.queryByTestId('badge-service-patchbay:kv/store')).toBeNull();

    act(() => useStore.getState().leaveComposite(0));
    act(() => void useStore.getState().enterComposite('other'));
    expect(screen.getByTestId('badge-service-wasi:cli/environment')).toHaveTextContent(/^deny$/);
    expect(screen.getByTestId('badge-service-wasi:cli/environment')).toHaveAttribute(
      'title',
      `deny (from binding "other.${ENV}")`,
    );

    // A path the backend gave no states for shows none: the UI does not
    // work them out.
    act(() => useStore.setState({ analysis: { ...bound, inside: [] } }));
    expect(screen.queryByTestId('badge-service-wasi:cli/environment')).toBeNull();
  });

  it('the library counts the nodes inside composites apart', () => {
    open();
    render(<LibraryPanel />);
    expect(screen.getByText('kv-memory').closest('li')).toHaveTextContent('0 nodes · 1 in composites');
    act(() => void useStore.getState().enterComposite('stage'));
    expect(screen.getByText('kv-memory').closest('li')).toHaveTextContent('1 node · 1 in composites');
  });

  it('shows a refused Group in the name box', async () => {
    open();
    renderCanvas();
    mocks.groupNodes.mockRejectedValue({ code: 'bad-request', message: 'composite name `kv-memory` is already a component', detail: null });
    act(() => useStore.getState().requestGroup(['stage']));
    const name = screen.getByLabelText('Composite name');
    expect(name).toHaveValue('group');
    fireEvent.change(name, { target: { value: 'kv-memory' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Group' }));
    });
    expect(screen.getByRole('alert')).toHaveTextContent('Not grouped: composite name `kv-memory` is already a component');
    expect(useStore.getState().doc).toBe(doc);
  });
});
