import type { FunctionInfo } from '../store';

/** `wasi:http/outgoing-handler@0.2.6` → name and version apart. */
export function splitPortName(name: string): { base: string; version: string | null } {
  const at = name.lastIndexOf('@');
  return at > 0 ? { base: name.slice(0, at), version: name.slice(at + 1) } : { base: name, version: null };
}

/** A function's signature, prefixed with its resource for methods. */
export function functionLine(f: FunctionInfo): string {
  return f.resource && !f.signature.startsWith(`${f.resource}.`) ? `${f.resource}.${f.signature}` : f.signature;
}
