/**
 * Faults and recovery (PROTOCOL.md §8; the properties of §3 under faults; liveness): each fault preset passes every
 * property exhaustively with every fault and recovery step firing (golden counts pin the
 * behaviour); hand-driven paths through each recovery; bad fault configurations exit 2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../capture.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { main } from '../../checker/cli.ts';
import { type Action } from '../../model/actions.ts';
import { parseConfig } from '../../model/config.ts';
import { initStates } from '../../model/init.ts';
import { PRESETS } from '../../model/presets.ts';
import { notConverged, PROPERTY } from '../../model/properties.ts';
import { makeSetup } from '../../model/setup.ts';
import system from '../../model/system.ts';
import { CANONICAL_PRESETS } from '../../traces/vectors.ts';
import { FAULT_GOLDEN } from './golden.ts';
import { drive, issueAt, readyAndData, runInChildProcess, type Want } from './helpers.ts';
import type { CheckResult } from '../../checker/result.ts';

// The exhaustive checks run in a child process, off vitest's worker; each preset once
// (slot-fail serves both its golden count and the liveness test).
afterAll(stopChild);
const checked = new Map<string, Promise<CheckResult>>();
const run = (preset: string): Promise<CheckResult> => {
  let r = checked.get(preset);
  if (!r) checked.set(preset, (r = runInChildProcess(preset)));
  return r;
};

const golden = FAULT_GOLDEN;

// Every fault preset that holds is in the canonical vector suite: test/traces/vectors.test.ts
// checks each exhaustively (golden count, every property, every action firing) as it
// regenerates the suite, with golden.ts's expectHolds.
describe('fault presets hold exhaustively', () => {
  it('every fault preset that holds is checked with the canonical suite', () => {
    for (const p of Object.keys(golden)) expect(CANONICAL_PRESETS, p).toContain(p);
  });
});

/** The recovery of Fig 16/17 step by step: each secondary's step 302, then each primary's steps 304-306. */
const recoverAll: Want[] = [
  { type: 'SecRecover', blade: 0 },
  { type: 'SecRecover', blade: 1 },
  { type: 'Resend', blade: 0 },
  { type: 'Resend', blade: 1 },
];

const closeAndSend: Want[] = [
  ...issueAt(0, 0),
  { type: 'ShuttleArrive' }, // P0 increments: number 1 is w0's
  ...readyAndData(0),
  { type: 'ShuttleArrive' },
  { type: 'ShuttleArrive' }, // closes 1: w0 sent
];

