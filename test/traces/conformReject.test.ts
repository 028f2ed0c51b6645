/**
 * Must-reject vectors mean it: an implementation passes one only by taking every step before
 * its bad step as the vector does and refusing the bad step (or leaving the vector exactly
 * there). An implementation that answers init right and refuses every step fails them all,
 * except where the mutant shows in the initial state; and a vector that cannot tell the
 * model from its mutant through the driver is SKIP, not a FAIL of a correct implementation.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { badStepOf, loadSuiteDir, runConformance, runnableFromItf } from '../../traces/conform.ts';
import { parseItfText } from '../../checker/itf.ts';
import { readdirSync, readFileSync } from 'node:fs';

const root = resolve(__dirname, '../..');
const REFUSE_ALL = `${process.execPath} --import tsx ${resolve(root, 'test/impl/refuseAll.ts')}`;
const MODEL = `${process.execPath} --import tsx ${resolve(root, 'traces/modelImpl.ts')}`;
const rejects = loadSuiteDir(system, resolve(root, 'traces/vectors')).filter((v) => v.expect === 'reject');

describe('must-reject vectors', () => {
  it('every one of the canonical suite has a bad step, or a dead end after its last (no-flush-pass)', () => {
    expect(rejects.length).toBeGreaterThanOrEqual(19);
    for (const v of rejects) expect(v.skip, v.name).toBeUndefined();
    expect(rejects.filter((v) => v.bad === undefined).map((v) => v.name)).toEqual(['mutants/no-flush-pass.itf.json']);
    // restore-from-devices differs only in the restored image: the driver shows it (restoredPrimary).
    expect(rejects.find((v) => v.name === 'mutants/restore-from-devices.itf.json')!.bad).toMatchObject({ step: 22 });
  });

  it('an implementation that refuses every step fails every one whose mutant is not visible at init', async () => {
    const rs = await runConformance(REFUSE_ALL, rejects);
    const passed = rs.filter((r) => r.verdict === 'PASS').map((r) => r.vector);
    expect(passed).toEqual(rejects.filter((v) => v.bad?.step === 0).map((v) => v.name));
    expect(passed).toEqual(['mutants/duplicate-shuttle.itf.json']);
    for (const r of rs.filter((x) => x.verdict === 'FAIL')) {
      expect(r.step, r.vector).toBe(1);
      // Step 1 is before the bad step, or is the bad step and the model takes it (timer-period-too-long's first Tick).
      expect(r.reason, r.vector).toMatch(
        /^refused .*: this implementation refuses every step(, before the mutant's bad step \d+: the model takes step 1 as the vector does|: the model takes this step \(the mutant's bad step\) to another state)$/,
      );
    }
  });

  it('the model itself passes every one, at its bad step', async () => {
    const rs = await runConformance(MODEL, rejects);
    expect(rs.filter((r) => r.verdict !== 'PASS').map((r) => `${r.vector}: ${r.reason}`)).toEqual([]);
    for (const [r, v] of rs.map((x, i) => [x, rejects[i]!] as const)) expect(r.step, r.vector).toBe(v.bad?.step ?? v.trace.states.length);
  });

  it('refusing a bad step that the model takes to another state is a FAIL', async () => {
    // delete-on-sent's bad step is a ShuttleArrive the model takes too (it keeps the record).
    const v = rejects.find((x) => x.name === 'mutants/delete-on-sent.itf.json')!;
    expect(v.bad).toMatchObject({ enabled: true });
    const refuseAtBad = `${process.execPath} -e '
      const rl = require("readline").createInterface({ input: process.stdin });
      const model = require("child_process").spawn(process.execPath, ["--import", "tsx", ${JSON.stringify(resolve(root, 'traces/modelImpl.ts'))}], { stdio: ["pipe", "pipe", "inherit"] });
      const replies = require("readline").createInterface({ input: model.stdout });
      // Replies in request order (the harness sends ahead): a refusal waits for the replies before it.
      const queue = []; const flush = () => { while (queue.length > 0 && queue[0] !== undefined) { const r = queue.shift(); console.log(r === null ? JSON.stringify({ refused: "no" }) : r); } };
      replies.on("line", (l) => { queue[queue.indexOf(undefined)] = l; flush(); });
      rl.on("line", (line) => { const m = JSON.parse(line);
        if (m.type === "step" && m.index === ${v.bad!.step}) { queue.push(null); flush(); return; }
        model.stdin.write(line + "\\n"); if (m.type !== "end") queue.push(undefined); });
      rl.on("close", () => model.stdin.end());'`;
    const [r] = await runConformance(refuseAtBad, [v]);
    expect(r).toMatchObject({ verdict: 'FAIL', step: v.bad!.step });
    expect(r!.reason).toMatch(/the model takes this step \(the mutant's bad step\) to another state$/);
  });

  it('a vector that cannot tell a mutant from the model through the driver is SKIP, not run', async () => {
    // A path the model allows to its end, after which the model has no step (the rollback),
    // labelled must-reject: no implementation can be judged by it.
    const dir = resolve(root, 'traces/vectors/rollback');
    const file = resolve(dir, readdirSync(dir).find((f) => f.endsWith('-HaltAndRestore.itf.json'))!);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { '#meta': Record<string, unknown> };
    json['#meta'].expect = 'reject';
    const v = runnableFromItf(system, parseItfText(JSON.stringify(json), 'hidden.itf.json'), 'hidden.itf.json');
    expect(badStepOf(v.model, v.trace, v.name)).toBe('hidden');
    expect(v.skip).toMatch(/^not runnable through the driver: the model allows every step of it and has none after it/);
    const [r] = await runConformance(MODEL, [v]);
    expect(r).toMatchObject({ verdict: 'SKIP', step: null });
  });
});
