/**
 * Data recovery of a consistency group after a link failure or a blade restart: Fig 16
 * (secondary blades delete every unsynchronised journal entry, step 302; primary blades
 * resend from their earliest unsynchronised entry, steps 304-306) or Fig 17 (a secondary
 * blade deletes only the entries after the first gap), by configuration.
 */
import { produce, type Draft } from 'immer';
import { linkIndex, recordOrder, transmitClosed } from './network.ts';
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { JournalRecord, RecordMsg, State } from './state.ts';

/** The highest number every secondary blade has initiated (or is transferring, or applied). */
export const committedEverywhere = (s: State): number => {
  let upTo = Infinity;
  for (const b of s.secondaryBlades) upTo = Math.min(upTo, reached(b));
  return upTo;
};

/**
 * Recovery first finishes the two-phase apply of every number all secondaries initiated
 * (SPEC 3: those are committed): each blade writes its records of numbers up to `upTo` to
 * its device in primary order and counts them applied.
 */
export const completeUpTo = (d: Draft<State>, setup: Setup, upTo: number): void => {
  for (const b of d.secondaryBlades) {
    const pending = b.journal.filter((r) => r.write >= 0 && r.seq <= upTo && r.seq > b.appliedNo).sort(recordOrder);
    for (const r of pending) b.device[setup.writes[r.write]!.g] = r.write;
    b.journal = b.journal.filter((r) => r.seq > upTo);
    b.appliedNo = Math.max(b.appliedNo, upTo);
    b.initiatedNo = 0;
    b.transferNo = 0;
    b.syncTo = 0;
  }
};

const journalOrder = (x: JournalRecord, y: JournalRecord): number => x.sequenceNo - y.sequenceNo || x.serial - y.serial;
const same = (m: RecordMsg, r: JournalRecord, i: number): boolean =>
  m.from === i && m.serial === r.serial && m.seq === r.sequenceNo && m.write === r.write;

/** Primary blade i's records sent to j and not synchronised by j, earliest first. */
const unsynced = (d: Draft<State>, i: number, j: number): Draft<JournalRecord>[] => {
  const bit = 1 << j;
  const applied = d.secondaryBlades[j]!.appliedNo;
  return d.primaryBlades[i]!.journal
    .filter((r) => (r.serviceBitmap & bit) !== 0 && (r.sentBitmap & bit) !== 0 && (r.receivedBitmap & bit) === 0 && r.sequenceNo > applied)
    .sort(journalOrder);
};

/** How many of `list` (from primary blade i) secondary j holds, from the start, before the first gap. */
const heldPrefix = (d: Draft<State>, list: readonly JournalRecord[], i: number, j: number): number => {
  const held = d.secondaryBlades[j]!.journal;
  let k = 0;
  while (k < list.length && held.some((m) => same(m, list[k]!, i))) k++;
  return k;
};

/**
 * Recover (Fig 16 / Fig 17). Enabled once every link is up again after a link failure or a
 * restart. Atomic: the seed's recovery is a group-wide procedure run while the group waits.
 */
export const recover = (s: State, setup: Setup): State | undefined => {
  if (!s.recoveryPending || s.linksDown !== 0 || s.group !== 'replicating' || s.site !== 'running') return undefined;
  const upTo = committedEverywhere(s);
  return produce(s, (d) => {
    completeUpTo(d, setup, upTo);
    // Step 302 (Fig 16: every entry) or Fig 17 (the entries after the first gap, per sending blade).
    for (let j = 0; j < setup.S; j++) {
      const b = d.secondaryBlades[j]!;
      if (setup.mutant === 'recovery-keeps-after-gap') continue; // mutant (SPEC 5.5): keeps entry 3
      if (setup.cfg.recovery === 'fig16') {
        b.journal = [];
        continue;
      }
      const keep: RecordMsg[] = [];
      for (let i = 0; i < setup.P; i++) {
        const list = unsynced(d, i, j);
        const k = heldPrefix(d, list, i, j);
        for (const m of b.journal) if (m.from === i && list.slice(0, k).some((r) => same(m, r, i))) keep.push(m);
      }
      b.journal = keep.sort(recordOrder);
    }
    // What was in flight is discarded (lost, or ignored as older than the recovery).
    d.links = d.links.map(() => []);
    d.syncs = d.syncs.map(() => []);
    for (let i = 0; i < setup.P; i++) {
      if ((s.failedBlades >> i) & 1) continue;
      const pb = d.primaryBlades[i]!;
      // The secondaries announce what they applied (the syncs lost in flight), then step 304:
      // resend from the earliest entry each secondary lacks.
      for (const r of pb.journal) {
        for (let j = 0; j < setup.S; j++) if ((r.serviceBitmap >> j) & 1 && d.secondaryBlades[j]!.appliedNo >= r.sequenceNo) r.receivedBitmap |= 1 << j;
      }
      pb.journal = pb.journal.filter((r) => r.receivedBitmap !== r.serviceBitmap);
      for (let j = 0; j < setup.S; j++) {
        if (!((setup.service[i]! >> j) & 1)) continue;
        const list = unsynced(d, i, j);
        for (const r of list.slice(heldPrefix(d, list, i, j))) r.sentBitmap &= ~(1 << j);
      }
      transmitClosed(d, setup, i); // step 306
      // mutant (SPEC 5.11): having resent, the blade trims what it sent
      if (setup.mutant === 'resend-trims-on-sent') pb.journal = pb.journal.filter((r) => r.sentBitmap !== r.serviceBitmap);
    }
    d.secondaryShuttle = { at: 0, seqNo: upTo, mode: 0 };
    d.recoveryPending = false;
  });
};

/** Messages on link (i, j) and its syncs are lost (a link going down, a blade restarting). */
export const loseInFlight = (d: Draft<State>, setup: Setup, i: number, j: number): void => {
  d.links[linkIndex(setup, i, j)] = [];
  d.syncs[linkIndex(setup, i, j)] = [];
};
