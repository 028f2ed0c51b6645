/**
 * Secondary WAN blades and the secondary shuttle (Fig 15 steps 262-280), with the
 * two-phase apply: shuttle N initiates the writes of N at every blade (268-270); the next
 * pass (shuttle N+1, or a commit-only pass when N+1 is not complete) transfers N to the
 * devices (278) and sends sync (280).
 */
import { patchSecondary, removeAt, setAt, update } from './immutable.ts';
import { sendSync } from './network.ts';
import type { Setup } from './setup.ts';
import type { SecondaryBlade, State } from './state.ts';

/**
 * Is number `n` complete across the secondary site? The secondary shuttle adds up, over all
 * secondary blades, the records of `n` they hold and compares the sum with the total the
 * records carry (PROTOCOL.md §2, completeness). Modelled as one atomic evaluation at the start of a pass: counts
 * only grow until `n` is applied, so a sum gathered blade by blade during the previous pass
 * can only be smaller; the atomic check allows every "complete" verdict the real pass allows.
 * Timer: totals are per primary blade, so `n` is complete when every primary blade's count
 * (from a record or a marker) is matched by the records held from it.
 */
export const numberComplete = (s: State, setup: Setup, n: number): boolean => {
  const anyRecord = setup.mutant === 'apply-incomplete'; // mutant: ignore total writes
  if (setup.kind !== 'timer') {
    let total = -1;
    let count = 0;
    for (const b of s.secondaryBlades) {
      for (const r of b.journal) {
        if (r.seq !== n) continue;
        total = r.total;
        if (r.write >= 0) count++;
      }
    }
    return total >= 0 && (anyRecord || count === total);
  }
  const total = Array.from({ length: setup.P }, () => -1);
  const count = Array.from({ length: setup.P }, () => 0);
  let seen = false;
  for (const b of s.secondaryBlades) {
    for (const r of b.journal) {
      if (r.seq !== n) continue;
      seen = true;
      total[r.from] = r.total;
      if (r.write >= 0) count[r.from]! += 1;
    }
  }
  if (anyRecord) return seen;
  return total.every((t, i) => t >= 0 && t === count[i]);
};

/** The number the next staging pass carries, or null: seqNo + 1 when complete. */
const nextNumber = (s: State, setup: Setup): number | null => {
  const n = s.secondaryShuttle.seqNo + 1;
  if (setup.mutant === 'apply-out-of-order') {
    // mutant apply-out-of-order: the lowest complete number held, skipping incomplete ones
    const held = [...new Set(s.secondaryBlades.flatMap((b) => b.journal.map((r) => r.seq)))].filter((m) => m >= n).sort((a, b) => a - b);
    for (const m of held) if (numberComplete(s, setup, m)) return m;
    return null;
  }
  if (!numberComplete(s, setup, n)) return null;
  return heldBack(s, setup, n) ? null : n;
};

/**
 * Delayed apply (text after Fig 4, "sixty minutes"): number n is held back until the K
 * numbers after it are complete too. Choice: time is not modelled, so the delay runs out
 * only when no newer number can come (every write acknowledged and no record open), the
 * latest moment, which gives a rollback the most to undo.
 */
const heldBack = (s: State, setup: Setup, n: number): boolean => {
  const K = setup.cfg.delay;
  if (K === 0) return false;
  let newer = true;
  for (let m = n + 1; m <= n + K; m++) if (!numberComplete(s, setup, m)) newer = false;
  if (newer) return false;
  const quiet = s.writes.every((w) => w.status === 2) && s.primaryBlades.every((b) => b.journal.every((r) => r.totalWrites !== null));
  return !quiet;
};

/** Fig 15 step 280, secondary side: send the sync of number `n` to every primary blade in `mask`. */
const sendSyncs = (s: State, setup: Setup, j: number, n: number, mask: number): State => {
  let t = s;
  for (let i = 0; i < setup.P; i++) if ((mask >> i) & 1) t = sendSync(t, setup, i, j, n);
  return t;
};

/** The transfer of transferNo has ended when no data record of it is left: N is applied; sync (280). */
const finishIfDone = (s: State, setup: Setup, j: number): State => {
  const b = s.secondaryBlades[j]!;
  if (b.transferNo === 0 || b.journal.some((r) => r.seq === b.transferNo)) return s;
  const applied = patchSecondary(s, j, { appliedNo: b.transferNo, transferNo: 0, syncTo: 0 });
  return sendSyncs(applied, setup, j, b.transferNo, b.syncTo);
};

