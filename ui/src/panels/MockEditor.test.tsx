import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FunctionInfo, Mock, PortInfo, ProjectDoc, TypeShape } from '../store/backend';

const mocks = vi.hoisted(() => ({ checkMockValue: vi.fn(), checkGrantEntry: vi.fn() }));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { useStore } from '../store';
import { MockEditor } from './MockEditor';

const str: TypeShape = { kind: 'primitive', name: 'string' };
const optionOfString: TypeShape = { kind: 'option', of: str };

const get: FunctionInfo = {
  name: 'get',
  key: 'get',
  kind: 'freestanding',
  resource: null,
  params: [{ name: 'key', ty: 'string', shape: str }],
  result: 'option<string>',
  resultShape: optionOfString,
  signature: 'get: func(key: string) -> option<string>',
};

const port: PortInfo = {
  name: 'patchbay:kv/store',
  kind: 'interface',
  package: 'patchbay:kv',
  interface: 'store',
  version: null,
  functions: [get],
  types: [],
  typesOnly: false,
} as PortInfo;

const doc = { name: 'kv', components: [], nodes: [], wires: [], exports: [], bindings: [], fakeNodes: [] } as ProjectDoc;

function Harness({ start }: { start: Mock }) {
  return <MockEditor mock={start} node="service" port="patchbay:kv/store" portInfo={port} onChange={onChange} />;
}

let onChange: ReturnType<typeof vi.fn<(m: Mock) => void>>;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  onChange = vi.fn();
  mocks.checkMockValue.mockReset();
  mocks.checkMockValue.mockResolvedValue({ ok: true, reason: null });
  useStore.setState({ doc, fakes: [] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the mock editor form', () => {
  it('edits a result in the generated form or the WAVE box, each updating the other', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const start: Mock = { fake: null, functions: [{ name: 'get', behavior: { kind: 'returns', value: 'none' } }], values: [], responses: [] };
    render(<Harness start={start} />);
    const wave = screen.getByRole('textbox', { name: 'get returns' }) as HTMLInputElement;
    expect(wave.value).toBe('none');
    await user.click(screen.getByRole('button', { name: 'Form for get returns' }));
    const some = screen.getByRole('checkbox', { name: 'get returns (form) is some' }) as HTMLInputElement;
    expect(some.checked).toBe(false);

    // The form writes the WAVE text, which is checked and saved as usual.
    await user.click(some);
    await user.type(screen.getByRole('textbox', { name: 'get returns (form)' }), 'say "hi"');
    expect(wave.value).toBe('some("say \\"hi\\"")');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ functions: [{ name: 'get', behavior: { kind: 'returns', value: 'some("say \\"hi\\"")' } }] }),
    );

    // The WAVE text drives the form.
    await user.clear(wave);
    await user.type(wave, 'none');
    expect((screen.getByRole('checkbox', { name: 'get returns (form) is some' }) as HTMLInputElement).checked).toBe(false);

    // Text that does not parse: the form says so and names the type; the
    // box's own error names it too.
    mocks.checkMockValue.mockImplementation(async ({ value }: { value: string }) =>
      value === 'some(1)' ? { ok: false, reason: null } : { ok: true, reason: null },
    );
    await user.clear(wave);
    await user.type(wave, 'some(1)');
    expect(screen.getByText(/The text does not read as/).textContent).toContain('option<string>');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(screen.getByText(/is not a valid option<string>/)).toBeTruthy();
  });
});
