import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import type { Model } from '../../checker/model.ts';
import type { CheckResult } from '../../checker/result.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { dieHard } from '../examples/dieHard.ts';
import { flakyCounter } from '../examples/flaky.ts';
import { TLC_TWO_PHASE_COUNTS, twoPhase, type TwoPhaseAction, type TwoPhaseState } from '../examples/twoPhase.ts';

/** An independent, naive BFS (JSON strings as identity): distinct count and shortest violation length. */
const naiveBfs = <S, A>(model: Model<S, A>, bad: (s: S) => boolean): { distinct: number; shortest?: number } => {
  const seen = new Set<string>();
  let frontier = model.initStates().filter((s) => {
    const k = JSON.stringify(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  let shortest: number | undefined;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (shortest === undefined && frontier.some(bad)) shortest = depth;
    const next: S[] = [];
    for (const s of frontier) {
      for (const a of model.actions(s)) {
        const t = model.nextState(s, a);
        if (t === undefined) continue;
        const k = JSON.stringify(t);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(t);
        }
      }
    }
    frontier = next;
  }
  return { distinct: seen.size, ...(shortest !== undefined ? { shortest } : {}) };
};

afterAll(stopChild);

const inconsistent = (s: TwoPhaseState): boolean => s.rmState.includes('aborted') && s.rmState.includes('committed');

describe('BFS on the TLA+ examples', () => {
  it('finds DieHard solved in the shortest number of steps (6)', () => {
    const r = check(dieHard());
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('NotSolved');
    expect(r.counterexample!.steps).toHaveLength(7);
    expect(r.counterexample!.steps.at(-1)!.state.big).toBe(4);
    expect(naiveBfs(dieHard(), (s) => s.big === 4).shortest).toBe(6);
  });

  it('counts DieHard states as TLC does (16) when the puzzle invariant is off', () => {
    const r = check(dieHard(false));
    expect(r.verdict).toBe('ok');
    expect(r.distinctStates).toBe(16);
    expect(r.exhaustive).toBe(true);
  });

  // TwoPhase(7) is seconds of synchronous search: these counts are checked in a child process.
  for (const n of [3, 4, 5, 6, 7]) {
    it(`counts TwoPhase with ${n} resource managers as TLC does (${TLC_TWO_PHASE_COUNTS[n]})`, async () => {
      const r = await runInChild<CheckResult>('test/jobs.ts', 'checkTwoPhase', [n]);
      expect(r.verdict).toBe('ok');
      expect(r.distinctStates).toBe(TLC_TWO_PHASE_COUNTS[n]);
      expect(r.properties.every((p) => p.status === 'holds')).toBe(true);
    });
  }

  it('agrees with an independent naive BFS on TwoPhase(4)', () => {
    expect(check(twoPhase(4)).distinctStates).toBe(naiveBfs(twoPhase(4), () => false).distinct);
  });

  it('reports a planted TwoPhase bug with the shortest counterexample, replayable from its indices', () => {
    const model = twoPhase(3, { plantCommitEarly: true });
    const r = check(model);
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('TCConsistent');
    const cx = r.counterexample!;
    expect(cx.steps.length - 1).toBe(naiveBfs(model, inconsistent).shortest);
    expect(inconsistent(cx.steps.at(-1)!.state)).toBe(true);
    expect(cx.path.actions).toHaveLength(cx.steps.length - 1);
  });

  it('covers every action and flags those never fired', () => {
    const r = check(twoPhase(3));
    expect(r.neverFired).toEqual([]);
    expect(Object.values(r.coverage).reduce((a, b) => a + b, 0)).toBe(r.generatedStates - 1);
    const stuck = check({ ...twoPhase(2), nextState: (s: TwoPhaseState, a: TwoPhaseAction) =>
      a.type === 'TMCommit' ? undefined : twoPhase(2).nextState(s, a) });
    expect(stuck.neverFired).toEqual(['TMCommit', 'RMRcvCommitMsg']);
  });
});

describe('DFS and random agree with BFS', () => {
  it('DFS finds the same states as BFS and the same verdicts', () => {
    for (const n of [3, 4, 5]) {
      const r = check(twoPhase(n), { strategy: 'dfs' });
      expect(r.verdict).toBe('ok');
      expect(r.distinctStates).toBe(TLC_TWO_PHASE_COUNTS[n]);
    }
    const bug = check(twoPhase(3, { plantCommitEarly: true }), { strategy: 'dfs' });
    expect(bug.verdict).toBe('violation');
    expect(bug.property).toBe('TCConsistent');
    expect(inconsistent(bug.counterexample!.steps.at(-1)!.state)).toBe(true);
  });

  it('depth-bounded DFS reaches exactly the states BFS reaches within the same depth', () => {
    for (const d of [1, 3, 5, 7, 9]) {
      const b = check(twoPhase(3), { maxDepth: d });
      const f = check(twoPhase(3), { strategy: 'dfs', maxDepth: d });
      expect(f.distinctStates).toBe(b.distinctStates);
      expect(b.verdict).toBe('incomplete');
      expect(b.cutBy).toBe('max-depth');
    }
    expect(check(twoPhase(3), { maxDepth: 10 }).verdict).toBe('ok');
  });

  it('random simulation finds the violations BFS finds, shrunk, and is reproducible from its seed', () => {
    const a = check(twoPhase(3, { plantCommitEarly: true }), { strategy: 'random', seed: 7, runs: 300 });
    const b = check(twoPhase(3, { plantCommitEarly: true }), { strategy: 'random', seed: 7, runs: 300 });
    expect(a.verdict).toBe('violation');
    expect(a.property).toBe('TCConsistent');
    expect(a.counterexample!.path).toEqual(b.counterexample!.path);
    expect(a.counterexample!.steps.length).toBeLessThanOrEqual(12);
    const d = check(dieHard(), { strategy: 'random', seed: 1 });
    expect(d.verdict).toBe('violation');
    expect(d.counterexample!.steps.length - 1).toBe(6);
    const ok = check(twoPhase(3), { strategy: 'random', seed: 1, runs: 200 });
    expect(ok.verdict).toBe('ok');
    expect(ok.exhaustive).toBe(false);
    expect(ok.properties.every((p) => p.status === 'not violated (random)')).toBe(true);
  });
});

type Counter = { n: number };
const counter = (limit: number, extra: Partial<Model<Counter, 'inc'>> = {}): Model<Counter, 'inc'> => ({
  name: 'counter',
  initStates: () => [{ n: 0 }],
  actions: () => ['inc'],
  nextState: (s) => (s.n < limit ? { n: s.n + 1 } : undefined),
  actionName: () => 'inc',
  ...extra,
});

describe('terminal states, bounds and properties', () => {
  it('reports a deadlock at a terminal state the model does not accept, with its path', () => {
    const r = check(counter(3));
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('deadlock');
    expect(r.counterexample!.steps.at(-1)!.state).toEqual({ n: 3 });
    expect(check(counter(3, { isTerminalOk: (s) => s.n === 3 })).verdict).toBe('ok');
    expect(check(counter(3, { terminalOk: 'always' })).verdict).toBe('ok');
  });

  it('stops expanding at the model boundary and says how many states it cut', () => {
    const r = check(counter(1000, { withinBoundary: (s) => s.n < 10, terminalOk: 'always' }));
    expect(r.verdict).toBe('ok');
    expect(r.distinctStates).toBe(11);
    expect(r.boundaryCut).toBe(1);
  });

  it('stops at --max-states and calls the result incomplete', () => {
    const r = check(twoPhase(5), { maxStates: 100 });
    expect(r.verdict).toBe('incomplete');
    expect(r.cutBy).toBe('max-states');
    expect(r.properties.every((p) => p.status === 'not violated (search incomplete)')).toBe(true);
  });

  it('checks action properties on every transition and reports the offending step', () => {
    const r = check(
      counter(10, {
        terminalOk: 'always',
        actionProperties: [{ name: 'small steps', holds: (a, _x, b) => b.n - a.n === 1 && b.n !== 5, explain: () => 'reached 5' }],
      }),
    );
    expect(r.property).toBe('small steps');
    expect(r.counterexample!.kind).toBe('action');
    expect(r.counterexample!.explanation).toBe('reached 5');
    expect(r.counterexample!.steps.map((s) => s.state.n)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('counts the successor of a transition that violates an action property, as TLC does, whatever the strategy', () => {
    const model = counter(10, { terminalOk: 'always', actionProperties: [{ name: 'not 5', holds: (_a, _x, b) => b.n !== 5 }] });
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(model, { strategy });
      expect([r.distinctStates, r.generatedStates, r.depth], strategy).toEqual([6, 6, 5]);
    }
    const walked = check(model, { strategy: 'random', seed: 3, runs: 20 });
    expect(walked.verdict).toBe('violation');
    expect([walked.distinctStates, walked.depth]).toEqual([6, 5]);
  });

  it('checks invariants on initial states', () => {
    const r = check(counter(3, { invariants: [{ name: 'positive', holds: (s) => s.n > 0 }] }));
    expect(r.property).toBe('positive');
    expect(r.counterexample!.steps).toHaveLength(1);
  });

  it('detects a model whose action order is not deterministic when replaying', () => {
    const flaky = flakyCounter([{ name: 'below 6', holds: (s) => s.n < 6 }]);
    expect(() => check(flaky)).toThrow(/not deterministic|not enabled|out of range/);
  });

  it('rejects bad options', () => {
    expect(() => check(counter(1), { maxStates: 0 })).toThrow(/maxStates/);
    expect(() => check(counter(1), { maxDepth: -1 })).toThrow(/maxDepth/);
  });
});

describe('coverage witnesses', () => {
  it('gives, for every action kind, a shortest path ending with its first firing', async () => {
    const { replay } = await import('../../checker/replay.ts');
    const model = twoPhase(3);
    const r = check(model);
    expect(Object.keys(r.witnesses!).sort()).toEqual([...model.actionNames!].sort());
    for (const [name, path] of Object.entries(r.witnesses!)) {
      const steps = replay(model, path);
      expect(model.actionName(steps.at(-1)!.action!)).toBe(name);
    }
    // TMCommit needs every RM prepared and received: 3 prepares + 3 receipts + commit.
    expect(r.witnesses!.TMCommit!.actions).toHaveLength(7);
  });
});
