import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../checker/cli.ts';
import { runCaptured } from '../capture.ts';
import { parseItfText } from '../../checker/itf.ts';

const root = resolve(__dirname, '../..');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');
const DIE_HARD = resolve(root, 'test/examples/dieHardModule.ts');
const COMMIT_MSGS = resolve(root, 'test/examples/commitMsgs.ts');
const SET_ORDER = resolve(root, 'test/examples/setOrder.ts');

const run = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, { stdout, stderr }));

/** A fresh temporary directory, removed after the file's tests. */
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** As spawnSync, without blocking vitest's worker while the process runs: its exit status and stdout. */
const spawnAsync = (command: string, args: readonly string[], options: SpawnOptions) =>
  new Promise<{ status: number | null; stdout: string }>((resolveRun, rejectRun) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.resume();
    child.on('error', rejectRun);
    child.on('close', (status) => resolveRun({ status, stdout }));
  });

describe('shuttlecheck CLI', () => {
  it('exits 0 and prints the verdict per property when every property holds', async () => {
    const r = await run('--model', TWO_PHASE, '--param', 'N=3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK: every property holds/);
    expect(r.out).toMatch(/✓ TCConsistent\s+holds/);
    expect(r.out).toMatch(/288 distinct/);
  });

  it('exits 1 with the counterexample as numbered steps showing only what changed', async () => {
    const r = await run('--model', DIE_HARD);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATION of NotSolved/);
    expect(r.out).toMatch(/ 1\. FillBigJug\n {7}big: 0 → 5\n/);
    expect(r.out).toMatch(/ 6\. BigToSmall\n {7}small: 2 → 3\n {7}big: 5 → 4/);
  });

  it('prints one JSON object with --json', async () => {
    const r = await run('--model', DIE_HARD, '--json');
    const j = JSON.parse(r.out);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(j).toMatchObject({ verdict: 'violation', property: 'NotSolved', distinctStates: 14, depth: 6 });
    for (const k of ['generatedStates', 'durationMs', 'statesPerSecond', 'coverage']) expect(j).toHaveProperty(k);
    expect(j.counterexample.length).toBe(6);
    expect(j.counterexample.steps[6]).toMatchObject({ action: 'BigToSmall', state: { small: 3, big: 4 } });
  });

  it('writes the counterexample as ITF and a summary with --out, whole files only', async () => {
    const dir = tempDir('sc-out-');
    const r = await run('--model', DIE_HARD, '--out', dir);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['.shuttlecheck-out.json', 'counterexample.itf.json', 'summary.json']);
    const trace = parseItfText(readFileSync(join(dir, 'counterexample.itf.json'), 'utf8'), 'cx');
    expect(trace.states).toHaveLength(7);
    expect(trace.actions?.[1]).toBe('FillBigJug');
    expect(trace.states[6]).toEqual({ small: 3, big: 4 });
  });

  it('runs DFS and random strategies with the same verdicts', async () => {
    expect((await run('--model', TWO_PHASE, '--strategy', 'dfs')).code).toBe(0);
    expect((await run('--model', DIE_HARD, '--strategy', 'dfs')).code).toBe(1);
    const a = await run('--model', DIE_HARD, '--strategy', 'random', '--seed', '5', '--json');
    const b = await run('--model', DIE_HARD, '--strategy', 'random', '--seed', '5', '--json');
    expect(a.code).toBe(1);
    expect(JSON.parse(a.out).counterexample.path).toEqual(JSON.parse(b.out).counterexample.path);
  });

  it('exits 3 when an engine bound cuts the search', async () => {
    const r = await run('--model', TWO_PHASE, '--param', 'N=5', '--max-states', '50');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/INCOMPLETE: search cut by --max-states; /);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--strategy', 'bogo'], /--strategy must be bfs, dfs or random, got "bogo"/],
    [['--max-depth', '-3'], /^shuttlecheck: --max-depth: expected a whole number ≥ 0, got -3$/m],
    [['--max-depth=-1'], /^shuttlecheck: --max-depth: expected a whole number ≥ 0, got -1$/m],
    [['--max-states', 'lots'], /--max-states: expected a whole number ≥ 1, got lots/],
    [['--max-states', '-5'], /--max-states: expected a whole number ≥ 1, got -5/],
    [['--strategy', 'random', '--seed', '-1'], /--seed: expected a whole number ≥ 0, got -1/],
    [['--strategy', 'random', '--runs', '-2'], /--runs: expected a whole number ≥ 1, got -2/],
    [['--progress-every', '-1'], /--progress-every: expected a whole number ≥ 1, got -1/],
    [['--checkpoint', 'ck', '--checkpoint-every', '-1'], /--checkpoint-every: expected a whole number ≥ 0, got -1/],
    [['--workers', '-1'], /--workers: expected a number of threads from 1 to 256, or auto, got -1/],
    [['--model', TWO_PHASE, '--param', 'N=3', '--param', 'N=4'], /--param N is given twice \(N=3 and N=4\): give each key once/],
    [['--model', 'nope.ts'], /--model nope.ts: no such file/],
    [['--model', TWO_PHASE, '--param', 'N=0'], /N must be an integer from 1 to 12/],
    [['--model', TWO_PHASE, '--param', 'M=2'], /unknown parameter "M"/],
    [['--model', TWO_PHASE, '--param', 'oops'], /--param must look like key=value/],
    [['--model', DIE_HARD, '--preset', 'x'], /single model: --preset and --config do not apply/],
    [['--preset', 'a', '--config', 'b'], /cannot be used together/],
    [['--seed', '3'], /apply to --strategy random only/],
    [['--strict', '--strategy', 'random'], /^shuttlecheck: --strict applies to --strategy bfs and dfs, not to random walks$/m],
    [['--strict', '--resume', 'ck'], /--strict checks on a one-thread search: --checkpoint and --resume do not apply/],
  ])('rejects bad input %j with one line and exit 2', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it('--help names every flag', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    const flags = ['preset', 'config', 'model', 'param', 'mutant', 'list', 'strategy', 'max-depth', 'max-states', 'seed', 'runs', 'no-symmetry', 'workers', 'strict',
      'checkpoint', 'checkpoint-every', 'resume', 'force', 'json', 'out', 'quiet', 'progress-every', 'help'];
    for (const f of flags) expect(r.out).toMatch(new RegExp(`^  --${f}\\b`, 'm'));
  });

  it('--list --json prints the presets with their descriptions and the mutants with where each shows', async () => {
    const r = await run('--list', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { system: string; defaultPreset: string; presets: unknown[]; mutants: unknown[] };
    expect(list).toMatchObject({ system: 'replication', defaultPreset: 'default' });
    expect(list.presets).toContainEqual({ name: 'tiny', description: expect.stringMatching(/^1 primary \+ 1 secondary blade/) });
    expect(list.mutants).toContainEqual({ name: 'ack-before-journal', preset: 'default', params: { journalCapacity: '1' } });
    expect(list.mutants).toContainEqual({ name: 'sync-before-transfer', preset: 'restart', params: {} });
    const text = await run('--list');
    expect(text.out).toMatch(/^replication: presets \(default default\)\n  tiny +1 primary/);
    expect(text.out).toMatch(/^  ack-before-journal +--preset default --param journalCapacity=1$/m);
  });

  it('says what it checks on stdout before the search starts (text only)', async () => {
    const dir = tempDir('sc-head-');
    const file = join(dir, 'throws.mjs');
    // A model whose search fails at once: only what was printed before the search is there.
    writeFileSync(file, "export default { name: 'throws', initStates: () => [0], actions: () => { throw new Error('boom'); }, nextState: () => undefined, actionName: () => 'x' };\n");
    const text = await run('--model', file);
    expect(text.code).toBe(4);
    expect(text.out).toBe(`Checking model ${file}\n`);
    const json = await run('--model', file, '--json');
    expect(json.code).toBe(4);
    expect(json.out).toBe('');
    const ok = await run('--model', TWO_PHASE, '--quiet');
    expect(ok.out).toMatch(/^Checking model .*twoPhaseModule\.ts\nTwoPhase\(3\) \(bfs\): OK/);
    expect(ok.out.match(/Checking/g)).toHaveLength(1);
  });

  it('rejects a model module that exports something else', async () => {
    const dir = tempDir('sc-mod-');
    const file = join(dir, 'bad.mjs');
    writeFileSync(file, 'export default 42;\n');
    const r = await run('--model', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/default export must be a Model/);
  });

  it('--strict warns on stderr of a Set holding members equal as values, in JSON too; without it nothing is said', async () => {
    const strict = await run('--model', COMMIT_MSGS, '--param', 'sets=plain', '--strict', '--quiet');
    expect(strict.code).toBe(0);
    expect(strict.err).toMatch(/^shuttlecheck: warning: msgs is a Set holding members equal as values \(\{type: "Commit"\} more than once\), first in state #2: .* setOf\/setAdd\/setUnion \(checker\/structural\.ts\)$/m);
    expect(strict.err.trim().split('\n')).toHaveLength(1);
    expect(strict.out).toMatch(/50 distinct/);
    const json = await run('--model', COMMIT_MSGS, '--param', 'sets=plain', '--strict', '--quiet', '--json');
    expect(JSON.parse(json.out).warnings).toEqual([expect.stringMatching(/^msgs is a Set holding members equal as values/)]);
    const plain = await run('--model', COMMIT_MSGS, '--param', 'sets=plain', '--quiet');
    expect(plain.err).toBe('');
    const structural = await run('--model', COMMIT_MSGS, '--strict', '--quiet');
    expect([structural.code, structural.err]).toEqual([0, '']);
    expect(structural.out).toMatch(/2 distinct/);
  });

  it('--strict stops a model that is not deterministic at the first bad state: exit 4, the state and the action named, no stack', async () => {
    const r = await run('--model', SET_ORDER, '--param', 'sets=plain', '--strict', '--workers', '2');
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/^shuttlecheck: the model is not deterministic at state #4 \(reached from initial state 0 by action indices 0, 0\): actions\(s\) lists Drop\(x="c"\) at index 1 /);
    expect(r.err).toMatch(/\n {2}state #4:\n {4}held = Set\{"c", "b"\}\n$/);
    expect(r.err).not.toMatch(/internal error|    at /);
    const ok = await run('--model', SET_ORDER, '--strict', '--workers', '2');
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/searched on one thread: --strict checks the model contract on a one-thread search/);
  });
});

