import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store';
import type { Analysis, FunctionInfo, ProjectDoc, RunReport, TypeShape } from '../store/backend';
import { RunPanel } from './RunPanel';
import { resultShapeOf } from './text';

const prim = (name: Extract<TypeShape, { kind: 'primitive' }>['name']): TypeShape => ({ kind: 'primitive', name });

const orderShape: TypeShape = {
  kind: 'record',
  name: 'order',
  fields: [
    { name: 'id', shape: prim('string') },
    { name: 'region', shape: { kind: 'enum', name: 'region', cases: ['eu', 'us', 'none'] } },
    {
      name: 'items',
      shape: {
        kind: 'list',
        of: {
          kind: 'record',
          name: 'line-item',
          fields: [
            { name: 'sku', shape: prim('string') },
            { name: 'quantity', shape: prim('u32') },
          ],
        },
      },
    },
    { name: 'coupon', shape: { kind: 'option', of: prim('string') } },
    { name: 'flags', shape: { kind: 'flags', name: 'perms', flags: ['read', 'write'] } },
  ],
};

const processOrder: FunctionInfo = {
  name: 'process-order',
  key: 'process-order',
  kind: 'freestanding',
  resource: null,
  params: [
    { name: 'order', ty: 'order', shape: orderShape },
    { name: 'priority', ty: 'u8', shape: prim('u8') },
  ],
  result: 'result<string, string>',
  resultShape: { kind: 'result', ok: prim('string'), err: prim('string') },
  signature: 'process-order: func(order: order, priority: u8) -> result<string, string>',
};

const doc: ProjectDoc = { name: 'shop', components: [], nodes: [], wires: [], exports: [], bindings: [], fakeNodes: [] };

const analysis: Analysis = {
  problems: [],
  imports: [],
  millis: 3,
  composed: {
    size: 1234,
    hash: 'sha256:abc',
    imports: [],
    wit: '',
    wac: '',
    info: null,
    servesHttp: false,
    runTargets: [{ export: 'process-order', function: processOrder, callPrefix: 'process-order', callable: true }],
  },
} as Analysis;

function callText(): string {
  return screen.getByRole('status', { name: 'Call text' }).textContent ?? '';
}

