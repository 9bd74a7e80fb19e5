/**
 * The mock editor of the binding panel: a built-in fake, and per-function
 * answers (a result, a sequence, cases, a trap) checked as they are typed;
 * the drafts being edited live in `mockDraft.ts`. Each WAVE box has the run
 * panel's generated form beside it (Form): editing either updates the other.
 */
import { useMemo, useState } from 'react';
import { useStore } from '../store';
import {
  type FakeName,
  type FunctionInfo,
  type Mock,
  type MockBehavior,
  type PortInfo,
  type Verdict,
  commands,
} from '../store/backend';
import { describeShape, type TypeShape } from '../wave/shape';
import { CommitInput, KeyValueEditor, WaveInput } from './inputs';
import { WaveTextForm } from './ValueForm';
import {
  type BehaviorKind,
  type Draft,
  draftOf,
  type Role,
  validKey,
  behaviorOf,
  isComplete,
  sameBehavior,
  defaultResultText,
  defaultArgsText,
  localChecker,
} from './mockDraft';
import { useGrantEntryCheck } from './useGrantEntryCheck';

export function MockEditor({
  mock,
  node,
  port,
  portInfo,
  onChange,
}: {
  mock: Mock;
  node: string | null;
  port: string | null;
  portInfo: PortInfo | null;
  onChange: (mock: Mock) => void;
}) {
  const checkEntry = useGrantEntryCheck();
  // The catalogue is the backend's (`fakes`), loaded with the project.
  const fakes = useStore((s) => s.fakes);
  const m: Mock = { fake: mock.fake, functions: mock.functions, values: mock.values, responses: mock.responses };
  const fake = fakes.find((f) => f.name === m.fake);
  const functions = portInfo?.functions ?? [];
  return (
    <div className="pbp-mock">
      <label className="pbp-field">
        <span className="pbp-label">Fake</span>
        <select
          className="pbp-select nodrag nokey"
          value={m.fake ?? ''}
          onChange={(e) => onChange({ ...m, fake: (e.target.value || null) as FakeName | null })}
        >
          <option value="">none: per-function answers only</option>
          {fakes.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name} — {f.title}
            </option>
          ))}
        </select>
      </label>
      {fake && <div className="pbp-muted">{fake.description}</div>}
      {(m.fake === 'kv' || m.fake === 'config' || m.values.length > 0) && (
        <fieldset className="pbp-scope">
          <legend>{m.fake === 'config' ? 'Config values' : 'Initial values'}</legend>
          <KeyValueEditor
            label="Values"
            rows={m.values}
            keyLabel="Key"
            valueLabel="Value"
            keyPlaceholder="greeting"
            valuePlaceholder="hello"
            onChange={(values) => onChange({ ...m, values })}
          />
        </fieldset>
      )}
      {(m.fake === 'http' || m.responses.length > 0) && (
        <fieldset className="pbp-scope">
          <legend>Canned responses</legend>
          <KeyValueEditor
            label="Responses"
            rows={m.responses}
            keyLabel="URL"
            valueLabel="Status and body"
            keyPlaceholder="https://example.com/hello"
            valuePlaceholder="200 hello"
            validateValue={(text) => checkEntry({ kind: 'response', text })}
            onChange={(responses) => onChange({ ...m, responses })}
          />
        </fieldset>
      )}
      {node && port && (
        <fieldset className="pbp-scope">
          <legend>Functions{m.fake ? ' (answers here override the fake)' : ''}</legend>
          {!portInfo && <div className="pbp-muted">The component of {node} is not loaded, so its functions are unknown.</div>}
          {portInfo && functions.length === 0 && <div className="pbp-muted">This interface has no functions (types only).</div>}
          {functions.map((fn) => (
            <FunctionMock
              key={fn.key}
              fn={fn}
              node={node}
              port={port}
              behavior={m.functions.find((f) => f.name === fn.key)?.behavior ?? null}
              hasFake={m.fake !== null}
              onChange={(behavior) => {
                const key = fn.key;
                const rest = m.functions.filter((f) => f.name !== key);
                const functionsNext = behavior
                  ? m.functions.some((f) => f.name === key)
                    ? m.functions.map((f) => (f.name === key ? { name: key, behavior } : f))
                    : [...rest, { name: key, behavior }]
                  : rest;
                onChange({ ...m, functions: functionsNext });
              }}
            />
          ))}
        </fieldset>
      )}
    </div>
  );
}

