/**
 * Sets and Maps that behave as values, for model states.
 *
 * The engine identifies a state by its value (a structural fingerprint, see fingerprint.ts),
 * but a JavaScript Set compares its members by identity and iterates them in insertion
 * order. So `new Set([...msgs, { type: 'Commit' }])` keeps two members that are equal as
 * values, which the engine then counts as another state, and `actions(s)` listed from a Set
 * can come out in a different order for two equal states. The functions here build ordinary
 * Sets and Maps (so everything that reads states, from the fingerprint to the trace formats,
 * takes them as they are) whose members, or keys, are deduplicated by value and kept in one
 * canonical order (`compareValues`): equal as values, equal as objects, iterated alike.
 *
 * They never change their arguments; they return a new Set or Map, or the argument itself
 * when nothing changes. They are typed `ReadonlySet`/`ReadonlyMap`: build every change with
 * them, and read with `setHas`/`mapGet`, since the native `has`/`get` compare objects by
 * identity.
 */

const UNDEFINED = 0;
const NULL = 1;
const BOOLEAN = 2;
const NUMBER = 3;
const BIGINT = 4;
const STRING = 5;
const ARRAY = 6;
const OBJECT = 7;
const MAP = 8;
const SET = 9;

/** The kind of a value, in the order kinds sort in. */
const kindOf = (v: unknown): number => {
  switch (typeof v) {
    case 'undefined':
      return UNDEFINED;
    case 'boolean':
      return BOOLEAN;
    case 'number':
      return NUMBER;
    case 'bigint':
      return BIGINT;
    case 'string':
      return STRING;
    case 'object': {
      if (v === null) return NULL;
      if (Array.isArray(v)) return ARRAY;
      if (v instanceof Map) return MAP;
      if (v instanceof Set) return SET;
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) return OBJECT;
      throw new TypeError(`cannot compare an instance of ${proto?.constructor?.name ?? 'a class'}: states must be plain data`);
    }
    default:
      throw new TypeError(`cannot compare a value of type ${typeof v}: states must be plain data`);
  }
};

const compareNumbers = (a: number, b: number): number => {
  // NaN equals NaN and sorts first; 0 and -0 are equal, as the fingerprint has them.
  if (a !== a) return b !== b ? 0 : -1;
  if (b !== b) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Two lists compared item by item, then by length. */
const compareLists = (a: readonly unknown[], b: readonly unknown[], item: (x: unknown, y: unknown) => number): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = item(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
};

/** A plain object's keys whose value is not undefined (the fingerprint counts the others as absent), sorted. */
const definedKeys = (o: Record<string, unknown>): string[] => {
  const keys: string[] = [];
  for (const k in o) if (o[k] !== undefined) keys.push(k);
  return keys.sort(compareStrings);
};

const sortedMembers = (s: ReadonlySet<unknown>): unknown[] => [...s].sort(compareValues);
const sortedEntries = (m: ReadonlyMap<unknown, unknown>): [unknown, unknown][] =>
  [...m].sort((x, y) => compareValues(x[0], y[0]) || compareValues(x[1], y[1]));
const compareEntries = (x: unknown, y: unknown): number => {
  const [xk, xv] = x as [unknown, unknown];
  const [yk, yv] = y as [unknown, unknown];
  return compareValues(xk, yk) || compareValues(xv, yv);
};

/**
 * The canonical order of plain data: negative when `a` comes first, 0 when the two are
 * equal as values (as the engine's fingerprint has them: whatever their key, Set or Map
 * order, fields that are undefined counting as absent), positive otherwise. Kinds sort as
 * undefined, null, booleans, numbers, bigints, strings, arrays, plain objects, Maps, Sets;
 * numbers by value, strings by code unit, arrays item by item, plain objects field by field
 * in the order of the fields' names (a missing field first), Maps and Sets by their sorted
 * entries or members. Class instances
 * and functions are not plain data: a TypeError.
 */
export const compareValues = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return ka - kb;
  switch (ka) {
    case BOOLEAN:
      return a ? 1 : -1;
    case NUMBER:
      return compareNumbers(a as number, b as number);
    case BIGINT:
      return (a as bigint) < (b as bigint) ? -1 : 1;
    case STRING:
      return compareStrings(a as string, b as string);
    case ARRAY:
      return compareLists(a as unknown[], b as unknown[], compareValues);
    case OBJECT: {
      // Field by field in the order of their names, over the fields of both; a missing field first.
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const keysA = definedKeys(oa);
      const keysB = definedKeys(ob);
      let i = 0;
      let j = 0;
      while (i < keysA.length || j < keysB.length) {
        const fa = keysA[i];
        const fb = keysB[j];
        if (fa === fb) {
          const c = compareValues(oa[fa!], ob[fb!]);
          if (c !== 0) return c;
          i++;
          j++;
        } else if (fb === undefined || (fa !== undefined && fa < fb)) {
          return 1; // b lacks field fa
        } else {
          return -1; // a lacks field fb
        }
      }
      return 0;
    }
    case MAP:
      return compareLists(sortedEntries(a as ReadonlyMap<unknown, unknown>), sortedEntries(b as ReadonlyMap<unknown, unknown>), compareEntries);
    case SET:
      return compareLists(sortedMembers(a as ReadonlySet<unknown>), sortedMembers(b as ReadonlySet<unknown>), compareValues);
    default:
      return 0; // undefined, null: one value each
  }
};

