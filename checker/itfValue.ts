/**
 * Values of the Informal Trace Format (ITF, Apalache ADR-015, as Quint writes it), and the
 * mapping between them and the JS values our states are built from.
 *
 * | JS value                         | ITF                                       |
 * |----------------------------------|-------------------------------------------|
 * | boolean, string                  | itself                                    |
 * | number (safe integer only)       | JSON number (-0 is written as 0)          |
 * | bigint                           | `{"#bigint": "-123"}` (always, any size)  |
 * | array                            | list (JSON array)                         |
 * | plain object                     | record (JSON object); undefined fields omitted |
 * | Map                              | `{"#map": [[k, v], ...]}`                 |
 * | Set                              | `{"#set": [...]}`                         |
 * | null                             | `{"#tup": []}` (the unit value)           |
 *
 * Design decisions: ITF has no null, and its unit value (the empty tuple, which Quint
 * writes for `()` and inside `None`) is the nearest meaning, so null is the empty tuple
 * and the empty tuple reads back as null; a non-empty tuple reads back as an array.
 * `undefined` as a record field is omitted, as JSON.stringify does; anywhere else (list
 * element, Map key or value, Set element, top level) it is written like null and reads
 * back as null. Set elements and Map entries are written sorted by their canonical JSON
 * (`canonicalJson`), so equal values give equal text whatever the insertion order; record
 * fields keep their insertion order, which deterministic code makes deterministic.
 * Reading keeps numbers as numbers and `#bigint` as bigint, so a value written by
 * `toItfValue` reads back with the same types; Quint writes every integer as `#bigint`.
 */
import { InputError } from './errors.ts';

/** An ITF value as JSON (what `JSON.parse` of an ITF file yields). */
export type ItfValue =
  | boolean
  | string
  | number
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly [field: string]: ItfValue };

/** The ITF unit value, which stands for null. */
const UNIT: ItfValue = { '#tup': [] };

/** `path` extended by a record field or list index, in JSONPath style (`$.a[3]["x y"]`). */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A short description of a JSON or JS value for error messages, e.g. `number 1.5`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Map) return `a Map of ${v.size}`;
  if (v instanceof Set) return `a Set of ${v.size}`;
  switch (typeof v) {
    case 'string': {
      const s = JSON.stringify(v);
      return `string ${s.length > 40 ? s.slice(0, 37) + '..."' : s}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'bigint':
      return `bigint ${v}`;
    case 'object': {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        return `an instance of ${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}`;
      }
      const keys = Object.keys(v as object);
      const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
      return `an object with keys {${shown}${keys.length > 5 ? ', ...' : ''}}`;
    }
    default:
      return `a ${typeof v}`;
  }
}

const isPlainObject = (v: object): boolean => {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
};

/**
 * JSON text of an ITF value with record keys sorted, so structurally equal values give
 * equal strings (Sets and Maps are already sorted by `toItfValue`). Used to sort and to
 * detect duplicates; also handy for comparing values.
 */
export function canonicalJson(v: ItfValue): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x as ItfValue)).join(',')}]`;
  const rec = v as { readonly [k: string]: ItfValue };
  const keys = Object.keys(rec).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k]!)}`).join(',')}}`;
}

const byCanonical = <T>(items: readonly (readonly [string, T])[], what: string, path: string): T[] => {
  const sorted = [...items].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] === sorted[i - 1]![0]) {
      throw new TypeError(`toItfValue: ${path}: two ${what} encode to the same ITF value ${sorted[i]![0]}`);
    }
  }
  return sorted.map((x) => x[1]);
};

/**
 * The ITF value of `v` (mapping in the module comment). Pure and deterministic. Throws a
 * TypeError naming the path of the first value that has no ITF form: a non-integer,
 * NaN, infinite or unsafe number (use a bigint), a function or symbol, a class instance
 * other than Map and Set (Date, Uint8Array, ...), a record key starting with `#` or a
 * symbol key, a cycle, or two Set elements or Map keys with the same encoding.
 */
export function toItfValue(v: unknown, path = '$'): ItfValue {
  return encode(v, path, new Set());
}

function encode(v: unknown, path: string, ancestors: Set<object>): ItfValue {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (!Number.isSafeInteger(v)) {
        throw new TypeError(
          `toItfValue: ${path}: expected an integer in ±(2^53-1) (use a bigint for larger ones), got number ${v}`,
        );
      }
      return v === 0 ? 0 : v;
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'undefined':
      return UNIT;
    case 'object':
      break;
    default:
      throw new TypeError(`toItfValue: ${path}: a ${typeof v} has no ITF form`);
  }
  if (v === null) return UNIT;
  if (ancestors.has(v)) throw new TypeError(`toItfValue: ${path}: cycle (the value contains itself)`);
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      const out: ItfValue[] = [];
      for (let i = 0; i < v.length; i++) out.push(encode(v[i], childPath(path, i), ancestors));
      return out;
    }
    if (v instanceof Set) {
      const items = [...v].map((x, i) => {
        const e = encode(x, `${path}.#set[${i}]`, ancestors);
        return [canonicalJson(e), e] as const;
      });
      return { '#set': byCanonical(items, 'Set elements', path) };
    }
    if (v instanceof Map) {
      const items = [...v].map(([k, x], i) => {
        const ek = encode(k, `${path}.#map[${i}][0]`, ancestors);
        const ex = encode(x, `${path}.#map[${i}][1]`, ancestors);
        return [canonicalJson(ek), [ek, ex] as const] as const;
      });
      return { '#map': byCanonical(items, 'Map keys', path) };
    }
    if (!isPlainObject(v)) {
      throw new TypeError(`toItfValue: ${path}: ${describeValue(v)} has no ITF form`);
    }
    if (Object.getOwnPropertySymbols(v).length > 0) {
      throw new TypeError(`toItfValue: ${path}: a record with symbol keys has no ITF form`);
    }
    const out: Record<string, ItfValue> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('#')) {
        throw new TypeError(`toItfValue: ${path}: record field ${JSON.stringify(k)} starts with "#", which ITF reserves`);
      }
      if (x === undefined) continue;
      Object.defineProperty(out, k, { value: encode(x, childPath(path, k), ancestors), enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    ancestors.delete(v);
  }
}