function FunctionMock({
  fn,
  node,
  port,
  behavior,
  hasFake,
  onChange,
}: {
  fn: FunctionInfo;
  node: string;
  port: string;
  behavior: MockBehavior | null;
  hasFake: boolean;
  onChange: (behavior: MockBehavior | null) => void;
}) {
  const key = fn.key;
  const doc = useStore((s) => s.doc);
  const [draft, setDraft] = useState<Draft>(() => draftOf(behavior));
  const [valid, setValid] = useState<ReadonlySet<string>>(() => new Set());
  const [shownBehavior, setShownBehavior] = useState(behavior);
  // The document changed under us (undo, another editor): show what it holds.
  if (!sameBehavior(shownBehavior, behavior)) {
    setShownBehavior(behavior);
    if (!sameBehavior(behaviorOf(draft), behavior)) setDraft(draftOf(behavior));
  }

  const resultShape = fn.resultShape;
  const argsShape = useMemo<TypeShape>(() => ({ kind: 'tuple', items: fn.params.map((p) => p.shape) }), [fn.params]);
  const argsWhat = `argument list (${fn.params.map((p) => `${p.name}: ${describeShape(p.shape)}`).join(', ')})`;
  // The backend checks results against the function's types; argument
  // tuples of match cases are checked here (and again when the project runs).
  const check = (role: Role) => (value: string): Promise<Verdict> => {
    if (role === 'args') {
      const error = localChecker(argsShape, argsWhat)?.(value) ?? null;
      return Promise.resolve({ ok: error === null, reason: error });
    }
    return doc
      ? commands.checkMockValue({ doc, node, import: port, function: key, value })
      : Promise.resolve({ ok: false, reason: 'no document' });
  };

  // The draft is written once every part has been accepted for its current text.
  const complete = isComplete(draft, valid);
  const update = (nextDraft: Draft, nextValid: ReadonlySet<string> = valid) => {
    setDraft(nextDraft);
    if (nextValid !== valid) setValid(nextValid);
    if (!isComplete(nextDraft, nextValid)) return;
    const next = behaviorOf(nextDraft);
    if (!sameBehavior(next, behavior)) {
      setShownBehavior(next);
      onChange(next);
    }
  };

  const setKind = (kind: BehaviorKind) => {
    if (kind === draft.kind) return;
    const result = defaultResultText(fn);
    switch (kind) {
      case 'none':
        update({ kind: 'none' });
        break;
      case 'returns':
        update({ kind: 'returns', value: result });
        break;
      case 'sequence':
        update({ kind: 'sequence', values: [result] });
        break;
      case 'match':
        update({ kind: 'match', cases: [{ args: defaultArgsText(fn), returns: result }], otherwise: null });
        break;
      case 'trap':
        update({ kind: 'trap', message: `${key} is mocked to trap` });
        break;
    }
  };
  const markValid = (role: Role) => (text: string) =>
    update(draft, valid.has(validKey(role, text)) ? valid : new Set(valid).add(validKey(role, text)));

  const constructor = fn.kind === 'constructor';
  return (
    <div className="pbp-fn-mock">
      <div className="pbp-fn-head">
        <code className="pbp-signature">{fn.resource ? `${fn.resource}.` : ''}{fn.signature}</code>
      </div>
      {constructor ? (
        <div className="pbp-muted">Constructors of mocked resources return a fresh handle.</div>
      ) : (
        <>
          <div className="pbp-row pbp-wrap">
            <select
              className="pbp-select nodrag nokey"
              aria-label={`Behaviour of ${key}`}
              value={draft.kind}
              onChange={(e) => setKind(e.target.value as BehaviorKind)}
            >
              <option value="none">{hasFake ? 'answered by the fake' : 'not mocked (calls fail)'}</option>
              <option value="returns">returns</option>
              <option value="sequence">sequence</option>
              <option value="match">match arguments</option>
              <option value="trap">trap</option>
            </select>
            {!complete && <span className="pbp-muted">not saved until every value checks</span>}
          </div>
          {draft.kind === 'returns' && (
            <WaveBox
              shape={resultShape}
              label={`${key} returns`}
              placeholder={fn.result ?? '()'}
              text={draft.value}
              onText={(value) => update({ kind: 'returns', value })}
              check={check('result')}
              localCheck={localChecker(resultShape)}
              onValid={markValid('result')}
            />
          )}
          {draft.kind === 'sequence' && (
            <div className="pbp-seq">
              {draft.values.map((v, i) => (
                <div key={i} className="pbp-row">
                  <span className="pbp-index">{i + 1}</span>
                  <div className="pbp-grow">
                    <WaveBox
                      shape={resultShape}
                      label={`${key} value ${i + 1}`}
                      placeholder={fn.result ?? '()'}
                      text={v}
                      onText={(t) => update({ kind: 'sequence', values: draft.values.map((x, j) => (j === i ? t : x)) })}
                      check={check('result')}
                      localCheck={localChecker(resultShape)}
                      onValid={markValid('result')}
                    />
                  </div>
                  <button
                    type="button"
                    className="pbp-btn pbp-btn-small pbp-btn-ghost"
                    aria-label={`Remove value ${i + 1} of ${key}`}
                    disabled={draft.values.length === 1}
                    onClick={() => update({ kind: 'sequence', values: draft.values.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="pbp-btn pbp-btn-small"
                onClick={() => update({ kind: 'sequence', values: [...draft.values, defaultResultText(fn)] })}
              >
                + Value
              </button>
              <div className="pbp-muted">Answers in turn; the last one repeats.</div>
            </div>
          )}
          {draft.kind === 'match' && (
            <div className="pbp-cases">
              {draft.cases.map((c, i) => (
                <div key={i} className="pbp-case">
                  <div className="pbp-grow">
                    <WaveBox
                      shape={argsShape}
                      label={`${key} case ${i + 1} arguments`}
                      placeholder={`(${fn.params.map((p) => p.ty).join(', ')})`}
                      text={c.args}
                      onText={(t) =>
                        update({ ...draft, cases: draft.cases.map((x, j) => (j === i ? { ...x, args: t } : x)) })
                      }
                      check={check('args')}
                      localCheck={localChecker(argsShape, argsWhat)}
                      onValid={markValid('args')}
                    />
                  </div>
                  <span className="pbp-arrow">→</span>
                  <div className="pbp-grow">
                    <WaveBox
                      shape={resultShape}
                      label={`${key} case ${i + 1} returns`}
                      placeholder={fn.result ?? '()'}
                      text={c.returns}
                      onText={(t) =>
                        update({ ...draft, cases: draft.cases.map((x, j) => (j === i ? { ...x, returns: t } : x)) })
                      }
                      check={check('result')}
                      localCheck={localChecker(resultShape)}
                      onValid={markValid('result')}
                    />
                  </div>
                  <button
                    type="button"
                    className="pbp-btn pbp-btn-small pbp-btn-ghost"
                    aria-label={`Remove case ${i + 1} of ${key}`}
                    onClick={() => update({ ...draft, cases: draft.cases.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </div>
              ))}
              <div className="pbp-row pbp-wrap">
                <button
                  type="button"
                  className="pbp-btn pbp-btn-small"
                  onClick={() =>
                    update({ ...draft, cases: [...draft.cases, { args: defaultArgsText(fn), returns: defaultResultText(fn) }] })
                  }
                >
                  + Case
                </button>
                <label className="pbp-check">
                  <input
                    type="checkbox"
                    className="nodrag nokey"
                    checked={draft.otherwise !== null}
                    onChange={(e) => update({ ...draft, otherwise: e.target.checked ? defaultResultText(fn) : null })}
                  />
                  otherwise
                </label>
              </div>
              {draft.otherwise !== null && (
                <WaveBox
                  shape={resultShape}
                  label={`${key} otherwise`}
                  placeholder={fn.result ?? '()'}
                  text={draft.otherwise}
                  onText={(t) => update({ ...draft, otherwise: t })}
                  check={check('result')}
                  localCheck={localChecker(resultShape)}
                  onValid={markValid('result')}
                />
              )}
              {draft.otherwise === null && <div className="pbp-muted">Calls that match no case trap.</div>}
            </div>
          )}
          {draft.kind === 'trap' && (
            <CommitInput
              label={`${key} trap message`}
              value={draft.message}
              onCommit={(message) => update({ kind: 'trap', message })}
            />
          )}
        </>
      )}
    </div>
  );
}

/** A WAVE box with the value's generated form beside it, shown on demand. */
function WaveBox({ shape, ...input }: Parameters<typeof WaveInput>[0] & { shape: TypeShape | null }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="pbp-wave-with-form">
      <div className="pbp-row">
        <div className="pbp-grow">
          <WaveInput {...input} />
        </div>
        {shape && (
          <button
            type="button"
            className="pbp-btn pbp-btn-small"
            aria-expanded={open}
            aria-label={`Form for ${input.label}`}
            title={open ? 'Hide the form' : 'Edit this value in a form generated from its type'}
            onClick={() => setOpen(!open)}
          >
            Form
          </button>
        )}
      </div>
      {open && shape && <WaveTextForm shape={shape} text={input.text} onText={input.onText} label={`${input.label} (form)`} />}
    </div>
  );
}
