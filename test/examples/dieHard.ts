/**
 * DieHard, from the TLA+ examples (specifications/DieHard/DieHard.tla): fill a 3-gallon
 * and a 5-gallon jug, empty them, pour one into the other; the puzzle asks for exactly 4
 * gallons in the big jug, so `NotSolved` (big /= 4) is the invariant TLC violates.
 */
import type { Model } from '../../checker/model.ts';

export interface Jugs {
  readonly small: number;
  readonly big: number;
}

export type JugAction =
  | { type: 'FillSmallJug' }
  | { type: 'FillBigJug' }
  | { type: 'EmptySmallJug' }
  | { type: 'EmptyBigJug' }
  | { type: 'SmallToBig' }
  | { type: 'BigToSmall' };

const ACTIONS: readonly JugAction[] = [
  { type: 'FillSmallJug' },
  { type: 'FillBigJug' },
  { type: 'EmptySmallJug' },
  { type: 'EmptyBigJug' },
  { type: 'SmallToBig' },
  { type: 'BigToSmall' },
];

const jugs = (small: number, big: number): Jugs => Object.freeze({ small, big });

const next = (s: Jugs, a: JugAction): Jugs => {
  switch (a.type) {
    case 'FillSmallJug':
      return jugs(3, s.big);
    case 'FillBigJug':
      return jugs(s.small, 5);
    case 'EmptySmallJug':
      return jugs(0, s.big);
    case 'EmptyBigJug':
      return jugs(s.small, 0);
    case 'SmallToBig': {
      const poured = Math.min(s.big + s.small, 5) - s.big;
      return jugs(s.small - poured, s.big + poured);
    }
    case 'BigToSmall': {
      const poured = Math.min(s.big + s.small, 3) - s.small;
      return jugs(s.small + poured, s.big - poured);
    }
  }
};

/** The DieHard model; `withNotSolved` adds the invariant big /= 4 that TLC famously violates. */
export const dieHard = (withNotSolved = true): Model<Jugs, JugAction> => ({
  name: 'DieHard',
  initStates: () => [jugs(0, 0)],
  actions: () => ACTIONS,
  nextState: next,
  actionName: (a) => a.type,
  actionNames: ACTIONS.map((a) => a.type),
  terminalOk: 'always',
  invariants: [
    {
      name: 'TypeOK',
      holds: (s) => s.small >= 0 && s.small <= 3 && s.big >= 0 && s.big <= 5,
    },
    ...(withNotSolved
      ? [{ name: 'NotSolved', holds: (s: Jugs) => s.big !== 4, explain: (s: Jugs) => `big = ${s.big}` }]
      : []),
  ],
});
