// The webview's own context menu (Back, Forward, Reload, Inspect) is one
// click from losing work: in production builds of the page it never shows.
// The canvas opens Patchbay's own menu instead; text fields keep the
// native one (cut, copy, paste).

import { useEffect } from 'react';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const field = target.closest('input, textarea, [contenteditable=""], [contenteditable="true"]');
  if (!field) return false;
  return !(field instanceof HTMLInputElement) || !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(field.type);
}

/** Keeps the webview's context menu from showing over `target`, except
 *  in text fields; returns the function that stops it. */
export function suppressWebviewMenu(target: Window | Document): () => void {
  const onMenu = (e: Event) => {
    if (!isEditable(e.target)) e.preventDefault();
  };
  target.addEventListener('contextmenu', onMenu);
  return () => target.removeEventListener('contextmenu', onMenu);
}

/** `suppressWebviewMenu` on the window, in production builds (a
 *  development build keeps Inspect). */
export function useOwnContextMenu(production = import.meta.env.PROD): void {
  useEffect(() => (production ? suppressWebviewMenu(window) : undefined), [production]);
}