/**
 * The JS value of the ITF value `json` (mapping in the module comment): lists become
 * arrays, non-empty tuples arrays, the empty tuple null, records plain objects, `#set` a
 * Set, `#map` a Map, `#bigint` a bigint, numbers numbers. Validates thoroughly and throws
 * an InputError `<source>: <path>: <problem>` for: JSON null, a non-integer or unsafe
 * number, a malformed `#bigint`, a tagged object with extra keys or an unknown `#` tag
 * (including Quint's `#unserializable`), a `#map` entry that is not a pair, and duplicate
 * Set elements or Map keys.
 */
export function fromItfValue(json: unknown, source = '<ITF value>', path = '$'): unknown {
  const fail = (at: string, problem: string): never => {
    throw new InputError(`${source}: ${at}: ${problem}`);
  };
  const decode = (j: unknown, at: string): unknown => {
    switch (typeof j) {
      case 'boolean':
      case 'string':
        return j;
      case 'number':
        if (!Number.isSafeInteger(j)) {
          return fail(at, `expected an integer in ±(2^53-1) (write larger ones as {"#bigint": "..."}), got number ${j}`);
        }
        return j === 0 ? 0 : j;
      case 'object':
        break;
      default:
        return fail(at, `expected an ITF value, got ${describeValue(j)}`);
    }
    if (j === null) return fail(at, 'expected an ITF value, got null (ITF has no null; this codec writes null as {"#tup": []})');
    if (Array.isArray(j)) return j.map((x, i) => decode(x, childPath(at, i)));
    if (!isPlainObject(j)) return fail(at, `expected an ITF value, got ${describeValue(j)}`);
    const obj = j as Record<string, unknown>;
    const keys = Object.keys(obj);
    const tag = keys.find((k) => k.startsWith('#'));
    if (tag === undefined) {
      return Object.fromEntries(keys.map((k) => [k, decode(obj[k], childPath(at, k))]));
    }
    if (keys.length !== 1) {
      return fail(at, `a ${JSON.stringify(tag)} object must have no other keys, got keys {${keys.map((k) => JSON.stringify(k)).join(', ')}}`);
    }
    const body = obj[tag];
    const inner = childPath(at, tag);
    switch (tag) {
      case '#bigint':
        if (typeof body !== 'string' || !/^-?[0-9]+$/.test(body)) {
          return fail(inner, `expected a decimal integer string like "-123", got ${describeValue(body)}`);
        }
        return BigInt(body);
      case '#tup': {
        if (!Array.isArray(body)) return fail(inner, `expected an array, got ${describeValue(body)}`);
        return body.length === 0 ? null : body.map((x, i) => decode(x, childPath(inner, i)));
      }
      case '#set': {
        if (!Array.isArray(body)) return fail(inner, `expected an array, got ${describeValue(body)}`);
        const seen = new Set<string>();
        const out = new Set<unknown>();
        body.forEach((x, i) => {
          const d = decode(x, childPath(inner, i));
          const c = canonicalJson(toItfValue(d));
          if (seen.has(c)) fail(childPath(inner, i), `duplicate set element ${c}`);
          seen.add(c);
          out.add(d);
        });
        return out;
      }
      case '#map': {
        if (!Array.isArray(body)) return fail(inner, `expected an array of [key, value] pairs, got ${describeValue(body)}`);
        const seen = new Set<string>();
        const out = new Map<unknown, unknown>();
        body.forEach((pair, i) => {
          const pAt = childPath(inner, i);
          if (!Array.isArray(pair) || pair.length !== 2) {
            fail(pAt, `expected a [key, value] pair, got ${describeValue(pair)}`);
          }
          const [k, x] = pair as [unknown, unknown];
          const dk = decode(k, childPath(pAt, 0));
          const c = canonicalJson(toItfValue(dk));
          if (seen.has(c)) fail(childPath(pAt, 0), `duplicate map key ${c}`);
          seen.add(c);
          out.set(dk, decode(x, childPath(pAt, 1)));
        });
        return out;
      }
      case '#unserializable':
        return fail(at, `the writer could not serialize this value (${describeValue(body)})`);
      default:
        return fail(at, `unknown ITF tag ${JSON.stringify(tag)} (expected #bigint, #tup, #set or #map)`);
    }
  };
  return decode(json, path);
}
