/**
 * A counter that may fall into a trap, for the explorer's liveness view: from n = 2, Trap leads
 * into a ring of three states (t = 0, 1, 2) that Spin walks around forever, while the goal
 * ("done stays reachable") is n = 3 outside the ring. Fix, a repair, leaves the ring, but the
 * property does not count it (via), so the ring is a region the goal cannot be reached from.
 * Its view draws the counter and the ring as two lanes.
 *   npm run explore -- --model test/examples/trap.ts
 */
import type { Model } from '../../checker/model.ts';

export type TrapState = { readonly n: number; readonly t?: number };
export type TrapAction = 'Inc' | 'Trap' | 'Spin' | 'Fix';

export const trap: Model<TrapState, TrapAction> = {
  name: 'trap',
  initStates: () => [{ n: 0 }],
  actions: () => ['Inc', 'Trap', 'Spin', 'Fix'],
  nextState: (s, a) => {
    if (s.t !== undefined) return a === 'Spin' ? { n: s.n, t: (s.t + 1) % 3 } : a === 'Fix' ? { n: 3 } : undefined;
    if (a === 'Inc') return s.n < 3 ? { n: s.n + 1 } : undefined;
    if (a === 'Trap') return s.n === 2 ? { n: 2, t: 0 } : undefined;
    return undefined;
  },
  actionName: (a) => a,
  terminalOk: 'always',
  view: {
    lanes: () => ['counter', 'ring'],
    events: (before, a, after) =>
      a === 'Inc'
        ? [{ from: 'counter', to: 'counter', label: `n = ${after.n}` }]
        : a === 'Trap'
          ? [{ from: 'counter', to: 'ring', label: 'trapped', mark: 'fault' }]
          : a === 'Spin'
            ? [{ from: 'ring', to: 'ring', label: `t = ${after.t}` }]
            : [{ from: 'ring', to: 'counter', label: `fixed at t = ${before.t}`, mark: 'recovery' }],
  },
  reachability: [{ name: 'done stays reachable', goal: (s) => s.n === 3 && s.t === undefined, via: (a) => a !== 'Fix' }],
};

export default trap;
