/** The actions of the model: a discriminated union, the candidate list, and the transition function. */
import { match } from 'ts-pattern';
import { bladeStamp, dataTransfer, hostAck, hostIssue, nextIssuable, outstanding } from './host.ts';
import { nextData, signalTransferReady } from './primaryBlade.ts';
import { deliverable, linkIndex } from './links.ts';
import { deliver, syncDeliver } from './network.ts';
import { secShuttleArrive, secTransfer } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import { shuttleArrive } from './slotShuttle.ts';
import type { State } from './state.ts';
import { tick } from './timer.ts';
import { bladeFail, bladeRestart, deviceLinkFail, linkDown, linkUp } from './faults.ts';
import { resend, secRecover } from './recovery.ts';
import { copyTrack, repair } from './trigger.ts';
import { disaster, failover, haltAndRestore } from './failover.ts';
import { backgroundCopy } from './relatedArt.ts';

export type Action =
  | { readonly type: 'HostIssue'; readonly chain: number }
  | { readonly type: 'BladeStamp'; readonly blade: number }
  | { readonly type: 'TransferReady'; readonly blade: number }
  | { readonly type: 'DataTransfer'; readonly blade: number }
  | { readonly type: 'HostAck'; readonly chain: number }
  | { readonly type: 'ShuttleArrive'; readonly shuttle: number; readonly blade: number }
  | { readonly type: 'Tick' }
  | { readonly type: 'Deliver'; readonly from: number; readonly to: number; readonly index: number }
  | { readonly type: 'SecShuttleArrive'; readonly blade: number }
  | { readonly type: 'SecTransfer'; readonly blade: number }
  | { readonly type: 'SyncDeliver'; readonly from: number; readonly to: number; readonly index: number }
  // faults (bounded by the configuration) and the steps that recover from them
  | { readonly type: 'LinkDown'; readonly from: number; readonly to: number }
  | { readonly type: 'LinkUp'; readonly from: number; readonly to: number }
  | { readonly type: 'SecRecover'; readonly blade: number }
  | { readonly type: 'Resend'; readonly blade: number }
  | { readonly type: 'DeviceLinkFail'; readonly device: number }
  | { readonly type: 'Repair' }
  | { readonly type: 'CopyTrack'; readonly secondary: number; readonly block: number }
  | { readonly type: 'BladeRestart'; readonly side: 'primary' | 'secondary'; readonly blade: number }
  | { readonly type: 'BladeFail'; readonly blade: number }
  | { readonly type: 'Disaster' }
  | { readonly type: 'Failover'; readonly blade: number }
  | { readonly type: 'HaltAndRestore' }
  // related art
  | { readonly type: 'BackgroundCopy'; readonly block: number };

export const ACTION_NAMES = [
  'HostIssue',
  'BladeStamp',
  'TransferReady',
  'DataTransfer',
  'HostAck',
  'ShuttleArrive',
  'Tick',
  'Deliver',
  'SecShuttleArrive',
  'SecTransfer',
  'SyncDeliver',
  'LinkDown',
  'LinkUp',
  'SecRecover',
  'Resend',
  'DeviceLinkFail',
  'Repair',
  'CopyTrack',
  'BladeRestart',
  'BladeFail',
  'Disaster',
  'Failover',
  'HaltAndRestore',
  'BackgroundCopy',
] as const satisfies readonly Action['type'][];

/**
 * Faults and operator interventions: new trouble, not protocol steps. The liveness check
 * (PROTOCOL.md §3, liveness) reaches its goal without them; the steps that recover from a fault (LinkUp,
 * SecRecover, Resend, Repair, CopyTrack, Failover) are protocol steps.
 */
export const FAULT_ACTIONS: ReadonlySet<string> = new Set(['LinkDown', 'DeviceLinkFail', 'BladeRestart', 'BladeFail', 'Disaster', 'HaltAndRestore']);

