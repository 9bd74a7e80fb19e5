// Where the run form starts for a function: the arguments remembered for
// it (per node, export and function; see the run slice's `runArgs`) when
// its signature is still the one they were typed for, else the defaults,
// with a note saying why they were dropped.

import type { SavedArgs } from '../store/runHistory';
import { formatArgs } from '../wave/format';
import { defaultArgs, readArgsText } from '../wave/form';
import type { TypeShape, WaveValue } from '../wave/shape';

export type Start = { values: WaveValue[] | null; mode: 'form' | 'wave'; waveText: string; notice: string | null };

/** What the form starts with: the remembered arguments when the signature
 *  is the one they were typed for, else the defaults. */
export function startingArgs(
  shapes: TypeShape[],
  signature: string,
  saved: SavedArgs | undefined,
): Start {
  const defaults = defaultArgs(shapes);
  const fresh: Start = 'values' in defaults
    ? { values: defaults.values, mode: 'form', waveText: formatArgs(shapes, defaults.values), notice: null }
    : { values: null, mode: 'wave', waveText: '', notice: null };
  if (!saved) return fresh;
  if (saved.signature !== signature) {
    return {
      ...fresh,
      notice: `The signature changed (it was \`${saved.signature}\`), so the arguments typed for it were dropped.`,
    };
  }
  const parsed = readArgsText(shapes, saved.text);
  if (saved.mode === 'form' && 'values' in parsed) {
    return { values: parsed.values, mode: 'form', waveText: saved.text, notice: null };
  }
  return { values: 'values' in parsed ? parsed.values : fresh.values, mode: 'wave', waveText: saved.text, notice: null };
}

