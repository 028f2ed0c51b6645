/**
 * TwoPhase, the two-phase commit protocol from the TLA+ examples
 * (specifications/transaction_commit/TwoPhase.tla), written action for action:
 * TMRcvPrepared(rm), TMCommit, TMAbort, RMPrepare(rm), RMChooseToAbort(rm),
 * RMRcvCommitMsg(rm), RMRcvAbortMsg(rm). Invariants TPTypeOK and TCConsistent.
 *
 * Representation: the sets `tmPrepared` and `msgs` are kept as characteristic vectors
 * (tmPrepared[rm], msgs.prepared[rm], msgs.commit, msgs.abort), the same sets as values;
 * updates are plain spreads that never mutate (not immer, not frozen), because this model is
 * the engine's benchmark: immer's produce and Object.freeze cost more than the engine's
 * whole per-state work, and the benchmark must measure the engine.
 */
import type { Model } from '../../checker/model.ts';
import type { ModelView, ViewEvent } from '../../checker/view.ts';

export type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
export type TMState = 'init' | 'committed' | 'aborted';

export interface TwoPhaseState {
  readonly rmState: readonly RMState[];
  readonly tmState: TMState;
  readonly tmPrepared: readonly boolean[];
  readonly msgs: { readonly prepared: readonly boolean[]; readonly commit: boolean; readonly abort: boolean };
}

export type TwoPhaseAction =
  | { type: 'TMCommit' }
  | { type: 'TMAbort' }
  | { type: 'TMRcvPrepared'; rm: number }
  | { type: 'RMPrepare'; rm: number }
  | { type: 'RMChooseToAbort'; rm: number }
  | { type: 'RMRcvCommitMsg'; rm: number }
  | { type: 'RMRcvAbortMsg'; rm: number };

const setAt = <T>(xs: readonly T[], i: number, v: T): readonly T[] => {
  const c = xs.slice();
  c[i] = v;
  return c;
};

const next = (s: TwoPhaseState, a: TwoPhaseAction): TwoPhaseState | undefined => {
  switch (a.type) {
    case 'TMRcvPrepared':
      if (s.tmState !== 'init' || !s.msgs.prepared[a.rm]) return undefined;
      return ({ ...s, tmPrepared: setAt(s.tmPrepared, a.rm, true) });
    case 'TMCommit':
      if (s.tmState !== 'init' || !s.tmPrepared.every((p) => p)) return undefined;
      return ({ ...s, tmState: 'committed', msgs: ({ ...s.msgs, commit: true }) });
    case 'TMAbort':
      if (s.tmState !== 'init') return undefined;
      return ({ ...s, tmState: 'aborted', msgs: ({ ...s.msgs, abort: true }) });
    case 'RMPrepare':
      if (s.rmState[a.rm] !== 'working') return undefined;
      return ({
        ...s,
        rmState: setAt(s.rmState, a.rm, 'prepared'),
        msgs: ({ ...s.msgs, prepared: setAt(s.msgs.prepared, a.rm, true) }),
      });
    case 'RMChooseToAbort':
      if (s.rmState[a.rm] !== 'working') return undefined;
      return ({ ...s, rmState: setAt(s.rmState, a.rm, 'aborted') });
    case 'RMRcvCommitMsg':
      if (!s.msgs.commit) return undefined;
      return ({ ...s, rmState: setAt(s.rmState, a.rm, 'committed') });
    case 'RMRcvAbortMsg':
      if (!s.msgs.abort) return undefined;
      return ({ ...s, rmState: setAt(s.rmState, a.rm, 'aborted') });
  }
};

/** Options: a planted bug for engine tests. */
export interface TwoPhaseOptions {
  /** The TM commits as soon as one RM is prepared (breaks TCConsistent). */
  readonly plantCommitEarly?: boolean;
  /** Declare the resource managers interchangeable (symmetry reduction). */
  readonly symmetry?: boolean;
}

const RM_ORDER: Readonly<Record<RMState, number>> = { working: 0, prepared: 1, committed: 2, aborted: 3 };

/**
 * The representative of a state's class under permutations of the resource managers: the
 * RMs sorted by what each one is (its state, whether the TM holds its Prepared, whether its
 * Prepared message is out). TLC's SYMMETRY Permutations(RM) gives the same classes.
 */
