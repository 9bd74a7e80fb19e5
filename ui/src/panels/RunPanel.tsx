/**
 * Runs the composition: pick an export function, fill its arguments in a
 * form generated from their types (or as raw WAVE), run with limits, and
 * read the result, output, capability denials, mock calls and timing. Runs
 * share the live session's instance unless "Fresh instance per call" is on.
 * Compositions that export `wasi:http/incoming-handler` can be served.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../store';
import type { RunLimits, RunReport, RunTarget } from '../store/backend';
import { formatArgs } from '../wave/format';
import { callText, defaultArgs, readArgsText } from '../wave/form';
import { multilineStringsOf } from '../wave/strings';
import type { TypeShape, WaveValue } from '../wave/shape';
import { CopyButton, EmptyState, Mark, Segmented, Spinner } from './common';
import { formatMicros, resultShapeOf, unversioned } from './text';
import { FormErrorsContext } from './formErrors';
import { ValueField } from './ValueForm';
import { SessionBar } from './RunSession';

type Mode = 'form' | 'wave';

export function RunPanel() {
  const analysis = useStore((s) => s.analysis);
  const running = useStore((s) => s.running);
  const run = useStore((s) => s.run);
  const setPendingCall = useStore((s) => s.setPendingCall);
  const lastRun = useStore((s) => s.lastRun);

  const targets = analysis?.composed?.runTargets ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const target = targets.find((t) => t.callPrefix === chosen) ?? targets.find((t) => t.callable) ?? targets[0] ?? null;

  const [call, setCall] = useState<string | null>(null);
  const [callProblem, setCallProblem] = useState<string | null>(null);

  const runnable = target?.callable ? call : null;
  useEffect(() => {
    setPendingCall(runnable);
  }, [runnable, setPendingCall]);
  const onCall = useCallback((c: string | null, problem: string | null) => {
    setCall(c);
    setCallProblem(problem);
  }, []);

  const start = () => {
    if (runnable && !running) void run(runnable);
  };

  return (
    // Ctrl+Enter is the shell's shortcut: it runs `pendingCall`, kept below.
    <section className="pbp-panel pbp-run" aria-label="Run">
      {!analysis?.composed ? (
        <EmptyState>
          {analysis ? 'The graph does not compose yet: fix the errors in Problems, then run it here.' : 'Analyzing…'}
        </EmptyState>
      ) : targets.length === 0 ? (
        <EmptyState>The composition exports no function that can be called. Export a node&apos;s port first.</EmptyState>
      ) : (
        <>
          <label className="pbp-field">
            <span className="pbp-label">Function</span>
            <select
              className="pbp-select nodrag nokey"
              value={target?.callPrefix ?? ''}
              onChange={(e) => setChosen(e.target.value)}
            >
              {targets.map((t) => (
                <option key={t.callPrefix} value={t.callPrefix}>
                  {t.callPrefix}
                  {t.export !== t.callPrefix ? `  (${t.export})` : ''}
                </option>
              ))}
            </select>
          </label>
          {target && (
            <>
              <code className="pbp-signature">{target.function.signature}</code>
              {!target.callable && (
                <div className="pbp-unenterable" role="note">
                  This function takes resource handles, which exist only inside a running instance: it cannot be
                  called with typed-in arguments.
                </div>
              )}
              {target.callable && <ArgsEditor key={target.callPrefix} target={target} onCall={onCall} />}
            </>
          )}
          <div className="pbp-run-bar">
            <button
              type="button"
              className="pbp-btn pbp-btn-primary"
              disabled={!runnable || running}
              onClick={start}
              title="Run (Ctrl+Enter)"
            >
              {running ? 'Running…' : 'Run'}
            </button>
            {running && <Spinner label="Running" />}
            <span className="pbp-muted pbp-kbd-hint">Ctrl+Enter</span>
          </div>
          {runnable && (
            <div className="pbp-call-preview">
              <output aria-label="Call text" className="pbp-call-text">
                {runnable}
              </output>
              <CopyButton text={runnable} />
            </div>
          )}
          {target?.callable && callProblem && <div className="pbp-field-error">{callProblem}</div>}
          <LimitsEditor />
          <SessionBar />
        </>
      )}
      <ServeControls />
      {lastRun && <RunResult report={lastRun} />}
    </section>
  );
}

/** The argument form or WAVE box of one run target; reports the call text. */
function ArgsEditor({
  target,
  onCall,
}: {
  target: RunTarget;
  onCall: (call: string | null, problem: string | null) => void;
}) {
  const params = target.function.params;
  const shapes = useMemo<TypeShape[]>(() => params.map((p) => p.shape), [params]);
  const defaults = useMemo(() => defaultArgs(shapes), [shapes]);
  const [values, setValues] = useState<WaveValue[] | null>(() => ('values' in defaults ? defaults.values : null));
  const [mode, setMode] = useState<Mode>(values ? 'form' : 'wave');
  const [waveText, setWaveText] = useState(() => (values ? formatArgs(shapes, values) : ''));
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

  return (
    <FormErrorsContext.Provider value={formErrors}>
      <div className="pbp-args">
        <div className="pbp-args-head">
          <span className="pbp-label">
            Arguments{params.length === 0 ? ': none' : ''}
          </span>
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
      </div>
    </FormErrorsContext.Provider>
  );
}

