import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, ProjectDoc, SessionInfo } from '../store/backend';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  run: vi.fn(),
  sessionCall: vi.fn(),
  sessionStatus: vi.fn(),
  sessionReset: vi.fn(),
  sessionClear: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { RunPanel } from './RunPanel';
import { formatAge, formatBytes, SESSION_STATUS_DELAY_MS } from './sessionText';

const doc: ProjectDoc = {
  name: 'kv',
  components: [],
  nodes: [{ id: 'service', component: 'kv-service', x: 0, y: 0 }],
  wires: [],
  exports: [],
  bindings: [],
  fakeNodes: [],
};

const analysis = {
  problems: [],
  imports: [],
  millis: 1,
  composed: {
    size: 1,
    hash: 'sha256:0',
    imports: [],
    wit: '',
    wac: '',
    info: null,
    servesHttp: false,
    runTargets: [
      {
        export: 'ok',
        callPrefix: 'ok',
        callable: true,
        function: { name: 'ok', key: 'ok', kind: 'freestanding', resource: null, params: [], result: 'string', resultShape: null, signature: 'ok: func() -> string' },
      },
    ],
  },
} as unknown as Analysis;

function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return {
    state: 'live',
    calls: 2,
    ageMs: 4000,
    memoryBytes: 3 * 65536,
    mockCalls: 1,
    traceEntries: 2,
    fakeEntries: 0,
    mode: 'traced',
    ended: null,
    ...over,
  };
}

function report(call: string) {
  return {
    run: 1,
    call,
    mode: 'traced',
    modeReason: 'kept live',
    ok: true,
    result: '"still healthy"',
    failure: null,
    stdout: '',
    stderr: '',
    mockCalls: [],
    denials: [],
    trace: [],
    scope: [],
    micros: 10,
    limits: useStore.getState().limits,
  };
}

function bar() {
  return within(screen.getByRole('group', { name: 'Session' }));
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  for (const m of Object.values(mocks)) m.mockReset();
  resetStore();
  useStore.setState({ doc, analysis });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the run panel session', () => {
  it('starts with no instance, then shows calls, age and memory after a run', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    expect(bar().getByText(/the next run starts one/)).toBeTruthy();
    mocks.sessionCall.mockResolvedValue({ report: report('ok()'), session: session() });
    // Asked again after the run, the backend reports the age it counts.
    const t0 = Date.now();
    mocks.sessionStatus.mockImplementation(async () => session({ ageMs: 4000 + Date.now() - t0 }));
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(mocks.sessionCall).toHaveBeenCalledWith(expect.objectContaining({ call: 'ok()', traced: true }));
    expect(bar().getByLabelText('Calls made').textContent).toBe('2');
    expect(bar().getByLabelText('Memory in use').textContent).toBe('192 KiB');
    expect(bar().getByLabelText('Instance age').textContent).toBe('4 s');
    expect(bar().getByText('1 mock call, 2 wire calls')).toBeTruthy();
    // The age counts on while the session lives.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    expect(bar().getByLabelText('Instance age').textContent).toBe('6 s');
  });

  it('Reset and Clear ask the backend and show what it reports', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    useStore.setState({ session: session(), sessionAt: Date.now() });
    mocks.sessionStatus.mockResolvedValue(session());
    render(<RunPanel />);
    mocks.sessionClear.mockResolvedValue(session({ mockCalls: 0, traceEntries: 0 }));
    await user.click(bar().getByRole('button', { name: 'Clear records' }));
    expect(mocks.sessionClear).toHaveBeenCalledTimes(1);
    expect(bar().getByLabelText('Calls made').textContent).toBe('2');
    expect((bar().getByRole('button', { name: 'Clear records' }) as HTMLButtonElement).disabled).toBe(true);
    mocks.sessionReset.mockResolvedValue(session({ state: 'none', calls: 0, ageMs: null, memoryBytes: 0 }));
    await user.click(bar().getByRole('button', { name: 'Reset' }));
    expect(mocks.sessionReset).toHaveBeenCalledTimes(1);
    expect(bar().getByText(/the next run starts one/)).toBeTruthy();
  });

  it('an edit asks whether the session still runs, and says when it ended', async () => {
    useStore.setState({ session: session(), sessionAt: Date.now() });
    const edited = session({
      state: 'ended',
      ended: {
        cause: 'edited',
        call: null,
        kind: null,
        message: 'the composition changed, so the session ended after 2 calls; the next call starts a new one',
      },
    });
    mocks.sessionStatus.mockResolvedValue(session());
    render(<RunPanel />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSION_STATUS_DELAY_MS + 10);
    });
    mocks.sessionStatus.mockClear();
    mocks.sessionStatus.mockResolvedValue(edited);
    act(() => useStore.setState({ doc: { ...doc, exports: [{ from: { node: 'service', port: 'ok' }, name: 'renamed' }] } }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSION_STATUS_DELAY_MS + 10);
    });
    expect(mocks.sessionStatus).toHaveBeenCalledWith({ doc: useStore.getState().doc, traced: true });
    const alert = bar().getByRole('alert');
    expect(alert.textContent).toContain('Session ended: the composition changed');
    expect(alert.textContent).toContain('after 2 calls');
    expect(within(alert).getByRole('button', { name: 'New session' })).toBeTruthy();
  });

  it('a trap ends the session: the panel says why and offers a new one', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    const trapped = {
      ...report('ok()'),
      ok: false,
      result: null,
      failure: { kind: 'trap', message: 'node `guest` trapped: unreachable', limit: null },
    };
    const ended = session({
      state: 'ended',
      calls: 3,
      ended: {
        cause: 'failure',
        call: 'ok()',
        kind: 'trap',
        message: 'the session ended when `ok()` failed (trap): node `guest` trapped: unreachable; reset it to start a new instance',
      },
    });
    mocks.sessionCall.mockResolvedValue({ report: trapped, session: ended });
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const alert = bar().getByRole('alert');
    expect(alert.textContent).toContain('Session ended');
    expect(alert.textContent).toContain('failed (trap): node `guest` trapped');
    mocks.sessionReset.mockResolvedValue(session({ state: 'none', calls: 0, ageMs: null }));
    await user.click(within(alert).getByRole('button', { name: 'New session' }));
    expect(mocks.sessionReset).toHaveBeenCalledTimes(1);
    expect(bar().queryByRole('alert')).toBeNull();
  });

  it('the fresh-instance switch runs each call on its own', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<RunPanel />);
    await user.click(bar().getByRole('switch', { name: 'Fresh instance per call' }));
    expect(bar().getByText(/nothing is kept between calls/)).toBeTruthy();
    mocks.run.mockResolvedValue(report('ok()'));
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(mocks.run).toHaveBeenCalledWith(expect.objectContaining({ call: 'ok()', traced: true }));
    expect(mocks.sessionCall).not.toHaveBeenCalled();
  });

  it('formats ages and sizes', () => {
    expect([formatAge(850), formatAge(12_400), formatAge(185_000), formatAge(7_440_000)]).toEqual([
      '850 ms',
      '12 s',
      '3 min 5 s',
      '2 h 4 min',
    ]);
    expect([formatBytes(65536), formatBytes(1_153_434), formatBytes(2 * 2 ** 30)]).toEqual([
      '64 KiB',
      '1.1 MiB',
      '2.0 GiB',
    ]);
  });
});
