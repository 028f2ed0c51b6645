/**
 * Data recovery of a consistency group after a link failure or a blade restart: Fig 16
 * (secondary blades delete every unsynchronised journal entry, step 302; primary blades
 * resend from their earliest unsynchronised entry, steps 304-306) or Fig 17 (a secondary
 * blade deletes only the entries after the first gap), by configuration.
 */
import { patchPrimary, patchSecondary, setAt, update, updateRecord, updateSecondary } from './immutable.ts';
import { linkIndex, recordOrder } from './links.ts';
import { transmitClosed } from './network.ts';
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { JournalRecord, RecordMsg, SecondaryBlade, State } from './state.ts';

/** The highest number every secondary blade has initiated (or is transferring, or applied). */
export const committedEverywhere = (s: State): number => {
  let upTo = Infinity;
  for (const b of s.secondaryBlades) upTo = Math.min(upTo, reached(b));
  return upTo;
};

/**
 * Recovery first finishes the two-phase apply of every number all secondaries initiated
 * (PROTOCOL.md §3, recoverable image: those are committed): secondary blade b writes its
 * records of numbers up to `upTo` to its device in primary order and counts them applied.
 */
export const completeBlade = (setup: Setup, b: SecondaryBlade, upTo: number): SecondaryBlade => {
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
};

/** completeBlade at every secondary blade (Repair). */
export const completeUpTo = (s: State, setup: Setup, upTo: number): State =>
  update(s, { secondaryBlades: s.secondaryBlades.map((b) => completeBlade(setup, b, upTo)) });

/** As completeUpTo, at secondary blade j alone (its step of the recovery). */
const completeAt = (s: State, setup: Setup, j: number, upTo: number): State => patchSecondary(s, j, completeBlade(setup, s.secondaryBlades[j]!, upTo));

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

/** Is the recovery waiting for this step: pending, every link up, the group replicating, the site running? */
const recovering = (s: State): boolean => s.recoveryPending && s.linksDown === 0 && s.group === 'replicating' && s.site === 'running';

/** A bitmask of the first n blades. */
export const all = (n: number): number => (1 << n) - 1;

/**
 * SecRecover(j): secondary blade j's part of the recovery (Fig 16 step 302, Fig 17). It first
 * completes every number all secondaries initiated (PROTOCOL.md §3, recoverable image: those
 * are committed), then drops its unsynchronised entries: Fig 16 all of them; Fig 17 those
 * after the first gap of each sending blade. What was in flight to it (and its syncs back) is
 * discarded: older than the recovery. The last secondary to do so resets the secondary
 * shuttle to the number completed everywhere (Fig 17).
 */
export const secRecover = (s: State, setup: Setup, j: number): State | undefined => {
  if (!recovering(s) || (s.secRecovered >> j) & 1) return undefined;
  const upTo = committedEverywhere(s);
  const completed = completeAt(s, setup, j, upTo);
  const b = completed.secondaryBlades[j]!;
  let kept: readonly RecordMsg[] = [];
  if (setup.mutant === 'recovery-keeps-after-gap') kept = b.journal; // mutant: keeps entry 3
  else if (setup.cfg.recovery === 'fig17') {
    const keep: RecordMsg[] = [];
    for (let i = 0; i < setup.P; i++) {
      const list = unsynced(completed, i, j);
      const k = heldPrefix(completed, list, i, j);
      for (const m of b.journal) if (m.from === i && list.slice(0, k).some((r) => same(m, r, i))) keep.push(m);
    }
    kept = keep.sort(recordOrder);
  }
  // What was in flight to and from j is older than the recovery: discarded, so nothing sent
  // before it arrives beside what the primaries resend (the mutant keeps it: no de-duplication).
  const dropped = patchSecondary(completed, j, { journal: kept });
  const forgotten = setup.mutant !== 'recovery-no-dedup' ? loseInFlightTo(dropped, setup, j) : dropped;
  const secRecovered = s.secRecovered | (1 << j);
  const done = secRecovered === all(setup.S);
  // Fig 17: the secondary shuttle restarts from the last number committed everywhere (the mutant keeps its number and pass).
  const secondaryShuttle = done && setup.mutant !== 'recovery-keeps-shuttle' ? { at: 0, seqNo: upTo, mode: 0 as const } : completed.secondaryShuttle;
  return update(forgotten, { secRecovered, secondaryShuttle });
};

/**
 * Resend(i): primary blade i's part (Fig 16 steps 304-306), once every secondary took step 302.
 * The secondaries' announcements of what they applied (the syncs lost in flight) set received
 * bits and trim what every secondary holds; then, per secondary, the blade resends from its
 * earliest unsynchronised entry that the secondary does not hold. The last blade to resend ends
 * the recovery.
 */
export const resend = (s: State, setup: Setup, i: number): State | undefined => {
  if (!recovering(s) || s.secRecovered !== all(setup.S) || (s.resent >> i) & 1 || (s.failedBlades >> i) & 1) return undefined;
  const announced = s.primaryBlades[i]!.journal.map((r) => {
    let receivedBitmap = r.receivedBitmap;
    for (let j = 0; j < setup.S; j++) if ((r.serviceBitmap >> j) & 1 && s.secondaryBlades[j]!.appliedNo >= r.sequenceNo) receivedBitmap |= 1 << j;
    return updateRecord(r, { receivedBitmap });
  });
  let t = patchPrimary(s, i, { journal: announced.filter((r) => r.receivedBitmap !== r.serviceBitmap) });
  for (let j = 0; j < setup.S; j++) {
    if (!((setup.service[i]! >> j) & 1)) continue;
    const list = unsynced(t, i, j);
    // (mutant: the blade resends from its first unsent entry, which transmit sends anyway: what was lost in flight stays marked sent)
    const again = new Set(setup.mutant === 'resend-from-unsent' ? [] : list.slice(heldPrefix(t, list, i, j)));
    const journal = t.primaryBlades[i]!.journal.map((r) => (again.has(r) ? updateRecord(r, { sentBitmap: r.sentBitmap & ~(1 << j) }) : r));
    t = patchPrimary(t, i, { journal });
  }
  const resentNow = s.resent | (1 << i);
  t = transmitClosed(update(t, { resent: resentNow }), setup, i); // step 306
  // mutant: having resent, the blade trims what it sent
  if (setup.mutant === 'resend-trims-on-sent') {
    t = patchPrimary(t, i, { journal: t.primaryBlades[i]!.journal.filter((r) => r.sentBitmap !== r.serviceBitmap) });
  }
  const finished = (resentNow | s.failedBlades) === all(setup.P);
  return finished ? update(t, { resent: 0, secRecovered: 0, recoveryPending: false }) : t;
};

/** Messages on link (i, j) and its syncs are lost (a link going down, a blade restarting). */
export const loseInFlight = (s: State, setup: Setup, i: number, j: number): State =>
  update(s, {
    links: setAt(s.links, linkIndex(setup, i, j), []),
    syncs: setAt(s.syncs, linkIndex(setup, i, j), []),
  });

/** Everything in flight to secondary blade j, and its syncs back, is lost (loseInFlight on each of its links). */
export const loseInFlightTo = (s: State, setup: Setup, j: number): State => {
  let t = s;
  for (let i = 0; i < setup.P; i++) t = loseInFlight(t, setup, i, j);
  return t;
};
