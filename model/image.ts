/**
 * The recoverable image (PROTOCOL.md §3): what the secondary site would hold if the primary site
 * were lost now and the secondary site ran its recovery, and the dependent-write
 * consistency test on it.
 */
import { reached } from './secondaryBlade.ts';
import type { Setup } from './setup.ts';
import type { RecordMsg, State } from './state.ts';

/**
 * Per secondary blade, its device after recovery (per global block, -1 = initial value).
 * Recovery keeps what is on the device, completes every number that EVERY secondary blade
 * has initiated (or is transferring, or applied) from the blade's journal, in primary order,
 * and drops the rest of the journal (numbers not initiated everywhere, including everything
 * after a gap, as Fig 17 drops entry 3 when entry 2 is missing).
 */
export const recoverableImage = (s: State, setup: Setup): readonly (readonly number[])[] => {
  let upTo = Infinity;
  for (const b of s.secondaryBlades) upTo = Math.min(upTo, reached(b));
  return s.secondaryBlades.map((b) => {
    const completes = (r: RecordMsg): boolean => r.write >= 0 && r.seq <= upTo && r.seq > b.appliedNo;
    if (!b.journal.some(completes)) return b.device; // nothing to complete: the device as it stands
    const dev = b.device.slice();
    const pending = b.journal.filter(completes).sort((x, y) => x.seq - y.seq || x.from - y.from || x.serial - y.serial);
    for (const r of pending) dev[setup.writes[r.write]!.g] = r.write;
    return dev;
  });
};

/** Primary-order position of write `w` in a block's history; -1 for the initial value. */
const position = (hist: readonly number[], w: number): number => (w < 0 ? -1 : hist.indexOf(w));

/**
 * The acknowledged writes `image` lacks (ids, ascending): those for which some secondary
 * holding the write's block holds an earlier write of it in primary order, or the initial
 * value. A later write of the block stands for the earlier ones it overwrote.
 */
export const lackedWrites = (s: State, setup: Setup, image: readonly (readonly number[])[]): number[] => {
  const lacked: number[] = [];
  for (let w = 0; w < s.writes.length; w++) {
    if (s.writes[w]!.status !== 2) continue;
    const { g } = setup.writes[w]!;
    const hist = s.primaryBlocks[g]!;
    for (let j = 0; j < setup.S; j++) {
      if ((setup.holders[g]! >> j) & 1 && position(hist, image[j]![g]!) < position(hist, w)) {
        lacked.push(w);
        break;
      }
    }
  }
  return lacked;
};

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

const name = (w: number): string => (w < 0 ? 'initial' : `w${w}`);

/**
 * PROTOCOL.md §3, consistent image, exactly: X = the ≺-closure of the writes visible in the image; the image is
 * consistent iff every block (every copy of it, on every secondary holding the block)
 * equals the last write of X to that block in primary order, or the initial value.
 * ≺ is taken from the ghost `deps` (acknowledged-before-issue), which is transitively
 * closed by construction.
 */
export const consistency = (s: State, setup: Setup, image: readonly (readonly number[])[]): Verdict => {
  let visible = 0;
  for (let j = 0; j < image.length; j++) {
    for (const g of setup.heldBlocks[j]!) if (image[j]![g]! >= 0) visible |= 1 << image[j]![g]!;
  }
  let X = visible;
  for (let w = 0; w < s.writes.length; w++) if ((visible >> w) & 1) X |= s.writes[w]!.deps;
  for (let j = 0; j < image.length; j++) {
    for (const g of setup.heldBlocks[j]!) {
      const hist = s.primaryBlocks[g]!;
      let expected = -1;
      for (let k = hist.length - 1; k >= 0; k--) {
        if ((X >> hist[k]!) & 1) {
          expected = hist[k]!;
          break;
        }
      }
      const got = image[j]![g]!;
      if (got !== expected) {
        const missing: string[] = [];
        for (let w = 0; w < s.writes.length; w++) if (((X & ~visible) >> w) & 1) missing.push(name(w));
        return {
          ok: false,
          why:
            `secondary ${j} block ${g} would recover as ${name(got)} but the ≺-closure of the visible writes ` +
            `{${[...Array(s.writes.length).keys()].filter((w) => (visible >> w) & 1).map(name).join(', ')}}` +
            `${missing.length ? ` (which needs ${missing.join(', ')})` : ''} puts ${name(expected)} there`,
        };
      }
    }
  }
  return { ok: true };
};