describe('shuttlecheck as a process', () => {
  it('runs through the npm script and the bin with exit codes', async () => {
    const viaNpm = await spawnAsync('npm', ['run', '-s', 'check', '--', '--model', DIE_HARD, '--json'], {
      cwd: root,
    });
    expect(viaNpm.status).toBe(1);
    expect(JSON.parse(viaNpm.stdout).verdict).toBe('violation');
    const viaBin = await spawnAsync(process.execPath, [join(root, 'checker/bin.js'), '--model', TWO_PHASE, '--quiet'], {
      cwd: root,
    });
    expect(viaBin.status).toBe(0);
    expect(viaBin.stdout).toMatch(/288 distinct/);
  });

  it('prints partial statistics on Ctrl-C (SIGINT) and exits 130, with plain progress lines off a terminal', async () => {
    const dir = tempDir('sc-int-');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'checker/cli.ts'), '--model', TWO_PHASE, '--param', 'N=9', '--out', dir, '--progress-every', '1'],
      { cwd: root },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    // Interrupt once the search is under way (its first progress line, a second in), however
    // long the process takes to start on a loaded machine; or go on if it ended before that.
    const searching = new Promise<void>((r) => child.stderr.on('data', () => /progress: /.test(err) && r()));
    await Promise.race([searching, closed]);
    child.kill('SIGINT');
    const code = await closed;
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted/);
    expect(err).toMatch(/progress: [\d,]+ distinct, [\d,]+ generated, [\d,]+ queued, depth \d+/);
    expect(out).toMatch(/INCOMPLETE: search interrupted \(Ctrl-C\); /);
    expect(out).toMatch(/States: [\d,]+ distinct/);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).cutBy).toBe('interrupted');
  });
});
