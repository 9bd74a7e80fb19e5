// The recovery prompt (unsaved changes autosaved earlier), the "save
// before closing / opening another project?" confirmation, and the choice
// when patchbay.toml changed on disk while the editor has unsaved changes;
// *New project*, and the import of a `.wac` recipe or a composed binary.

import { useEffect, useState } from 'react';
import { baseName, useStore } from '../store';
import { commands, errorText, type ImportPlan, type PackageFile } from '../store/backend';
import { isCancelled } from '../store/runtime';
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

/** *Open* of a `.wac` recipe or a component binary: where the new project
 *  goes (a new folder beside the file unless another is picked) and, for a
 *  recipe, the file of each package not found beside it. The backend plans,
 *  picks (native dialogs), imports and opens. */
export function ImportDialog() {
  const file = useStore((s) => s.importing);
  if (!file) return null;
  return <ImportForm key={file} file={file} />;
}

function ImportForm({ file }: { file: string }) {
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [output, setOutput] = useState<string | null>(null);
  const [deps, setDeps] = useState<PackageFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = useStore((s) => s.dirty);
  const current = useStore((s) => s.doc?.name ?? null);
  const close = () => useStore.getState().setImporting(null);

  useEffect(() => {
    let live = true;
    commands
      .importPlan({ file, deps })
      .then((p) => {
        if (!live) return;
        setPlan(p);
        setError(null);
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [file, deps]);

  const pick = async (pkg: string | null) => {
    try {
      const path = await commands.importPick({ file, package: pkg });
      if (pkg === null) setOutput(path);
      else setDeps((d) => [...d.filter((x) => x.name !== pkg), { name: pkg, path }]);
    } catch (e) {
      if (!isCancelled(e)) setError(errorText(e));
    }
  };
  const missing = plan?.missingPackages ?? [];
  const target = output ?? plan?.output ?? null;
  const run = async () => {
    if (!target) return;
    setBusy(true);
    const done = await useStore.getState().importProject(file, target, deps);
    setBusy(false);
    if (done) close();
  };
  const what = plan?.kind === 'wac' ? 'recipe' : 'component binary';
  return (
    <Dialog
      title={`Import ${baseName(file)} as a project`}
      onEscape={close}
      actions={
        <>
          <button
            type="button"
            className="pb-btn pb-btn--primary"
            disabled={busy || !plan || !target || missing.length > 0}
            onClick={() => void run()}
          >
            {busy ? 'Importing…' : 'Import and open'}
          </button>
          <button type="button" className="pb-btn" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <p>
        <code>{file}</code> is a {plan ? what : 'file'}, not a project.{' '}
        {plan?.kind === 'wac'
          ? 'Its instances become nodes, its arguments wires and its exports exports.'
          : 'Its embedded components are extracted beside the new project; its instances become nodes, its instantiation arguments wires and its exports exports.'}
      </p>
      <div className="pb-field" data-testid="import-output">
        <span>Project folder</span>
        <code>{target ?? '…'}</code>
        <button type="button" className="pb-btn" onClick={() => void pick(null)}>
          Choose folder…
        </button>
      </div>
      {deps.map((d) => (
        <p key={d.name} className="pb-muted">
          Package <code>{d.name}</code>: <code>{d.path}</code>
        </p>
      ))}
      {missing.map((name) => (
        <div key={name} className="pb-warning" role="note" data-testid="import-missing">
          The recipe needs package <code>{name}</code>, which is not beside it (<code>deps/…</code> or{' '}
          <code>{name.split(':').pop()}.wasm</code>).{' '}
          <button type="button" className="pb-btn" onClick={() => void pick(name)}>
            Choose the file of {name}…
          </button>
        </div>
      ))}
      {error && (
        <pre className="pb-open-failure__detail" role="alert">
          {error}
        </pre>
      )}
      {dirty && current && (
        <p className="pb-warning" role="note">
          {current} has unsaved changes; they are dropped when the imported project opens. Save first ({MOD}S) to keep
          them.
        </p>
      )}
    </Dialog>
  );
}
