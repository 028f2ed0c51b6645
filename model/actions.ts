/** The actions of the model: a discriminated union, the candidate list, and the transition function. */
import { match } from 'ts-pattern';
import { bladeAccept, hostAck, hostIssue, nextIssuable, outstanding } from './host.ts';
import { deliver, deliverable, linkIndex, syncDeliver } from './network.ts';
import { secShuttleArrive, secTransfer } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import { shuttleArrive } from './slotShuttle.ts';
import type { State } from './state.ts';
import { tick } from './timer.ts';

export type Action =
  | { readonly type: 'HostIssue'; readonly chain: number }
  | { readonly type: 'BladeAccept'; readonly blade: number }
  | { readonly type: 'HostAck'; readonly chain: number }
  | { readonly type: 'ShuttleArrive'; readonly shuttle: number; readonly blade: number }
  | { readonly type: 'Tick' }
  | { readonly type: 'Deliver'; readonly from: number; readonly to: number; readonly index: number }
  | { readonly type: 'SecShuttleArrive'; readonly blade: number }
  | { readonly type: 'SecTransfer'; readonly blade: number }
  | { readonly type: 'SyncDeliver'; readonly from: number; readonly to: number; readonly index: number };

export const ACTION_NAMES = [
  'HostIssue',
  'BladeAccept',
  'HostAck',
  'ShuttleArrive',
  'Tick',
  'Deliver',
  'SecShuttleArrive',
  'SecTransfer',
  'SyncDeliver',
] as const satisfies readonly Action['type'][];

/** Action kinds a configuration can produce (coverage flags the others as never fired). */
export const actionNamesFor = (setup: Setup): readonly string[] => {
  // Back-pressure needs a device with more writes than its blade's journal holds.
  const canFill = setup.writes.some((w) => setup.writes.filter((x) => x.device === w.device).length > setup.cfg.primary.journalCapacity);
  return ACTION_NAMES.filter(
    (n) => (setup.kind === 'timer' ? n !== 'ShuttleArrive' : n !== 'Tick') && (canFill || n !== 'BladeAccept'),
  );
};

/**
 * The candidate actions in `s`, in a fixed order. Cheap pre-filters only; `nextState`
 * decides whether a candidate is enabled.
 */
export const candidates = (s: State, setup: Setup): Action[] => {
  const out: Action[] = [];
  const { P, S } = setup;
  for (let c = 0; c < setup.chains.length; c++) {
    if (nextIssuable(s, setup, c) >= 0) out.push({ type: 'HostIssue', chain: c });
    if (outstanding(s, setup, c) >= 0) out.push({ type: 'HostAck', chain: c });
  }
  for (let i = 0; i < P; i++) if (s.deviceWaiting[i]!.length > 0) out.push({ type: 'BladeAccept', blade: i });
  s.shuttles.forEach((sh, k) => out.push({ type: 'ShuttleArrive', shuttle: k, blade: sh.at }));
  if (s.clock) out.push({ type: 'Tick' });
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < S; j++) {
      const n = deliverable(setup, s.links[linkIndex(setup, i, j)]!.length);
      for (let k = 0; k < n; k++) out.push({ type: 'Deliver', from: i, to: j, index: k });
    }
  }
  out.push({ type: 'SecShuttleArrive', blade: s.secondaryShuttle.at });
  for (let j = 0; j < S; j++) if (s.secondaryBlades[j]!.transferNo !== 0) out.push({ type: 'SecTransfer', blade: j });
  for (let j = 0; j < S; j++) {
    for (let i = 0; i < P; i++) {
      const n = deliverable(setup, s.syncs[linkIndex(setup, i, j)]!.length);
      for (let k = 0; k < n; k++) out.push({ type: 'SyncDeliver', from: j, to: i, index: k });
    }
  }
  return out;
};

/** The state after `a`, or undefined when `a` is not enabled in `s`. */
export const step = (s: State, setup: Setup, a: Action): State | undefined =>
  match(a)
    .with({ type: 'HostIssue' }, ({ chain }) => hostIssue(s, setup, chain))
    .with({ type: 'BladeAccept' }, ({ blade }) => bladeAccept(s, setup, blade))
    .with({ type: 'HostAck' }, ({ chain }) => hostAck(s, setup, chain))
    .with({ type: 'ShuttleArrive' }, ({ shuttle, blade }) =>
      s.shuttles[shuttle]?.at === blade ? shuttleArrive(s, setup, shuttle) : undefined,
    )
    .with({ type: 'Tick' }, () => tick(s, setup))
    .with({ type: 'Deliver' }, ({ from, to, index }) => deliver(s, setup, from, to, index))
    .with({ type: 'SecShuttleArrive' }, ({ blade }) => (s.secondaryShuttle.at === blade ? secShuttleArrive(s, setup) : undefined))
    .with({ type: 'SecTransfer' }, ({ blade }) => secTransfer(s, setup, blade))
    .with({ type: 'SyncDeliver' }, ({ from, to, index }) => syncDeliver(s, setup, from, to, index))
    .exhaustive();

/** One line per action, in the seed's vocabulary. */
export const formatAction = (a: Action): string =>
  match(a)
    .with({ type: 'HostIssue' }, ({ chain }) => `HostIssue chain ${chain}`)
    .with({ type: 'BladeAccept' }, ({ blade }) => `BladeAccept P${blade}`)
    .with({ type: 'HostAck' }, ({ chain }) => `HostAck chain ${chain}`)
    .with({ type: 'ShuttleArrive' }, ({ shuttle, blade }) => `ShuttleArrive ${shuttle ? `#${shuttle} ` : ''}at P${blade}`)
    .with({ type: 'Tick' }, () => 'Tick')
    .with({ type: 'Deliver' }, ({ from, to, index }) => `Deliver P${from}→S${to} #${index}`)
    .with({ type: 'SecShuttleArrive' }, ({ blade }) => `SecShuttleArrive at S${blade}`)
    .with({ type: 'SecTransfer' }, ({ blade }) => `SecTransfer S${blade}`)
    .with({ type: 'SyncDeliver' }, ({ from, to, index }) => `SyncDeliver S${from}→P${to} #${index}`)
    .exhaustive();
