// The one door between the editor and the Rust core.
//
// Types and commands are generated from crates/patchbay-api into
// ui/src/bindings/ (do not edit those); the transport (Tauri IPC in the app,
// the `patchbay-api-http` dev server in a plain browser) is ui/src/ipc/. The
// store and its tests import only from this module.

import type { ApiError, AppEvent, ImportMode } from '../bindings/types';
import { onEvent } from '../ipc/transport';

export * from '../bindings/types';
export { commands } from '../bindings/commands';

/** The modes a binding can set (an import's state may also be `wired`). */
export type BindingMode = Exclude<ImportMode, 'wired'>;

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

/** A readable message for anything a command rejected with. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return e.detail ? `${e.message}\n${e.detail}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Subscribes to backend events; returns the function that unsubscribes. */
export function subscribeEvents(handler: (event: AppEvent) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  onEvent(handler)
    .then((unsubscribe) => {
      if (stopped) unsubscribe();
      else stop = unsubscribe;
    })
    .catch(() => {
      // No event channel (e.g. the dev server is down): the editor still works.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}
