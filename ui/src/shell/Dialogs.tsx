// The recovery prompt (unsaved changes autosaved earlier), the "save
// before closing / opening another project?" confirmation, and the choice
// when patchbay.toml changed on disk while the editor has unsaved changes;
// and *New project*.

import { useState } from 'react';
import { baseName, useStore } from '../store';
import { Dialog } from './Dialog';
import { MOD } from './platform';
import '../canvas/menus.css';

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

/** *New project*: a name, then a folder (the native folder dialog), or the
 *  folder the user opened that holds no project. The project file is
 *  written and opened by the backend, which says why when it cannot. */
export function NewProjectDialog() {
  const request = useStore((s) => s.newProject);
  if (!request) return null;
  return <NewProjectForm dir={request.dir} />;
}

function NewProjectForm({ dir }: { dir: string | null }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const dirty = useStore((s) => s.dirty);
  const current = useStore((s) => s.doc?.name ?? null);
  const close = () => useStore.getState().setNewProject(null);
  const create = async () => {
    setBusy(true);
    const made = await useStore.getState().createProject(name, dir);
    setBusy(false);
    if (made) close();
  };
  return (
    <Dialog
      title={dir ? `New project in ${baseName(dir)}` : 'New project'}
      onEscape={close}
      actions={
        <>
          <button type="button" className="pb-btn pb-btn--primary" disabled={busy} onClick={() => void create()}>
            {busy ? 'Creating…' : dir ? 'Create project' : 'Choose folder and create…'}
          </button>
          <button type="button" className="pb-btn" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className="pb-field">
          <span>Name</span>
          <input
            className="pb-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={dir ? baseName(dir) : 'named after the folder'}
            aria-label="Project name"
          />
        </label>
      </form>
      <p className="pb-muted">
        {dir ? (
          <>
            Writes an empty <code>patchbay.toml</code> into <code>{dir}</code>.
          </>
        ) : (
          <>
            Pick a folder next: an empty <code>patchbay.toml</code> is written there (a folder that already holds one
            is refused).
          </>
        )}{' '}
        Then add components from files or the samples.
      </p>
      {dirty && current && (
        <p className="pb-warning" role="note">
          {current} has unsaved changes; they are dropped when the new project opens. Save first ({MOD}S) to keep them.
        </p>
      )}
    </Dialog>
  );
}
