import { describe, expect, it } from 'vitest';
import { diffStates, formatActionData, formatChange, formatValue } from '../../checker/format.ts';

describe('format', () => {
  it('renders values compactly and deterministically', () => {
    expect(formatValue({ a: 1, b: [true, 'x'], c: undefined })).toBe('{a: 1, b: [true, "x"]}');
    expect(formatValue(new Set([1, 2]))).toBe('Set{1, 2}');
    expect(formatValue(new Map([['k', 2n]]))).toBe('Map{"k" → 2n}');
    expect(formatValue(null)).toBe('null');
  });

  it('renders tagged actions as Type(field=value)', () => {
    expect(formatActionData({ type: 'ShuttleArrive', blade: 1 })).toBe('ShuttleArrive(blade=1)');
    expect(formatActionData({ type: 'Tick' })).toBe('Tick');
    expect(formatActionData(3)).toBe('3');
  });

  it('names the deepest paths that changed, and only those', () => {
    const before = { blades: [{ seq: 1, journal: [1] }, { seq: 1, journal: [] }], clock: 0 };
    const after = { blades: [{ seq: 1, journal: [1] }, { seq: 2, journal: [4] }], clock: 0 };
    expect(diffStates(before, after).map(formatChange)).toEqual(['blades[1].seq: 1 → 2', 'blades[1].journal: [] → [4]']);
    expect(diffStates(before, before)).toEqual([]);
    expect(diffStates({ a: 1 }, { a: 1, b: 2 }).map(formatChange)).toEqual(['b = 2 (new)']);
    expect(diffStates({ a: 1, b: 2 }, { a: 1 }).map(formatChange)).toEqual(['b removed (was 2)']);
  });
});
