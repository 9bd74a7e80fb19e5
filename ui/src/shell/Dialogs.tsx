// The recovery prompt (unsaved changes autosaved earlier), the "save
// before closing / opening another project?" confirmation, and the choice
// when patchbay.toml changed on disk while the editor has unsaved changes.

import { baseName, useStore } from '../store';
import { Dialog } from './Dialog';

export function RecoveryPrompt() {
  const recovery = useStore((s) => s.recovery);
  const recover = useStore((s) => s.recover);
  const discard = useStore((s) => s.discardRecovery);
  if (!recovery) return null;
  const when = new Date(recovery.savedAtMs).toLocaleString();
  const doc = recovery.doc;
  return (
    <Dialog
      role="alertdialog"
      title={`Recover unsaved changes from ${when}?`}
      actions={
        <>
          <button type="button" className="pb-btn pb-btn--primary" onClick={recover}>
            Recover
          </button>
          <button type="button" className="pb-btn" onClick={() => void discard()}>
            Discard
          </button>
        </>
      }
    >
      <p>
        Patchbay kept changes to <strong>{doc.name}</strong> that were never saved: {doc.nodes.length} node
        {doc.nodes.length === 1 ? '' : 's'}, {doc.wires.length} wire{doc.wires.length === 1 ? '' : 's'},{' '}
        {doc.bindings.length} binding{doc.bindings.length === 1 ? '' : 's'}.
      </p>
      <p className="pb-muted">Recover puts them on the canvas (unsaved; Undo returns to the file). Discard deletes them.</p>
    </Dialog>
  );
}

export function ConfirmDialog() {
  const confirm = useStore((s) => s.confirm);
  const name = useStore((s) => s.doc?.name ?? 'this project');
  const resolve = useStore((s) => s.resolveConfirm);
  if (!confirm) return null;
  const title =
    confirm.reason === 'close'
      ? `Save changes to ${name} before closing?`
      : `Save changes to ${name} before opening another project?`;
  return (
    <Dialog
      role="alertdialog"
      title={title}
      onEscape={() => void resolve('cancel')}
      actions={
        <>
          <button type="button" className="pb-btn pb-btn--primary" onClick={() => void resolve('save')}>
            Save
          </button>
          <button type="button" className="pb-btn pb-btn--danger" onClick={() => void resolve('discard')}>
            Discard
          </button>
          <button type="button" className="pb-btn" onClick={() => void resolve('cancel')}>
            Cancel
          </button>
        </>
      }
    >
      <p>Your changes will be lost if you don’t save them.</p>
    </Dialog>
  );
}

/** patchbay.toml changed outside the app while the editor has unsaved
 *  changes: neither side is dropped without the user saying so. */
export function DiskChangeDialog() {
  const change = useStore((s) => s.diskChange);
  const resolve = useStore((s) => s.resolveDiskChange);
  if (!change) return null;
  const file = baseName(change.path);
  return (
    <Dialog
      role="alertdialog"
      title={`${file} changed on disk`}
      actions={
        <>
          <button type="button" className="pb-btn pb-btn--danger" onClick={() => resolve('reload')}>
            Reload from disk
          </button>
          <button type="button" className="pb-btn pb-btn--primary" onClick={() => resolve('keep')}>
            Keep my changes
          </button>
        </>
      }
    >
      <p>
        <code>{change.path}</code> was edited outside Patchbay, and the editor has changes that are not saved.
      </p>
      <p className="pb-muted">
        Reload from disk drops the editor’s changes. Keep my changes leaves the canvas as it is; the next save
        overwrites the file.
      </p>
    </Dialog>
  );
}
