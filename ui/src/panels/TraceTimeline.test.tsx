import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallTrace, ProjectDoc, SessionInfo, TraceEntry } from '../store/backend';

const mocks = vi.hoisted(() => ({
  sessionTrace: vi.fn(),
  sessionClear: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { TraceTimeline } from './TraceTimeline';

const doc: ProjectDoc = {
  name: 'kv-service',
  fakeNodes: [],
  components: [],
  nodes: [
    { id: 'memory', component: 'kv-memory', x: 0, y: 0 },
    { id: 'service', component: 'kv-service', x: 300, y: 0 },
  ],
  wires: [{ from: { node: 'memory', port: 'patchbay:kv/store' }, to: { node: 'service', port: 'patchbay:kv/store' } }],
  exports: [],
  bindings: [],
};

const entry = (fn: string, args: string[], result: string, startMicros: number): TraceEntry => ({
  caller: 'service',
  callee: 'memory',
  function: `patchbay:kv/store#${fn}`,
  args,
  result,
  startMicros,
  micros: 20,
});

const calls: CallTrace[] = [
  { run: 1, call: 'handle-request("set a 1")', entries: [entry('set', ['"a"', '"1"'], 'ok', 100)] },
  { run: 2, call: 'handle-request("get a")', entries: [entry('get', ['"a"'], 'some("1")', 900)] },
  { run: 3, call: 'handle-request("ping")', entries: [] },
];

const live: SessionInfo = {
  state: 'live',
  calls: 3,
  ageMs: 10,
  memoryBytes: 1 << 17,
  mockCalls: 0,
  traceEntries: 2,
  fakeEntries: 0,
  mode: 'traced',
  ended: null,
};

beforeEach(() => {
  resetStore();
  vi.clearAllMocks();
  mocks.sessionTrace.mockResolvedValue({ calls });
  mocks.sessionClear.mockResolvedValue({ ...live, traceEntries: 0 });
});

describe('TraceTimeline with a live session', () => {
  it("groups the session's wire calls under the call that made them", async () => {
    useStore.setState({ doc, session: live, sessionAt: 1, freshPerCall: false });
    render(<TraceTimeline />);
    const set = await screen.findByRole('rowgroup', { name: '#1 handle-request("set a 1")' });
    expect(within(set).getByText('patchbay:kv/store#set("a", "1")')).toBeInTheDocument();
    const get = screen.getByRole('rowgroup', { name: '#2 handle-request("get a")' });
    expect(within(get).getByText('some("1")')).toBeInTheDocument();
    expect(within(get).queryByText(/#set/)).toBeNull();
    const ping = screen.getByRole('rowgroup', { name: '#3 handle-request("ping")' });
    expect(ping).toHaveTextContent('no calls across wires');
    expect(screen.getByText('Session: 3 calls, 2 across wires')).toBeInTheDocument();
  });

  it('Clear empties the session on the backend and shows what it then holds', async () => {
    useStore.setState({ doc, session: live, sessionAt: 1, freshPerCall: false });
    const user = userEvent.setup();
    render(<TraceTimeline />);
    await screen.findByText('Session: 3 calls, 2 across wires');
    mocks.sessionTrace.mockResolvedValue({ calls: [] });
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(mocks.sessionClear).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(mocks.sessionTrace).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.queryByRole('rowgroup', { name: /#1/ })).toBeNull());
    expect(screen.getByText('Run an export to see the calls across each wire.')).toBeInTheDocument();
  });

  it('asks nothing of the backend with a fresh instance per call', () => {
    useStore.setState({ doc, session: live, sessionAt: 1, freshPerCall: true });
    render(<TraceTimeline />);
    expect(mocks.sessionTrace).not.toHaveBeenCalled();
    expect(screen.getByText('Run an export to see the calls across each wire.')).toBeInTheDocument();
  });

  it('shows nothing of the old session after Reset', () => {
    const lastRun = { run: 2, call: 'x()', mode: 'traced', modeReason: '', trace: [entry('get', ['"a"'], 'none', 5)] };
    useStore.setState({ doc, session: { ...live, state: 'none', calls: 0 }, sessionAt: 2, freshPerCall: false, lastRun } as never);
    render(<TraceTimeline />);
    expect(mocks.sessionTrace).not.toHaveBeenCalled();
    expect(screen.getByText(/The session was reset/)).toBeInTheDocument();
    expect(screen.queryByText(/#get/)).toBeNull();
  });
});
