/** Structural sets and maps: deduplicated as values, in one canonical order, never changing their arguments. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { fingerprint } from '../../checker/fingerprint.ts';
import {
  compareValues,
  equalValues,
  mapDelete,
  mapGet,
  mapHas,
  mapOf,
  mapSet,
  setAdd,
  setHas,
  setOf,
  setRemove,
  setUnion,
} from '../../checker/structural.ts';
import { plainMsgs, structuralMsgs } from '../examples/commitMsgs.ts';

const leaf = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.constant(null), fc.constantFrom(1n, 2n));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 }),
    fc.array(tie('value'), { maxLength: 3 }).map((xs) => new Set(xs)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((es) => new Map(es)),
  ),
}));

/** The same value built of new objects, with keys, Set members and Map entries in reverse order. */
const rebuilt = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(rebuilt);
  if (v instanceof Set) return new Set([...v].reverse().map(rebuilt));
  if (v instanceof Map) return new Map([...v].reverse().map(([k, x]) => [rebuilt(k), rebuilt(x)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, rebuilt(x)]));
  return v;
};

const sameFp = (a: unknown, b: unknown): boolean => {
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  return fa.hi === fb.hi && fa.lo === fb.lo;
};

type Msg = { readonly type: string; readonly rm?: number };
const commit = (): Msg => ({ type: 'Commit' });

describe('compareValues: the canonical order of plain data', () => {
  it('calls two values equal exactly when their fingerprints are, whatever their key, Set or Map order', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(compareValues(a, rebuilt(a))).toBe(0);
        expect(equalValues(a, b)).toBe(sameFp(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('is an order: antisymmetric and transitive', () => {
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        expect(Math.sign(compareValues(a, b)) + Math.sign(compareValues(b, a))).toBe(0);
        const [x, y, z] = [a, b, c].sort(compareValues);
        expect(compareValues(x, z)).toBeLessThanOrEqual(0);
        expect(compareValues(x, y) <= 0 && compareValues(y, z) <= 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('sorts kinds, then numbers by value, strings by code unit, objects field by field (a missing field first); undefined fields are absent', () => {
    expect([{ b: 1 }, 'b', 2, [1], { a: 2 }, null, true, 'a', -1, { a: 1 }, { a: 1, b: 0 }].sort(compareValues)).toEqual([
      null, true, -1, 2, 'a', 'b', [1], { b: 1 }, { a: 1 }, { a: 1, b: 0 }, { a: 2 },
    ]);
    expect(compareValues({ a: 1, b: undefined }, { a: 1 })).toBe(0);
    expect(compareValues(0, -0)).toBe(0);
    expect(() => compareValues(new Date(0), new Date(1))).toThrow(/Date/);
  });
});

describe('structural sets', () => {
  it('keep one member per value, in the same canonical order whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (xs) => {
        const s = setOf(xs);
        const again = setOf(xs.map(rebuilt).reverse());
        expect([...again]).toEqual([...s]);
        expect(sameFp(s, again)).toBe(true);
        const distinct = new Set(xs.map((x) => JSON.stringify(fingerprint(x))));
        expect(s.size).toBe(distinct.size);
      }),
    );
  });

  it('add, remove, has and union by value, leaving their arguments as they were', () => {
    const empty = setOf<Msg>([]);
    const one = setAdd(empty, commit());
    expect(empty.size).toBe(0);
    expect(setAdd(one, commit())).toBe(one);
    expect(setHas(one, commit())).toBe(true);
    const two = setAdd(one, { type: 'Prepared', rm: 2 }, { type: 'Prepared', rm: 1 });
    expect([...two]).toEqual([{ type: 'Commit' }, { type: 'Prepared', rm: 1 }, { type: 'Prepared', rm: 2 }]);
    expect(one.size).toBe(1);
    const less = setRemove(two, { type: 'Prepared', rm: 1 });
    expect([...less]).toEqual([{ type: 'Commit' }, { type: 'Prepared', rm: 2 }]);
    expect(two.size).toBe(3);
    expect(setRemove(less, { type: 'Abort' })).toBe(less);
    expect([...setUnion(less, setOf<Msg>([{ type: 'Prepared', rm: 1 }, commit()]))]).toEqual([...two]);
    expect(setUnion(two, less)).toBe(two);
    expect(setHas(two, { type: 'Abort' })).toBe(false);
  });

  it('give the TLA+ count on msgs \\cup {[type |-> "Commit"]}: 2 states, where a plain Set of objects gives one per step', () => {
    const structural = check(structuralMsgs());
    expect([structural.verdict, structural.distinctStates, structural.boundaryCut]).toEqual(['ok', 2, 0]);
    const plain = check(plainMsgs());
    expect([plain.distinctStates, plain.boundaryCut]).toEqual([50, 1]);
  });
});

describe('structural maps', () => {
  it('keep one entry per key value (the last given), in canonical key order, leaving their arguments as they were', () => {
    const m = mapOf<{ rm: number }, string>([[{ rm: 2 }, 'working'], [{ rm: 1 }, 'prepared'], [{ rm: 2 }, 'committed']]);
    expect([...m]).toEqual([[{ rm: 1 }, 'prepared'], [{ rm: 2 }, 'committed']]);
    expect(mapGet(m, { rm: 2 })).toBe('committed');
    expect(mapHas(m, { rm: 3 })).toBe(false);
    expect(mapGet(m, { rm: 3 })).toBeUndefined();
    const n = mapSet(m, { rm: 1 }, 'aborted');
    expect([...n]).toEqual([[{ rm: 1 }, 'aborted'], [{ rm: 2 }, 'committed']]);
    expect(mapGet(m, { rm: 1 })).toBe('prepared');
    expect(mapSet(n, { rm: 1 }, 'aborted')).toBe(n);
    const k = mapDelete(n, { rm: 2 });
    expect([...k]).toEqual([[{ rm: 1 }, 'aborted']]);
    expect(n.size).toBe(2);
    expect(mapDelete(k, { rm: 9 })).toBe(k);
    expect([...mapOf([...m].reverse())]).toEqual([...m]);
  });
});
