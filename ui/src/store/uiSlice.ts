// The UI slice: theme, panel tabs, toasts, busy tasks, the status line and
// which dialogs are open.

import { fitPanelSizes, loadPanelSizes, savePanelSizes } from './panelSizes';
import type { Slice, State, Store, Theme } from './types';

type UiState =
  | 'theme' | 'rightTab' | 'bottomTab' | 'toasts' | 'busy' | 'status' | 'exportOpen' | 'paletteOpen' | 'panels';
type UiActions =
  | 'setTheme' | 'toggleTheme' | 'toast' | 'dismissToast' | 'setStatus' | 'setRightTab' | 'setBottomTab'
  | 'setExportOpen' | 'setPaletteOpen' | 'setPanels';
export type UiSlice = Pick<Store, UiState | UiActions>;

export function uiInitial(): Pick<State, UiState> {
  return {
    theme: initialTheme(),
    rightTab: 'inspector',
    bottomTab: 'problems',
    toasts: [],
    busy: {},
    status: null,
    exportOpen: false,
    paletteOpen: false,
    panels: loadPanelSizes(),
  };
}

const THEME_KEY = 'patchbay.theme';
let toastSeq = 0;

function initialTheme(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage may be unavailable; fall back to the system preference.
  }
  const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)')?.matches;
  return dark ? 'dark' : 'light';
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  ...uiInitial(),

  setTheme(theme) {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, theme);
    } catch {
      // Not persisted; the choice still applies to this session.
    }
    set({ theme });
  },

  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },

  toast(text, kind = 'info') {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { id, text, kind }] }));
    setTimeout(() => get().dismissToast(id), kind === 'error' ? 9000 : 5000);
  },

  dismissToast(id) {
    if (get().toasts.some((t) => t.id === id)) set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },

  setStatus(status) {
    set({ status });
  },

  setRightTab(rightTab) {
    set({ rightTab });
  },

  setBottomTab(bottomTab) {
    set({ bottomTab });
  },

  setPanels(patch, remember = true) {
    const panels = fitPanelSizes({ ...get().panels, ...patch });
    set({ panels });
    if (remember) savePanelSizes(panels);
  },

  setExportOpen(exportOpen) {
    set({ exportOpen });
  },

  setPaletteOpen(paletteOpen) {
    set({ paletteOpen });
  },
});
