/**
 * Behaviours the canonical suite must include on purpose, per preset (traces/suite.ts,
 * `Goal`): states that neither the coverage witnesses nor the seeded walks reach, each the
 * end of a shortest path that becomes a conform vector.
 *
 * The ring shuttle closes numbers no write was stamped with (its designated blade increments
 * at every visit, PROTOCOL.md section 2, ring shuttle), and the blade that increments then
 * journals an empty-number marker (Fig 19 steps 386/388). Without these goals no ring vector
 * closes an empty number, and an implementation that reads those steps wrongly passes them
 * all.
 */
import type { State } from '../model/state.ts';
import type { Goal } from './suite.ts';

/** The numbers from 1 to `upTo` that no write was stamped with (the writes' ghost stamps). */
const emptyNumbers = (s: State, upTo: number): number[] => {
  const out: number[] = [];
  for (let n = 1; n <= upTo; n++) if (!s.writes.some((w) => w.seq === n)) out.push(n);
  return out;
};

const RING: readonly Goal[] = [
  {
    name: 'empty-marker-journaled',
    why: 'the designated blade closes a number no write was stamped with and journals its marker (Fig 19 steps 386/388)',
    reached: (x) => (x as State).primaryBlades.some((b) => b.journal.some((r) => r.write < 0)),
  },
  {
    name: 'empty-number-closed-everywhere',
    why: 'every blade closes the empty number as the shuttle passes (steps 362-366), and only the blade that increments journals a marker',
    reached: (x) => {
      const s = x as State;
      const closed = Math.min(...s.primaryBlades.map((b) => b.sequenceNo));
      return emptyNumbers(s, closed).length > 0;
    },
  },
  {
    name: 'empty-number-applied',
    why: 'the marker reaches the secondaries, the empty number is applied everywhere, and its sync deletes the marker',
    reached: (x) => {
      const s = x as State;
      const applied = Math.min(...s.secondaryBlades.map((b) => b.appliedNo));
      return emptyNumbers(s, applied).some((n) => s.primaryBlades.every((b) => b.journal.every((r) => r.sequenceNo !== n)));
    },
  },
];

/** The goals of each preset of the canonical suite (none for the others). */
export const VECTOR_GOALS: Readonly<Record<string, readonly Goal[]>> = { ring: RING };

export const goalsOf = (preset: string): readonly Goal[] => VECTOR_GOALS[preset] ?? [];
