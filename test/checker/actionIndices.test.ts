/**
 * Action indices past two bytes: a model with 70,000 initial states, and one with 70,000
 * candidate actions in a state, checked by each search (one thread, workers, a checkpoint
 * resumed), with counterexamples whose indices pass 65,535.
 */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionIndices, grownActionIndices, widenedFor } from '../../checker/actionIndices.ts';
import { check } from '../../checker/check.ts';
import type { ModelSpec } from '../../checker/loadModel.ts';
import { formatSummary, jsonSummary } from '../../checker/report.ts';
import { replay } from '../../checker/replay.ts';
import type { CheckOptions, CheckResult } from '../../checker/result.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { tempDirs } from '../tempDirs.ts';
import { twoPhase } from '../examples/twoPhase.ts';
import { manyActions, manyInits, WIDE } from '../examples/wide.ts';

const { fresh: freshDir, removeAll } = tempDirs('wide');
afterAll(async () => {
  await stopChild();
  removeAll();
});

const wide = (kind: 'inits' | 'actions'): ModelSpec => ({ model: resolve('test/examples/wide.ts'), params: { kind } });
const checkSpecInChild = (spec: ModelSpec, options: CheckOptions): Promise<CheckResult> =>
  runInChild<CheckResult>('checker/check.ts', 'checkSpec', [spec, options]);

/** Everything a result says but timing, workers and memory. */
const comparable = (r: CheckResult): unknown => {
  const { durationMs: _d, statesPerSecond: _s, workers: _w, visitedBytes: _v, bytesPerState: _b, ...rest } = r;
  return rest;
};

describe('the action-index array', () => {
  it('stays two bytes a state while the indices fit, and widens to four, keeping them, when a list is longer', () => {
    const a = createActionIndices(4);
    a.set([0, 1, 0xffff, 7]);
    expect(widenedFor(a, 0x10000)).toBe(a);
    const w = widenedFor(a, 0x10001);
    expect(w).toBeInstanceOf(Uint32Array);
    expect([...w]).toEqual([0, 1, 0xffff, 7]);
    expect(widenedFor(w, 1 << 30)).toBe(w);
    const g = grownActionIndices(w, 8);
    expect(g).toBeInstanceOf(Uint32Array);
    expect([...g]).toEqual([0, 1, 0xffff, 7, 0, 0, 0, 0]);
    expect(grownActionIndices(a, 8)).toBeInstanceOf(Uint16Array);
  });
});

describe('no limit on initial states or candidate actions', () => {
  it(`${WIDE.toLocaleString('en')} initial states: the counterexample starts at the last one`, () => {
    const model = manyInits();
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(model, { strategy });
      expect(r.verdict, strategy).toBe('violation');
      expect(r.counterexample!.path).toEqual({ init: WIDE - 1, actions: [0, 0] });
      expect(replay(model, r.counterexample!.path).at(-1)!.state).toEqual({ k: WIDE - 1, step: 2 });
      expect(r.distinctStates).toBe(WIDE + 2);
      expect(r.actionIndexBytes).toBe(4);
    }
  });

  it(`${WIDE.toLocaleString('en')} candidate actions in a state: indices past 65,535 are kept and replayed`, () => {
    const model = manyActions();
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(model, { strategy });
      expect(r.verdict, strategy).toBe('violation');
      expect(r.counterexample!.path).toEqual({ init: 0, actions: [WIDE - 1, 0] });
      expect(r.counterexample!.steps.at(-1)!.state).toEqual({ k: WIDE - 1, step: 2 });
    }
    const r = check(model);
    expect(r.distinctStates).toBe(9);
    // The witness of 'other' is the least index past 0 among the enabled: 65,535.
    expect(r.witnesses!['other']).toEqual({ init: 0, actions: [0xffff] });
  });

  it('reports four-byte indices in the figures, text and JSON; a model within two bytes keeps two', () => {
    const r = check(manyInits());
    expect(formatSummary(r)).toMatch(/bytes\/state in the visited set, action indices 4 bytes a state \(a list of over 65,536 candidates\)$/m);
    expect(jsonSummary(manyInits(), r, (s) => s).actionIndexBytes).toBe(4);
    const narrow = check(twoPhase(3));
    expect(narrow.actionIndexBytes).toBe(2);
    expect(formatSummary(narrow)).not.toMatch(/action indices/);
  });

  it('the parallel search gives the one-thread result for both models', async () => {
    for (const kind of ['inits', 'actions'] as const) {
      const one = await checkSpecInChild(wide(kind), { workers: 1 });
      const many = await checkSpecInChild(wide(kind), { workers: 2, waitForWorkers: true });
      expect(many.workers).toBe(2);
      expect(one.verdict).toBe('violation');
      expect(comparable(many)).toEqual(comparable(one));
    }
  });

  it('a checkpoint keeps four-byte indices and resumes to the uninterrupted result', async () => {
    const whole = await checkSpecInChild(wide('actions'), { workers: 1 });
    const dir = freshDir();
    const cut = await checkSpecInChild(wide('actions'), { workers: 2, waitForWorkers: true, checkpointDir: dir, checkpointEveryMs: 0, maxStates: 3 });
    expect(cut.verdict).toBe('incomplete');
    const resumed = await checkSpecInChild(wide('actions'), { workers: 2, resumeDir: dir });
    expect(comparable(resumed)).toEqual(comparable(whole));
    expect(resumed.counterexample!.path.actions).toEqual([WIDE - 1, 0]);
  });
});
