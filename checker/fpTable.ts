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
}

const MAX_LOAD = 0.75;

/** An empty table with room for about `expected` fingerprints before it grows. */
export const createFpTable = (expected = 1 << 16, withValues = false): FpTable => {
  let cap = 1 << 10;
  while (cap * MAX_LOAD < expected) cap *= 2;
  return {
    hi: new Uint32Array(cap),
    lo: new Uint32Array(cap),
    values: withValues ? new Uint32Array(cap) : undefined,
    mask: cap - 1,
    size: 0,
  };
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
  t.hi = new Uint32Array(cap);
  t.lo = new Uint32Array(cap);
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
