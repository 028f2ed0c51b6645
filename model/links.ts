/**
 * The links of Fig 1, one per (primary blade i, secondary blade j): how a link is named, how
 * a message joins one and how many of its messages may leave next. Shared by the network's
 * transitions and the related-art modes, which both put messages on links.
 */
import { insertAt } from './immutable.ts';
import type { Setup } from './setup.ts';
import type { RecordMsg, SyncMsg } from './state.ts';

/** Order of records: by sequence number, then primary blade, then the blade's serial (markers first). */
export const recordOrder = (x: RecordMsg, y: RecordMsg): number => x.seq - y.seq || x.from - y.from || x.serial - y.serial;

/** `list`, kept sorted by `cmp`, with `m` inserted (after equal elements). */
export const insertSorted = <T>(list: readonly T[], m: T, cmp: (x: T, y: T) => number): T[] => {
  let k = list.length;
  while (k > 0 && cmp(list[k - 1]!, m) > 0) k--;
  return insertAt(list, k, m);
};

/**
 * Puts a message on a link. A reordering link is a multiset (any message may be delivered
 * next), so it is kept sorted: two states that differ only in the order messages were sent
 * are the same state. A FIFO link keeps send order.
 */
export const enqueue = <T>(setup: Setup, link: readonly T[], m: T, cmp: (x: T, y: T) => number): T[] =>
  setup.cfg.network === 'reorder' ? insertSorted(link, m, cmp) : [...link, m];

export const linkIndex = (setup: Setup, i: number, j: number): number => i * setup.S + j;

/** How many messages of a link may be delivered next. */
export const deliverable = (setup: Setup, inFlight: number): number =>
  setup.cfg.network === 'fifo' ? Math.min(1, inFlight) : inFlight;

/** Fig 15 step 280: secondary blade j sends primary blade i the sync of number `n`: `link` with it added. */
export const pushSync = (setup: Setup, link: readonly SyncMsg[], n: number): SyncMsg[] =>
  enqueue(setup, link, { seq: n }, (x, y) => x.seq - y.seq);
