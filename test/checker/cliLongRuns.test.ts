/** The CLI's flags for parallel and long runs: --workers, --checkpoint, --resume, --no-symmetry. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../checker/cli.ts';
import type { CheckResult } from '../../checker/result.ts';
import { runCaptured } from '../capture.ts';
import { tempDirs } from '../tempDirs.ts';

const run = (argv: string[]) => runCaptured((stdout, stderr) => main(argv, { stdout, stderr }));
const { fresh: freshDir, removeAll } = tempDirs('cli');
afterAll(removeAll);
const TWO_PHASE = ['--model', 'test/examples/twoPhaseModule.ts', '--quiet'];

describe('CLI: workers, checkpoints, symmetry', () => {
  it('--workers takes a number or auto, and says how many searched', async () => {
    const bad = await run([...TWO_PHASE, '--workers', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--workers: expected a number of threads from 1 to 256, or auto, got lots/);
    const ok = await run([...TWO_PHASE, '--param', 'N=6', '--workers', '2', '--json']);
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.out) as { distinctStates: number; workers: number };
    expect(summary.distinctStates).toBe(50816);
    expect(summary.workers).toBeGreaterThanOrEqual(1);
  });

  it('depth-first search with workers finds what one thread finds; bounded in depth, it runs on one thread and says so', async () => {
    const figures = async (...extra: string[]) => {
      const r = await run([...TWO_PHASE, '--param', 'N=6', '--strategy', 'dfs', '--json', ...extra]);
      expect(r.code).toBe(0);
      const { distinctStates, generatedStates, depth } = JSON.parse(r.out) as CheckResult;
      return { distinctStates, generatedStates, depth };
    };
    expect(await figures('--workers', '2')).toEqual(await figures('--workers', '1'));
    const bounded = await run(['--model', 'test/examples/twoPhaseModule.ts', '--strategy', 'dfs', '--workers', '2', '--max-depth', '5']);
    expect(bounded.err).toMatch(/searched on one thread: a depth-bounded depth-first search/);
  });

  it('refuses a checkpoint directory holding other files before any work, and bad combinations', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await run([...TWO_PHASE, '--checkpoint', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/notes.txt/);
    expect(r.out).toBe('');
    expect((await run([...TWO_PHASE, '--checkpoint-every', '5'])).err).toMatch(/--checkpoint-every needs --checkpoint/);
    expect((await run([...TWO_PHASE, '--strategy', 'dfs', '--checkpoint', freshDir()])).code).toBe(2);
  });

  it('checkpoints, then resumes to the same counts; a checkpoint of another configuration is exit 2', async () => {
    const dir = freshDir();
    const cut = await run([...TWO_PHASE, '--param', 'N=5', '--checkpoint', dir, '--checkpoint-every', '0', '--max-states', '2000', '--json']);
    expect(cut.code).toBe(3);
    const resumed = await run([...TWO_PHASE, '--param', 'N=5', '--resume', dir, '--json']);
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out) as { distinctStates: number }).distinctStates).toBe(8832);
    const other = await run([...TWO_PHASE, '--param', 'N=4', '--resume', dir]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another configuration of the model/);
  });

  it('--no-symmetry keeps every state of a symmetric model', async () => {
    const reduced = await run([...TWO_PHASE, '--param', 'N=5', '--param', 'symmetry=on', '--json']);
    const full = await run([...TWO_PHASE, '--param', 'N=5', '--param', 'symmetry=on', '--no-symmetry', '--json']);
    expect((JSON.parse(full.out) as { distinctStates: number }).distinctStates).toBe(8832);
    expect((JSON.parse(reduced.out) as { distinctStates: number }).distinctStates).toBeLessThan(8832);
  });
});
