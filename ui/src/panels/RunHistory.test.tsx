import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, FunctionInfo, ProjectDoc, RunReport, RunTarget, TypeShape } from '../store/backend';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  run: vi.fn(),
  sessionCall: vi.fn(),
  sessionStatus: vi.fn(),
  sessionReset: vi.fn(),
  sessionClear: vi.fn(),
  compositionKey: vi.fn(),
  checkPreset: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { RunPanel } from './RunPanel';
import { SESSION_STATUS_DELAY_MS } from './sessionText';

const str: TypeShape = { kind: 'primitive', name: 'string' };

function fn(name: string, params: { name: string; shape: TypeShape; ty: string }[]): FunctionInfo {
  const list = params.map((p) => `${p.name}: ${p.ty}`).join(', ');
  return {
    name,
    key: name,
    kind: 'freestanding',
    resource: null,
    params,
    result: 'string',
    resultShape: str,
    signature: `${name}: func(${list}) -> string`,
  };
}

const handle = fn('handle-request', [{ name: 'req', ty: 'string', shape: str }]);
const ping = fn('ping', []);

function target(f: FunctionInfo): RunTarget {
  return { export: f.name, function: f, callPrefix: f.name, callable: true };
}

function analysisOf(...targets: RunTarget[]): Analysis {
  return {
    problems: [],
    imports: [],
    millis: 1,
    composed: { size: 1, hash: 'sha256:0', imports: [], wit: '', wac: '', info: null, servesHttp: false, runTargets: targets },
  } as unknown as Analysis;
}

const doc: ProjectDoc = {
  name: 'kv',
  components: [],
  nodes: [{ id: 'service', component: 'kv-service', x: 0, y: 0 }],
  wires: [],
  exports: [
    { from: { node: 'service', port: 'handle-request' }, name: null },
    { from: { node: 'service', port: 'ping' }, name: null },
  ],
  bindings: [{ selector: '*.wasi:*', binding: { mode: 'grant', grant: { env: [], dirs: [], allow: [], clock: null, random: null } } } as never],
  fakeNodes: [],
};

function report(call: string, result: string): RunReport {
  return {
    run: 99,
    call,
    mode: 'composed',
    modeReason: 'one instance',
    ok: true,
    result,
    failure: null,
    stdout: '',
    stderr: '',
    mockCalls: [],
    denials: [],
    trace: [],
    logs: [],
    scope: [],
    micros: 1500,
    limits: useStore.getState().limits,
  };
}

let calls = 0;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.setDirty.mockResolvedValue(undefined);
  mocks.saveRecovery.mockResolvedValue(undefined);
  resetStore();
  calls = 0;
  // The backend's key: what runs (bindings, exports), not where nodes are.
  mocks.compositionKey.mockImplementation(async ({ doc: d }: { doc: ProjectDoc }) =>
    JSON.stringify([d.bindings, d.exports, d.wires]),
  );
  mocks.sessionCall.mockImplementation(async ({ call }: { call: string }) => {
    calls++;
    return {
      report: report(call, `"answer ${calls}"`),
      session: { state: 'live', calls, ageMs: 1, memoryBytes: 0, mockCalls: 0, traceEntries: 0, fakeEntries: 0, mode: 'composed', ended: null },
    };
  });
  mocks.sessionStatus.mockResolvedValue({ state: 'none', calls: 0, ageMs: null, memoryBytes: 0, mockCalls: 0, traceEntries: 0, fakeEntries: 0, mode: 'composed', ended: null });
  mocks.sessionReset.mockResolvedValue({ state: 'none', calls: 0, ageMs: null, memoryBytes: 0, mockCalls: 0, traceEntries: 0, fakeEntries: 0, mode: 'composed', ended: null });
  mocks.analyze.mockResolvedValue(analysisOf(target(handle), target(ping)));
  mocks.checkPreset.mockResolvedValue({ ok: true, reason: null });
  useStore.setState({ doc, savedDoc: doc, analysis: analysisOf(target(handle), target(ping)), project: { path: '/work/kv it\'s/patchbay.toml', dir: "/work/kv it's" } });
});

afterEach(() => {
  vi.useRealTimers();
});

const field = () => screen.getByRole('textbox', { name: 'req' }) as HTMLInputElement;
const settle = () =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(SESSION_STATUS_DELAY_MS + 10);
  });

