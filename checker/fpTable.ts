/**
 * The visited set: 64-bit fingerprints in an open-addressing hash table of typed arrays
 * (linear probing, power-of-two capacity, grown at 3/4 load). Eight bytes a slot, plus
 * four for an optional 32-bit value per fingerprint (used by depth-bounded DFS to find a
 * state's id again). The fingerprint 0:0 marks an empty slot, so it is remapped to 0:1.
 */
export interface FpTable {
  hi: Uint32Array;
  lo: Uint32Array;
  values: Uint32Array | undefined;
  mask: number;
  size: number;
  /** Arrays in shared memory (read by search workers). */
  shared: boolean;
}

const MAX_LOAD = 0.75;

/** An empty table with room for about `expected` fingerprints before it grows. */
export const createFpTable = (expected = 1 << 16, withValues = false, shared = false): FpTable => {
  let cap = 1 << 10;
  while (cap * MAX_LOAD < expected) cap *= 2;
  return {
    hi: words(cap, shared),
    lo: words(cap, shared),
    values: withValues ? new Uint32Array(cap) : undefined,
    mask: cap - 1,
    size: 0,
    shared,
  };
};

/** `n` zeroed 32-bit words, in shared memory when other threads read the table. */
const words = (n: number, shared: boolean): Uint32Array =>
  shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n);

/** What a search worker needs to read a shared table (see `fpTableView`). */
export interface FpTableShare {
  readonly hi: SharedArrayBuffer;
  readonly lo: SharedArrayBuffer;
}

export const fpTableShare = (t: FpTable): FpTableShare => ({
  hi: t.hi.buffer as SharedArrayBuffer,
  lo: t.lo.buffer as SharedArrayBuffer,
});

/** A read-only view of a table shared by another thread, for `hasFp` while that thread does not write it. */
export const fpTableView = (share: FpTableShare): FpTable => {
  const hi = new Uint32Array(share.hi);
  return { hi, lo: new Uint32Array(share.lo), values: undefined, mask: hi.length - 1, size: 0, shared: true };
};

/** Grows the table now, if needed, so that `extra` more fingerprints fit without growing. */
export const reserveFp = (t: FpTable, extra: number): void => {
  while (t.size + extra > t.hi.length * MAX_LOAD) grow(t);
};

/** The value stored with a fingerprint (tables with values), or -1 when it is absent. */
export const valueOfFp = (t: FpTable, hi: number, lo: number): number => {
  if (hi === 0 && lo === 0) lo = 1;
  const i = slotOf(t, hi, lo);
  return t.hi[i] === hi && t.lo[i] === lo && t.values ? (t.values[i] as number) : -1;
};

const slotOf = (t: FpTable, hi: number, lo: number): number => {
  // The low half is already avalanched; fold in the high half for good measure.
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & t.mask;
  const H = t.hi;
  const L = t.lo;
  for (;;) {
    const h = H[i] as number;
    const l = L[i] as number;
    if ((h === hi && l === lo) || (h === 0 && l === 0)) return i;
    i = (i + 1) & t.mask;
  }
};

const grow = (t: FpTable): void => {
  const oldHi = t.hi;
  const oldLo = t.lo;
  const oldValues = t.values;
  const cap = oldHi.length * 2;
  t.hi = words(cap, t.shared);
  t.lo = words(cap, t.shared);
  t.values = oldValues ? new Uint32Array(cap) : undefined;
  t.mask = cap - 1;
  for (let j = 0; j < oldHi.length; j++) {
    const h = oldHi[j] as number;
    const l = oldLo[j] as number;
    if (h === 0 && l === 0) continue;
    const i = slotOf(t, h, l);
    t.hi[i] = h;
    t.lo[i] = l;
    if (oldValues && t.values) t.values[i] = oldValues[j] as number;
  }
};

/**
 * Inserts the fingerprint if absent. Returns the slot index as a non-negative number when
 * it was inserted, or `-1 - slot` when it was already present (so `~result` is the slot).
 * A slot index is valid until the next insertion.
 */
export const putIfAbsent = (t: FpTable, hi: number, lo: number): number => {
  if (hi === 0 && lo === 0) lo = 1;
  const i = slotOf(t, hi, lo);
  if (t.hi[i] === hi && t.lo[i] === lo) return -1 - i;
  t.hi[i] = hi;
  t.lo[i] = lo;
  t.size++;
  if (t.size > t.hi.length * MAX_LOAD) {
    grow(t);
    return slotOf(t, hi, lo);
  }
  return i;
};

/** True when the fingerprint is in the table. */
export const hasFp = (t: FpTable, hi: number, lo: number): boolean => {
  if (hi === 0 && lo === 0) lo = 1;
  const i = slotOf(t, hi, lo);
  return t.hi[i] === hi && t.lo[i] === lo;
};

/** Bytes held by the table's arrays. */
export const fpTableBytes = (t: FpTable): number =>
  t.hi.byteLength + t.lo.byteLength + (t.values?.byteLength ?? 0);