/** Timeout, memory, fuel and output caps of the next run. */
function LimitsEditor() {
  const limits = useStore((s) => s.limits);
  const setLimits = useStore((s) => s.setLimits);
  const summary = `${limits.timeoutMs} ms · ${limits.maxMemoryMib} MiB · ${
    limits.fuel === null ? 'no fuel limit' : `${limits.fuel} fuel`
  } · ${limits.maxOutputKib} KiB output`;
  return (
    <details className="pbp-limits">
      <summary>
        Limits <span className="pbp-muted">{summary}</span>
      </summary>
      <div className="pbp-limits-grid">
        <LimitInput
          label="Timeout (ms)"
          value={limits.timeoutMs}
          min={1}
          onChange={(v) => setLimits({ ...limits, timeoutMs: v as number })}
        />
        <LimitInput
          label="Memory (MiB)"
          value={limits.maxMemoryMib}
          min={1}
          onChange={(v) => setLimits({ ...limits, maxMemoryMib: v as number })}
        />
        <LimitInput
          label="Fuel"
          value={limits.fuel}
          min={1}
          optional
          onChange={(v) => setLimits({ ...limits, fuel: v })}
        />
        <LimitInput
          label="Output (KiB)"
          value={limits.maxOutputKib}
          min={1}
          onChange={(v) => setLimits({ ...limits, maxOutputKib: v as number })}
        />
      </div>
    </details>
  );
}

function LimitInput({
  label,
  value,
  min,
  optional = false,
  onChange,
}: {
  label: string;
  value: number | null;
  min: number;
  optional?: boolean;
  onChange: (value: number | null) => void;
}) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value === null ? '' : String(value));
  }
  const t = text.trim();
  const error =
    t === ''
      ? optional
        ? null
        : 'required'
      : !/^[0-9]+$/.test(t)
        ? 'a whole number'
        : Number(t) < min
          ? `at least ${min}`
          : !Number.isSafeInteger(Number(t))
            ? 'too large'
            : null;
  return (
    <label className="pbp-field">
      <span className="pbp-label">{label}</span>
      <input
        className="pbp-input pbp-input-num nodrag nokey"
        inputMode="numeric"
        value={text}
        placeholder={optional ? 'unlimited' : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const n = next.trim();
          if (n === '' && optional) {
            setShown(null);
            onChange(null);
          } else if (/^[0-9]+$/.test(n) && Number(n) >= min && Number.isSafeInteger(Number(n))) {
            setShown(Number(n));
            onChange(Number(n));
          }
        }}
      />
      {error && <span className="pbp-field-error">{error}</span>}
    </label>
  );
}

/** Start/Stop serving a `wasi:http/incoming-handler` export on localhost. */
function ServeControls() {
  const composed = useStore((s) => s.analysis?.composed ?? null);
  const serving = useStore((s) => s.serving);
  const startServing = useStore((s) => s.startServing);
  const stopServing = useStore((s) => s.stopServing);
  const [busy, setBusy] = useState(false);
  const exportsHttp =
    (composed?.servesHttp ?? false) ||
    (composed?.info?.exports.some((p) => unversioned(p.name) === 'wasi:http/incoming-handler') ?? false);
  if (!exportsHttp && !serving) return null;
  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="pbp-serve" role="group" aria-label="HTTP server">
      <span className="pbp-label">HTTP</span>
      {serving ? (
        <>
          <span className="pbp-serve-live" aria-hidden="true" />
          <a href={serving.url} target="_blank" rel="noreferrer" className="pbp-link">
            {serving.url}
          </a>
          <CopyButton text={serving.url} label="Copy URL" />
          <span className="pbp-muted">node {serving.node}</span>
          <button type="button" className="pbp-btn" disabled={busy} onClick={() => void act(stopServing)}>
            Stop
          </button>
        </>
      ) : (
        <>
          <span className="pbp-muted">exports wasi:http/incoming-handler</span>
          <button type="button" className="pbp-btn" disabled={busy} onClick={() => void act(() => startServing(null))}>
            Start serving
          </button>
        </>
      )}
      {busy && <Spinner label="Working" />}
    </div>
  );
}

const FAILURE_TITLES: Record<string, string> = {
  'bad-call': 'Bad call',
  instantiate: 'Could not instantiate',
  denied: 'Capability denied',
  'left-open': 'Import left open',
  timeout: 'Time limit hit',
  fuel: 'Fuel limit hit',
  memory: 'Memory limit hit',
  stack: 'Stack limit hit',
  output: 'Output limit hit',
  trap: 'Trapped',
};

const LIMIT_KINDS = new Set(['timeout', 'fuel', 'memory', 'stack', 'output']);

