import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  birthdayCollisionBound,
  collisionProbability,
  fingerprint,
  fingerprintHex,
  fingerprintRecording,
  primeFingerprints,
  takeRecording,
} from '../../checker/fingerprint.ts';

/** An independent canonical encoding: sorted keys, sorted Set/Map entries, tagged leaves. */
const canonical = (v: unknown): string => {
  if (v === undefined) return 'u';
  if (v === null) return 'n';
  if (typeof v === 'bigint') return `B${v}`;
  if (typeof v === 'number') return `N${Object.is(v, -0) ? 0 : v}`;
  if (typeof v === 'string') return `S${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Set) return `set{${[...v].map(canonical).sort().join(',')}}`;
  if (v instanceof Map) return `map{${[...v].map(([k, x]) => `${canonical(k)}:${canonical(x)}`).sort().join(',')}}`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
};

const leaf = fc.oneof(
  fc.integer({ min: -300, max: 5000 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 4 }),
    fc.array(leaf, { maxLength: 4 }).map((xs) => new Set(xs)),
    fc.array(fc.tuple(leaf, tie('value')), { maxLength: 3 }).map((es) => new Map(es)),
  ),
}));

/** The same value rebuilt with keys, Set elements and Map entries in reverse order. */
const reordered = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reordered);
  if (v instanceof Set) return new Set([...v].reverse().map(reordered));
  if (v instanceof Map) return new Map([...v].reverse().map(([k, x]) => [k, reordered(x)]));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
  }
  return v;
};

describe('fingerprint', () => {
  it('equal values have equal fingerprints whatever their key, Set or Map order', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(fingerprint(reordered(v))).toEqual(fingerprint(v));
      }),
    );
  });

  it('different values have different fingerprints (no collision among generated pairs)', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const same = canonical(a) === canonical(b);
        const fa = fingerprintHex(fingerprint(a));
        const fb = fingerprintHex(fingerprint(b));
        expect(fa === fb).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart values that naive encodings confuse', () => {
    const distinct: unknown[] = [
      0, '0', false, null, undefined, [], {}, [0], ['0'], [[]], [[], []], { a: 1, b: 2 }, { a: 2, b: 1 },
      { a: [1, 2] }, { a: [2, 1] }, new Set([1]), [1], new Map([[1, 2]]), new Map([[2, 1]]), { '1': 2 }, 1n, 1,
      0.5, 'ab', ['a', 'b'], { ab: '' }, { a: 'b' }, [1, [2, 3]], [[1, 2], 3],
    ];
    const fps = distinct.map((v) => fingerprintHex(fingerprint(v)));
    expect(new Set(fps).size).toBe(distinct.length);
  });

  it('treats undefined fields as absent', () => {
    expect(fingerprint({ a: 1, b: undefined })).toEqual(fingerprint({ a: 1 }));
  });

  it('is not fooled by its identity cache when many distinct objects pass through', () => {
    const objs = Array.from({ length: 100 }, (_, i) => ({ i, xs: [i, i + 1] }));
    const first = objs.map((o) => fingerprintHex(fingerprint(o)));
    const again = objs.map((o) => fingerprintHex(fingerprint({ ...o, xs: [...o.xs] })));
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(100);
  });

  it('gives a string the same fingerprint whatever was hashed just before it (the last-string memo)', () => {
    const strings = ['', 'a', 'working', 'a', '', 'prepared', 'working'];
    const alone = strings.map((x) => fingerprintHex(fingerprint(x)));
    fingerprint('something else');
    const again = [...strings].reverse().map((x) => fingerprintHex(fingerprint(x))).reverse();
    expect(again).toEqual(alone);
    expect(new Set(alone).size).toBe(4);
    expect(fingerprint(['a', 'a', 'b'])).not.toEqual(fingerprint(['a', 'b', 'b']));
  });

  it('rejects class instances and functions: states must be plain data', () => {
    expect(() => fingerprint({ d: new Date(0) })).toThrow(/Date/);
    expect(() => fingerprint({ f: () => 1 })).toThrow(/function/);
  });

  it("estimates the collision probability by TLC's optimistic formula n·(g−n)/2^64", () => {
    // 2^20 distinct states of 2^24 generated: 2^20 · (2^24 − 2^20) / 2^64 = 15 · 2^40 / 2^64 = 15 / 2^24.
    expect(collisionProbability(2 ** 20, 2 ** 24)).toBe(15 / 2 ** 24);
    expect(collisionProbability(1000, 5000)).toBe((1000 * 4000) / 2 ** 64);
    // Nothing generated beyond the distinct states: no state was found already visited.
    expect(collisionProbability(500, 500)).toBe(0);
  });

  it('gives the birthday bound n(n−1)/2^65 beside it', () => {
    expect(birthdayCollisionBound(1)).toBe(0);
    expect(birthdayCollisionBound(2 ** 20)).toBe((2 ** 20 * (2 ** 20 - 1)) / 2 ** 65);
  });
});

/** A state: a plain object of up to 8 fields, as a model's state is. */
const stateArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), value, { minKeys: 1, maxKeys: 8 });

/** How a successor is made from a state, as a model makes one: sharing what it does not change. */
const editArb = fc.record({
  /** Fields replaced by new values (new objects), or removed (undefined). */
  replace: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z'), fc.option(value, { nil: undefined }), { maxKeys: 3 }),
  /** Two fields' values exchanged. */
  swap: fc.boolean(),
  /** The fields listed in the reverse order. */
  reverse: fc.boolean(),
  /** A field's object one level down rebuilt with one of its parts shared. */
  nest: fc.boolean(),
});

const successorOf = (s: Record<string, unknown>, e: { replace: Record<string, unknown>; swap: boolean; reverse: boolean; nest: boolean }) => {
  let t: Record<string, unknown> = { ...s, ...e.replace };
  const keys = Object.keys(t);
  if (e.swap && keys.length >= 2) t = { ...t, [keys[0]!]: t[keys[1]!], [keys[1]!]: t[keys[0]!] };
  if (e.nest) {
    const k = keys.find((key) => Array.isArray(t[key]) && (t[key] as unknown[]).length > 0);
    if (k !== undefined) t = { ...t, [k]: [...(t[k] as unknown[]).slice(1), (t[k] as unknown[])[0]] };
  }
  return e.reverse ? Object.fromEntries(Object.entries(t).reverse()) : t;
};

/** The fingerprint from scratch: no primed state, fresh objects. */
const fresh = (v: unknown) => {
  primeFingerprints(null);
  return fingerprint(structuredClone(v));
};

describe('fingerprints of successors, from a primed state', () => {
  it('equal those computed from scratch, whether the state was primed by hashing or from its recording', () => {
    fc.assert(
      fc.property(stateArb, editArb, editArb, (s, e1, e2) => {
        const t = successorOf(s, e1);
        const u = successorOf(t, e2);
        // s primed by hashing it; t fingerprinted with a recording.
        primeFingerprints(s);
        const fpT = { hi: 0, lo: 0 };
        fingerprintRecording(t, fpT);
        const rec = takeRecording();
        // t primed from its recording (or by hashing, if it was too small to record); then u.
        primeFingerprints(t, rec);
        const fpU = { hi: 0, lo: 0 };
        fingerprintRecording(u, fpU);
        const fpS = fingerprint(s);
        expect(fpT).toEqual(fresh(t));
        expect(fpU).toEqual(fresh(u));
        expect(fpS).toEqual(fresh(s));
      }),
      { numRuns: 400 },
    );
  });
});