describe('RunPanel', () => {
  let run: ReturnType<typeof vi.fn<(call: string) => Promise<void>>>;

  beforeEach(() => {
    run = vi.fn(async (_call: string) => {});
    // Arguments are remembered per function: each test starts from none.
    useStore.setState({ doc, analysis, lastRun: null, running: false, pendingCall: null, run, runArgs: {} });
  });

  it("preselects the first function of the node selected on the canvas, and keeps the user's pick otherwise", () => {
    const fn = (name: string): FunctionInfo => ({
      ...processOrder,
      name,
      key: name,
      params: [],
      signature: `${name}: func() -> result<string, string>`,
    });
    const twoNodes: Analysis = {
      ...analysis,
      composed: {
        ...analysis.composed!,
        runTargets: [
          { export: 'ping', function: fn('ping'), callPrefix: 'ping', callable: true },
          { export: 'pong', function: fn('pong'), callPrefix: 'pong', callable: true },
        ],
      },
    } as Analysis;
    const exports = [
      { from: { node: 'a', port: 'ping' }, name: null },
      { from: { node: 'b', port: 'pong' }, name: null },
    ];
    useStore.setState({ doc: { ...doc, exports }, analysis: twoNodes, runTarget: null, selectedNodes: [] });
    render(<RunPanel />);
    const select = screen.getByRole('combobox', { name: 'Function' }) as HTMLSelectElement;
    expect(select.value).toBe('ping');
    act(() => useStore.setState({ selectedNodes: ['b'] }));
    expect(select.value).toBe('pong');
    // Selecting a node that exports nothing, or several nodes, keeps the choice.
    act(() => useStore.setState({ selectedNodes: ['c'] }));
    expect(select.value).toBe('pong');
    act(() => useStore.setState({ selectedNodes: ['a', 'b'] }));
    expect(select.value).toBe('pong');
    act(() => useStore.setState({ selectedNodes: ['a'] }));
    expect(select.value).toBe('ping');
  });

  it('builds the call text from a record, list, option, enum and flags form', async () => {
    const user = userEvent.setup();
    render(<RunPanel />);
    expect(callText()).toBe('process-order({id: "", region: eu, items: [], flags: {}}, 0)');

    await user.type(screen.getByRole('textbox', { name: 'order.id' }), 'ord-1');
    await user.selectOptions(screen.getByRole('combobox', { name: 'order.region' }), 'us');
    await user.click(screen.getByRole('button', { name: 'Add item to order.items' }));
    await user.type(screen.getByRole('textbox', { name: 'order.items[0].sku' }), 'widget');
    const quantity = screen.getByRole('textbox', { name: 'order.items[0].quantity' });
    await user.clear(quantity);
    await user.type(quantity, '2');
    await user.click(screen.getByRole('checkbox', { name: 'order.coupon is some' }));
    await user.type(screen.getByRole('textbox', { name: 'order.coupon' }), 'SAVE "10"');
    await user.click(screen.getByRole('checkbox', { name: 'order.flags write' }));
    const priority = screen.getByRole('textbox', { name: 'priority' });
    await user.clear(priority);
    await user.type(priority, '7');

    const expected =
      'process-order({id: "ord-1", region: us, items: [{sku: "widget", quantity: 2}], coupon: some("SAVE \\"10\\""), flags: {write}}, 7)';
    expect(callText()).toBe(expected);
    expect(useStore.getState().pendingCall).toBe(expected);

    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(run).toHaveBeenCalledWith(expected);
  });

  it('refuses out-of-range numbers with the reason under the field', async () => {
    const user = userEvent.setup();
    render(<RunPanel />);
    const priority = screen.getByRole('textbox', { name: 'priority' });
    await user.clear(priority);
    await user.type(priority, '300');
    expect(priority).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('out of range for u8: 0 to 255')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run' })).toBeDisabled();
    expect(useStore.getState().pendingCall).toBeNull();
    await user.clear(priority);
    await user.type(priority, '255');
    expect(screen.getByRole('button', { name: 'Run' })).toBeEnabled();
  });

  it('keeps the value when switching between the form and WAVE text', async () => {
    const user = userEvent.setup();
    render(<RunPanel />);
    await user.type(screen.getByRole('textbox', { name: 'order.id' }), 'a');
    await user.click(screen.getByRole('radio', { name: 'WAVE' }));
    const box = screen.getByRole('textbox', { name: 'Arguments as WAVE' });
    expect(box).toHaveValue('{id: "a", region: eu, items: [], flags: {}}, 0');

    await user.clear(box);
    // userEvent treats { and [ as key descriptors; paste the text instead.
    await user.click(box);
    await user.paste('{id: "b", region: %none, items: [{sku: "x", quantity: 3}], flags: {read}}, 1');
    expect(callText()).toBe('process-order({id: "b", region: %none, items: [{sku: "x", quantity: 3}], flags: {read}}, 1)');

    await user.click(screen.getByRole('radio', { name: 'Form' }));
    expect(screen.getByRole('textbox', { name: 'order.id' })).toHaveValue('b');
    expect(screen.getByRole('combobox', { name: 'order.region' })).toHaveValue('none');
    expect(screen.getByRole('textbox', { name: 'order.items[0].quantity' })).toHaveValue('3');
    expect(screen.getByRole('checkbox', { name: 'order.flags read' })).toBeChecked();
    expect(callText()).toBe(
      'process-order({id: "b", region: %none, items: [{sku: "x", quantity: 3}], flags: {read}}, 1)',
    );
  });

  it('stays on the WAVE text when it does not parse, saying where', async () => {
    const user = userEvent.setup();
    render(<RunPanel />);
    await user.click(screen.getByRole('radio', { name: 'WAVE' }));
    const box = screen.getByRole('textbox', { name: 'Arguments as WAVE' });
    await user.clear(box);
    await user.click(box);
    await user.paste('{id: "b", region: west}, 1');
    expect(screen.getAllByText(/line 1, column 19: region has no case `west`/).length).toBeGreaterThan(0);
    await user.click(screen.getByRole('radio', { name: 'Form' }));
    expect(screen.getByRole('alert')).toHaveTextContent('does not parse');
    expect(screen.getByRole('textbox', { name: 'Arguments as WAVE' })).toBeInTheDocument();
  });

  it('shows the result, capability denials in red, mock calls and the mode', () => {
    const report: RunReport = {
      run: 3,
      call: 'denied()',
      mode: 'traced',
      modeReason: 'nodes bind the same imports differently',
      ok: false,
      result: null,
      failure: { kind: 'timeout', message: 'node `guest` ran past its timeout of 500 ms', limit: 'timeout' },
      stdout: 'hello\n',
      stderr: '',
      mockCalls: [{ interface: 'wasi:cli/environment', function: 'get-environment', args: [], result: '[]' }],
      denials: [{ nodes: ['denied'], interface: 'wasi:filesystem/preopens', function: 'get-directories' }],
      trace: [],
      logs: [],
      scope: [],
      micros: 1500,
      limits: { timeoutMs: 500, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 },
    } as RunReport;
    act(() => useStore.setState({ lastRun: report }));
    render(<RunPanel />);
    const result = screen.getByRole('region', { name: 'Last run' });
    expect(within(result).getByText(/Time limit hit/, { selector: '.pbp-badge' })).toBeInTheDocument();
    expect(within(result).getByText('limit: timeout')).toBeInTheDocument();
    const denial = within(result).getByText('wasi:filesystem/preopens#get-directories').closest('li');
    expect(denial).toHaveClass('pbp-denied');
    expect(within(result).getByText(/get-environment\(\)/)).toBeInTheDocument();
    expect(within(result).getByText('nodes bind the same imports differently')).toBeInTheDocument();
    expect(within(result).getByLabelText('stdout')).toHaveTextContent('hello');
  });

  it('shows strings of the result that hold line breaks as text, under the exact WAVE', () => {
    const wave = 'ok("Invoice ord-1\\n\\nTotal: $1.00\\n")';
    const report = {
      run: 4,
      call: 'process-order({id: "ord-1"}, 0)',
      mode: 'composed',
      modeReason: '',
      ok: true,
      result: wave,
      failure: null,
      stdout: '',
      stderr: '',
      mockCalls: [],
      denials: [],
      trace: [],
      logs: [],
      scope: [],
      micros: 10,
      limits: { timeoutMs: 500, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 },
    } as RunReport;
    act(() => useStore.setState({ lastRun: report }));
    render(<RunPanel />);
    const result = screen.getByRole('region', { name: 'Last run' });
    expect(within(result).getByLabelText('Result').textContent).toBe(wave);
    const text = within(result).getByLabelText('value as text');
    expect(text.textContent).toBe('Invoice ord-1\n\nTotal: $1.00\n');
    expect(within(result).getByText('· 3 lines, shown as text')).toBeInTheDocument();
    expect(within(result).getByRole('button', { name: 'Copy value as text' })).toBeInTheDocument();
    // A one-line result has no text view.
    act(() => useStore.setState({ lastRun: { ...report, result: 'ok("done")' } }));
    expect(within(result).queryByRole('group', { name: 'Strings as text' })).toBeNull();
  });

  it('finds the result type of a call by the longest matching prefix', () => {
    const target = analysis.composed!.runTargets[0];
    const other = { ...target, callPrefix: 'process', function: { ...processOrder, resultShape: prim('u8') } };
    expect(resultShapeOf([other, target], 'process-order({}, 1)')).toBe(processOrder.resultShape);
    expect(resultShapeOf([other, target], 'process(1)')).toEqual(prim('u8'));
    expect(resultShapeOf([target], 'gone()')).toBeNull();
  });
});