/** What the last run returned and everything it did on the way. */
function RunResult({ report }: { report: RunReport }) {
  const failure = report.failure;
  const targets = useStore((s) => s.analysis?.composed?.runTargets);
  const texts = useMemo(
    () => (report.result === null ? [] : multilineStringsOf(resultShapeOf(targets ?? [], report.call), report.result)),
    [report, targets],
  );
  return (
    <div className="pbp-run-result" aria-label="Last run" role="region">
      <div className="pbp-result-head">
        <span className={report.ok ? 'pbp-badge pbp-badge-ok' : 'pbp-badge pbp-badge-fail'}>
          {report.ok ? (
            '✓ ok'
          ) : (
            <>
              <Mark kind="error" /> {failure ? FAILURE_TITLES[failure.kind] ?? failure.kind : 'failed'}
            </>
          )}
        </span>
        <span className="pbp-badge" title={report.modeReason}>
          {report.mode}
        </span>
        <span className="pbp-muted">{formatMicros(report.micros)}</span>
        <span className="pbp-muted pbp-ellipsis" title={report.call}>
          run #{report.run}: <code>{report.call}</code>
        </span>
      </div>
      <div className="pbp-muted pbp-mode-reason">{report.modeReason}</div>
      {report.ok && report.result !== null && (
        <div className="pbp-result-value">
          <div className="pbp-code-head">
            <span>Result</span>
            <CopyButton text={report.result} />
          </div>
          <pre className="pbp-code pbp-wave" aria-label="Result">
            {report.result}
          </pre>
          {texts.length > 0 && (
            <div className="pbp-result-texts" role="group" aria-label="Strings as text">
              {texts.map((t) => (
                <div key={t.path} className="pbp-result-text">
                  <div className="pbp-code-head">
                    <span>
                      <code>{t.path}</code> <span className="pbp-muted">· {lineCount(t.text)}, shown as text</span>
                    </span>
                    <CopyButton text={t.text} name={`Copy ${t.path} as text`} title="Copy the text, with its line breaks" />
                  </div>
                  <pre className="pbp-code pbp-text-value" aria-label={`${t.path} as text`}>
                    {t.text}
                  </pre>
                </div>
              ))}
            </div>
          )}
        </div>
      )}
      {report.ok && report.result === null && <div className="pbp-muted">Returned nothing.</div>}
      {failure && (
        <div className={LIMIT_KINDS.has(failure.kind) ? 'pbp-failure pbp-failure-limit' : 'pbp-failure'} role="alert">
          <div className="pbp-failure-title">
            <code>{failure.kind}</code> {FAILURE_TITLES[failure.kind] ?? 'Failed'}
            {failure.limit && <span className="pbp-limit-tag">limit: {failure.limit}</span>}
          </div>
          <pre className="pbp-failure-message">{failure.message}</pre>
        </div>
      )}
      {report.denials.length > 0 && (
        <div className="pbp-denials">
          <div className="pbp-section-title pbp-denied">
            Capability denials ({report.denials.length})
          </div>
          <ul>
            {report.denials.map((d, i) => (
              <li key={i} className="pbp-denied">
                <Mark kind="error" />{' '}
                <strong>{d.nodes.join(', ')}</strong>: <code>{d.interface}#{d.function}</code> denied
              </li>
            ))}
          </ul>
        </div>
      )}
      {report.scope.length > 0 && (
        <div className="pbp-denials">
          <div className="pbp-section-title">Scope ({report.scope.length})</div>
          <ul>
            {report.scope.map((l, i) => (
              <li key={i} className={l.refused ? 'pbp-denied' : undefined}>
                <strong>{l.nodes.join(', ') || 'the composition'}</strong>: <code>{l.interface}</code> {l.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {report.mockCalls.length > 0 && (
        <div className="pbp-mock-calls">
          <div className="pbp-section-title">Mock calls ({report.mockCalls.length})</div>
          <ul>
            {report.mockCalls.map((m, i) => (
              <li key={i}>
                <code>
                  {m.interface}#{m.function}({m.args.join(', ')})
                </code>{' '}
                → <code>{m.result}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <OutputBlock title="stdout" text={report.stdout} />
      <OutputBlock title="stderr" text={report.stderr} error />
      <div className="pbp-muted pbp-limits-used">
        Limits: {describeLimits(report.limits)}
      </div>
    </div>
  );
}

function lineCount(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n').length;
  return `${lines} line${lines === 1 ? '' : 's'}`;
}

function describeLimits(l: RunLimits): string {
  return `${l.timeoutMs} ms, ${l.maxMemoryMib} MiB, ${l.fuel === null ? 'no fuel limit' : `${l.fuel} fuel`}, ${l.maxOutputKib} KiB output`;
}

export function OutputBlock({ title, text, error = false }: { title: string; text: string; error?: boolean }) {
  if (!text) return null;
  return (
    <div className="pbp-output-block">
      <div className="pbp-code-head">
        <span>{title}</span>
        <CopyButton text={text} />
      </div>
      <pre className={error ? 'pbp-output pbp-output-err' : 'pbp-output'} aria-label={title}>
        {text}
      </pre>
    </div>
  );
}
