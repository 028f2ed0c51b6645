/**
 * Structural 64-bit fingerprints of immutable values.
 *
 * A fingerprint is computed in two independent 32-bit lanes from a canonical reading of
 * the value: arrays in order; plain-object fields, Map entries and Set elements as an
 * unordered sum of mixed (key, value) hashes, so key order and insertion order never
 * matter and nothing is sorted. Fields whose value is `undefined` count as absent.
 *
 * The engine primes the state it expands (`primeFingerprints`): the hashes of its
 * sub-objects are remembered by identity, so its successors, which share most of them
 * (immer's structural sharing), re-hash only what changed. This relies on states being
 * immutable, as the model contract says.
 */

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  readonly hi: number;
  readonly lo: number;
}

// Results of the last `hashInto` call, kept in module variables to avoid allocating. The
// module's mutable variables are `var`s: a module `let` costs a temporal-dead-zone check on
// every access from a function, which in these loops is measurable.
// eslint-disable-next-line no-var -- `var` avoids the temporal-dead-zone check a module `let` costs on every access.
var outHi = 0;
// eslint-disable-next-line no-var
var outLo = 0;

const stringCache = new Map<string, Fingerprint>();
const STRING_CACHE_LIMIT = 1 << 16;

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** Murmur3's 32-bit round, lane A. */
const mixA = (h: number, k: number): number => {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
};

/** A round with other constants (xxHash32 primes), lane B. */
const mixB = (h: number, k: number): number => {
  h = (h + Math.imul(k, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
};

/** Murmur3's finaliser: full avalanche of one lane. */
const avalanche = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
};

const TAG_INT = 0x11;
const TAG_FLOAT = 0x12;
const TAG_STRING = 0x13;
const TAG_TRUE = 0x14;
const TAG_FALSE = 0x15;
const TAG_NULL = 0x16;
const TAG_UNDEFINED = 0x17;
const TAG_BIGINT = 0x18;
const TAG_ARRAY = 0x19;
const TAG_OBJECT = 0x1a;
const TAG_MAP = 0x1b;
const TAG_SET = 0x1c;

const SEED_A = 0x2545f491;
const SEED_B = 0x61c88647;

const hashString = (s: string): void => {
  const hit = stringCache.get(s);
  if (hit !== undefined) {
    outHi = hit.hi;
    outLo = hit.lo;
    return;
  }
  let a = mixA(SEED_A, TAG_STRING);
  let b = mixB(SEED_B, TAG_STRING);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = mixA(a, c);
    b = mixB(b, c);
  }
  outHi = avalanche(a ^ s.length) >>> 0;
  outLo = avalanche(b ^ Math.imul(s.length, 0x27d4eb2f)) >>> 0;
  if (stringCache.size < STRING_CACHE_LIMIT) stringCache.set(s, { hi: outHi, lo: outLo });
};

const finish = (a: number, b: number, n: number): void => {
  outHi = avalanche(a ^ n) >>> 0;
  outLo = avalanche(b ^ Math.imul(n, 0x165667b1)) >>> 0;
};

/** Hashes one (key, value) pair into a well-mixed 64-bit word for an unordered sum. */
const pairInto = (kHi: number, kLo: number, vHi: number, vLo: number): void => {
  // One multiply-rotate round per lane over (key, value): not symmetric in key and value,
  // and the summands are already-avalanched hashes, so the unordered sum stays well mixed.
  outHi = mixA(mixA(kHi, vHi), vLo);
  outLo = mixB(mixB(kLo, vLo), vHi);
};

// Precomputed hashes of booleans and small integers, the commonest leaves of a state.
finish(TAG_TRUE, ~TAG_TRUE, 0);
const TRUE_HI = outHi;
const TRUE_LO = outLo;
finish(TAG_FALSE, ~TAG_FALSE, 0);
const FALSE_HI = outHi;
const FALSE_LO = outLo;
const SMALL_MIN = -128;
const SMALL_MAX = 4096;
const SMALL_HI = new Uint32Array(SMALL_MAX - SMALL_MIN);
const SMALL_LO = new Uint32Array(SMALL_MAX - SMALL_MIN);
for (let v = SMALL_MIN; v < SMALL_MAX; v++) {
  finish(mixA(SEED_A ^ TAG_INT, v), mixB(SEED_B ^ TAG_INT, v), 1);
  SMALL_HI[v - SMALL_MIN] = outHi;
  SMALL_LO[v - SMALL_MIN] = outLo;
}

