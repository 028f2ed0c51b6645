/**
 * The properties of several consistency groups (PROTOCOL.md §10): the groups operate
 * independently (Fig 11), and each group's own properties (PROTOCOL.md §3, §8) hold on its
 * own state, named after the group ("G1: recoverable consistency").
 */
import type { ActionProperty, Fairness, Invariant, ReachabilityProperty, TemporalProperty } from '../checker/model.ts';
import { equalValues } from '../checker/structural.ts';
import { type Action, candidates, FAULT_ACTIONS, formatAction } from './actions.ts';
import { type GroupAction, type GroupsSetup, type GroupsState, groupStep } from './groups.ts';
import { fairnessFor, temporalFor } from './liveness.ts';
import { actionPropertiesFor, invariantsFor, notConverged, PROPERTY, reachabilityFor } from './properties.ts';
import type { State } from './state.ts';

export const GROUPS_PROPERTY = {
  untouched: 'other groups untouched',
  unaffected: "other groups' steps unaffected",
} as const;

/** How a step of the composition reads in an explanation: "G1's DeviceLinkFail device 0–P0 (group triggers)". */
export const describeStep = (gs: GroupsSetup, x: GroupAction): string => `${gs.labels[x.group]}'s ${formatAction(x.action)}`;

/** Group m's state is the same in `b` and `a` (most often the very same object). */
const unchanged = (b: GroupsState, a: GroupsState, m: number): boolean => b.groups[m] === a.groups[m] || equalValues(b.groups[m], a.groups[m]);

/** A step of group k changed another group's state: the first one it changed, described, or null. */
const touched = (gs: GroupsSetup, b: GroupsState, x: GroupAction, a: GroupsState): string | null => {
  for (let m = 0; m < b.groups.length; m++) {
    if (m === x.group || unchanged(b, a, m)) continue;
    const [p, q] = [b.groups[m]!, a.groups[m]!];
    const fields = (Object.keys(p) as (keyof State)[]).filter((f) => !equalValues(p[f], q[f]));
    return `${describeStep(gs, x)} changed ${gs.labels[m]}'s ${fields.join(', ')}${p.group !== q.group ? ` (${gs.labels[m]} went from ${p.group} to ${q.group})` : ''}`;
  }
  return null;
};

/** A candidate action of a group, and the state of that group it leads to (undefined: not enabled). */
interface Move {
  readonly action: Action;
  readonly to: State | undefined;
}
type MovesCache = WeakMap<GroupsState, Move[][]>;

/**
 * What group m can do in `s`, through the composition's own step (so whatever another group's
 * state does to m's steps shows). Cached per composed state: every step out of a state
 * compares against the same list.
 */
const movesOf = (gs: GroupsSetup, cache: MovesCache, s: GroupsState, m: number): Move[] => {
  let perGroup = cache.get(s);
  if (!perGroup) cache.set(s, (perGroup = []));
  return (perGroup[m] ??= candidates(s.groups[m]!, gs.setups[m]!).map((action) => ({ action, to: groupStep(s, gs, { group: m, action })?.groups[m] })));
};

/**
 * A step of group k changed what another group m can do: a step of m enabled before and not
 * after (stopped), or the reverse (started), or leading elsewhere. Only judged where m's own
 * state is unchanged, so m has the same candidates (otherwise "other groups untouched"
 * reports the step).
 */
const affected = (gs: GroupsSetup, cache: MovesCache) => (b: GroupsState, x: GroupAction, a: GroupsState): string | null => {
  for (let m = 0; m < b.groups.length; m++) {
    if (m === x.group || !unchanged(b, a, m)) continue;
    const before = movesOf(gs, cache, b, m);
    const after = movesOf(gs, cache, a, m);
    for (let n = 0; n < before.length; n++) {
      const [p, q] = [before[n]!.to, after[n]!.to];
      if (p === q || (p !== undefined && q !== undefined && equalValues(p, q))) continue;
      const what = p === undefined ? 'started' : q === undefined ? 'stopped' : 'changed where it leads:';
      return `${describeStep(gs, x)} ${what} ${gs.labels[m]}'s ${formatAction(before[n]!.action)}`;
    }
  }
  return null;
};

