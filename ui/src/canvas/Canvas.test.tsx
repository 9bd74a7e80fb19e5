import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Position, ReactFlowProvider } from '@xyflow/react';
import type { Analysis, ComponentView, OpenedProject, PortInfo, ProjectDoc } from '../store';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { Canvas } from './Canvas';
import { dropTarget, endConnection, isCandidateConnection } from './connection';
import { StatusLine } from '../shell/StatusLine';

function port(name: string, functions: string[] = []): PortInfo {
  const at = name.indexOf('@');
  const slash = name.indexOf('/');
  return {
    name,
    kind: slash > 0 ? 'interface' : 'function',
    package: slash > 0 ? name.slice(0, slash) : null,
    interface: slash > 0 ? name.slice(slash + 1, at > 0 ? at : undefined) : null,
    version: at > 0 ? name.slice(at + 1) : null,
    functions: functions.map((f) => ({
      name: f.split(':')[0],
      key: f.split(':')[0],
      kind: 'freestanding',
      resource: null,
      params: [],
      result: null,
      resultShape: null,
      signature: f,
    })),
    types: [],
    typesOnly: false,
  };
}

function view(id: string, imports: PortInfo[], exports: PortInfo[]): ComponentView {
  return { id, path: `../wasm/${id}.wasm`, absPath: `/p/${id}.wasm`, size: 43871, hash: null, info: { imports, exports, wit: '' }, error: null };
}

const doc: ProjectDoc = {
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
  bindings: [],
};

const analysis: Analysis = {
  problems: [
    {
      severity: 'error',
      code: 'unbound-import',
      message: 'service imports wasi:http/outgoing-handler@0.2.6, which is denied',
      location: { kind: 'port', node: 'service', port: 'wasi:http/outgoing-handler@0.2.6' },
      position: null,
    },
  ],
  imports: [
    { node: 'service', port: 'patchbay:kv/store', mode: 'wired', selector: null, fake: null, typesOnly: false, scopes: [] },
    { node: 'service', port: 'wasi:cli/environment@0.2.6', mode: 'grant', selector: '*.wasi:*', fake: null, typesOnly: false, scopes: [] },
    { node: 'service', port: 'wasi:http/outgoing-handler@0.2.6', mode: 'deny', selector: 'service.wasi:http/outgoing-handler@0.2.6', fake: null, typesOnly: false, scopes: [] },
    { node: 'service', port: 'patchbay:kv/log', mode: 'mock', selector: 'service.patchbay:kv/log', fake: 'log', typesOnly: false, scopes: [] },
  ],
  composed: null,
  millis: 2,
};

/** WASI imports granted by `*.wasi:*` that service has besides environment. */
const MORE_CLI = ['wasi:cli/exit@0.2.6', 'wasi:cli/stdin@0.2.6'];

