// The save slice: saving, the recovery file (autosaved in runtime.ts) and
// its Recover / Discard prompt, and the confirm dialog before closing or
// opening over unsaved changes.

import { commands, errorText } from './backend';
import { baseName, dirName } from './doc';
import { projectOps } from './projectSlice';
import { cancelTimers, isCancelled, rt } from './runtime';
import type { Slice, State, Store } from './types';

type SaveState = 'recovery' | 'confirm';
type SaveActions = 'save' | 'recover' | 'discardRecovery' | 'requestClose' | 'resolveConfirm';
export type SaveSlice = Pick<Store, SaveState | SaveActions>;

export function saveInitial(): Pick<State, SaveState> {
  return {
    recovery: null,
    confirm: null,
  };
}

export const createSaveSlice: Slice<SaveSlice> = (set, get) => {
  const { openNow, openSampleNow } = projectOps(set, get);

  return {
    ...saveInitial(),

    async save(saveAs) {
      const doc = get().doc;
      if (!doc) return false;
      try {
        const saved = await commands.save({ doc, saveAs });
        // The saved document may differ (paths rebased by Save As, hashes
        // updated); it replaces ours unless we edited meanwhile.
        if (get().doc === doc) set({ doc: saved.doc, savedDoc: saved.doc, dirty: false });
        else set({ savedDoc: saved.doc, dirty: true });
        set({ project: { path: saved.path, dir: dirName(saved.path) } });
        if (rt.recoveryTimer) clearTimeout(rt.recoveryTimer);
        rt.recoveryTimer = null;
        get().toast(`Saved ${baseName(saved.path)}`, 'success');
        return true;
      } catch (e) {
        if (!isCancelled(e)) get().toast(errorText(e), 'error');
        return false;
      }
    },

    recover() {
      const recovered = get().recovery;
      if (!recovered) return;
      // The components as they load now, those added before the crash
      // included; the analysis that follows reports any that cannot be
      // opened, with its fixes in the Problems tab.
      set((s) => {
        const components = { ...s.components };
        for (const v of recovered.components) components[v.id] = v;
        return { recovery: null, components };
      });
      get().updateDoc('Recover unsaved changes', () => recovered.doc);
      const broken = recovered.components.filter((v) => v.error).map((v) => v.id);
      if (broken.length) {
        get().setBottomTab('problems');
        get().setStatus({
          text: `Recovered, but ${broken.join(', ')} cannot be opened: locate the file or remove ${broken.length === 1 ? 'it' : 'them'} (Problems tab)`,
          kind: 'error',
        });
      }
    },

    async discardRecovery() {
      set({ recovery: null });
      try {
        await commands.discardRecovery({});
      } catch (e) {
        get().toast(errorText(e), 'error');
      }
    },

    requestClose() {
      if (get().dirty) set({ confirm: { reason: 'close' } });
      else commands.closeWindow({}).catch((e) => get().toast(errorText(e), 'error'));
    },

    async resolveConfirm(choice) {
      const confirm = get().confirm;
      if (!confirm) return;
      set({ confirm: null });
      if (choice === 'cancel') return;
      if (choice === 'save' && !(await get().save(false))) return;
      if (confirm.reason === 'close') {
        cancelTimers();
        try {
          if (choice === 'discard') await commands.discardRecovery({});
          await commands.closeWindow({});
        } catch (e) {
          get().toast(errorText(e), 'error');
        }
      } else {
        if (choice === 'discard') await commands.discardRecovery({}).catch(() => {});
        if (confirm.sample) await openSampleNow(confirm.sample);
        else await openNow(confirm.path);
      }
    },
  };
};
