import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import type { Model } from '../../checker/model.ts';

type S = { readonly n: number; readonly jammed: boolean };
type A = 'Inc' | 'Reset' | 'Jam' | 'Repair';

/** n counts to 3 and resets; a fault (Jam) stops counting until a repair (also a fault). */
const jammer = (over: Partial<Model<S, A>> = {}): Model<S, A> => ({
  name: 'jammer',
  initStates: () => [{ n: 0, jammed: false }],
  actions: () => ['Inc', 'Reset', 'Jam', 'Repair'],
  nextState: (s, a) => {
    switch (a) {
      case 'Inc':
        return !s.jammed && s.n < 3 ? { ...s, n: s.n + 1 } : undefined;
      case 'Reset':
        return !s.jammed && s.n === 3 ? { ...s, n: 0 } : undefined;
      case 'Jam':
        return s.jammed ? undefined : { ...s, jammed: true };
      case 'Repair':
        return s.jammed ? { ...s, jammed: false } : undefined;
    }
  },
  actionName: (a) => a,
  terminalOk: 'always',
  ...over,
});

const fault = (a: A): boolean => a === 'Jam' || a === 'Repair';

describe('reachability properties (reverse reachability on the explored graph)', () => {
  it('hold when the goal stays reachable by the allowed actions', () => {
    const r = check(jammer({ reachability: [{ name: 'can count to 3', goal: (s) => s.n === 3 }] }));
    expect(r.verdict).toBe('ok');
    expect(r.properties.find((p) => p.name === 'can count to 3')?.status).toBe('holds');
  });

  it('report the shortest path to a state from which no goal is reachable without faults', () => {
    const r = check(
      jammer({
        reachability: [
          { name: 'counts to 3 by protocol steps', goal: (s) => s.n === 3, via: (a) => !fault(a), explain: (s) => `jammed at ${s.n}` },
        ],
      }),
    );
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('counts to 3 by protocol steps');
    const cx = r.counterexample!;
    expect(cx.kind).toBe('reachability');
    expect(cx.steps.map((s) => s.action)).toEqual([undefined, 'Jam']);
    expect(cx.explanation).toBe('jammed at 0');
  });

  it('counts states on the model boundary as able to reach the goal (what lies beyond is unknown)', () => {
    const r = check(
      jammer({
        withinBoundary: (s) => s.n < 2,
        reachability: [{ name: 'reaches 3', goal: (s) => s.n === 3, via: (a) => !fault(a) }],
        nextState: (s, a) => (a === 'Inc' ? { ...s, n: s.n + 1 } : undefined),
      }),
    );
    expect(r.verdict).toBe('ok');
    expect(r.boundaryCut).toBe(1);
  });

  it('finds the same stuck state with DFS, and is not judged by random walks', () => {
    const m = jammer({ reachability: [{ name: 'p', goal: (s) => s.n === 3, via: (a) => !fault(a) }] });
    expect(check(m, { strategy: 'dfs' }).property).toBe('p');
    const rnd = check(m, { strategy: 'random', runs: 20 });
    expect(rnd.properties.find((p) => p.name === 'p')?.status).toBe('not checked (random)');
  });
});
