// What the run panel's session bar shows, as text: ages and sizes.

/** How long after an edit the panel asks whether it ended the session. */
export const SESSION_STATUS_DELAY_MS = 300;

/** `850 ms`, `12 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** `64 KiB`, `1.1 MiB`, `2.0 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1 << 20) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1 << 30) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  return `${(bytes / (1 << 30)).toFixed(1)} GiB`;
}
