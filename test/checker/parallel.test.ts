import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../checker/check.ts';
import type { ModelSpec } from '../../checker/loadModel.ts';
import type { CheckOptions, CheckResult } from '../../checker/result.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { PRESET_GOLDEN } from '../model/golden.ts';

const twoPhase = (N: number, bug?: string): ModelSpec => ({
  model: resolve('test/examples/twoPhaseModule.ts'),
  params: { N: String(N), ...(bug ? { bug } : {}) },
});
const dieHard: ModelSpec = { model: resolve('test/examples/dieHardModule.ts'), params: {} };
const preset = (name: string, mutant?: string, params: Record<string, string> = {}): ModelSpec => ({
  preset: name,
  params,
  ...(mutant ? { mutant } : {}),
});

/** Everything a result says, less the timing and the worker count. */
const comparable = (r: CheckResult): unknown => {
  const { durationMs: _d, statesPerSecond: _s, workers: _w, ...rest } = r;
  return rest;
};

// The searches run in a child process (its worker threads, for many): with one worker,
// checkSpec searches on the calling thread, seconds of CPU that vitest's worker must not spend.
afterAll(stopChild);
const checkSpecInChild = (spec: ModelSpec, options: CheckOptions): Promise<CheckResult> =>
  runInChild<CheckResult>('checker/check.ts', 'checkSpec', [spec, options]);

/** The one-thread result beside the result with `workers` worker threads. */
const both = async (spec: ModelSpec, workers: number, options: CheckOptions = {}) => {
  const one = await checkSpecInChild(spec, { ...options, workers: 1 });
  const many = await checkSpecInChild(spec, { ...options, workers, waitForWorkers: true });
  expect(many.workers).toBe(workers);
  return { one, many };
};

describe('parallel breadth-first search gives the one-thread result whatever the number of workers', () => {
  it('TwoPhase N=5: counts, depth, coverage and witnesses', async () => {
    const { one, many } = await both(twoPhase(5), 3);
    expect(one.verdict).toBe('ok');
    expect(one.distinctStates).toBe(8832);
    expect(comparable(many)).toEqual(comparable(one));
  });

  it('a planted bug and DieHard: the same shortest counterexample and the same counts at the violation', async () => {
    for (const spec of [twoPhase(4, 'commit-early'), dieHard]) {
      const { one, many } = await both(spec, 2);
      expect(one.verdict).toBe('violation');
      expect(comparable(many)).toEqual(comparable(one));
    }
  });

  // The system's temporal properties are checked on one thread (liveness.test.ts): off here.
  it('the replication system: a mutant, a reachability violation, a bounded preset', async () => {
    for (const spec of [preset('default', 'one-phase-commit'), preset('ring-fail'), preset('timer', undefined, { maxTicks: '3' })]) {
      const { one, many } = await both(spec, 2, { temporal: false });
      expect(comparable(many)).toEqual(comparable(one));
    }
  });

  it('depth and state bounds cut at the same place', async () => {
    for (const options of [{ maxDepth: 6 }, { maxStates: 500 }] satisfies CheckOptions[]) {
      const { one, many } = await both(twoPhase(4), 2, options);
      expect(one.verdict).toBe('incomplete');
      expect(comparable(many)).toEqual(comparable(one));
    }
  });

  it('a claim table too small for its level: states kept by several workers get one id and one keeper', async () => {
    const { one, many } = await both(twoPhase(5), 3, { maxClaims: 64 });
    expect(comparable(many)).toEqual(comparable(one));
  });

  it('states spilled to disk come back as they left', async () => {
    const { one, many } = await both(preset('fanout'), 2, { frontierLimit: 8, temporal: false });
    expect(comparable(many)).toEqual(comparable(one));
  });

  it('a small model is done on this thread before the workers are ready', async () => {
    const r = await checkSpec(twoPhase(3), { workers: 2 });
    expect(r.distinctStates).toBe(288);
    expect(r.workers).toBe(1);
  });
});

