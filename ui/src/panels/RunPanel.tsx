/**
 * Runs the composition: pick an export function, fill its arguments in a
 * form generated from their types (or as raw WAVE; remembered per function
 * across edits, with the project's presets), run with limits, and read the
 * result, output, capability denials, mock calls and timing. A result from
 * before an edit of what runs is marked stale. Runs share the live
 * session's instance unless "Fresh instance per call" is on. Every call
 * goes into the history below, to run again, pin or copy as a `patchbay
 * call` command line. Compositions that export a `wasi:http` handler
 * (`incoming-handler` of WASI 0.2, `handler` of WASI 0.3; the backend's
 * `servesHttp` says) can be served.
 */
import { useCallback, useEffect, useState } from 'react';
import { useStore } from '../store';
import type { RunTarget } from '../store/backend';
import { resultIsStale } from '../store/runSlice';
import { CopyButton, EmptyState, Spinner } from './common';
import { SessionBar } from './RunSession';
import { ArgsEditor } from './RunPanelArgs';
import { RunResult } from './RunPanelResult';
import { RunHistory } from './RunHistory';
import { SESSION_STATUS_DELAY_MS } from './sessionText';

export { OutputBlock } from './RunPanelResult';

export function RunPanel() {
  const analysis = useStore((s) => s.analysis);
  const running = useStore((s) => s.running);
  const run = useStore((s) => s.run);
  const setPendingCall = useStore((s) => s.setPendingCall);
  const lastRun = useStore((s) => s.lastRun);
  const stale = useStore(resultIsStale);
  const doc = useStore((s) => s.doc);
  const refreshRunKey = useStore((s) => s.refreshRunKey);
  const chosen = useStore((s) => s.runTarget);
  const setChosen = useStore((s) => s.setRunTarget);

  const targets = analysis?.composed?.runTargets ?? [];
  const target = targets.find((t) => t.callPrefix === chosen) ?? targets.find((t) => t.callable) ?? targets[0] ?? null;
  // The node whose export the function is: the form's arguments are kept per node too.
  const nodeOf = (t: RunTarget | null) => doc?.exports.find((e) => (e.name ?? e.from.port) === t?.export)?.from.node ?? null;
  const node = nodeOf(target);

  // Selecting one node on the canvas preselects its first exported
  // function, unless the chosen one is already that node's.
  const selected = useStore((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : null));
  useEffect(() => {
    if (!selected || node === selected) return;
    const own = targets.find((t) => nodeOf(t) === selected);
    if (own) setChosen(own.callPrefix);
    // Only a new selection moves the choice; later edits keep the user's pick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  // After an edit, ask the backend whether the document still runs what
  // the shown result ran (moving a node does not change it).
  useEffect(() => {
    if (!lastRun) return;
    const timer = setTimeout(() => void refreshRunKey(), SESSION_STATUS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, lastRun, refreshRunKey]);

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
              {target.callable && (
                <ArgsEditor
                  // A new signature is a new form (the remembered arguments
                  // are dropped, and it says so).
                  key={`${target.callPrefix}\u0000${target.function.signature}`}
                  target={target}
                  node={node}
                  onCall={onCall}
                />
              )}
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
      {lastRun && <RunResult report={lastRun} stale={stale} />}
      <RunHistory />
    </section>
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

/** Start/Stop serving the composition's `wasi:http` handler on localhost. */
function ServeControls() {
  const composed = useStore((s) => s.analysis?.composed ?? null);
  const serving = useStore((s) => s.serving);
  const startServing = useStore((s) => s.startServing);
  const stopServing = useStore((s) => s.stopServing);
  const [busy, setBusy] = useState(false);
  const exportsHttp = composed?.servesHttp ?? false;
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
          <span className="pbp-muted">exports a wasi:http handler</span>
          <button type="button" className="pbp-btn" disabled={busy} onClick={() => void act(() => startServing(null))}>
            Start serving
          </button>
        </>
      )}
      {busy && <Spinner label="Working" />}
    </div>
  );
}

