// The analysis slice: what the core last said about the document, asked for
// again (debounced, see runtime.ts) after every edit.

import { commands, errorText } from './backend';
import { withCompositeViews } from './inside';
import { rt } from './runtime';
import type { Slice, State, Store } from './types';

type AnalysisState = 'analysis' | 'analysisError' | 'analyzing';
type AnalysisActions = 'analyzeNow';
export type AnalysisSlice = Pick<Store, AnalysisState | AnalysisActions>;

export function analysisInitial(): Pick<State, AnalysisState> {
  return {
    analysis: null,
    analysisError: null,
    analyzing: false,
  };
}

export const createAnalysisSlice: Slice<AnalysisSlice> = (set, get) => ({
  ...analysisInitial(),

  async analyzeNow() {
    const doc = get().doc;
    if (!doc) return;
    const seq = ++rt.analyzeSeq;
    set({ analyzing: true });
    try {
      const analysis = await commands.analyze({ doc });
      if (seq !== rt.analyzeSeq) return;
      set((s) => ({ analysis, analysisError: null, analyzing: false, components: withCompositeViews(s.components, analysis) }));
    } catch (e) {
      if (seq !== rt.analyzeSeq) return;
      // The last analysis no longer holds: the header, the Problems tab and
      // the export say the graph could not be checked, never "No problems".
      set({ analysis: null, analysisError: errorText(e), analyzing: false });
    }
  },
});
