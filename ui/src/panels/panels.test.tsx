import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { problemIndex, useStore } from '../store';
import { type Analysis, type Location, type ProjectDoc, type RunReport } from '../store/backend';
import { InspectorPanel } from './InspectorPanel';
import { ProblemsPanel } from './ProblemsPanel';
import { TraceTimeline } from './TraceTimeline';

const doc: ProjectDoc = {
  name: 'kv-service',
  fakeNodes: [],
  components: [
    { id: 'kv-memory', path: 'wasm/kv-memory.wasm', build: null, watch: [], hash: null },
    { id: 'kv-service', path: 'wasm/kv-service.wasm', build: null, watch: [], hash: null },
  ],
  nodes: [
    { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
    { id: 'service', component: 'kv-service', x: 300, y: 0 },
  ],
  wires: [
    { from: { node: 'memory', port: 'patchbay:kv/log' }, to: { node: 'service', port: 'patchbay:kv/log' } },
    { from: { node: 'memory', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } },
  ],
  exports: [],
  bindings: [],
};

const composed = {
  size: 4096,
  hash: 'sha256:feedfacecafebeef0011',
  imports: ['wasi:cli/environment@0.2.6'],
  wit: 'package root:component;\n\nworld root {\n  export handle-request: func(req: string) -> string;\n}\n',
  wac: 'package composition:kv-service;\n',
  info: null,
  runTargets: [],
  servesHttp: false,
};

function analysisWith(problems: Analysis['problems'], withComposed = true): Analysis {
  return { problems, imports: [], composed: withComposed ? composed : null, millis: 4 } as Analysis;
}

describe('ProblemsPanel', () => {
  let focusLocation: ReturnType<typeof vi.fn<(loc: Location) => void>>;
  beforeEach(() => {
    focusLocation = vi.fn();
    useStore.setState({ doc, focusLocation });
  });

  it('says the graph composes when there is nothing to fix', () => {
    useStore.setState({ analysis: analysisWith([]) });
    render(<ProblemsPanel />);
    expect(screen.getByText(/No problems — the graph composes/)).toHaveTextContent('(4.0 KiB)');
  });

  it('lists problems with severity, code and location, and focuses on click', async () => {
    const location: Location = { kind: 'wire', index: 1, from: 'memory.patchbay:kv/store', to: 'service.patchbay:kv/store' };
    useStore.setState({
      analysis: analysisWith(
        [
          { severity: 'warning', code: 'unused-binding', message: 'nothing calls it', location: { kind: 'node', node: 'memory' }, position: null },
          { severity: 'error', code: 'wire-type-mismatch', message: 'expected `z`, found `y`', location, position: null },
        ],
        false,
      ),
    });
    const user = userEvent.setup();
    render(<ProblemsPanel />);
    const items = screen.getAllByRole('listitem');
    expect(within(items[0]).getByRole('img', { name: 'error' })).toBeInTheDocument();
    expect(items[0]).toHaveTextContent('wire-type-mismatch');
    expect(items[0]).toHaveTextContent('wire #2 memory.patchbay:kv/store → service.patchbay:kv/store');
    expect(items[1]).toHaveTextContent('node memory');
    await user.click(within(items[0]).getByRole('button'));
    expect(focusLocation).toHaveBeenCalledWith(location);
  });
});

describe('a note', () => {
  const note = (location: Location): Analysis['problems'][number] => ({
    severity: 'note',
    code: 'nothing-to-compose',
    message: 'nothing to compose yet: add a component, then a node that instantiates it',
    location,
    position: null,
  });

  it('is counted as a note, never as a warning, and is not drawn on the canvas', () => {
    const index = problemIndex(analysisWith([note({ kind: 'project' }), note({ kind: 'node', node: 'memory' })], false));
    expect(index).toMatchObject({ errors: 0, warnings: 0, notes: 2 });
    expect(index.byNode.size).toBe(0);
    const mixed = problemIndex(
      analysisWith(
        [
          note({ kind: 'project' }),
          { severity: 'warning', code: 'unused-binding', message: 'nothing calls it', location: { kind: 'node', node: 'memory' }, position: null },
        ],
        false,
      ),
    );
    expect(mixed).toMatchObject({ errors: 0, warnings: 1, notes: 1 });
    expect(mixed.byNode.get('memory')).toHaveLength(1);
  });

  it('is listed in Problems as a note, after the warnings, under "No problems"', () => {
    useStore.setState({ doc, focusLocation: vi.fn(), analysis: analysisWith([note({ kind: 'project' })], false) });
    const { unmount } = render(<ProblemsPanel />);
    expect(screen.getByText('No problems')).toBeInTheDocument();
    expect(screen.getByText('1 note')).toBeInTheDocument();
    expect(screen.queryByText(/warning/)).toBeNull();
    expect(within(screen.getByRole('listitem')).getByRole('img', { name: 'note' })).toBeInTheDocument();
    unmount();
    useStore.setState({
      analysis: analysisWith(
        [
          note({ kind: 'project' }),
          { severity: 'warning', code: 'unused-binding', message: 'nothing calls it', location: { kind: 'node', node: 'memory' }, position: null },
        ],
        false,
      ),
    });
    render(<ProblemsPanel />);
    expect(screen.getByText('1 warning')).toBeInTheDocument();
    expect(screen.queryByText('No problems')).toBeNull();
    const items = screen.getAllByRole('listitem');
    expect(within(items[0]).getByRole('img', { name: 'warning' })).toBeInTheDocument();
    expect(within(items[1]).getByRole('img', { name: 'note' })).toBeInTheDocument();
  });
});

describe('TraceTimeline', () => {
  it('draws one row per wire call, in start order on one time axis, and focuses that wire on click', async () => {
    const focusLocation = vi.fn<(loc: Location) => void>();
    const lastRun = {
      run: 1,
      call: 'handle-request("set a 1")',
      mode: 'traced',
      modeReason: 'asked for a trace',
      ok: true,
      result: '"ok"',
      failure: null,
      stdout: '',
      stderr: '',
      mockCalls: [],
      denials: [],
      logs: [],
      scope: [],
      micros: 900,
      limits: { timeoutMs: 5000, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 },
      trace: [
        // Recorded as calls finish; the timeline orders them by start.
        { caller: 'service', callee: 'memory', function: 'patchbay:kv/store#set', args: ['"a"', '"1"'], result: '()', startMicros: 300, micros: 100 },
        { caller: 'service', callee: 'memory', function: 'patchbay:kv/log#write', args: ['"set a"'], result: '()', startMicros: 100, micros: 50 },
      ],
    } as RunReport;
    useStore.setState({ doc, lastRun, focusLocation });
    const user = userEvent.setup();
    render(<TraceTimeline />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('patchbay:kv/log#write("set a")');
    expect(rows[1]).toHaveTextContent('patchbay:kv/store#set("a", "1")');
    expect(rows[1]).toHaveTextContent('100 µs');
    // The axis runs from the first start (100 µs) to the last end (400 µs).
    const bars = rows.map((r) => {
      const bar = r.querySelector('.pbp-bar') as HTMLElement;
      return [bar.style.marginLeft, bar.style.width];
    });
    expect(bars).toEqual([
      ['0%', `${(50 / 300) * 100}%`],
      [`${(200 / 300) * 100}%`, `${(100 / 300) * 100}%`],
    ]);
    await user.click(rows[0]);
    expect(focusLocation).toHaveBeenCalledWith({
      kind: 'wire',
      index: 0,
      from: 'memory.patchbay:kv/log',
      to: 'service.patchbay:kv/log',
    });
  });
});

describe('InspectorPanel', () => {
  it('shows the selected node, and the composed result on request', async () => {
    useStore.setState({
      doc,
      analysis: analysisWith([]),
      selectedNodes: ['service'],
      components: {
        'kv-service': {
          id: 'kv-service',
          path: 'wasm/kv-service.wasm',
          absPath: '/p/wasm/kv-service.wasm',
          size: 2048,
          hash: 'sha256:0123456789abcdef',
          error: null,
          info: { imports: [], exports: [], wit: 'world root {\n  import patchbay:kv/store;\n}\n' },
        },
      },
    });
    const user = userEvent.setup();
    render(<InspectorPanel />);
    expect(screen.getByText('wasm/kv-service.wasm')).toBeInTheDocument();
    expect(screen.getByText('2.0 KiB')).toBeInTheDocument();
    expect(screen.getByText('sha256:0123456789ab')).toBeInTheDocument();
    const wit = screen.getByLabelText('WIT of kv-service');
    expect(within(wit).getByText('world')).toHaveClass('pbp-tok-keyword');
    expect(within(wit).getByText('patchbay:kv/store')).toHaveClass('pbp-tok-package');

    await user.click(screen.getByRole('radio', { name: 'Composed result' }));
    expect(screen.getByText('4.0 KiB')).toBeInTheDocument();
    expect(screen.getByLabelText('Composed WIT')).toHaveTextContent('export handle-request');
  });
});
