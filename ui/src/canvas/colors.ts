// A stable colour per WIT package, so the same interface looks the same on
// every node. WASI packages share one family of blues; others spread around
// the wheel, away from that band.

function hash(text: string): number {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The hue (0–359) of a package such as `wasi:http` or `patchbay:kv`; null
 *  for a plain function export, which has no package. */
export function packageHue(pkg: string | null): number | null {
  if (!pkg) return null;
  const h = hash(pkg);
  if (pkg.startsWith('wasi:')) return 205 + (h % 31); // 205–235: blues
  // The rest of the wheel, kept well clear of the WASI blues (165–274), so
  // other packages never read as WASI.
  const spread = h % 250;
  return spread < 165 ? spread : spread + 110;
}

/** The CSS variables a port row uses for its colour. */
export function portStyle(pkg: string | null): Record<string, string> {
  const hue = packageHue(pkg);
  return hue === null ? { '--port-hue': '0', '--port-sat': '0%' } : { '--port-hue': String(hue), '--port-sat': '70%' };
}
