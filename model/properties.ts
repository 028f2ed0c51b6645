/** The properties of PROTOCOL.md §3 (and §8, under faults), the terminal check and the liveness check. */
import type { ActionProperty, Invariant, ReachabilityProperty } from '../checker/model.ts';
import { type Action, FAULT_ACTIONS } from './actions.ts';
import { consistency, recoverableImage } from './image.ts';
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { JournalRecord, RecordMsg, State } from './state.ts';

export const PROPERTY = {
  consistency: 'recoverable consistency',
  ordered: 'ordered sequence numbers',
  deletion: 'safe journal deletion',
  applyOrder: 'apply order',
  totals: 'running totals exact',
  slot: 'slot discipline',
  noEmpty: 'no empty sequence number',
  monotonic: 'monotonic numbers',
  regression: 'no regression',
  persistence: 'acknowledgement after persistence',
  noLoss: 'no acknowledged write lost',
  restored: 'restored primary consistent',
  resumedClean: 'replication resumes with every track valid',
  resent: 'a record lost in flight is resent',
  converges: 'converged quiescent state reachable',
} as const;

/** Deliveries stamped with number `n` (ghost): group-wide for the shuttles, those of primary blade `from` for the timer. */
const expectedTotal = (s: State, setup: Setup, from: number, n: number): number => {
  let total = 0;
  if (n === -1) return total; // the stamp of a write not yet stamped
  for (let w = 0; w < s.writes.length; w++) {
    if (s.writes[w]!.seq !== n) continue;
    const i = setup.writes[w]!.device;
    if (setup.kind !== 'timer' || i === from) total += setup.fanout[i]!;
  }
  return total;
};

/** The first wrong total in `s`, described, or null. */
const wrongTotal = (s: State, setup: Setup): string | null => {
  const exp = (from: number, n: number): number => expectedTotal(s, setup, from, n);
  for (let i = 0; i < s.primaryBlades.length; i++) {
    const b = s.primaryBlades[i]!;
    if (b.sequenceNo >= 1 && b.totalWrites !== exp(i, b.sequenceNo)) {
      return `P${i} has TOTAL WRITES ${b.totalWrites} for SEQUENCENO ${b.sequenceNo}, but ${exp(i, b.sequenceNo)} deliveries carry that number`;
    }
    for (const r of b.journal) {
      if (r.totalWrites !== null && r.totalWrites !== exp(i, r.sequenceNo)) {
        return `P${i}'s record ${r.write < 0 ? 'marker' : `w${r.write}`} of number ${r.sequenceNo} carries total ${r.totalWrites}, but ${exp(i, r.sequenceNo)} deliveries carry that number`;
      }
    }
  }
  for (const sh of s.shuttles) {
    if (sh.wkSlotNo >= 1 && sh.wkSlotCnt !== exp(0, sh.wkSlotNo)) {
      return `the shuttle's WKSLOTCNT is ${sh.wkSlotCnt} for WKSLOTNO ${sh.wkSlotNo}, but ${exp(0, sh.wkSlotNo)} deliveries carry that number`;
    }
  }
  // the records in flight, then those the secondary blades hold
  const wrong = (r: RecordMsg): string =>
    `a record of number ${r.seq} from P${r.from} at the secondary site carries total ${r.total}, but ${exp(r.from, r.seq)} deliveries carry that number`;
  for (const link of s.links) for (const r of link) if (r.total !== exp(r.from, r.seq)) return wrong(r);
  for (const b of s.secondaryBlades) for (const r of b.journal) if (r.total !== exp(r.from, r.seq)) return wrong(r);
  return null;
};

const orderedViolation = (s: State): string | null => {
  for (let w2 = 0; w2 < s.writes.length; w2++) {
    const g2 = s.writes[w2]!;
    if (g2.seq === -1) continue;
    for (let w1 = 0; w1 < s.writes.length; w1++) {
      if ((g2.deps >> w1) & 1 && s.writes[w1]!.seq > g2.seq) {
        return `w${w1} ≺ w${w2} (w${w1} was acknowledged before w${w2} was issued) but seq(w${w1}) = ${s.writes[w1]!.seq} > seq(w${w2}) = ${g2.seq}`;
      }
    }
  }
  return null;
};

