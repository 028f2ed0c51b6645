/**
 * A compact binary encoding of states (plain data: objects, arrays, Maps, Sets, strings,
 * numbers, booleans, bigints, null, undefined), used where states leave the JS heap: sent
 * between search workers and spilled to disk when a frontier grows large.
 *
 * Layout: one tag byte per value, then its payload. Integers are zig-zag varints, floats
 * eight bytes, arrays/objects/Maps/Sets a varint count then their items. Strings (object
 * keys above all) are written as a varint index into a string registry shared by every
 * worker of a search (a SharedArrayBuffer), so a field name costs one or two bytes; a long
 * string, or any string once the registry is full, is written inline.
 *
 * Decoded values are plain data equal to the encoded ones (object key order kept). When
 * `freeze` is set, every decoded object is frozen, as a model's own states may be (immer
 * produces faster from a frozen base).
 */

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT = 4;
const T_FLOAT = 5;
const T_STR_REF = 6;
const T_STR = 7;
const T_BIGINT = 8;
const T_ARRAY = 9;
const T_OBJECT = 10;
const T_MAP = 11;
const T_SET = 12;

/** Longest string kept in the registry; longer ones are written inline. */
const MAX_REGISTERED = 64;
const MAX_ENTRIES = 1 << 16;
const DATA_UNITS = 1 << 20;
// Header (Int32): [0] lock, [1] entry count, [2] code units used; then MAX_ENTRIES + 1 offsets.
const HEADER = 3;

/** The shared part of a registry: give it to every worker of a search. */
export type StringRegistryBuffer = SharedArrayBuffer;

export const createStringRegistryBuffer = (): StringRegistryBuffer =>
  new SharedArrayBuffer((HEADER + MAX_ENTRIES + 1) * 4 + DATA_UNITS * 2);

/** One thread's view of a shared string registry, with its local caches. */
export interface StringRegistry {
  readonly meta: Int32Array;
  readonly data: Uint16Array;
  readonly ids: Map<string, number>;
  readonly strings: string[];
}

export const openStringRegistry = (buffer: StringRegistryBuffer): StringRegistry => ({
  meta: new Int32Array(buffer, 0, HEADER + MAX_ENTRIES + 1),
  data: new Uint16Array(buffer, (HEADER + MAX_ENTRIES + 1) * 4, DATA_UNITS),
  ids: new Map(),
  strings: [],
});

const readEntry = (r: StringRegistry, id: number): string => {
  const from = r.meta[HEADER + id] as number;
  const to = r.meta[HEADER + id + 1] as number;
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(r.data[k] as number);
  return s;
};

/** Brings the local caches up to date with entries other threads added. */
const catchUp = (r: StringRegistry): void => {
  const count = Atomics.load(r.meta, 1);
  for (let id = r.strings.length; id < count; id++) {
    const s = readEntry(r, id);
    r.strings.push(s);
    r.ids.set(s, id);
  }
};

/** The registry index of `s`, adding it if there is room; -1 when it must be written inline. */
const idOf = (r: StringRegistry, s: string): number => {
  const known = r.ids.get(s);
  if (known !== undefined) return known;
  if (s.length > MAX_REGISTERED) return -1;
  while (Atomics.compareExchange(r.meta, 0, 0, 1) !== 0) Atomics.wait(r.meta, 0, 1, 1);
  try {
    catchUp(r);
    const again = r.ids.get(s);
    if (again !== undefined) return again;
    const count = r.meta[1] as number;
    const used = r.meta[2] as number;
    if (count >= MAX_ENTRIES || used + s.length > DATA_UNITS) return -1;
    for (let k = 0; k < s.length; k++) r.data[used + k] = s.charCodeAt(k);
    r.meta[HEADER + count] = used;
    r.meta[HEADER + count + 1] = used + s.length;
    Atomics.store(r.meta, 2, used + s.length);
    Atomics.store(r.meta, 1, count + 1); // publish last: readers see complete entries only
    r.strings.push(s);
    r.ids.set(s, count);
    return count;
  } finally {
    Atomics.store(r.meta, 0, 0);
    Atomics.notify(r.meta, 0);
  }
};

/** Every string in the registry, in index order (for a checkpoint). */
export const registryStrings = (r: StringRegistry): string[] => {
  catchUp(r);
  return r.strings.slice();
};

/** Fills an empty registry with `strings`, so that each gets its old index back. */
export const preloadRegistry = (r: StringRegistry, strings: readonly string[]): void => {
  strings.forEach((s, i) => {
    if (idOf(r, s) !== i) throw new RangeError(`state codec: string ${i} cannot take its old index`);
  });
};

