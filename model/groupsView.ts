/**
 * Several groups as one sequence chart (Model.view): each group's lanes (view.ts), named after
 * the group ("G1 P0"), a device on a shared box also after the box ("G2 SD0 @202"), so the
 * chart shows which boxes the groups share. A step's events are those of its group's chart,
 * and a fault mark on any other group the step changed.
 */
import type { ModelView, ViewEvent } from '../checker/view.ts';
import type { GroupAction, GroupsSetup, GroupsState } from './groups.ts';
import { replicationView } from './view.ts';

/** The lane of group k's component `lane` (view.ts names: host, D0, P0, S0, SD0). */
const laneName = (gs: GroupsSetup, k: number, lane: string): string => {
  const device = /^(S?D)(\d+)$/.exec(lane);
  const box = device ? (device[1] === 'D' ? gs.boxOf[k]!.primary : gs.boxOf[k]!.secondary)[Number(device[2])] : undefined;
  return `${gs.labels[k]} ${lane}${box !== undefined ? ` @${box}` : ''}`;
};

export const groupsView = (gs: GroupsSetup): ModelView<GroupsState, GroupAction> => {
  const views = gs.setups.map(replicationView);
  return {
    lanes: (s) => views.flatMap((v, k) => v.lanes(s.groups[k]!).map((lane) => laneName(gs, k, lane))),
    events: (before, x, after): ViewEvent[] => [
      ...views[x.group]!.events(before.groups[x.group]!, x.action, after.groups[x.group]!).map((e) => ({
        ...e,
        from: laneName(gs, x.group, e.from),
        to: laneName(gs, x.group, e.to),
      })),
      // Another group changed by this step (never, unless the groups lose their independence): a fault mark on its host.
      ...after.groups.flatMap((g, m) => {
        if (m === x.group || g === before.groups[m]) return [];
        const host = laneName(gs, m, 'host');
        return [{ from: host, to: host, label: `changed by ${gs.labels[x.group]}'s step${g.group !== before.groups[m]!.group ? `: ${g.group}` : ''}`, mark: 'fault' as const }];
      }),
    ],
  };
};
