/**
 * Several consistency groups (Fig 11, PROTOCOL.md §10): the groups preset passes every
 * property exhaustively (golden count); the groups operate independently, so the composed
 * state space is exactly the product of each group's own; the mutants of the composition are
 * caught by the independence properties and only by them; bad configurations are refused with
 * the field named; the conformance suite leaves the composition's mutants out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { isInputError } from '../../checker/errors.ts';
import type { CheckResult } from '../../checker/result.ts';
import { GROUPS_PROPERTY } from '../../model/groupsProperties.ts';
import type { GroupAction, GroupsState } from '../../model/groups.ts';
import { MUTANTS } from '../../model/config.ts';
import { GROUP_MUTANTS } from '../../model/groupsConfig.ts';
import { PRESETS } from '../../model/presets.ts';
import { PROPERTY } from '../../model/properties.ts';
import system from '../../model/system.ts';
import { conformanceMutants, mutantPairs } from '../../traces/conform.ts';
import { suiteMutants } from '../../traces/vectors.ts';
import { runInChild, stopChild } from '../inChild.ts';
import { GROUPS_GOLDEN } from './golden.ts';
import { runInChildProcess } from './helpers.ts';

afterAll(stopChild);

const groupsJson = PRESETS.groups.json;

const rejects = (json: unknown, pattern: RegExp, options: { mutant?: string; params?: Record<string, string> } = {}): void => {
  let err: unknown;
  try {
    system.fromConfig(json, 'groups.json', { params: options.params ?? {}, ...(options.mutant ? { mutant: options.mutant } : {}) });
  } catch (e) {
    err = e;
  }
  expect(isInputError(err), String(err)).toBe(true);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
};

const patched = (patch: (j: Record<string, any>) => void): unknown => {
  const j = structuredClone(groupsJson) as Record<string, any>;
  patch(j);
  return j;
};

describe('several consistency groups (Fig 11)', () => {
  it('the groups preset: every property holds, exhaustively; golden count; every action of both groups fires', async () => {
    const r = await runInChildProcess('groups');
    expect(r.verdict, r.counterexample?.explanation).toBe('ok');
    expect(r.distinctStates).toBe(GROUPS_GOLDEN.groups);
    expect(r.boundaryCut).toBe(0);
    expect(r.neverFired).toEqual([]);
    const status = Object.fromEntries(r.properties.map((p) => [p.name, p.status]));
    for (const name of Object.values(GROUPS_PROPERTY)) expect(status[name], name).toBe('holds');
    // Each group's own properties, named after it, hold on its own state.
    for (const g of ['G1', 'G2']) {
      for (const p of [PROPERTY.consistency, PROPERTY.noLoss, PROPERTY.deletion, PROPERTY.applyOrder, PROPERTY.converges, PROPERTY.resumedClean]) expect(status[`${g}: ${p}`], `${g}: ${p}`).toBe('holds');
      expect(status[`${g}: w0 acknowledged ~> applied at every secondary`]).toBe('holds');
    }
    expect(status['deadlock']).toBe('holds');
    expect(r.coverage['G1.DeviceLinkFail']).toBeGreaterThan(0);
    expect(r.coverage['G1.CopyTrack']).toBeGreaterThan(0);
  });

  it('independent groups: the composed states are exactly the product of each group\'s states alone', async () => {
    const alone = await runInChild<number[]>('test/model/helpers.ts', 'groupStatesAlone');
    expect(alone).toEqual([389, 47]);
    expect(alone[0]! * alone[1]!).toBe(GROUPS_GOLDEN.groups);
  });

  it('every kind of event of one group leaves the other alone: a link failure and Fig 16 recovery, an overflow that clears and invalidates, a volatile blade restart', async () => {
    const one = (extra: object, workload: object[][] = [[{ device: 0, block: 0 }]], blocksPerDevice = 1, journalCapacity = 2) => ({
      primary: { blades: 1, blocksPerDevice, journalCapacity, service: [[0]] },
      secondary: { blades: 1 },
      network: 'fifo',
      sequencer: { kind: 'slot' },
      workload,
      ...extra,
    });
    const linkfail = one({ faults: { linkDown: 1 } });
    const overflow = one({ overflow: 'clear-invalidate' }, [[{ device: 0, block: 0 }, { device: 0, block: 1 }]], 2, 1);
    const restart = one({ faults: { bladeRestart: 1 }, journal: 'volatile' });
    const plain = one({});
    // Each pair mirrors Fig 11: each group's primary device is on a box where the other has its secondary.
    const crossed = [
      { box: 'x', devices: [{ group: 0, primary: 0 }, { group: 1, secondary: 0 }] },
      { box: 'y', devices: [{ group: 1, primary: 0 }, { group: 0, secondary: 0 }] },
    ];
    // Without the temporal properties (the preset's run above checks them per group): the runs stay short.
    const alone = async (json: object): Promise<number> => (await runInChild<CheckResult>('test/model/helpers.ts', 'runConfigWithoutTemporal', [json])).distinctStates;
    for (const groups of [[linkfail, overflow], [restart, plain]]) {
      const r = await runInChild<CheckResult>('test/model/helpers.ts', 'runConfigWithoutTemporal', [{ groups, shared: crossed }]);
      expect(r.verdict, r.counterexample?.explanation).toBe('ok');
      // The composed states are the product of each group's states alone.
      const product = (await alone(groups[0]!)) * (await alone(groups[1]!));
      expect(product).toBeGreaterThan(500);
      expect(r.distinctStates).toBe(product);
      expect(r.neverFired).toEqual([]);
    }
  });

  it('shared-box-not-ready: one group\'s trigger freezes the other, caught in one step by "other groups\' steps unaffected"', async () => {
    const r = await runInChildProcess('groups', {}, 'shared-box-not-ready');
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(GROUPS_PROPERTY.unaffected);
    expect(r.counterexample!.steps.length - 1).toBe(1);
    expect(r.counterexample!.explanation).toBe("G1's DeviceLinkFail device 0–P0 (group triggers) stopped G2's HostIssue chain 0");
  });

  it('box-failure-triggers-all: one group\'s device-link failure triggers the other, caught in one step by "other groups untouched"', async () => {
    const r = await runInChildProcess('groups', {}, 'box-failure-triggers-all');
    expect(r.property).toBe(GROUPS_PROPERTY.untouched);
    expect(r.counterexample!.steps.length - 1).toBe(1);
    expect(r.counterexample!.explanation).toMatch(/^G1's DeviceLinkFail .* changed G2's group \(G2 went from replicating to triggered\)$/);
    const last = r.counterexample!.steps.at(-1)!.state as GroupsState;
    expect(last.groups.map((g) => g.group)).toEqual(['triggered', 'triggered']);
  });

  it('only the independence properties catch the freeze: without them the mutant passes every other check (the frozen group resumes after the repair)', async () => {
    const r = await runInChild<CheckResult>('test/model/helpers.ts', 'withoutIndependence', ['shared-box-not-ready']);
    expect(r.verdict).toBe('ok');
    expect(r.distinctStates).toBe(GROUPS_GOLDEN.groups);
  });

  it('a protocol mutant applies to every group, and is caught in a group named by the property', () => {
    const r = check(system.fromPreset('groups', { params: {}, mutant: 'delete-on-sent' }), { temporal: false });
    expect(r.property).toMatch(/^G[12]: safe journal deletion$/);
    expect(system.fromPreset('groups', { params: {}, mutant: 'delete-on-sent' }).name).toBe('groups [mutant delete-on-sent]');
  });

  it('--param sets the field in every group; the preset\'s configuration with parameters is written out whole', () => {
    const json = system.presetConfig!('groups', { maxSeq: '3' }) as { groups: { bounds: { maxSeq: number } }[]; shared: unknown[] };
    expect(json.groups.map((g) => g.bounds.maxSeq)).toEqual([3, 3]);
    expect(json.shared).toEqual(groupsJson.shared);
    expect(system.fromConfig(json, 'again.json', { params: {} }).name).toBe('again.json');
  });

  it('refuses a bad groups configuration with the field named', () => {
    rejects(patched((j) => j.groups.pop()), /^groups\.json: "groups" must have at least 2 elements/);
    rejects(patched((j) => (j.groups[1].primary.blades = 0)), /^groups\.json: groups\[1\]: "primary\.blades" must be an integer in \[1, 8\], got 0$/);
    rejects(patched((j) => (j.shared[0].devices[1] = { group: 1, secondary: 5 })), /"shared\[0\]\.devices\[1\]\.secondary" must be an integer in \[0, 1\], got 5/);
    rejects(patched((j) => (j.shared[0].devices[1] = { group: 2, secondary: 0 })), /"shared\[0\]\.devices\[1\]\.group" must be an integer in \[0, 1\], got 2/);
    rejects(patched((j) => (j.shared[0].devices[1] = { group: 1, primary: 0, secondary: 0 })), /"shared\[0\]\.devices\[1\]" must name exactly one of "primary" and "secondary"/);
    rejects(patched((j) => (j.shared[0].devices = [{ group: 0, primary: 0 }, { group: 0, secondary: 2 }])), /"shared\[0\]\.devices" must hold at most one device of each group \(G1 appears twice\)/);
    rejects(patched((j) => (j.shared[1].devices[0] = { group: 0, primary: 0 })), /"shared\[1\]\.devices\[0\]" names G1's primary device 0, which is already on box "202"/);
    rejects(patched((j) => (j.shared[1].box = '202')), /"shared\[1\]\.box" must differ from every other shared box/);
    rejects(patched((j) => (j.shared[0].box = '')), /"shared\[0\]\.box" must be a name/);
    rejects(patched((j) => (j.shared[0].devices = [{ group: 0, primary: 0 }])), /"shared\[0\]\.devices" must have at least 2 elements/);
    rejects(patched((j) => (j.extra = 1)), /unknown field "extra" \(known: groups, shared, mutant\)/);
    rejects(groupsJson, /^--mutant: unknown mutant "bogus" \(known: ack-before-increment, .*shared-box-not-ready/, { mutant: 'bogus' });
    rejects(PRESETS.tiny.json, /^groups\.json: mutant "shared-box-not-ready" breaks how several consistency groups run together/, { mutant: 'shared-box-not-ready' });
  });

  it('draws each group in its own lanes, a device on a shared box named after the box', () => {
    const model = system.fromPreset('groups', { params: {} });
    const [init] = model.initStates();
    expect(model.view!.lanes(init)).toEqual([
      'G1 host', 'G1 D0 @202', 'G1 P0', 'G1 S0', 'G1 S1', 'G1 S2', 'G1 SD0 @203', 'G1 SD1 @204', 'G1 SD2',
      'G2 host', 'G2 D0 @204', 'G2 P0', 'G2 S0', 'G2 S1', 'G2 SD0 @202', 'G2 SD1 @203',
    ]);
    const x: GroupAction = { group: 1, action: { type: 'HostIssue', chain: 0 } };
    const after = model.nextState(init, x);
    expect(model.view!.events(init, x, after)).toEqual(expect.arrayContaining([{ from: 'G2 host', to: 'G2 D0 @204', label: 'write w0' }]));
    // A step that changes another group (only a mutant does) marks that group too.
    const broken = system.fromPreset('groups', { params: {}, mutant: 'box-failure-triggers-all' });
    const fail: GroupAction = { group: 0, action: { type: 'DeviceLinkFail', device: 0 } };
    expect(broken.view!.events(init, fail, broken.nextState(init, fail))).toEqual([
      { from: 'G1 D0 @202', to: 'G1 P0', label: 'device link fails', mark: 'fault' },
      { from: 'G2 host', to: 'G2 host', label: "changed by G1's step: triggered", mark: 'fault' },
    ]);
  });

  it('the conformance suite and score leave out the composition\'s mutants (one implementation\'s trace cannot show them)', () => {
    const inSuite = suiteMutants(system, true).map(([m]) => m);
    const scored = conformanceMutants(system);
    const paired = mutantPairs(system, 'all').map(([m]) => m);
    for (const m of GROUP_MUTANTS) {
      expect(system.mutants).toContain(m);
      expect(inSuite).not.toContain(m);
      expect(scored).not.toContain(m);
      expect(paired).not.toContain(m);
      expect(() => mutantPairs(system, [m])).toThrow(/no vector for it/);
    }
    // The protocol's mutants, and they alone, as before there were groups.
    expect([...inSuite].sort()).toEqual([...MUTANTS].sort());
    expect(scored).toEqual([...MUTANTS]);
  });
});
