/**
 * The texts a person is editing for one mocked function (a result, a
 * sequence, cases with arguments, a trap), kept apart from the binding
 * until every part checks, and the conversions between such a draft and
 * the binding's `MockBehavior`.
 */
import type { FunctionInfo, MockBehavior } from '../store/backend';
import { defaultValue } from '../wave/form';
import { formatWave, parseWave } from '../wave/format';
import { describeShape, type TypeShape } from '../wave/shape';

export type BehaviorKind = MockBehavior['kind'] | 'none';

/** Texts being edited for one function; written once every part checks. */
export type Draft =
  | { kind: 'none' }
  | { kind: 'returns'; value: string }
  | { kind: 'sequence'; values: string[] }
  | { kind: 'match'; cases: { args: string; returns: string }[]; otherwise: string | null }
  | { kind: 'trap'; message: string };

export function draftOf(b: MockBehavior | null): Draft {
  if (!b) return { kind: 'none' };
  switch (b.kind) {
    case 'returns':
      return { kind: 'returns', value: b.value };
    case 'sequence':
      return { kind: 'sequence', values: [...b.values] };
    case 'match':
      return { kind: 'match', cases: b.cases.map((c) => ({ ...c })), otherwise: b.otherwise };
    case 'trap':
      return { kind: 'trap', message: b.message };
  }
}

export type Role = 'result' | 'args';

/** The WAVE texts of a draft that must check, with the role they play. */
function draftParts(d: Draft): { role: Role; text: string }[] {
  switch (d.kind) {
    case 'returns':
      return [{ role: 'result', text: d.value }];
    case 'sequence':
      return d.values.map((v) => ({ role: 'result', text: v }));
    case 'match':
      return [
        ...d.cases.flatMap((c) => [
          { role: 'args' as const, text: c.args },
          { role: 'result' as const, text: c.returns },
        ]),
        ...(d.otherwise !== null ? [{ role: 'result' as const, text: d.otherwise }] : []),
      ];
    default:
      return [];
  }
}

/** Validity depends only on the role and the text, so edits elsewhere keep it. */
export function validKey(role: Role, text: string): string {
  return `${role}\u0000${text}`;
}

export function behaviorOf(d: Draft): MockBehavior | null {
  switch (d.kind) {
    case 'none':
      return null;
    case 'returns':
      return { kind: 'returns', value: d.value };
    case 'sequence':
      return { kind: 'sequence', values: d.values };
    case 'match':
      return { kind: 'match', cases: d.cases, otherwise: d.otherwise };
    case 'trap':
      return { kind: 'trap', message: d.message };
  }
}

/** Whether every WAVE text of the draft has been accepted. */
export function isComplete(d: Draft, valid: ReadonlySet<string>): boolean {
  if (d.kind === 'sequence' && d.values.length === 0) return false;
  if (d.kind === 'match' && d.cases.length === 0 && d.otherwise === null) return false;
  return draftParts(d).every((p) => valid.has(validKey(p.role, p.text)));
}

export function sameBehavior(a: MockBehavior | null, b: MockBehavior | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A starting value for a result: the type's default in WAVE, or empty. */
export function defaultResultText(fn: FunctionInfo): string {
  if (!fn.resultShape) return '';
  const v = defaultValue(fn.resultShape);
  return v ? formatWave(fn.resultShape, v) : '';
}

export function defaultArgsText(fn: FunctionInfo): string {
  const shapes = fn.params.map((p) => p.shape);
  const values = shapes.map((s) => defaultValue(s));
  if (values.some((v) => v === null)) return '()';
  return `(${values.map((v, i) => formatWave(shapes[i], v as NonNullable<typeof v>)).join(', ')})`;
}

/** Parses with the TypeScript parser when the type is fully known; an
 *  error names the type the text must have, as the backend's do. */
export function localChecker(
  shape: TypeShape | null,
  what: string = shape ? describeShape(shape) : '',
): ((text: string) => string | null) | undefined {
  if (!shape) return undefined;
  return (text) => {
    try {
      parseWave(shape, text);
      return null;
    } catch (e) {
      return `\`${text}\` is not a valid ${what}: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
}