describe('recovery paths', () => {
  it('link down loses what is in flight; Fig 16 recovery resends from the earliest unsynchronised entry', () => {
    const sent = drive('linkfail', closeAndSend);
    expect(sent.links[0]).toHaveLength(1);
    const down = drive('linkfail', [...closeAndSend, { type: 'LinkDown', from: 0, to: 0 }]);
    expect(down.links[0]).toEqual([]);
    expect(down.recoveryPending).toBe(true);
    const up = drive('linkfail', [...closeAndSend, { type: 'LinkDown', from: 0, to: 0 }, { type: 'LinkUp', from: 0, to: 0 }, ...recoverAll]);
    expect(up.links[0]).toHaveLength(1); // resent
    expect(up.recoveryPending).toBe(false);
  });

  it('Fig 17 keeps the entries before the first gap and drops those after it (Fig 17: entry 3 without entry 2)', () => {
    // linkfail17: chain 0 writes block 0 of device 0 twice (numbers 1 and 2); both go out on link P0→S0.
    const both: Want[] = [
      ...issueAt(0, 0),
      { type: 'ShuttleArrive', blade: 0 }, // P0 increments: number 1 is w0's
      ...readyAndData(0),
      { type: 'ShuttleArrive', blade: 1 },
      { type: 'HostAck', chain: 0 },
      { type: 'ShuttleArrive', blade: 0 }, // closes 1: w0 sent
      ...issueAt(0, 0),
      { type: 'ShuttleArrive', blade: 1 },
      { type: 'ShuttleArrive', blade: 0 }, // number 2 is w1's
      ...readyAndData(0),
      { type: 'ShuttleArrive', blade: 1 },
      { type: 'ShuttleArrive', blade: 0 }, // closes 2: w1 sent
    ];
    const s = drive('linkfail17', both);
    expect(s.links[0]!.map((m) => m.write)).toEqual([0, 1]);
    // Entry 2 (w1) arrives, entry 1 (w0) is lost with the link: a gap at the start.
    const gap = drive('linkfail17', [...both, { type: 'Deliver', from: 0, to: 0, index: 1 }, { type: 'LinkDown', from: 0, to: 0 }, { type: 'LinkUp', from: 0, to: 0 }, ...recoverAll]);
    expect(gap.secondaryBlades[0]!.journal).toEqual([]); // w1 came after the gap: dropped
    expect(gap.links[0]!.map((m) => m.write)).toEqual([0, 1]); // resent from w0
    // Entry 1 arrives, entry 2 is lost: nothing after a gap; the primary resends only entry 2.
    const prefix = drive('linkfail17', [...both, { type: 'Deliver', from: 0, to: 0, index: 0 }, { type: 'LinkDown', from: 0, to: 0 }, { type: 'LinkUp', from: 0, to: 0 }, ...recoverAll]);
    expect(prefix.secondaryBlades[0]!.journal.map((m) => m.write)).toEqual([0]);
    expect(prefix.links[0]!.map((m) => m.write)).toEqual([1]);
  });

  it('a second link failure in the middle of a recovery starts it over; the recovery then resends what was lost', () => {
    const params = { linkDown: '2' };
    const mid: Want[] = [...closeAndSend, { type: 'LinkDown', from: 0, to: 0 }, { type: 'LinkUp', from: 0, to: 0 }, { type: 'SecRecover', blade: 0 }];
    expect(drive('linkfail', mid, params).secRecovered).toBe(0b01);
    // Resend waits for every secondary's step 302.
    expect(() => drive('linkfail', [...mid, { type: 'Resend', blade: 0 }], params)).toThrow(/not enabled/);
    const again = drive('linkfail', [...mid, { type: 'LinkDown', from: 1, to: 1 }], params);
    expect(again.recoveryPending).toBe(true);
    expect(again.secRecovered).toBe(0); // every blade takes its step again
    const done = drive('linkfail', [...mid, { type: 'LinkDown', from: 1, to: 1 }, { type: 'LinkUp', from: 1, to: 1 }, ...recoverAll], params);
    expect(done.recoveryPending).toBe(false);
    expect(done.links[0]!.map((m) => m.write)).toEqual([0]); // resent
  });

  it('faults during recovery: every property holds with a second link failure, or a restart, between the recovery\'s steps', async () => {
    const pair = { ...(PRESETS.linkfail.json as object), workload: [[{ device: 0, block: 0 }, { device: 1, block: 0 }]] };
    for (const json of [
      { ...pair, faults: { linkDown: 2 } },
      { ...pair, faults: { linkDown: 1, bladeRestart: 1 }, recovery: 'fig17', journal: 'nonvolatile' },
    ]) {
      const r = await runInChild<CheckResult>('test/model/helpers.ts', 'runConfig', [json]);
      expect(r.verdict, r.counterexample?.explanation).toBe('ok');
      expect(r.neverFired).toEqual([]);
    }
  });

  it('a device-link failure triggers the group; later writes mark tracks invalid; repair copies them and resumes with a fresh sequence', () => {
    const t = drive('trigger', [{ type: 'DeviceLinkFail' }, { type: 'HostIssue', chain: 0 }]);
    expect(t.group).toBe('triggered');
    expect(t.writes[0]!.status).toBe(2); // acknowledged at once
    expect(t.invalidTracks[0]).toBe(0b1); // block 0 invalid on S0
    const r = drive('trigger', [{ type: 'DeviceLinkFail' }, { type: 'HostIssue', chain: 0 }, { type: 'Repair' }]);
    expect(r.group).toBe('resyncing');
    expect(r.primaryBlades.every((b) => b.curSlotNo === 3)).toBe(true); // fresh: highest in use (1) + 2
    const c = drive('trigger', [{ type: 'DeviceLinkFail' }, { type: 'HostIssue', chain: 0 }, { type: 'Repair' }, { type: 'CopyTrack' }]);
    expect(c.group).toBe('replicating');
    expect(c.secondaryBlades[0]!.device[0]).toBe(0);
    expect(c.invalidTracks).toEqual([0, 0]);
  });

  it('a volatile primary journal lost in a restart invalidates its unsynchronised tracks', () => {
    const s = drive('restart', [...issueAt(0, 0), { type: 'BladeRestart', side: 'primary', blade: 0 }]);
    expect(s.primaryBlades[0]!.journal).toEqual([]);
    expect(s.invalidTracks[0]).toBe(0b1);
    expect(s.group).toBe('triggered');
  });

  it('overflow with clear-and-invalidate clears the journal, invalidates and triggers', () => {
    const s = drive('overflow', [
      ...issueAt(0, 0),
      { type: 'ShuttleArrive' },
      { type: 'TransferReady', blade: 0 },
      { type: 'HostAck', chain: 0 },
      ...issueAt(0, 1),
      { type: 'ShuttleArrive' },
      { type: 'ShuttleArrive' },
      { type: 'TransferReady', blade: 1 },
      { type: 'HostAck', chain: 0 },
      { type: 'HostIssue', chain: 0 },
      { type: 'BladeStamp', blade: 0 }, // device 0's journal still holds w0: full
    ]);
    expect(s.group).toBe('triggered');
    expect(s.primaryBlades[0]!.journal).toEqual([]);
    expect(s.invalidTracks[0]).toBe(0b11); // w0's block and w2's block
  });

  it('a disaster stops the primary; failover installs the recoverable image', () => {
    const s = drive('disaster', [{ type: 'HostIssue', chain: 0 }, { type: 'Disaster' }]);
    expect(s.site).toBe('stopped');
    expect(system.fromPreset('disaster', { params: {} }).actions(s).some((a) => (a as Action).type === 'HostIssue' && system.fromPreset('disaster', { params: {} }).nextState(s, a))).toBe(false);
    const f = drive('disaster', [{ type: 'HostIssue', chain: 0 }, { type: 'Disaster' }, { type: 'Failover', blade: 0 }, { type: 'Failover', blade: 1 }]);
    expect(f.site).toBe('failed-over');
    // One secondary blade's step at a time: the site is failed over when the last has taken its step.
    const half = drive('disaster', [{ type: 'HostIssue', chain: 0 }, { type: 'Disaster' }, { type: 'Failover', blade: 0 }]);
    expect(half.site).toBe('stopped');
    expect(half.failedOver).toBe(0b01);
    expect(notConverged(f, makeSetup(parseConfig(PRESETS.disaster.json, 'disaster')))).toBeNull();
  });

  it('delayed apply holds a complete number back while a newer one may still come', () => {
    const path: Want[] = [
      ...issueAt(0, 0),
      { type: 'ShuttleArrive', blade: 0 },
      ...readyAndData(0),
      { type: 'ShuttleArrive', blade: 1 },
      { type: 'ShuttleArrive', blade: 0 }, // closes number 1: w0 sent
      { type: 'Deliver', from: 0, to: 0 },
    ];
    const secondaryCanStart = (params: Record<string, string>): boolean => {
      const m = system.fromPreset('rollback', { params });
      const s = drive('rollback', path, params);
      return (m.actions(s) as Action[]).some((a) => a.type === 'SecShuttleArrive' && m.nextState(s, a) !== undefined);
    };
    expect(secondaryCanStart({ delay: '0' })).toBe(true); // number 1 is complete
    expect(secondaryCanStart({})).toBe(false); // delay 1: held back (w0 unacknowledged, w1 to come)
  });

  it('rollback restores the primary from the secondary image', () => {
    const s = drive('rollback', [{ type: 'HostIssue', chain: 0 }, { type: 'HaltAndRestore' }]);
    expect(s.site).toBe('rolled-back');
    expect(s.restoredPrimary).toEqual([-1, -1]);
  });
});

