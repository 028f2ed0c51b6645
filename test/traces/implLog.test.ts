import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../capture.ts';
import { tempDirs } from '../tempDirs.ts';
import system from '../../model/system.ts';
import { explainLog } from '../../checker/explainLog.ts';
import { fits, mismatches } from '../../checker/oracle.ts';
import { dieHard } from '../examples/dieHard.ts';

const root = resolve(__dirname, '../..');
const TSX = resolve(root, 'node_modules/.bin/tsx');
const BLADE = resolve(root, 'test/impl/blade.ts');
const driverDoc = readFileSync(resolve(root, 'traces/DRIVER.md'), 'utf8');

const temp = tempDirs('implLog');
afterAll(temp.removeAll);

/** npm run validate, in its own process (a long log's search must not block vitest's worker). */
const validate = (...argv: string[]) => runProcess('node', ['--import', 'tsx', 'traces/validate.ts', ...argv], { cwd: root, timeoutMs: 60_000 });

/** A self-driven run of the bundled implementation; resolves to its log's path. */
const walk = async (config: string, steps: number, ...flags: string[]): Promise<string> => {
  const dir = temp.fresh();
  const r = await runProcess(TSX, [BLADE, '--walk', String(steps), '--config', config, '--log', dir, ...flags], { timeoutMs: 60_000 });
  expect(r.code, r.err).toBe(0);
  return join(dir, 'run-1.itf.json');
};

type LogJson = { states: { '#meta': { index: number; hidden?: number; note?: string } }[] };
const readLog = (file: string): LogJson => JSON.parse(readFileSync(file, 'utf8')) as LogJson;
/** The logged state where the implementation says its bug first acted. */
const noted = (file: string): number => readLog(file).states.findIndex((s) => s['#meta'].note !== undefined);

let dir: string;
const configs: Record<string, string> = {};
beforeAll(() => {
  dir = temp.fresh();
  for (const p of ['tiny', 'default']) {
    configs[p] = join(dir, `${p}.json`);
    writeFileSync(configs[p]!, JSON.stringify(system.presetConfig!(p)));
  }
});

describe('explainLog (the search)', () => {
  it('fills in hidden steps, and names the first observation nothing explains with its candidates', () => {
    const m = dieHard();
    // Fill the big jug (5), then two unlogged steps, then the small jug is seen holding 3 and the big one 2.
    const log = [
      { state: { small: 0, big: 0 }, action: undefined, hidden: 0 },
      { state: { big: 5 }, action: { name: 'FillBigJug' }, hidden: 0 },
      { state: { small: 3, big: 2 }, action: undefined, hidden: 2 },
    ];
    const ok = explainLog(m, log, { observe: (s) => s as Record<string, unknown>, maxCandidates: 1000 });
    expect(ok).toMatchObject({ kind: 'explained', observations: 3 });
    expect(ok.kind === 'explained' && ok.behaviour[0]).toMatch(/FillBigJug/);
    // Without the hidden steps BigToSmall alone gets there; a state no step reaches is named, with candidates.
    const bad = explainLog(m, [...log.slice(0, 2), { state: { small: 1, big: 1 }, action: undefined, hidden: 1 }], {
      observe: (s) => s as Record<string, unknown>,
      maxCandidates: 1000,
    });
    expect(bad).toMatchObject({ kind: 'unexplained', observation: 2 });
    expect(bad.kind === 'unexplained' && bad.candidates).toBeGreaterThan(1);
    expect(bad.kind === 'unexplained' && bad.nearest.length).toBe(3);
    expect(bad.kind === 'unexplained' && bad.nearest[0]!.nearest!.differences.join(' ')).toMatch(/\$\.(small|big) is 1 in the log/);
    // Past the bound, it stops and says so instead of dropping states.
    const undecided = explainLog(m, [log[0]!, { state: undefined, action: undefined, hidden: 6 }], { observe: (s) => s as Record<string, unknown>, maxCandidates: 3 });
    expect(undecided).toMatchObject({ kind: 'undecided', observation: 1 });
  });

  it('fits agrees with mismatches', () => {
    const cases: [unknown, unknown][] = [
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: [1, 2] }, { a: [1, 2, 3] }],
      [{ a: { x: null } }, { a: {} }],
      [{ a: { x: 1 } }, { a: {} }],
      [[{ s: 1 }], [{ s: 1, t: 2 }]],
      [5, 5n],
      ['x', 'y'],
      [null, 0],
    ];
    for (const [o, a] of cases) expect(fits(o, a), JSON.stringify([o, String(a)])).toBe(mismatches(o, a, false).length === 0);
  });
});

