import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands, type Grant } from '../store/backend';
import { emptyGrant } from './bindingEdit';
import { GrantEditor } from './GrantEditor';

afterEach(() => vi.restoreAllMocks());

function editor(grant: Grant, scopes: Parameters<typeof GrantEditor>[0]['scopes']) {
  const onChange = vi.fn<(g: Grant) => void>();
  render(<GrantEditor grant={grant} scopes={scopes} onChange={onChange} />);
  return onChange;
}

describe('the grant editor of the standard interfaces', () => {
  it('edits a wasi:keyvalue grant: the database file and the buckets, checked by the backend', async () => {
    const user = userEvent.setup();
    const check = vi
      .spyOn(commands, 'checkGrantEntry')
      .mockImplementation(async ({ entry }) =>
        entry.kind === 'bucket' && entry.name.includes('\t')
          ? { ok: false, reason: 'backend: not a bucket name' }
          : { ok: true, reason: null },
      );
    const onChange = editor({ ...emptyGrant(), store: 'data/kv.redb', buckets: ['default'] }, ['store', 'buckets']);
    expect(screen.getByText('Key-value database file')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Database file (relative to the project)' })).toHaveValue('data/kv.redb');
    await user.type(screen.getByRole('textbox', { name: 'Add to Buckets the guest may open' }), 'cache{Enter}');
    expect(check).toHaveBeenCalledWith({ entry: { kind: 'bucket', name: 'cache' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ store: 'data/kv.redb', buckets: ['default', 'cache'] }));
    // Scopes of other interfaces are not shown until asked for.
    expect(screen.queryByText('Environment variables')).not.toBeInTheDocument();
  });

  it('edits a wasi:config grant: values and an environment prefix', async () => {
    const user = userEvent.setup();
    vi.spyOn(commands, 'checkGrantEntry').mockImplementation(async ({ entry }) =>
      entry.kind === 'config-prefix' && entry.prefix.includes('=')
        ? { ok: false, reason: 'backend: `A=` cannot begin an environment variable name' }
        : { ok: true, reason: null },
    );
    const onChange = editor(emptyGrant(), ['config', 'config-prefix']);
    const prefix = screen.getByRole('textbox', { name: 'Host variables with this prefix (prefix stripped, lowercased)' });
    await user.type(prefix, 'A=');
    expect(await screen.findByText('backend: `A=` cannot begin an environment variable name')).toBeInTheDocument();
    await user.clear(prefix);
    await user.type(prefix, 'APP_');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ configPrefix: 'APP_' }));
  });
});
