import type { FunctionInfo, Grant, GrantScope } from '../store';

/** `wasi:http/outgoing-handler@0.2.6` → name and version apart. */
export function splitPortName(name: string): { base: string; version: string | null } {
  const at = name.lastIndexOf('@');
  return at > 0 ? { base: name.slice(0, at), version: name.slice(at + 1) } : { base: name, version: null };
}

/** A function's signature, prefixed with its resource for methods. */
export function functionLine(f: FunctionInfo): string {
  return f.resource && !f.signature.startsWith(`${f.resource}.`) ? `${f.resource}.${f.signature}` : f.signature;
}

/** `text` cut in the middle to at most `max` characters, keeping the
 *  package (`wasi:http/`) and the end of the interface:
 *  `wasi:http/outgoing-handler` → `wasi:http/…-handler`. */
export function elideMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const slash = text.indexOf('/');
  // Keep the package when it leaves room for a few characters of the rest.
  const head = slash > 0 && slash + 1 <= max - 5 ? slash + 1 : Math.ceil((max - 1) / 2);
  const tail = Math.max(1, max - head - 1);
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** Characters of an 11 px monospace label that fit in `px` pixels. */
export function charsIn(px: number): number {
  return Math.max(8, Math.floor(px / 6.7));
}

/** The scope of a grant in short form, for the badge of an import whose
 *  grant scopes (from the backend's `ImportState.scopes`) are `scopes`:
 *  `env: GREETING`, `/data ro`, `127.0.0.1:8080`, `clock 2023-…`; '' when
 *  the grant gives this import nothing to show. */
export function grantScopeText(scopes: readonly GrantScope[], grant: Grant): string {
  const parts: string[] = [];
  for (const scope of scopes) {
    switch (scope) {
      case 'env':
        parts.push(grant.env.length ? `env: ${grant.env.join(', ')}` : 'env: none');
        break;
      case 'dirs':
        parts.push(grant.dirs.length ? grant.dirs.map((d) => `${d.guest} ${d.writable ? 'rw' : 'ro'}`).join(', ') : 'no folders');
        break;
      case 'allow':
        parts.push(grant.allow.length ? grant.allow.join(', ') : 'no hosts');
        break;
      case 'clock':
        if (grant.clock?.kind === 'fixed') parts.push(`clock ${new Date(grant.clock.unixMs).toISOString().slice(0, 19)}Z`);
        break;
      case 'random':
        if (grant.random?.kind === 'seeded') parts.push(`seed ${grant.random.seed}`);
        break;
    }
  }
  return parts.join(' · ');
}