/** Action kinds a configuration can produce (coverage flags the others as never fired). */
export const actionNamesFor = (setup: Setup): readonly string[] => {
  const { cfg } = setup;
  const f = cfg.faults;
  const volatile = cfg.journal === 'volatile';
  const triggers = f.deviceLinkFail > 0 || cfg.overflow === 'clear-invalidate' || (f.bladeRestart > 0 && volatile);
  const fires: Record<string, boolean> = {
    BladeStamp: cfg.mode !== 'background',
    TransferReady: cfg.mode !== 'background',
    DataTransfer: cfg.mode !== 'background',
    ShuttleArrive: setup.kind !== 'timer' && !setup.direct,
    Tick: setup.kind === 'timer',
    SecShuttleArrive: !setup.direct,
    SecTransfer: !setup.direct,
    SyncDeliver: cfg.mode !== 'background',
    HostAck: cfg.mode !== 'background',
    LinkDown: f.linkDown > 0,
    LinkUp: f.linkDown > 0,
    SecRecover: f.linkDown > 0 || f.bladeRestart > 0,
    Resend: f.linkDown > 0 || f.bladeRestart > 0,
    DeviceLinkFail: f.deviceLinkFail > 0,
    Repair: triggers,
    CopyTrack: triggers,
    BladeRestart: f.bladeRestart > 0,
    BladeFail: f.bladeFail > 0,
    Disaster: f.disaster,
    Failover: f.disaster,
    HaltAndRestore: cfg.rollback,
    BackgroundCopy: cfg.mode === 'background',
  };
  return ACTION_NAMES.filter((n) => fires[n] ?? true);
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
  for (let i = 0; i < P; i++) {
    if (s.deviceWaiting[i]!.length > 0) out.push({ type: 'BladeStamp', blade: i });
    const journal = s.primaryBlades[i]!.journal;
    if (journal.some((r) => r.write >= 0 && !r.transferReady)) out.push({ type: 'TransferReady', blade: i });
    if (nextData(s.primaryBlades[i]!) >= 0) out.push({ type: 'DataTransfer', blade: i });
  }
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
  const { cfg } = setup;
  const f = cfg.faults;
  if (f.linkDown > 0) {
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < S; j++) {
        if (!((setup.service[i]! >> j) & 1)) continue;
        out.push({ type: (s.linksDown >> linkIndex(setup, i, j)) & 1 ? 'LinkUp' : 'LinkDown', from: i, to: j });
      }
    }
  }
  if (s.recoveryPending) {
    for (let j = 0; j < S; j++) if (!((s.secRecovered >> j) & 1)) out.push({ type: 'SecRecover', blade: j });
    for (let i = 0; i < P; i++) if (!((s.resent >> i) & 1)) out.push({ type: 'Resend', blade: i });
  }
  if (f.deviceLinkFail > 0) for (let i = 0; i < P; i++) out.push({ type: 'DeviceLinkFail', device: i });
  if (s.group === 'triggered') out.push({ type: 'Repair' });
  if (s.group === 'resyncing') {
    for (let j = 0; j < S; j++) for (let g = 0; g < setup.nBlocks; g++) if ((s.invalidTracks[j]! >> g) & 1) out.push({ type: 'CopyTrack', secondary: j, block: g });
  }
  if (f.bladeRestart > 0) {
    for (let i = 0; i < P; i++) out.push({ type: 'BladeRestart', side: 'primary', blade: i });
    for (let j = 0; j < S; j++) out.push({ type: 'BladeRestart', side: 'secondary', blade: j });
  }
  if (f.bladeFail > 0) for (let i = 0; i < P; i++) out.push({ type: 'BladeFail', blade: i });
  if (f.disaster) {
    if (s.site === 'running') out.push({ type: 'Disaster' });
    else for (let j = 0; j < S; j++) if (!((s.failedOver >> j) & 1)) out.push({ type: 'Failover', blade: j });
  }
  if (cfg.rollback) out.push({ type: 'HaltAndRestore' });
  if (s.modifiedTracks !== 0) for (let g = 0; g < setup.nBlocks; g++) if ((s.modifiedTracks >> g) & 1) out.push({ type: 'BackgroundCopy', block: g });
  return out;
};

/** The transition of each kind of action: a record over every kind, so a missing one does not compile. */
type Steps = { readonly [K in Action['type']]: (s: State, setup: Setup, a: Extract<Action, { type: K }>) => State | undefined };

