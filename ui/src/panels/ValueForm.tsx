/**
 * A form for one component-model value, generated from its `TypeShape`:
 * proper inputs for primitives (with range and character checks), lists
 * with add/remove, options with a "some" toggle, results with an ok/err
 * switch, tuples, records, variants, enums and flags; a stream argument as
 * the list of its items, a future argument as its value. Handles and other
 * values WAVE cannot write explain why instead.
 *
 * Inputs keep what was typed even while it is invalid; only valid values are
 * passed up, and every field reports its error to the nearest
 * `FormErrorsContext` so the run button can wait until the form is valid.
 */
import { useContext, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { FormErrorsContext } from './formErrors';
import {
  defaultValue,
  primitiveHint,
  primitiveText,
  readPrimitiveInput,
  resultWithCase,
  sameValue,
  variantWithCase,
} from '../wave/form';
import { formatWave, parseWave } from '../wave/format';
import type { PrimitiveName, TypeShape, WaveValue } from '../wave/shape';
import { describeShape, unenterableReason, writtenAs } from '../wave/shape';


type FieldProps = {
  shape: TypeShape;
  value: WaveValue | null;
  onChange: (value: WaveValue) => void;
  /** Accessible name of the field, e.g. `order.items[0].sku`. */
  label: string;
};

/** One value's form, recursively. */
export function ValueField({ shape, value, onChange, label }: FieldProps) {
  if (shape.kind === 'handle' || shape.kind === 'unsupported' || value === null) {
    return (
      <div className="pbp-unenterable" role="note">
        <code>{describeShape(shape)}</code>: {unenterableReason(shape) ?? 'this value cannot be entered'}
      </div>
    );
  }
  switch (shape.kind) {
    case 'primitive':
      return <PrimitiveField name={shape.name} value={value} onChange={onChange} label={label} />;
    case 'list':
      return <ListField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'option':
      return <OptionField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'result':
      return <ResultField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'tuple':
      return <TupleField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'record':
      return <RecordField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'variant':
      return <VariantField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'enum':
      return <EnumField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'flags':
      return <FlagsField shape={shape} value={value} onChange={onChange} label={label} />;
    case 'stream':
    case 'future':
      return <HandleArgField shape={shape} value={value} onChange={onChange} label={label} />;
  }
}

/**
 * A `stream<T>` or `future<T>` argument: the host makes it from what is
 * entered here (`writtenAs`), so a stream is edited as the list of items
 * it delivers and a future as the value it resolves to.
 */
function HandleArgField({ shape, value, onChange, label }: FieldProps & { shape: TypeShape }) {
  const note =
    shape.kind === 'stream'
      ? 'The items the host writes into the stream, in order; it ends the stream after the last.'
      : 'The value the host resolves the future to.';
  return (
    <div className="pbp-handle-arg">
      <div className="pbp-muted" role="note">
        <code>{describeShape(shape)}</code>: {note}
      </div>
      <ValueField shape={writtenAs(shape)} value={value} onChange={onChange} label={label} />
    </div>
  );
}

/**
 * The form of a value written as WAVE text elsewhere (the mock editor's
 * boxes): it shows what the text holds, and an edit of the form writes the
 * text. While the text does not parse, it shows the last value that did
 * and says so; the first edit replaces the text.
 */
export function WaveTextForm({
  shape,
  text,
  onText,
  label,
}: {
  shape: TypeShape;
  text: string;
  onText: (text: string) => void;
  label: string;
}) {
  const parsed = useMemo<WaveValue | null>(() => {
    try {
      return parseWave(shape, text);
    } catch {
      return null;
    }
  }, [shape, text]);
  const [last, setLast] = useState<WaveValue | null>(() => parsed ?? defaultValue(shape));
  if (parsed && (!last || !sameValue(parsed, last))) setLast(parsed);
  const shown = parsed ?? last;
  if (!shown) {
    return (
      <div className="pbp-unenterable" role="note">
        <code>{describeShape(shape)}</code>: {unenterableReason(shape) ?? 'this value cannot be entered as a form'}
      </div>
    );
  }
  return (
    <div className="pbp-wave-form" role="group" aria-label={label}>
      {!parsed && (
        <div className="pbp-muted" role="note">
          The text does not read as <code>{describeShape(shape)}</code>; the form shows the last value that did, and an
          edit here replaces the text.
        </div>
      )}
      <ValueField
        shape={shape}
        value={shown}
        label={label}
        onChange={(v) => {
          setLast(v);
          onText(formatWave(shape, v));
        }}
      />
    </div>
  );
}

/** Reports `error` for `label` while mounted. */
function useReportError(label: string, error: string | null) {
  const { report } = useContext(FormErrorsContext);
  useEffect(() => {
    report(label, error);
    return () => report(label, null);
  }, [report, label, error]);
}

function PrimitiveField({
  name,
  value,
  onChange,
  label,
}: {
  name: PrimitiveName;
  value: WaveValue;
  onChange: (value: WaveValue) => void;
  label: string;
}) {
  const id = useId();
  const [text, setText] = useState(() => primitiveText(value, name));
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(value);
  // A new value from outside (a list item removed, the WAVE box parsed):
  // show it, unless the text typed already means that value.
  if (shown !== value) {
    setShown(value);
    const typed = readPrimitiveInput(name, text);
    if (!typed.ok || !sameValue(typed.value, value)) {
      setText(primitiveText(value, name));
      setError(null);
    }
  }
  useReportError(label, error);

  if (name === 'bool') {
    return (
      <label className="pbp-check">
        <input
          type="checkbox"
          className="nodrag nokey"
          checked={value.kind === 'bool' && value.value}
          aria-label={label}
          onChange={(e) => onChange({ kind: 'bool', value: e.target.checked })}
        />
        <code>{value.kind === 'bool' && value.value ? 'true' : 'false'}</code>
      </label>
    );
  }

  const numeric = name !== 'string' && name !== 'char';
  return (
    <div className="pbp-prim">
      <input
        id={id}
        className={`pbp-input nodrag nokey${numeric ? ' pbp-input-num' : ''}${name === 'char' ? ' pbp-input-char' : ''}`}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        title={primitiveHint(name)}
        placeholder={name === 'string' ? 'text' : name}
        inputMode={numeric && name !== 'f32' && name !== 'f64' ? 'numeric' : undefined}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const r = readPrimitiveInput(name, next);
          if (r.ok) {
            setError(null);
            setShown(r.value);
            onChange(r.value);
          } else {
            setError(r.error);
          }
        }}
      />
      {error && (
        <div id={`${id}-error`} className="pbp-field-error">
          {error}
        </div>
      )}
    </div>
  );
}