const hashInto = (v: unknown): void => {
  switch (typeof v) {
    case 'number': {
      if ((v | 0) === v) {
        if (v >= SMALL_MIN && v < SMALL_MAX) {
          outHi = SMALL_HI[v - SMALL_MIN] as number;
          outLo = SMALL_LO[v - SMALL_MIN] as number;
          return;
        }
        finish(mixA(SEED_A ^ TAG_INT, v), mixB(SEED_B ^ TAG_INT, v), 1);
      } else {
        f64[0] = v;
        const w0 = f64Words[0] as number;
        const w1 = f64Words[1] as number;
        finish(mixA(mixA(SEED_A ^ TAG_FLOAT, w0), w1), mixB(mixB(SEED_B ^ TAG_FLOAT, w0), w1), 2);
      }
      return;
    }
    case 'string':
      hashString(v);
      return;
    case 'boolean':
      outHi = v ? TRUE_HI : FALSE_HI;
      outLo = v ? TRUE_LO : FALSE_LO;
      return;
    case 'undefined':
      finish(TAG_UNDEFINED, ~TAG_UNDEFINED, 0);
      return;
    case 'bigint':
      hashString(v.toString());
      finish(outHi ^ TAG_BIGINT, outLo ^ TAG_BIGINT, 3);
      return;
    case 'object':
      if (v === null) {
        finish(TAG_NULL, ~TAG_NULL, 0);
        return;
      }
      hashObject(v);
      return;
    default:
      throw new TypeError(`cannot fingerprint a value of type ${typeof v}: states must be plain data`);
  }
};

// Primed sub-object hashes: the engine primes the state it is about to expand, so hashing
// its successors, which share most of its sub-objects (immer's structural sharing), stops
// at every shared object. Objects down to PRIME_DEPTH levels below the state are recorded.
const PRIME_DEPTH = 4;
const primed = new Map<object, number>();
// eslint-disable-next-line no-var -- see outHi
var primedHi = new Uint32Array(256);
// eslint-disable-next-line no-var -- see outHi
var primedLo = new Uint32Array(256);
// eslint-disable-next-line no-var -- see outHi
var priming = false;
// eslint-disable-next-line no-var -- see outHi
var depth = 0;

/** A copy of `a` twice as long. */
const doubled = (a: Uint32Array): Uint32Array<ArrayBuffer> => {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
};

const remember = (o: object): void => {
  const i = primed.size;
  if (i === primedHi.length) {
    primedHi = doubled(primedHi);
    primedLo = doubled(primedLo);
  }
  primedHi[i] = outHi;
  primedLo[i] = outLo;
  primed.set(o, i);
};

// The primed state's fields, when it is a plain object: a successor made by replacing a few
// of them (a spread) has its other fields at the same positions, with the same key (the same
// node of the key trie) and the same value, whose pair hash is taken from here instead of
// being looked up and mixed again.
// eslint-disable-next-line no-var -- see outHi
var rootN = 0;
// eslint-disable-next-line no-var -- see outHi
var rootNodes: (KeyNode | undefined)[] = [];
// eslint-disable-next-line no-var -- see outHi
var rootVals: unknown[] = [];
// eslint-disable-next-line no-var -- see outHi
var rootPairs = new Uint32Array(64);
/** True while a plain-object root is hashed (set by hashObjectFresh at depth 1). */
// eslint-disable-next-line no-var -- see outHi
var rootFields = false;
/** Pair hashes of the root's fields, noted while a successor is fingerprinted with recording. */
// eslint-disable-next-line no-var -- see outHi
var recRootPairs = new Uint32Array(64);
// eslint-disable-next-line no-var -- see outHi
var recRootN = 0;

