import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, checkSpec } from '../../checker/check.ts';
import type { Model } from '../../checker/model.ts';
import { canonicalTwoPhase, twoPhase, type TwoPhaseAction, type TwoPhaseState } from '../examples/twoPhase.ts';

/** Every reachable state of a small model, by a plain BFS with JSON as identity. */
const reachable = <S, A>(model: Model<S, A>): S[] => {
  const seen = new Map<string, S>();
  const queue = [...model.initStates()];
  for (const s of queue) seen.set(JSON.stringify(s), s);
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const a of model.actions(s)) {
      const t = model.nextState(s, a);
      if (t === undefined || seen.has(JSON.stringify(t))) continue;
      seen.set(JSON.stringify(t), t);
      queue.push(t);
    }
  }
  return [...seen.values()];
};

describe('symmetry reduction (Model.canonical)', () => {
  it('TwoPhase: one state per orbit, as many as a brute-force count of canonical forms', () => {
    for (const n of [3, 4, 5]) {
      const all = reachable<TwoPhaseState, TwoPhaseAction>(twoPhase(n));
      const orbits = new Set(all.map((s) => JSON.stringify(canonicalTwoPhase(s)))).size;
      const r = check(twoPhase(n, { symmetry: true }));
      expect(r.verdict).toBe('ok');
      expect(r.distinctStates).toBe(orbits);
      expect(r.distinctStates).toBeLessThan(all.length);
    }
  });

  it('still finds the planted bug, with a counterexample that replays', () => {
    const r = check(twoPhase(4, { plantCommitEarly: true, symmetry: true }));
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('TCConsistent');
    expect(r.counterexample!.steps.length).toBe(check(twoPhase(4, { plantCommitEarly: true })).counterexample!.steps.length);
  });

  it('can be switched off, and the parallel search reduces alike', async () => {
    expect(check(twoPhase(4, { symmetry: true }), { symmetry: false }).distinctStates).toBe(1568);
    const spec = { model: resolve('test/examples/twoPhaseModule.ts'), params: { N: '5', symmetry: 'on' } };
    const one = await checkSpec(spec, { workers: 1 });
    const two = await checkSpec(spec, { workers: 2, waitForWorkers: true });
    expect(two.distinctStates).toBe(one.distinctStates);
    expect(two.generatedStates).toBe(one.generatedStates);
  });

  it('is refused beside reachability properties, whose goals the engine cannot know to be symmetric', () => {
    const m = { ...twoPhase(3, { symmetry: true }), reachability: [{ name: 'ends', goal: (s: TwoPhaseState) => s.tmState !== 'init' }] };
    expect(() => check(m)).toThrow(/not checked on a symmetry-reduced graph/);
  });
});
