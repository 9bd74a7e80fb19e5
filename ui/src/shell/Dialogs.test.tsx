import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectDoc } from '../store';
import { resetStore, useStore } from '../store';
import { DiskChangeDialog } from './Dialogs';

const doc: ProjectDoc = { name: 'theirs', fakeNodes: [], components: [], nodes: [], wires: [], exports: [], bindings: [] };

describe('DiskChangeDialog', () => {
  beforeEach(() => resetStore());

  it('offers both sides when patchbay.toml changed under unsaved changes', async () => {
    const resolveDiskChange = vi.fn();
    act(() =>
      useStore.setState({
        diskChange: { path: '/home/ada/shop/patchbay.toml', doc, components: [] },
        resolveDiskChange,
      }),
    );
    render(<DiskChangeDialog />);
    const dialog = screen.getByRole('alertdialog', { name: 'patchbay.toml changed on disk' });
    expect(dialog).toHaveTextContent('/home/ada/shop/patchbay.toml was edited outside Patchbay');
    expect(dialog).toHaveTextContent('Reload from disk drops the editor’s changes');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Keep my changes' }));
    expect(resolveDiskChange).toHaveBeenLastCalledWith('keep');
    await user.click(screen.getByRole('button', { name: 'Reload from disk' }));
    expect(resolveDiskChange).toHaveBeenLastCalledWith('reload');
  });

  it('is not shown without an outside change', () => {
    render(<DiskChangeDialog />);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
