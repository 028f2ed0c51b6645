/**
 * The action index kept for each state a search records: the index, in its parent's
 * `actions` list, of the action that reached it (for an initial state, its index in
 * `initStates`). A counterexample is rebuilt from these indices by replay.
 *
 * They take two bytes a state while every index fits in 16 bits, and four once one does not:
 * a search widens its array (`widenedFor`) when a state lists more than 65,536 candidate
 * actions or the model has more than 65,536 initial states, so no model pays for what only a
 * few need, and none meets a limit.
 */

/** Per state id, the index of the action (or initial state) that reached it. */
export type ActionIndices = Uint16Array | Uint32Array;

/** Indices below this fit the two-byte array. */
export const NARROW_LIMIT = 0x10000;

/** An empty two-byte array with room for `capacity` states. */
export const createActionIndices = (capacity: number): ActionIndices => new Uint16Array(capacity);

/** A copy of `a` with room for `capacity` states, as wide as `a`. */
export const grownActionIndices = (a: ActionIndices, capacity: number): ActionIndices => {
  const b = a instanceof Uint16Array ? new Uint16Array(capacity) : new Uint32Array(capacity);
  b.set(a);
  return b;
};

/**
 * `a` itself when it can hold the indices 0 .. `count` − 1, else a four-byte copy of it (as
 * long): the array to record into once a list of `count` candidates is met.
 */
export const widenedFor = (a: ActionIndices, count: number): ActionIndices =>
  count <= NARROW_LIMIT || a instanceof Uint32Array ? a : Uint32Array.from(a);

/** The index list of a checkpoint file read back: `bytes` per entry (2 or 4). */
export const actionIndicesFromBytes = (bytes: Uint8Array, width: number): ActionIndices => {
  const copy = bytes.slice().buffer;
  return width === 4 ? new Uint32Array(copy) : new Uint16Array(copy);
};
