/**
 * Every preset passes every property exhaustively (BFS). Golden state counts pin the
 * model's behaviour: a change in them is a change in the protocol and must be explained.
 */
import { afterAll, describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { PROPERTY } from '../../model/properties.ts';
import { stopChild } from '../inChild.ts';
import { runInChildProcess as run } from './helpers.ts';

// The checks run in a child process (the default preset alone is seconds of synchronous work).
afterAll(stopChild);

const golden: Record<string, { states: number; cut: 'none' | 'some' }> = {
  tiny: { states: 73, cut: 'none' },
  fanout: { states: 11752, cut: 'none' },
  ring: { states: 35167, cut: 'none' },
  timer: { states: 33292, cut: 'some' },
  default: { states: 225317, cut: 'none' },
};

describe('presets', () => {
  it('lists the fault-free presets first, then the fault and related-art presets, with default as the default', () => {
    expect(system.presets.slice(0, 5)).toEqual(['tiny', 'default', 'ring', 'timer', 'fanout']);
    expect(system.presets.slice(5)).toEqual(['linkfail', 'linkfail17', 'trigger', 'restart', 'overflow', 'disaster', 'rollback', 'ring-fail', 'slot-fail', 'sync', 'semisync', 'background']);
    expect(system.defaultPreset).toBe('default');
    for (const p of system.presets) expect(system.describePreset!(p).length).toBeGreaterThan(10);
  });

  for (const preset of Object.keys(golden)) {
    it(`${preset}: every property holds, exhaustively`, async () => {
      const r = await run(preset);
      expect(r.verdict, r.counterexample?.explanation).toBe('ok');
      expect(r.distinctStates).toBe(golden[preset]!.states);
      if (golden[preset]!.cut === 'none') expect(r.boundaryCut).toBe(0);
      else expect(r.boundaryCut).toBeGreaterThan(0);
      // The slot-shuttle error branch (Fig 19A step 358) is never taken.
      const slot = r.properties.find((p) => p.name === PROPERTY.slot);
      expect(slot?.status).toBe('holds');
      // The slot shuttle never closes an empty number; the other sequencers leave the check out.
      expect(r.properties.find((p) => p.name === PROPERTY.noEmpty)?.status).toBe(['tiny', 'fanout', 'default'].includes(preset) ? 'holds' : undefined);
      // Every property the issue asks for is checked in every preset.
      const names = r.properties.map((p) => p.name);
      for (const n of [PROPERTY.consistency, PROPERTY.ordered, PROPERTY.deletion, PROPERTY.applyOrder, PROPERTY.totals, PROPERTY.monotonic, PROPERTY.regression, PROPERTY.persistence, 'deadlock']) {
        expect(names).toContain(n);
      }
      // Every action kind the configuration can produce fires.
      expect(r.neverFired).toEqual([]);
    });
  }

  it('a small journal exercises back-pressure (Fig 3 step 84) and still holds', async () => {
    const r = await run('default', { journalCapacity: '1' });
    expect(r.verdict).toBe('ok');
    expect(r.coverage['BladeAccept']).toBeGreaterThan(0);
  });

  it('the sequence-number bound is reported when it cuts the search', async () => {
    const r = await run('ring', { maxSeq: '3' });
    expect(r.verdict).toBe('ok');
    expect(r.boundaryCut).toBeGreaterThan(0);
  });
});
