/**
 * Reliability probes, run the way a user runs the commands (npm scripts and the bin, as
 * processes): output paths that must be refused before any work, Ctrl-C sent as a terminal
 * sends it (to the whole process group), a search that outgrows its memory, malformed trace
 * files, and implementations that hang or flood the conformance harness. Each once failed in
 * a way that lost a verdict or a user's files; these keep them fixed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './capture.ts';
import { tempDirs } from './tempDirs.ts';

const root = resolve(__dirname, '..');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');
const temp = tempDirs('reliability');
afterAll(temp.removeAll);

/** `npm run -s NAME -- ARGS` from the repository. */
const npm = (name: string, args: readonly string[], env?: NodeJS.ProcessEnv) =>
  runProcess('npm', ['run', '-s', name, '--', ...args], { cwd: root, ...(env ? { env: { ...process.env, ...env } } : {}) });

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe('output paths are checked before any work', () => {
  it('check --out naming a file, a path under a file, or a place nothing can be created: exit 2 at once, one line, no verdict', async () => {
    const dir = temp.fresh();
    const file = join(dir, 'results');
    writeFileSync(file, 'mine\n');
    const cases: [string, RegExp][] = [
      [file, /is a file/],
      [join(file, 'sub'), /is a file/],
      ...(existsSync('/proc/self') ? ([['/proc/sc-probe/out', /cannot create/]] as [string, RegExp][]) : []),
    ];
    for (const [out, why] of cases) {
      const r = await npm('check', ['--preset', 'default', '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.out, out).toBe('');
      expect(lines(r.err), out).toHaveLength(1);
      expect(r.err, out).toContain(out);
      expect(r.err, out).toMatch(why);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it("vectors --out into a directory holding the user's files (notes, a clone's .git) refuses and leaves them as they were", async () => {
    const notes = temp.fresh();
    writeFileSync(join(notes, 'notes.txt'), 'keep me\n');
    mkdirSync(join(notes, 'sub'));
    writeFileSync(join(notes, 'sub', 'data'), '42\n');
    const clone = temp.fresh();
    mkdirSync(join(clone, '.git'));
    writeFileSync(join(clone, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    for (const dir of [notes, clone]) {
      const r = await npm('vectors', ['--out', dir, '--preset', 'tiny', '--no-mutants', '--quiet']);
      expect(r.code, dir).toBe(2);
      expect(r.err, dir).toMatch(/use --force/);
    }
    expect(readFileSync(join(notes, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(join(notes, 'sub', 'data'), 'utf8')).toBe('42\n');
    expect(readFileSync(join(clone, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });
});

/**
 * Starts `command` in a process group of its own, sends SIGINT to the whole group once the
 * search prints its first progress line (as a terminal's Ctrl-C does), and returns what the
 * CLI printed once it closed its output.
 */
const interruptGroup = (command: string, args: readonly string[]): Promise<{ out: string; err: string }> =>
  new Promise((resolveRun, rejectRun) => {
    const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    let open = 2;
    const closed = (): void => {
      if (--open === 0) resolveRun({ out, err });
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!sent && /progress: /.test(err)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    // The pipes close when the last process holding them (the CLI) has gone.
    child.stdout.on('close', closed);
    child.stderr.on('close', closed);
    child.on('error', rejectRun);
  });

describe('Ctrl-C, sent to the whole process group as a terminal sends it', () => {
  const search = ['--model', TWO_PHASE, '--param', 'N=9', '--progress-every', '1'];
  for (const [how, command, args] of [
    ['npm run check', 'npm', ['run', 'check', '--', ...search]],
    ['the bin', process.execPath, [join(root, 'checker/bin.js'), ...search]],
  ] as const) {
    it(`through ${how}: the search ends with its partial statistics and writes --out`, async () => {
      const dir = join(temp.fresh(), 'out');
      const r = await interruptGroup(command, [...args, '--out', dir]);
      expect(r.err).toMatch(/interrupted; finishing with partial statistics/);
      expect(r.out).toMatch(/INCOMPLETE: search interrupted \(Ctrl-C\)/);
      expect(r.out).toMatch(/States: [\d,]+ distinct/);
      expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).cutBy).toBe('interrupted');
    });
  }
});

describe('a search that outgrows its memory stops cleanly', () => {
  it('--max-memory: incomplete (exit 3) with the figures so far, the limit reached and a hint', async () => {
    const r = await npm('check', ['--preset', 'default', '--max-memory', '150', '--json', '--quiet']);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('incomplete');
    expect(j.cutBy).toBe('memory');
    expect(j.memoryReached).toMatch(/resident memory reached \d+ MiB, over --max-memory 150 MiB/);
    expect(j.hint).toMatch(/--max-states/);
    expect(j.distinctStates).toBeGreaterThan(0);
    // The README's example shows the same hint.
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\n  ${j.hint}\n`);
  });

  it("a small JavaScript heap: the guard stops the search before V8 would die of it", async () => {
    const r = await npm('check', ['--model', TWO_PHASE, '--param', 'N=8', '--workers', '1', '--quiet'], {
      NODE_OPTIONS: '--max-old-space-size=32',
    });
    expect(r.err).not.toMatch(/heap out of memory/);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/INCOMPLETE: search stopped at the memory limit/);
    expect(r.out).toMatch(/stopped before memory ran out: the JavaScript heap reached \d+ MiB of its 32 MiB limit/);
    expect(r.out).toMatch(/hint: bound the search/);
    expect(r.out).toMatch(/States: [\d,]+ distinct/);
  });

  it('a bad --max-memory is bad input', async () => {
    const r = await npm('check', ['--preset', 'tiny', '--max-memory', 'lots']);
    expect(r.code).toBe(2);
    expect(lines(r.err)).toEqual([expect.stringMatching(/--max-memory: expected a size .* got lots/)]);
  });
});

describe('malformed trace files', () => {
  it('validate: not JSON, empty, truncated, not a trace, missing: exit 2 with one line naming the file', async () => {
    const dir = temp.fresh();
    const good = readFileSync(join(root, 'traces/vectors/tiny/walk-1.itf.json'), 'utf8');
    const files: Record<string, string> = {
      'garbage.json': 'garbage',
      'empty.json': '',
      'truncated.json': good.slice(0, Math.floor(good.length / 2)),
      'other.json': '{"a": 1}',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const name of [...Object.keys(files), 'missing.json']) {
      const r = await npm('validate', [join(dir, name)]);
      expect(r.code, name).toBe(2);
      expect(lines(r.err), name).toHaveLength(1);
      expect(r.err, name).toContain(name);
    }
  });
});

describe('implementations that misbehave under conform', () => {
  const conform = (impl: string, ...more: string[]) => npm('conform', ['--impl', impl, '--preset', 'tiny', ...more]);

  it('one that never answers: each vector FAILs, and after two silent processes the rest are not run', async () => {
    const r = await conform('sleep 100', '--timeout', '300', '--startup', '1000');
    expect(r.code).toBe(1);
    const rows = lines(r.out).filter((l) => l.startsWith('tiny/'));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.slice(0, 2).every((l) => /FAIL .*no reply within 1000 ms/.test(l))).toBe(true);
    expect(rows.slice(2).every((l) => /FAIL .*not run: the implementation did not answer/.test(l))).toBe(true);
  });

  it('one that floods its output (an endless line, endless lines): ended, each vector FAILs, the harness finishes', async () => {
    const endless = await conform('cat /dev/zero');
    expect(endless.code).toBe(1);
    expect(lines(endless.out).filter((l) => l.startsWith('tiny/')).every((l) => /FAIL .*flooded its output/.test(l))).toBe(true);
    const many = await conform(`yes '{}'`);
    expect(many.code).toBe(1);
    expect(lines(many.out).filter((l) => l.startsWith('tiny/')).every((l) => / FAIL /.test(l))).toBe(true);
  });
});
