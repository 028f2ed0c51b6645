/**
 * The consistency group trigger and the resynchronisation after it (text before Fig 16):
 * on an unrecoverable failure the secondaries are deemed not ready and later primary
 * writes are marked invalid on them; after repair the invalid tracks are copied (in any
 * order) and replication resumes with a fresh sequence. Journal overflow with
 * clear-and-invalidate (same text) and the loss of a volatile primary journal end here too.
 */
import { produce, type Draft } from 'immer';
import { completeUpTo, committedEverywhere } from './recovery.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/** Marks global block `g` invalid on every secondary in `mask` (default: every secondary holding it). */
export const invalidate = (d: Draft<State>, setup: Setup, g: number, mask = setup.holders[g]!): void => {
  for (let j = 0; j < setup.S; j++) if ((mask >> j) & 1) d.invalidTracks[j]! |= 1 << g;
};

/**
 * The blade's messages to its device "to invalidate previously written (and acknowledged)
 * tracks" (text before Fig 16): the track of every data record of blade i's journal becomes
 * invalid on every secondary that has not synchronised it.
 */
export const invalidateJournal = (d: Draft<State>, setup: Setup, i: number): void => {
  for (const r of d.primaryBlades[i]!.journal) {
    if (r.write >= 0) invalidate(d, setup, setup.writes[r.write]!.g, r.serviceBitmap & ~r.receivedBitmap);
  }
};

/**
 * A write the blades will not replicate (the group is triggered): the device marks its track
 * invalid on the secondaries and acknowledges the host at once (it no longer waits for them).
 */
export const bypass = (d: Draft<State>, setup: Setup, w: number): void => {
  // mutant: the device acknowledges without marking the track invalid
  if (setup.mutant !== 'trigger-no-invalidate') invalidate(d, setup, setup.writes[w]!.g);
  d.writes[w]!.status = 2;
};

/** The group triggers: the secondaries are deemed not ready; writes waiting for journal room are bypassed. */
export const triggerGroup = (d: Draft<State>, setup: Setup): void => {
  if (d.group === 'replicating') d.group = 'triggered';
  for (const q of d.deviceWaiting) {
    for (const w of q) bypass(d, setup, w);
    q.length = 0;
  }
};

/**
 * Overflow with clear-and-invalidate (text before Fig 16): the blade clears its whole journal,
 * invalidating the unsynchronised tracks on its device, and the group triggers (the numbers
 * the cleared records belonged to can never complete at the secondary site).
 */
export const clearOverflow = (d: Draft<State>, setup: Setup, i: number): void => {
  if (setup.mutant !== 'overflow-no-invalidate') invalidateJournal(d, setup, i); // mutant (SPEC 5.9)
  d.primaryBlades[i]!.journal = [];
  triggerGroup(d, setup);
};

/**
 * Repair: the failure is addressed and the resynchronisation begins. The secondary site first
 * completes what it committed (as recovery would), then drops the rest; every primary record
 * a secondary has not synchronised becomes an invalid track there; journals and links are
 * emptied; the sequence restarts fresh at F = (highest number in use) + 2, so that no record
 * or total of an older number can meet a new one (F - 1 is closed empty by construction and
 * is the new `sequenceBase`).
 */
export const repair = (s: State, setup: Setup): State | undefined => {
  if (s.group !== 'triggered' || s.linksDown !== 0 || s.failedBlades !== 0 || s.site !== 'running') return undefined;
  const upTo = committedEverywhere(s);
  return produce(s, (d) => {
    completeUpTo(d, setup, upTo);
    for (let i = 0; i < setup.P; i++) {
      for (const r of d.primaryBlades[i]!.journal) {
        if (r.write < 0) continue;
        let lacking = 0;
        for (let j = 0; j < setup.S; j++) if ((r.serviceBitmap >> j) & 1 && !((r.receivedBitmap >> j) & 1) && d.secondaryBlades[j]!.appliedNo < r.sequenceNo) lacking |= 1 << j;
        invalidate(d, setup, setup.writes[r.write]!.g, lacking);
      }
      d.primaryBlades[i]!.journal = [];
    }
    d.links = d.links.map(() => []);
    d.syncs = d.syncs.map(() => []);
    let highest = 0;
    for (const b of d.primaryBlades) highest = Math.max(highest, b.curSlotNo);
    for (const sh of d.shuttles) highest = Math.max(highest, sh.shSlotNo);
    const fresh = highest + 2;
    for (const b of d.primaryBlades) {
      b.curSlotNo = fresh;
      b.curSlotCnt = 0;
    }
    for (const sh of d.shuttles) Object.assign(sh, { shSlotNo: fresh, oldSlotNo: fresh - 1, oldSlotCnt: 0, wkSlotNo: 0, wkSlotCnt: 0 });
    for (const b of d.secondaryBlades) Object.assign(b, { journal: [], initiatedNo: 0, transferNo: 0, appliedNo: fresh - 1, syncTo: 0 });
    d.secondaryShuttle = { at: 0, seqNo: fresh - 1, mode: 0 };
    d.sequenceBase = fresh - 1;
    d.recoveryPending = false;
    d.group = d.invalidTracks.some((m) => m !== 0) ? 'resyncing' : 'replicating';
  });
};

/** CopyTrack: an invalid track is copied from the primary device to secondary j; the last copy resumes replication. */
export const copyTrack = (s: State, setup: Setup, j: number, g: number): State | undefined => {
  if (s.group !== 'resyncing' || s.site !== 'running' || !((s.invalidTracks[j]! >> g) & 1)) return undefined;
  const hist = s.primaryBlocks[g]!;
  return produce(s, (d) => {
    d.secondaryBlades[j]!.device[g] = hist.length ? hist[hist.length - 1]! : -1;
    d.invalidTracks[j]! &= ~(1 << g);
    if (d.invalidTracks.every((m) => m === 0)) d.group = 'replicating';
  });
};
