/**
 * A counter that breaks the model contract: its actions come in another order on every
 * other call, for the same state. A search does not notice by itself; replaying a
 * counterexample, or `--strict`, does.
 */
import type { Invariant, Model } from '../../checker/model.ts';

export interface FlakyState {
  readonly n: number;
}

/** A fresh flaky counter (its call count starts at 0), with these invariants. */
export const flakyCounter = (invariants: readonly Invariant<FlakyState>[] = []): Model<FlakyState, number> => {
  let calls = 0;
  return {
    name: 'flaky',
    initStates: () => [{ n: 0 }],
    actions: () => (calls++ % 2 === 0 ? [1, 2] : [2, 1]),
    nextState: (s, a) => (s.n < 6 ? { n: s.n + a } : undefined),
    actionName: (a) => `+${a}`,
    terminalOk: 'always',
    ...(invariants.length > 0 ? { invariants } : {}),
  };
};
