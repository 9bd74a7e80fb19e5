import type { FakeName } from '../store';

/** The drag-and-drop type the canvas accepts from the library panel. */
export const LIBRARY_MIME = 'application/x-patchbay-library';
export type LibraryItem = { kind: 'component'; id: string } | { kind: 'fake'; fake: FakeName };

export function parseLibraryItem(text: string): LibraryItem | null {
  try {
    const v = JSON.parse(text) as LibraryItem;
    if (v && v.kind === 'component' && typeof v.id === 'string') return v;
    if (v && v.kind === 'fake' && typeof v.fake === 'string') return v;
  } catch {
    // Not ours.
  }
  return null;
}
