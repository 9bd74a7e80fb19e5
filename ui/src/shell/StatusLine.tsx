import { useEffect, useRef } from 'react';
import { useStore } from '../store';

/** The last thing worth keeping in view: a refused wire's exact reason, a
 *  recovery that needs a fix, what was wired or copied. A refusal is about
 *  the document as it was: when the document changes (an edit, an undo),
 *  its cause is gone and so is the line. */
export function StatusLine() {
  const status = useStore((s) => s.status);
  const doc = useStore((s) => s.doc);
  const clear = useStore((s) => s.setStatus);
  const shownAt = useRef<{ status: typeof status; doc: typeof doc }>({ status: null, doc: null });
  useEffect(() => {
    const seen = shownAt.current;
    if (status !== seen.status) {
      shownAt.current = { status, doc };
      return;
    }
    if (status?.kind === 'error' && doc !== seen.doc) clear(null);
  }, [status, doc, clear]);
  return (
    <div
      className={`pb-status ${status?.kind === 'error' ? 'is-error' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="status-line"
    >
      {status && (
        <>
          <span className="pb-status__text" title={status.text}>
            {status.text}
          </span>
          <button type="button" className="pb-status__clear" onClick={() => clear(null)} aria-label="Clear status">
            ×
          </button>
        </>
      )}
    </div>
  );
}
