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

/** Characters of an 11 px monospace label that surely fit in `px` pixels:
 *  the estimate used before the row is laid out (and where nothing can be
 *  measured), on the wide side of an 11 px monospace glyph (6.6–6.7 px). */
export function charsIn(px: number): number {
  return Math.max(8, Math.floor(px / 7));
}

/** The longest middle elision of `text` (see `elideMiddle`) whose width, as
 *  `measure` gives it, fits in `px` pixels; the whole text when it fits. So
 *  the label is cut once, in the middle, and CSS never cuts its end again. */
export function fitMiddle(text: string, px: number, measure: (s: string) => number): string {
  if (measure(text) <= px) return text;
  for (let max = text.length - 1; max > 2; max--) {
    const cut = elideMiddle(text, max);
    if (measure(cut) <= px) return cut;
  }
  return elideMiddle(text, 2);
}

const contexts = new Map<string, CanvasRenderingContext2D | null>();

/** Measures text in the font `el` is drawn with (a canvas's `measureText`,
 *  one context per font), or null where nothing can be measured (no canvas,
 *  as in unit tests). */
export function textMeasurer(el: Element): ((s: string) => number) | null {
  const st = getComputedStyle(el);
  const font = `${st.fontStyle} ${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
  let ctx = contexts.get(font);
  if (ctx === undefined) {
    try {
      ctx = document.createElement('canvas').getContext('2d');
    } catch {
      ctx = null;
    }
    if (ctx) ctx.font = font;
    contexts.set(font, ctx);
  }
  const c = ctx;
  return c ? (s) => c.measureText(s).width : null;
}

/** The room a flex label row leaves its name: the label's width less its
 *  other children and the gaps between them (0 before layout). */
export function roomForName(label: HTMLElement, name: HTMLElement): number {
  const kids = Array.from(label.children) as HTMLElement[];
  if (!label.clientWidth) return 0;
  const gap = parseFloat(getComputedStyle(label).columnGap) || 0;
  const others = kids.filter((k) => k !== name).reduce((w, k) => w + k.offsetWidth, 0);
  return label.clientWidth - others - gap * (kids.length - 1);
}

/** The scope of a grant in short form, for the badge of an import whose
 *  grant scopes (from the backend's `ImportState.scopes`) are `scopes`:
 *  `env: GREETING`, `/data ro`, `127.0.0.1:8080`, `clock 2023-…`,
 *  `data/kv.redb · buckets: default`, `config: greeting · APP_*`; '' when
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
      case 'store':
        parts.push(grant.store ? grant.store : 'no store');
        break;
      case 'buckets':
        if (grant.store) parts.push(grant.buckets.length ? `buckets: ${grant.buckets.join(', ')}` : 'no buckets');
        break;
      case 'config':
        if (grant.config.length) parts.push(`config: ${grant.config.map((c) => c.key).join(', ')}`);
        break;
      case 'config-prefix':
        if (grant.configPrefix) parts.push(`${grant.configPrefix}*`);
        break;
    }
  }
  return parts.join(' · ');
}
