/**
 * The mutant zoo (PROTOCOL.md §7, §9): every mutant is caught, on the preset where it shows
 * (MUTANT_PRESET), as the property pinned here, with a shortest counterexample; the
 * unmutated model passes the same checks on the same presets. Together the mutants (and the
 * ring's liveness claim, liveness.test.ts) bite every property.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GROUPS_PROPERTY } from '../../model/groupsProperties.ts';
import { MUTANT_PRESET, ZOO, type ZooMutant } from '../../model/mutantPresets.ts';
import { formatTable, type MutantRow } from '../../model/mutants.ts';
import { PROPERTY } from '../../model/properties.ts';
import system from '../../model/system.ts';
import { check } from '../../checker/check.ts';
import type { State } from '../../model/state.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { checkedElsewhere } from './golden.ts';

// runMutant's checks run in a child process, off vitest's worker (test/jobs.ts: mutantRow).
afterAll(stopChild);

const EXPECTED: Record<ZooMutant, string> = {
  'ack-before-increment': PROPERTY.ordered,
  'apply-incomplete': PROPERTY.applyOrder,
  'apply-out-of-order': PROPERTY.applyOrder,
  'delete-on-sent': PROPERTY.deletion,
  'slot-no-data-increment': PROPERTY.noEmpty,
  'skip-oldslotcnt-add': PROPERTY.totals,
  'one-phase-commit': PROPERTY.consistency,
  'duplicate-shuttle': PROPERTY.slot,
  'sync-before-transfer': PROPERTY.persistence,
  'ack-before-journal': PROPERTY.persistence,
  'apply-arrival-order': PROPERTY.regression,
  'seq-wraparound': PROPERTY.monotonic,
  'no-flush-pass': 'deadlock',
  'recovery-keeps-after-gap': PROPERTY.applyOrder,
  'overflow-no-invalidate': PROPERTY.deletion,
  'timer-period-too-long': PROPERTY.ordered,
  'resend-trims-on-sent': PROPERTY.deletion,
  'restore-from-devices': PROPERTY.restored,
  'trigger-no-invalidate': PROPERTY.noLoss,
  'repair-skips-resync': PROPERTY.resumedClean,
  'resend-from-unsent': PROPERTY.resent,
  'stamp-at-data': PROPERTY.ordered,
  'recovery-keeps-shuttle': PROPERTY.applyOrder,
  'recovery-no-dedup': PROPERTY.applyOrder,
  'shared-box-not-ready': GROUPS_PROPERTY.unaffected,
  'box-failure-triggers-all': GROUPS_PROPERTY.untouched,
};

describe('mutant zoo', () => {
  // Each mutant's row checks the unmutated model on the same preset and parameters, unless
  // presets.test.ts, faults.test.ts or groups.test.ts checks that preset exhaustively with every property
  // (golden.ts); the child process keeps the baselines, so a preset shared by several
  // mutants is checked once.
  const here = (m: ZooMutant): boolean => !checkedElsewhere(MUTANT_PRESET[m].preset, MUTANT_PRESET[m].params);
  const runMutant = (m: ZooMutant): Promise<MutantRow> => runInChild<MutantRow>('test/jobs.ts', 'mutantRow', [m, here(m)]);
  const rows: MutantRow[] = [];

  it('every mutant has a preset where it shows, and the provider publishes the mapping', () => {
    expect(Object.keys(MUTANT_PRESET).sort()).toEqual([...ZOO].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...ZOO].sort());
    expect(system.mutantPresets).toBe(MUTANT_PRESET);
    expect(system.mutants).toEqual(ZOO);
    for (const m of ZOO) expect(system.presets).toContain(MUTANT_PRESET[m].preset);
    for (const m of ZOO) expect(m).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const m of ZOO) {
    it(`${m} on ${MUTANT_PRESET[m].preset} → ${EXPECTED[m]}; the unmutated model passes there`, async () => {
      const r = await runMutant(m);
      rows.push(r);
      // The unmutated model: checked here, or exhaustively with every property by presets.test.ts / faults.test.ts / groups.test.ts.
      if (here(m)) expect(r.baseline.verdict).toBe('ok');
      else expect(r.baseline.verdict).toBe('not run here');
      expect(r.caught).toBe(true);
      expect(r.property).toBe(EXPECTED[m]);
      expect(r.length).toBeGreaterThan(0);
    });
  }

  it('a repair that leaves tracks invalid also never converges: a converged state has every track valid', () => {
    // Without the action property that catches it first, the terminal check does: the run ends
    // with the group replicating and a track still invalid, which is not converged.
    const model = system.fromPreset('trigger', { params: {}, mutant: 'repair-skips-resync' });
    const r = check({ ...model, actionProperties: [] }, { temporal: false });
    expect(r.property).toBe('deadlock');
    const last = r.counterexample!.steps.at(-1)!.state as State;
    expect(last.group).toBe('replicating');
    expect(last.invalidTracks.some((m) => m !== 0)).toBe(true);
  });

    it('the mutants bite every safety property; the table has one row per mutant', () => {
    const bitten = new Set(Object.values(EXPECTED));
    for (const p of [...Object.values(PROPERTY), ...Object.values(GROUPS_PROPERTY)]) if (p !== PROPERTY.converges) expect(bitten, p).toContain(p);
    expect(rows.map((r) => r.mutant).sort()).toEqual([...ZOO].sort());
    const table = formatTable(rows).split('\n');
    expect(table).toHaveLength(ZOO.length + 2);
    for (const r of rows) expect(table.filter((l) => l.startsWith(`| ${r.mutant} `)), r.mutant).toHaveLength(1);
  });
});
