/**
 * The consistency group trigger and the resynchronisation after it (text before Fig 16):
 * on an unrecoverable failure the secondaries are deemed not ready and later primary
 * writes are marked invalid on them; after repair the invalid tracks are copied (in any
 * order) and replication resumes with a fresh sequence. Journal overflow with
 * clear-and-invalidate (same text) and the loss of a volatile primary journal end here too.
 */
import { patchPrimary, patchSecondary, patchWrite, setAt, update, updateBlade, updateSecondary, updateShuttle } from './immutable.ts';
import { completeUpTo, committedEverywhere } from './recovery.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/** Marks global block `g` invalid on every secondary in `mask` (default: every secondary holding it). */
export const invalidate = (s: State, setup: Setup, g: number, mask = setup.holders[g]!): State =>
  update(s, { invalidTracks: s.invalidTracks.map((m, j) => ((mask >> j) & 1 ? m | (1 << g) : m)) });

/**
 * The blade's messages to its device "to invalidate previously written (and acknowledged)
 * tracks" (text before Fig 16): the track of every data record of blade i's journal becomes
 * invalid on every secondary that has not synchronised it.
 */
export const invalidateJournal = (s: State, setup: Setup, i: number): State => {
  let t = s;
  for (const r of s.primaryBlades[i]!.journal) {
    if (r.write >= 0) t = invalidate(t, setup, setup.writes[r.write]!.g, r.serviceBitmap & ~r.receivedBitmap);
  }
  return t;
};

/**
 * A write the blades will not replicate (the group is triggered): the device marks its track
 * invalid on the secondaries and acknowledges the host at once (it no longer waits for them).
 */
export const bypass = (s: State, setup: Setup, w: number): State => {
  // mutant: the device acknowledges without marking the track invalid
  const marked = setup.mutant !== 'trigger-no-invalidate' ? invalidate(s, setup, setup.writes[w]!.g) : s;
  return patchWrite(marked, w, { status: 2 });
};

/** The group triggers: the secondaries are deemed not ready; writes waiting for journal room are bypassed. */
export const triggerGroup = (s: State, setup: Setup): State => {
  let t = s.group === 'replicating' ? update(s, { group: 'triggered' }) : s;
  for (const q of s.deviceWaiting) for (const w of q) t = bypass(t, setup, w);
  return update(t, { deviceWaiting: s.deviceWaiting.map((q) => (q.length === 0 ? q : [])) });
};

/**
 * Overflow with clear-and-invalidate (text before Fig 16): the blade clears its whole journal,
 * invalidating the unsynchronised tracks on its device, and the group triggers (the numbers
 * the cleared records belonged to can never complete at the secondary site).
 */
export const clearOverflow = (s: State, setup: Setup, i: number): State => {
  const marked = setup.mutant !== 'overflow-no-invalidate' ? invalidateJournal(s, setup, i) : s; // mutant
  return triggerGroup(patchPrimary(marked, i, { journal: [] }), setup);
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
  let t = completeUpTo(s, setup, upTo);
  // Every primary record a secondary has not synchronised becomes an invalid track there.
  for (let i = 0; i < setup.P; i++) {
    for (const r of t.primaryBlades[i]!.journal) {
      if (r.write < 0) continue;
      let lacking = 0;
      for (let j = 0; j < setup.S; j++) if ((r.serviceBitmap >> j) & 1 && !((r.receivedBitmap >> j) & 1) && t.secondaryBlades[j]!.appliedNo < r.sequenceNo) lacking |= 1 << j;
      t = invalidate(t, setup, setup.writes[r.write]!.g, lacking);
    }
  }
  let highest = 0;
  for (const b of t.primaryBlades) highest = Math.max(highest, b.curSlotNo);
  for (const sh of t.shuttles) highest = Math.max(highest, sh.shSlotNo);
  const fresh = highest + 2;
  // Journals and links are emptied; every number restarts at F.
  return update(t, {
    primaryBlades: t.primaryBlades.map((b) => updateBlade(b, { journal: [], curSlotNo: fresh, curSlotCnt: 0 })),
    links: t.links.map(() => []),
    syncs: t.syncs.map(() => []),
    shuttles: t.shuttles.map((sh) => updateShuttle(sh, { shSlotNo: fresh, oldSlotNo: fresh - 1, oldSlotCnt: 0, wkSlotNo: 0, wkSlotCnt: 0 })),
    secondaryBlades: t.secondaryBlades.map((b) => updateSecondary(b, { journal: [], initiatedNo: 0, transferNo: 0, appliedNo: fresh - 1, syncTo: 0 })),
    secondaryShuttle: { at: 0, seqNo: fresh - 1, mode: 0 },
    sequenceBase: fresh - 1,
    recoveryPending: false,
    secRecovered: 0,
    resent: 0,
    // Tracks left invalid are copied (CopyTrack) before replication resumes (the mutant forgets to).
    group: t.invalidTracks.some((m) => m !== 0) && setup.mutant !== 'repair-skips-resync' ? 'resyncing' : 'replicating',
  });
};

/** CopyTrack: an invalid track is copied from the primary device to secondary j; the last copy resumes replication. */
export const copyTrack = (s: State, setup: Setup, j: number, g: number): State | undefined => {
  if (s.group !== 'resyncing' || s.site !== 'running' || !((s.invalidTracks[j]! >> g) & 1)) return undefined;
  const hist = s.primaryBlocks[g]!;
  const copied = patchSecondary(s, j, { device: setAt(s.secondaryBlades[j]!.device, g, hist.length ? hist[hist.length - 1]! : -1) });
  const invalidTracks = setAt(s.invalidTracks, j, s.invalidTracks[j]! & ~(1 << g));
  return update(copied, { invalidTracks, group: invalidTracks.every((m) => m === 0) ? 'replicating' : s.group });
};
