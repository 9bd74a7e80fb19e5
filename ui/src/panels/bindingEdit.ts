/**
 * Pure helpers of the capability panel: new bindings per mode, which grant
 * scopes an interface uses, the checks the backend applies to scopes (so an
 * invalid scope is never written to the document), and mock function keys.
 */
import type { Binding, BindingMode, FunctionInfo, Grant, Mock } from '../store/backend';
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
 */
export function bindingForMode(mode: BindingMode, current: Binding | null): Binding {
  if (current && current.mode === mode) return current;
  switch (mode) {
    case 'leave':
      return { mode: 'leave' };
    case 'deny':
      return { mode: 'deny' };
    case 'grant':
      return { mode: 'grant', ...emptyGrant() };
    case 'mock':
      return { mode: 'mock', ...emptyMock() };
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

/** `host:port` as the backend reads it (IPv6 in brackets), or why not. */
export function checkHostPort(text: string): string | null {
  const bad = `not host:port (for example 127.0.0.1:8080)`;
  const colon = text.lastIndexOf(':');
  if (colon < 0) return bad;
  let host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '' || /\s/.test(host)) return bad;
  if (!/^[0-9]+$/.test(port) || Number(port) > 65535) return `port must be 0 to 65535`;
  return null;
}

/** An environment variable name. */
export function checkEnvName(text: string): string | null {
  if (/\s|=/.test(text)) return 'no spaces or `=` in a variable name';
  return null;
}

/** A canned HTTP response `STATUS BODY`, or why not. */
export function checkResponse(text: string): string | null {
  const space = text.indexOf(' ');
  const status = space < 0 ? text : text.slice(0, space);
  if (!/^[0-9]+$/.test(status) || Number(status) < 100 || Number(status) > 599) {
    return 'start with an HTTP status from 100 to 599, like `200 hello`';
  }
  return null;
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
