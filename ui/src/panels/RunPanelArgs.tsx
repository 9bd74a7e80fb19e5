/**
 * The run panel's arguments for one function: the form generated from the
 * parameter types or the raw WAVE box, remembered per node, export and
 * function across edits, undo and session resets (dropped, and said so,
 * when the function's signature changed), and the project's argument
 * presets for the function (saved in patchbay.toml, applied with one
 * click, deletable, each an undoable edit).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../store';
import type { RunTarget } from '../store/backend';
import { commands, errorText } from '../store/backend';
import { argsKey } from '../store/runHistory';
import { formatArgs } from '../wave/format';
import { callText, defaultArgs, readArgsText } from '../wave/form';
import { startingArgs } from './runArgsMemory';
import type { TypeShape, WaveValue } from '../wave/shape';
import { Segmented } from './common';
import { FormErrorsContext } from './formErrors';
import { ValueField } from './ValueForm';

type Mode = 'form' | 'wave';

/** The argument form or WAVE box of one run target; reports the call text. */
export function ArgsEditor({
  target,
  node,
  onCall,
}: {
  target: RunTarget;
  /** The node whose export this is (part of what the arguments are kept under). */
  node: string | null;
  onCall: (call: string | null, problem: string | null) => void;
}) {
  const params = target.function.params;
  const signature = target.function.signature;
  const shapes = useMemo<TypeShape[]>(() => params.map((p) => p.shape), [params]);
  const defaults = useMemo(() => defaultArgs(shapes), [shapes]);
  const memoryKey = argsKey(node, target.export, target.function.name);
  const setRunArgs = useStore((s) => s.setRunArgs);
  // Read once: the form owns its values while shown and writes them back.
  const [start] = useState(() => startingArgs(shapes, signature, useStore.getState().runArgs[memoryKey]));
  const [values, setValues] = useState<WaveValue[] | null>(start.values);
  const [mode, setMode] = useState<Mode>(start.mode);
  const [waveText, setWaveText] = useState(start.waveText);
  const [notice, setNotice] = useState<string | null>(start.notice);
  const [switchError, setSwitchError] = useState<string | null>(null);

  // Errors of individual inputs, keyed by their label.
  const errors = useRef(new Map<string, string>());
  const [errorCount, setErrorCount] = useState(0);
  const report = useCallback((path: string, error: string | null) => {
    const had = errors.current.has(path);
    if (error) errors.current.set(path, error);
    else errors.current.delete(path);
    if (had !== !!error) setErrorCount(errors.current.size);
  }, []);
  const formErrors = useMemo(() => ({ report }), [report]);

  const waveCheck = useMemo(() => (mode === 'wave' ? readArgsText(shapes, waveText) : null), [mode, shapes, waveText]);
  /** The arguments as WAVE now, or null while the form has errors. */
  const argsText = mode === 'form' ? (values && errorCount === 0 ? formatArgs(shapes, values) : null) : waveText.trim();

  useEffect(() => {
    if (mode === 'form') {
      if (!values) onCall(null, 'reason' in defaults ? defaults.reason : null);
      else if (errorCount > 0) onCall(null, `Fix the ${errorCount === 1 ? 'field' : `${errorCount} fields`} marked in red to run.`);
      else onCall(callText(target.callPrefix, shapes, values), null);
    } else {
      const text = waveText.trim();
      onCall(
        `${target.callPrefix}(${text})`,
        waveCheck && 'error' in waveCheck ? `The arguments may not parse: ${waveCheck.error}` : null,
      );
    }
  }, [mode, values, errorCount, waveText, waveCheck, target.callPrefix, shapes, defaults, onCall]);

  // Remember what was typed, for this function, across edits and remounts.
  useEffect(() => {
    const text = mode === 'form' ? (values ? formatArgs(shapes, values) : '') : waveText;
    setRunArgs(memoryKey, { signature, mode, text });
  }, [memoryKey, signature, mode, values, waveText, shapes, setRunArgs]);

  const switchMode = (next: Mode) => {
    if (next === mode) return;
    setSwitchError(null);
    if (next === 'wave') {
      if (values && errorCount === 0) setWaveText(formatArgs(shapes, values));
      setMode('wave');
      return;
    }
    const parsed = readArgsText(shapes, waveText);
    if ('values' in parsed) {
      setValues(parsed.values);
      setMode('form');
    } else if (values) {
      setSwitchError(`The WAVE text does not parse (${parsed.error}); fix it, or switch anyway to edit the last form values.`);
    } else {
      setSwitchError(parsed.error);
    }
  };

  /** Puts `text` in the form (or, when it does not fit the types, in the WAVE box). */
  const applyText = (text: string): string | null => {
    setSwitchError(null);
    setNotice(null);
    const parsed = readArgsText(shapes, text);
    setWaveText(text);
    if ('values' in parsed) {
      setValues(parsed.values);
      setMode('form');
      return null;
    }
    setMode('wave');
    return parsed.error;
  };

  return (
    <FormErrorsContext.Provider value={formErrors}>
      <div className="pbp-args">
        <div className="pbp-args-head">
          <span className="pbp-label">Arguments{params.length === 0 ? ': none' : ''}</span>
          {params.length > 0 && (
            <Segmented
              label="Argument input"
              value={mode}
              onChange={switchMode}
              options={[
                { value: 'form', label: 'Form', disabled: !values && 'reason' in defaults },
                { value: 'wave', label: 'WAVE' },
              ]}
            />
          )}
        </div>
        {notice && (
          <div className="pbp-run-notice" role="note">
            {notice}{' '}
            <button type="button" className="pbp-btn pbp-btn-small" onClick={() => setNotice(null)}>
              OK
            </button>
          </div>
        )}
        {switchError && (
          <div className="pbp-field-error" role="alert">
            {switchError}{' '}
            {values && (
              <button
                type="button"
                className="pbp-btn pbp-btn-small"
                onClick={() => {
                  setSwitchError(null);
                  setMode('form');
                }}
              >
                Switch anyway
              </button>
            )}
          </div>
        )}
        {mode === 'form' && values && (
          <div className="pbp-fields">
            {params.map((p, i) => (
              <div key={p.name} className="pbp-field-row">
                <div className="pbp-field-name">
                  <span>{p.name}</span>
                  <code className="pbp-type">{p.ty}</code>
                </div>
                <div className="pbp-field-value">
                  <ValueField
                    shape={p.shape}
                    value={values[i] ?? null}
                    label={p.name}
                    onChange={(v) => setValues((old) => (old ? old.map((x, j) => (j === i ? v : x)) : old))}
                  />
                </div>
              </div>
            ))}
          </div>
        )}
        {mode === 'form' && !values && 'reason' in defaults && (
          <div className="pbp-unenterable" role="note">
            {defaults.reason}
          </div>
        )}
        {mode === 'wave' && params.length > 0 && (
          <div className="pbp-wave-box">
            <div className="pbp-wave-call">
              <code>{target.callPrefix}(</code>
              <textarea
                className="pbp-textarea nodrag nokey"
                aria-label="Arguments as WAVE"
                spellCheck={false}
                rows={Math.min(10, Math.max(3, waveText.split('\n').reduce((n, line) => n + Math.ceil((line.length + 1) / 44), 0)))}
                value={waveText}
                aria-invalid={waveCheck && 'error' in waveCheck ? true : undefined}
                onChange={(e) => setWaveText(e.target.value)}
              />
              <code>)</code>
            </div>
            {waveCheck && 'error' in waveCheck && <div className="pbp-field-error">{waveCheck.error}</div>}
          </div>
        )}
        {params.length > 0 && (
          <Presets fn={target.callPrefix} signature={signature} argsText={argsText} apply={applyText} />
        )}
      </div>
    </FormErrorsContext.Provider>
  );
}

