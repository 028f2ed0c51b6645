/** Several consistency groups (Fig 11) as one model for the engine (PROTOCOL.md §10). */
import { InputError } from '../checker/errors.ts';
import { MAX_FAIRNESS } from '../checker/liveness/graph.ts';
import type { Model } from '../checker/model.ts';
import { actionNamesFor, formatAction } from './actions.ts';
import { withinBounds } from './bounds.ts';
import { type GroupAction, groupCandidates, groupsInitStates, type GroupsState, groupStep, makeGroupsSetup } from './groups.ts';
import type { GroupsConfig } from './groupsConfig.ts';
import { groupActionProperties, groupFairness, groupInvariants, groupReachability, groupsNotConverged, groupTemporal } from './groupsProperties.ts';
import { groupsView } from './groupsView.ts';

/** Builds the model of a validated groups configuration. */
export const buildGroupsModel = (cfg: GroupsConfig, name = 'groups', source = name): Model<GroupsState, GroupAction> => {
  const gs = makeGroupsSetup(cfg);
  const inits = groupsInitStates(gs);
  const fairness = groupFairness(gs);
  if (fairness.length > MAX_FAIRNESS) {
    throw new InputError(`${source}: the groups have ${fairness.length} components (host chains, blades, links) in all; the liveness check takes at most ${MAX_FAIRNESS}: use fewer or smaller groups`);
  }
  const mutants = [cfg.mutant, ...cfg.groups.map((g) => g.mutant)].filter((m) => m !== undefined);
  return {
    name: mutants.length > 0 ? `${name} [mutant ${[...new Set(mutants)].join(', ')}]` : name,
    initStates: () => inits,
    actions: (s) => groupCandidates(s, gs),
    nextState: (s, x) => groupStep(s, gs, x),
    actionName: (x) => `${gs.labels[x.group]}.${x.action.type}`,
    actionNames: gs.setups.flatMap((setup, k) => actionNamesFor(setup).map((n) => `${gs.labels[k]}.${n}`)),
    formatAction: (x) => `${gs.labels[x.group]}: ${formatAction(x.action)}`,
    view: groupsView(gs),
    invariants: groupInvariants(gs),
    actionProperties: groupActionProperties(gs),
    reachability: groupReachability(gs),
    temporal: groupTemporal(gs),
    fairness,
    isTerminalOk: (s) => groupsNotConverged(s, gs) === null,
    // Each group within its own bounds.
    withinBoundary: (s) => s.groups.every((g, k) => withinBounds(g, cfg.groups[k]!)),
  };
};
