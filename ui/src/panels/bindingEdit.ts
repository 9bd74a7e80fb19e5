/**
 * Pure helpers of the capability panel: new bindings per mode, which grant
 * scopes an interface uses, and mock function keys. The rules a scope entry
 * follows (env names, folders, host:port, canned responses) are the
 * backend's: the panel asks `checkGrantEntry`.
 */
import type { Binding, BindingMode, FakeName, FunctionInfo, Grant, Mock } from '../store/backend';
import { unversioned } from './text';

export type Scope = 'env' | 'dirs' | 'allow' | 'clock' | 'random';
export const ALL_SCOPES: Scope[] = ['env', 'dirs', 'allow', 'clock', 'random'];

export function emptyGrant(): Grant {
  return { env: [], dirs: [], allow: [], clock: null, random: null };
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

/** Grant scopes that matter for an import (all of them for a broad selector). */
export function relevantScopes(importName: string | null): Scope[] {
  if (importName === null) return ALL_SCOPES;
  const name = unversioned(importName);
  if (name === 'wasi:cli/environment') return ['env'];
  if (name.startsWith('wasi:filesystem/')) return ['dirs'];
  if (name.startsWith('wasi:sockets/') || name === 'wasi:http/outgoing-handler') return ['allow'];
  if (name.startsWith('wasi:clocks/')) return ['clock'];
  if (name.startsWith('wasi:random/')) return ['random'];
  return [];
}

/** Seeds and fixed clock times are u64. */
export function checkU64(text: string): string | null {
  if (!/^[0-9]+$/.test(text.trim())) return 'a whole number';
  if (BigInt(text.trim()) > 2n ** 64n - 1n) return 'too large for u64';
  return null;
}

/**
 * The name a mock's `functions` table uses: plain for freestanding
 * functions, `book.balance` for resource methods and statics,
 * `book.constructor` for constructors.
 */
export function mockFunctionKey(fn: FunctionInfo): string {
  if (!fn.resource) return fn.name;
  if (fn.kind === 'constructor') return `${fn.resource}.constructor`;
  return `${fn.resource}.${fn.name}`;
}
