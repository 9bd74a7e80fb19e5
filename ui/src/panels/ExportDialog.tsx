/**
 * Export the composed component, its `.wac` recipe and its WIT, sealed
 * (denials and mocks composed in as stub components, the default) or open
 * (every binding left to whoever runs it). Before anything is written it
 * shows, for each variant, the attack surface (every import the artifact
 * would have, decoded by the backend from its bytes, with the nodes that
 * reach the host through it), the stubs sealed in, and the bindings that
 * cannot be sealed with their reasons. Its Deploy section adds targets
 * to the same export: `spin.toml` and `wadm.yaml` beside the artifact, and
 * a push to an OCI registry (credentials for that push only, kept in this
 * dialog and never saved); after export each target's outcome is listed.
 * Nothing here decides a rule: all of it comes from `exportPreview` and
 * `exportArtifacts`.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../store';
import {
  commands,
  errorText,
  isApiError,
  type DeployTarget,
  type DeployTargets,
  type Exported,
  type ExportPreview,
  type ExportVariant,
  type StubKind,
  type TargetOutcome,
  type VariantPreview,
} from '../store/backend';
import { CopyButton, Spinner } from './common';
import { explainImport, formatBytes } from './text';
import './ExportDialog.css';

type Phase =
  | { kind: 'loading' }
  | { kind: 'preview'; preview: ExportPreview }
  | { kind: 'failed'; message: string };

export function ExportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  if (!open) return null;
  return <ExportDialogBody onClose={onClose} />;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The size of `a` against `b`: `+1.2 KiB` / `−300 B` / `same size`. */
function sizeDelta(a: number, b: number): string {
  if (a === b) return 'same size';
  return `${a > b ? '+' : '−'}${formatBytes(Math.abs(a - b))}`;
}

const LABEL: Record<ExportVariant, string> = { sealed: 'Sealed', open: 'Open' };

const TARGET_LABEL: Record<DeployTarget, string> = { spin: 'Spin', wadm: 'wasmCloud (wadm)', oci: 'OCI registry' };

/** What the Deploy section holds while the dialog is open (the password
 * too: it lives here only, and goes with this one request). */
type DeployForm = {
  spin: boolean;
  wadm: boolean;
  reference: string;
  insecure: boolean;
  username: string;
  password: string;
};

const NO_DEPLOY: DeployForm = { spin: false, wadm: false, reference: '', insecure: false, username: '', password: '' };

/** The request's targets: a push only with a reference, credentials only
 * when typed (else the docker config's). */
function deployTargets(form: DeployForm, spinRefused: string | null): DeployTargets {
  const reference = form.reference.trim();
  return {
    spin: form.spin && !spinRefused,
    wadm: form.wadm,
    oci: reference
      ? {
          reference,
          insecure: form.insecure,
          username: form.username.trim() || null,
          password: form.password || null,
        }
      : null,
  };
}

