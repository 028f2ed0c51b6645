/**
 * Immutable updates of the model's plain data. A transition never edits the state it is
 * given: it builds the next state from new objects for what changed and shares everything
 * else with the old one (which is what makes the engine's fingerprinting cheap). Each helper
 * returns a new value and leaves its arguments untouched; those that change nothing return
 * their argument itself, so unchanged parts stay shared.
 */
import type { PrimaryBlade, SecondaryBlade, State, WriteGhost } from './state.ts';

/**
 * A fresh copy that its maker may still edit before it becomes part of a state (the Fig 19
 * bookkeeping is written as the figure's assignments on such copies). Once placed in a state,
 * it is never edited again.
 */
export type Fresh<T> = { -readonly [K in keyof T]: T[K] };

/** A shallow copy of `x` to edit (see `Fresh`). */
export const copy = <T extends object>(x: T): Fresh<T> => ({ ...x });

/** `list` with element `i` replaced by `value`. */
export const setAt = <T>(list: readonly T[], i: number, value: T): T[] => {
  const out = list.slice();
  out[i] = value;
  return out;
};

/** `list` with element `i` replaced by `update(element)`. */
export const updateAt = <T>(list: readonly T[], i: number, update: (x: T) => T): T[] => setAt(list, i, update(list[i]!));

/** `list` without element `i`. */
export const removeAt = <T>(list: readonly T[], i: number): T[] => {
  const out = list.slice();
  out.splice(i, 1);
  return out;
};

/** `list` with `value` inserted at position `i`. */
export const insertAt = <T>(list: readonly T[], i: number, value: T): T[] => {
  const out = list.slice();
  out.splice(i, 0, value);
  return out;
};

/** `list` with every element that passes `test` replaced by `update(element)`; `list` itself when none passes. */
export const updateWhere = <T>(list: readonly T[], test: (x: T) => boolean, update: (x: T) => T): readonly T[] => {
  let out: T[] | undefined;
  for (let k = 0; k < list.length; k++) {
    if (!test(list[k]!)) continue;
    out ??= list.slice();
    out[k] = update(list[k]!);
  }
  return out ?? list;
};

/** The elements of `list` that pass `test`; `list` itself when all do. */
export const keepWhere = <T>(list: readonly T[], test: (x: T) => boolean): readonly T[] => {
  for (let k = 0; k < list.length; k++) if (!test(list[k]!)) return list.filter(test);
  return list;
};

/** `s` with write ghost `w` changed by `patch`. */
export const patchWrite = (s: State, w: number, patch: Partial<WriteGhost>): State => ({
  ...s,
  writes: setAt(s.writes, w, { ...s.writes[w]!, ...patch }),
});

/** `s` with primary blade `i` replaced. */
export const withPrimary = (s: State, i: number, b: PrimaryBlade): State => ({ ...s, primaryBlades: setAt(s.primaryBlades, i, b) });

/** `s` with primary blade `i` changed by `patch`. */
export const patchPrimary = (s: State, i: number, patch: Partial<PrimaryBlade>): State =>
  withPrimary(s, i, { ...s.primaryBlades[i]!, ...patch });

/** `s` with secondary blade `j` replaced. */
export const withSecondary = (s: State, j: number, b: SecondaryBlade): State => ({
  ...s,
  secondaryBlades: setAt(s.secondaryBlades, j, b),
});

/** `s` with secondary blade `j` changed by `patch`. */
export const patchSecondary = (s: State, j: number, patch: Partial<SecondaryBlade>): State =>
  withSecondary(s, j, { ...s.secondaryBlades[j]!, ...patch });
