/**
 * Export the composed component, its `.wac` recipe and its WIT. Before
 * anything is written it shows the attack surface: every import the
 * composition still has, explained, since whoever runs the file decides
 * what those get.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../store';
import { commands, errorText, isApiError, type Exported, type ExportPreview } from '../store/backend';
import { CopyButton, Spinner } from './common';
import { explainImport, formatBytes } from './text';

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

function ExportDialogBody({ onClose }: { onClose: () => void }) {
  const doc = useStore((s) => s.doc);
  const toast = useStore((s) => s.toast);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [writing, setWriting] = useState(false);
  const [written, setWritten] = useState<Exported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (!doc) return;
    let live = true;
    commands.exportPreview({ doc }).then(
      (preview) => live && setPhase({ kind: 'preview', preview }),
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

  const exportTo = async (chooseDir: boolean) => {
    if (!doc) return;
    setWriting(true);
    setError(null);
    try {
      const result = await commands.exportArtifacts({ doc, dir: null, chooseDir });
      setWritten(result);
      toast(`Exported ${baseName(result.wasm)} (${formatBytes(result.size)})`, 'success');
    } catch (e) {
      if (!(isApiError(e) && e.code === 'cancelled')) setError(errorText(e));
    } finally {
      setWriting(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    // Keep Tab inside the dialog.
    const focusable = [
      ...dialog.current.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input, [tabindex="0"]'),
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

  return (
    <div className="pbp-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        className="pbp-dialog"
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
        {phase.kind === 'preview' && (
          <>
            <section aria-labelledby="pbp-export-surface">
              <h3 id="pbp-export-surface">Attack surface</h3>
              {phase.preview.surface.length === 0 ? (
                <p className="pbp-surface-none">
                  No imports: the component is self-contained and can reach nothing outside itself.
                </p>
              ) : (
                <>
                  <p className="pbp-muted">
                    The exported component still imports these. Bindings (grant, mock, deny) are not baked in: whoever
                    runs it decides what each one gets.
                  </p>
                  <ul className="pbp-surface">
                    {phase.preview.surface.map((item) => (
                      <li key={item.name}>
                        <code>{item.name}</code>
                        <span className="pbp-surface-why">{item.meaning || explainImport(item.name)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <section aria-labelledby="pbp-export-files">
              <h3 id="pbp-export-files">Files</h3>
              <dl className="pbp-facts">
                <dt>Folder</dt>
                <dd>
                  <code>{phase.preview.dir}</code>
                </dd>
                <dt>Component</dt>
                <dd>
                  <code>{baseName(phase.preview.wasm)}</code> <span className="pbp-muted">{formatBytes(phase.preview.size)}</span>
                </dd>
                <dt>Recipe</dt>
                <dd>
                  <code>{baseName(phase.preview.wac)}</code>
                </dd>
                <dt>WIT</dt>
                <dd>
                  <code>{baseName(phase.preview.wit)}</code>
                </dd>
              </dl>
            </section>
            {written && (
              <section className="pbp-written" aria-labelledby="pbp-export-written" role="status">
                <h3 id="pbp-export-written">Written</h3>
                <ul>
                  {[written.wasm, written.wac, written.wit].map((p) => (
                    <li key={p}>
                      <code>{p}</code> <CopyButton text={p} label="Copy path" />
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {error && (
              <div className="pbp-error-box" role="alert">
                {error}
              </div>
            )}
          </>
        )}
        <div className="pbp-dialog-actions">
          {writing && <Spinner label="Writing" />}
          <button
            type="button"
            className="pbp-btn"
            disabled={phase.kind !== 'preview' || writing}
            onClick={() => void exportTo(true)}
          >
            Choose folder…
          </button>
          <button
            type="button"
            className="pbp-btn pbp-btn-primary"
            disabled={phase.kind !== 'preview' || writing}
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
