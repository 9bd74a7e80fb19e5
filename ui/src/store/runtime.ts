// What the slices share outside the state: the store's constants, the timers
// and sequence numbers (not UI, so not in the state), the debounced analysis
// and recovery autosave, and `resetRuntime` for tests.

import { commands, isApiError, type RunLimits } from './backend';
import type { GetState } from './types';

export const HISTORY_LIMIT = 200;
export const ANALYZE_DELAY_MS = 150;
export const RECOVERY_DELAY_MS = 2000;
export const WIRE_GLOW_MS = 600;
export const LIVE_EVENT_LIMIT = 300;
export const DEFAULT_LIMITS: RunLimits = { timeoutMs: 5000, maxMemoryMib: 64, fuel: null, maxOutputKib: 256 };

// Timers and sequence numbers live outside the state: they are not UI.
export const rt = {
  analyzeTimer: null as ReturnType<typeof setTimeout> | null,
  recoveryTimer: null as ReturnType<typeof setTimeout> | null,
  analyzeSeq: 0,
  dragSeq: 0,
  focusSeq: 0,
  pasteCount: 0,
  startupPromise: null as Promise<void> | null,
};

export function isCancelled(e: unknown): boolean {
  return isApiError(e) && e.code === 'cancelled';
}

export function scheduleAnalyze(get: GetState): void {
  if (rt.analyzeTimer) clearTimeout(rt.analyzeTimer);
  rt.analyzeTimer = setTimeout(() => {
    rt.analyzeTimer = null;
    void get().analyzeNow();
  }, ANALYZE_DELAY_MS);
}

export function scheduleRecovery(get: GetState): void {
  if (rt.recoveryTimer) clearTimeout(rt.recoveryTimer);
  rt.recoveryTimer = setTimeout(() => {
    rt.recoveryTimer = null;
    const { doc, dirty, recovery } = get();
    // While the recovery prompt is open, the file is the user's to decide on.
    if (!doc || recovery) return;
    // Back at the saved document (undo): nothing is left to recover.
    if (dirty) commands.saveRecovery({ doc }).catch(() => {});
    else commands.discardRecovery({}).catch(() => {});
  }, RECOVERY_DELAY_MS);
}

export function cancelTimers(): void {
  if (rt.analyzeTimer) clearTimeout(rt.analyzeTimer);
  if (rt.recoveryTimer) clearTimeout(rt.recoveryTimer);
  rt.analyzeTimer = null;
  rt.recoveryTimer = null;
}

/** Forgets the start-up open, stale answers and timers (tests). */
export function resetRuntime(): void {
  rt.startupPromise = null;
  rt.analyzeSeq++;
  rt.dragSeq++;
  rt.pasteCount = 0;
  if (rt.analyzeTimer) clearTimeout(rt.analyzeTimer);
  if (rt.recoveryTimer) clearTimeout(rt.recoveryTimer);
  rt.analyzeTimer = null;
  rt.recoveryTimer = null;
}