describe('liveness (PROTOCOL.md §3), on the explored graph', () => {
  it('the ring shuttle with its incrementing blade failed stalls', async () => {
    const r = await run('ring-fail');
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.converges);
    expect(r.counterexample!.steps.some((x) => (x.action as Action | undefined)?.type === 'BladeFail')).toBe(true);
  });

  it('the slot shuttle with a failed blade does not', async () => {
    const r = await run('slot-fail');
    expect(r.verdict).toBe('ok');
    expect(r.properties.find((p) => p.name === PROPERTY.converges)?.status).toBe('holds');
  });

  it('the goal: drained and converged on every valid track; not while a trigger or recovery is pending', () => {
    const setup = makeSetup(parseConfig(PRESETS.trigger.json, 'trigger'));
    const s0 = initStates(setup)[0]!;
    expect(notConverged(s0, setup)).toMatch(/not issued/);
    // Every write of the chain issued (and acknowledged at once) while the group is triggered.
    const bypassed: Want[] = [{ type: 'DeviceLinkFail' }, ...setup.chains[0]!.map(() => ({ type: 'HostIssue', chain: 0 }) as const)];
    const done = drive('trigger', bypassed);
    expect(notConverged(done, setup)).toMatch(/triggered/);
    const repaired = drive('trigger', [...bypassed, { type: 'Repair' }]);
    expect(notConverged(repaired, setup)).toMatch(/invalid tracks/);
  });
});

describe('bad fault configurations exit 2 with a one-line message', () => {
  const cli = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, { stdout, stderr }));
  const cases: [string[], RegExp][] = [
    [['--param', 'linkDown=-1'], /"faults\.linkDown" must be an integer in \[0, 4\], got -1/],
    [['--param', 'bladeRestart=x'], /"faults\.bladeRestart" must be an integer in \[0, 4\], got "x"/],
    [['--param', 'recovery=fig18'], /"recovery" must be one of "fig16", "fig17", got "fig18"/],
    [['--param', 'overflow=drop'], /"overflow" must be one of "backpressure", "clear-invalidate", got "drop"/],
    [['--param', 'journal=flash'], /"journal" must be one of "volatile", "nonvolatile", got "flash"/],
    [['--param', 'mode=async'], /"mode" must be one of "wan-blade", "synchronous", "semi-synchronous", "background", got "async"/],
    [['--param', 'disaster=maybe'], /"faults\.disaster" must be true or false, got "maybe"/],
    [['--param', 'delay=-2'], /"delay" must be an integer in \[0, 4\], got -2/],
  ];
  for (const [args, msg] of cases) {
    it(args.join(' '), async () => {
      const r = await cli('--preset', 'tiny', '--quiet', ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    });
  }
  it('an unknown fault kind names the known ones', () => {
    expect(() => system.fromConfig({ ...PRESETS.tiny.json, faults: { meteor: 1 } }, 'config.json', { params: {} })).toThrow(
      /^config\.json: unknown field "faults\.meteor" \(known: linkDown, deviceLinkFail, bladeRestart, bladeFail, disaster\)$/,
    );
  });
});
