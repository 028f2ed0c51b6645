/**
 * The two-process one-bit mutual exclusion algorithm (Lamport; the TLA+ examples'
 * OneBit2Procs, from Section 7.3 of the TLA+ Hyperbook), its PlusCal translation written
 * label for label: ncs, e1, e2, cs, e3, e4, f for processes 0 and 1. Process 0 waits at e2
 * while process 1's bit is set; process 1 backs off (e3, e4) while process 0's is.
 *
 * Fairness as that spec's: weak fairness of each process's steps outside ncs and cs (a
 * process may stay in its noncritical or critical section forever). Under it, the
 * examples prove with TLAPS that the algorithm is deadlock free: `(Trying(0) \/ Trying(1))
 * ~> (InCS(0) \/ InCS(1))`. It is not starvation free (`Trying(i) ~> InCS(i)`): one process
 * may stay in its critical section, or keep entering it, while the other waits.
 */
import type { Model } from '../../checker/model.ts';

type Pc = 'ncs' | 'e1' | 'e2' | 'cs' | 'e3' | 'e4' | 'f';

export interface OneBitState {
  readonly x: readonly [boolean, boolean];
  readonly pc: readonly [Pc, Pc];
}

/** A step of process `self` at label `at` (its pc in the state it is taken in). */
export interface OneBitAction {
  readonly self: 0 | 1;
  readonly at: Pc;
}

const setPc = (s: OneBitState, i: 0 | 1, to: Pc): OneBitState['pc'] => (i === 0 ? [to, s.pc[1]] : [s.pc[0], to]);
const setX = (s: OneBitState, i: 0 | 1, to: boolean): OneBitState['x'] => (i === 0 ? [to, s.x[1]] : [s.x[0], to]);

const step = (s: OneBitState, self: 0 | 1): OneBitState => {
  const other = (1 - self) as 0 | 1;
  switch (s.pc[self]) {
    case 'ncs':
      return { ...s, pc: setPc(s, self, 'e1') };
    case 'e1':
      return { x: setX(s, self, true), pc: setPc(s, self, 'e2') };
    case 'e2':
      // Process 0 waits here (its step leaves the state as it is); process 1 backs off.
      return { ...s, pc: setPc(s, self, !s.x[other] ? 'cs' : self === 0 ? 'e2' : 'e3') };
    case 'cs':
      return { ...s, pc: setPc(s, self, 'f') };
    case 'e3':
      return { x: setX(s, 1, false), pc: setPc(s, self, 'e4') };
    case 'e4':
      return { ...s, pc: setPc(s, self, s.x[0] ? 'e4' : 'e1') };
    case 'f':
      return { x: setX(s, self, false), pc: setPc(s, self, 'ncs') };
  }
};

const trying = (s: OneBitState, i: 0 | 1): boolean => ['e1', 'e2', 'e3', 'e4'].includes(s.pc[i]);
const inCs = (s: OneBitState, i: 0 | 1): boolean => s.pc[i] === 'cs';

export const oneBit = (o: { readonly fair: boolean }): Model<OneBitState, OneBitAction> => ({
  name: `OneBit2Procs${o.fair ? '' : ' (no fairness)'}`,
  initStates: () => [{ x: [false, false], pc: ['ncs', 'ncs'] }],
  actions: (s) => [
    { self: 0, at: s.pc[0] },
    { self: 1, at: s.pc[1] },
  ],
  nextState: (s, a) => (s.pc[a.self] === a.at ? step(s, a.self) : undefined),
  actionName: (a) => a.at,
  formatAction: (a) => `P(${a.self}) ${a.at}`,
  invariants: [{ name: 'Mutex', holds: (s) => !(inCs(s, 0) && inCs(s, 1)) }],
  temporal: [
    { kind: 'leadsTo', name: 'DeadlockFree', from: (s) => trying(s, 0) || trying(s, 1), to: (s) => inCs(s, 0) || inCs(s, 1) },
    { kind: 'leadsTo', name: 'StarvationFree(0)', from: (s) => trying(s, 0), to: (s) => inCs(s, 0) },
    { kind: 'leadsTo', name: 'StarvationFree(1)', from: (s) => trying(s, 1), to: (s) => inCs(s, 1) },
  ],
  // WF_vars((pc[self] \notin {"ncs", "cs"}) /\ P(self))
  fairness: o.fair
    ? ([0, 1] as const).map((i) => ({
        kind: 'weak' as const,
        name: `WF(P(${i}) outside ncs and cs)`,
        includes: (a: OneBitAction) => a.self === i && a.at !== 'ncs' && a.at !== 'cs',
      }))
    : [],
});
