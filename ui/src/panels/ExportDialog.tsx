/**
 * Export the composed component, its `.wac` recipe and its WIT, sealed
 * (denials and mocks composed in as stub components, the default) or open
 * (every binding left to whoever runs it). Before anything is written it
 * shows, for each variant, the attack surface (every import the artifact
 * would have, decoded by the backend from its bytes, with the nodes that
 * reach the host through it), the stubs sealed in, and the bindings that
 * cannot be sealed with their reasons. Nothing here decides a rule: all of
 * it comes from `exportPreview`.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../store';
import {
  commands,
  errorText,
  isApiError,
  type Exported,
  type ExportPreview,
  type ExportVariant,
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

function ExportDialogBody({ onClose }: { onClose: () => void }) {
  const doc = useStore((s) => s.doc);
  const toast = useStore((s) => s.toast);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [variant, setVariant] = useState<ExportVariant>('sealed');
  const [writing, setWriting] = useState(false);
  const [written, setWritten] = useState<Exported | null>(null);
  const [error, setError] = useState<string | null>(null);
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
    if (!doc) return;
    setWriting(true);
    setError(null);
    try {
      const result = await commands.exportArtifacts({ doc, dir: null, chooseDir, variant });
      setWritten(result);
      toast(`Exported ${baseName(result.wasm)} ${result.variant} (${formatBytes(result.size)})`, 'success');
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
          {writing && <Spinner label="Writing" />}
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
              {s.kind === 'deny' ? 'every function traps, naming the denial' : "answers the mock's values"} (
              {plural(s.functions.length, 'function')})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Surface({ item }: { item: VariantPreview }) {
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
          </p>
          <ul className="pbp-surface">
            {item.surface.map((s) => (
              <li key={s.name}>
                <code>{s.name}</code>
                <span className="pbp-surface-why">
                  {s.meaning || explainImport(s.name)}
                  {s.nodes.length > 0 && <span className="pbp-export-nodes">used by {s.nodes.join(', ')}</span>}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Written({ written }: { written: Exported }) {
  const files = [written.wasm, written.wac, written.wit, ...written.stubs];
  return (
    <section className="pbp-written" aria-labelledby="pbp-export-written" role="status">
      <h3 id="pbp-export-written">Written</h3>
      <p className="pbp-muted">
        {LABEL[written.variant]} export, {formatBytes(written.size)}, {plural(written.imports.length, 'import')}, in{' '}
        <code>{written.dir}</code>
      </p>
      <ul>
        {files.map((p) => (
          <li key={p}>
            <code>{p}</code> <CopyButton text={p} label="Copy path" />
          </li>
        ))}
      </ul>
    </section>
  );
}
