import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store';
import type { Analysis, ProjectDoc } from '../store/backend';
import { RunPanel } from './RunPanel';

const doc: ProjectDoc = { name: 'web', components: [], nodes: [], wires: [], exports: [], bindings: [], fakeNodes: [] };

/** An analysis whose composition exports `export` (and, per the backend, serves HTTP or not). */
function analysis(exportName: string, servesHttp: boolean): Analysis {
  return {
    problems: [],
    imports: [],
    millis: 1,
    composed: {
      size: 1,
      hash: 'sha256:abc',
      imports: [],
      wit: '',
      wac: '',
      info: { exports: [{ name: exportName }] },
      servesHttp,
      runTargets: [],
    },
  } as unknown as Analysis;
}

describe('RunPanel serve controls', () => {
  beforeEach(() => {
    useStore.setState({ doc, lastRun: null, running: false, pendingCall: null, serving: null, run: vi.fn(), runArgs: {} });
  });

  it('offers serving when the backend says the composition serves HTTP (a WASI 0.3 handler included)', () => {
    useStore.setState({ analysis: analysis('wasi:http/handler@0.3.0', true) });
    render(<RunPanel />);
    expect(screen.getByRole('group', { name: 'HTTP server' })).toBeTruthy();
    expect(screen.getByText('exports a wasi:http handler')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start serving' })).toBeTruthy();
  });

  it('asks the backend, not the export names, whether to offer serving', () => {
    useStore.setState({ analysis: analysis('wasi:http/incoming-handler@0.2.12', false) });
    render(<RunPanel />);
    expect(screen.queryByRole('group', { name: 'HTTP server' })).toBeNull();
  });
});
