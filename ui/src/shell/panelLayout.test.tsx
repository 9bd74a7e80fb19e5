// Layout: the side panels collapse and resize, the dock resizes, the sizes
// are remembered, and a 1024×700 window keeps a usable canvas.

import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetStore, useStore } from '../store';
import { clampPanelSizes, defaultPanelSizes, loadPanelSizes } from '../store/panelSizes';
import { Splitters } from './Panels';
import { usePanelLayout } from './usePanelLayout';

function Harness() {
  usePanelLayout();
  return <Splitters />;
}

const state = () => useStore.getState();

beforeEach(() => {
  localStorage.clear();
  resetStore();
});

describe('panel sizes', () => {
  it('leave a 1024×700 window most of its width for the canvas', () => {
    const s = clampPanelSizes(defaultPanelSizes(1024, 700), 1024, 700);
    expect(1024 - s.library - s.right).toBeGreaterThanOrEqual(480);
    expect(700 - 48 - s.dock).toBeGreaterThanOrEqual(450);
  });

  it('never squeeze the canvas under 320 px, nor go past their limits', () => {
    const s = clampPanelSizes({ library: 900, right: 900, dock: 5000, libraryOpen: true, rightOpen: true }, 1024, 700);
    // The right panel gave way to its minimum, then the library.
    expect(s.right).toBe(260);
    expect(s.library).toBe(444);
    expect(1024 - s.library - s.right).toBe(320);
    expect(clampPanelSizes({ library: 900, right: 300, dock: 200, libraryOpen: true, rightOpen: true }, 1920, 1080).library).toBe(480);
    expect(s.dock).toBe(452);
  });

  it('are remembered in local storage', () => {
    state().setPanels({ right: 300, libraryOpen: false });
    expect(loadPanelSizes()).toMatchObject({ right: 300, libraryOpen: false });
  });
});

describe('splitters', () => {
  it('drag the dock taller, remembered when the drag ends', () => {
    render(<Harness />);
    const before = state().panels.dock;
    const dock = screen.getByTestId('splitter-dock');
    fireEvent.pointerDown(dock, { button: 0, clientY: 500, pointerId: 1 });
    fireEvent.pointerMove(dock, { clientY: 400, pointerId: 1 });
    expect(state().panels.dock).toBe(before + 100);
    fireEvent.pointerUp(dock, { pointerId: 1 });
    expect(JSON.parse(localStorage.getItem('patchbay.panels')!).dock).toBe(before + 100);
    expect(document.documentElement.style.getPropertyValue('--dock-h')).toBe(`${before + 100}px`);
  });

  it('resize a side panel with the arrow keys', () => {
    render(<Harness />);
    const before = state().panels.library;
    fireEvent.keyDown(screen.getByTestId('splitter-library'), { key: 'ArrowRight' });
    expect(state().panels.library).toBe(before + 16);
    const right = state().panels.right;
    fireEvent.keyDown(screen.getByTestId('splitter-right'), { key: 'ArrowLeft' });
    expect(state().panels.right).toBe(right + 16);
  });

  it('collapse and show the side panels', async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'Collapse the library' }));
    expect(state().panels.libraryOpen).toBe(false);
    expect(document.documentElement.style.getPropertyValue('--library-w')).toBe('0px');
    await userEvent.click(screen.getByRole('button', { name: 'Show the library' }));
    expect(state().panels.libraryOpen).toBe(true);
    act(() => state().setPanels({ rightOpen: false }));
    expect(document.documentElement.style.getPropertyValue('--right-w')).toBe('0px');
    expect(screen.getByRole('button', { name: 'Show the details panel' })).toBeInTheDocument();
  });
});
