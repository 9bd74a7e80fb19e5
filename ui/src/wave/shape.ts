/**
 * The type shapes the backend reports for parameters and results, and the
 * value tree the WAVE formatter, parser and the run form share.
 */
import type { TypeShape } from '../store/backend';

export type { TypeShape };

export type PrimitiveName = Extract<TypeShape, { kind: 'primitive' }>['name'];

/** A component-model value, typed by the `TypeShape` it was built for. */
export type WaveValue =
  | { kind: 'bool'; value: boolean }
  /** Integers of every width; `bigint` so that u64 and s64 keep every digit. */
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  /** One Unicode scalar value. */
  | { kind: 'char'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: WaveValue[] }
  | { kind: 'tuple'; items: WaveValue[] }
  /** Fields in the order of the record type. */
  | { kind: 'record'; fields: { name: string; value: WaveValue }[] }
  | { kind: 'variant'; case: string; payload: WaveValue | null }
  | { kind: 'enum'; case: string }
  /** `value` null is `none`. */
  | { kind: 'option'; value: WaveValue | null }
  | { kind: 'result'; case: 'ok' | 'err'; value: WaveValue | null }
  /** Set flags, in the order of the flags type. */
  | { kind: 'flags'; flags: string[] };

/** Inclusive integer ranges per primitive integer type. */
export const INT_RANGES: Record<string, [bigint, bigint]> = {
  s8: [-(2n ** 7n), 2n ** 7n - 1n],
  s16: [-(2n ** 15n), 2n ** 15n - 1n],
  s32: [-(2n ** 31n), 2n ** 31n - 1n],
  s64: [-(2n ** 63n), 2n ** 63n - 1n],
  u8: [0n, 2n ** 8n - 1n],
  u16: [0n, 2n ** 16n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  u64: [0n, 2n ** 64n - 1n],
};

export function isIntName(name: string): boolean {
  return name in INT_RANGES;
}

export function isFloatName(name: string): boolean {
  return name === 'f32' || name === 'f64';
}

/**
 * How a call writes a `stream<T>` or `future<T>` argument (the backend's
 * rule, `patchbay_host::streams`): a stream as the WAVE list of the items
 * the host writes into it, a future as the value it resolves to. Other
 * shapes are written as themselves.
 */
export function writtenAs(shape: TypeShape): TypeShape {
  if (shape.kind === 'stream') return { kind: 'list', of: shape.of };
  if (shape.kind === 'future') return shape.of;
  return shape;
}

/** WIT-like spelling of a shape, for labels and error messages. */
export function describeShape(shape: TypeShape): string {
  switch (shape.kind) {
    case 'primitive':
      return shape.name;
    case 'list':
      return `list<${describeShape(shape.of)}>`;
    case 'option':
      return `option<${describeShape(shape.of)}>`;
    case 'result': {
      if (!shape.ok && !shape.err) return 'result';
      if (!shape.err) return `result<${describeShape(shape.ok as TypeShape)}>`;
      return `result<${shape.ok ? describeShape(shape.ok) : "_"}, ${describeShape(shape.err)}>`;
    }
    case 'tuple':
      return `tuple<${shape.items.map(describeShape).join(", ")}>`;
    case 'record':
      return shape.name ?? 'record';
    case 'variant':
      return shape.name ?? 'variant';
    case 'enum':
      return shape.name ?? 'enum';
    case 'flags':
      return shape.name ?? 'flags';
    case 'handle':
      return shape.borrow ? `borrow<${shape.name ?? "resource"}>` : `own<${shape.name ?? "resource"}>`;
    case 'stream':
      return `stream<${describeShape(shape.of)}>`;
    case 'future':
      return `future<${describeShape(shape.of)}>`;
    case 'unsupported':
      return shape.wit;
  }
}

/** Why a value of this shape cannot be typed in, or null when it can. */
export function unenterableReason(shape: TypeShape): string | null {
  switch (shape.kind) {
    case 'handle':
      return `${describeShape(shape)} is a resource handle: it only exists inside a running instance, so it cannot be written as a value`;
    case 'unsupported':
      return `${shape.wit} values cannot be written in WAVE (a call gives streams and futures of bool, integers, floats, char and string only)`;
    case 'list':
    case 'option':
    case 'stream':
    case 'future':
      return unenterableReason(shape.of);
    case 'result':
      return (shape.ok && unenterableReason(shape.ok)) || (shape.err && unenterableReason(shape.err)) || null;
    case 'tuple':
      for (const item of shape.items) {
        const r = unenterableReason(item);
        if (r) return r;
      }
      return null;
    case 'record':
      for (const f of shape.fields) {
        const r = unenterableReason(f.shape);
        if (r) return r;
      }
      return null;
    case 'variant':
      for (const c of shape.cases) {
        const r = c.shape && unenterableReason(c.shape);
        if (r) return r;
      }
      return null;
    default:
      return null;
  }
}
