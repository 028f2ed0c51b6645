/**
 * Variant 1, the ring shuttle of the '292 patent (which the project does not have): one
 * shuttle among the primary blades, round robin; one designated blade increments the
 * number every time the shuttle reaches it, data or not (the drawback the patent names).
 * Design choice: its totals travel exactly as the slot shuttle's (Fig 19 bookkeeping), so
 * the ring is Fig 19 with step 388 answered "am I the designated blade?".
 */
import type { Setup } from './setup.ts';

/** Step 388 for the ring shuttle: only the designated blade increments, and it always does. */
export const ringIncrements = (setup: Setup, i: number): boolean =>
  setup.cfg.sequencer.kind === 'ring' && setup.cfg.sequencer.designated === i;