const stringAt = (r: StringRegistry, id: number): string => {
  if (id >= r.strings.length) catchUp(r);
  const s = r.strings[id];
  if (s === undefined) throw new RangeError(`state codec: unknown string ${id}`);
  return s;
};

/** A growable byte buffer that values are appended to. */
export interface ByteSink {
  bytes: Uint8Array;
  length: number;
}

export const createByteSink = (capacity = 1 << 16): ByteSink => ({ bytes: new Uint8Array(capacity), length: 0 });

const ensure = (sink: ByteSink, extra: number): void => {
  if (sink.length + extra <= sink.bytes.length) return;
  let n = sink.bytes.length * 2;
  while (n < sink.length + extra) n *= 2;
  const b = new Uint8Array(n);
  b.set(sink.bytes.subarray(0, sink.length));
  sink.bytes = b;
};

/** Appends the bytes of another sink. */
export const append = (sink: ByteSink, from: ByteSink): void => {
  ensure(sink, from.length);
  sink.bytes.set(from.bytes.subarray(0, from.length), sink.length);
  sink.length += from.length;
};

/** Appends an unsigned varint (up to 2^53). */
export const writeVarint = (sink: ByteSink, v: number): void => {
  ensure(sink, 8);
  const b = sink.bytes;
  let n = sink.length;
  while (v >= 0x80) {
    b[n++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  b[n++] = v;
  sink.length = n;
};

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

const writeString = (sink: ByteSink, r: StringRegistry, s: string): void => {
  const id = idOf(r, s);
  if (id >= 0) {
    ensure(sink, 1);
    sink.bytes[sink.length++] = T_STR_REF;
    writeVarint(sink, id);
    return;
  }
  ensure(sink, 1);
  sink.bytes[sink.length++] = T_STR;
  writeVarint(sink, s.length);
  for (let k = 0; k < s.length; k++) writeVarint(sink, s.charCodeAt(k));
};

/** Appends the encoding of `v`. Throws TypeError for values that are not plain data. */
export const encodeValue = (sink: ByteSink, r: StringRegistry, v: unknown): void => {
  switch (typeof v) {
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        ensure(sink, 1);
        sink.bytes[sink.length++] = T_INT;
        writeVarint(sink, v >= 0 ? v * 2 : -v * 2 - 1);
      } else {
        ensure(sink, 9);
        sink.bytes[sink.length++] = T_FLOAT;
        f64[0] = v;
        sink.bytes.set(f64Bytes, sink.length);
        sink.length += 8;
      }
      return;
    case 'string':
      writeString(sink, r, v);
      return;
    case 'boolean':
      ensure(sink, 1);
      sink.bytes[sink.length++] = v ? T_TRUE : T_FALSE;
      return;
    case 'undefined':
      ensure(sink, 1);
      sink.bytes[sink.length++] = T_UNDEFINED;
      return;
    case 'bigint': {
      ensure(sink, 1);
      sink.bytes[sink.length++] = T_BIGINT;
      const s = v.toString();
      writeVarint(sink, s.length);
      for (let k = 0; k < s.length; k++) writeVarint(sink, s.charCodeAt(k));
      return;
    }
    case 'object':
      break;
    default:
      throw new TypeError(`cannot encode a value of type ${typeof v}: states must be plain data`);
  }
  ensure(sink, 1);
  if (v === null) {
    sink.bytes[sink.length++] = T_NULL;
    return;
  }
  if (Array.isArray(v)) {
    sink.bytes[sink.length++] = T_ARRAY;
    writeVarint(sink, v.length);
    for (let k = 0; k < v.length; k++) encodeValue(sink, r, v[k]);
  } else if (v instanceof Map) {
    sink.bytes[sink.length++] = T_MAP;
    writeVarint(sink, v.size);
    for (const [k, x] of v) {
      encodeValue(sink, r, k);
      encodeValue(sink, r, x);
    }
  } else if (v instanceof Set) {
    sink.bytes[sink.length++] = T_SET;
    writeVarint(sink, v.size);
    for (const x of v) encodeValue(sink, r, x);
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`cannot encode an instance of ${proto?.constructor?.name ?? 'a class'}: states must be plain data`);
    }
    sink.bytes[sink.length++] = T_OBJECT;
    const o = v as Record<string, unknown>;
    let n = 0;
    for (const k in o) if (o[k] !== undefined) n++;
    writeVarint(sink, n);
    for (const k in o) {
      const x = o[k];
      if (x === undefined) continue;
      writeString(sink, r, k);
      encodeValue(sink, r, x);
    }
  }
};