/** The independence of the groups (Fig 11: the groups "may operate independently"). */
const independence = (gs: GroupsSetup): ActionProperty<GroupsState, GroupAction>[] => {
  const cache: MovesCache = new WeakMap();
  const unaffected = affected(gs, cache);
  return [
    { name: GROUPS_PROPERTY.untouched, holds: (b, x, a) => touched(gs, b, x, a) === null, explain: (b, x, a) => touched(gs, b, x, a) ?? '' },
    { name: GROUPS_PROPERTY.unaffected, holds: (b, x, a) => unaffected(b, x, a) === null, explain: (b, x, a) => unaffected(b, x, a) ?? '' },
  ];
};

/** Each group's invariants on its own state. */
export const groupInvariants = (gs: GroupsSetup): Invariant<GroupsState>[] =>
  gs.setups.flatMap((setup, k) =>
    invariantsFor(setup).map((p) => ({
      name: `${gs.labels[k]}: ${p.name}`,
      holds: (s: GroupsState) => p.holds(s.groups[k]!),
      explain: (s: GroupsState) => p.explain?.(s.groups[k]!) ?? '',
    })),
  );

/** Independence first, then each group's action properties on its own steps. */
export const groupActionProperties = (gs: GroupsSetup): ActionProperty<GroupsState, GroupAction>[] => [
  ...independence(gs),
  ...gs.setups.flatMap((setup, k) =>
    actionPropertiesFor(setup).map((p) => ({
      name: `${gs.labels[k]}: ${p.name}`,
      holds: (b: GroupsState, x: GroupAction, a: GroupsState) => x.group !== k || p.holds(b.groups[k]!, x.action, a.groups[k]!),
      explain: (b: GroupsState, x: GroupAction, a: GroupsState) => p.explain?.(b.groups[k]!, x.action, a.groups[k]!) ?? '',
    })),
  ),
];

/** Why `s` is not converged: the first group that is not, or null when every group is. */
export const groupsNotConverged = (s: GroupsState, gs: GroupsSetup): string | null => {
  for (let k = 0; k < s.groups.length; k++) {
    const why = notConverged(s.groups[k]!, gs.setups[k]!);
    if (why !== null) return `${gs.labels[k]}: ${why}`;
  }
  return null;
};

/**
 * Each group reaches its own converged quiescent state without new faults (of any group): a
 * group frozen by another for good fails it.
 */
export const groupReachability = (gs: GroupsSetup): ReachabilityProperty<GroupsState, GroupAction>[] =>
  gs.setups.map((setup, k) => {
    const [own] = reachabilityFor(setup);
    return {
      name: `${gs.labels[k]}: ${own?.name ?? PROPERTY.converges}`,
      goal: (s: GroupsState) => notConverged(s.groups[k]!, setup) === null,
      via: (x: GroupAction) => !FAULT_ACTIONS.has(x.action.type),
      explain: (s: GroupsState) => `${gs.labels[k]}: no converged quiescent state is reachable without new faults; here: ${notConverged(s.groups[k]!, setup)}`,
    };
  });

/** Each group's leads-to properties on its own state. */
export const groupTemporal = (gs: GroupsSetup): TemporalProperty<GroupsState>[] =>
  gs.setups.flatMap((setup, k) =>
    temporalFor(setup).map((p): TemporalProperty<GroupsState> => {
      const name = `${gs.labels[k]}: ${p.name}`;
      const at = (s: GroupsState): State => s.groups[k]!;
      if (p.kind === 'leadsTo') return { kind: 'leadsTo', name, from: (s) => p.from(at(s)), to: (s) => p.to(at(s)) };
      return { kind: p.kind, name, holds: (s) => p.holds(at(s)) };
    }),
  );

/** Weak fairness of each component of each group: a group's component is fair to its own steps. */
export const groupFairness = (gs: GroupsSetup): Fairness<GroupAction>[] =>
  gs.setups.flatMap((setup, k) =>
    fairnessFor(setup).map((f): Fairness<GroupAction> => ({
      kind: f.kind,
      name: `${gs.labels[k]}: ${f.name}`,
      includes: (x: GroupAction) => x.group === k && ('includes' in f ? f.includes(x.action) : f.actions.includes(x.action.type)),
    })),
  );
