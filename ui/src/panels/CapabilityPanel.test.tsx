import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store';
import { commands, type Analysis, type ComponentView, type GrantScope, type ProjectDoc } from '../store/backend';
import { CapabilityPanel } from './CapabilityPanel';

const ENV = 'wasi:cli/environment@0.2.6';
const LOG = 'patchbay:kv/log';

const component: ComponentView = {
  id: 'svc',
  path: 'svc.wasm',
  absPath: '/p/svc.wasm',
  size: 10,
  hash: null,
  error: null,
  info: {
    wit: '',
    exports: [],
    imports: [
      {
        name: ENV,
        kind: 'interface',
        package: 'wasi:cli',
        interface: 'environment',
        version: '0.2.6',
        types: [],
        typesOnly: false,
        functions: [
          {
            name: 'get-environment',
            key: 'get-environment',
            kind: 'freestanding',
            resource: null,
            params: [],
            result: 'list<tuple<string, string>>',
            resultShape: {
              kind: 'list',
              of: { kind: 'tuple', items: [{ kind: 'primitive', name: 'string' }, { kind: 'primitive', name: 'string' }] },
            },
            signature: 'get-environment: func() -> list<tuple<string, string>>',
          },
        ],
      },
      {
        name: LOG,
        kind: 'interface',
        package: 'patchbay:kv',
        interface: 'log',
        version: null,
        types: [],
        typesOnly: false,
        functions: [
          {
            name: 'level',
            key: 'level',
            kind: 'freestanding',
            resource: null,
            params: [],
            result: 'u8',
            resultShape: { kind: 'primitive', name: 'u8' },
            signature: 'level: func() -> u8',
          },
        ],
      },
    ],
  },
};

/** The grant scopes the backend's analysis reports for these imports. */
const SCOPES: Record<string, GrantScope[]> = {
  'wasi:http/outgoing-handler@0.2.6': ['allow'],
  'wasi:cli/environment@0.2.6': ['env'],
};

function setup(bindings: ProjectDoc['bindings'], port: string, selector: string | null, mode: 'grant' | 'mock' | 'leave') {
  const doc: ProjectDoc = {
    name: 'p',
    fakeNodes: [],
    components: [{ id: 'svc', path: 'svc.wasm', build: null, watch: [], hash: null }],
    nodes: [{ id: 'service', component: 'svc', x: 0, y: 0 }],
    wires: [],
    exports: [],
    bindings,
  };
  const analysis = {
    problems: [],
    millis: 1,
    composed: null,
    imports: [{ node: 'service', port, mode, selector, fake: null, typesOnly: false, scopes: SCOPES[port] ?? [] }],
  } as unknown as Analysis;
  useStore.setState({
    doc,
    analysis,
    components: { svc: component },
    selectedPort: { node: 'service', port, side: 'import' },
    selectedNodes: ['service'],
    past: [],
    future: [],
  });
}

const bindingOf = (selector: string) => useStore.getState().doc?.bindings.find((b) => b.selector === selector)?.binding;