const persistenceViolation = (s: State, setup: Setup): string | null => {
  if (setup.direct) return null; // no numbers: a sync vouches for its one record only (checked by "no acknowledged write lost")
  for (let w = 0; w < s.writes.length; w++) {
    const g = s.writes[w]!;
    if (g.status !== 2) continue;
    if (!s.primaryBlocks[setup.writes[w]!.g]!.includes(w)) return `w${w} was acknowledged to the host but is not on its primary device`;
    if (s.deviceWaiting[setup.writes[w]!.device]!.includes(w)) return `w${w} was acknowledged to the host but its blade has not journaled it (it waits at device P${setup.writes[w]!.device})`;
  }
  for (let i = 0; i < setup.P; i++) {
    for (let j = 0; j < setup.S; j++) {
      for (const m of s.syncs[i * setup.S + j]!) {
        if (s.secondaryBlades[j]!.appliedNo < m.seq) return `S${j} sent P${i} a sync for number ${m.seq} but its device holds numbers only up to ${s.secondaryBlades[j]!.appliedNo}`;
      }
    }
    for (const r of s.primaryBlades[i]!.journal) {
      for (let j = 0; j < setup.S; j++) {
        if ((r.receivedBitmap >> j) & 1 && s.secondaryBlades[j]!.appliedNo < r.sequenceNo) {
          return `P${i}'s record of number ${r.sequenceNo} has received bit ${j} set but S${j}'s device holds numbers only up to ${s.secondaryBlades[j]!.appliedNo}`;
        }
      }
    }
  }
  return null;
};

/** Ghost completeness of number `n` for secondary blade `j`: every blade closed `n` and j holds every record of `n` meant for it. */
const incompleteFor = (s: State, setup: Setup, j: number, n: number): string | null => {
  for (let i = 0; i < setup.P; i++) if (!((s.failedBlades >> i) & 1) && s.primaryBlades[i]!.curSlotNo <= n) return `P${i} may still stamp number ${n} (its CURSLOTNO is ${s.primaryBlades[i]!.curSlotNo})`;
  for (let w = 0; w < s.writes.length; w++) {
    if (s.writes[w]!.seq !== n || !((setup.service[setup.writes[w]!.device]! >> j) & 1)) continue;
    if (!s.secondaryBlades[j]!.journal.some((r) => r.write === w)) return `S${j} lacks w${w} of number ${n}`;
  }
  return null;
};

/** Recovery steps that finish or undo the two-phase apply wholesale (checked by consistency and no-regression instead). */
const RECOVERY_STEPS: ReadonlySet<string> = new Set(['SecRecover', 'Resend', 'Repair', 'CopyTrack', 'Failover']);

const applyOrderViolation = (b: State, setup: Setup, a: State): string | null => {
  for (let j = 0; j < setup.S; j++) {
    const rb = reached(b.secondaryBlades[j]!);
    const ra = reached(a.secondaryBlades[j]!);
    if (ra !== rb) {
      if (ra !== rb + 1) return `S${j} moved from number ${rb} to ${ra}, skipping ${rb + 1}`;
      const why = incompleteFor(b, setup, j, ra);
      if (why) return `S${j} initiated number ${ra} before it was complete: ${why}`;
    }
    const devB = b.secondaryBlades[j]!.device;
    const devA = a.secondaryBlades[j]!.device;
    if (devA === devB) continue; // the same device: nothing written
    for (let g = 0; g < devA.length; g++) {
      const w = devA[g]!;
      if (w === devB[g]) continue;
      const n = a.writes[w]!.seq;
      if (b.secondaryBlades[j]!.transferNo !== n || b.secondaryBlades[j]!.appliedNo !== n - 1) {
        return `S${j} put w${w} (number ${n}) on its device while transferring ${b.secondaryBlades[j]!.transferNo} with ${b.secondaryBlades[j]!.appliedNo} applied`;
      }
    }
  }
  return null;
};

const monotonicViolation = (b: State, a: State, secondaryExempt: boolean): string | null => {
  for (let i = 0; i < a.primaryBlades.length; i++) {
    const x = b.primaryBlades[i]!;
    const y = a.primaryBlades[i]!;
    if (y.curSlotNo < x.curSlotNo) return `P${i}'s CURSLOTNO went from ${x.curSlotNo} to ${y.curSlotNo}`;
    if (y.sequenceNo < x.sequenceNo) return `P${i}'s SEQUENCENO went from ${x.sequenceNo} to ${y.sequenceNo}`;
  }
  for (let k = 0; k < a.shuttles.length; k++) {
    if (a.shuttles[k]!.shSlotNo < b.shuttles[k]!.shSlotNo) return `shuttle ${k}'s SHSLOTNO went from ${b.shuttles[k]!.shSlotNo} to ${a.shuttles[k]!.shSlotNo}`;
  }
  if (secondaryExempt) return null;
  for (let j = 0; j < a.secondaryBlades.length; j++) {
    if (a.secondaryBlades[j]!.appliedNo < b.secondaryBlades[j]!.appliedNo) return `S${j}'s applied number went from ${b.secondaryBlades[j]!.appliedNo} to ${a.secondaryBlades[j]!.appliedNo}`;
    if (reached(a.secondaryBlades[j]!) < reached(b.secondaryBlades[j]!)) return `S${j}'s initiated number went from ${reached(b.secondaryBlades[j]!)} to ${reached(a.secondaryBlades[j]!)}`;
  }
  if (a.secondaryShuttle.seqNo < b.secondaryShuttle.seqNo) return `the secondary shuttle's number went from ${b.secondaryShuttle.seqNo} to ${a.secondaryShuttle.seqNo}`;
  return null;
};

