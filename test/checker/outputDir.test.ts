import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST, prepareOutputDir, writeOutputFiles, type OutputDirSpec } from '../../checker/outputDir.ts';
import { prepareCheckpointDir } from '../../checker/parallel/checkpoint.ts';
import { tempDirs } from '../tempDirs.ts';

const { fresh, removeAll } = tempDirs('outdir');
afterAll(removeAll);

/** Root ignores file permissions, so a read-only directory is writable to it. */
const isRoot = process.getuid?.() === 0;

const spec = (over: Partial<OutputDirSpec> = {}): OutputDirSpec => ({
  flag: '--out',
  writer: 'shuttlecheck test',
  force: false,
  writes: (name) => name === 'summary.json' || name === 'sub',
  ...over,
});
const files = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
const manifestOf = (dir: string): { writtenBy: string; files: string[] } => JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('prepareOutputDir: what a command may write into', () => {
  it('creates a new directory, parents included, and accepts an empty one', () => {
    const root = fresh();
    const out = prepareOutputDir(join(root, 'a', 'b'), spec());
    expect(out.previous).toEqual([]);
    expect(readdirSync(join(root, 'a', 'b'))).toEqual([]);
    expect(() => prepareOutputDir(join(root, 'a', 'b'), spec())).not.toThrow();
  });

  it('accepts its own previous output, and the next output replaces it: stale files and their emptied directories go', () => {
    const dir = fresh();
    const first = writeOutputFiles(prepareOutputDir(dir, spec()), files({ 'summary.json': '1', 'sub/a.txt': 'a', 'sub/deep/b.txt': 'b' }));
    expect(first.error).toBeUndefined();
    expect(first.written).toEqual(['summary.json', 'sub/a.txt', 'sub/deep/b.txt'].sort().map((f) => join(dir, f)));
    expect(manifestOf(dir)).toMatchObject({ writtenBy: 'shuttlecheck test', files: ['sub/a.txt', 'sub/deep/b.txt', 'summary.json'] });

    const again = prepareOutputDir(dir, spec());
    expect([...again.previous].sort()).toEqual(['sub/a.txt', 'sub/deep/b.txt', 'summary.json']);
    expect(writeOutputFiles(again, files({ 'summary.json': '2', 'sub/a.txt': 'a2' })).error).toBeUndefined();
    expect(listing(dir)).toEqual([MANIFEST, 'sub', 'sub/a.txt', 'summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('2');
    expect(manifestOf(dir).files).toEqual(['sub/a.txt', 'summary.json']);
  });

  it('counts a temporary file left beside one of its files by a crash as its own', () => {
    const dir = fresh();
    writeOutputFiles(prepareOutputDir(dir, spec()), files({ 'summary.json': '1' }));
    writeFileSync(join(dir, '.summary.json.4242.7.tmp'), 'half');
    writeFileSync(join(dir, `.${MANIFEST}.4242.8.tmp`), 'half');
    expect(() => prepareOutputDir(dir, spec())).not.toThrow();
    writeFileSync(join(dir, '.notes.txt.4242.9.tmp'), 'not ours');
    expect(() => prepareOutputDir(dir, spec())).toThrow(/holds \.notes\.txt\.4242\.9\.tmp \(not written/);
  });

  it('refuses a directory holding what it did not write, naming it; --force writes beside it and leaves it alone', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'x'), 'mine too');
    expect(() => prepareOutputDir(dir, spec())).toThrow(
      `--out ${dir}: holds notes.txt, other/ (not written by shuttlecheck test); use --force to write into it anyway`,
    );
    expect(listing(dir)).toEqual(['notes.txt', 'other', 'other/x']);

    const out = prepareOutputDir(dir, spec({ force: true }));
    expect(writeOutputFiles(out, files({ 'summary.json': 's', 'sub/a.txt': 'a' })).error).toBeUndefined();
    // The next output has none of these files: only the command's own go.
    expect(writeOutputFiles(prepareOutputDir(dir, spec({ force: true })), files({ 'other.json': 'o' })).error).toBeUndefined();
    expect(listing(dir)).toEqual([MANIFEST, 'notes.txt', 'other', 'other.json', 'other/x']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'other', 'x'), 'utf8')).toBe('mine too');
  });

  it('looks into the directories it writes into: a file put there is not its own', () => {
    const dir = fresh();
    writeOutputFiles(prepareOutputDir(dir, spec()), files({ 'sub/a.txt': 'a' }));
    writeFileSync(join(dir, 'sub', 'mine.txt'), 'mine');
    expect(() => prepareOutputDir(dir, spec())).toThrow(/holds sub\/mine.txt \(not written by shuttlecheck test\)/);
    // Removing the stale sub/a.txt keeps sub/, which is not empty.
    writeOutputFiles(prepareOutputDir(dir, spec({ force: true })), files({ 'summary.json': 's' }));
    expect(listing(dir)).toEqual([MANIFEST, 'sub', 'sub/mine.txt', 'summary.json']);
  });

  it('never replaces a file it did not write, even with --force', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'summary.json'), 'mine');
    for (const force of [false, true]) {
      expect(() => prepareOutputDir(dir, spec({ force }))).toThrow(
        `--out ${dir}: holds summary.json, not written by shuttlecheck test, which it would replace; move it away or choose another directory (--force never replaces such files)`,
      );
    }
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('mine');
    const withDir = fresh();
    mkdirSync(join(withDir, 'summary.json'));
    expect(() => prepareOutputDir(withDir, spec({ force: true }))).toThrow(/holds summary.json\/, not written by shuttlecheck test, which it would replace/);
  });

  it('does not write over a file that appeared after the check', () => {
    const dir = fresh();
    const out = prepareOutputDir(dir, spec());
    writeFileSync(join(dir, 'summary.json'), 'mine');
    const r = writeOutputFiles(out, files({ 'summary.json': 's', 'b.txt': 'b' }));
    expect(r.written).toEqual([]);
    expect(r.error?.message).toBe(`--out ${dir}: summary.json appeared there during the run, not written by shuttlecheck test; nothing written`);
    expect(listing(dir)).toEqual(['summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('mine');
  });

  it('refuses another command\'s output and a manifest it cannot read, even with --force', () => {
    const dir = fresh();
    writeOutputFiles(prepareOutputDir(dir, spec({ writer: 'shuttlecheck other' })), files({ 'a.txt': 'a' }));
    expect(() => prepareOutputDir(dir, spec({ force: true }))).toThrow(
      `--out ${dir}: holds the output of shuttlecheck other (${MANIFEST}); write into another directory`,
    );
    // A manifest that would have the command remove a file outside the directory is not its own.
    const outside = join(fresh(), 'precious.txt');
    writeFileSync(outside, 'keep');
    writeFileSync(join(dir, MANIFEST), JSON.stringify({ writtenBy: 'shuttlecheck test', files: ['a.txt', `../${outside}`] }));
    expect(() => prepareOutputDir(dir, spec({ force: true }))).toThrow(/holds \.shuttlecheck-out\.json, not written by shuttlecheck test, which it would replace/);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
  });

  it('refuses a file, a path under a file, and an empty path', () => {
    const dir = fresh();
    const file = join(dir, 'f');
    writeFileSync(file, 'mine');
    expect(() => prepareOutputDir(file, spec({ force: true }))).toThrow(`--out ${file}: is a file`);
    expect(() => prepareOutputDir(join(file, 'x', 'y'), spec())).toThrow(`--out ${join(file, 'x', 'y')}: ${file} is a file`);
    expect(() => prepareOutputDir('', spec())).toThrow('--out needs a directory, got an empty path');
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it.skipIf(isRoot)('refuses a read-only directory before any work (skipped when running as root: root ignores permissions)', () => {
    const dir = fresh();
    chmodSync(dir, 0o555);
    try {
      expect(() => prepareOutputDir(dir, spec())).toThrow(`--out ${dir}: cannot write into it: permission denied (EACCES)`);
      expect(() => prepareOutputDir(join(dir, 'new'), spec())).toThrow(/cannot create .*new: permission denied \(EACCES\)/);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('returns a write error with the path instead of throwing', () => {
    const dir = join(fresh(), 'out');
    const out = prepareOutputDir(dir, spec());
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    const r = writeOutputFiles(out, files({ 'summary.json': 's' }));
    expect(r.written).toEqual([]);
    expect(r.error?.name).toBe('InputError');
    expect(r.error?.message).toBe(`--out ${dir}: cannot write ${MANIFEST}: not a directory (ENOTDIR)`);
    expect(readFileSync(dir, 'utf8')).toBe('not a directory');
  });
});

describe('prepareCheckpointDir: the same checks, with the checkpoint\'s description as its record', () => {
  it('accepts a checkpoint, refuses anything else unless forced, and never a file a checkpoint would replace', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'shuttlecheck-checkpoint.json'), JSON.stringify({ files: { 'parents.bin': 'x', 'frontier-0.bin': 'y' } }));
    for (const f of ['parents.bin', 'frontier-0.bin', 'frontier-1.bin.tmp', '.sc-visited-hi.bin.tmp']) writeFileSync(join(dir, f), '');
    expect(() => prepareCheckpointDir(dir, false)).not.toThrow();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => prepareCheckpointDir(dir, false)).toThrow(/--checkpoint .*: holds notes.txt \(not written by a shuttlecheck checkpoint\); use --force/);
    expect(() => prepareCheckpointDir(dir, true)).not.toThrow();
    writeFileSync(join(dir, 'strings.json'), 'mine');
    expect(() => prepareCheckpointDir(dir, true)).toThrow(/holds strings.json, not written by a shuttlecheck checkpoint, which it would replace/);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });
});
