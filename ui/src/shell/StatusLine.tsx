import { useStore } from '../store';

/** The last thing worth keeping in view: a refused wire's exact reason, a
 *  failed analysis, what was wired or copied. */
export function StatusLine() {
  const status = useStore((s) => s.status);
  const clear = useStore((s) => s.setStatus);
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
