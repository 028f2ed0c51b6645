/**
 * Golden state counts: the number of distinct states of each preset, exhaustively (BFS). They
 * pin the model's behaviour: a change in them is a change in the protocol and must be
 * explained. Each preset is checked exhaustively with every property once in the suite: those
 * of the canonical vector suite (traces/vectors.ts CANONICAL_PRESETS) by
 * test/traces/vectors.test.ts, whose regeneration of the suite runs exactly that check; the
 * others (`default`, also with a journal of one record) by presets.test.ts; several consistency
 * groups by groups.test.ts. The mutant zoo (mutants.test.ts) relies on those runs for its
 * unmutated baselines there. `expectHolds` is the one set of assertions each applies.
 */
import { expect } from 'vitest';
import { PROPERTY } from '../../model/properties.ts';
import type { PresetCheck } from '../../traces/suite.ts';

/** Fault-free presets; `cut`: whether the model's own bound cuts the search. */
export const PRESET_GOLDEN: Readonly<Record<string, { readonly states: number; readonly cut: 'none' | 'some' }>> = {
  tiny: { states: 133, cut: 'none' },
  fanout: { states: 15382, cut: 'none' },
  ring: { states: 81295, cut: 'none' },
  timer: { states: 84030, cut: 'some' },
  default: { states: 769781, cut: 'none' },
};

/** Fault and related-art presets that hold. */
export const FAULT_GOLDEN: Readonly<Record<string, number>> = {
  linkfail: 167469,
  linkfail17: 22424,
  trigger: 54796,
  restart: 162789,
  overflow: 1183,
  disaster: 52636,
  rollback: 386,
  'slot-fail': 6097,
  sync: 256,
};

/** Several consistency groups (Fig 11): the product of each group's own states. */
export const GROUPS_GOLDEN: Readonly<Record<string, number>> = {
  groups: 18283, // 389 (G1 alone) x 47 (G2 alone)
};

/** The presets with parameters that presets.test.ts also checks exhaustively, every property holding. */
export const CHECKED_WITH_PARAMS: readonly { readonly preset: string; readonly params: Readonly<Record<string, string>> }[] = [
  { preset: 'default', params: { journalCapacity: '1' } },
];

/** Whether a test file checks (preset, params) exhaustively with every property (and asserts that they hold). */
export const checkedElsewhere = (preset: string, params: Readonly<Record<string, string>> = {}): boolean =>
  Object.keys(params).length === 0
    ? preset in PRESET_GOLDEN || preset in FAULT_GOLDEN || preset in GROUPS_GOLDEN
    : CHECKED_WITH_PARAMS.some((c) => c.preset === preset && JSON.stringify(c.params) === JSON.stringify(params));

/** What an exhaustive check of a preset reports: the suite's PresetCheck, which a CheckResult also is. */
export type PresetRun = PresetCheck;

/** The golden count of a preset of PRESET_GOLDEN or FAULT_GOLDEN, and whether its own bound cuts it. */
export const goldenOf = (preset: string): { readonly states: number; readonly cut: 'none' | 'some' } | undefined =>
  PRESET_GOLDEN[preset] ?? (preset in FAULT_GOLDEN ? { states: FAULT_GOLDEN[preset]!, cut: 'none' } : undefined);

/**
 * A preset that holds: every property holds, exhaustively, with its golden count; the slot
 * shuttle's error branch (Fig 19A step 358) is never taken; "no empty sequence number" is
 * checked (and holds) wherever the slot shuttle runs; every property asked of the
 * system is checked; every action kind the configuration can produce fires.
 */
export const expectHolds = (preset: string, r: PresetRun): void => {
  const golden = goldenOf(preset);
  expect(golden, `${preset} has a golden count`).toBeDefined();
  expect(r.verdict, preset).toBe('ok');
  expect(r.distinctStates, preset).toBe(golden!.states);
  if (golden!.cut === 'none') expect(r.boundaryCut, preset).toBe(0);
  else expect(r.boundaryCut, preset).toBeGreaterThan(0);
  const status = (name: string): string | undefined => r.properties.find((p) => p.name === name)?.status;
  expect(status(PROPERTY.slot), preset).toBe('holds');
  // The slot shuttle never closes an empty number; the ring (its known drawback) and the timer leave the check out.
  expect(status(PROPERTY.noEmpty), preset).toBe(['ring', 'timer'].includes(preset) ? undefined : 'holds');
  const names = r.properties.map((p) => p.name);
  for (const n of [PROPERTY.consistency, PROPERTY.ordered, PROPERTY.deletion, PROPERTY.applyOrder, PROPERTY.totals, PROPERTY.monotonic, PROPERTY.regression, PROPERTY.persistence, PROPERTY.noLoss, PROPERTY.converges, 'deadlock']) {
    expect(names, preset).toContain(n);
  }
  for (const p of r.properties) expect(p.status, `${preset}: ${p.name}`).toBe('holds');
  expect(r.neverFired, preset).toEqual([]);
};