/** Primary-order position of write `w` in block history `hist` (-1 for the initial value). */
const pos = (hist: readonly number[], w: number): number => (w < 0 ? -1 : hist.indexOf(w));

const regressionViolation = (b: State, setup: Setup, a: State): string | null => {
  for (let j = 0; j < setup.S; j++) {
    if (a.secondaryBlades[j]!.device === b.secondaryBlades[j]!.device) continue; // the same device: nothing moved
    for (const g of setup.heldBlocks[j]!) {
      const vb = b.secondaryBlades[j]!.device[g]!;
      const va = a.secondaryBlades[j]!.device[g]!;
      if (va !== vb && pos(a.primaryBlocks[g]!, va) < pos(a.primaryBlocks[g]!, vb)) return `S${j} block ${g} moved back from w${vb} to ${va < 0 ? 'initial' : `w${va}`}, which the primary stored earlier`;
    }
  }
  return null;
};

const sameRecord = (x: JournalRecord, y: JournalRecord): boolean => x.write === y.write && x.sequenceNo === y.sequenceNo;

const deletionViolation = (b: State, setup: Setup, a: State): string | null => {
  for (let i = 0; i < setup.P; i++) {
    const after = a.primaryBlades[i]!.journal;
    if (after === b.primaryBlades[i]!.journal) continue; // the same journal: nothing deleted
    for (const r of b.primaryBlades[i]!.journal) {
      if (after.some((x) => sameRecord(x, r))) continue;
      const g = r.write < 0 ? -1 : setup.writes[r.write]!.g;
      for (let j = 0; j < setup.S; j++) {
        if (g >= 0 && (a.invalidTracks[j]! >> g) & 1) continue; // the track went invalid instead (overflow, volatile loss, trigger)
        if ((r.serviceBitmap >> j) & 1 && !((r.receivedBitmap >> j) & 1) && a.secondaryBlades[j]!.appliedNo < r.sequenceNo) {
          return `P${i} deleted its record ${r.write < 0 ? 'marker' : `w${r.write}`} of number ${r.sequenceNo} before S${j} synchronised it (S${j} applied up to ${a.secondaryBlades[j]!.appliedNo})`;
        }
      }
    }
  }
  return null;
};

const inv = (name: string, why: (s: State) => string | null): Invariant<State> => ({
  name,
  holds: (s) => why(s) === null,
  explain: (s) => why(s) ?? '',
});

const act = (name: string, why: (b: State, a: State, x: Action) => string | null): ActionProperty<State, Action> => ({
  name,
  holds: (b, x, a) => why(b, a, x) === null,
  explain: (b, x, a) => why(b, a, x) ?? '',
});

/** Primary-order position of the value secondary j holds (or will hold, in flight) for block g. */
const at = (hist: readonly number[], w: number): number => (w < 0 ? -1 : hist.indexOf(w));

/**
 * PROTOCOL.md §8, no acknowledged write lost: every acknowledged write is on its primary device and, for each secondary it
 * must reach, is in a primary journal, or applied there (the secondary holds it or a later
 * write of the block), or its track is marked invalid there. Background copy (related art)
 * has no journal: its modified-track bitmap and the copies in flight stand in for it. Not
 * checked once the primary site has stopped (its journals are gone: what that loses is
 * measured by `npm run claims`).
 */