/**
 * Steps 274-278: the shuttle that commits `n` arrived; the blade starts transferring the data
 * of `n` to its device. Markers carry no data: they only add their sender to the sync list.
 */
const beginTransfer = (s: State, setup: Setup, j: number, n: number): State => {
  const b = s.secondaryBlades[j]!;
  let mask = 0;
  for (const r of b.journal) if (r.seq === n) mask |= 1 << r.from;
  let t = s;
  if (setup.mutant === 'sync-before-transfer') {
    t = sendSyncs(t, setup, j, n, mask); // mutant: sync before the data is on the device
    mask = 0;
  }
  t = patchSecondary(t, j, { journal: b.journal.filter((r) => !(r.seq === n && r.write < 0)), transferNo: n, syncTo: mask });
  return finishIfDone(t, setup, j);
};

/** The highest number blade `b` has initiated (or is transferring, or applied). */
export const reached = (b: SecondaryBlade): number => Math.max(b.appliedNo, b.transferNo, b.initiatedNo);

/**
 * SecShuttleArrive: the secondary shuttle reaches blade `ss.at` (round robin).
 * At blade 0 a pass begins: it carries N = seqNo + 1 when N is complete (mode 1, "shuttle
 * N"); otherwise, when some blade has initiated seqNo and not transferred it, a commit-only
 * pass (mode 2) commits it (PROTOCOL.md §3, drained state); otherwise the shuttle rests (not modelled
 * as a move). A blade still transferring holds the shuttle (the arrival waits).
 */
export const secShuttleArrive = (s: State, setup: Setup): State | undefined => {
  const j = s.secondaryShuttle.at;
  // While a recovery (Fig 16/17) is pending the secondary site applies nothing new: a restarted
  // blade may have lost the records of the number a pass is carrying. Nor once the secondary
  // site's failover has begun.
  if (s.secondaryBlades[j]!.transferNo !== 0 || s.recoveryPending || s.failedOver !== 0 || s.site === 'failed-over' || s.site === 'rolled-back') return undefined;
  let mode = s.secondaryShuttle.mode;
  let seqNo = s.secondaryShuttle.seqNo;
  if (mode === 0) {
    const n = nextNumber(s, setup);
    if (n !== null) {
      mode = 1;
      seqNo = n;
    } else if (setup.mutant !== 'no-flush-pass' && seqNo !== 0 && s.secondaryBlades.some((b) => b.initiatedNo === seqNo)) {
      mode = 2;
    } else return undefined;
  }
  const b = s.secondaryBlades[j]!;
  let t = s;
  if (mode === 1) {
    // steps 264-266: shuttle N arrives and is released
    if (setup.mutant === 'one-phase-commit') t = beginTransfer(t, setup, j, seqNo); // mutant
    else {
      if (b.initiatedNo !== 0) t = beginTransfer(t, setup, j, b.initiatedNo); // steps 274-278 for N-1
      t = patchSecondary(t, j, { initiatedNo: seqNo }); // steps 268-270: writes of N initiated and acknowledged by the device
    }
  } else if (b.initiatedNo !== 0) {
    t = beginTransfer(t, setup, j, b.initiatedNo); // commit-only pass: steps 274-278 without a new number
    t = patchSecondary(t, j, { initiatedNo: 0 });
  }
  const next = j + 1;
  return update(t, { secondaryShuttle: next === setup.S ? { at: 0, seqNo, mode: 0 } : { at: next, seqNo, mode } });
};

/**
 * SecTransfer: step 278 (with Fig 4 steps 106-110): the blade transfers one record of
 * transferNo to its device and drops it from its journal. Records of one number go in
 * primary order: by primary blade, then by the blade's record serial.
 */
export const secTransfer = (s: State, setup: Setup, j: number): State | undefined => {
  const b = s.secondaryBlades[j]!;
  if (b.transferNo === 0 || s.site === 'failed-over' || s.site === 'rolled-back') return undefined;
  let k = -1;
  for (let x = 0; x < b.journal.length; x++) {
    const r = b.journal[x]!;
    if (r.seq !== b.transferNo) continue;
    if (setup.mutant === 'apply-arrival-order') {
      k = x; // mutant: arrival order
      break;
    }
    const best = k < 0 ? undefined : b.journal[k]!;
    if (!best || r.from < best.from || (r.from === best.from && r.serial < best.serial)) k = x;
  }
  if (k < 0) return undefined;
  const r = b.journal[k]!;
  const transferred = patchSecondary(s, j, {
    device: setAt(b.device, setup.writes[r.write]!.g, r.write),
    journal: removeAt(b.journal, k),
  });
  return finishIfDone(transferred, setup, j);
};