describe('runs with memory', () => {
  it('keeps the arguments across edits, re-analysis, switching functions and a session reset', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    await user.type(field(), 'get a');
    // An edit, while analysis runs again (the form is not shown meanwhile).
    act(() => useStore.getState().updateDoc('Move', (d) => void (d.nodes[0].x = 50)));
    act(() => useStore.setState({ analysis: null }));
    expect(screen.queryByRole('textbox', { name: 'req' })).toBeNull();
    act(() => useStore.setState({ analysis: analysisOf(target(handle), target(ping)) }));
    expect(field().value).toBe('get a');
    // Another function and back.
    await user.selectOptions(screen.getByRole('combobox'), 'ping');
    expect(screen.getByText('Arguments: none')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox'), 'handle-request');
    expect(field().value).toBe('get a');
    // Undo, and a session reset.
    act(() => useStore.getState().undo());
    await act(async () => {
      await useStore.getState().resetSession();
    });
    expect(field().value).toBe('get a');
    expect(screen.getByRole('status', { name: 'Call text' }).textContent).toBe('handle-request("get a")');
  });

  it('drops the arguments when the signature changed, and says so', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    await user.type(field(), 'get a');
    const changed = fn('handle-request', [
      { name: 'req', ty: 'string', shape: str },
      { name: 'verbose', ty: 'bool', shape: { kind: 'primitive', name: 'bool' } },
    ]);
    act(() => useStore.setState({ analysis: analysisOf(target(changed), target(ping)) }));
    expect(field().value).toBe('');
    expect(screen.getByRole('note').textContent).toContain(
      'The signature changed (it was `handle-request: func(req: string) -> string`)',
    );
  });

  it('marks the result stale after an edit of what runs, not after a move, and not after undoing the edit', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    await user.type(field(), 'get a');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const result = () => screen.getByRole('region', { name: 'Last run' });
    expect(result().dataset.stale).toBeUndefined();
    act(() => useStore.getState().moveNodes({ service: { x: 300, y: 10 } }));
    await settle();
    expect(result().dataset.stale).toBeUndefined();
    act(() => useStore.getState().updateDoc('Deny WASI', (d) => void (d.bindings = [])));
    await settle();
    expect(result().dataset.stale).toBe('true');
    expect(within(result()).getByRole('note').textContent).toContain('From before your last edit');
    // The arguments stayed.
    expect(field().value).toBe('get a');
    act(() => useStore.getState().undo());
    await settle();
    expect(result().dataset.stale).toBeUndefined();
  });

  it('lists each call, re-runs one, keeps pinned ones first and copies a patchbay call line', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<RunPanel />);
    await user.type(field(), 'set a 1');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await user.clear(field());
    await user.type(field(), 'get a');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const history = () => within(screen.getByRole('region', { name: 'Run history' }));
    const rows = () => history().getAllByRole('listitem').map((li) => li.getAttribute('aria-label'));
    expect(rows()).toEqual(['Run 2', 'Run 1']);
    const first = within(history().getByRole('listitem', { name: 'Run 1' }));
    expect(first.getByText('handle-request("set a 1")')).toBeTruthy();
    expect(first.getByLabelText('Outcome').textContent).toBe('"answer 1"');
    expect(first.getByText('composed')).toBeTruthy();
    expect(first.getByText('session')).toBeTruthy();
    expect(first.getByText('1.50 ms')).toBeTruthy();

    await user.click(first.getByRole('button', { name: 'Pin #1' }));
    expect(rows()).toEqual(['Run 1', 'Run 2']);
    await user.click(history().getByRole('button', { name: 'Re-run #1' }));
    expect(mocks.sessionCall).toHaveBeenLastCalledWith(expect.objectContaining({ call: 'handle-request("set a 1")' }));
    expect(rows()).toEqual(['Run 1', 'Run 3', 'Run 2']);

    // Run 2 ran second on the session's instance: its line replays both calls.
    await user.click(history().getByRole('button', { name: 'Copy #2 as a patchbay call command' }));
    expect(writeText).toHaveBeenLastCalledWith(
      `patchbay call --traced --timeout-ms 5000 --max-memory-mib 64 --max-output-kib 256 '/work/kv it'\\''s' 'handle-request("set a 1")' 'handle-request("get a")'`,
    );
    await user.click(history().getByRole('button', { name: 'Clear unpinned' }));
    expect(rows()).toEqual(['Run 1']);
  });

  it('saves, applies and deletes argument presets in the document, each undoable', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    const presets = () => within(screen.getByRole('group', { name: 'Presets' }));
    await user.type(field(), 'get a');
    await user.click(presets().getByRole('button', { name: 'Save as preset…' }));
    await user.type(presets().getByRole('textbox', { name: 'Preset name' }), 'read a');
    await user.click(presets().getByRole('button', { name: 'Save preset' }));
    expect(mocks.checkPreset).toHaveBeenCalledWith({ function: 'handle-request', name: 'read a', args: '"get a"' });
    expect(useStore.getState().doc?.presets).toEqual([{ function: 'handle-request', name: 'read a', args: '"get a"' }]);
    expect(useStore.getState().past.at(-1)?.label).toBe('Save preset read a');

    await user.clear(field());
    await user.type(field(), 'other');
    await user.click(presets().getByRole('button', { name: 'Apply preset read a' }));
    expect(field().value).toBe('get a');

    // The backend refuses a bad name; nothing is added.
    mocks.checkPreset.mockResolvedValueOnce({ ok: false, reason: 'a preset of `handle-request` has an empty name' });
    await user.click(presets().getByRole('button', { name: 'Save as preset…' }));
    await user.click(presets().getByRole('button', { name: 'Save preset' }));
    expect(presets().getByRole('alert').textContent).toBe('a preset of `handle-request` has an empty name');
    expect(useStore.getState().doc?.presets).toHaveLength(1);

    await user.click(presets().getByRole('button', { name: 'Delete preset read a' }));
    expect(useStore.getState().doc?.presets).toEqual([]);
    act(() => useStore.getState().undo());
    expect(presets().getByRole('button', { name: 'Apply preset read a' })).toBeTruthy();
  });

  it('says when a preset from the file does not fit the function', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    act(() => useStore.setState({ doc: { ...doc, presets: [{ function: 'handle-request', name: 'number', args: '42' }] } }));
    render(<RunPanel />);
    await user.click(screen.getByRole('button', { name: 'Apply preset number' }));
    expect(within(screen.getByRole('group', { name: 'Presets' })).getByRole('alert').textContent).toContain(
      'Preset “number” does not fit `handle-request: func(req: string) -> string`',
    );
    // The text goes to the WAVE box to be fixed there.
    expect((screen.getByRole('textbox', { name: 'Arguments as WAVE' }) as HTMLTextAreaElement).value).toBe('42');
  });
});