function ListField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'list' }> }) {
  if (value?.kind !== 'list') return null;
  const fresh = defaultValue(shape.of);
  const set = (i: number, v: WaveValue) => onChange({ kind: 'list', items: value.items.map((x, j) => (j === i ? v : x)) });
  return (
    <div className="pbp-list" role="group" aria-label={label}>
      {value.items.length === 0 && <div className="pbp-muted">empty list</div>}
      {value.items.map((item, i) => (
        <div key={i} className="pbp-list-item">
          <span className="pbp-index">{i}</span>
          <div className="pbp-grow">
            <ValueField shape={shape.of} value={item} onChange={(v) => set(i, v)} label={`${label}[${i}]`} />
          </div>
          <button
            type="button"
            className="pbp-btn pbp-btn-small pbp-btn-ghost"
            aria-label={`Remove ${label}[${i}]`}
            onClick={() => onChange({ kind: 'list', items: value.items.filter((_, j) => j !== i) })}
          >
            ×
          </button>
        </div>
      ))}
      {fresh ? (
        <button
          type="button"
          className="pbp-btn pbp-btn-small"
          aria-label={`Add item to ${label}`}
          onClick={() => onChange({ kind: 'list', items: [...value.items, fresh] })}
        >
          + Add {describeShape(shape.of)}
        </button>
      ) : (
        <div className="pbp-unenterable" role="note">
          Items cannot be added: {unenterableReason(shape.of)}
        </div>
      )}
    </div>
  );
}

function OptionField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'option' }> }) {
  // Remember the last `some` payload so unticking and ticking again keeps it.
  const [kept, setKept] = useState<WaveValue | null>(null);
  if (value?.kind !== 'option') return null;
  const fresh = value.value ?? kept ?? defaultValue(shape.of);
  return (
    <div className="pbp-option">
      <label className="pbp-check">
        <input
          type="checkbox"
          className="nodrag nokey"
          aria-label={`${label} is some`}
          checked={value.value !== null}
          disabled={value.value === null && fresh === null}
          onChange={(e) => {
            if (e.target.checked && fresh) {
              onChange({ kind: 'option', value: fresh });
            } else {
              setKept(value.value);
              onChange({ kind: 'option', value: null });
            }
          }}
        />
        <code>{value.value === null ? 'none' : 'some'}</code>
      </label>
      {value.value !== null && (
        <div className="pbp-nested">
          <ValueField shape={shape.of} value={value.value} onChange={(v) => onChange({ kind: 'option', value: v })} label={label} />
        </div>
      )}
      {value.value === null && fresh === null && (
        <div className="pbp-unenterable" role="note">
          Only none: {unenterableReason(shape.of)}
        </div>
      )}
    </div>
  );
}

