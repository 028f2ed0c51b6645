/** Shared helpers for the model tests. */
import { check } from '../../checker/check.ts';
import type { CheckResult } from '../../checker/result.ts';
import type { Action } from '../../model/actions.ts';
import type { State } from '../../model/state.ts';
import { GROUPS_PROPERTY } from '../../model/groupsProperties.ts';
import { PRESETS } from '../../model/presets.ts';
import system from '../../model/system.ts';
import { runInChild } from '../inChild.ts';
import { fingerprint, fingerprintHex } from '../../checker/fingerprint.ts';
import { forEachReachable } from '../../model/reachableStates.ts';

export const run = (preset: string, params: Record<string, string> = {}, mutant?: string): CheckResult =>
  check(system.fromPreset(preset, { params, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });

export const runConfig = (json: unknown, mutant?: string): CheckResult =>
  check(system.fromConfig(json, 'test.json', { params: {}, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });

/**
 * `run` in the test file's child process (inChild.ts): an exhaustive check of a preset takes
 * seconds of synchronous work, which must not block vitest's worker.
 */
export const runInChildProcess = (preset: string, params: Record<string, string> = {}, mutant?: string): Promise<CheckResult> =>
  runInChild<CheckResult>('test/model/helpers.ts', 'run', [preset, params, mutant]);

/**
 * `run` of the temporal properties alone: without the reachability property and with every
 * terminal state accepted (a deadlock is then a behaviour that stays there forever), so the
 * temporal verdict shows even where those would be reported first.
 */
export const runTemporal = (preset: string, mutant?: string): CheckResult => {
  const m = system.fromPreset(preset, { params: {}, ...(mutant ? { mutant } : {}) });
  const { isTerminalOk: _ok, ...rest } = m;
  return check({ ...rest, reachability: [], terminalOk: 'always' }, { strategy: 'bfs' });
};

export const runTemporalInChild = (preset: string, mutant?: string): Promise<CheckResult> =>
  runInChild<CheckResult>('test/model/helpers.ts', 'runTemporal', [preset, mutant]);

/** A step of a hand-made path: the action's type and any of its fields. */
export type Want = { readonly type: Action['type'] } & Readonly<Record<string, unknown>>;

/** The state after `steps` (each the first enabled action matching it) from the preset's initial state. */
export const drive = (preset: string, steps: readonly Want[], params: Record<string, string> = {}): State => {
  const m = system.fromPreset(preset, { params });
  let s = m.initStates()[0] as State;
  for (const want of steps) {
    const next = (m.actions(s) as Action[])
      .filter((a) => Object.entries(want).every(([k, v]) => (a as Record<string, unknown>)[k] === v))
      .map((a) => m.nextState(s, a) as State | undefined)
      .find((x) => x !== undefined);
    if (!next) throw new Error(`not enabled: ${JSON.stringify(want)}`);
    s = next;
  }
  return s;
};

/** The write command reaches the blade, which stamps it (Fig 10 steps 182-188). */
export const issueAt = (chain: number, blade: number): Want[] => [
  { type: 'HostIssue', chain },
  { type: 'BladeStamp', blade },
];

/** Once the number moved on: transfer ready and the data (Fig 10 steps 190, 194). */
export const readyAndData = (blade: number): Want[] => [
  { type: 'TransferReady', blade },
  { type: 'DataTransfer', blade },
];

/** The fingerprints of every reachable state of a preset (small ones: the list crosses processes). */
export const reachableKeys = (preset: string, params: Record<string, string> = {}): string[] => {
  const keys: string[] = [];
  forEachReachable(system.fromPreset(preset, { params }), (s) => keys.push(fingerprintHex(fingerprint(s))));
  return keys;
};

export const reachableKeysInChild = (preset: string, params: Record<string, string> = {}): Promise<string[]> =>
  runInChild<string[]>('test/model/helpers.ts', 'reachableKeys', [preset, params]);

/** `runConfig` without the temporal properties (their check is most of the time of a run). */
export const runConfigWithoutTemporal = (json: unknown): CheckResult => check(system.fromConfig(json, 'test.json', { params: {} }), { temporal: false });

/** Each group of the groups preset checked alone, as one system: its distinct states. */
export const groupStatesAlone = (): number[] =>
  PRESETS.groups.json.groups.map((g, k) => check(system.fromConfig(g, `G${k + 1}.json`, { params: {} }), { temporal: false }).distinctStates);

/** The groups preset with a mutant and without the independence properties: what else would catch it. */
export const withoutIndependence = (mutant: string): CheckResult => {
  const m = system.fromPreset('groups', { params: {}, mutant });
  const independence: readonly string[] = Object.values(GROUPS_PROPERTY);
  return check({ ...m, actionProperties: (m.actionProperties ?? []).filter((p: { name: string }) => !independence.includes(p.name)) }, { temporal: false });
};
