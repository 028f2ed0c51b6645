/**
 * Faults (SPEC 2), each bounded in number by the configuration's `faults`: a network link
 * goes down and comes back; a device-to-blade link fails (the group triggers); a blade
 * restarts (losing its journal if volatile); a primary blade fails for good.
 */
import { produce } from 'immer';
import { linkIndex } from './network.ts';
import { loseInFlight } from './recovery.ts';
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';
import { invalidateJournal, triggerGroup } from './trigger.ts';

/** Faults strike only a running primary site whose group is replicating (one trouble at a time). */
const canFault = (s: State): boolean => s.site === 'running' && s.group === 'replicating';

/** LinkDown: the network link between primary blade i and secondary blade j fails; what is in flight is lost. */
export const linkDown = (s: State, setup: Setup, i: number, j: number): State | undefined => {
  const bit = 1 << linkIndex(setup, i, j);
  if (!canFault(s) || s.faultsUsed.linkDown >= setup.cfg.faults.linkDown || s.linksDown & bit || !((setup.service[i]! >> j) & 1)) return undefined;
  return produce(s, (d) => {
    d.faultsUsed.linkDown += 1;
    d.linksDown |= bit;
    loseInFlight(d, setup, i, j);
    d.recoveryPending = true; // Fig 16: "a communication link becomes non-operational"
  });
};

/** LinkUp: the link comes back (a recovery step, not a fault). */
export const linkUp = (s: State, setup: Setup, i: number, j: number): State | undefined => {
  const bit = 1 << linkIndex(setup, i, j);
  if (!(s.linksDown & bit) || s.site !== 'running') return undefined;
  return produce(s, (d) => {
    d.linksDown &= ~bit;
  });
};

/** DeviceLinkFail: the link between primary device i and its blade fails: unrecoverable, the group triggers. */
export const deviceLinkFail = (s: State, setup: Setup, i: number): State | undefined => {
  if (!canFault(s) || s.faultsUsed.deviceLinkFail >= setup.cfg.faults.deviceLinkFail || i < 0 || i >= setup.P) return undefined;
  return produce(s, (d) => {
    d.faultsUsed.deviceLinkFail += 1;
    triggerGroup(d, setup);
  });
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
  return produce(s, (d) => {
    d.faultsUsed.bladeRestart += 1;
    if (side === 'primary') {
      for (let j = 0; j < setup.S; j++) loseInFlight(d, setup, k, j);
      if (volatile) {
        invalidateJournal(d, setup, k);
        d.primaryBlades[k]!.journal = [];
        triggerGroup(d, setup);
      } else d.recoveryPending = true;
    } else {
      for (let i = 0; i < setup.P; i++) loseInFlight(d, setup, i, k);
      const b = d.secondaryBlades[k]!;
      if (volatile) {
        const kept = reached(s.secondaryBlades[k]!);
        b.journal = b.journal.filter((r) => r.seq <= kept);
      }
      d.recoveryPending = true;
    }
  });
};

/**
 * BladeFail: primary blade i fails for good, between numbers (nothing open in it, nothing
 * waiting for it). The device-to-blade path is gone: the group triggers (text before Fig 16);
 * the shuttle skips the blade from now on. It is never repaired in this model.
 */
export const bladeFail = (s: State, setup: Setup, i: number): State | undefined => {
  if (!canFault(s) || s.faultsUsed.bladeFail >= setup.cfg.faults.bladeFail || (s.failedBlades >> i) & 1) return undefined;
  const b = s.primaryBlades[i]!;
  if (b.curSlotCnt !== 0 || b.journal.some((r) => r.totalWrites === null) || s.deviceWaiting[i]!.length > 0) return undefined;
  return produce(s, (d) => {
    d.faultsUsed.bladeFail += 1;
    d.failedBlades |= 1 << i;
    triggerGroup(d, setup);
  });
};
