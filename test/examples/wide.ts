/**
 * Two small models whose indices do not fit in two bytes, for the engine's action-index
 * encoding; as a module for the CLI and the search workers (`--param kind=inits|actions`):
 * - `inits`: 70,000 initial states; the last one takes two steps and then violates the invariant;
 * - `actions`: one initial state with 70,000 candidate actions, four of them enabled (indices
 *   0, 65,535, 65,536 and 69,999); each state they reach takes one more step, and the one
 *   reached by index 69,999 then violates the invariant.
 */
import { InputError } from '../../checker/errors.ts';
import type { Model } from '../../checker/model.ts';

/** How many initial states, or candidate actions in a state. */
export const WIDE = 70_000;

type S = { readonly k: number; readonly step: number };

/** 70,000 initial states `{k, step: 0}`; `{k: 69,999}` steps twice and then fails "step below 2". */
export const manyInits = (): Model<S, 'step'> => ({
  name: 'many-inits',
  initStates: () => Array.from({ length: WIDE }, (_, k) => ({ k, step: 0 })),
  actions: (s) => (s.k === WIDE - 1 && s.step < 2 ? ['step'] : []),
  nextState: (s) => ({ k: s.k, step: s.step + 1 }),
  actionName: () => 'step',
  terminalOk: 'always',
  invariants: [{ name: 'step below 2', holds: (s) => s.step < 2 }],
});

/** The indices of the enabled actions among the initial state's 70,000. */
export const ENABLED: readonly number[] = [0, 0xffff, 0x10000, WIDE - 1];
const CANDIDATES: readonly number[] = Array.from({ length: WIDE }, (_, i) => i);
const enabled = new Set(ENABLED);

/** One initial state with 70,000 candidate actions (numbers); the path by 69,999 then one step fails. */
export const manyActions = (): Model<S, number> => ({
  name: 'many-actions',
  initStates: () => [{ k: -1, step: 0 }],
  actions: (s) => (s.step === 0 ? CANDIDATES : s.step === 1 ? [0] : []),
  nextState: (s, a) => (s.step === 0 ? (enabled.has(a) ? { k: a, step: 1 } : undefined) : { k: s.k, step: 2 }),
  actionName: (a) => (a === 0 ? 'first' : 'other'),
  terminalOk: 'always',
  invariants: [{ name: 'not the last after two steps', holds: (s) => !(s.k === WIDE - 1 && s.step === 2) }],
});

export default (params: Readonly<Record<string, string>>) => {
  const { kind, ...rest } = params;
  if (Object.keys(rest).length > 0) throw new InputError(`unknown parameter "${Object.keys(rest)[0]}"; the wide models take kind`);
  if (kind === 'inits') return manyInits();
  if (kind === 'actions') return manyActions();
  throw new InputError(`kind must be inits or actions, got "${kind ?? ''}"`);
};
