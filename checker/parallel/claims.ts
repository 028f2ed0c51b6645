/**
 * The claims of the level under way in a parallel breadth-first search: the fingerprints of
 * the new states some worker already keeps, in one open-addressing table in shared memory
 * that every worker writes. The first worker to claim a state keeps it (checks it, holds it
 * for the next level); a worker that finds it claimed reports only its key, so a state found
 * by several workers is checked and held once.
 *
 * A slot is three 32-bit words: a tag (0 empty, 1 being written, 2 claimed) and the two
 * halves of the fingerprint. A worker claims an empty slot by changing its tag from 0 to 1
 * atomically, writes the fingerprint, then sets the tag to 2; a worker that meets tag 1 waits
 * the few instructions until it is 2. The table never grows during a level: once it is 3/4
 * full, `claim` answers FULL for a fingerprint not in it, and the worker keeps the state as if
 * it had claimed it (two workers may then keep one state, which the coordinator resolves as
 * before). The parallel depth-first search uses one such table for its whole run, with a
 * fourth word a slot: a value the claiming worker sets once it has one (0 until then).
 */

export interface ClaimTable {
  /** [0]: claims made; then tags, his, los (and values), `capacity` words each. */
  readonly words: Int32Array;
  readonly capacity: number;
  readonly limit: number;
}

/** What a worker needs to open the table (see `openClaims`). */
export interface ClaimShare {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
}

export const CLAIMED = 1;
export const TAKEN = 0;
export const FULL = -1;

/** A table of `capacity` slots (a power of two) in shared memory, with a value a slot when asked. */
export const createClaims = (capacity: number, withValues = false): ClaimShare => {
  if (capacity < 1 || (capacity & (capacity - 1)) !== 0) throw new RangeError(`claims: capacity must be a power of two, got ${capacity}`);
  return { buffer: new SharedArrayBuffer((1 + (withValues ? 4 : 3) * capacity) * 4), capacity };
};

export const openClaims = (share: ClaimShare): ClaimTable => ({
  words: new Int32Array(share.buffer),
  capacity: share.capacity,
  limit: Math.floor(share.capacity * 0.75),
});

/** Forgets every claim (between levels, while no worker reads the table). */
export const clearClaims = (t: ClaimTable): void => {
  t.words.fill(0);
};

/** Claims made so far. */
export const claimCount = (t: ClaimTable): number => Atomics.load(t.words, 0);

/** Claims a fingerprint: CLAIMED when this call took it, TAKEN when it was already, FULL when it was not and the table is full. */
export const claim = (t: ClaimTable, hi: number, lo: number): number => {
  const slot = claimSlot(t, hi, lo);
  return slot >= 0 ? CLAIMED : slot === SLOT_TAKEN ? TAKEN : FULL;
};

/** `claimSlot`'s answer for a fingerprint claimed before. */
export const SLOT_TAKEN = -2;

/** As `claim`, answering the slot taken (a number >= 0) rather than CLAIMED, and SLOT_TAKEN rather than TAKEN. */
export const claimSlot = (t: ClaimTable, hi: number, lo: number): number => {
  const w = t.words;
  const cap = t.capacity;
  const mask = cap - 1;
  const his = 1 + cap;
  const los = 1 + 2 * cap;
  const h = hi | 0;
  const l = lo | 0;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    let tag = Atomics.load(w, 1 + i);
    if (tag === 0) {
      if (Atomics.load(w, 0) >= t.limit) return FULL;
      if (Atomics.compareExchange(w, 1 + i, 0, 1) === 0) {
        w[his + i] = h;
        w[los + i] = l;
        Atomics.store(w, 1 + i, 2);
        Atomics.add(w, 0, 1);
        return i;
      }
      tag = Atomics.load(w, 1 + i);
    }
    while (tag === 1) tag = Atomics.load(w, 1 + i);
    if (w[his + i] === h && w[los + i] === l) return SLOT_TAKEN;
    i = (i + 1) & mask;
  }
};

/** Sets the value of a slot this thread claimed (a table made with values). */
export const setClaimValue = (t: ClaimTable, slot: number, value: number): void => {
  Atomics.store(t.words, 1 + 3 * t.capacity + slot, value);
};

/**
 * The value of a claimed fingerprint: 0 while its claimer has not set it, -1 when nobody
 * claimed it (a table made with values).
 */
export const claimValue = (t: ClaimTable, hi: number, lo: number): number => {
  const w = t.words;
  const cap = t.capacity;
  const mask = cap - 1;
  const h = hi | 0;
  const l = lo | 0;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    let tag = Atomics.load(w, 1 + i);
    if (tag === 0) return -1;
    while (tag === 1) tag = Atomics.load(w, 1 + i);
    if (w[1 + cap + i] === h && w[1 + 2 * cap + i] === l) return Atomics.load(w, 1 + 3 * cap + i);
    i = (i + 1) & mask;
  }
};