/** Notes field i of the state being primed, with its pair hash (outHi, outLo). */
const keepRootField = (i: number, node: KeyNode, v: unknown): void => {
  if (2 * i + 2 > rootPairs.length) rootPairs = doubled(rootPairs);
  rootNodes[i] = node;
  rootVals[i] = v;
  rootPairs[2 * i] = outHi;
  rootPairs[2 * i + 1] = outLo;
};

/** Notes the pair hash (outHi, outLo) of field i of the successor being recorded. */
const noteRootField = (i: number): void => {
  if (2 * i + 2 > recRootPairs.length) recRootPairs = doubled(recRootPairs);
  recRootPairs[2 * i] = outHi;
  recRootPairs[2 * i + 1] = outLo;
};

// Recording: while a successor is fingerprinted, the hashes of its sub-objects (down to
// PRIME_DEPTH) are noted in a scratch list; if the successor is new, the engine keeps them
// (`takeRecording`), and priming it later (`primeFingerprints(s, recording)`) costs no hashing.
// eslint-disable-next-line no-var -- see outHi
var recording = false;
// eslint-disable-next-line no-var -- see outHi
var recObjs: object[] = [];
// eslint-disable-next-line no-var -- see outHi
var recHi = new Uint32Array(256);
// eslint-disable-next-line no-var -- see outHi
var recLo = new Uint32Array(256);
// eslint-disable-next-line no-var -- see outHi
var recN = 0;

const note = (o: object): void => {
  if (recN === recHi.length) {
    recHi = doubled(recHi);
    recLo = doubled(recLo);
  }
  recObjs[recN] = o;
  recHi[recN] = outHi;
  recLo[recN] = outLo;
  recN++;
};

const hashObject = (o: object): void => {
  const k = primed.get(o);
  if (k !== undefined) {
    outHi = primedHi[k] as number;
    outLo = primedLo[k] as number;
    if (recording && depth < PRIME_DEPTH && !(depth === 1 && rootFields)) note(o);
    return;
  }
  depth++;
  hashObjectFresh(o);
  depth--;
  // The fields of a plain-object root are found again by position (see `rootFields`), not here.
  if (depth < PRIME_DEPTH && !(depth === 1 && rootFields)) {
    if (priming) remember(o);
    else if (recording) note(o);
  }
};

/** The sub-object hashes of a state, noted while it was fingerprinted (see `takeRecording`). */
export interface Recording {
  readonly objs: readonly object[];
  /** hi, lo of objs[k] at 2k, 2k+1. */
  readonly hashes: Uint32Array;
  /** For a plain-object state, the pair hashes of its fields in order (hi, lo at 2i, 2i+1). */
  readonly rootPairs?: Uint32Array;
}

/** A state with fewer sub-objects and fields (of a plain-object root) than this is primed by hashing it: keeping its recording would cost more memory than it saves time. */
const MIN_RECORDED = 12;

/**
 * Forgets the previously primed state and remembers the hashes of `s`'s sub-objects (a few
 * levels deep), so that fingerprinting states that share them is cheap. With the
 * `recording` made when `s` was fingerprinted, nothing is hashed again. Relies on states
 * being immutable, as the model contract requires.
 */
export const primeFingerprints = (s: unknown, rec?: Recording): void => {
  primed.clear();
  rootVals.fill(undefined, 0, rootN);
  rootN = 0;
  rootFields = false;
  if (rec) {
    for (let k = 0; k < rec.objs.length; k++) {
      outHi = rec.hashes[2 * k] as number;
      outLo = rec.hashes[2 * k + 1] as number;
      remember(rec.objs[k] as object);
    }
    const pairs = rec.rootPairs;
    if (pairs !== undefined) {
      // The state's fields in the order they were hashed, with the pair hashes noted then.
      let node: KeyNode | undefined;
      let i = 0;
      for (const k in s as Record<string, unknown>) {
        const v = (s as Record<string, unknown>)[k];
        if (v === undefined) continue;
        node = node === undefined ? firstKey(k) : nextKey(node, k);
        outHi = pairs[2 * i] as number;
        outLo = pairs[2 * i + 1] as number;
        keepRootField(i++, node, v);
      }
      rootN = i;
    }
    return;
  }
  priming = true;
  depth = 0;
  try {
    hashInto(s);
  } finally {
    priming = false;
    depth = 0;
  }
};

