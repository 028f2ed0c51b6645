import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../capture.ts';
import { check } from '../../checker/check.ts';
import { counterexampleItf } from '../../checker/cli.ts';
import { stringifyItfTrace, toItfTrace } from '../../checker/itf.ts';
import { mismatches, validateTrace } from '../../traces/oracle.ts';
import { main } from '../../traces/validate.ts';
import { dieHard } from '../examples/dieHard.ts';
import { twoPhase } from '../examples/twoPhase.ts';

const root = resolve(__dirname, '../..');
const DIE_HARD = resolve(root, 'test/examples/dieHardModule.ts');

const dieHardSolution = () => check(dieHard()).counterexample!;

const run = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, stdout, stderr));

/** A file in a fresh temporary directory; the directories go after the file's tests. */
const dirs: string[] = [];
const tmp = (name: string, text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-oracle-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('oracle', () => {
  it('accepts the model’s own trace at every level', () => {
    const cx = dieHardSolution();
    const states = cx.steps.map((s) => ({ ...s.state }));
    const actions = cx.steps.map((s) => (s.action ? { name: s.action.type } : undefined));
    expect(validateTrace(dieHard(), { states, actions }, { level: 'full' }).ok).toBe(true);
    expect(validateTrace(dieHard(), { states: states.map((s) => ({ big: s.big })) }, { level: 'projection' }).ok).toBe(true);
    expect(validateTrace(dieHard(), { states: states.map(() => ({})), actions }, { level: 'actions' }).ok).toBe(true);
  });

  it('names the first step whose state the model cannot reach, and the variable that differs', () => {
    const cx = dieHardSolution();
    const states = cx.steps.map((s) => ({ ...s.state }));
    const actions = cx.steps.map((s) => (s.action ? { name: s.action.type } : undefined));
    states[3] = { ...states[3]!, small: 1 };
    const v = validateTrace(dieHard(), { states, actions }, { level: 'full' });
    expect(v).toMatchObject({ ok: false, step: 3 });
    expect(!v.ok && v.reason).toMatch(/the closest, EmptySmallJug, differs: \$\.small is 1 in the trace but 0 in the model/);
    // Without the actions, any step could have been meant: still step 3, naming the variable.
    const blind = validateTrace(dieHard(), { states }, { level: 'full' });
    expect(blind).toMatchObject({ ok: false, step: 3 });
    expect(!blind.ok && blind.reason).toMatch(/\$\.small is 1 in the trace/);
  });

  it('names an observed action that is not enabled', () => {
    const v = validateTrace(
      twoPhase(2),
      { states: [{}, {}, {}], actions: [undefined, { name: 'RMPrepare', fields: { rm: 0 } }, { name: 'TMCommit' }] },
      { level: 'actions' },
    );
    expect(v).toMatchObject({ ok: false, step: 2 });
    expect(!v.ok && v.reason).toMatch(/action TMCommit is not enabled/);
  });

  it('follows every model state consistent with a partial observation', () => {
    // Only the TM's state is visible: two RMs prepare (unobserved which), then the TM aborts.
    const v = validateTrace(
      twoPhase(2),
      { states: [{ tmState: 'init' }, { tmState: 'init' }, { tmState: 'init' }, { tmState: 'aborted' }] },
      { level: 'projection' },
    );
    expect(v).toMatchObject({ ok: true, steps: 4 });
    expect(v.ok && v.candidates).toBeGreaterThan(1);
    const partialRecord = validateTrace(
      twoPhase(2),
      { states: [{ msgs: { commit: false } }, { msgs: { abort: true } }] },
      { level: 'projection' },
    );
    expect(partialRecord.ok).toBe(true);
  });

  it('in full mode, a missing variable is a mismatch; in projection mode it is not', () => {
    expect(mismatches({ a: 1 }, { a: 1, b: 2 }, true)).toHaveLength(1);
    expect(mismatches({ a: 1 }, { a: 1, b: 2 }, false)).toHaveLength(0);
    expect(mismatches({ a: null }, { a: undefined }, true)).toHaveLength(0);
  });
});

describe('npm run validate', () => {
  it('exits 0 for the counterexample file the checker wrote', async () => {
    const file = tmp('cx.itf.json', counterexampleItf(dieHard(), dieHardSolution(), 'test'));
    const r = await run('--model', DIE_HARD, file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/conforms \(7 steps, full/);
  });

  it('exits 1 naming the step for a broken trace', async () => {
    const cx = dieHardSolution();
    const states = cx.steps.map((s) => ({ ...s.state }));
    states[5] = { small: 2, big: 4 };
    const text = stringifyItfTrace(toItfTrace({ states, actions: cx.steps.map((s) => s.action?.type ?? 'init') }));
    const r = await run('--model', DIE_HARD, tmp('bad.itf.json', text));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DOES NOT CONFORM at step 5/);
  });

  it('exits 2 with the JSON path for a malformed trace', async () => {
    const r = await run('--model', DIE_HARD, tmp('m.itf.json', '{"vars":["big"],"states":[{"big":{"#bigint":"x"}}]}'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\$\.states\[0\]\.big/);
    expect((await run('--model', DIE_HARD, '/no/such/file')).code).toBe(2);
    expect((await run('--level', 'most', 'x')).err).toMatch(/--level must be full, projection or actions/);
    const flag = await run('--bogus', 'x.itf.json');
    expect(flag.code).toBe(2);
    expect(flag.err).toBe("validate: Unknown option '--bogus' (see --help; a file whose name starts with '-' goes after '--', as in: -- --bogus)\n");
    const twice = await run('--param', 'maxSeq=2', '--param', 'maxSeq=3', 'x.itf.json');
    expect(twice.err).toBe('validate: --param maxSeq is given twice (maxSeq=2 and maxSeq=3): give each key once\n');
  });
});