const STEPS: Steps = {
  HostIssue: (s, setup, { chain }) => hostIssue(s, setup, chain),
  BladeStamp: (s, setup, { blade }) => bladeStamp(s, setup, blade),
  TransferReady: (s, setup, { blade }) => signalTransferReady(s, setup, blade),
  DataTransfer: (s, setup, { blade }) => dataTransfer(s, setup, blade),
  HostAck: (s, setup, { chain }) => hostAck(s, setup, chain),
  ShuttleArrive: (s, setup, { shuttle, blade }) => (s.shuttles[shuttle]?.at === blade ? shuttleArrive(s, setup, shuttle) : undefined),
  Tick: (s, setup) => tick(s, setup),
  Deliver: (s, setup, { from, to, index }) => deliver(s, setup, from, to, index),
  SecShuttleArrive: (s, setup, { blade }) => (s.secondaryShuttle.at === blade ? secShuttleArrive(s, setup) : undefined),
  SecTransfer: (s, setup, { blade }) => secTransfer(s, setup, blade),
  SyncDeliver: (s, setup, { from, to, index }) => syncDeliver(s, setup, from, to, index),
  LinkDown: (s, setup, { from, to }) => linkDown(s, setup, from, to),
  LinkUp: (s, setup, { from, to }) => linkUp(s, setup, from, to),
  SecRecover: (s, setup, { blade }) => secRecover(s, setup, blade),
  Resend: (s, setup, { blade }) => resend(s, setup, blade),
  DeviceLinkFail: (s, setup, { device }) => deviceLinkFail(s, setup, device),
  Repair: (s, setup) => repair(s, setup),
  CopyTrack: (s, setup, { secondary, block }) => copyTrack(s, setup, secondary, block),
  BladeRestart: (s, setup, { side, blade }) => bladeRestart(s, setup, side, blade),
  BladeFail: (s, setup, { blade }) => bladeFail(s, setup, blade),
  Disaster: (s, setup) => disaster(s, setup),
  Failover: (s, setup, { blade }) => failover(s, setup, blade),
  HaltAndRestore: (s, setup) => haltAndRestore(s, setup),
  BackgroundCopy: (s, setup, { block }) => backgroundCopy(s, setup, block),
};

/** The state after `a`, or undefined when `a` is not enabled in `s`. */
export const step = (s: State, setup: Setup, a: Action): State | undefined =>
  (STEPS[a.type] as (s: State, setup: Setup, a: Action) => State | undefined)(s, setup, a);

/** One line per action, in the patent's vocabulary. */
export const formatAction = (a: Action): string =>
  match(a)
    .with({ type: 'HostIssue' }, ({ chain }) => `HostIssue chain ${chain}`)
    .with({ type: 'BladeStamp' }, ({ blade }) => `BladeStamp P${blade} (the write command arrives)`)
    .with({ type: 'TransferReady' }, ({ blade }) => `TransferReady P${blade}`)
    .with({ type: 'DataTransfer' }, ({ blade }) => `DataTransfer device ${blade}→P${blade}`)
    .with({ type: 'HostAck' }, ({ chain }) => `HostAck chain ${chain}`)
    .with({ type: 'ShuttleArrive' }, ({ shuttle, blade }) => `ShuttleArrive ${shuttle ? `#${shuttle} ` : ''}at P${blade}`)
    .with({ type: 'Tick' }, () => 'Tick')
    .with({ type: 'Deliver' }, ({ from, to, index }) => `Deliver P${from}→S${to} #${index}`)
    .with({ type: 'SecShuttleArrive' }, ({ blade }) => `SecShuttleArrive at S${blade}`)
    .with({ type: 'SecTransfer' }, ({ blade }) => `SecTransfer S${blade}`)
    .with({ type: 'SyncDeliver' }, ({ from, to, index }) => `SyncDeliver S${from}→P${to} #${index}`)
    .with({ type: 'LinkDown' }, ({ from, to }) => `LinkDown P${from}–S${to} (in flight lost)`)
    .with({ type: 'LinkUp' }, ({ from, to }) => `LinkUp P${from}–S${to}`)
    .with({ type: 'SecRecover' }, ({ blade }) => `SecRecover S${blade} (Fig 16 step 302 / Fig 17)`)
    .with({ type: 'Resend' }, ({ blade }) => `Resend P${blade} (Fig 16 steps 304-306)`)
    .with({ type: 'DeviceLinkFail' }, ({ device }) => `DeviceLinkFail device ${device}–P${device} (group triggers)`)
    .with({ type: 'Repair' }, () => 'Repair (resynchronisation begins)')
    .with({ type: 'CopyTrack' }, ({ secondary, block }) => `CopyTrack block ${block} → S${secondary}`)
    .with({ type: 'BladeRestart' }, ({ side, blade }) => `BladeRestart ${side === 'primary' ? 'P' : 'S'}${blade}`)
    .with({ type: 'BladeFail' }, ({ blade }) => `BladeFail P${blade}`)
    .with({ type: 'Disaster' }, () => 'Disaster (primary site stops)')
    .with({ type: 'Failover' }, ({ blade }) => `Failover S${blade} (the secondary site recovers)`)
    .with({ type: 'HaltAndRestore' }, () => 'HaltAndRestore (rollback from the secondary)')
    .with({ type: 'BackgroundCopy' }, ({ block }) => `BackgroundCopy block ${block}`)
    .exhaustive();