describe('CapabilityPanel', () => {
  let toast: ReturnType<typeof vi.fn<(text: string) => void>>;
  beforeEach(() => {
    toast = vi.fn();
    useStore.setState({ toast });
    // The backend's answers; tests that need others override them.
    vi.spyOn(commands, 'checkGrantEntry').mockResolvedValue({ ok: true, reason: null });
    vi.spyOn(commands, 'importFakes').mockResolvedValue([]);
  });
  afterEach(() => vi.restoreAllMocks());

  it('turns an edit of an inherited binding into an exact one, and says so', async () => {
    const user = userEvent.setup();
    setup([{ selector: '*.wasi:*', binding: { mode: 'grant', env: [], dirs: [], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null } }], ENV, '*.wasi:*', 'grant');
    render(<CapabilityPanel />);
    expect(screen.getByText(/Bound by the broad selector/)).toHaveTextContent(
      `Changing anything here creates an exact binding service.${ENV} for this import only.`,
    );
    expect(screen.getByRole('radio', { name: 'Grant' })).toHaveAttribute('aria-checked', 'true');

    await user.type(screen.getByRole('textbox', { name: 'Add to Environment variables' }), 'GREETING{Enter}');
    expect(bindingOf(`service.${ENV}`)).toEqual({
      mode: 'grant',
      env: ['GREETING'],
      dirs: [],
      allow: [],
      clock: null,
      random: null,
      store: null,
      buckets: [],
      config: [],
      configPrefix: null,
    });
    expect(bindingOf('*.wasi:*')).toMatchObject({ mode: 'grant', env: [] });
    expect(toast).toHaveBeenCalledWith(expect.stringContaining(`Created the exact binding service.${ENV}`), 'info');
  });

  it('explains deny, and writes the mode to the exact selector', async () => {
    const user = userEvent.setup();
    setup([], ENV, null, 'leave');
    render(<CapabilityPanel />);
    expect(screen.getByText(/No binding matches/)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Deny' }));
    expect(bindingOf(`service.${ENV}`)).toEqual({ mode: 'deny' });
    expect(screen.getByText(/Calls fail with `capability denied`/)).toBeInTheDocument();
    expect(screen.getByText(/get-environment/).closest('li')).toHaveClass('pbp-denied');
  });

  it('refuses host:port entries the backend refuses', async () => {
    const user = userEvent.setup();
    const check = vi
      .spyOn(commands, 'checkGrantEntry')
      .mockImplementation(async ({ entry }) =>
        entry.kind === 'allow' && entry.address === 'example.com'
          ? { ok: false, reason: 'backend: `example.com` is not host:port' }
          : { ok: true, reason: null },
      );
    setup([], 'wasi:http/outgoing-handler@0.2.6', null, 'leave');
    render(<CapabilityPanel />);
    await user.click(screen.getByRole('radio', { name: 'Grant' }));
    const input = screen.getByRole('textbox', { name: 'Add to Allowed host:port' });
    await user.type(input, 'example.com');
    expect(await screen.findByText('backend: `example.com` is not host:port')).toBeInTheDocument();
    expect(check).toHaveBeenCalledWith({ entry: { kind: 'allow', address: 'example.com' } });
    expect(within(input.parentElement!).getByRole('button', { name: 'Add' })).toBeDisabled();
    await user.type(input, ':443{Enter}');
    expect(bindingOf('service.wasi:http/outgoing-handler@0.2.6')).toMatchObject({ allow: ['example.com:443'] });
  });

  it('checks mock values as you type and writes only valid ones', async () => {
    const user = userEvent.setup();
    const check = vi
      .spyOn(commands, 'checkMockValue')
      .mockImplementation(async ({ value }) =>
        value.trim() === '3' ? { ok: true, reason: null } : { ok: false, reason: `backend says no to ${value}` },
      );
    setup([{ selector: `service.${LOG}`, binding: { mode: 'mock', fake: null, functions: [], values: [], responses: [] } }], LOG, `service.${LOG}`, 'mock');
    render(<CapabilityPanel />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Behaviour of level' }), 'returns');
    const input = screen.getByRole('textbox', { name: 'level returns' });
    // The default `0` is refused by this backend, so nothing is written yet.
    expect(await screen.findByText('backend says no to 0')).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '300');
    expect(await screen.findByText('backend says no to 300')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(bindingOf(`service.${LOG}`)).toMatchObject({ functions: [] });

    await user.clear(input);
    await user.type(input, '3');
    await waitFor(() =>
      expect(bindingOf(`service.${LOG}`)).toMatchObject({
        functions: [{ name: 'level', behavior: { kind: 'returns', value: '3' } }],
      }),
    );
    expect(check).toHaveBeenCalledWith(expect.objectContaining({ node: 'service', import: LOG, function: 'level', value: '3' }));
  });

  it('picking Mock takes the first fake the backend says serves the import', async () => {
    const user = userEvent.setup();
    const fakes = vi.spyOn(commands, 'importFakes').mockResolvedValue(['log', 'kv']);
    setup([], LOG, null, 'leave');
    render(<CapabilityPanel />);
    await user.click(screen.getByRole('radio', { name: 'Mock' }));
    await waitFor(() =>
      expect(bindingOf(`service.${LOG}`)).toEqual({ mode: 'mock', fake: 'log', functions: [], values: [], responses: [] }),
    );
    expect(fakes).toHaveBeenCalledWith(expect.objectContaining({ node: 'service', port: LOG }));
  });

  it('picking Mock where no fake serves shows what the backend says is still missing', async () => {
    const user = userEvent.setup();
    setup([], ENV, null, 'leave');
    render(<CapabilityPanel />);
    await user.click(screen.getByRole('radio', { name: 'Mock' }));
    await waitFor(() =>
      expect(bindingOf(`service.${ENV}`)).toEqual({ mode: 'mock', fake: null, functions: [], values: [], responses: [] }),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The next analysis reports the document problem at this binding.
    const message = `binding \`service.${ENV}\`: a mock needs a \`fake\` or at least one entry under \`functions\``;
    const analysis = useStore.getState().analysis as Analysis;
    act(() =>
      useStore.setState({
        analysis: {
          ...analysis,
          imports: [{ node: 'service', port: ENV, mode: 'mock', selector: `service.${ENV}`, fake: null, typesOnly: false, scopes: [] }],
          problems: [
            { severity: 'error', code: 'invalid-document', message, location: { kind: 'binding', selector: `service.${ENV}` }, position: null },
          ],
        },
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Still missing before this can be saved');
    expect(alert).toHaveTextContent(message);
  });

  it('asks the backend whether an env name is valid, and does not add a refused one', async () => {
    const user = userEvent.setup();
    vi.spyOn(commands, 'checkGrantEntry').mockImplementation(async ({ entry }) =>
      entry.kind === 'env' && entry.name.includes('=')
        ? { ok: false, reason: `\`env\` entry \`${entry.name}\` is not an environment variable name` }
        : { ok: true, reason: null },
    );
    setup([], ENV, null, 'leave');
    render(<CapabilityPanel />);
    await user.click(screen.getByRole('radio', { name: 'Grant' }));
    await user.type(screen.getByRole('textbox', { name: 'Add to Environment variables' }), 'A=B');
    expect(await screen.findByText('`env` entry `A=B` is not an environment variable name')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add' })).toBeDisabled();
    expect(bindingOf(`service.${ENV}`)).toMatchObject({ env: [] });
  });
});
