/**
 * Liveness as temporal properties (PROTOCOL.md §3, liveness): every issued write is
 * acknowledged, and every acknowledged write ends up applied at every secondary that holds
 * its block, in every behaviour that is fair to the protocol's components, however faults
 * interleave, as long as they stop (each is bounded by the configuration, and fairness
 * never forces one).
 *
 * Fairness is weak and per component, as a TLA+ specification states it per process: a
 * host chain, a primary blade, a secondary blade, a link (its deliveries both ways and its
 * repair), the timer, the recovery steps, the background copier. A component that can
 * keep taking a step eventually takes one; faults and operator interventions are not
 * components and are never forced.
 *
 * Where this differs from the reachability property "converged quiescent state reachable":
 * that one asks that a converged state can still be reached from every state (a way out
 * exists); this one asks that every fair behaviour gets each acknowledged write applied (no
 * fair behaviour avoids it), and it does not ask for writes never issued or journals
 * drained.
 */
import type { Fairness, TemporalProperty } from '../checker/model.ts';
import type { Action } from './actions.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/**
 * Write `w` is applied at every secondary holding its block: each holds `w` or a later write
 * to the block. A track left invalid while a blade has failed for good is exempt (nothing
 * will copy it); so is every write once the primary site is gone (failed over, rolled
 * back): what a disaster loses is the claims table's subject, not liveness.
 */
export const appliedEverywhere = (s: State, setup: Setup, w: number): boolean => {
  if (s.site === 'failed-over' || s.site === 'rolled-back') return true;
  const { g } = setup.writes[w]!;
  const order = s.primaryBlocks[g]!;
  const at = order.indexOf(w);
  for (let k = 0; k < setup.S; k++) {
    if (!((setup.holders[g]! >> k) & 1)) continue;
    if ((s.invalidTracks[k]! >> g) & 1) {
      if (s.failedBlades !== 0) continue;
      return false;
    }
    if (order.indexOf(s.secondaryBlades[k]!.device[g]!) < at) return false;
  }
  return true;
};

/**
 * Two leads-to per write: issued ~> acknowledged (the host never waits forever; exempt once
 * the primary site is gone), and acknowledged ~> applied at every secondary.
 */
export const temporalFor = (setup: Setup): TemporalProperty<State>[] => [
  ...setup.writes.map(({ id }): TemporalProperty<State> => ({
    kind: 'leadsTo',
    name: `w${id} issued ~> acknowledged`,
    from: (s) => s.writes[id]!.status !== 0,
    to: (s) => s.writes[id]!.status === 2 || s.site !== 'running',
  })),
  ...setup.writes.map(({ id }): TemporalProperty<State> => ({
    kind: 'leadsTo',
    name: `w${id} acknowledged ~> applied at every secondary`,
    from: (s) => s.writes[id]!.status === 2,
    to: (s) => appliedEverywhere(s, setup, id),
  })),
];

/** Names of the components, made once (an action is told its component many times). */
interface Names {
  readonly chain: readonly string[];
  readonly primary: readonly string[];
  readonly secondary: readonly string[];
  readonly link: readonly (readonly string[])[];
}

/** The component an action belongs to, as a fairness condition's name; undefined for faults. */
const componentOf = (a: Action, n: Names): string | undefined => {
  switch (a.type) {
    case 'HostIssue':
    case 'HostAck':
      return n.chain[a.chain];
    case 'BladeStamp':
    case 'TransferReady':
    case 'DataTransfer':
    case 'ShuttleArrive':
      return n.primary[a.blade];
    case 'SecShuttleArrive':
    case 'SecTransfer':
      return n.secondary[a.blade];
    case 'Deliver':
    case 'LinkUp':
      return n.link[a.from]![a.to];
    case 'SyncDeliver':
      return n.link[a.to]![a.from];
    case 'Tick':
      return 'timer';
    case 'SecRecover':
    case 'Resend':
    case 'Repair':
    case 'CopyTrack':
    case 'Failover':
      return 'recovery';
    case 'BackgroundCopy':
      return 'background copier';
    case 'LinkDown':
    case 'DeviceLinkFail':
    case 'BladeRestart':
    case 'BladeFail':
    case 'Disaster':
    case 'HaltAndRestore':
      return undefined;
  }
};

/** Weak fairness of each component (links grouped per primary blade when there would be over 32 conditions). */
export const fairnessFor = (setup: Setup): Fairness<Action>[] => {
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const links = range(setup.P).flatMap((i) => range(setup.S).filter((j) => (setup.service[i]! >> j) & 1).map((j) => [i, j] as const));
  const linksByPrimary = setup.chains.length + setup.P + setup.S + 3 + links.length > 32;
  const n: Names = {
    chain: setup.chains.map((_, c) => `host chain ${c}`),
    primary: range(setup.P).map((i) => `P${i}`),
    secondary: range(setup.S).map((j) => `S${j}`),
    link: range(setup.P).map((i) => range(setup.S).map((j) => (linksByPrimary ? `links of P${i}` : `link P${i}–S${j}`))),
  };
  const linkNames = linksByPrimary ? range(setup.P).map((i) => n.link[i]![0]!) : links.map(([i, j]) => n.link[i]![j]!);
  const names = [...n.chain, ...n.primary, ...n.secondary, ...linkNames, 'timer', 'recovery', 'background copier'];
  return names.map((name) => ({ kind: 'weak', name: `WF(${name})`, includes: (a: Action) => componentOf(a, n) === name }));
};
