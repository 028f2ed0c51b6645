import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../checker/errors.ts';
import { canonicalJson, fromItfValue, toItfValue } from '../../checker/itfValue.ts';

const keyOf = (v: unknown): string => canonicalJson(toItfValue(v));

/** JS values with an exact ITF round trip: no undefined, no -0, unique Set/Map members. */
const { value: valueArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.string(),
    fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n)),
    fc.bigInt({ min: -(1n << 100n), max: 1n << 100n }),
    fc.constantFrom(2n ** 53n, 2n ** 64n - 1n, -(2n ** 63n)),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string().filter((k) => !k.startsWith('#')), tie('value'), { maxKeys: 4, noNullPrototype: true }),
    fc.uniqueArray(tie('value'), { maxLength: 4, selector: keyOf }).map((xs) => new Set(xs)),
    fc
      .uniqueArray(fc.tuple(tie('value'), tie('value')), { maxLength: 4, selector: ([k]) => keyOf(k) })
      .map((es) => new Map(es)),
  ),
}));

const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(toItfValue(v)));

describe('ITF values', () => {
  it('round-trip through JSON text: fromItfValue(toItfValue(v)) equals v', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(fromItfValue(viaJson(v))).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('write the same text for equal Sets and Maps whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(valueArb, { maxLength: 6, selector: keyOf }), (xs) => {
        const fwd = JSON.stringify(toItfValue(new Set(xs)));
        const rev = JSON.stringify(toItfValue(new Set([...xs].reverse())));
        expect(rev).toBe(fwd);
        const m1 = JSON.stringify(toItfValue(new Map(xs.map((x, i) => [x, i]))));
        const m2 = JSON.stringify(toItfValue(new Map(xs.map((x, i) => [x, i] as const).reverse())));
        expect(m2).toBe(m1);
      }),
    );
  });

  it('use the documented encodings', () => {
    expect(toItfValue({ a: 1, b: 'x', c: true })).toEqual({ a: 1, b: 'x', c: true });
    expect(toItfValue(12345678901234567890n)).toEqual({ '#bigint': '12345678901234567890' });
    expect(toItfValue(new Set([3, 1, 2]))).toEqual({ '#set': [1, 2, 3] });
    expect(toItfValue(new Map([['b', 2], ['a', 1]]))).toEqual({ '#map': [['a', 1], ['b', 2]] });
    expect(toItfValue(null)).toEqual({ '#tup': [] });
    expect(toItfValue({ a: undefined, b: 1 })).toEqual({ b: 1 });
    expect(toItfValue([undefined])).toEqual([{ '#tup': [] }]);
    expect(toItfValue(-0)).toBe(0);
    expect(fromItfValue({ '#tup': [1, 'x'] })).toEqual([1, 'x']);
    expect(fromItfValue({ '#bigint': '-0042' })).toBe(-42n);
    expect(fromItfValue({ tag: 'Some', value: { '#bigint': '40' } })).toEqual({ tag: 'Some', value: 40n });
  });

  it('keep a "__proto__" field as data', () => {
    const v = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const back = fromItfValue(viaJson(v)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });

  it('refuse JS values with no ITF form, naming the path', () => {
    expect(() => toItfValue({ a: [1, 1.5] })).toThrow('toItfValue: $.a[1]: expected an integer in ±(2^53-1) (use a bigint for larger ones), got number 1.5');
    expect(() => toItfValue({ n: Number.NaN })).toThrow(/\$\.n: .*got number NaN/);
    expect(() => toItfValue(2 ** 60)).toThrow(/use a bigint/);
    expect(() => toItfValue({ d: new Date(0) })).toThrow('toItfValue: $.d: an instance of Date has no ITF form');
    expect(() => toItfValue({ f: () => 1 })).toThrow(/\$\.f: a function has no ITF form/);
    expect(() => toItfValue({ '#x': 1 })).toThrow(/reserves/);
    expect(() => toItfValue(new Set([[1], [1]]))).toThrow(/two Set elements encode to the same ITF value \[1\]/);
    const cyc: { self?: unknown } = {};
    cyc.self = cyc;
    expect(() => toItfValue(cyc)).toThrow('toItfValue: $.self: cycle (the value contains itself)');
  });

  it('reject malformed ITF values with an InputError naming source and path', () => {
    const cases: [unknown, string][] = [
      [{ a: null }, 'v.json: $.a: expected an ITF value, got null'],
      [{ a: [1, 2.5] }, 'v.json: $.a[1]: expected an integer in ±(2^53-1)'],
      [2 ** 60, 'v.json: $: expected an integer'],
      [{ x: { '#bigint': '12a' } }, 'v.json: $.x["#bigint"]: expected a decimal integer string like "-123", got string "12a"'],
      [{ x: { '#bigint': 12 } }, 'v.json: $.x["#bigint"]: expected a decimal integer string'],
      [{ '#set': [1, 1] }, 'v.json: $["#set"][1]: duplicate set element 1'],
      [{ '#map': [[1, 'a'], [1, 'b']] }, 'v.json: $["#map"][1][0]: duplicate map key 1'],
      [{ '#map': [[1]] }, 'v.json: $["#map"][0]: expected a [key, value] pair, got an array of 1'],
      [{ '#set': [], extra: 1 }, 'v.json: $: a "#set" object must have no other keys'],
      [{ '#date': 1 }, 'v.json: $: unknown ITF tag "#date"'],
      [{ '#unserializable': 'lambda' }, 'v.json: $: the writer could not serialize this value'],
      [{ '#tup': 3 }, 'v.json: $["#tup"]: expected an array, got number 3'],
    ];
    for (const [json, msg] of cases) {
      let err: unknown;
      try {
        fromItfValue(json, 'v.json');
      } catch (e) {
        err = e;
      }
      expect(isInputError(err), `no InputError for ${JSON.stringify(json)}`).toBe(true);
      expect((err as Error).message.startsWith(msg), `${(err as Error).message} should start with ${msg}`).toBe(true);
    }
  });
});
