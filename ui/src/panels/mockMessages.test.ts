import { describe, expect, it } from 'vitest';
import type { TypeShape } from '../wave/shape';
import { localChecker } from './mockDraft';

describe('the mock editor’s WAVE errors', () => {
  it('name the type the value must have', () => {
    const option: TypeShape = { kind: 'option', of: { kind: 'primitive', name: 'string' } };
    const check = localChecker(option)!;
    expect(check('some("x")')).toBeNull();
    const error = check('42');
    expect(error).toMatch(/^`42` is not a valid option<string>: /);
  });

  it('name the argument list a case must match', () => {
    const args: TypeShape = { kind: 'tuple', items: [{ kind: 'primitive', name: 'string' }, { kind: 'primitive', name: 'u32' }] };
    const check = localChecker(args, 'argument list (key: string, n: u32)')!;
    expect(check('("a", 1)')).toBeNull();
    expect(check('("a", "b")')).toMatch(/^`\("a", "b"\)` is not a valid argument list \(key: string, n: u32\): /);
  });

  it('leave types it cannot parse here to the backend', () => {
    expect(localChecker(null)).toBeUndefined();
  });
});
