import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDirs } from '../tempDirs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../capture.ts';
import { runInChild, stopChild } from '../inChild.ts';
import system from '../../model/system.ts';
import { parseItfText } from '../../checker/itf.ts';
import { defaultMutantPairs, loadSuiteDir, main, runConformance, runnableFromItf, type RunnableVector, type VectorResult, FALLBACK_MUTANTS } from '../../traces/conform.ts';
import { MUTANT_PRESET } from '../../model/mutantPresets.ts';
import { runProcess } from '../capture.ts';
import type { Vector } from '../../traces/suite.ts';

const root = resolve(__dirname, '../..');
const TSX = resolve(root, 'node_modules/.bin/tsx');
const BLADE = `${TSX} ${resolve(root, 'test/impl/blade.ts')}`;
const SUITE = resolve(root, 'traces/vectors');

/** The fault-free mutants; each one's must-reject vector on the default preset. */
const MUTANTS = FALLBACK_MUTANTS;

/** The bugs of test/impl/blade.ts and the vectors that must catch each (at least these). */
const BUGS: Record<string, readonly string[]> = {
  'ack-early': ['mutants/ack-before-increment.itf.json'],
  'apply-incomplete': ['mutants/apply-incomplete.itf.json'],
  'delete-early': ['tiny/01-BladeStamp_DataTransfer_Deliver_HostIssue_SecShuttleArrive_SecTransfer_ShuttleAr.itf.json', 'mutants/delete-on-sent.itf.json'],
  'apply-out-of-order': ['mutants/apply-out-of-order.itf.json'],
  'skip-oldslotcnt': ['mutants/skip-oldslotcnt-add.itf.json'],
  // Wrong readings of the ring's empty numbers (Fig 19 steps 386/388): only the ring's goal
  // vectors close an empty number (traces/vectorGoals.ts), so only they catch these.
  'ring-no-marker': ['ring/goal-empty-marker-journaled.itf.json', 'ring/goal-empty-number-closed-everywhere.itf.json', 'ring/goal-empty-number-applied.itf.json'],
  'ring-marker-every-close': ['ring/goal-empty-number-closed-everywhere.itf.json'],
  'ring-marker-own-number': ['ring/goal-empty-marker-journaled.itf.json', 'ring/goal-empty-number-closed-everywhere.itf.json', 'ring/goal-empty-number-applied.itf.json'],
};
/** The subtle two: every other vector passes them (the third also journals a marker for a number with data). */
const RING_BUGS = ['ring-no-marker', 'ring-marker-every-close'];

const run = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, stdout, stderr));

let vectors: RunnableVector[] = [];
let tinyFirst: RunnableVector;
const results = new Map<string, VectorResult[]>();

