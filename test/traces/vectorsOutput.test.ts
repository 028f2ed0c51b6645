/**
 * `npm run vectors -- --out DIR`, as a process: the directory is checked before the suite is
 * built, and nothing the user has there is replaced or removed (it used to replace the whole
 * directory, and `--out "$PWD"` deleted a clone).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../checker/outputDir.ts';
import { runProcess } from '../capture.ts';
import { tempDirs } from '../tempDirs.ts';

const root = resolve(__dirname, '../..');
/** tsx's loader by file URL, so that the command runs from any directory. */
const TSX = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

const { fresh, removeAll } = tempDirs('vecout');
afterAll(removeAll);

/** Runs `vectors` with a small suite (no mutants; preset tiny unless argv names one) in `cwd`: exit code, stdout, stderr. */
const vectors = (cwd: string, ...argv: string[]) =>
  runProcess(
    process.execPath,
    ['--import', TSX, join(root, 'traces/vectors.ts'), '--no-mutants', ...(argv.includes('--preset') ? [] : ['--preset', 'tiny']), ...argv],
    { cwd, timeoutMs: 120_000 },
  );

const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('vectors --out', () => {
  it('refuses a directory holding notes.txt and keeps it; --force writes beside it', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = await vectors(root, '--out', dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`vectors: --out ${dir}: holds notes.txt (not written by shuttlecheck vectors); use --force to write into it anyway\n`);
    expect(refused.out).toBe('');
    expect(listing(dir)).toEqual(['notes.txt']);

    const forced = await vectors(root, '--out', dir, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/^wrote 7 files to /);
    expect(listing(dir)).toEqual(expect.arrayContaining([MANIFEST, 'codec.json', 'index.json', 'notes.txt', 'tiny/walk-1.itf.json']));
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('writes again into its own earlier suite without --force, removing vectors the new one does not have', async () => {
    const dir = join(fresh(), 'suite');
    expect((await vectors(root, '--out', dir)).code).toBe(0);
    expect(listing(dir)).toContain('tiny/walk-1.itf.json');
    const again = await vectors(root, '--out', dir, '--preset', 'ring');
    expect(again.code).toBe(0);
    expect(listing(dir).filter((f) => f.startsWith('tiny'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).files).toEqual(listing(dir).filter((f) => f.includes('.json') && f !== MANIFEST));
  });

  it('refuses a working tree (--out . and --out "$PWD" in a directory with .git) and leaves it as it was', async () => {
    const clone = fresh();
    mkdirSync(join(clone, '.git'));
    writeFileSync(join(clone, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(clone, 'README.md'), 'mine');
    mkdirSync(join(clone, 'traces'));
    const before = listing(clone);
    for (const out of ['.', clone]) {
      const r = await vectors(clone, '--out', out);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`vectors: --out ${out}: holds .git/, README.md, traces/ (not written by shuttlecheck vectors); use --force to write into it anyway\n`);
    }
    expect(listing(clone)).toEqual(before);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('mine');
  });

  it('refuses a file, and documents --force', async () => {
    const file = join(fresh(), 'suite.json');
    writeFileSync(file, 'mine');
    const r = await vectors(root, '--out', file);
    expect([r.code, r.err]).toEqual([2, `vectors: --out ${file}: is a file\n`]);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect((await vectors(root, '--help')).out).toMatch(/\[--force\][^]*--force writes into a directory that holds\nother files too/);
  });
});