function ExportDialogBody({ onClose }: { onClose: () => void }) {
  const doc = useStore((s) => s.doc);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [variant, setVariant] = useState<ExportVariant>('sealed');
  const [writing, setWriting] = useState(false);
  const [written, setWritten] = useState<Exported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deploy, setDeploy] = useState<DeployForm>(NO_DEPLOY);
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (!doc) return;
    let live = true;
    commands.exportPreview({ doc }).then(
      (preview) => {
        if (!live) return;
        // Sealed is the default; when the project cannot be sealed, open.
        if (!preview.sealed) setVariant('open');
        setPhase({ kind: 'preview', preview });
      },
      (e) => live && setPhase({ kind: 'failed', message: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [doc]);

  // Focus moves into the dialog and back where it was when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => before?.focus?.();
  }, []);

  // Escape closes the dialog wherever focus is (a button that was clicked
  // and disabled while writing leaves focus on the page body).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      e.stopPropagation();
      onClose();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  const exportTo = async (chooseDir: boolean) => {
    if (!doc || phase.kind !== 'preview') return;
    setWriting(true);
    setError(null);
    try {
      const targets = deployTargets(deploy, phase.preview.spinRefused);
      const result = await commands.exportArtifacts({ doc, dir: null, chooseDir, variant, targets });
      // The dialog's own Written section says what was written; a toast
      // would only cover its buttons.
      setWritten(result);
    } catch (e) {
      if (!(isApiError(e) && e.code === 'cancelled')) setError(errorText(e));
    } finally {
      setWriting(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !dialog.current) return;
    // Keep Tab inside the dialog.
    const focusable = [
      ...dialog.current.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input:not([disabled]), [tabindex="0"]'),
    ];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const preview = phase.kind === 'preview' ? phase.preview : null;
  const chosen: VariantPreview | null = preview ? (variant === 'sealed' ? preview.sealed : preview.open) : null;

  return (
    <div className="pbp-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        className="pbp-dialog pbp-export"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="pbp-dialog-head">
          <h2 id={titleId}>Export composed component</h2>
          <button type="button" className="pbp-btn pbp-btn-ghost" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="pbp-export-body">
          {phase.kind === 'loading' && (
            <div className="pbp-row">
              <Spinner label="Composing" /> Composing…
            </div>
          )}
          {phase.kind === 'failed' && (
            <div className="pbp-error-box" role="alert">
              Cannot export: {phase.message}
            </div>
          )}
          {preview && (
            <>
              <VariantChoice preview={preview} variant={variant} onChange={setVariant} disabled={writing} />
              {chosen && variant === 'sealed' && <NotSealed item={chosen} />}
              {chosen && variant === 'sealed' && <Stubs item={chosen} />}
              {chosen && <Surface item={chosen} />}
              <section aria-labelledby="pbp-export-files">
                <h3 id="pbp-export-files">Files</h3>
                <dl className="pbp-facts">
                  <dt>Folder</dt>
                  <dd>
                    <code>{preview.dir}</code>
                  </dd>
                  <dt>Component</dt>
                  <dd>
                    <code>{baseName(preview.wasm)}</code>{' '}
                    {chosen && <span className="pbp-muted">{formatBytes(chosen.size)}</span>}
                  </dd>
                  <dt>Recipe</dt>
                  <dd>
                    <code>{baseName(preview.wac)}</code>
                  </dd>
                  <dt>WIT</dt>
                  <dd>
                    <code>{baseName(preview.wit)}</code>
                  </dd>
                  {chosen && chosen.stubs.length > 0 && (
                    <>
                      <dt>Stubs</dt>
                      <dd>
                        <code>stubs/</code> <span className="pbp-muted">{plural(chosen.stubs.length, 'component')}</span>
                      </dd>
                    </>
                  )}
                </dl>
              </section>
              <Deploy
                form={deploy}
                onChange={setDeploy}
                spinRefused={preview.spinRefused}
                disabled={writing}
              />
              {written && <Written written={written} />}
              {error && (
                <div className="pbp-error-box" role="alert">
                  {error}
                </div>
              )}
            </>
          )}
        </div>
        <div className="pbp-dialog-actions">
          {writing && <Spinner label={deploy.reference.trim() ? 'Writing and pushing' : 'Writing'} />}
          <button
            type="button"
            className="pbp-btn"
            disabled={!chosen || writing}
            onClick={() => void exportTo(true)}
          >
            Choose folder…
          </button>
          <button
            type="button"
            className="pbp-btn pbp-btn-primary"
            disabled={!chosen || writing}
            onClick={() => void exportTo(false)}
          >
            {written ? 'Export again' : 'Export'}
          </button>
          <button type="button" className="pbp-btn" onClick={onClose}>
            {written ? 'Done' : 'Cancel'}
          </button>
        </div>
      </div>
    </div>
  );
}

function VariantChoice({
  preview,
  variant,
  onChange,
  disabled,
}: {
  preview: ExportPreview;
  variant: ExportVariant;
  onChange: (v: ExportVariant) => void;
  disabled: boolean;
}) {
  const name = useId();
  const { sealed, open } = preview;
  const option = (v: ExportVariant, item: VariantPreview | null, text: string) => (
    <label className={`pbp-export-variant${variant === v ? ' pbp-export-variant--on' : ''}`} data-variant={v}>
      <input
        type="radio"
        name={name}
        value={v}
        checked={variant === v}
        disabled={disabled || !item}
        onChange={() => onChange(v)}
      />
      <span className="pbp-export-variant-text">
        <strong>{LABEL[v]}</strong>
        <span className="pbp-muted">{text}</span>
        {item && (
          <span className="pbp-export-variant-facts" data-testid={`export-facts-${v}`}>
            {plural(item.surface.length, 'import')} · {formatBytes(item.size)}
            {v === 'sealed' && sealed && ` (${sizeDelta(sealed.size, open.size)} against open)`}
            {v === 'sealed' && sealed && sealed.stubs.length > 0 && ` · ${plural(sealed.stubs.length, 'stub')}`}
          </span>
        )}
      </span>
    </label>
  );
  return (
    <fieldset className="pbp-export-variants">
      <legend>Artifact</legend>
      {option(
        'sealed',
        sealed,
        'Denials and mocks are composed in as stub components: the sandbox goes with the file.',
      )}
      {!sealed && preview.sealedError && (
        <div className="pbp-error-box" role="alert">
          Cannot seal: {preview.sealedError}
        </div>
      )}
      {option('open', open, 'No binding is baked in: whoever runs the file decides what each import gets.')}
    </fieldset>
  );
}

function NotSealed({ item }: { item: VariantPreview }) {
  if (item.notSealed.length === 0) return null;
  return (
    <section className="pbp-export-not-sealed" aria-labelledby="pbp-export-not-sealed">
      <h3 id="pbp-export-not-sealed">Cannot be sealed</h3>
      <p className="pbp-muted">
        {item.notSealed.length === 1 ? 'This binding stays an import' : 'These bindings stay imports'}: whoever runs the
        artifact decides what {item.notSealed.length === 1 ? 'it gets' : 'they get'}.
      </p>
      <ul className="pbp-surface">
        {item.notSealed.map((n) => (
          <li key={`${n.node}.${n.import}`}>
            <code>
              {n.node}.{n.import}
            </code>
            <span className="pbp-surface-why">{n.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What each kind of stub does in the sealed artifact. */
const STUB_KIND_TEXT: Record<StubKind, string> = {
  deny: 'every function traps, naming the denial',
  mock: "answers the mock's values",
  fake: "the fake's code, configured with the binding's values",
  scope: "enforces the grant's scope inside the artifact",
};

function Stubs({ item }: { item: VariantPreview }) {
  if (item.stubs.length === 0) return null;
  return (
    <section aria-labelledby="pbp-export-stubs">
      <h3 id="pbp-export-stubs">Sealed in</h3>
      <ul className="pbp-surface pbp-export-stubs">
        {item.stubs.map((s) => (
          <li key={s.file} title={s.functions.join('\n')}>
            <code>
              {s.node}.{s.import}
            </code>
            <span className="pbp-surface-why">
              <span className={`pbp-export-kind pbp-export-kind--${s.kind}`}>{s.kind}</span>{' '}
              {STUB_KIND_TEXT[s.kind]} (
              {plural(s.functions.length, 'function')})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Surface({ item }: { item: VariantPreview }) {
  const typesOnly = item.surface.filter((s) => s.typesOnly).length;
  return (
    <section aria-labelledby="pbp-export-surface" data-variant={item.variant}>
      <h3 id="pbp-export-surface">Attack surface</h3>
      {item.surface.length === 0 ? (
        <p className="pbp-surface-none">
          No imports: the component is self-contained and can reach nothing outside itself.
        </p>
      ) : (
        <>
          <p className="pbp-muted">
            {item.variant === 'sealed'
              ? `The sealed component imports these ${item.surface.length}: what is granted or left open, and what cannot be sealed. Whoever runs it provides them.`
              : `The open component imports these ${item.surface.length}. Bindings (grant, mock, deny) are not baked in: whoever runs it decides what each one gets.`}
            {typesOnly > 0 &&
              ` ${typesOnly === 1 ? 'One of them only names types' : `${typesOnly} of them only name types`}: nothing to call, no capability.`}
          </p>
          <ul className="pbp-surface">
            {[...item.surface]
              // Capabilities first; the types-only imports after them, marked.
              .sort((a, b) => Number(a.typesOnly) - Number(b.typesOnly))
              .map((s) => (
                <li key={s.name} className={s.typesOnly ? 'pbp-surface-types' : undefined}>
                  <code>{s.name}</code>
                  {s.typesOnly && <span className="pbp-export-kind">types only</span>}
                  <span className="pbp-surface-why">
                    {s.meaning || explainImport(s.name)}
                    {s.nodes.length > 0 && (
                      <span className="pbp-export-nodes">
                        {s.typesOnly ? 'named by' : 'used by'} {s.nodes.join(', ')}
                      </span>
                    )}
                  </span>
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Deploy({
  form,
  onChange,
  spinRefused,
  disabled,
}: {
  form: DeployForm;
  onChange: (f: DeployForm) => void;
  spinRefused: string | null;
  disabled: boolean;
}) {
  const id = useId();
  const set = (patch: Partial<DeployForm>) => onChange({ ...form, ...patch });
  const pushing = form.reference.trim() !== '';
  return (
    <fieldset className="pbp-export-deploy" disabled={disabled}>
      <legend>Deploy</legend>
      <label className="pbp-export-target">
        <input
          type="checkbox"
          checked={form.spin && !spinRefused}
          disabled={!!spinRefused}
          onChange={(e) => set({ spin: e.target.checked })}
        />
        <span>
          <strong>Spin</strong> <span className="pbp-muted">spin.toml beside the component</span>
          {spinRefused && <span className="pbp-export-why">{spinRefused}</span>}
        </span>
      </label>
      <label className="pbp-export-target">
        <input type="checkbox" checked={form.wadm} onChange={(e) => set({ wadm: e.target.checked })} />
        <span>
          <strong>wasmCloud (wadm)</strong> <span className="pbp-muted">wadm.yaml beside the component</span>
        </span>
      </label>
      <div className="pbp-export-oci">
        <label htmlFor={`${id}-ref`}>
          <strong>OCI registry</strong> <span className="pbp-muted">push, pull back and verify the digest</span>
        </label>
        <input
          id={`${id}-ref`}
          type="text"
          className="pbp-input"
          spellCheck={false}
          placeholder="ghcr.io/you/app:1.0"
          aria-label="OCI reference"
          value={form.reference}
          onChange={(e) => set({ reference: e.target.value })}
        />
        {pushing && (
          <>
            <label className="pbp-export-target">
              <input type="checkbox" checked={form.insecure} onChange={(e) => set({ insecure: e.target.checked })} />
              <span>
                Plain HTTP <span className="pbp-muted">(localhost and 127.0.0.1 always are)</span>
              </span>
            </label>
            <div className="pbp-export-credentials">
              <input
                type="text"
                className="pbp-input"
                autoComplete="off"
                spellCheck={false}
                placeholder="username"
                aria-label="Registry username"
                value={form.username}
                onChange={(e) => set({ username: e.target.value })}
              />
              <input
                type="password"
                className="pbp-input"
                autoComplete="off"
                placeholder="password or token"
                aria-label="Registry password"
                value={form.password}
                onChange={(e) => set({ password: e.target.value })}
              />
            </div>
            <p className="pbp-muted">
              Used for this push only, never saved. Left empty, the credentials come from the docker config (
              <code>docker login</code>).
            </p>
          </>
        )}
      </div>
    </fieldset>
  );
}

function Written({ written }: { written: Exported }) {
  const files = [written.wasm, written.wac, written.wit, ...written.stubs];
  const [showError, setShowError] = useState<string | null>(null);
  const showFolder = () => {
    setShowError(null);
    commands.showExportFolder({ dir: written.dir }).catch((e: unknown) => setShowError(errorText(e)));
  };
  return (
    <section className="pbp-written" aria-labelledby="pbp-export-written" role="status">
      <h3 id="pbp-export-written">Written</h3>
      <p className="pbp-muted">
        {LABEL[written.variant]} export, {formatBytes(written.size)}, {plural(written.imports.length, 'import')}, in{' '}
        <code>{written.dir}</code>{' '}
        <button type="button" className="pbp-btn pbp-btn-small" onClick={showFolder}>
          Open folder
        </button>
      </p>
      {showError && (
        <div className="pbp-error-box" role="alert">
          {showError}
        </div>
      )}
      <ul>
        {files.map((p) => (
          <li key={p}>
            <code>{p}</code> <CopyButton text={p} label="Copy path" />
          </li>
        ))}
      </ul>
      {written.targets.length > 0 && (
        <>
          <h3>Deployment</h3>
          <ul className="pbp-export-outcomes">
            {written.targets.map((t) => (
              <Outcome key={t.target} outcome={t} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Outcome({ outcome }: { outcome: TargetOutcome }) {
  const label = TARGET_LABEL[outcome.target];
  const r = outcome.result;
  if (r.kind === 'failed') {
    return (
      <li className="pbp-export-outcome pbp-export-outcome--failed" data-target={outcome.target}>
        <strong>{label}</strong>: {outcome.target === 'oci' ? 'not pushed' : 'not written'}
        <span className="pbp-export-why">{r.message}</span>
      </li>
    );
  }
  if (r.kind === 'pushed') {
    return (
      <li className="pbp-export-outcome" data-target={outcome.target}>
        <strong>{label}</strong>: pushed <code>{r.reference}</code>, pulled back and verified ({formatBytes(r.size)})
        <span className="pbp-export-why">
          <code>{r.pinned}</code> <CopyButton text={r.pinned} label="Copy pinned reference" />
        </span>
      </li>
    );
  }
  return (
    <li className="pbp-export-outcome" data-target={outcome.target}>
      <strong>{label}</strong>: <code>{r.file}</code> <CopyButton text={r.file} label="Copy path" />
      {r.notes.length === 0 ? (
        <span className="pbp-export-why">expresses every grant</span>
      ) : (
        <>
          <span className="pbp-export-why">
            cannot express {plural(r.notes.length, 'thing')} (also written in it as comments):
          </span>
          <ul className="pbp-export-notes">
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}