/** True when `a` and `b` are equal as values (`compareValues` gives 0). */
export const equalValues = (a: unknown, b: unknown): boolean => compareValues(a, b) === 0;

/** `items` sorted in the canonical order, each value once. */
const canonicalList = <T>(items: Iterable<T>): T[] => {
  const sorted = [...items].sort(compareValues);
  const out: T[] = [];
  for (const x of sorted) if (out.length === 0 || compareValues(out[out.length - 1], x) !== 0) out.push(x);
  return out;
};

/** A Set of `items`, each value once, in the canonical order. */
export const setOf = <T>(items: Iterable<T>): ReadonlySet<T> => new Set(canonicalList(items));

/** True when `s` holds a member equal to `x` as a value. */
export const setHas = <T>(s: ReadonlySet<T>, x: T): boolean => {
  if (s.has(x)) return true;
  for (const m of s) if (compareValues(m, x) === 0) return true;
  return false;
};

/** `s` with `items` added (as values); `s` itself when it holds them all already. */
export const setAdd = <T>(s: ReadonlySet<T>, ...items: T[]): ReadonlySet<T> =>
  items.every((x) => setHas(s, x)) ? s : setOf([...s, ...items]);

/** `s` without the members equal to `x`; `s` itself when it holds none. */
export const setRemove = <T>(s: ReadonlySet<T>, x: T): ReadonlySet<T> => {
  const kept = [...s].filter((m) => compareValues(m, x) !== 0);
  return kept.length === s.size ? s : setOf(kept);
};

/** The members of `a` and `b`, each value once; `a` itself when `b` adds nothing. */
export const setUnion = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): ReadonlySet<T> => setAdd(a, ...b);

/**
 * A Map of `entries` whose keys are deduplicated as values (a later entry replaces an
 * earlier one with an equal key, as `new Map` does) and kept in the canonical order.
 */
export const mapOf = <K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> => {
  // A stable sort keeps equal keys in their order: the last of a run wins.
  const sorted = [...entries].sort((x, y) => compareValues(x[0], y[0]));
  const out: [K, V][] = [];
  for (const [k, v] of sorted) {
    if (out.length > 0 && compareValues(out[out.length - 1]![0], k) === 0) out[out.length - 1] = [k, v];
    else out.push([k, v]);
  }
  return new Map(out);
};

/** The key of `m` equal to `k` as a value, as `{ key }`, or undefined when there is none. */
const keyOf = <K>(m: ReadonlyMap<K, unknown>, k: K): { readonly key: K } | undefined => {
  if (m.has(k)) return { key: k };
  for (const key of m.keys()) if (compareValues(key, k) === 0) return { key };
  return undefined;
};

/** True when `m` has a key equal to `k` as a value. */
export const mapHas = <K, V>(m: ReadonlyMap<K, V>, k: K): boolean => keyOf(m, k) !== undefined;

/** The value of the key of `m` equal to `k` as a value, or undefined. */
export const mapGet = <K, V>(m: ReadonlyMap<K, V>, k: K): V | undefined => {
  const found = keyOf(m, k);
  return found === undefined ? undefined : m.get(found.key);
};

/** `m` with `k` (as a value) mapped to `v`; `m` itself when it maps `k` to a value equal to `v` already. */
export const mapSet = <K, V>(m: ReadonlyMap<K, V>, k: K, v: V): ReadonlyMap<K, V> => {
  const found = keyOf(m, k);
  if (found !== undefined && compareValues(m.get(found.key), v) === 0) return m;
  return mapOf([...m, [k, v] as const]);
};

/** `m` without the key equal to `k`; `m` itself when it has none. */
export const mapDelete = <K, V>(m: ReadonlyMap<K, V>, k: K): ReadonlyMap<K, V> => {
  const kept = [...m].filter(([key]) => compareValues(key, k) !== 0);
  return kept.length === m.size ? m : mapOf(kept);
};