/** As `fingerprintInto`, noting the sub-object hashes for `takeRecording`. */
export const fingerprintRecording = (v: unknown, out: { hi: number; lo: number }): void => {
  recN = 0;
  recRootN = 0;
  rootFields = false;
  recording = true;
  try {
    hashInto(v);
  } finally {
    recording = false;
  }
  out.hi = outHi;
  out.lo = outLo;
};

/**
 * The sub-object hashes noted by the last `fingerprintRecording`, as a compact copy, or
 * undefined for a small state (priming it by hashing is cheap).
 */
export const takeRecording = (): Recording | undefined => {
  if (recN + recRootN < MIN_RECORDED) return undefined;
  const hashes = new Uint32Array(2 * recN);
  for (let k = 0; k < recN; k++) {
    hashes[2 * k] = recHi[k] as number;
    hashes[2 * k + 1] = recLo[k] as number;
  }
  const r: Recording = {
    objs: recObjs.slice(0, recN),
    hashes,
    ...(recRootN > 0 ? { rootPairs: recRootPairs.slice(0, 2 * recRootN) } : {}),
  };
  recObjs.fill(undefined as unknown as object, 0, recN);
  return r;
};

/**
 * A node of the trie of plain objects' key sequences: the hash of its key, and the nodes of
 * the keys met after it. Objects of one kind list their keys in one order (object literals,
 * spreads), so a walk down the trie costs a comparison of interned strings a key instead of a
 * lookup of the key's hash.
 */
interface KeyNode {
  readonly key: string;
  readonly hi: number;
  readonly lo: number;
  readonly next: KeyNode[];
}

const keyRoots = new Map<string, KeyNode>();
/** Nodes in the trie; past this it stops growing (keys are then hashed one by one). */
const KEY_NODES_LIMIT = 1 << 14;
// eslint-disable-next-line no-var -- see outHi
var keyNodes = 0;

const keyNode = (k: string): KeyNode => {
  hashString(k);
  keyNodes++;
  return { key: k, hi: outHi, lo: outLo, next: [] };
};

const firstKey = (k: string): KeyNode => {
  let node = keyRoots.get(k);
  if (node === undefined) {
    node = keyNode(k);
    if (keyNodes < KEY_NODES_LIMIT) keyRoots.set(k, node);
  }
  return node;
};

const nextKey = (prev: KeyNode, k: string): KeyNode => {
  const next = prev.next;
  for (let i = 0; i < next.length; i++) if ((next[i] as KeyNode).key === k) return next[i] as KeyNode;
  const node = keyNode(k);
  if (keyNodes < KEY_NODES_LIMIT) next.push(node);
  return node;
};

/**
 * The unordered sum of a plain-object root's (key, value) pair hashes, in (outHi, outLo),
 * starting from TAG_OBJECT; returns the number of fields. A field whose key and value are
 * the primed state's at the same position takes its pair hash from there.
 */
const sumRootFields = (o: Record<string, unknown>): number => {
  let a = TAG_OBJECT;
  let b = TAG_OBJECT;
  let n = 0;
  let node: KeyNode | undefined;
  rootFields = true;
  for (const k in o) {
    const v = o[k];
    if (v === undefined) continue;
    const i = n++;
    node = node === undefined ? firstKey(k) : nextKey(node, k);
    if (i < rootN && rootNodes[i] === node && rootVals[i] === v) {
      outHi = rootPairs[2 * i] as number;
      outLo = rootPairs[2 * i + 1] as number;
    } else {
      const kHi = node.hi;
      const kLo = node.lo;
      hashInto(v);
      pairInto(kHi, kLo, outHi, outLo);
    }
    if (priming) keepRootField(i, node, v);
    else if (recording) noteRootField(i);
    a = (a + outHi) | 0;
    b = (b + outLo) | 0;
  }
  rootFields = false;
  if (priming) rootN = n;
  else if (recording) recRootN = n;
  outHi = a;
  outLo = b;
  return n;
};

