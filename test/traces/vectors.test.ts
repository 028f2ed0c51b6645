import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseItfText } from '../../checker/itf.ts';
import { MANIFEST } from '../../checker/outputDir.ts';
import { validateTrace } from '../../traces/oracle.ts';
import { modelForTrace, observedActions } from '../../traces/validate.ts';
import { CANONICAL_DIR, CANONICAL_PRESETS, type suiteFiles } from '../../traces/vectors.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { expectHolds } from '../model/golden.ts';

const listFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [relative(CANONICAL_DIR, path)];
  });

describe('the canonical vector suite (traces/vectors)', () => {
  // Built once, in beforeAll, in a child process (test/jobs.ts: canonicalSuite, that is
  // suiteFiles(system, CANONICAL_PRESETS, true)): an exhaustive check of every preset and
  // mutant, which would otherwise starve vitest's worker RPC.
  let files: Map<string, string>;
  let vectors: Awaited<ReturnType<typeof suiteFiles>>['vectors'];
  let index: Awaited<ReturnType<typeof suiteFiles>>['index'];
  let checks: Awaited<ReturnType<typeof suiteFiles>>['checks'];
  beforeAll(async () => {
    ({ files, vectors, index, checks } = await runInChild<Awaited<ReturnType<typeof suiteFiles>>>('test/jobs.ts', 'canonicalSuite'));
  });
  afterAll(stopChild);

  it('is exactly what the model generates today (regenerate with npm run vectors when the model changes on purpose)', () => {
    // Beside the suite, the manifest of `npm run vectors` (checker/outputDir.ts) lists it.
    expect(listFiles(CANONICAL_DIR).sort()).toEqual([...files.keys(), MANIFEST].sort());
    expect(JSON.parse(readFileSync(join(CANONICAL_DIR, MANIFEST), 'utf8'))).toMatchObject({ writtenBy: 'shuttlecheck vectors', files: [...files.keys()].sort() });
    for (const [rel, text] of files) expect(readFileSync(join(CANONICAL_DIR, rel), 'utf8'), rel).toBe(text);
  });

  it('comes from an exhaustive check of each of its presets, where every property holds with the golden count', () => {
    // The golden counts and verdicts of these presets are checked here, not again by presets.test.ts / faults.test.ts.
    expect(Object.keys(checks).sort()).toEqual([...CANONICAL_PRESETS].sort());
    for (const preset of CANONICAL_PRESETS) expectHolds(preset, checks[preset]!);
  });

  it('fires every action of every preset it covers', () => {
    for (const preset of CANONICAL_PRESETS) {
      const covered = new Set(vectors.filter((v) => v.preset === preset).flatMap((v) => v.covers));
      expect([...covered].sort(), preset).toEqual(index.coverage[preset]!.actions);
      expect(index.coverage[preset]!.neverFired, preset).toEqual([]);
    }
  });

  it('conform vectors pass the oracle and mutant vectors are rejected by the correct model', async () => {
    for (const v of vectors) {
      const trace = parseItfText(v.text, v.file);
      const { model } = await modelForTrace(trace, v.file, { params: {} });
      const actions = observedActions(trace, v.file);
      const verdict = validateTrace(model, { states: trace.states, ...(actions ? { actions } : {}) }, { level: 'full' });
      if (v.property === 'deadlock') {
        // A deadlock mutant takes only legal steps; what it lacks is a step at the end, and the
        // correct model has one there.
        expect(verdict.ok, v.file).toBe(true);
        const finals = verdict.ok ? verdict.finalStates : [];
        expect(finals.length).toBeGreaterThan(0);
        for (const s of finals) expect(model.actions(s).some((a) => model.nextState(s, a) !== undefined), v.file).toBe(true);
        continue;
      }
      expect(verdict.ok, `${v.file}: ${verdict.ok ? '' : verdict.reason}`).toBe(v.expect === 'conform');
    }
  });
});
