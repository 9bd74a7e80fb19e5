// The sizes of the side panels and the bottom dock: resizable, collapsible,
// remembered in local storage, and fitted to the window (at 1024×700 the
// canvas keeps most of the width).

export type PanelSizes = {
  /** Library width in px. */
  library: number;
  /** Right panel (Inspector | Binding | Run) width in px. */
  right: number;
  /** Bottom dock (Problems | Output | Trace) height in px. */
  dock: number;
  libraryOpen: boolean;
  rightOpen: boolean;
};

const KEY = 'patchbay.panels';

export const PANEL_LIMITS = {
  library: { min: 160, max: 480 },
  right: { min: 260, max: 720 },
  dock: { min: 90, max: 900 },
} as const;

/** The sizes a window of `width`×`height` starts with. */
export function defaultPanelSizes(width: number, height: number): PanelSizes {
  const narrow = width < 1280;
  return {
    library: narrow ? 200 : 248,
    right: narrow ? 320 : 380,
    dock: height < 800 ? 170 : 230,
    libraryOpen: true,
    rightOpen: true,
  };
}

/** `sizes` within their limits, and leaving the canvas at least 320×200 px
 *  of a `width`×`height` window. */
export function clampPanelSizes(sizes: PanelSizes, width: number, height: number): PanelSizes {
  const within = (v: number, { min, max }: { min: number; max: number }) => Math.round(Math.min(max, Math.max(min, v)));
  let library = within(sizes.library, PANEL_LIMITS.library);
  let right = within(sizes.right, PANEL_LIMITS.right);
  // Too wide for the window: the right panel gives way first, then the library.
  let over = (sizes.libraryOpen ? library : 0) + (sizes.rightOpen ? right : 0) - (width - 320);
  if (over > 0 && sizes.rightOpen) {
    const give = Math.min(over, right - PANEL_LIMITS.right.min);
    right -= give;
    over -= give;
  }
  if (over > 0 && sizes.libraryOpen) library -= Math.min(over, library - PANEL_LIMITS.library.min);
  return {
    ...sizes,
    library,
    right,
    dock: within(Math.min(sizes.dock, height - 48 - 200), PANEL_LIMITS.dock),
  };
}

function windowSize(): { width: number; height: number } {
  return { width: globalThis.innerWidth || 1400, height: globalThis.innerHeight || 900 };
}

/** The remembered sizes (or the defaults), fitted to the window. */
export function loadPanelSizes(): PanelSizes {
  const { width, height } = windowSize();
  const base = defaultPanelSizes(width, height);
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null') as Partial<PanelSizes> | null;
    if (saved && typeof saved === 'object') {
      for (const k of ['library', 'right', 'dock'] as const) if (typeof saved[k] === 'number') base[k] = saved[k];
      for (const k of ['libraryOpen', 'rightOpen'] as const) if (typeof saved[k] === 'boolean') base[k] = saved[k];
    }
  } catch {
    // Unreadable or unavailable storage: the defaults.
  }
  return clampPanelSizes(base, width, height);
}

export function savePanelSizes(sizes: PanelSizes): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(sizes));
  } catch {
    // Not remembered; the sizes still apply to this session.
  }
}

export function fitPanelSizes(sizes: PanelSizes): PanelSizes {
  const { width, height } = windowSize();
  return clampPanelSizes(sizes, width, height);
}
