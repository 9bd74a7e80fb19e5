import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store';
import { commands, type Exported, type ExportPreview, type ProjectDoc, type VariantPreview } from '../store/backend';
import { ExportDialog } from './ExportDialog';

const doc: ProjectDoc = {
  name: 'sandbox-demo',
  fakeNodes: [],
  components: [{ id: 'sandbox-demo', path: 'wasm/sandbox-demo.wasm', build: null, watch: [], hash: null }],
  nodes: [
    { id: 'granted', component: 'sandbox-demo', x: 0, y: 0 },
    { id: 'mocked', component: 'sandbox-demo', x: 0, y: 200 },
    { id: 'denied', component: 'sandbox-demo', x: 0, y: 400 },
  ],
  wires: [],
  exports: [],
  bindings: [],
};

const ENV = 'wasi:cli/environment@0.2.12';
const KV = 'patchbay:kv/store';
const TYPES = 'wasi:sockets/network@0.2.12';

const sealed: VariantPreview = {
  variant: 'sealed',
  surface: [
    { name: ENV, meaning: 'reads environment variables and arguments', nodes: ['granted'], typesOnly: false },
    { name: KV, meaning: 'provided by whoever hosts the component', nodes: ['faked'], typesOnly: false },
  ],
  stubs: [
    {
      kind: 'deny',
      node: 'denied',
      import: ENV,
      functions: [`denied: node denied called ${ENV}#get-environment`],
      file: 'stubs/denied-deny-cli-environment.wasm',
    },
    {
      kind: 'mock',
      node: 'mocked',
      import: ENV,
      functions: [`${ENV}#get-environment`],
      file: 'stubs/mocked-mock-cli-environment.wasm',
    },
  ],
  notSealed: [
    { node: 'faked', import: KV, reason: 'the `kv` fake is not sealed into the artifact yet; it stays an import' },
  ],
  size: 6144,
  witText: '',
  wacText: '',
};

const open: VariantPreview = {
  variant: 'open',
  surface: [
    { name: TYPES, meaning: 'only names types (no functions): gives the component nothing to call', nodes: ['granted'], typesOnly: true },
    { name: ENV, meaning: 'reads environment variables and arguments', nodes: ['granted', 'mocked', 'denied'], typesOnly: false },
    { name: KV, meaning: '', nodes: ['faked'], typesOnly: false },
  ],
  stubs: [],
  notSealed: [],
  size: 4096,
  witText: '',
  wacText: '',
};

const preview: ExportPreview = {
  sealed,
  sealedError: null,
  open,
  dir: '/p/out',
  wasm: 'sandbox-demo.wasm',
  wac: 'sandbox-demo.wac',
  wit: 'sandbox-demo.wit',
  spinRefused: null,
};

const NO_TARGETS = { spin: false, wadm: false, oci: null };

const exported: Exported = {
  variant: 'sealed',
  dir: '/p/out',
  wasm: '/p/out/sandbox-demo.wasm',
  wac: '/p/out/sandbox-demo.wac',
  wit: '/p/out/sandbox-demo.wit',
  stubs: ['/p/out/stubs/denied-deny-cli-environment.wasm', '/p/out/stubs/mocked-mock-cli-environment.wasm'],
  size: 6144,
  imports: [ENV, KV],
  targets: [],
};

