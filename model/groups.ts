/**
 * Several consistency groups at once (Fig 11, PROTOCOL.md §10). The state is one system state
 * per group; a step is one step of one group, taken by that group's own `step` under its own
 * setup. Nothing of a group's state is shared with another: the boxes the groups share are
 * configuration (which device of which group sits on which box), read only by the view and by
 * the mutants of the composition, each at the step it breaks.
 */
import { match } from 'ts-pattern';
import { type Action, candidates, step } from './actions.ts';
import { groupLabel, type GroupMutantName, type GroupsConfig } from './groupsConfig.ts';
import { nextIssuable } from './host.ts';
import { setAt } from './immutable.ts';
import { initStates } from './init.ts';
import { makeSetup, type Setup } from './setup.ts';
import type { State } from './state.ts';
import { triggerGroup } from './trigger.ts';

/** One state per consistency group, in the configuration's order. */
export interface GroupsState {
  readonly groups: readonly State[];
}

/** A step of group `group` (an action of the system model). */
export interface GroupAction {
  readonly group: number;
  readonly action: Action;
}

/** Facts derived once from a groups configuration. */
export interface GroupsSetup {
  readonly cfg: GroupsConfig;
  readonly setups: readonly Setup[];
  readonly labels: readonly string[];
  readonly mutant: GroupMutantName | undefined;
  /** boxOf[g].primary[i] / .secondary[j]: the shared box holding that device, or undefined (a box of its own). */
  readonly boxOf: readonly { readonly primary: readonly (string | undefined)[]; readonly secondary: readonly (string | undefined)[] }[];
}

export const makeGroupsSetup = (cfg: GroupsConfig): GroupsSetup => {
  const setups = cfg.groups.map(makeSetup);
  const boxOf = setups.map((setup, g) => {
    const find = (role: 'primary' | 'secondary', index: number): string | undefined =>
      cfg.shared.find((b) => b.devices.some((d) => d.group === g && d.role === role && d.index === index))?.box;
    return {
      primary: Array.from({ length: setup.P }, (_, i) => find('primary', i)),
      secondary: Array.from({ length: setup.S }, (_, j) => find('secondary', j)),
    };
  });
  return { cfg, setups, labels: setups.map((_, k) => groupLabel(k)), mutant: cfg.mutant, boxOf };
};

/** Every combination of the groups' initial states (the timer has several per group), in a fixed order. */
export const groupsInitStates = (gs: GroupsSetup): GroupsState[] =>
  gs.setups
    .reduce<State[][]>((acc, setup) => acc.flatMap((prefix) => initStates(setup).map((s) => [...prefix, s])), [[]])
    .map((groups) => ({ groups }));

/** The candidates of every group, group by group, each in its own model's order. */
export const groupCandidates = (s: GroupsState, gs: GroupsSetup): GroupAction[] =>
  s.groups.flatMap((g, k) => candidates(g, gs.setups[k]!).map((action) => ({ group: k, action })));

/** The shared boxes a group's trigger deems not ready (its secondaries, text before Fig 16), for the mutant. */
const boxesNotReady = (s: GroupsState, gs: GroupsSetup, except: number): ReadonlySet<string> => {
  const out = new Set<string>();
  s.groups.forEach((g, k) => {
    if (k === except || g.group === 'replicating') return;
    for (const box of gs.boxOf[k]!.secondary) if (box !== undefined) out.add(box);
  });
  return out;
};

/** The shared boxes whose devices of group k action `a` writes to: the host's next write, an apply, a track copy. */
const boxesWritten = (s: GroupsState, gs: GroupsSetup, k: number, a: Action): (string | undefined)[] => {
  const { primary, secondary } = gs.boxOf[k]!;
  const setup = gs.setups[k]!;
  return match(a)
    .with({ type: 'HostIssue' }, ({ chain }) => {
      const w = nextIssuable(s.groups[k]!, setup, chain);
      return w < 0 ? [] : [primary[setup.writes[w]!.device]];
    })
    .with({ type: 'SecTransfer' }, ({ blade }) => [secondary[blade]])
    .with({ type: 'CopyTrack' }, ({ secondary: j }) => [secondary[j]])
    .otherwise(() => []);
};

/**
 * A device-link failure taken as the failure of the whole box (the mutant): every other group
 * with a device on the box of group k's primary device `device` triggers too.
 */
const triggerBoxMates = (groups: readonly State[], gs: GroupsSetup, k: number, device: number): readonly State[] => {
  const box = gs.boxOf[k]!.primary[device];
  if (box === undefined) return groups;
  const mates = gs.cfg.shared.find((b) => b.box === box)!.devices.filter((d) => d.group !== k);
  return groups.map((g, m) => (mates.some((d) => d.group === m) && g.site === 'running' ? triggerGroup(g, gs.setups[m]!) : g));
};

/** The state after group `x.group` takes `x.action`, or undefined when that group's model does not enable it. */
export const groupStep = (s: GroupsState, gs: GroupsSetup, x: GroupAction): GroupsState | undefined => {
  const own = s.groups[x.group];
  if (own === undefined) return undefined;
  // mutant: the trigger's "not ready" is kept per box, so another group's trigger refuses this group's writes to a box they share
  if (gs.mutant === 'shared-box-not-ready') {
    const notReady = boxesNotReady(s, gs, x.group);
    if (notReady.size > 0 && boxesWritten(s, gs, x.group, x.action).some((b) => b !== undefined && notReady.has(b))) return undefined;
  }
  const next = step(own, gs.setups[x.group]!, x.action);
  if (next === undefined) return undefined;
  const groups = setAt(s.groups, x.group, next);
  // mutant: a device-link failure (the trigger) spreads to every group on the same box
  if (gs.mutant === 'box-failure-triggers-all' && x.action.type === 'DeviceLinkFail') return { groups: triggerBoxMates(groups, gs, x.group, x.action.device) };
  return { groups };
};
