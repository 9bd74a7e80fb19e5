// Where the canvas's popups open: on screen, and at the pointer for Tab.

/** Keeps a popup of `width`×`height` at `p` inside the window. */
export function keepOnScreen(p: { x: number; y: number }, width: number, height: number) {
  const w = typeof window === 'undefined' ? 1024 : window.innerWidth;
  const h = typeof window === 'undefined' ? 768 : window.innerHeight;
  return { left: Math.max(8, Math.min(p.x, w - width - 8)), top: Math.max(8, Math.min(p.y, h - height - 8)) };
}

let opener: (() => void) | null = null;

/** The canvas registers how to open the search at the pointer (Tab). */
export function registerSearchOpener(open: (() => void) | null): void {
  opener = open;
}

/** Opens the node search where the pointer is over the canvas, or in its
 *  middle; false when no canvas is showing. */
export function openNodeSearchAtPointer(): boolean {
  if (!opener) return false;
  opener();
  return true;
}

