/** The grant editors' live check of one scope entry, asked of the backend. */
import { useRef, useState } from 'react';
import { commands, type GrantEntry } from '../store/backend';

/**
 * A rule of the document asked of the backend (`checkGrantEntry`) while
 * someone types: the answer is kept per entry, so the editors' synchronous
 * `validate` reads it; an entry still being asked about passes for now
 * (analysis and save apply the same rule to the document).
 */
export function useGrantEntryCheck(): (entry: GrantEntry) => string | null {
  const [verdicts, setVerdicts] = useState<Record<string, string | null>>({});
  const asked = useRef(new Set<string>());
  return (entry) => {
    const key = JSON.stringify(entry);
    if (key in verdicts) return verdicts[key];
    if (!asked.current.has(key)) {
      asked.current.add(key);
      commands.checkGrantEntry({ entry }).then(
        (v) => setVerdicts((m) => ({ ...m, [key]: v.ok ? null : (v.reason ?? 'refused') })),
        () => asked.current.delete(key),
      );
    }
    return null;
  };
}
