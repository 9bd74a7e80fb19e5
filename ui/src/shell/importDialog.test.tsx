// Open of a `.wac` recipe or a composed binary: the backend answers
// `importable`, the import dialog shows what the backend plans (the new
// project's folder, a recipe's missing packages), picks through it and
// imports.

import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  openProject: vi.fn(),
  importPlan: vi.fn(),
  importPick: vi.fn(),
  importProject: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore } from '../store';
import { ImportDialog } from './Dialogs';

const state = () => useStore.getState();

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  resetStore();
});

describe('Import', () => {
  it('Open of a composed binary opens the import dialog, which imports into the folder the backend plans', async () => {
    mocks.openProject.mockRejectedValue({
      code: 'importable',
      message: '/d/chain.wasm is not a project but can become one: import it',
      detail: '/d/chain.wasm',
    });
    mocks.importPlan.mockResolvedValue({ file: '/d/chain.wasm', kind: 'binary', output: '/d/chain', missingPackages: [] });
    await act(() => state().openProject('/d/chain.wasm'));
    expect(state().importing).toBe('/d/chain.wasm');
    expect(state().openError).toBeNull();

    const importProject = vi.fn(async () => true);
    act(() => useStore.setState({ importProject }));
    render(<ImportDialog />);
    const dialog = screen.getByRole('dialog', { name: 'Import chain.wasm as a project' });
    await waitFor(() => expect(dialog).toHaveTextContent('is a component binary, not a project'));
    expect(screen.getByTestId('import-output')).toHaveTextContent('/d/chain');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Import and open' }));
    expect(importProject).toHaveBeenCalledWith('/d/chain.wasm', '/d/chain', []);
    expect(state().importing).toBeNull();
  });

  it('a recipe names each missing package; its file is picked, then the import is offered', async () => {
    mocks.importPlan.mockImplementation(async ({ deps }) => ({
      file: '/d/kv.wac',
      kind: 'wac',
      output: '/d/kv',
      missingPackages: deps.length ? [] : ['demo:memory'],
    }));
    mocks.importPick.mockResolvedValue('/x/memory.wasm');
    const importProject = vi.fn(async () => true);
    act(() => useStore.setState({ importing: '/d/kv.wac', importProject }));
    render(<ImportDialog />);
    const user = userEvent.setup();
    const note = await screen.findByTestId('import-missing');
    expect(note).toHaveTextContent('The recipe needs package demo:memory');
    expect(screen.getByRole('button', { name: 'Import and open' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Choose the file of demo:memory…' }));
    expect(mocks.importPick).toHaveBeenCalledWith({ file: '/d/kv.wac', package: 'demo:memory' });
    await waitFor(() => expect(screen.queryByTestId('import-missing')).toBeNull());
    expect(mocks.importPlan).toHaveBeenLastCalledWith({ file: '/d/kv.wac', deps: [{ name: 'demo:memory', path: '/x/memory.wasm' }] });
    await user.click(screen.getByRole('button', { name: 'Import and open' }));
    expect(importProject).toHaveBeenCalledWith('/d/kv.wac', '/d/kv', [{ name: 'demo:memory', path: '/x/memory.wasm' }]);
  });
});
