/** The primary WAN blade's journal (Fig 3, 9, 10, 12, 14) and its side of the sync (Fig 15 step 280). */
import { type Fresh, keepWhere, patchPrimary, patchWrite, updateBlade, updateRecord, updateWhere } from './immutable.ts';
import type { Setup } from './setup.ts';
import type { JournalRecord, PrimaryBlade, State } from './state.ts';

/** Data records in the journal (markers carry no data and do not count against capacity). */
export const dataRecords = (b: PrimaryBlade): number => {
  let n = 0;
  for (const r of b.journal) if (r.write >= 0) n++;
  return n;
};

/** Fig 3 step 82: has the blade room for one more write? */
export const journalHasRoom = (setup: Setup, b: PrimaryBlade): boolean =>
  dataRecords(b) < (setup.cfg.mode === 'semi-synchronous' ? 1 : setup.cfg.primary.journalCapacity); // semi-synchronous: one outstanding transfer

/**
 * Fig 10 step 188 (Fig 12 step 222, Fig 14 step 252): the blade journals write `w` as a
 * Fig 9 record stamped with its current number. The data transfer of steps 194/258 is
 * merged into this step. The running count grows by the write's deliveries (PROTOCOL.md §2, stamp).
 */
export const stamp = (s: State, setup: Setup, i: number, w: number): State => {
  const b = s.primaryBlades[i]!;
  const record: JournalRecord = {
    write: w,
    sequenceNo: b.curSlotNo,
    totalWrites: null,
    serviceBitmap: setup.service[i]!,
    sentBitmap: 0,
    receivedBitmap: 0,
    serial: b.nextSerial,
  };
  const stamped = patchPrimary(s, i, {
    journal: [...b.journal, record],
    nextSerial: b.nextSerial + 1,
    curSlotCnt: b.curSlotCnt + setup.fanout[i]!,
  });
  return patchWrite(stamped, w, { seq: b.curSlotNo }); // ghost
};

/**
 * Fig 12 step 226 (Fig 19 steps 366/386 "signal"): number `n` is closed; fill in the total
 * writes of the blade's records stamped `n`. From now on they may be sent.
 */
export const closeNumber = (b: Fresh<PrimaryBlade>, n: number, total: number): void => {
  b.journal = updateWhere(b.journal, (r) => r.sequenceNo === n && r.totalWrites === null, (r) => updateRecord(r, { totalWrites: total }));
};

/** An empty-number marker: a record without data announcing that `n` closed with `total` deliveries. */
export const journalMarker = (setup: Setup, b: Fresh<PrimaryBlade>, i: number, n: number): void => {
  if (setup.direct) return;
  b.journal = [...b.journal, { write: -1, sequenceNo: n, totalWrites: 0, serviceBitmap: setup.service[i]!, sentBitmap: 0, receivedBitmap: 0, serial: -1 }];
};

/**
 * Fig 10 step 190 after 198 (Fig 12 step 228 after 224, Fig 14 step 256 after 254): the
 * blade says "transfer ready" for write `w` once its number moved on. The timer variant
 * does not wait (that is its point, PROTOCOL.md §2, HostAck).
 */
export const transferReady = (s: State, setup: Setup, w: number): boolean => {
  const g = s.writes[w]!;
  // mutant: the device acknowledges a write still waiting for journal room (Fig 3 step 84)
  if (g.seq === -1) return setup.mutant === 'ack-before-journal' && g.status === 1;
  if (setup.cfg.mode === 'semi-synchronous') return true; // acknowledged at once; the wait is for journal room
  if (setup.kind === 'timer' || setup.mutant === 'ack-before-increment') return true; // mutant skips step 198
  const b = s.primaryBlades[setup.writes[w]!.device]!;
  // synchronous (related art): also wait until every secondary holds it (its record synced and trimmed)
  if (setup.cfg.mode === 'synchronous' && b.journal.some((r) => r.write === w)) return false;
  return b.curSlotNo > g.seq;
};

/** Fig 10 step 196 (Fig 12 step 230, Fig 14 step 259): the oldest closed record not yet sent to `j`, or -1. */
export const nextToSend = (b: PrimaryBlade, j: number): number => {
  const bit = 1 << j;
  return b.journal.findIndex((r) => r.totalWrites !== null && (r.serviceBitmap & bit) !== 0 && (r.sentBitmap & bit) === 0);
};

/**
 * Fig 15 step 280, primary side: a sync for number `n` from secondary blade `j` sets bit j
 * of the received bitmap of the blade's records of `n`; an entry whose received bitmap
 * equals its service bitmap is deleted.
 */
export const receiveSync = (b: PrimaryBlade, j: number, n: number): PrimaryBlade => {
  const bit = 1 << j;
  const synced = updateWhere(b.journal, (r) => r.sequenceNo === n && (r.serviceBitmap & bit) !== 0, (r) => updateRecord(r, { receivedBitmap: r.receivedBitmap | bit }));
  return updateBlade(b, { journal: keepWhere(synced, (r) => r.receivedBitmap !== r.serviceBitmap) });
};
