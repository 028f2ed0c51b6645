/**
 * Every preset passes every property exhaustively (BFS). Golden state counts pin the
 * model's behaviour: a change in them is a change in the protocol and must be explained.
 */
import { afterAll, describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { stopChild } from '../inChild.ts';
import { CANONICAL_PRESETS } from '../../traces/vectors.ts';
import { CHECKED_WITH_PARAMS, expectHolds, PRESET_GOLDEN } from './golden.ts';
import { drive, issueAt, runInChildProcess as run } from './helpers.ts';

// The checks run in a child process (the default preset alone is seconds of synchronous work).
afterAll(stopChild);

const golden = PRESET_GOLDEN;

describe('presets', () => {
  it('lists the fault-free presets first, then the fault and related-art presets, then several groups, with default as the default', () => {
    expect(system.presets.slice(0, 5)).toEqual(['tiny', 'default', 'ring', 'timer', 'fanout']);
    expect(system.presets.slice(5)).toEqual(['linkfail', 'linkfail17', 'trigger', 'restart', 'overflow', 'disaster', 'rollback', 'ring-fail', 'slot-fail', 'sync', 'semisync', 'background', 'groups']);
    expect(system.defaultPreset).toBe('default');
    for (const p of system.presets) expect(system.describePreset!(p).length).toBeGreaterThan(10);
  });

  // The canonical suite's presets (tiny, fanout, ring, timer) are checked by
  // test/traces/vectors.test.ts, whose regeneration of the suite runs exactly this check.
  for (const preset of Object.keys(golden).filter((p) => !CANONICAL_PRESETS.includes(p))) {
    it(`${preset}: every property holds, exhaustively`, async () => {
      const r = await run(preset);
      expect(r.verdict, r.counterexample?.explanation).toBe('ok');
      expectHolds(preset, r);
    });
  }

  it('a small journal exercises back-pressure (Fig 3 step 84) and still holds', async () => {
    const r = await run('default', CHECKED_WITH_PARAMS[0]!.params as Record<string, string>);
    expect(r.verdict).toBe('ok');
    // w3's command reaches P0 while w0 fills its one-record journal: the device waits (step 84).
    const params = { journalCapacity: '1' };
    const path = [
      ...issueAt(0, 0),
      ...issueAt(1, 1),
      { type: 'ShuttleArrive', blade: 0 } as const, // P0 increments: number 1 closes later
      { type: 'TransferReady', blade: 0 } as const,
      { type: 'HostAck', chain: 0 } as const,
      { type: 'ShuttleArrive', blade: 1 } as const,
      { type: 'TransferReady', blade: 1 } as const,
      { type: 'HostAck', chain: 1 } as const,
      { type: 'HostIssue', chain: 1 } as const, // w3, to device 0
    ];
    const s = drive('default', path, params);
    expect(s.deviceWaiting[0]).toEqual([3]);
    expect(s.primaryBlades[0]!.journal.map((x) => x.write)).toEqual([0]);
    expect(() => drive('default', [...path, { type: 'BladeStamp', blade: 0 }], params)).toThrow(/not enabled/);
    // With room (the default journal of 2) the command is stamped.
    expect(drive('default', [...path, { type: 'BladeStamp', blade: 0 }]).deviceWaiting[0]).toEqual([]);
  });

  it('the sequence-number bound is reported when it cuts the search', async () => {
    const r = await run('ring', { maxSeq: '3' });
    expect(r.verdict).toBe('ok');
    expect(r.boundaryCut).toBeGreaterThan(0);
  });
});
