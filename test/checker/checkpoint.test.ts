import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../checker/check.ts';
import type { ModelSpec } from '../../checker/loadModel.ts';
import { prepareCheckpointDir } from '../../checker/parallel/checkpoint.ts';
import type { CheckResult } from '../../checker/result.ts';
import { tempDirs } from '../tempDirs.ts';

const twoPhase = (N: number): ModelSpec => ({ model: resolve('test/examples/twoPhaseModule.ts'), params: { N: String(N) } });
const { fresh: freshDir, removeAll } = tempDirs('ckpt');
afterAll(removeAll);

/** Everything a result says but timing, workers and memory (arrays resumed are sized afresh). */
const comparable = (r: CheckResult): unknown => {
  const { durationMs: _d, statesPerSecond: _s, workers: _w, visitedBytes: _v, bytesPerState: _b, ...rest } = r;
  return rest;
};

describe('checkpoint and resume', () => {
  it('a run cut short and resumed (with another number of workers) ends as an uninterrupted run', async () => {
    const whole = await checkSpec(twoPhase(5), { workers: 1 });
    const dir = freshDir();
    const cut = await checkSpec(twoPhase(5), { workers: 2, waitForWorkers: true, checkpointDir: dir, checkpointEveryMs: 0, maxStates: 3000 });
    expect(cut.verdict).toBe('incomplete');
    const resumed = await checkSpec(twoPhase(5), { workers: 3, resumeDir: dir });
    expect(comparable(resumed)).toEqual(comparable(whole));
  });

  it('Ctrl-C in the middle of a level leaves a checkpoint that resumes to the same end', async () => {
    const whole = await checkSpec(twoPhase(6), { workers: 1 });
    const dir = freshDir();
    const stop = new AbortController();
    const cut = await checkSpec(twoPhase(6), {
      workers: 2,
      waitForWorkers: true,
      checkpointDir: dir,
      signal: stop.signal,
      progressEveryMs: 1,
      onProgress: (p) => {
        if (p.distinctStates > 5000) stop.abort();
      },
    });
    expect(cut.cutBy).toBe('interrupted');
    const resumed = await checkSpec(twoPhase(6), { workers: 2, resumeDir: dir });
    expect(comparable(resumed)).toEqual(comparable(whole));
  });

  it('a checkpoint of another configuration, or a corrupt one, is refused as bad input', async () => {
    const dir = freshDir();
    await checkSpec(twoPhase(4), { workers: 2, waitForWorkers: true, checkpointDir: dir, checkpointEveryMs: 0, maxStates: 100 });
    await expect(checkSpec(twoPhase(5), { workers: 2, resumeDir: dir })).rejects.toThrow(/another configuration of the model/);
    const parents = join(dir, 'parents.bin');
    const bytes = readFileSync(parents);
    bytes[0] = (bytes[0]! + 1) % 256;
    writeFileSync(parents, bytes);
    await expect(checkSpec(twoPhase(4), { workers: 2, resumeDir: dir })).rejects.toThrow(/parents.bin is corrupt/);
    await expect(checkSpec(twoPhase(4), { workers: 2, resumeDir: freshDir() })).rejects.toThrow(/no checkpoint there/);
  });

  it('a checkpoint directory holding other files is refused unless forced', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => prepareCheckpointDir(dir, false)).toThrow(/notes.txt/);
    expect(() => prepareCheckpointDir(dir, true)).not.toThrow();
    expect(() => prepareCheckpointDir(join(dir, 'notes.txt'), false)).toThrow(/is a file/);
  });
});
