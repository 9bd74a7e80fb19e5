import { useStore } from '../store';
import { Icon } from './Icon';

export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);
  return (
    <div className="pb-toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`pb-toast pb-toast--${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div className="pb-toast__text">{t.text}</div>
          <button type="button" className="pb-toast__close" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            <Icon name="close" size={12} />
          </button>
        </div>
      ))}
    </div>
  );
}
