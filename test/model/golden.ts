/**
 * Golden state counts: the number of distinct states of each preset, exhaustively (BFS). They
 * pin the model's behaviour: a change in them is a change in the protocol and must be
 * explained. presets.test.ts checks the fault-free presets (and `default` with a journal of
 * one record), faults.test.ts the fault and related-art presets, groups.test.ts several
 * consistency groups, each with every property; the mutant zoo (mutants.test.ts) relies on
 * those runs for its unmutated baselines there.
 */

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
  linkfail: 101425,
  linkfail17: 201187,
  trigger: 54796,
  restart: 104027,
  overflow: 1183,
  disaster: 37965,
  rollback: 386,
  'slot-fail': 6097,
  sync: 159,
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