export const canonicalTwoPhase = (s: TwoPhaseState): TwoPhaseState => {
  const key = (rm: number): number =>
    RM_ORDER[s.rmState[rm]!] * 4 + (s.tmPrepared[rm] ? 2 : 0) + (s.msgs.prepared[rm] ? 1 : 0);
  const order = s.rmState.map((_, rm) => rm).sort((a, b) => key(a) - key(b));
  return {
    rmState: order.map((rm) => s.rmState[rm]!),
    tmState: s.tmState,
    tmPrepared: order.map((rm) => s.tmPrepared[rm]!),
    msgs: { prepared: order.map((rm) => s.msgs.prepared[rm]!), commit: s.msgs.commit, abort: s.msgs.abort },
  };
};

const rmLane = (rm: number): string => `r${rm + 1}`;

/**
 * The sequence chart: the TM and one lane per RM; the messages of the TLA+ spec (Prepared,
 * Commit, Abort) as arrows when they are received, the local decisions as marks.
 */
export const twoPhaseView = (n: number): ModelView<TwoPhaseState, TwoPhaseAction> => ({
  lanes: () => ['TM', ...Array.from({ length: n }, (_, rm) => rmLane(rm))],
  events: (_before, a): ViewEvent[] => {
    switch (a.type) {
      case 'TMRcvPrepared':
        return [{ from: rmLane(a.rm), to: 'TM', label: 'Prepared' }];
      case 'TMCommit':
        return [{ from: 'TM', to: 'TM', label: 'commit' }];
      case 'TMAbort':
        return [{ from: 'TM', to: 'TM', label: 'abort', mark: 'fault' }];
      case 'RMPrepare':
        return [{ from: rmLane(a.rm), to: rmLane(a.rm), label: 'prepare' }];
      case 'RMChooseToAbort':
        return [{ from: rmLane(a.rm), to: rmLane(a.rm), label: 'abort', mark: 'fault' }];
      case 'RMRcvCommitMsg':
        return [{ from: 'TM', to: rmLane(a.rm), label: 'Commit' }];
      case 'RMRcvAbortMsg':
        return [{ from: 'TM', to: rmLane(a.rm), label: 'Abort' }];
    }
  },
});

/** TwoPhase with `n` resource managers. */
export const twoPhase = (n: number, opts: TwoPhaseOptions = {}): Model<TwoPhaseState, TwoPhaseAction> => {
  const rms = Array.from({ length: n }, (_, rm) => rm);
  const actions: readonly TwoPhaseAction[] = ([
    { type: 'TMCommit' },
    { type: 'TMAbort' },
    ...rms.flatMap((rm): TwoPhaseAction[] => [
      { type: 'TMRcvPrepared', rm },
      { type: 'RMPrepare', rm },
      { type: 'RMChooseToAbort', rm },
      { type: 'RMRcvCommitMsg', rm },
      { type: 'RMRcvAbortMsg', rm },
    ]),
  ]);
  const init: TwoPhaseState = ({
    rmState: (rms.map((): RMState => 'working')),
    tmState: 'init',
    tmPrepared: (rms.map(() => false)),
    msgs: ({ prepared: (rms.map(() => false)), commit: false, abort: false }),
  });
  const nextState = opts.plantCommitEarly
    ? (s: TwoPhaseState, a: TwoPhaseAction): TwoPhaseState | undefined =>
        a.type === 'TMCommit' && s.tmState === 'init' && s.tmPrepared.some((p) => p)
          ? ({ ...s, tmState: 'committed', msgs: ({ ...s.msgs, commit: true }) })
          : next(s, a)
    : next;
  return {
    name: `TwoPhase(${n})`,
    initStates: () => [init],
    ...(opts.symmetry ? { canonical: canonicalTwoPhase } : {}),
    actions: () => actions,
    nextState,
    actionName: (a) => a.type,
    actionNames: ['TMCommit', 'TMAbort', 'TMRcvPrepared', 'RMPrepare', 'RMChooseToAbort', 'RMRcvCommitMsg', 'RMRcvAbortMsg'],
    formatAction: (a) => ('rm' in a ? `${a.type}(r${a.rm + 1})` : a.type),
    view: twoPhaseView(n),
    invariants: [
      {
        name: 'TPTypeOK',
        holds: (s) =>
          s.rmState.length === n &&
          ['init', 'committed', 'aborted'].includes(s.tmState) &&
          s.tmPrepared.length === n &&
          s.msgs.prepared.length === n,
      },
      {
        name: 'TCConsistent',
        holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
        explain: (s) => `rmState = ${JSON.stringify(s.rmState)}: one RM committed while another aborted`,
      },
    ],
  };
};

/** Distinct-state counts TLC reports for TwoPhase with N resource managers. */
export const TLC_TWO_PHASE_COUNTS: Readonly<Record<number, number>> = {
  3: 288,
  4: 1_568,
  5: 8_832,
  6: 50_816,
  7: 296_448,
  8: 1_745_408,
};