const hashObjectFresh = (o: object): void => {
  let a: number;
  let b: number;
  let n: number;
  if (Array.isArray(o)) {
    a = mixA(SEED_A, TAG_ARRAY);
    b = mixB(SEED_B, TAG_ARRAY);
    n = o.length;
    for (let i = 0; i < n; i++) {
      const x = o[i];
      // Inline the commonest leaves; everything else goes through hashInto.
      if (x === true) {
        a = mixA(a, TRUE_HI);
        b = mixB(b, TRUE_LO);
      } else if (x === false) {
        a = mixA(a, FALSE_HI);
        b = mixB(b, FALSE_LO);
      } else {
        hashInto(x);
        a = mixA(a, outHi);
        b = mixB(b, outLo);
      }
    }
  } else if (o instanceof Map) {
    a = TAG_MAP;
    b = TAG_MAP;
    n = o.size;
    for (const [k, v] of o) {
      hashInto(k);
      const kHi = outHi;
      const kLo = outLo;
      hashInto(v);
      pairInto(kHi, kLo, outHi, outLo);
      a = (a + outHi) | 0;
      b = (b + outLo) | 0;
    }
  } else if (o instanceof Set) {
    a = TAG_SET;
    b = TAG_SET;
    n = o.size;
    for (const v of o) {
      hashInto(v);
      pairInto(TAG_SET, TAG_SET, outHi, outLo);
      a = (a + outHi) | 0;
      b = (b + outLo) | 0;
    }
  } else {
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `cannot fingerprint an instance of ${proto?.constructor?.name ?? 'a class'}: states must be plain data`,
      );
    }
    if (depth === 1) {
      // The root: its fields are compared with the primed state's by position.
      n = sumRootFields(o as Record<string, unknown>);
      a = outHi;
      b = outLo;
    } else {
      a = TAG_OBJECT;
      b = TAG_OBJECT;
      n = 0;
      // The keys' hashes come from the trie of key sequences met so far: one lookup for the
      // first key, then one identity comparison a key while the object follows a known shape.
      let node: KeyNode | undefined;
      for (const k in o) {
        const v = (o as Record<string, unknown>)[k];
        if (v === undefined) continue;
        n++;
        node = node === undefined ? firstKey(k) : nextKey(node, k);
        const kHi = node.hi;
        const kLo = node.lo;
        hashInto(v);
        pairInto(kHi, kLo, outHi, outLo);
        a = (a + outHi) | 0;
        b = (b + outLo) | 0;
      }
    }
    a = mixA(SEED_A, a);
    b = mixB(SEED_B, b);
  }
  finish(a, b, n);
};

/**
 * The fingerprint of a value, written to `out.hi` / `out.lo` (reused by the hot loop to
 * avoid an allocation per state). Equal values get equal fingerprints; different values
 * collide with probability about 2^-64 per pair.
 */
export const fingerprintInto = (v: unknown, out: { hi: number; lo: number }): void => {
  hashInto(v);
  out.hi = outHi;
  out.lo = outLo;
};

/** The fingerprint of a value. */
export const fingerprint = (v: unknown): Fingerprint => {
  hashInto(v);
  return { hi: outHi, lo: outLo };
};

/** The fingerprint as 16 hex digits, for reports and traces. */
export const fingerprintHex = (fp: Fingerprint): string =>
  fp.hi.toString(16).padStart(8, '0') + fp.lo.toString(16).padStart(8, '0');

/**
 * TLC's optimistic estimate of the probability that a fingerprint collision made the search
 * miss a state: n·(g−n)/2^64 for n distinct and g generated states (TLC prints it as
 * "calculated (optimistic)"). Each of the g−n generated states found already visited might
 * have matched one of the n fingerprints by accident.
 */
export const collisionProbability = (distinct: number, generated: number): number =>
  (distinct * Math.max(0, generated - distinct)) / 2 ** 64;

/**
 * The birthday bound over the visited set: the probability that some pair of the n distinct
 * states share a fingerprint, about n(n−1)/2 / 2^64 = n(n−1)/2^65.
 */
export const birthdayCollisionBound = (distinct: number): number =>
  (distinct * (distinct - 1)) / 2 / 2 ** 64;
