// Fuzzy matching for the search palette: the query's characters in order,
// scored higher when they are consecutive, start words, or start the text.

const BOUNDARY = /[\s:/.@#_-]/;

/** A score (higher is better) and the matched positions, or null. A match
 *  whose characters land mid-word too far apart (more skipped characters
 *  than twice the query's length) is no match. */
export function fuzzyMatch(query: string, text: string): { score: number; positions: number[] } | null {
  const q = query.trim().toLowerCase();
  if (!q) return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // A plain substring is the best kind of match.
  const at = t.indexOf(q);
  if (at >= 0) {
    const start = at === 0 || BOUNDARY.test(t[at - 1]);
    return {
      score: 1000 - at + (start ? 200 : 0) + (q.length === t.length ? 300 : 0),
      positions: Array.from({ length: q.length }, (_, i) => at + i),
    };
  }
  const positions: number[] = [];
  let score = 0;
  let skipped = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    const wordStart = found === 0 || BOUNDARY.test(t[found - 1]);
    // Jumping to the start of a word is how initials match ("hr" in
    // handle-request); only jumps into the middle of words count as scatter.
    if (prev >= 0 && !wordStart) skipped += found - prev - 1;
    if (found === prev + 1) score += 15;
    if (wordStart) score += 10;
    score -= Math.min(found - ti, 10);
    positions.push(found);
    prev = found;
    ti = found + 1;
  }
  if (skipped > 2 * q.length) return null;
  return { score, positions };
}

/** Something the search lists: `run` is what Enter does. */
export type FuzzyItem = { key: string; kind: string; label: string; detail: string; run: () => void };

const LIMIT = 60;

/** The items matching `query`, best first (all, in order, for an empty
 *  query); `weight` ranks kinds against each other. */
export function rank<T extends FuzzyItem>(items: T[], query: string, weight: (item: T) => number = () => 0) {
  const scored: { item: T; score: number; positions: number[] }[] = [];
  for (const item of items) {
    const m = fuzzyMatch(query, item.label) ?? fuzzyMatch(query, `${item.label} ${item.detail}`);
    if (!m) continue;
    scored.push({ item, score: m.score + weight(item), positions: m.positions.filter((p) => p < item.label.length) });
  }
  if (query.trim()) scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, LIMIT);
}
