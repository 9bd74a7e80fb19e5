/**
 * What the last run returned and everything it did on the way: result (and
 * its strings as text), failure, denials, scope lines, mock calls, output
 * and limits. A result from before the last edit of what runs is greyed and
 * says so until the next run.
 */
import { useMemo } from 'react';
import { useStore } from '../store';
import type { RunLimits, RunReport } from '../store/backend';
import { multilineStringsOf } from '../wave/strings';
import { CopyButton, Mark } from './common';
import { formatMicros, resultShapeOf } from './text';

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
export function RunResult({ report, stale }: { report: RunReport; stale: boolean }) {
  const failure = report.failure;
  const targets = useStore((s) => s.analysis?.composed?.runTargets);
  const texts = useMemo(
    () => (report.result === null ? [] : multilineStringsOf(resultShapeOf(targets ?? [], report.call), report.result)),
    [report, targets],
  );
  return (
    <div
      className={stale ? 'pbp-run-result pbp-run-stale' : 'pbp-run-result'}
      aria-label="Last run"
      role="region"
      data-stale={stale ? 'true' : undefined}
    >
      {stale && (
        <div className="pbp-stale-note" role="note">
          From before your last edit: the graph or its bindings changed since this ran. Run again to see the current
          result.
        </div>
      )}
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
