// Starting from nothing: New project from the toolbar, Ctrl+N, the empty
// state and a folder without a project; sample components on an empty
// canvas; Tab for the node search; the webview's own menu kept away.

import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  analyze: vi.fn(),
  setDirty: vi.fn(),
  saveRecovery: vi.fn(),
  addComponents: vi.fn(),
}));

vi.mock('../store/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../store/backend')>();
  return { ...actual, commands: mocks, subscribeEvents: vi.fn(() => () => {}) };
});

import { resetStore, useStore, type ProjectDoc } from '../store';
import { registerSearchOpener } from '../canvas/popup';
import { NewProjectDialog } from './Dialogs';
import { NoNodes, NoProject } from './EmptyState';
import { handleShortcut } from './shortcuts';
import { Toolbar } from './Toolbar';
import { suppressWebviewMenu } from './webviewMenu';

const empty: ProjectDoc = { name: 'fresh', fakeNodes: [], components: [], nodes: [], wires: [], exports: [], bindings: [] };
const state = () => useStore.getState();

beforeEach(() => {
  for (const m of Object.values(mocks)) m.mockReset();
  mocks.analyze.mockResolvedValue({ problems: [], imports: [], composed: null, millis: 1 });
  mocks.setDirty.mockResolvedValue(null);
  mocks.saveRecovery.mockResolvedValue(null);
  resetStore();
});

describe('New project', () => {
  it('the toolbar and Ctrl+N open the dialog, which names the project and picks a folder', async () => {
    const createProject = vi.fn(async () => true);
    act(() => useStore.setState({ createProject }));
    render(
      <>
        <Toolbar />
        <NewProjectDialog />
      </>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'New project…' }));
    const dialog = screen.getByRole('dialog', { name: 'New project' });
    expect(dialog).toHaveTextContent('a folder that already holds one is refused');
    await user.type(screen.getByRole('textbox', { name: 'Project name' }), 'my-tools');
    await user.click(screen.getByRole('button', { name: 'Choose folder and create…' }));
    expect(createProject).toHaveBeenCalledWith('my-tools', null);
    expect(state().newProject).toBeNull();

    act(() => void handleShortcut(new KeyboardEvent('keydown', { key: 'n', ctrlKey: true })));
    expect(state().newProject).toEqual({ dir: null });
  });

  it('a folder without a project offers one there, named after the folder unless named', async () => {
    const createProject = vi.fn(async () => false);
    act(() =>
      useStore.setState({
        createProject,
        openError: { message: '/home/ada/empty holds no patchbay.toml', detail: null, retry: null, folder: '/home/ada/empty' },
      }),
    );
    render(
      <>
        <NoProject />
        <NewProjectDialog />
      </>,
    );
    const user = userEvent.setup();
    expect(screen.getByRole('alert')).toHaveTextContent('/home/ada/empty holds no patchbay.toml');
    await user.click(screen.getByRole('button', { name: /Create a project here/ }));
    const dialog = screen.getByRole('dialog', { name: 'New project in empty' });
    expect(dialog).toHaveTextContent('Writes an empty patchbay.toml into /home/ada/empty');
    expect(screen.getByRole('textbox', { name: 'Project name' })).toHaveAttribute('placeholder', 'empty');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(createProject).toHaveBeenCalledWith('', '/home/ada/empty');
    // Not created (the backend refused and said why): the dialog stays.
    expect(screen.getByRole('dialog', { name: 'New project in empty' })).toBeInTheDocument();
  });

  it('the empty state offers it too, and warns about unsaved changes', async () => {
    render(<NoProject />);
    await userEvent.setup().click(screen.getByRole('button', { name: /New project/ }));
    expect(state().newProject).toEqual({ dir: null });
    act(() => useStore.setState({ doc: empty, savedDoc: { ...empty }, dirty: true }));
    render(<NewProjectDialog />);
    expect(screen.getByRole('note')).toHaveTextContent('fresh has unsaved changes');
  });
});

describe('the header of a new project', () => {
  it('counts the “nothing to compose yet” note as neither error nor warning', () => {
    const note = {
      severity: 'note' as const,
      code: 'nothing-to-compose' as const,
      message: 'nothing to compose yet: add a component, then a node that instantiates it',
      location: { kind: 'project' as const },
      position: null,
    };
    act(() => useStore.setState({ doc: empty, analysis: { problems: [note], imports: [], composed: null, millis: 1 } }));
    render(<Toolbar />);
    expect(screen.getByTitle('Show the problems')).toHaveTextContent('No problems');
  });
});

describe('an empty canvas', () => {
  it('offers the sample components, added in one click', async () => {
    act(() =>
      useStore.setState({
        doc: empty,
        sampleComponents: [
          { name: 'kv-memory', path: '/s/wasm/kv-memory.wasm' },
          { name: 'kv-service', path: '/s/wasm/kv-service.wasm' },
        ],
      }),
    );
    const addComponents = vi.fn(async () => {});
    act(() => useStore.setState({ addComponents }));
    render(<NoNodes />);
    const samples = screen.getByRole('region', { name: 'Sample components' });
    expect(samples).toHaveTextContent('kv-memory');
    await userEvent.setup().click(screen.getByRole('button', { name: 'kv-service' }));
    expect(addComponents).toHaveBeenCalledWith(['/s/wasm/kv-service.wasm']);
  });
});

describe('Tab', () => {
  it('opens the node search on the canvas, not in a text field or without a project', () => {
    const open = vi.fn();
    registerSearchOpener(open);
    const tab = (target: EventTarget) => {
      const e = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true });
      Object.defineProperty(e, 'target', { value: target });
      return handleShortcut(e);
    };
    expect(tab(document.body)).toBe(false);
    act(() => useStore.setState({ doc: empty }));
    const canvas = document.createElement('div');
    canvas.className = 'pb-canvas';
    const input = document.createElement('input');
    document.body.append(canvas, input);
    expect(tab(input)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(tab(canvas)).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
    registerSearchOpener(null);
    canvas.remove();
    input.remove();
  });
});

describe('the webview’s context menu', () => {
  it('is kept away everywhere but in text fields', () => {
    const stop = suppressWebviewMenu(window);
    const div = document.createElement('div');
    const input = document.createElement('input');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    document.body.append(div, input, checkbox);
    const menu = (el: Element) => fireEvent.contextMenu(el);
    expect(menu(div)).toBe(false);
    expect(menu(checkbox)).toBe(false);
    expect(menu(input)).toBe(true);
    stop();
    expect(menu(div)).toBe(true);
    div.remove();
    input.remove();
    checkbox.remove();
  });
});
