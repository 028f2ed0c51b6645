/**
 * Faults (PROTOCOL.md §8), each bounded in number by the configuration's `faults`: a network link
 * goes down and comes back; a device-to-blade link fails (the group triggers); a blade
 * restarts (losing its journal if volatile); a primary blade fails for good.
 */
import { patchPrimary, patchSecondary, update, updateFaults } from './immutable.ts';
import { linkIndex } from './links.ts';
import { loseInFlight, loseInFlightTo } from './recovery.ts';
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';
import { invalidateJournal, triggerGroup } from './trigger.ts';

/** A link failure or a restart makes a recovery pending; one that strikes during a recovery starts it over (what it resent may be lost again). */
const restartRecovery = { recoveryPending: true, secRecovered: 0, resent: 0 } as const;

/** Faults strike only a running primary site whose group is replicating (one trouble at a time). */
const canFault = (s: State): boolean => s.site === 'running' && s.group === 'replicating';

/** LinkDown: the network link between primary blade i and secondary blade j fails; what is in flight is lost. */
export const linkDown = (s: State, setup: Setup, i: number, j: number): State | undefined => {
  const bit = 1 << linkIndex(setup, i, j);
  if (!canFault(s) || s.faultsUsed.linkDown >= setup.cfg.faults.linkDown || s.linksDown & bit || !((setup.service[i]! >> j) & 1)) return undefined;
  return update(loseInFlight(s, setup, i, j), {
    faultsUsed: updateFaults(s.faultsUsed, { linkDown: s.faultsUsed.linkDown + 1 }),
    linksDown: s.linksDown | bit,
    ...restartRecovery, // Fig 16: "a communication link becomes non-operational"
  });
};

/** LinkUp: the link comes back (a recovery step, not a fault). */
export const linkUp = (s: State, setup: Setup, i: number, j: number): State | undefined => {
  const bit = 1 << linkIndex(setup, i, j);
  if (!(s.linksDown & bit) || s.site !== 'running') return undefined;
  return update(s, { linksDown: s.linksDown & ~bit });
};

/** DeviceLinkFail: the link between primary device i and its blade fails: unrecoverable, the group triggers. */
export const deviceLinkFail = (s: State, setup: Setup, i: number): State | undefined => {
  if (!canFault(s) || s.faultsUsed.deviceLinkFail >= setup.cfg.faults.deviceLinkFail || i < 0 || i >= setup.P) return undefined;
  return triggerGroup(update(s, { faultsUsed: updateFaults(s.faultsUsed, { deviceLinkFail: s.faultsUsed.deviceLinkFail + 1 }) }), setup);
};

/**
 * BladeRestart: a blade restarts; its connections drop (what is in flight to and from it is
 * lost) and recovery runs. A volatile primary journal is lost: its device invalidates the
 * unsynchronised tracks and the group triggers. A volatile secondary journal loses the
 * records of numbers it has not yet initiated (the device took responsibility for initiated
 * ones at step 270).
 */
export const bladeRestart = (s: State, setup: Setup, side: 'primary' | 'secondary', k: number): State | undefined => {
  if (!canFault(s) || s.faultsUsed.bladeRestart >= setup.cfg.faults.bladeRestart) return undefined;
  if (side === 'primary' && (s.failedBlades >> k) & 1) return undefined;
  const volatile = setup.cfg.journal === 'volatile';
  let t = update(s, { faultsUsed: updateFaults(s.faultsUsed, { bladeRestart: s.faultsUsed.bladeRestart + 1 }) });
  if (side === 'primary') {
    for (let j = 0; j < setup.S; j++) t = loseInFlight(t, setup, k, j);
    if (!volatile) return update(t, restartRecovery);
    // the journal is lost: the device invalidates its unsynchronised tracks and the group triggers
    return triggerGroup(patchPrimary(invalidateJournal(t, setup, k), k, { journal: [] }), setup);
  }
  // secondary
  t = loseInFlightTo(t, setup, k);
  if (volatile) {
    const kept = reached(s.secondaryBlades[k]!);
    t = patchSecondary(t, k, { journal: s.secondaryBlades[k]!.journal.filter((r) => r.seq <= kept) });
  }
  return update(t, restartRecovery);
};

/**
 * BladeFail: primary blade i fails for good, between numbers (nothing open in it, nothing
 * waiting for it: every record it holds has its data, so every write it took was told "transfer ready"). The device-to-blade path is gone: the group triggers (text before Fig 16);
 * the shuttle skips the blade from now on. It is never repaired in this model.
 */
export const bladeFail = (s: State, setup: Setup, i: number): State | undefined => {
  if (!canFault(s) || s.faultsUsed.bladeFail >= setup.cfg.faults.bladeFail || (s.failedBlades >> i) & 1) return undefined;
  const b = s.primaryBlades[i]!;
  // between numbers: nothing open, no data or transfer-ready still owed to its device, no command waiting for it
  if (b.curSlotCnt !== 0 || b.journal.some((r) => r.totalWrites === null || !r.hasData) || s.deviceWaiting[i]!.length > 0) return undefined;
  const failed = update(s, { faultsUsed: updateFaults(s.faultsUsed, { bladeFail: s.faultsUsed.bladeFail + 1 }), failedBlades: s.failedBlades | (1 << i) });
  return triggerGroup(failed, setup);
};
