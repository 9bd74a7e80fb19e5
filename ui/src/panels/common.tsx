/** Small building blocks the panels share. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { tokenizeWit } from './witTokens';

/** Copies `text` to the clipboard; says "Copied" for a moment. */
export function CopyButton({
  text,
  label = 'Copy',
  title,
  name,
}: {
  text: string;
  label?: string;
  title?: string;
  /** The accessible name, when the visible label is not enough. */
  name?: string;
}) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return (
    <button
      type="button"
      className="pbp-btn pbp-btn-small"
      aria-label={name}
      title={title ?? `Copy ${text.length > 60 ? 'to the clipboard' : text}`}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => setCopied(false), 1200);
          },
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

/**
 * A cross (error, denial) or warning sign drawn as SVG in the text's colour.
 * Not a font glyph: symbols such as ✖ are missing from many Linux font sets,
 * and WebKitGTK then draws an empty box.
 */
export function Mark({ kind }: { kind: 'error' | 'warning' | 'note' }) {
  return (
    <svg className="pbp-mark" viewBox="0 0 12 12" width="0.85em" height="0.85em" aria-hidden="true" focusable="false">
      {kind === 'note' ? (
        <>
          <circle cx="6" cy="6" r="5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M6 5.4v3.4M6 3.3v0.1" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
        </>
      ) : kind === 'error' ? (
        <path d="M2.5 2.5l7 7M9.5 2.5l-7 7" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      ) : (
        <>
          <path d="M6 1.2L11.2 10.6H0.8z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          <path d="M6 4.6v2.6M6 8.8v0.1" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
        </>
      )}
    </svg>
  );
}

export function Spinner({ label }: { label: string }) {
  return <span className="pbp-spinner" role="status" aria-label={label} />;
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="pbp-empty">{children}</div>;
}

/** WIT (or `.wac`) text with syntax highlighting. */
export function CodeView({ text, label }: { text: string; label: string }) {
  const tokens = tokenizeWit(text);
  return (
    <pre className="pbp-code" aria-label={label} tabIndex={0}>
      <code>
        {tokens.map((t, i) =>
          t.kind === 'space' || t.kind === 'plain' ? (
            t.text
          ) : (
            <span key={i} className={`pbp-tok-${t.kind}`}>
              {t.text}
            </span>
          ),
        )}
      </code>
    </pre>
  );
}

/** A segmented switch between a few choices (role=radiogroup). */
export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: { value: T; label: string; disabled?: boolean; title?: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <div className="pbp-segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className={o.value === value ? 'pbp-seg pbp-seg-on' : 'pbp-seg'}
          disabled={o.disabled}
          title={o.title}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** A list of short strings (env names, host:port) edited as chips plus an input. */
export function StringListEditor({
  label,
  values,
  placeholder,
  validate,
  onChange,
}: {
  label: string;
  values: string[];
  placeholder: string;
  validate?: (value: string) => string | null;
  onChange: (values: string[]) => void;
}) {
  const [draft, setDraft] = useState('');
  const trimmed = draft.trim();
  const error = trimmed === '' ? null : values.includes(trimmed) ? 'already listed' : (validate?.(trimmed) ?? null);
  const add = () => {
    if (trimmed === '' || error) return;
    onChange([...values, trimmed]);
    setDraft('');
  };
  return (
    <div className="pbp-chips-editor">
      <ul className="pbp-chips" aria-label={label}>
        {values.map((v) => (
          <li key={v} className="pbp-chip">
            <code>{v}</code>
            <button
              type="button"
              className="pbp-chip-remove"
              aria-label={`Remove ${v}`}
              onClick={() => onChange(values.filter((x) => x !== v))}
            >
              ×
            </button>
          </li>
        ))}
        {values.length === 0 && <li className="pbp-muted">none</li>}
      </ul>
      <div className="pbp-row">
        <input
          className="pbp-input nodrag nokey"
          aria-label={`Add to ${label}`}
          placeholder={placeholder}
          value={draft}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="pbp-btn pbp-btn-small" disabled={trimmed === '' || !!error} onClick={add}>
          Add
        </button>
      </div>
      {error && <div className="pbp-field-error">{error}</div>}
    </div>
  );
}
