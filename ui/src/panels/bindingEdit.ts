/**
 * Pure helpers of the capability panel: new bindings per mode and u64
 * entry checks. The rules are the backend's: which grant scopes an import
 * uses comes with the analysis (`ImportState.scopes`), a function's mock key
 * with its ports (`FunctionInfo.key`), the fakes from `fakes`, and what a
 * scope entry may be from `checkGrantEntry`.
 */
import type { Binding, BindingMode, FakeName, Grant, GrantScope, Mock } from '../store/backend';

/** Every grant scope (the backend's `GrantScope` union) with its title. */
export const SCOPE_TITLES: Record<GrantScope, string> = {
  env: 'Environment variables',
  dirs: 'Folders',
  allow: 'Network allow-list',
  clock: 'Clock',
  random: 'Random',
  store: 'Key-value database file',
  buckets: 'Key-value buckets',
  config: 'Config values',
  'config-prefix': 'Config from environment',
};

/** Every scope, for a broad selector's grant. */
export const ALL_SCOPES = Object.keys(SCOPE_TITLES) as GrantScope[];

export function emptyGrant(): Grant {
  return { env: [], dirs: [], allow: [], clock: null, random: null, store: null, buckets: [], config: [], configPrefix: null };
}

export function emptyMock(): Mock {
  return { fake: null, functions: [], values: [], responses: [] };
}

/**
 * The binding written when someone picks `mode`; keeps the scopes or mock
 * of `current` when it already has that mode (e.g. inherited from `*.wasi:*`).
 * A new mock uses `fake`: the first fake the backend says can serve the
 * import (`importFakes`), so the mock answers at once.
 */
export function bindingForMode(mode: BindingMode, current: Binding | null, fake: FakeName | null = null): Binding {
  if (current && current.mode === mode) return current;
  switch (mode) {
    case 'leave':
      return { mode: 'leave' };
    case 'deny':
      return { mode: 'deny' };
    case 'grant':
      return { mode: 'grant', ...emptyGrant() };
    case 'mock':
      return { mode: 'mock', ...emptyMock(), fake };
  }
}

/** Seeds and fixed clock times are u64. */
export function checkU64(text: string): string | null {
  if (!/^[0-9]+$/.test(text.trim())) return 'a whole number';
  if (BigInt(text.trim()) > 2n ** 64n - 1n) return 'too large for u64';
  return null;
}
