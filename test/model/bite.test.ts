/**
 * Every property bites: a small protocol breaker (a named mutant) makes the checker report
 * exactly that property, with a shortest counterexample. Also the seed's claims about the
 * sequencers: the ring shuttle creates empty numbers, the slot shuttle never does; the timer
 * is safe for a short period and not for a long one.
 */
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../../model/config.ts';
import { PROPERTY } from '../../model/properties.ts';
import { run } from './helpers.ts';

const cases: { mutant: string; preset: string; params?: Record<string, string>; property: string }[] = [
  { mutant: 'ack-before-increment', preset: 'default', property: PROPERTY.ordered },
  { mutant: 'apply-incomplete', preset: 'default', property: PROPERTY.applyOrder },
  { mutant: 'apply-out-of-order', preset: 'default', property: PROPERTY.applyOrder },
  { mutant: 'delete-on-sent', preset: 'default', property: PROPERTY.deletion },
  { mutant: 'slot-no-data-increment', preset: 'default', property: PROPERTY.noEmpty },
  { mutant: 'skip-oldslotcnt-add', preset: 'default', property: PROPERTY.totals },
  { mutant: 'one-phase-commit', preset: 'default', property: PROPERTY.consistency },
  { mutant: 'one-phase-commit', preset: 'fanout', property: PROPERTY.consistency },
  { mutant: 'duplicate-shuttle', preset: 'default', property: PROPERTY.slot },
  { mutant: 'sync-before-transfer', preset: 'default', property: PROPERTY.persistence },
  { mutant: 'ack-before-journal', preset: 'default', params: { journalCapacity: '1' }, property: PROPERTY.persistence },
  { mutant: 'apply-arrival-order', preset: 'default', property: PROPERTY.regression },
  { mutant: 'seq-wraparound', preset: 'default', property: PROPERTY.monotonic },
  { mutant: 'no-flush-pass', preset: 'default', property: 'deadlock' },
];

describe('each property bites', () => {
  for (const c of cases) {
    it(`${c.mutant} on ${c.preset} → ${c.property}`, () => {
      const r = run(c.preset, c.params, c.mutant);
      expect(r.verdict).toBe('violation');
      expect(r.property, r.counterexample?.explanation).toBe(c.property);
      expect(r.counterexample!.steps.length).toBeGreaterThan(1);
      expect(r.counterexample!.explanation ?? '').not.toBe('');
    });
  }

  it('every mutant is exercised above, and every property is bitten by one', () => {
    expect(new Set(cases.map((c) => c.mutant))).toEqual(new Set(MUTANTS));
    const bitten = new Set(cases.map((c) => c.property));
    for (const p of Object.values(PROPERTY)) expect(bitten).toContain(p);
    expect(bitten).toContain('deadlock');
  });

  it('the correct protocol passes where the mutants fail (same bounds)', () => {
    expect(run('default', { journalCapacity: '1' }).verdict).toBe('ok');
    expect(run('fanout').verdict).toBe('ok');
  });
});

describe('sequencer claims', () => {
  it('variant 1 (ring) creates sequence numbers with no data', () => {
    const r = run('ring', { checkNoEmptyNumbers: 'true' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.noEmpty);
  });

  it('variant 2 (slot) never does (default: asserted in presets.test.ts)', () => {
    for (const p of ['tiny', 'fanout']) {
      const r = run(p);
      expect(r.properties.find((x) => x.name === PROPERTY.noEmpty)?.status).toBe('holds');
    }
  });

  it('timer: period 1 < gap 2 holds', () => {
    expect(run('timer', { period: '1', gap: '2' }).verdict).toBe('ok');
  });

  it('timer: the real boundary in discrete time is period <= gap + 1', () => {
    expect(run('timer', { period: '3', gap: '2', maxTicks: '5' }).verdict).toBe('ok');
    const r = run('timer', { period: '4', gap: '2', maxTicks: '5' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.ordered);
  });
});
