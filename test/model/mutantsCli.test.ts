/**
 * `npm run mutants` as a process: a progress line per mutant on stderr, the result alone on
 * stdout (one JSON document with --json), --quiet, and bad input.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../capture.ts';

const root = resolve(__dirname, '../..');
// no-flush-pass shows on the tiny preset: a mutant and a baseline of a fraction of a second.
const mutants = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'model/mutants.ts', ...argv], { cwd: root });

describe('npm run mutants', () => {
  it('says on stderr when each mutant is done; stdout is one JSON document', async () => {
    const r = await mutants('--only', 'no-flush-pass', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject([{ mutant: 'no-flush-pass', preset: 'tiny', caught: true }]);
    expect(r.err).toMatch(/^mutants: 1\/1 no-flush-pass: caught on tiny: deadlock in \d+ steps \(\d+\.\d s\)\n$/);
  });

  it('--quiet: nothing on stderr, the table on stdout', async () => {
    const r = await mutants('--only', 'no-flush-pass', '--quiet');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^\| mutant .*\n.*\n\| no-flush-pass .*\n1\/1 mutants caught/);
  });

  it('bad input: one line and exit 2', async () => {
    const [flag, name] = await Promise.all([mutants('--bogus'), mutants('--only', 'nope')]);
    expect(flag).toMatchObject({ code: 2, out: '' });
    expect(flag.err).toMatch(/^mutants: Unknown option '--bogus'.*\n$/);
    expect(name).toMatchObject({ code: 2, out: '' });
    expect(name.err).toMatch(/^mutants: unknown mutant "nope" \(known: ack-before-increment, /);
  });
});