const lossViolation = (s: State, setup: Setup): string | null => {
  if (s.site !== 'running') return null;
  let inJournals = 0; // bitmask of the writes some primary journal holds
  for (const b of s.primaryBlades) for (const r of b.journal) if (r.write >= 0) inJournals |= 1 << r.write;
  for (let w = 0; w < s.writes.length; w++) {
    if (s.writes[w]!.status !== 2) continue;
    const { g, device } = setup.writes[w]!;
    const hist = s.primaryBlocks[g]!;
    const p = hist.indexOf(w);
    if (p < 0) return `w${w} was acknowledged but is not on its primary device`;
    const journaled = (inJournals >> w) & 1;
    for (let j = 0; j < setup.S; j++) {
      if (!((setup.holders[g]! >> j) & 1)) continue;
      if (journaled || (s.invalidTracks[j]! >> g) & 1 || at(hist, s.secondaryBlades[j]!.device[g]!) >= p) continue;
      if (setup.cfg.mode === 'background' && ((s.modifiedTracks >> g) & 1 || s.links[device * setup.S + j]!.some((m) => at(hist, m.write) >= p))) continue;
      return `w${w} was acknowledged but S${j} lacks it: it is in no primary journal, S${j}'s block ${g} holds ${s.secondaryBlades[j]!.device[g]! < 0 ? 'the initial value' : `w${s.secondaryBlades[j]!.device[g]}`}, and the track is not marked invalid`;
    }
  }
  return null;
};

/**
 * A journal record marked sent to secondary j, which j has not synchronised, must still be on
 * its way: on the link, in j's SG-list, on j's device (its data, or its number under
 * transfer), or about to be resent by the recovery that a link failure or a restart leaves
 * pending. Otherwise it was lost in flight and nothing will ever send it again: the sent bit
 * says it left, and only a recovery clears that bit.
 */
const lostInFlight = (s: State, setup: Setup): string | null => {
  if (s.site !== 'running' || s.group !== 'replicating' || s.recoveryPending || s.linksDown !== 0) return null;
  for (let i = 0; i < setup.P; i++) {
    if ((s.failedBlades >> i) & 1) continue;
    for (const r of s.primaryBlades[i]!.journal) {
      for (let j = 0; j < setup.S; j++) {
        const bit = 1 << j;
        if (!(r.serviceBitmap & bit) || !(r.sentBitmap & bit) || r.receivedBitmap & bit) continue;
        const b = s.secondaryBlades[j]!;
        if (b.appliedNo >= r.sequenceNo || b.transferNo === r.sequenceNo || b.initiatedNo >= r.sequenceNo) continue;
        const same = (m: RecordMsg): boolean => m.from === i && m.serial === r.serial && m.seq === r.sequenceNo && m.write === r.write;
        if (s.links[i * setup.S + j]!.some(same) || b.journal.some(same)) continue;
        if (r.write >= 0) {
          const { g } = setup.writes[r.write]!;
          const hist = s.primaryBlocks[g]!;
          if (at(hist, b.device[g]!) >= at(hist, r.write)) continue;
        }
        const what = r.write >= 0 ? `w${r.write}` : 'the empty-number marker';
        return `P${i}'s record of ${what} (number ${r.sequenceNo}) is marked sent to S${j}, yet it is on no link, not at S${j}, and no recovery is pending to resend it`;
      }
    }
  }
  return null;
};

export const invariantsFor = (setup: Setup): Invariant<State>[] => {
  const list = [
    inv(PROPERTY.slot, (s) => (s.error358 ? 'a blade received the shuttle with CURSLOTNO equal to neither SHSLOTNO nor OLDSLOTNO (Fig 19A step 358)' : null)),
    inv(PROPERTY.persistence, (s) => persistenceViolation(s, setup)),
    inv(PROPERTY.totals, (s) => (setup.direct ? null : wrongTotal(s, setup))),
    inv(PROPERTY.ordered, (s) => orderedViolation(s)),
    inv(PROPERTY.noLoss, (s) => lossViolation(s, setup)),
    inv(PROPERTY.resent, (s) => (setup.direct ? null : lostInFlight(s, setup))),
    inv(PROPERTY.consistency, (s) => {
      // exempt while a resynchronisation copies invalid tracks: the secondary is declared inconsistent (group 'resyncing')
      if (s.group === 'resyncing') return null;
      const v = consistency(s, setup, recoverableImage(s, setup));
      return v.ok ? null : v.why;
    }),
  ];
  if (setup.cfg.rollback) {
    list.push(
      inv(PROPERTY.restored, (s) => {
        if (!s.restoredPrimary) return null;
        const v = consistency(s, setup, s.secondaryBlades.map(() => s.restoredPrimary!));
        return v.ok ? null : `the primary restored from the secondary: ${v.why}`;
      }),
    );
  }
  if (setup.cfg.checkNoEmptyNumbers) {
    list.push(
      inv(PROPERTY.noEmpty, (s) => {
        const i = s.primaryBlades.findIndex((b) => b.sequenceNo > s.sequenceBase && b.totalWrites === 0);
        return i < 0 ? null : `P${i} closed sequence number ${s.primaryBlades[i]!.sequenceNo} with no data (TOTAL WRITES 0)`;
      }),
    );
  }
  return list;
};

