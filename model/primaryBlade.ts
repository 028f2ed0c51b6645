/** The primary WAN blade's journal (Fig 3, 9, 10, 12, 14) and its side of the sync (Fig 15 step 280). */
import { type Fresh, keepWhere, patchPrimary, patchWrite, setAt, updateBlade, updateRecord, updateWhere } from './immutable.ts';
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
 * Fig 10 step 188 (Fig 12 step 222, Fig 14 step 252): the write command reaches the blade,
 * which journals write `w` as a Fig 9 record stamped with its current number, "even though
 * the data has not yet been transferred": the record has no data until step 194 (`dataArrive`).
 * The running count grows by the write's deliveries (PROTOCOL.md §2, stamp). The
 * stamp-at-data mutant journals the command unstamped (number -1) and stamps it when the data
 * arrives.
 */
export const stamp = (s: State, setup: Setup, i: number, w: number): State => {
  const b = s.primaryBlades[i]!;
  const late = setup.mutant === 'stamp-at-data';
  const record: JournalRecord = {
    write: w,
    sequenceNo: late ? -1 : b.curSlotNo,
    totalWrites: null,
    serviceBitmap: setup.service[i]!,
    sentBitmap: 0,
    receivedBitmap: 0,
    serial: b.nextSerial,
    transferReady: false,
    hasData: false,
  };
  const stamped = patchPrimary(s, i, {
    journal: [...b.journal, record],
    nextSerial: b.nextSerial + 1,
    curSlotCnt: late ? b.curSlotCnt : b.curSlotCnt + setup.fanout[i]!,
  });
  return late ? stamped : patchWrite(stamped, w, { seq: b.curSlotNo }); // ghost
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
  b.journal = [
    ...b.journal,
    { write: -1, sequenceNo: n, totalWrites: 0, serviceBitmap: setup.service[i]!, sentBitmap: 0, receivedBitmap: 0, serial: -1, transferReady: false, hasData: true },
  ];
};

/**
 * May the blade say "transfer ready" for record `r` (Fig 10 step 190 after 198, Fig 12 step
 * 228 after 224, Fig 14 step 256 after 254)? Once its number moved on: the blade then has every
 * write of that number, so no write acknowledged later can share it. The timer variant does not
 * wait (that is its point, PROTOCOL.md §2); nor does the semi-synchronous mode, whose wait is for
 * journal room.
 */
const mayBeReady = (setup: Setup, b: PrimaryBlade, r: JournalRecord): boolean => {
  if (r.write < 0 || r.transferReady) return false;
  if (setup.kind === 'timer' || setup.cfg.mode === 'semi-synchronous') return true;
  if (setup.mutant === 'ack-before-increment') return true; // mutant: skips step 198
  if (setup.mutant === 'stamp-at-data' && r.sequenceNo === -1) return true; // mutant: no number to wait for yet
  return b.curSlotNo > r.sequenceNo;
};

/** TransferReady(i): blade i says "transfer ready" for every record that may be (Fig 14 step 256: "for all of the data associated with sequence number N"). */
export const signalTransferReady = (s: State, setup: Setup, i: number): State | undefined => {
  const b = s.primaryBlades[i]!;
  if (s.site !== 'running' || (s.failedBlades >> i) & 1 || !b.journal.some((r) => mayBeReady(setup, b, r))) return undefined;
  return patchPrimary(s, i, { journal: updateWhere(b.journal, (r) => mayBeReady(setup, b, r), (r) => updateRecord(r, { transferReady: true })) });
};

/** The index of the record whose data the device transfers next: the oldest one told "transfer ready" without its data (the device sends in order), or -1. */
export const nextData = (b: PrimaryBlade): number => b.journal.findIndex((r) => r.transferReady && !r.hasData);

/**
 * Fig 10 step 194 (Fig 14 step 258): the data of the oldest write told "transfer ready"
 * reaches blade i and is journaled with its record. The stamp-at-data mutant stamps it only now.
 */
export const dataArrive = (s: State, setup: Setup, i: number): State | undefined => {
  const b = s.primaryBlades[i]!;
  const k = nextData(b);
  if (k < 0 || s.site !== 'running' || (s.failedBlades >> i) & 1) return undefined;
  const r = b.journal[k]!;
  if (setup.mutant === 'stamp-at-data' && r.sequenceNo === -1) {
    const journal = setAt(b.journal, k, updateRecord(r, { hasData: true, sequenceNo: b.curSlotNo }));
    return patchWrite(patchPrimary(s, i, { journal, curSlotCnt: b.curSlotCnt + setup.fanout[i]! }), r.write, { seq: b.curSlotNo });
  }
  return patchPrimary(s, i, { journal: setAt(b.journal, k, updateRecord(r, { hasData: true })) });
};

/**
 * May the device acknowledge write `w` to its host (Fig 10 step 192, Fig 12 step 228, Fig 14
 * step 256)? Once the blade said "transfer ready" for it. A write whose record is no longer in
 * the journal was either synchronised everywhere (it was ready before it could be sent) or
 * dropped with its track invalidated (journal cleared, lost or repaired): the device no longer
 * waits for the blade. Synchronous (related art): also wait until every secondary holds it.
 */
export const acknowledgeable = (s: State, setup: Setup, w: number): boolean => {
  const i = setup.writes[w]!.device;
  // mutant: the device acknowledges a write still waiting for journal room (Fig 3 step 84)
  if (s.deviceWaiting[i]!.includes(w)) return setup.mutant === 'ack-before-journal';
  const r = s.primaryBlades[i]!.journal.find((x) => x.write === w);
  if (r === undefined) return true;
  return r.transferReady && setup.cfg.mode !== 'synchronous';
};

/** Fig 10 step 196 (Fig 12 step 230, Fig 14 step 259): the oldest closed record holding its data and not yet sent to `j`, or -1. */
export const nextToSend = (b: PrimaryBlade, j: number): number => {
  const bit = 1 << j;
  return b.journal.findIndex((r) => r.totalWrites !== null && r.hasData && (r.serviceBitmap & bit) !== 0 && (r.sentBitmap & bit) === 0);
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
