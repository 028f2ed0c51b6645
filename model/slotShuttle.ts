/**
 * The primary shuttle, Fig 19A/19B steps 352-416, verbatim; the ring shuttle (variant 1)
 * runs the same bookkeeping with a different answer at step 388 (ringShuttle.ts).
 */
import { type Fresh, freshBlade, freshShuttle, setAt, update, updateShuttle } from './immutable.ts';
import { closeNumber, journalMarker } from './primaryBlade.ts';
import { transmitClosed } from './network.ts';
import { ringIncrements } from './ringShuttle.ts';
import type { Setup } from './setup.ts';
import type { PrimaryBlade, Shuttle, State } from './state.ts';

/**
 * Fig 19 on one arrival, as the figure's assignments on a fresh copy of the shuttle and of
 * the blade (see `Fresh`). `increments` answers step 388 ("is there data to be written by
 * the local node?"). Returns false when the error branch (step 358) was taken.
 */
export const fig19 = (
  setup: Setup,
  sh: Fresh<Shuttle>,
  b: Fresh<PrimaryBlade>,
  i: number,
  increments: boolean,
  base = 0,
): boolean => {
  // step 352: the shuttle is received
  if (b.curSlotNo === sh.shSlotNo) {
    // step 354: yes
    b.sequenceNo = sh.oldSlotNo; // step 382
    b.totalWrites = sh.oldSlotCnt; // step 384
    closeNumber(b, b.sequenceNo, b.totalWrites); // step 386: signal; the records of SEQUENCENO may be sent
    if (!increments) return true; // step 388
    // Design choice: the blade that closed an empty number (only the ring shuttle does so)
    // publishes a marker record so the secondaries learn of it (PROTOCOL.md §2, ring shuttle).
    if (b.sequenceNo > base && b.totalWrites === 0) journalMarker(setup, b, i, b.sequenceNo);
    sh.oldSlotNo = b.curSlotNo; // step 402
    sh.oldSlotCnt = b.curSlotCnt; // step 404
    b.curSlotNo = setup.mutant === 'seq-wraparound' ? (b.curSlotNo + 1) % 2 : b.curSlotNo + 1; // step 406
    b.curSlotCnt = 0; // step 408
    sh.shSlotNo = b.curSlotNo; // step 412
    sh.wkSlotNo = b.sequenceNo; // step 414
    sh.wkSlotCnt = b.totalWrites; // step 416
    return true;
  }
  if (b.curSlotNo === sh.oldSlotNo) {
    // step 356: yes
    b.sequenceNo = sh.wkSlotNo; // step 362
    b.totalWrites = sh.wkSlotCnt; // step 364
    closeNumber(b, b.sequenceNo, b.totalWrites); // step 366: signal
    if (setup.mutant !== 'skip-oldslotcnt-add') sh.oldSlotCnt += b.curSlotCnt; // step 368
    b.curSlotCnt = 0; // step 372
    b.curSlotNo = sh.shSlotNo; // step 374
    return true;
  }
  return false; // step 358: error processing
};

/**
 * The shuttle has work while some record has no total yet (its number is not closed at its
 * blade). Design choice: idle circulation (no open record) is not modelled, so a drained
 * state is terminal; the first write after idling re-enables the shuttle where it stopped.
 */
export const shuttleHasWork = (s: State): boolean =>
  s.primaryBlades.some((b) => b.journal.some((r) => r.write >= 0 && r.totalWrites === null));

/** ShuttleArrive: shuttle k reaches the blade it was heading to, runs Fig 19, and moves on round robin. */
export const shuttleArrive = (s: State, setup: Setup, k: number): State | undefined => {
  const sh = s.shuttles[k];
  if (!sh || !shuttleHasWork(s) || s.site !== 'running') return undefined;
  const i = sh.at;
  if ((s.failedBlades >> i) & 1) {
    // A failed blade is skipped: the shuttle passes on (the ring re-forms around it).
    return update(s, { shuttles: setAt(s.shuttles, k, updateShuttle(sh, { at: (i + 1) % setup.P })) });
  }
  const b = freshBlade(s.primaryBlades[i]!);
  const increments =
    setup.kind === 'ring'
      ? ringIncrements(setup, i)
      : setup.mutant === 'slot-no-data-increment' || b.curSlotCnt > 0; // step 388: "has data" = CURSLOTCNT > 0
  const moved = freshShuttle(sh);
  const ok = fig19(setup, moved, b, i, increments, s.sequenceBase);
  moved.at = (i + 1) % setup.P;
  const arrived = update(s, {
    primaryBlades: setAt(s.primaryBlades, i, b),
    shuttles: setAt(s.shuttles, k, moved),
    error358: s.error358 || !ok, // step 358 taken
  });
  return transmitClosed(arrived, setup, i); // steps 366/386: the closed records are transmitted
};
