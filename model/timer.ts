/**
 * Variant 3, the timer (text after Fig 14): no shuttle; every blade's counter is
 * incremented every `period` ticks of a discrete, bounded clock from its phase offset.
 * When a blade's counter moves past N, the blade closes N with its own delivery count
 * (Fig 12 step 226) and, if it stamped nothing with N, journals an empty marker so the
 * secondaries can pass N.
 */
import { freshBlade, update, updateClock, withPrimary } from './immutable.ts';
import { timerCounter } from './init.ts';
import { transmitClosed } from './network.ts';
import { closeNumber, journalMarker } from './primaryBlade.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/**
 * The clock ticks only while work remains for it: a chain still has writes to issue, a write
 * waits at a device, some blade has not yet closed the highest number that holds data
 * (the secondaries need every blade's count of it), or the blades have not all closed the
 * same numbers. Modelling bound, not protocol: the real
 * clock runs forever, but once every number holding data is closed at every blade further
 * ticks only produce empty markers. A drained state is thus terminal. The bound `maxTicks`
 * is a state constraint (withinBoundary), not a guard.
 */
export const clockHasWork = (s: State): boolean => {
  let maxStamped = -1; // ghost: the highest number stamped on any write
  for (const w of s.writes) {
    if (w.status !== 2) return true;
    if (w.seq > maxStamped) maxStamped = w.seq;
  }
  let maxClosed = 0;
  let minCur = Infinity;
  for (const b of s.primaryBlades) {
    if (b.curSlotNo <= maxStamped) return true;
    maxClosed = Math.max(maxClosed, b.sequenceNo);
    minCur = Math.min(minCur, b.curSlotNo);
  }
  // Some blade closed a number another has not (a marker would wait forever): tick until the
  // counters are level again, which happens within one period (they differ by at most 1).
  return maxClosed >= minCur || s.deviceWaiting.some((q) => q.length > 0);
};

export const tick = (s: State, setup: Setup): State | undefined => {
  const seq = setup.cfg.sequencer;
  if (seq.kind !== 'timer' || !clockHasWork(s) || s.site !== 'running') return undefined;
  const t = s.clock!.t + 1;
  let next = update(s, { clock: updateClock(s.clock!, { t }) });
  s.primaryBlades.forEach((blade, i) => {
    const counter = timerCounter(t, blade.phase, seq.period);
    if (counter === blade.curSlotNo) return;
    // The counter moved on: number curSlotNo is closed at this blade (Fig 12 steps 224-226).
    const b = freshBlade(blade);
    b.sequenceNo = b.curSlotNo;
    b.totalWrites = b.curSlotCnt;
    closeNumber(b, b.sequenceNo, b.totalWrites);
    if (b.curSlotCnt === 0) journalMarker(setup, b, i, b.sequenceNo);
    b.curSlotNo = counter;
    b.curSlotCnt = 0;
    next = transmitClosed(withPrimary(next, i, b), setup, i);
  });
  return next;
};
