import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store';
import type { Analysis, FunctionInfo, ProjectDoc, TypeShape } from '../store/backend';
import { parseWave } from '../wave/format';
import { RunPanel } from './RunPanel';

const prim = (name: Extract<TypeShape, { kind: 'primitive' }>['name']): TypeShape => ({ kind: 'primitive', name });

// What the backend sends for `feed: async func(numbers: stream<u32>, label: future<string>) -> u64`.
const feed: FunctionInfo = {
  name: 'feed',
  key: 'feed',
  kind: 'freestanding',
  resource: null,
  params: [
    { name: 'numbers', ty: 'stream<u32>', shape: { kind: 'stream', of: prim('u32') } },
    { name: 'label', ty: 'future<string>', shape: { kind: 'future', of: prim('string') } },
  ],
  result: 'u64',
  resultShape: prim('u64'),
  signature: 'feed: async func(numbers: stream<u32>, label: future<string>) -> u64',
};

const doc: ProjectDoc = { name: 'streams', components: [], nodes: [], wires: [], exports: [], bindings: [], fakeNodes: [] };

const analysis = {
  problems: [],
  imports: [],
  millis: 3,
  composed: {
    size: 1,
    hash: 'sha256:abc',
    imports: [],
    wit: '',
    wac: '',
    info: null,
    servesHttp: false,
    runTargets: [{ export: 'feed', function: feed, callPrefix: 'feed', callable: true }],
  },
} as Analysis;

function callText(): string {
  return screen.getByRole('status', { name: 'Call text' }).textContent ?? '';
}

describe('RunPanel with stream and future arguments', () => {
  let run: ReturnType<typeof vi.fn<(call: string) => Promise<void>>>;

  beforeEach(() => {
    run = vi.fn(async (_call: string) => {});
    useStore.setState({ doc, analysis, lastRun: null, running: false, pendingCall: null, run, runArgs: {} });
  });

  it('edits a stream as the list of its items and a future as its value', async () => {
    const user = userEvent.setup();
    render(<RunPanel />);
    expect(callText()).toBe('feed([], "")');
    expect(screen.getByText(/it ends the stream after the last/)).toBeTruthy();
    expect(screen.getByText(/resolves the future to/)).toBeTruthy();

    for (const n of ['3', '4']) {
      await user.click(screen.getByRole('button', { name: 'Add item to numbers' }));
      const items = screen.getAllByRole('textbox', { name: /^numbers\[\d\]$/ });
      const last = items[items.length - 1];
      await user.clear(last);
      await user.type(last, n);
    }
    await user.type(screen.getByRole('textbox', { name: 'label' }), 'total');
    expect(callText()).toBe('feed([3, 4], "total")');

    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(run).toHaveBeenCalledWith('feed([3, 4], "total")');
  });

  it('reads WAVE for a stream as a list and for a future as its value', () => {
    expect(parseWave({ kind: 'stream', of: prim('u32') }, '[1, 2]')).toEqual({
      kind: 'list',
      items: [
        { kind: 'int', value: 1n },
        { kind: 'int', value: 2n },
      ],
    });
    expect(parseWave({ kind: 'future', of: prim('string') }, '"x"')).toEqual({ kind: 'string', value: 'x' });
    expect(() => parseWave({ kind: 'stream', of: prim('u32') }, '5')).toThrow();
  });
});
