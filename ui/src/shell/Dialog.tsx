import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog: focuses its first button, closes on Escape. */
export function Dialog({
  title,
  children,
  actions,
  onEscape,
  role = 'dialog',
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onEscape?: () => void;
  role?: 'dialog' | 'alertdialog';
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('.pb-modal__actions button')?.focus();
  }, []);
  return (
    <div className="pb-overlay">
      <div
        ref={ref}
        className="pb-modal"
        role={role}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onEscape) {
            e.preventDefault();
            onEscape();
          }
        }}
      >
        <h2 id={`${id}-title`} className="pb-modal__title">
          {title}
        </h2>
        <div className="pb-modal__body">{children}</div>
        <div className="pb-modal__actions">{actions}</div>
      </div>
    </div>
  );
}