/** The project's presets of `fn`: apply, delete, save the current arguments as one. */
function Presets({
  fn,
  signature,
  argsText,
  apply,
}: {
  fn: string;
  signature: string;
  argsText: string | null;
  apply: (text: string) => string | null;
}) {
  const all = useStore((s) => s.doc?.presets);
  const updateDoc = useStore((s) => s.updateDoc);
  const presets = useMemo(() => (all ?? []).filter((p) => p.function === fn), [all, fn]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const save = async () => {
    const n = name.trim();
    if (argsText === null) {
      setProblem('Fix the fields marked in red first.');
      return;
    }
    try {
      const verdict = await commands.checkPreset({ function: fn, name: n, args: argsText });
      if (!verdict.ok) {
        setProblem(verdict.reason ?? 'This preset cannot be saved.');
        return;
      }
    } catch (e) {
      setProblem(errorText(e));
      return;
    }
    const replaces = presets.some((p) => p.name === n);
    updateDoc(`${replaces ? 'Replace' : 'Save'} preset ${n}`, (d) => {
      const list = d.presets ?? [];
      const at = list.findIndex((p) => p.function === fn && p.name === n);
      if (at >= 0) list[at].args = argsText;
      else list.push({ function: fn, name: n, args: argsText });
      d.presets = list;
    });
    setNaming(false);
    setName('');
    setProblem(null);
  };

  return (
    <div className="pbp-presets" role="group" aria-label="Presets">
      <div className="pbp-presets-row">
        <span className="pbp-label">Presets</span>
        {presets.length === 0 && <span className="pbp-muted">none saved for this function</span>}
        {presets.map((p) => (
          <span key={p.name} className="pbp-preset">
            <button
              type="button"
              className="pbp-btn pbp-btn-small"
              title={`Apply: ${fn}(${p.args})`}
              aria-label={`Apply preset ${p.name}`}
              onClick={() => {
                const error = apply(p.args);
                setProblem(error ? `Preset “${p.name}” does not fit \`${signature}\`: ${error}` : null);
              }}
            >
              {p.name}
            </button>
            <button
              type="button"
              className="pbp-btn pbp-btn-small pbp-preset-delete"
              aria-label={`Delete preset ${p.name}`}
              title="Delete this preset from the project"
              onClick={() =>
                updateDoc(`Delete preset ${p.name}`, (d) => {
                  d.presets = (d.presets ?? []).filter((x) => !(x.function === fn && x.name === p.name));
                })
              }
            >
              ×
            </button>
          </span>
        ))}
        {!naming && (
          <button
            type="button"
            className="pbp-btn pbp-btn-small"
            disabled={argsText === null}
            onClick={() => {
              setNaming(true);
              setProblem(null);
            }}
          >
            Save as preset…
          </button>
        )}
      </div>
      {naming && (
        <form
          className="pbp-presets-row"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input
            className="pbp-input nodrag nokey"
            aria-label="Preset name"
            placeholder="Preset name"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setNaming(false);
            }}
          />
          <button type="submit" className="pbp-btn pbp-btn-small pbp-btn-primary">
            {presets.some((p) => p.name === name.trim()) ? 'Replace preset' : 'Save preset'}
          </button>
          <button type="button" className="pbp-btn pbp-btn-small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      )}
      {problem && (
        <div className="pbp-field-error" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}
