/**
 * `npm run vectors` as a process: a progress line per preset and mutant on stderr, the
 * summary on stdout, and --quiet.
 */
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../capture.ts';
import { tempDirs } from '../tempDirs.ts';
import { describeUnit } from '../../traces/vectors.ts';

const root = resolve(__dirname, '../..');
const dirs = tempDirs('vectors-cli');
afterAll(dirs.removeAll);
const vectors = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'traces/vectors.ts', ...argv], { cwd: root });

describe('npm run vectors', () => {
  it('says on stderr when each preset is done, and nothing with --quiet; stdout says what was written', async () => {
    const [loud, quiet] = await Promise.all([
      vectors('--preset', 'tiny', '--no-mutants', '--out', join(dirs.fresh(), 'v')),
      vectors('--preset', 'tiny', '--no-mutants', '--quiet', '--out', join(dirs.fresh(), 'v')),
    ]);
    expect(loud.code).toBe(0);
    expect(loud.err).toMatch(/^vectors: 1\/1 tiny: \d+ conform vectors, \d+ actions \(\d+\.\d s\)\n$/);
    expect(loud.out).toMatch(/^wrote \d+ files to /);
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
    expect(quiet.out).toMatch(/^wrote \d+ files to /);
  });

  it('names a mutant, the property its vector breaks and where', () => {
    expect(
      describeUnit({ kind: 'mutant', mutant: 'ack-before-journal', preset: 'default', params: { journalCapacity: '1' }, property: 'acknowledgement after persistence', steps: 6 }),
    ).toEqual(['mutant ack-before-journal', 'acknowledgement after persistence in 6 steps on default journalCapacity=1']);
  });
});