describe('parallel depth-first search gives the one-thread result whatever the number of workers', () => {
  /** As `comparable`, less the memory figures: the parallel walk also keeps what the workers wrote. */
  const sameWalk = (r: CheckResult): unknown => {
    const { visitedBytes: _v, bytesPerState: _b, ...rest } = comparable(r) as CheckResult;
    return rest;
  };
  const dfs = (spec: ModelSpec, workers: number, options: CheckOptions = {}) => both(spec, workers, { ...options, strategy: 'dfs' });

  it('TwoPhase N=5 with two and three workers: counts, depth, coverage and witnesses', async () => {
    for (const workers of [2, 3]) {
      const { one, many } = await dfs(twoPhase(5), workers);
      expect(one.verdict).toBe('ok');
      expect(one.distinctStates).toBe(8832);
      expect(sameWalk(many)).toEqual(sameWalk(one));
    }
  });

  it('a planted bug and DieHard: the same counterexample, found at the same point of the walk', async () => {
    for (const spec of [twoPhase(4, 'commit-early'), dieHard]) {
      const { one, many } = await dfs(spec, 2);
      expect(one.verdict).toBe('violation');
      expect(sameWalk(many)).toEqual(sameWalk(one));
    }
  });

  it('the replication system: a mutant, a reachability violation, a bounded preset, symmetry', async () => {
    const specs = [preset('default', 'one-phase-commit'), preset('ring-fail'), preset('timer', undefined, { maxTicks: '3' }), { ...twoPhase(5), params: { N: '5', symmetry: 'on' } }];
    for (const spec of specs) {
      const { one, many } = await dfs(spec, 2, { temporal: false });
      expect(sameWalk(many)).toEqual(sameWalk(one));
    }
  });

  it('a state bound cuts at the same place; a depth bound keeps the search on one thread, and says why', async () => {
    const { one, many } = await dfs(twoPhase(4), 2, { maxStates: 500 });
    expect(one.verdict).toBe('incomplete');
    expect(sameWalk(many)).toEqual(sameWalk(one));
    const bounded = await checkSpecInChild(twoPhase(4), { strategy: 'dfs', workers: 2, maxDepth: 6 });
    expect(bounded.oneThreadBecause).toMatch(/depth-bounded depth-first search/);
  });

  it('a full claim table, and streams too small for the expansions: this thread expands what is missing', async () => {
    for (const options of [{ maxClaims: 64 }, { dfsStreamWords: 4096 }] satisfies CheckOptions[]) {
      const { one, many } = await dfs(twoPhase(5), 2, options);
      expect(sameWalk(many)).toEqual(sameWalk(one));
    }
  });
});

describe('--workers auto', () => {
  it('searches with the workers when states are small, and stays on one thread when they are large', async () => {
    const auto: CheckOptions = { workers: 2, workersAuto: true, waitForWorkers: true };
    const small = await checkSpecInChild(twoPhase(5), auto);
    expect(small.workers).toBe(2);
    const large = await checkSpecInChild(preset('fanout'), { ...auto, temporal: false });
    expect(large.workers).toBe(1);
    expect(large.oneThreadBecause).toMatch(/its states average \d+ bytes encoded/);
    expect(large.distinctStates).toBe(PRESET_GOLDEN['fanout']!.states);
    // With its temporal properties, the system stays on one thread for them.
    const live = await checkSpecInChild(preset('ring-fail'), auto);
    expect(live.oneThreadBecause).toMatch(/temporal properties/);
  });

  it('the same rule for depth-first search', async () => {
    const auto: CheckOptions = { workers: 2, workersAuto: true, waitForWorkers: true, strategy: 'dfs', temporal: false };
    expect((await checkSpecInChild(twoPhase(5), auto)).workers).toBe(2);
    const large = await checkSpecInChild(preset('fanout'), auto);
    expect(large.workers ?? 1).toBe(1);
    expect(large.oneThreadBecause).toMatch(/its states average \d+ bytes encoded/);
    expect(large.distinctStates).toBe(PRESET_GOLDEN['fanout']!.states);
  });
});

describe('random simulation with several workers: a swarm of seeded walkers', () => {
  it('is repeated exactly by the same seed, and finds the planted bug', async () => {
    const options: CheckOptions = { strategy: 'random', seed: 7, runs: 40, workers: 2 };
    const a = await checkSpec(twoPhase(3, 'commit-early'), options);
    const b = await checkSpec(twoPhase(3, 'commit-early'), options);
    expect(a.verdict).toBe('violation');
    expect(a.property).toBe('TCConsistent');
    expect(a.workers).toBe(2);
    expect(comparable(b)).toEqual(comparable(a));
  });

  it('walks everything its walkers walked: the distinct count is the union', async () => {
    const swarm = await checkSpec(twoPhase(3), { strategy: 'random', seed: 3, runs: 60, workers: 2 });
    const alone = await checkSpec(twoPhase(3), { strategy: 'random', seed: 3, runs: 30, workers: 1 });
    expect(swarm.verdict).toBe('ok');
    expect(swarm.distinctStates).toBeGreaterThanOrEqual(alone.distinctStates);
    expect(swarm.distinctStates).toBeLessThanOrEqual(288);
  });
});

describe('the worker orders its new states by key', () => {
  it('sortByKey gives the order of (rank, action)', async () => {
    const { sortByKey } = await import('../../checker/parallel/worker.ts');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(9)), { maxLength: 200 }), (pairs) => {
        const unique = [...new Map(pairs.map(([r, a]) => [`${r},${a}`, [r, a] as const])).values()];
        const rank = Uint32Array.from(unique.map((p) => p[0]));
        const action = Uint32Array.from(unique.map((p) => p[1]));
        const got = [...sortByKey(rank, action, unique.length)].map((k) => unique[k]);
        const want = [...unique].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        expect(got).toEqual(want);
      }),
    );
  });

  it('and so when one state has many new successors, with action indices past two bytes', async () => {
    const { sortByKey } = await import('../../checker/parallel/worker.ts');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.nat(2), fc.nat(100_000)), { minLength: 50, maxLength: 400, selector: ([r, a]) => `${r},${a}` }), (pairs) => {
        const rank = Uint32Array.from(pairs.map((p) => p[0]));
        const action = Uint32Array.from(pairs.map((p) => p[1]));
        const got = [...sortByKey(rank, action, pairs.length)].map((k) => pairs[k]);
        expect(got).toEqual([...pairs].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
      }),
    );
  });
});
