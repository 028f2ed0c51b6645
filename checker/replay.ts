import type { ActionIndices } from './actionIndices.ts';
import type { Model } from './model.ts';
import type { PathIndices, Step } from './result.ts';

/** A path recorded as indices could not be replayed on the model. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

/**
 * Rebuilds the states of a path from its indices: the initial state `path.init`, then at
 * each step the `i`-th candidate action of the current state. Throws `ReplayError` when an
 * index is out of range or names a disabled action, which for a path the engine recorded
 * means the model is not deterministic (its `initStates` or `actions` order changed).
 */
export const replay = <S, A>(model: Model<S, A>, path: PathIndices): Step<S, A>[] => {
  const inits = model.initStates();
  const first = inits[path.init];
  if (first === undefined) {
    throw new ReplayError(`initial state index ${path.init} out of range (the model has ${inits.length})`);
  }
  const steps: Step<S, A>[] = [{ action: undefined, state: first }];
  let s = first;
  path.actions.forEach((i, n) => {
    const candidates = model.actions(s);
    const a = candidates[i];
    if (a === undefined) {
      throw new ReplayError(`step ${n + 1}: action index ${i} out of range (${candidates.length} candidates)`);
    }
    const t = model.nextState(s, a);
    if (t === undefined) {
      throw new ReplayError(`step ${n + 1}: action ${model.actionName(a)} (index ${i}) is not enabled`);
    }
    steps.push({ action: a, state: t });
    s = t;
  });
  return steps;
};

/** The path to state `id` from recorded parent ids and action indices (parent NO_PARENT marks a root). */
export const pathFromParents = (parents: Uint32Array, actions: ActionIndices, id: number): PathIndices => {
  const rev: number[] = [];
  let cur = id;
  while (parents[cur] !== NO_PARENT) {
    rev.push(actions[cur] as number);
    cur = parents[cur] as number;
  }
  return { init: actions[cur] as number, actions: rev.reverse() };
};

/** The parent id of an initial state. */
export const NO_PARENT = 0xffffffff;
