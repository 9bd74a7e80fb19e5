/**
 * Inputs that write to the document only when their text is valid: a text
 * input committed on Enter or blur, a WAVE input checked as you type, and a
 * key/value table.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { errorText, type KeyValue, type Verdict } from '../store/backend';
import { Spinner } from './common';

/**
 * A text input that keeps its own text and calls `onCommit` on Enter or
 * blur when `validate` accepts it; Escape puts back the committed value.
 */
export function CommitInput({
  value,
  onCommit,
  validate,
  label,
  placeholder,
  className = '',
}: {
  value: string;
  onCommit: (value: string) => void;
  validate?: (value: string) => string | null;
  label: string;
  placeholder?: string;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const error = validate ? validate(text) : null;
  const commit = () => {
    if (text !== value && !error) onCommit(text);
  };
  return (
    <span className={`pbp-commit ${className}`}>
      <input
        className="pbp-input nodrag nokey"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            setText(value);
          }
        }}
      />
      {error && (
        <span id={`${id}-error`} className="pbp-field-error">
          {error}
        </span>
      )}
    </span>
  );
}

export type WaveCheck = (text: string) => Promise<Verdict>;

type CheckState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok' }
  | { state: 'error'; message: string; pending: boolean };

export const WAVE_CHECK_DELAY_MS = 300;

/**
 * A WAVE text input checked as you type: after a short pause `localCheck`
 * (the TypeScript parser, when the type is known) answers at once and
 * `check` (the backend) is asked, and has the last word. `onValid` is called with text the
 * backend accepted; invalid text stays in the field with its error under it.
 */
export function WaveInput({
  text,
  onText,
  check,
  localCheck,
  onValid,
  label,
  placeholder,
  multiline = false,
}: {
  text: string;
  onText: (text: string) => void;
  check: WaveCheck;
  localCheck?: (text: string) => string | null;
  onValid: (text: string) => void;
  label: string;
  placeholder?: string;
  multiline?: boolean;
}) {
  const id = useId();
  const [status, setStatus] = useState<CheckState>({ state: 'idle' });
  const seq = useRef(0);
  const latest = useRef({ check, localCheck, onValid });
  useEffect(() => {
    latest.current = { check, localCheck, onValid };
  });

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      // The TypeScript parser answers at once; the backend has the last word.
      const local = latest.current.localCheck?.(text) ?? null;
      setStatus(local ? { state: 'error', message: local, pending: true } : { state: 'checking' });
      latest.current.check(text).then(
        (verdict) => {
          if (mine !== seq.current) return;
          if (verdict.ok) {
            setStatus({ state: 'ok' });
            latest.current.onValid(text);
          } else {
            setStatus({ state: 'error', message: verdict.reason ?? local ?? 'not a valid value here', pending: false });
          }
        },
        (e) => {
          if (mine !== seq.current) return;
          setStatus({ state: 'error', message: local ?? `could not check: ${errorText(e)}`, pending: false });
        },
      );
    }, WAVE_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const invalid = status.state === 'error';
  const common = {
    className: `${multiline ? 'pbp-textarea' : 'pbp-input'} pbp-mono nodrag nokey`,
    'aria-label': label,
    placeholder,
    spellCheck: false,
    value: text,
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
  } as const;
  return (
    <div className="pbp-wave-input">
      <div className="pbp-row">
        {multiline ? (
          <textarea {...common} rows={2} onChange={(e) => onText(e.target.value)} />
        ) : (
          <input {...common} onChange={(e) => onText(e.target.value)} />
        )}
        <span className="pbp-check-state" aria-live="polite">
          {(status.state === 'checking' || (status.state === 'error' && status.pending)) && <Spinner label="Checking" />}
          {status.state === 'ok' && (
            <span className="pbp-ok-mark" title="Checked against the function's types">
              ✓
            </span>
          )}
        </span>
      </div>
      {invalid && (
        <div id={`${id}-error`} className="pbp-field-error">
          {status.message}
        </div>
      )}
    </div>
  );
}

/** Rows of key → value, each committed when valid; duplicate keys refused. */
export function KeyValueEditor({
  label,
  rows,
  keyLabel,
  valueLabel,
  keyPlaceholder,
  valuePlaceholder,
  validateValue,
  onChange,
}: {
  label: string;
  rows: KeyValue[];
  keyLabel: string;
  valueLabel: string;
  keyPlaceholder: string;
  valuePlaceholder: string;
  validateValue?: (value: string) => string | null;
  onChange: (rows: KeyValue[]) => void;
}) {
  const [draftKey, setDraftKey] = useState('');
  const [draftValue, setDraftValue] = useState('');
  const keyError =
    draftKey.trim() === '' ? null : rows.some((r) => r.key === draftKey.trim()) ? 'this key is already listed' : null;
  const valueError = draftKey.trim() === '' ? null : (validateValue?.(draftValue) ?? null);
  const add = () => {
    if (draftKey.trim() === '' || keyError || valueError) return;
    onChange([...rows, { key: draftKey.trim(), value: draftValue }]);
    setDraftKey('');
    setDraftValue('');
  };
  return (
    <table className="pbp-table pbp-kv" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{keyLabel}</th>
          <th scope="col">{valueLabel}</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={`${i}:${row.key}`}>
            <td>
              <CommitInput
                label={`${keyLabel} ${i + 1}`}
                value={row.key}
                validate={(k) =>
                  k.trim() === '' ? 'required' : rows.some((r, j) => j !== i && r.key === k.trim()) ? 'duplicate' : null
                }
                onCommit={(k) => onChange(rows.map((r, j) => (j === i ? { key: k.trim(), value: r.value } : r)))}
              />
            </td>
            <td>
              <CommitInput
                label={`${valueLabel} of ${row.key}`}
                value={row.value}
                validate={validateValue}
                onCommit={(v) => onChange(rows.map((r, j) => (j === i ? { key: r.key, value: v } : r)))}
              />
            </td>
            <td>
              <button
                type="button"
                className="pbp-btn pbp-btn-small pbp-btn-ghost"
                aria-label={`Remove ${row.key}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </td>
          </tr>
        ))}
        <tr>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label={`New ${keyLabel}`}
              placeholder={keyPlaceholder}
              value={draftKey}
              aria-invalid={keyError ? true : undefined}
              onChange={(e) => setDraftKey(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
            {keyError && <span className="pbp-field-error">{keyError}</span>}
          </td>
          <td>
            <input
              className="pbp-input nodrag nokey"
              aria-label={`New ${valueLabel}`}
              placeholder={valuePlaceholder}
              value={draftValue}
              aria-invalid={valueError ? true : undefined}
              onChange={(e) => setDraftValue(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
            {valueError && <span className="pbp-field-error">{valueError}</span>}
          </td>
          <td>
            <button
              type="button"
              className="pbp-btn pbp-btn-small"
              disabled={draftKey.trim() === '' || !!keyError || !!valueError}
              onClick={add}
            >
              Add
            </button>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