function surfaceOf(dialog: HTMLElement) {
  const section = within(dialog).getByRole('heading', { name: 'Attack surface' }).closest('section')!;
  return within(section)
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

describe('ExportDialog', () => {
  afterEach(() => vi.restoreAllMocks());

  it('offers sealed (preselected) and open, each with its surface, stubs and what cannot be sealed', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    const exportArtifacts = vi.spyOn(commands, 'exportArtifacts');
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    const sealedRadio = await within(dialog).findByRole('radio', { name: /Sealed/ });
    expect(sealedRadio).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: /Open/ })).not.toBeChecked();
    // Sizes and the difference against open.
    expect(within(dialog).getByTestId('export-facts-sealed')).toHaveTextContent(
      '2 imports · 6.0 KiB (+2.0 KiB against open) · 2 stubs',
    );
    expect(within(dialog).getByTestId('export-facts-open')).toHaveTextContent('3 imports · 4.0 KiB');

    // Sealed: what cannot be sealed and why, the stubs, the surface.
    const notSealed = within(dialog).getByRole('heading', { name: 'Cannot be sealed' }).closest('section')!;
    expect(notSealed).toHaveTextContent(`faked.${KV}`);
    expect(notSealed).toHaveTextContent('the `kv` fake is not sealed into the artifact yet');
    const stubs = within(dialog).getByRole('heading', { name: 'Sealed in' }).closest('section')!;
    expect(within(stubs).getAllByRole('listitem')).toHaveLength(2);
    expect(stubs).toHaveTextContent(`denied.${ENV}`);
    expect(stubs).toHaveTextContent('every function traps, naming the denial');
    expect(stubs).toHaveTextContent(`mocked.${ENV}`);
    expect(surfaceOf(dialog)[0]).toContain('used by granted');
    expect(surfaceOf(dialog)[0]).not.toContain('mocked');
    expect(within(dialog).getByText('stubs/')).toBeInTheDocument();

    // Open: its own surface, no stubs, nothing "cannot be sealed".
    await user.click(within(dialog).getByRole('radio', { name: /Open/ }));
    expect(within(dialog).getByRole('radio', { name: /Open/ })).toBeChecked();
    expect(surfaceOf(dialog)[0]).toContain('used by granted, mocked, denied');
    expect(surfaceOf(dialog)[1]).toContain('a custom interface');
    // An import that only names types is listed last, marked, and said to be no capability.
    expect(surfaceOf(dialog)[2]).toContain(`${TYPES}types only`);
    expect(surfaceOf(dialog)[2]).toContain('gives the component nothing to call');
    expect(surfaceOf(dialog)[2]).toContain('named by granted');
    expect(dialog).toHaveTextContent('One of them only names types: nothing to call, no capability.');
    expect(within(dialog).queryByRole('heading', { name: 'Sealed in' })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('heading', { name: 'Cannot be sealed' })).not.toBeInTheDocument();
    expect(exportArtifacts).not.toHaveBeenCalled();
  });

  it('writes the chosen variant and shows the folder and every file written', async () => {
    const toast = vi.fn();
    useStore.setState({ doc, toast });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    const exportArtifacts = vi.spyOn(commands, 'exportArtifacts').mockResolvedValue(exported);
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    await within(dialog).findByRole('radio', { name: /Sealed/ });
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    const written = await within(dialog).findByRole('status');
    expect(exportArtifacts).toHaveBeenCalledWith({ doc, dir: null, chooseDir: false, variant: 'sealed', targets: NO_TARGETS });
    expect(written).toHaveTextContent('Sealed export, 6.0 KiB, 2 imports, in /p/out');
    for (const file of ['sandbox-demo.wasm', 'sandbox-demo.wac', 'sandbox-demo.wit', 'stubs/mocked-mock-cli-environment.wasm']) {
      expect(within(written).getByText(`/p/out/${file}`)).toBeInTheDocument();
    }
    // The dialog says what it wrote; no toast covers its buttons.
    expect(toast).not.toHaveBeenCalled();
    expect(within(dialog).getByRole('button', { name: 'Done' })).toBeEnabled();
    expect(within(written).queryByRole('heading', { name: 'Deployment' })).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('radio', { name: /Open/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Export again' }));
    await waitFor(() =>
      expect(exportArtifacts).toHaveBeenLastCalledWith({ doc, dir: null, chooseDir: false, variant: 'open', targets: NO_TARGETS }),
    );
  });

  it('opens the folder it wrote to, and says why when the system cannot', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    vi.spyOn(commands, 'exportArtifacts').mockResolvedValue(exported);
    const show = vi
      .spyOn(commands, 'showExportFolder')
      .mockResolvedValueOnce(null)
      .mockRejectedValueOnce({ code: 'io', message: 'cannot show /p/out: no file manager', detail: null });
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    await within(dialog).findByRole('radio', { name: /Sealed/ });
    expect(within(dialog).queryByRole('button', { name: 'Open folder' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    const written = await within(dialog).findByRole('status');
    await user.click(within(written).getByRole('button', { name: 'Open folder' }));
    expect(show).toHaveBeenCalledWith({ dir: '/p/out' });
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await user.click(within(written).getByRole('button', { name: 'Open folder' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('no file manager');
  });

  it('falls back to open and says why when the project cannot be sealed', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue({
      ...preview,
      sealed: null,
      sealedError: 'cannot export sealed: cannot seal the denial of `x` of node `denied`: no stub',
    });
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    expect(await within(dialog).findByRole('radio', { name: /Open/ })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: /Sealed/ })).toBeDisabled();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Cannot seal: cannot export sealed: cannot seal the denial of `x` of node `denied`');
  });

  it('closes on Escape wherever focus is, and on the close button', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<ExportDialog open onClose={onClose} />);
    await screen.findByRole('radio', { name: /Sealed/ });
    (document.activeElement as HTMLElement | null)?.blur();
    expect(document.activeElement).toBe(document.body);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('says nothing when the folder dialog is cancelled, and shows a refused preview', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValueOnce({
      ...preview,
      sealed: { ...sealed, surface: [], stubs: [], notSealed: [] },
    });
    vi.spyOn(commands, 'exportArtifacts').mockRejectedValue({ code: 'cancelled', message: 'cancelled', detail: null });
    const user = userEvent.setup();
    const { unmount } = render(<ExportDialog open onClose={() => {}} />);
    expect(await screen.findByText(/self-contained/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    unmount();

    vi.spyOn(commands, 'exportPreview').mockRejectedValue({
      code: 'compose-failed',
      message: 'the graph does not compose (1 problem)',
      detail: 'node `service`: import `patchbay:kv/store` is not wired',
    });
    render(<ExportDialog open onClose={() => {}} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot export: the graph does not compose (1 problem)');
    expect(screen.getByRole('button', { name: 'Export' })).toBeDisabled();
  });

  it('sends the deploy targets with the export and lists what became of each', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    const reference = '127.0.0.1:5000/team/sandbox-demo:1';
    const exportArtifacts = vi.spyOn(commands, 'exportArtifacts').mockResolvedValue({
      ...exported,
      targets: [
        {
          target: 'spin',
          result: {
            kind: 'written',
            file: '/p/out/spin.toml',
            notes: ['node granted: env GREETING: Spin passes no host environment variables'],
          },
        },
        {
          target: 'wadm',
          result: {
            kind: 'failed',
            message: `wadm.yaml was not written: it would name the image ${reference}, which the push did not store`,
          },
        },
        {
          target: 'oci',
          result: {
            kind: 'failed',
            message: `cannot push to ${reference}: registry 127.0.0.1:5000 refused access to team/sandbox-demo (401 Unauthorized)`,
          },
        },
      ],
    });
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    await within(dialog).findByRole('radio', { name: /Sealed/ });
    const deploy = within(dialog).getByRole('group', { name: 'Deploy' });
    // Credentials are asked for only once there is somewhere to push.
    expect(within(deploy).queryByLabelText('Registry password')).not.toBeInTheDocument();
    await user.click(within(deploy).getByRole('checkbox', { name: /Spin/ }));
    await user.click(within(deploy).getByRole('checkbox', { name: /wasmCloud/ }));
    await user.type(within(deploy).getByLabelText('OCI reference'), ` ${reference} `);
    await user.click(within(deploy).getByRole('checkbox', { name: /Plain HTTP/ }));
    await user.type(within(deploy).getByLabelText('Registry username'), 'patchbay');
    const password = within(deploy).getByLabelText('Registry password');
    expect(password).toHaveAttribute('type', 'password');
    await user.type(password, 's3cret');
    expect(deploy).toHaveTextContent('Used for this push only, never saved');
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));

    const written = await within(dialog).findByRole('status');
    expect(exportArtifacts).toHaveBeenCalledWith({
      doc,
      dir: null,
      chooseDir: false,
      variant: 'sealed',
      targets: { spin: true, wadm: true, oci: { reference, insecure: true, username: 'patchbay', password: 's3cret' } },
    });
    const outcome = (target: string) => written.querySelector(`[data-target="${target}"]`);
    expect(outcome('spin')).toHaveTextContent('Spin: /p/out/spin.toml');
    expect(outcome('spin')).toHaveTextContent('cannot express 1 thing (also written in it as comments):');
    expect(outcome('spin')).toHaveTextContent('node granted: env GREETING');
    expect(outcome('wadm')).toHaveTextContent('wasmCloud (wadm): not written');
    expect(outcome('wadm')).toHaveTextContent('which the push did not store');
    expect(outcome('oci')).toHaveTextContent('OCI registry: not pushed');
    expect(outcome('oci')).toHaveTextContent('refused access to team/sandbox-demo');
    expect(written).not.toHaveTextContent('s3cret');
  });

  it('shows a verified push with its pinned reference', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    vi.spyOn(commands, 'exportPreview').mockResolvedValue(preview);
    const digest = `sha256:${'b'.repeat(64)}`;
    vi.spyOn(commands, 'exportArtifacts').mockResolvedValue({
      ...exported,
      targets: [
        {
          target: 'oci',
          result: {
            kind: 'pushed',
            reference: 'ghcr.io/me/app:1',
            pinned: `ghcr.io/me/app@${digest}`,
            manifestDigest: digest,
            pulledDigest: digest,
            layerDigest: `sha256:${'c'.repeat(64)}`,
            size: 6144,
          },
        },
      ],
    });
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    await within(dialog).findByRole('radio', { name: /Sealed/ });
    await user.type(within(dialog).getByLabelText('OCI reference'), 'ghcr.io/me/app:1');
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    const written = await within(dialog).findByRole('status');
    const oci = written.querySelector('[data-target="oci"]');
    expect(oci).toHaveTextContent('OCI registry: pushed ghcr.io/me/app:1, pulled back and verified (6.0 KiB)');
    expect(oci).toHaveTextContent(`ghcr.io/me/app@${digest}`);
    expect(within(oci as HTMLElement).getByRole('button', { name: 'Copy pinned reference' })).toBeInTheDocument();
  });

  it('offers Spin only when the backend says Spin can run the project, and says why not', async () => {
    useStore.setState({ doc, toast: vi.fn() });
    const why = 'cannot write a Spin manifest for project `sandbox-demo`: Spin runs a component when a trigger fires';
    vi.spyOn(commands, 'exportPreview').mockResolvedValue({ ...preview, spinRefused: why });
    const exportArtifacts = vi.spyOn(commands, 'exportArtifacts').mockResolvedValue(exported);
    const user = userEvent.setup();
    render(<ExportDialog open onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Export composed component' });
    await within(dialog).findByRole('radio', { name: /Sealed/ });
    const spin = within(dialog).getByRole('checkbox', { name: /Spin/ });
    expect(spin).toBeDisabled();
    expect(within(dialog).getByRole('group', { name: 'Deploy' })).toHaveTextContent(why);
    await user.click(within(dialog).getByRole('checkbox', { name: /wasmCloud/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await within(dialog).findByRole('status');
    expect(exportArtifacts).toHaveBeenCalledWith(
      expect.objectContaining({ targets: { spin: false, wadm: true, oci: null } }),
    );
  });
});