const temp = tempDirs('conform');
afterAll(stopChild);
afterAll(temp.removeAll);
beforeAll(async () => {
  // The committed suite's fault-free presets, and the mutant vectors built now.
  const committed = loadSuiteDir(system, SUITE).filter((v) => /^(tiny|fanout|ring)\//.test(v.name));
  // As buildRunnable(system, [], MUTANTS on default), with the suite's exhaustive checks in a
  // child process (test/jobs.ts: mutantVectors), which must not block vitest's worker.
  const built = await runInChild<Vector[]>('test/jobs.ts', 'mutantVectors', [MUTANTS.map((m) => [m, 'default'])]);
  const mutants = built.map((v) => runnableFromItf(system, parseItfText(v.text, v.file), v.file));
  vectors = [...committed, ...mutants];
  tinyFirst = vectors.find((v) => v.name.startsWith('tiny/01-'))!;
  // One process per implementation, all six in parallel.
  const impls = ['', ...Object.keys(BUGS)];
  const all = await Promise.all(impls.map((bug) => runConformance(bug ? `${BLADE} --bug ${bug}` : BLADE, vectors)));
  impls.forEach((bug, k) => results.set(bug, all[k]!));
});

describe('conformance driver', () => {
  it('the independent implementation passes every vector of tiny, fanout, ring and every mutant vector', () => {
    const rs = results.get('')!;
    expect(rs.length).toBe(vectors.length);
    expect(rs.filter((r) => r.expect === 'conform').length).toBeGreaterThanOrEqual(15);
    // Per mutant its counterexample, and the vector of its first difference (a model path or a must-reject one).
    expect(rs.filter((r) => /^mutants\/[a-z-]+\.itf\.json$/.test(r.vector) && r.expect === 'reject').length).toBe(MUTANTS.length);
    expect(rs.filter((r) => /^mutants\/[a-z-]+\.(model|mutant)-step\.itf\.json$/.test(r.vector)).length).toBe(MUTANTS.length - 1);
    expect(rs.filter((r) => r.verdict !== 'PASS').map((r) => `${r.vector}: ${r.reason}`)).toEqual([]);
    // A must-reject vector passes by refusing the mutant's step or leaving its trace, named by step.
    for (const r of rs.filter((x) => x.expect === 'reject')) expect(r.step).not.toBeNull();
    expect(rs.every((r) => r.log.length === 0)).toBe(true);
  });

  for (const bug of Object.keys(BUGS)) {
    it(`--bug ${bug} is rejected exactly where the bug first acts`, () => {
      const rs = results.get(bug)!;
      const failed = rs.filter((r) => r.verdict === 'FAIL').map((r) => r.vector);
      for (const v of BUGS[bug]!) expect(failed).toContain(v);
      // No vector but the ring's goal vectors closes an empty number: without them these bugs pass.
      if (RING_BUGS.includes(bug)) for (const v of failed) expect(v).toMatch(/^ring\/goal-/);
      for (const r of rs) {
        // The implementation's own report of where its bug changed the behaviour.
        const acted = r.log.find((l) => l.text.startsWith(`bug ${bug} acted`));
        if (acted) {
          expect({ vector: r.vector, verdict: r.verdict, step: r.step }).toEqual({ vector: r.vector, verdict: 'FAIL', step: acted.step });
          expect(r.reason).toMatch(/primaryBlades|shuttles|secondaryBlades|journal|oldSlotCnt|TransferReady|SecShuttleArrive|ShuttleArrive/);
        } else {
          expect({ vector: r.vector, verdict: r.verdict }).toEqual({ vector: r.vector, verdict: 'PASS' });
        }
      }
    });
  }

  it('names the action or variable in the reason', () => {
    const reason = (bug: string, v: string) => results.get(bug)!.find((r) => r.vector === v)!.reason;
    expect(reason('ack-early', 'mutants/ack-before-increment.itf.json')).toMatch(/^action TransferReady\(blade=1\) is not enabled/);
    expect(reason('apply-incomplete', 'mutants/apply-incomplete.itf.json')).toMatch(/^action SecShuttleArrive\(blade=0\) is not enabled/);
    expect(reason('delete-early', 'mutants/delete-on-sent.itf.json')).toMatch(/\$\.primaryBlades\[0\]\.journal is \[\] in the trace/);
    expect(reason('skip-oldslotcnt', 'mutants/skip-oldslotcnt-add.itf.json')).toMatch(/\$\.shuttles\[0\]\.oldSlotCnt/);
  });

  it('a crashing, silent or malformed implementation is a FAIL of that vector, not of the harness', async () => {
    const one = [tinyFirst];
    const opts = { timeoutMs: 400, startupMs: 400 };
    const [crash, silent, notJson, noState, partial] = await Promise.all([
      runConformance('echo dying >&2; exit 3', one, opts),
      runConformance('cat > /dev/null', one, opts),
      runConformance('read x; echo "hello"; cat > /dev/null', one, opts),
      runConformance('read x; echo "[1,2]"; cat > /dev/null', one, opts),
      runConformance(`read x; echo '{"state":{"writes":[]}}'; cat > /dev/null`, one, opts),
    ]);
    expect(crash[0]).toMatchObject({ verdict: 'FAIL', step: 0 });
    expect(crash[0]!.reason).toMatch(/exited with code 3 \(stderr: dying\)/);
    expect(silent[0]).toMatchObject({ verdict: 'FAIL', step: 0, reason: 'no reply within 400 ms' });
    expect(notJson[0]).toMatchObject({ verdict: 'FAIL', step: 0, reason: 'malformed reply (not JSON): hello' });
    expect(noState[0]).toMatchObject({ verdict: 'FAIL', step: 0 });
    expect(noState[0]!.reason).toMatch(/not a JSON object/);
    expect(partial[0]!.reason).toMatch(/lacks primaryDevices, primaryBlades/);
  });

  it('a crash in the middle of a vector names the step, and the next vector gets a new process', async () => {
    // Answers init like the real implementation would, then dies at step 1.
    const state = JSON.stringify({ state: { writes: [], primaryDevices: [], primaryBlades: [], secondaryBlades: [], secondaryShuttle: null } });
    const rs = await runConformance(`read x; echo '${state}'; read y; exit 1`, [tinyFirst, tinyFirst], { timeoutMs: 2000, startupMs: 2000 });
    // Its initial state is wrong, so the oracle names step 0 before the crash matters.
    expect(rs.map((r) => r.verdict)).toEqual(['FAIL', 'FAIL']);
    expect(rs[0]!.step).toBe(0);
    // The blade sees only the init request: it answers it, meets the end of its input and
    // exits (code 0) before step 1. (Cutting its output instead, with `| head -n 1`, raced:
    // when the blade wrote its replies before head had gone, it waited on for input forever.)
    const crashAt1 = await runConformance(`head -n 1 | ${BLADE}`, [tinyFirst], { timeoutMs: 15_000 });
    expect(crashAt1[0]).toMatchObject({ verdict: 'FAIL', step: 1 });
    expect(crashAt1[0]!.reason).toMatch(/exited with code 0/);
  });

  it('the independent implementation runs the timer vectors (period 1: every phase is 0) and catches timer-period-too-long', async () => {
    const timer = [...loadSuiteDir(system, resolve(SUITE, 'timer')), ...loadSuiteDir(system, resolve(SUITE, 'mutants')).filter((v) => v.name.startsWith('timer-'))];
    expect(timer.length).toBeGreaterThanOrEqual(8);
    const rs = await runConformance(BLADE, timer);
    expect(rs.filter((r) => r.verdict !== 'PASS').map((r) => `${r.vector}: ${r.reason}`)).toEqual([]);
  });

  it('the independent implementation runs every vector of the canonical suite: timer, faults, recovery, failover, rollback, restart, trigger, overflow, disaster, sync; no SKIP', async () => {
    const all = loadSuiteDir(system, SUITE);
    const groups = [...new Set(all.map((v) => v.name.split('/')[0]))].sort();
    expect(groups).toEqual(['disaster', 'fanout', 'linkfail', 'linkfail17', 'mutants', 'overflow', 'restart', 'ring', 'rollback', 'slot-fail', 'sync', 'timer', 'tiny', 'trigger']);
    const rs = await runConformance(BLADE, all);
    expect(rs.length).toBe(all.length);
    expect(rs.filter((r) => r.verdict !== 'PASS').map((r) => `${r.vector}: ${r.verdict} ${r.reason}`)).toEqual([]);
    // The fault actions were taken, not refused: every one of them appears in a passing conform vector.
    const taken = new Set(all.filter((v) => v.expect === 'conform').flatMap((v) => v.trace.states.map((_, i) => v.trace.actions?.[i])));
    for (const a of ['LinkDown', 'LinkUp', 'SecRecover', 'Resend', 'DeviceLinkFail', 'Repair', 'CopyTrack', 'BladeRestart', 'BladeFail', 'Disaster', 'Failover', 'HaltAndRestore', 'Tick']) expect(taken).toContain(a);
  });

  it('a vector runs from its own file: the configuration in #meta is whole (params applied), and the implementation passes it', async () => {
    const own = loadSuiteDir(system, resolve(SUITE, 'mutants')).filter((v) => v.name.startsWith('ack-before-journal.'));
    expect(own.map((v) => v.name)).toEqual(['ack-before-journal.itf.json', 'ack-before-journal.mutant-step.itf.json']);
    for (const v of own) expect(v.config, v.name).toMatchObject({ primary: { journalCapacity: 1 }, recovery: 'fig16', delay: 0, rollback: false });
    const rs = await runConformance(BLADE, own);
    expect(rs.map((r) => [r.verdict, r.reason])).toEqual([
      ['PASS', 'refused HostAck(chain=0): write 0 is not journaled yet'],
      ['PASS', 'refused HostAck(chain=1): write 2 is not journaled yet'],
    ]);
  });

  it('an unsupported configuration or action is SKIP, and fails the run unless allowed', async () => {
    // The timer with a period over 1: the blades' phases are not sent.
    const timer = loadSuiteDir(system, resolve(SUITE, 'timer')).slice(0, 1).map((v) => ({ ...v, config: { ...(v.config as object), sequencer: { kind: 'timer', period: 2, gap: 2, maxTicks: 4 } } }));
    const rs = await runConformance(BLADE, timer);
    expect(rs[0]).toMatchObject({ verdict: 'SKIP', step: 0 });
    expect(rs[0]!.reason).toMatch(/sequencer "timer" with period 2 is not supported/);
    const background = { ...tinyFirst, config: { ...(tinyFirst.config as object), mode: 'background' } };
    const f = await runConformance(BLADE, [background]);
    expect(f[0]).toMatchObject({ verdict: 'SKIP', step: 0, reason: 'unsupported: init: mode "background" is not supported by this implementation' });
    // A suite of one vector the implementation cannot run: the timer vector with a period of 2.
    const dir = temp.fresh();
    const file = resolve(SUITE, 'timer', readdirSync(resolve(SUITE, 'timer')).find((f) => f.endsWith('-HostAck.itf.json'))!);
    const itf = JSON.parse(readFileSync(file, 'utf8'));
    itf['#meta'].config.sequencer.period = 2;
    writeFileSync(join(dir, 'period2.itf.json'), JSON.stringify(itf));
    const a = await run('--impl', BLADE, '--suite', dir);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/^conform: 1 SKIP verdict \(what the implementation does not support\) fails the run: exit 1 \(--allow-unsupported lets them pass\)\n$/);
    const b = await run('--impl', BLADE, '--suite', dir, '--allow-unsupported');
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/SKIP/);
    expect(b.err).toBe('');
  });

  it('the CLI prints the verdict table and exits 0 for the implementation, 1 for a broken one', async () => {
    const ok = await run('--impl', BLADE, '--suite', resolve(SUITE, 'tiny'));
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n')[0]).toMatch(/^vector +expect +verdict +step +reason$/);
    expect(ok.out).toMatch(/vectors: \d+ PASS, 0 FAIL, 0 SKIP/);
    const bad = await run('--impl', `${BLADE} --bug delete-early`, '--suite', resolve(SUITE, 'tiny'), '--json');
    expect(bad.code).toBe(1);
    const first = JSON.parse(bad.out.split('\n')[0]!);
    // Caught at the step that first puts a record on a link (the variant trims it there).
    const sends = tinyFirst.trace.states.findIndex((s) => (s as { links: unknown[][] }).links.some((l) => l.length > 0));
    expect(sends).toBeGreaterThan(0);
    expect(first).toMatchObject({ vector: tinyFirst.name.replace('tiny/', ''), verdict: 'FAIL', step: sends });
  });

  it('the default run passes with the bundled implementation: its mutants are those that show without a fault or parameter', async () => {
    const quick = ['default', 'tiny', 'fanout', 'ring'];
    const expected = Object.entries(MUTANT_PRESET)
      .filter(([, w]) => quick.includes(w.preset) && Object.keys(w.params ?? {}).length === 0)
      .map(([m, w]) => [m, w.preset]);
    expect(defaultMutantPairs(system).sort()).toEqual(expected.sort());
    // The command as a user runs it, in its own process (it builds the mutants' vectors).
    const r = await runProcess(process.execPath, ['--import', 'tsx', 'traces/conform.ts', '--impl', BLADE], { cwd: root });
    expect(r.err).toBe('');
    const total = /\n(\d+) vectors: (\d+) PASS, 0 FAIL, 0 SKIP\n$/.exec(r.out);
    expect(total?.[1]).toBe(total?.[2]);
    for (const [mutant] of expected) expect(r.out).toContain(`\nmutants/${mutant}.itf.json `);
    expect(r.code).toBe(0);
  });

  it('bad input exits 2 with a message', async () => {
    expect((await run()).code).toBe(2);
    expect((await run()).err).toMatch(/--impl "CMD" is required/);
    expect((await run('--impl', 'true', '--bogus')).code).toBe(2);
    expect((await run('--impl', 'true', '--preset', 'nope')).err).toMatch(/unknown preset "nope"/);
    expect((await run('--impl', 'true', '--suite', '/no/such/dir')).err).toMatch(/no such directory/);
    expect((await run('--impl', 'true', '--mutant', 'nope')).err).toMatch(/unknown mutant "nope"/);
    expect((await run('--impl', 'true', '--timeout', 'soon')).code).toBe(2);
    expect((await run('--impl', 'true', '--timeout', '-5')).err).toBe('conform: --timeout: expected a whole number of milliseconds ≥ 1, got -5\n');
    expect((await run('--impl', 'true', '--suite', SUITE, '--preset', 'tiny')).code).toBe(2);
    expect((await run('--help')).out).toMatch(/Usage: npm run conform/);
  });

  it('DRIVER.md and README show what the implementation and the harness really print', async () => {
    const driver = readFileSync(resolve(root, 'traces/DRIVER.md'), 'utf8');
    const example = /printf '%s\\n' \\\n([\s\S]*?) \| npx tsx test\/impl\/blade\.ts\n```\n```\n([\s\S]*?)```/.exec(driver)!;
    const input = [...example[1]!.matchAll(/'(\{.*\})'/g)].map((m) => m[1]).join('\n') + '\n';
    const out = execFileSync(TSX, [resolve(root, 'test/impl/blade.ts')], { input, encoding: 'utf8' });
    expect(out).toBe(example[2]);
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Conformance: vectors, oracle and driver'));
    for (const bug of ['', ' --bug delete-early']) {
      const r = await run('--impl', `${BLADE}${bug}`, '--preset', 'tiny', '--mutant', 'ack-before-increment');
      expect(r.code).toBe(bug ? 1 : 0);
      const shown = section.split(`$ npm run conform -- --impl "tsx test/impl/blade.ts${bug}" --preset tiny --mutant ack-before-increment\n`)[1]!;
      // What the README shows after the command, up to the next command or the block's end,
      // is exactly what the harness printed.
      expect(r.out.trim()).not.toBe('');
      expect(shown.slice(0, shown.indexOf('```')).split(/^\$ /m)[0]!.trimEnd()).toBe(r.out.trimEnd());
    }
  });
});