function open(extra: string[] = []) {
  const analysis2: Analysis = {
    ...analysis,
    imports: [
      ...analysis.imports,
      ...extra.map((p) => ({ node: 'service', port: p, mode: 'grant' as const, selector: '*.wasi:*', fake: null, typesOnly: false, scopes: [] })),
    ],
  };
  const opened: OpenedProject = {
    path: '/p/patchbay.toml',
    dir: '/p',
    doc,
    components: [
      view('kv-memory', [], [port('patchbay:kv/store', ['get: func(key: string) -> option<string>'])]),
      view(
        'kv-service',
        [
          port('patchbay:kv/store'),
          port('wasi:cli/environment@0.2.6', ['get-environment: func() -> list<tuple<string, string>>']),
          port('wasi:http/outgoing-handler@0.2.6'),
          port('patchbay:kv/log'),
          ...extra.map((p) => port(p)),
        ],
        [port('handle-request', ['handle-request: func(req: string) -> string'])],
      ),
    ],
    analysis: analysis2,
    recovery: null,
    notes: [],
  };
  act(() => useStore.getState().applyOpened(opened));
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

describe('Canvas', () => {
  // React Flow hides nodes until it has measured them, which jsdom never does,
  // so elements are found by label rather than by role here (the browser
  // tests use roles).
  it('shows nodes titled by id, ports as handles, and badges on unwired imports', () => {
    open();
    renderCanvas();
    expect(screen.getByTestId('node-service')).toHaveTextContent('service');
    expect(screen.getByTestId('node-service')).toHaveTextContent('kv-service');
    expect(screen.getByTestId('port-service-import-patchbay:kv/store')).toBeInTheDocument();
    expect(screen.getByTestId('port-service-export-handle-request')).toBeInTheDocument();
    expect(screen.getByTestId('port-memory-export-patchbay:kv/store')).toBeInTheDocument();
    // Wired imports carry no badge; the others show their mode.
    expect(screen.queryByTestId('badge-service-patchbay:kv/store')).toBeNull();
    expect(screen.getByTestId('badge-service-wasi:cli/environment@0.2.6')).toHaveTextContent('grant');
    expect(screen.getByTestId('badge-service-wasi:http/outgoing-handler@0.2.6')).toHaveTextContent('deny');
    expect(screen.getByTestId('badge-service-patchbay:kv/log')).toHaveTextContent('mock · log');
    // The version is shown apart from the interface.
    expect(screen.getByLabelText('Import wasi:cli/environment@0.2.6 of service', { selector: 'button' })).toHaveTextContent(
      'wasi:cli/environment@0.2.6',
    );
    // A node with a problem shows the count.
    expect(screen.getByTestId('problems-service')).toHaveTextContent('1');
    expect(screen.queryByTestId('problems-memory')).toBeNull();
  });

  it('clicking a badge selects the port and opens the binding tab', () => {
    open();
    renderCanvas();
    fireEvent.click(screen.getByTestId('badge-service-wasi:http/outgoing-handler@0.2.6'));
    const s = useStore.getState();
    expect(s.selectedPort).toEqual({ node: 'service', port: 'wasi:http/outgoing-handler@0.2.6', side: 'import' });
    expect(s.rightTab).toBe('binding');
    expect(s.selectedNodes).toEqual(['service']);
  });

  it('the chevron lists function signatures', () => {
    open();
    renderCanvas();
    expect(screen.queryByText('handle-request: func(req: string) -> string')).toBeNull();
    fireEvent.click(screen.getByLabelText('Expand service'));
    expect(screen.getByText('handle-request: func(req: string) -> string')).toBeInTheDocument();
  });

  it('derives one edge per wire and marks wires with problems', () => {
    open();
    const s = useStore.getState();
    expect(s.flowEdges.map((e) => e.id)).toEqual(['wire:memory.patchbay:kv/store->service.patchbay:kv/store']);
    act(() =>
      useStore.setState({
        analysis: {
          ...analysis,
          problems: [
            {
              severity: 'error',
              code: 'wire-type-mismatch',
              message: 'mismatched type for export `get`',
              location: { kind: 'wire', index: 0, from: 'memory.patchbay:kv/store', to: 'service.patchbay:kv/store' },
              position: null,
            },
          ],
        },
      }),
    );
    expect(useStore.getState().flowEdges[0].data?.problems?.[0].message).toBe('mismatched type for export `get`');
  });

  it('keeps unchanged node objects when one node moves', () => {
    open();
    const before = useStore.getState().flowNodes;
    act(() => useStore.getState().moveNodes({ memory: { x: 50, y: 60 } }));
    const after = useStore.getState().flowNodes;
    expect(after).not.toBe(before);
    expect(after[0].position).toEqual({ x: 50, y: 60 });
    expect(after[1]).toBe(before[1]);
  });

  it('collapses like imports into one row that keeps their handles, and opens it on a click', () => {
    open(MORE_CLI);
    renderCanvas();
    const group = screen.getByTestId('group-service-wasi:cli');
    expect(group).toHaveTextContent('wasi:cli@0.2.6· 3 imports');
    expect(screen.getByTestId('badge-service-wasi:cli')).toHaveTextContent('grant');
    // Every port keeps its handle (wires and drags need them), on the group's row.
    const handles = ['wasi:cli/environment@0.2.6', ...MORE_CLI].map((p) => screen.getByTestId(`port-service-import-${p}`));
    for (const h of handles) expect(group).toContainElement(h);
    expect(handles.map((h) => h.classList.contains('pb-handle--stacked'))).toEqual([false, true, true]);
    expect(screen.queryByLabelText('Import wasi:cli/exit@0.2.6 of service', { selector: 'button' })).toBeNull();
    // The other ports still have rows of their own.
    expect(screen.getByTestId('badge-service-wasi:http/outgoing-handler@0.2.6')).toHaveTextContent('deny');

    fireEvent.click(screen.getByLabelText('Show the 3 imports of wasi:cli on service (grant)'));
    expect(useStore.getState().expandedGroups).toEqual({ service: ['wasi:cli'] });
    expect(useStore.getState().dirty).toBe(false);
    expect(screen.getByLabelText('Import wasi:cli/exit@0.2.6 of service', { selector: 'button' })).toBeInTheDocument();
    expect(screen.getByTestId('badge-service-wasi:cli/exit@0.2.6')).toHaveTextContent('grant');
    expect(screen.queryByTestId('badge-service-wasi:cli')).toBeNull();
    fireEvent.click(screen.getByLabelText('Hide the 3 imports of wasi:cli on service (grant)'));
    expect(useStore.getState().expandedGroups).toEqual({ service: [] });
  });

  it('lights a collapsed group holding a candidate of a wire drag; a drop on it means that candidate', () => {
    open(MORE_CLI);
    renderCanvas();
    const from = { node: 'memory', port: 'patchbay:kv/store' };
    const stdin = { node: 'service', port: 'wasi:cli/stdin@0.2.6' };
    act(() =>
      useStore.setState({ drag: { from, side: 'export', direction: 'import', compatible: [stdin], pending: false } }),
    );
    expect(screen.getByTestId('group-service-wasi:cli')).toHaveClass('pb-port--lit');
    // The candidate's handle is the one drawn on the row.
    const face = screen.getByTestId('port-service-import-wasi:cli/stdin@0.2.6');
    expect(face).toHaveClass('pb-handle--lit');
    expect(face).not.toHaveClass('pb-handle--stacked');
    expect(screen.getByTestId('port-service-import-wasi:cli/environment@0.2.6')).toHaveClass('pb-handle--dim');
    const env = { node: 'service', port: 'wasi:cli/environment@0.2.6' };
    expect(dropTarget(useStore.getState(), env)).toEqual(stdin);
    const onRow = { source: 'memory', sourceHandle: from.port, target: 'service', targetHandle: env.port };
    expect(isCandidateConnection(onRow)).toBe(true);
    // Not a group: a port on its own row means itself.
    const http = { node: 'service', port: 'wasi:http/outgoing-handler@0.2.6' };
    expect(dropTarget(useStore.getState(), http)).toEqual(http);
    expect(isCandidateConnection({ ...onRow, targetHandle: http.port })).toBe(false);
    // Opened, every port is its own drop target again.
    act(() => useStore.getState().setGroupExpanded('service', 'wasi:cli', true));
    expect(isCandidateConnection(onRow)).toBe(false);
  });

  it('opens the group of an import that gets selected', () => {
    open(MORE_CLI);
    act(() => useStore.getState().selectPort({ node: 'service', port: 'wasi:cli/exit@0.2.6' }));
    expect(useStore.getState().expandedGroups).toEqual({ service: ['wasi:cli'] });
    // A port on a row of its own opens nothing.
    act(() => useStore.getState().selectPort({ node: 'service', port: 'patchbay:kv/log' }));
    expect(useStore.getState().expandedGroups).toEqual({ service: ['wasi:cli'] });
  });

  it('refuses a wire between two exports once, on the status line, saying what to do; an edit clears it', () => {
    open();
    render(<StatusLine />);
    const handle = (nodeId: string, id: string) => ({ nodeId, id, type: 'source' as const, position: Position.Right, x: 0, y: 0, width: 8, height: 8 });
    act(() =>
      endConnection(useStore.getState(), {
        isValid: false,
        fromHandle: handle('memory', 'patchbay:kv/store'),
        toHandle: handle('service', 'handle-request'),
      }),
    );
    expect(useStore.getState().toasts).toEqual([]);
    const line = screen.getByTestId('status-line');
    expect(line).toHaveTextContent('Wire refused: both ends are exports. Drag from an export (right side of a node) to an import (left side).');
    expect(screen.getAllByText(/both ends are exports/)).toHaveLength(1);
    // Its cause was the drop; any change of the document makes it old news.
    act(() => useStore.getState().moveNodes({ memory: { x: 10, y: 0 } }));
    expect(line).toBeEmptyDOMElement();
  });
});