export const actionPropertiesFor = (setup: Setup): ActionProperty<State, Action>[] => [
  // SecRecover and Failover may drop a number some secondaries initiated (not committed everywhere): the secondary side is exempt then.
  act(PROPERTY.monotonic, (b, a, x) => monotonicViolation(b, a, x.type === 'SecRecover' || x.type === 'Failover')),
  act(PROPERTY.deletion, (b, a) => (setup.direct ? null : deletionViolation(b, setup, a))),
  act(PROPERTY.applyOrder, (b, a, x) => (setup.direct || RECOVERY_STEPS.has(x.type) ? null : applyOrderViolation(b, setup, a))),
  act(PROPERTY.regression, (b, a) => regressionViolation(b, setup, a)),
  act(PROPERTY.resumedClean, (b, a) => resumedWithInvalidTracks(b, a)),
];

/**
 * A step that puts the group back to replicating (the end of a trigger's repair, or the last
 * track copied) while a secondary still has invalid tracks: replication would resume over
 * tracks whose data the secondary never got, and nothing would copy them any more.
 */
const resumedWithInvalidTracks = (b: State, a: State): string | null => {
  if (a.group !== 'replicating' || b.group === 'replicating') return null;
  const j = a.invalidTracks.findIndex((m) => m !== 0);
  if (j < 0) return null;
  const blocks = [...Array(31).keys()].filter((g) => (a.invalidTracks[j]! >> g) & 1);
  return `the group went from ${b.group} back to replicating while secondary device ${j} still has invalid tracks (blocks ${blocks.join(', ')})`;
};

/**
 * Liveness (PROTOCOL.md §3), on the explored graph: from every reachable state a converged quiescent
 * state can be reached with protocol steps alone (no new fault, no operator intervention).
 */
export const reachabilityFor = (setup: Setup): ReachabilityProperty<State, Action>[] => [
  {
    name: PROPERTY.converges,
    goal: (s) => notConverged(s, setup) === null,
    via: (a) => !FAULT_ACTIONS.has(a.type),
    explain: (s) => `no converged quiescent state is reachable without new faults; here: ${notConverged(s, setup)}`,
  },
];

/** Why `s` is not drained and converged (PROTOCOL.md §3, drained state; §8, converged quiescent), or null when it is. */
export const notConverged = (s: State, setup: Setup): string | null => {
  if (s.site === 'failed-over' || s.site === 'rolled-back') return null; // the end: the host runs at the secondary site / on the restored primary
  if (s.site === 'stopped') return 'the primary site stopped and the secondary site has not yet failed over';
  const w = s.writes.findIndex((g) => g.status !== 2);
  if (w >= 0) return `w${w} is ${s.writes[w]!.status === 0 ? 'not issued' : 'not acknowledged'}`;
  if (s.linksDown !== 0) return 'a link is down';
  if (s.recoveryPending) return 'the recovery of Fig 16/17 has not run';
  if (s.group === 'resyncing') return 'invalid tracks are still to be copied';
  if (s.group === 'triggered' && s.failedBlades === 0) return 'the consistency group is triggered and not yet repaired';
  // Converged means every track valid again, unless a blade failed for good (its tracks may stay invalid).
  const bad = s.invalidTracks.findIndex((m) => m !== 0);
  if (bad >= 0 && s.failedBlades === 0) return `S${bad} still has invalid tracks`;
  if (s.modifiedTracks !== 0) return 'modified tracks are still to be copied';
  // A failed blade's journal stays as it was (nobody syncs it).
  const i = s.primaryBlades.findIndex((b, k) => b.journal.length > 0 && !((s.failedBlades >> k) & 1));
  if (i >= 0) return `P${i}'s journal still holds ${s.primaryBlades[i]!.journal.length} record(s)`;
  if (s.links.some((l) => l.length > 0) || s.syncs.some((l) => l.length > 0)) return 'messages are still in flight';
  const j = s.secondaryBlades.findIndex((b) => b.journal.length > 0 || b.initiatedNo !== 0 || b.transferNo !== 0);
  if (j >= 0) return `S${j} still holds records or a number not yet applied`;
  for (let k = 0; k < setup.S; k++) {
    for (const g of setup.heldBlocks[k]!) {
      if ((s.invalidTracks[k]! >> g) & 1) continue; // PROTOCOL.md §3, liveness: equal on every valid track
      const h = s.primaryBlocks[g]!;
      const want = h.length ? h[h.length - 1]! : -1;
      if (s.secondaryBlades[k]!.device[g] !== want) return `S${k} block ${g} holds ${s.secondaryBlades[k]!.device[g]} but the primary holds ${want}`;
    }
  }
  return null;
};