describe('npm run validate on logs of the bundled implementation', () => {
  it('the example log of DRIVER.md section 9 and its broken variant print what the document shows', async () => {
    const example = /```json\n(\{\n  "#meta": \{\n    "format": "ITF",\n    "observe": "driver"[\s\S]*?)```/.exec(driverDoc)![1]!;
    const d = temp.fresh();
    writeFileSync(join(d, 'run.itf.json'), example);
    writeFileSync(join(d, 'bad.itf.json'), example.replace('"index": 2, "hidden": 3}', '"index": 2}'));
    const good = await validate(join(d, 'run.itf.json'));
    expect(good.code).toBe(0);
    const bad = await validate(join(d, 'bad.itf.json'));
    expect(bad.code).toBe(1);
    for (const line of [...good.out.trim().split('\n'), ...bad.out.trim().split('\n')]) expect(driverDoc).toContain(line.replace(d + '/', ''));
  });

  it('a walk with restarts conforms, fully logged and partly logged (fields, hidden steps, unknown actions)', async () => {
    const full = await walk(configs.default!, 600, '--seed', '3');
    const partial = await walk(configs.default!, 600, '--seed', '3', '--log-vars', 'writes,secondaryBlades', '--log-every', '3', '--log-no-actions');
    const r1 = await validate(full);
    expect(r1.code, r1.out + r1.err).toBe(0);
    expect(r1.out).toMatch(/conforms .*explained by a model behaviour of 600 steps, 0 of them not in the log/);
    expect(readLog(full).states.filter((s, i) => i > 0 && (s as unknown as Record<string, unknown>)['mbt::actionTaken'] === 'init').length).toBeGreaterThan(3);
    const r2 = await validate(partial);
    expect(r2.code, r2.out + r2.err).toBe(0);
    expect(r2.out).toMatch(/conforms .*of them not in the log/);
    expect(readLog(partial).states.some((s) => (s['#meta'].hidden ?? 0) > 0)).toBe(true);
    // With too small a bound, the partial log is undecided (exit 3), not rejected.
    const tight = await validate(partial, '--max-candidates', '2');
    expect(tight.code).toBe(3);
    expect(tight.out).toMatch(/UNDECIDED at step \d+ .*more than 2 model states are consistent with the log/);
  });

  for (const [bug, why] of [
    ['delete-early', /no model step (ShuttleArrive\(shuttle=0, blade=\d\)|DataTransfer\(blade=\d\)) from the one model state .* reaches the observed state[\s\S]*journal is \[\] in the log/],
    ['ack-early', /TransferReady\(blade=\d\) is not enabled in the one model state/],
    ['skip-oldslotcnt', /oldSlotCnt is \d in the log but \d in the model/],
  ] as const) {
    it(`--bug ${bug}: its log is rejected at the very step where the bug acted`, async () => {
      const log = await walk(configs.default!, 400, '--bug', bug);
      const at = noted(log);
      expect(at).toBeGreaterThan(0);
      const r = await validate(log);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(new RegExp(`DOES NOT CONFORM at step ${at} `));
      expect(r.out).toMatch(why);
      expect(r.out).toMatch(/1 candidate model state before it; each:\n {2}1\. /);
    });
  }

  it('--bug delete-early logged partly: rejected at the logged state that shows the bug, with candidates described', async () => {
    const log = await walk(configs.default!, 400, '--bug', 'delete-early', '--log-every', '3', '--log-no-actions');
    const at = noted(log);
    const r = await validate(log);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`DOES NOT CONFORM at step ${at} .*no model step from any of the \\d+ model states consistent with observations 0-${at - 1} and up to \\d hidden steps`));
    expect(r.out).toMatch(/\d+ candidate model states before it; the nearest 3:\n {2}1\. \(after hidden steps [^)]*\) .* differs: \$\.primaryBlades\[\d\]\.journal is \[\] in the log/);
    // The same log, the same verdict.
    expect((await validate(log, '--json')).out).toBe((await validate(log, '--json')).out);
  });

  it('the driven implementation logs each run it is driven through, and those logs conform', async () => {
    const d = temp.fresh();
    const r = await runProcess('node', ['--import', 'tsx', 'traces/conform.ts', '--impl', `${TSX} ${BLADE} --log ${d}`, '--preset', 'tiny'], { cwd: root, timeoutMs: 60_000 });
    expect(r.code, r.out + r.err).toBe(0);
    const runs = (r.out.match(/ PASS /g) ?? []).length;
    expect(runs).toBeGreaterThanOrEqual(5);
    const files = Array.from({ length: runs }, (_, k) => join(d, `run-${k + 1}.itf.json`));
    const v = await validate(...files);
    expect(v.code, v.out).toBe(0);
    expect(v.out.trim().split('\n')).toHaveLength(runs);
  });

  it('a log of 10,000 steps conforms', async () => {
    const log = await walk(configs.default!, 10_000, '--seed', '7');
    const r = await validate(log, '--json');
    expect(r.code, r.err).toBe(0);
    const verdict = JSON.parse(r.out) as { explanation: { kind: string; modelSteps: number; observations: number } };
    expect(verdict.explanation).toMatchObject({ kind: 'explained', modelSteps: 10_000 });
    expect(verdict.explanation.observations).toBeGreaterThan(10_000);
  });
});

