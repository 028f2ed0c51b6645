/**
 * `check --out DIR`: every directory is checked before the search, nothing the user has is
 * replaced or removed, and a write error after the search comes after the verdict.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../checker/cli.ts';
import { MANIFEST } from '../../checker/outputDir.ts';
import { runCaptured, runProcess } from '../capture.ts';
import { tempDirs } from '../tempDirs.ts';

const root = resolve(__dirname, '../..');
const DIE_HARD = resolve(root, 'test/examples/dieHardModule.ts');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');

const { fresh, removeAll } = tempDirs('cliout');
afterAll(removeAll);

const run = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, { stdout, stderr }));

/** A model module (DieHard) that, when the CLI loads it, runs `sideEffect` first. */
const modelWith = (dir: string, sideEffect: string): string => {
  const file = join(dir, 'model.ts');
  writeFileSync(
    file,
    `import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';\n${sideEffect}\nexport { default } from ${JSON.stringify(DIE_HARD)};\n`,
  );
  return file;
};

describe('check --out', () => {
  it('refuses a file before loading the model or searching: exit 2, one line naming the path, nothing on stdout', async () => {
    const dir = fresh();
    const file = join(dir, 'result.json');
    writeFileSync(file, 'mine');
    const loaded = join(dir, 'model-was-loaded');
    for (const argv of [['--preset', 'tiny'], ['--model', modelWith(dir, `writeFileSync(${JSON.stringify(loaded)}, '');`)]]) {
      const r = await run(...argv, '--quiet', '--out', file);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`shuttlecheck: --out ${file}: is a file\n`);
      expect(r.out).toBe('');
    }
    expect(existsSync(loaded)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const under = await run('--preset', 'tiny', '--quiet', '--out', join(file, 'sub'));
    expect([under.code, under.err]).toEqual([2, `shuttlecheck: --out ${join(file, 'sub')}: ${file} is a file\n`]);
  });

  it('refuses a directory holding other files unless --force, and then leaves them alone', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'sub'));
    const refused = await run('--model', DIE_HARD, '--quiet', '--out', dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`shuttlecheck: --out ${dir}: holds notes.txt, sub/ (not written by shuttlecheck check); use --force to write into it anyway\n`);
    expect(refused.out).toBe('');
    const forced = await run('--model', DIE_HARD, '--quiet', '--out', dir, '--force');
    expect(forced.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'counterexample.itf.json', 'notes.txt', 'sub', 'summary.json']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('writes again into its own output without --force; the new output replaces the old one whole', async () => {
    const dir = fresh();
    expect((await run('--model', DIE_HARD, '--quiet', '--out', dir)).code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'counterexample.itf.json', 'summary.json']);
    // TwoPhase holds: the earlier counterexample would contradict the new summary, and goes.
    const r = await run('--model', TWO_PHASE, '--param', 'N=2', '--quiet', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`wrote ${join(dir, 'summary.json')}\\n$`));
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'summary.json']);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).verdict).toBe('ok');
  });

  it('reports a write error after the search below the verdict: exit 2, one line, no stack', async () => {
    const dir = fresh();
    const out = join(dir, 'out');
    // The directory is fine when checked, and a file by the time the search has finished.
    const model = modelWith(dir, `rmSync(${JSON.stringify(out)}, { recursive: true }); writeFileSync(${JSON.stringify(out)}, 'mine');`);
    const r = await run('--model', model, '--quiet', '--out', out);
    expect(r.out).toMatch(/VIOLATION of NotSolved/);
    expect(r.out).not.toMatch(/wrote/);
    expect(r.err).toBe(`shuttlecheck: --out ${out}: cannot write ${MANIFEST}: not a directory (ENOTDIR)\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    // With --json too; here a file of the user's appeared where summary.json goes.
    const out2 = join(fresh(), 'out');
    const summary = join(out2, 'summary.json');
    const json = await run('--model', modelWith(fresh(), `writeFileSync(${JSON.stringify(summary)}, 'mine');`), '--json', '--out', out2);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: 'violation', written: [] });
    expect(json.err).toBe(`shuttlecheck: --out ${out2}: summary.json appeared there during the run, not written by shuttlecheck check; nothing written\n`);
    expect(json.code).toBe(2);
    expect(readdirSync(out2)).toEqual(['summary.json']);
    expect(readFileSync(summary, 'utf8')).toBe('mine');
  });

  it('refuses the same directory for --out and --checkpoint before creating either', async () => {
    const dir = join(fresh(), 'both');
    const r = await run('--model', TWO_PHASE, '--quiet', '--out', dir, '--checkpoint', dir);
    expect([r.code, r.err]).toEqual([2, `shuttlecheck: --out ${dir}: the same directory as --checkpoint; give each its own\n`]);
    expect(existsSync(dir)).toBe(false);
  });

  // fs.mkdirSync({ recursive: true }) spun forever on such a path, in native code that no
  // signal stops; the check runs in a child process with a deadline so that a regression fails.
  it.skipIf(!existsSync('/proc/self'))('refuses a path it cannot create (/proc/...) at once, as a process', async () => {
    const { code, out, err } = await runProcess(
      process.execPath,
      ['--import', 'tsx', join(root, 'checker/cli.ts'), '--preset', 'tiny', '--quiet', '--out', '/proc/shuttlecheck-no/out'],
      { cwd: root, timeoutMs: 60_000 },
    );
    expect(err).toBe('shuttlecheck: --out /proc/shuttlecheck-no/out: cannot create /proc/shuttlecheck-no: no such file or directory (ENOENT)\n');
    expect(code).toBe(2);
    expect(out).toBe('');
  });
});