function ResultField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'result' }> }) {
  if (value?.kind !== 'result') return null;
  const payloadShape = value.case === 'ok' ? shape.ok : shape.err;
  const pick = (which: 'ok' | 'err') => {
    if (which === value.case) return;
    const next = resultWithCase(shape, which);
    if (next) onChange(next);
  };
  return (
    <div className="pbp-result">
      <div className="pbp-segmented" role="radiogroup" aria-label={`${label} ok or err`}>
        {(['ok', 'err'] as const).map((which) => (
          <button
            key={which}
            type="button"
            role="radio"
            aria-checked={value.case === which}
            className={value.case === which ? 'pbp-seg pbp-seg-on' : 'pbp-seg'}
            disabled={resultWithCase(shape, which) === null}
            onClick={() => pick(which)}
          >
            {which}
          </button>
        ))}
      </div>
      {payloadShape && (
        <div className="pbp-nested">
          <ValueField
            shape={payloadShape}
            value={value.value}
            onChange={(v) => onChange({ kind: 'result', case: value.case, value: v })}
            label={`${label}.${value.case}`}
          />
        </div>
      )}
    </div>
  );
}

function TupleField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'tuple' }> }) {
  if (value?.kind !== 'tuple') return null;
  return (
    <div className="pbp-fields" role="group" aria-label={label}>
      {shape.items.map((itemShape, i) => (
        <FieldRow key={i} name={String(i)} type={describeShape(itemShape)}>
          <ValueField
            shape={itemShape}
            value={value.items[i] ?? null}
            onChange={(v) => onChange({ kind: 'tuple', items: value.items.map((x, j) => (j === i ? v : x)) })}
            label={`${label}.${i}`}
          />
        </FieldRow>
      ))}
    </div>
  );
}

function RecordField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'record' }> }) {
  if (value?.kind !== 'record') return null;
  return (
    <div className="pbp-fields" role="group" aria-label={label}>
      {shape.fields.map((field) => {
        const current = value.fields.find((f) => f.name === field.name)?.value ?? null;
        return (
          <FieldRow key={field.name} name={field.name} type={describeShape(field.shape)}>
            <ValueField
              shape={field.shape}
              value={current}
              onChange={(v) =>
                onChange({
                  kind: 'record',
                  fields: shape.fields.map((f) => ({
                    name: f.name,
                    value: f.name === field.name ? v : (value.fields.find((x) => x.name === f.name)?.value as WaveValue),
                  })),
                })
              }
              label={`${label}.${field.name}`}
            />
          </FieldRow>
        );
      })}
    </div>
  );
}

function VariantField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'variant' }> }) {
  if (value?.kind !== 'variant') return null;
  const c = shape.cases.find((x) => x.name === value.case);
  return (
    <div className="pbp-variant">
      <select
        className="pbp-select nodrag nokey"
        aria-label={label}
        value={value.case}
        onChange={(e) => {
          const next = variantWithCase(shape, e.target.value);
          if (next) onChange(next);
        }}
      >
        {shape.cases.map((x) => (
          <option key={x.name} value={x.name} disabled={variantWithCase(shape, x.name) === null}>
            {x.shape ? `${x.name}(${describeShape(x.shape)})` : x.name}
          </option>
        ))}
      </select>
      {c?.shape && (
        <div className="pbp-nested">
          <ValueField
            shape={c.shape}
            value={value.payload}
            onChange={(v) => onChange({ kind: 'variant', case: value.case, payload: v })}
            label={`${label}.${value.case}`}
          />
        </div>
      )}
    </div>
  );
}

function EnumField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'enum' }> }) {
  if (value?.kind !== 'enum') return null;
  return (
    <select
      className="pbp-select nodrag nokey"
      aria-label={label}
      value={value.case}
      onChange={(e) => onChange({ kind: 'enum', case: e.target.value })}
    >
      {shape.cases.map((x) => (
        <option key={x} value={x}>
          {x}
        </option>
      ))}
    </select>
  );
}

function FlagsField({
  shape,
  value,
  onChange,
  label,
}: FieldProps & { shape: Extract<TypeShape, { kind: 'flags' }> }) {
  if (value?.kind !== 'flags') return null;
  return (
    <div className="pbp-flags" role="group" aria-label={label}>
      {shape.flags.map((flag) => (
        <label key={flag} className="pbp-check">
          <input
            type="checkbox"
            className="nodrag nokey"
            aria-label={`${label} ${flag}`}
            checked={value.flags.includes(flag)}
            onChange={(e) => {
              const set = new Set(value.flags);
              if (e.target.checked) set.add(flag);
              else set.delete(flag);
              onChange({ kind: 'flags', flags: shape.flags.filter((f) => set.has(f)) });
            }}
          />
          {flag}
        </label>
      ))}
      {shape.flags.length === 0 && <span className="pbp-muted">no flags</span>}
    </div>
  );
}

function FieldRow({ name, type, children }: { name: string; type: string; children: ReactNode }) {
  return (
    <div className="pbp-field-row">
      <div className="pbp-field-name">
        <span>{name}</span>
        <code className="pbp-type">{type}</code>
      </div>
      <div className="pbp-field-value">{children}</div>
    </div>
  );
}
