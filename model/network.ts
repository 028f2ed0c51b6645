/**
 * The network (Fig 1, 5-7): one link per (primary blade i, secondary blade j) carrying Fig 9
 * records forward and sync signals back. 'fifo' delivers the oldest message only (TCP),
 * 'reorder' any message in flight (UDP). Nothing is lost in the fault-free model.
 */
import { recordMsg, removeAt, setAt, update, updateAt, updateBlade, updateRecord, updateSecondary, withPrimary } from './immutable.ts';
import { deliverable, enqueue, insertSorted, linkIndex, pushSync, recordOrder } from './links.ts';
import { nextToSend, receiveSync } from './primaryBlade.ts';
import { applyDirect } from './relatedArt.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/**
 * Fig 19 steps 366/386 ("signal ... to cause transmission"), Fig 10 step 196, Fig 14 step
 * 259: primary blade i puts every closed record not yet sent to a secondary in its service
 * bitmap on that link and sets the sent bit (Fig 9 field 158). Called in the step that
 * closes a number: a delay in the blade is indistinguishable from a delay on the link.
 */
export const transmitClosed = (s: State, setup: Setup, i: number): State => {
  if ((s.failedBlades >> i) & 1) return s;
  // During a recovery a blade holds its sends until it resends from its journal (Fig 16 step 306).
  if (s.recoveryPending && !((s.resent >> i) & 1)) return s;
  let b = s.primaryBlades[i]!;
  let links = s.links;
  for (let j = 0; j < setup.S; j++) {
    if ((s.linksDown >> linkIndex(setup, i, j)) & 1) continue; // a down link: sent by recovery (Fig 16 step 306)
    for (let k = nextToSend(b, j); k >= 0; k = nextToSend(b, j)) {
      const r = updateRecord(b.journal[k]!, { sentBitmap: b.journal[k]!.sentBitmap | (1 << j) });
      const m = recordMsg(r, i);
      links = updateAt(links, linkIndex(setup, i, j), (link) => enqueue(setup, link, m, recordOrder));
      // mutant delete-on-sent: trim when the sent bitmap, not the received bitmap, equals the service bitmap
      const trim = setup.mutant === 'delete-on-sent' && r.sentBitmap === r.serviceBitmap;
      b = updateBlade(b, { journal: trim ? removeAt(b.journal, k) : setAt(b.journal, k, r) });
    }
  }
  return b === s.primaryBlades[i] ? s : update(withPrimary(s, i, b), { links });
};

/**
 * Deliver: message `k` of link (i, j) reaches secondary blade j, which journals it (Fig 15
 * step 262). The SG-list is kept in sequence-number order (as drawn in Fig 17), so arrival
 * order leaves no trace; the apply-arrival-order mutant appends instead.
 */
export const deliver = (s: State, setup: Setup, i: number, j: number, k: number): State | undefined => {
  const link = s.links[linkIndex(setup, i, j)]!;
  if (k >= deliverable(setup, link.length)) return undefined;
  if (s.site === 'failed-over' || s.site === 'rolled-back') return undefined;
  const m = link[k]!;
  const links = setAt(s.links, linkIndex(setup, i, j), removeAt(link, k));
  if (setup.direct) return applyDirect(update(s, { links }), setup, j, m);
  const b = s.secondaryBlades[j]!;
  const journal = setup.mutant === 'apply-arrival-order' ? [...b.journal, m] : insertSorted(b.journal, m, recordOrder);
  return update(s, { links, secondaryBlades: setAt(s.secondaryBlades, j, updateSecondary(b, { journal })) });
};

/** SyncDeliver: sync `k` from secondary blade j reaches primary blade i (Fig 15 step 280, primary side). */
export const syncDeliver = (s: State, setup: Setup, j: number, i: number, k: number): State | undefined => {
  const link = s.syncs[linkIndex(setup, i, j)]!;
  if (k >= deliverable(setup, link.length) || s.site !== 'running') return undefined;
  const n = link[k]!.seq;
  const syncs = setAt(s.syncs, linkIndex(setup, i, j), removeAt(link, k));
  if ((s.failedBlades >> i) & 1) return update(s, { syncs }); // a failed blade hears nothing
  return update(s, { syncs, primaryBlades: setAt(s.primaryBlades, i, receiveSync(s.primaryBlades[i]!, j, n)) });
};

/** pushSync on link (i, j), unless the link is down (the sync is lost; recovery re-announces it). */
export const sendSync = (s: State, setup: Setup, i: number, j: number, n: number): State => {
  if ((s.linksDown >> linkIndex(setup, i, j)) & 1) return s;
  return update(s, { syncs: updateAt(s.syncs, linkIndex(setup, i, j), (link) => pushSync(setup, link, n)) });
};