describe('bad input is exit 2 with the problem named', () => {
  const write = (name: string, o: unknown): string => {
    const f = join(temp.fresh(), name);
    writeFileSync(f, typeof o === 'string' ? o : JSON.stringify(o));
    return f;
  };
  const config = { primary: { blades: 1, blocksPerDevice: 1, journalCapacity: 2, service: [[0]] }, secondary: { blades: 1 }, network: 'fifo', sequencer: { kind: 'slot' }, workload: [[{ device: 0, block: 0 }]] };
  const log = (states: unknown[], vars = ['writes'], meta: Record<string, unknown> = { observe: 'driver', config }) => ({
    '#meta': meta,
    vars: [...vars, 'mbt::actionTaken', 'mbt::nondetPicks'],
    states,
  });
  const init = { '#meta': { index: 0 }, writes: [{ status: 0 }], 'mbt::actionTaken': 'init', 'mbt::nondetPicks': {} };

  it.each([
    ['a hidden count that is not a whole number', log([init, { ...init, '#meta': { index: 1, hidden: -1 }, 'mbt::actionTaken': '?' }]), /\$\.states\[1\]\["#meta"\]\.hidden: expected a whole number/],
    ['a field the driver does not show', log([{ ...init, color: 'red' }], ['writes', 'color']), /\$\.vars: "color" is not a field of the driver's observable state/],
    ['an action the model does not have', log([init, { ...init, '#meta': { index: 1 }, 'mbt::actionTaken': 'HostIsue' }]), /"HostIsue" is not an action of the model/],
    ['hidden steps before a restart', log([init, { ...init, '#meta': { index: 1, hidden: 2 }, 'mbt::actionTaken': 'init' }]), /a state that starts afresh \("init"\) has no step before it to hide/],
    ['an unknown observation kind', log([init], ['writes'], { observe: 'everything', config }), /\$\["#meta"\]\.observe: expected "driver"/],
    ['not JSON', '{"vars": [', /not valid JSON/],
  ])('%s', async (_what, content, message) => {
    const r = await validate(write('bad.itf.json', content));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a bad --max-candidates, and blade flags', async () => {
    const f = write('ok.itf.json', log([init]));
    const r = await validate(f, '--max-candidates', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-candidates: expected a whole number ≥ 1, got "0"/);
    const b = await runProcess(TSX, [BLADE, '--log-every', '0', '--log', temp.fresh()], { timeoutMs: 30_000 });
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--log-every expects a whole number ≥ 1/);
    const w = await runProcess(TSX, [BLADE, '--walk', '5', '--config', configs.tiny!], { timeoutMs: 30_000 });
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/--walk writes its log: give --log DIR/);
    // A --log directory holding the user's files is refused before any work, and left as it was.
    const mine = temp.fresh();
    writeFileSync(join(mine, 'notes.txt'), 'keep me\n');
    const refused = await runProcess(TSX, [BLADE, '--walk', '5', '--config', configs.tiny!, '--log', mine], { timeoutMs: 30_000 });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--log .*: holds notes\.txt \(not logs of this blade\)/);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect(readdirSync(mine)).toEqual(['notes.txt']);
  });
});