/** A position in encoded bytes, advanced by `decodeValue`. */
export interface ByteSource {
  bytes: Uint8Array;
  pos: number;
}

export const readVarint = (src: ByteSource): number => {
  const b = src.bytes;
  let v = 0;
  let scale = 1;
  for (;;) {
    const x = b[src.pos++];
    if (x === undefined) throw new RangeError('state codec: truncated input');
    v += (x & 0x7f) * scale;
    if (x < 0x80) return v;
    scale *= 0x80;
  }
};

const readInlineString = (src: ByteSource): string => {
  const n = readVarint(src);
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(readVarint(src));
  return s;
};

const readKey = (src: ByteSource, r: StringRegistry): string => {
  const tag = src.bytes[src.pos++];
  if (tag === T_STR_REF) return stringAt(r, readVarint(src));
  if (tag === T_STR) return readInlineString(src);
  throw new RangeError(`state codec: expected a string, got tag ${tag}`);
};

/**
 * Objects are rebuilt by one object literal per list of keys, compiled once: V8 gives an
 * object literal the hidden class that the model's own literals with the same keys in the
 * same order get, so the model's code and the fingerprint see one shape per kind of record
 * whether a state was made here or decoded (objects built key by key would get another).
 */
interface Shape {
  readonly next: Map<string, Shape>;
  readonly keys: readonly string[];
  build: ((values: readonly unknown[]) => Record<string, unknown>) | undefined;
}
const shapes: Shape = { next: new Map(), keys: [], build: undefined };

const literalBuilder = (keys: readonly string[]): ((values: readonly unknown[]) => Record<string, unknown>) => {
  if (keys.includes('__proto__') || keys.length > 200) {
    return (values) => {
      const o: Record<string, unknown> = {};
      keys.forEach((k, i) => Object.defineProperty(o, k, { value: values[i], enumerable: true, writable: true, configurable: true }));
      return o;
    };
  }
  // Keys are data, quoted by JSON.stringify: the source holds no code of anyone's.
  return new Function('v', `return { ${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')} };`) as (
    values: readonly unknown[],
  ) => Record<string, unknown>;
};

/** Decodes one value at `src.pos` and advances past it. */
export const decodeValue = (src: ByteSource, r: StringRegistry, freeze: boolean): unknown => {
  const tag = src.bytes[src.pos++];
  switch (tag) {
    case T_UNDEFINED:
      return undefined;
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_INT: {
      const z = readVarint(src);
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    case T_FLOAT:
      f64Bytes.set(src.bytes.subarray(src.pos, src.pos + 8));
      src.pos += 8;
      return f64[0];
    case T_STR_REF:
      return stringAt(r, readVarint(src));
    case T_STR:
      return readInlineString(src);
    case T_BIGINT:
      return BigInt(readInlineString(src));
    case T_ARRAY: {
      const n = readVarint(src);
      // Built by push, not `new Array(n)`: a packed array, like the ones models build, so
      // the model's code and the fingerprint stay on their fast paths.
      const a: unknown[] = [];
      for (let k = 0; k < n; k++) a.push(decodeValue(src, r, freeze));
      return freeze ? Object.freeze(a) : a;
    }
    case T_OBJECT: {
      const n = readVarint(src);
      const values: unknown[] = [];
      let shape = shapes;
      for (let k = 0; k < n; k++) {
        const key = readKey(src, r);
        values.push(decodeValue(src, r, freeze));
        let next = shape.next.get(key);
        if (next === undefined) {
          next = { next: new Map(), keys: [...shape.keys, key], build: undefined };
          shape.next.set(key, next);
        }
        shape = next;
      }
      shape.build ??= literalBuilder(shape.keys);
      const o = shape.build(values);
      return freeze ? Object.freeze(o) : o;
    }
    case T_MAP: {
      const n = readVarint(src);
      const m = new Map<unknown, unknown>();
      for (let k = 0; k < n; k++) {
        const key = decodeValue(src, r, freeze);
        m.set(key, decodeValue(src, r, freeze));
      }
      return freeze ? Object.freeze(m) : m;
    }
    case T_SET: {
      const n = readVarint(src);
      const s = new Set<unknown>();
      for (let k = 0; k < n; k++) s.add(decodeValue(src, r, freeze));
      return freeze ? Object.freeze(s) : s;
    }
    default:
      throw new RangeError(`state codec: unknown tag ${tag} at byte ${src.pos - 1}`);
  }
};
