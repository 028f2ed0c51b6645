/**
 * Data recovery of a consistency group after a link failure or a blade restart: Fig 16
 * (secondary blades delete every unsynchronised journal entry, step 302; primary blades
 * resend from their earliest unsynchronised entry, steps 304-306) or Fig 17 (a secondary
 * blade deletes only the entries after the first gap), by configuration.
 */
import { patchPrimary, setAt, update, updateRecord, updateSecondary } from './immutable.ts';
import { linkIndex, recordOrder } from './links.ts';
import { transmitClosed } from './network.ts';
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
 * (PROTOCOL.md §3, recoverable image: those are committed): each blade writes its records of numbers up to `upTo` to
 * its device in primary order and counts them applied.
 */
export const completeUpTo = (s: State, setup: Setup, upTo: number): State =>
  update(s, {
    secondaryBlades: s.secondaryBlades.map((b) => {
      const pending = b.journal.filter((r) => r.write >= 0 && r.seq <= upTo && r.seq > b.appliedNo).sort(recordOrder);
      const device = b.device.slice();
      for (const r of pending) device[setup.writes[r.write]!.g] = r.write;
      return updateSecondary(b, {
        device,
        journal: b.journal.filter((r) => r.seq > upTo),
        appliedNo: Math.max(b.appliedNo, upTo),
        initiatedNo: 0,
        transferNo: 0,
        syncTo: 0,
      });
    }),
  });

const journalOrder = (x: JournalRecord, y: JournalRecord): number => x.sequenceNo - y.sequenceNo || x.serial - y.serial;
const same = (m: RecordMsg, r: JournalRecord, i: number): boolean =>
  m.from === i && m.serial === r.serial && m.seq === r.sequenceNo && m.write === r.write;

/** Primary blade i's records sent to j and not synchronised by j, earliest first. */
const unsynced = (s: State, i: number, j: number): JournalRecord[] => {
  const bit = 1 << j;
  const applied = s.secondaryBlades[j]!.appliedNo;
  return s.primaryBlades[i]!.journal
    .filter((r) => (r.serviceBitmap & bit) !== 0 && (r.sentBitmap & bit) !== 0 && (r.receivedBitmap & bit) === 0 && r.sequenceNo > applied)
    .sort(journalOrder);
};

/** How many of `list` (from primary blade i) secondary j holds, from the start, before the first gap. */
const heldPrefix = (s: State, list: readonly JournalRecord[], i: number, j: number): number => {
  const held = s.secondaryBlades[j]!.journal;
  let k = 0;
  while (k < list.length && held.some((m) => same(m, list[k]!, i))) k++;
  return k;
};

/**
 * Recover (Fig 16 / Fig 17). Enabled once every link is up again after a link failure or a
 * restart. Atomic: the patent's recovery is a group-wide procedure run while the group waits.
 */
export const recover = (s: State, setup: Setup): State | undefined => {
  if (!s.recoveryPending || s.linksDown !== 0 || s.group !== 'replicating' || s.site !== 'running') return undefined;
  const upTo = committedEverywhere(s);
  const completed = completeUpTo(s, setup, upTo);
  // Step 302 (Fig 16: every entry) or Fig 17 (the entries after the first gap, per sending blade).
  const secondaryBlades = completed.secondaryBlades.map((b, j) => {
    if (setup.mutant === 'recovery-keeps-after-gap') return b; // mutant: keeps entry 3
    if (setup.cfg.recovery === 'fig16') return updateSecondary(b, { journal: [] });
    const keep: RecordMsg[] = [];
    for (let i = 0; i < setup.P; i++) {
      const list = unsynced(completed, i, j);
      const k = heldPrefix(completed, list, i, j);
      for (const m of b.journal) if (m.from === i && list.slice(0, k).some((r) => same(m, r, i))) keep.push(m);
    }
    return updateSecondary(b, { journal: keep.sort(recordOrder) });
  });
  // What was in flight is discarded (lost, or ignored as older than the recovery).
  let t = update(completed, { secondaryBlades, links: completed.links.map(() => []), syncs: completed.syncs.map(() => []) });
  for (let i = 0; i < setup.P; i++) {
    if ((s.failedBlades >> i) & 1) continue;
    // The secondaries announce what they applied (the syncs lost in flight), then step 304:
    // resend from the earliest entry each secondary lacks.
    const announced = t.primaryBlades[i]!.journal.map((r) => {
      let receivedBitmap = r.receivedBitmap;
      for (let j = 0; j < setup.S; j++) if ((r.serviceBitmap >> j) & 1 && secondaryBlades[j]!.appliedNo >= r.sequenceNo) receivedBitmap |= 1 << j;
      return updateRecord(r, { receivedBitmap });
    });
    t = patchPrimary(t, i, { journal: announced.filter((r) => r.receivedBitmap !== r.serviceBitmap) });
    for (let j = 0; j < setup.S; j++) {
      if (!((setup.service[i]! >> j) & 1)) continue;
      const list = unsynced(t, i, j);
      // (mutant: the blade forgets to resend: what was lost in flight stays marked sent)
      const resend = new Set(setup.mutant === 'recovery-skips-resend' ? [] : list.slice(heldPrefix(t, list, i, j)));
      const journal = t.primaryBlades[i]!.journal.map((r) => (resend.has(r) ? updateRecord(r, { sentBitmap: r.sentBitmap & ~(1 << j) }) : r));
      t = patchPrimary(t, i, { journal });
    }
    t = transmitClosed(t, setup, i); // step 306
    // mutant: having resent, the blade trims what it sent
    if (setup.mutant === 'resend-trims-on-sent') {
      t = patchPrimary(t, i, { journal: t.primaryBlades[i]!.journal.filter((r) => r.sentBitmap !== r.serviceBitmap) });
    }
  }
  // Fig 17: the secondary shuttle restarts from the last number committed everywhere (the mutant keeps its number and pass).
  const secondaryShuttle = setup.mutant === 'recovery-keeps-shuttle' ? s.secondaryShuttle : { at: 0, seqNo: upTo, mode: 0 as const };
  return update(t, { secondaryShuttle, recoveryPending: false });
};

/** Messages on link (i, j) and its syncs are lost (a link going down, a blade restarting). */
export const loseInFlight = (s: State, setup: Setup, i: number, j: number): State =>
  update(s, {
    links: setAt(s.links, linkIndex(setup, i, j), []),
    syncs: setAt(s.syncs, linkIndex(setup, i, j), []),
  });
