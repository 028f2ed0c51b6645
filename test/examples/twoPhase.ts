/**
 * TwoPhase, the two-phase commit protocol from the TLA+ examples
 * (specifications/transaction_commit/TwoPhase.tla), written action for action:
 * TMRcvPrepared(rm), TMCommit, TMAbort, RMPrepare(rm), RMChooseToAbort(rm),
 * RMRcvCommitMsg(rm), RMRcvAbortMsg(rm). Invariants TPTypeOK and TCConsistent.
 *
 * Representation: the sets `tmPrepared` and `msgs` are kept as characteristic vectors
 * (tmPrepared[rm], msgs.prepared[rm], msgs.commit, msgs.abort), the same sets as values.
 * Updates never mutate; each builds the new record with one constructor (`state`,
 * `messages`) that lists every field in one order, as the system model's
 * `model/immutable.ts` does, so every state has one shape. This model is the engine's
 * benchmark and must measure the engine: immer's produce and Object.freeze cost more than
 * the engine's whole per-state work, and object spreads (`{ ...s, rmState }`) made the
 * search about 1.6 times slower (each spread takes a slow path, and the engine reads states
 * of many shapes).
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

/** A state, its fields in the one order every state has. */
const state = (
  rmState: readonly RMState[],
  tmState: TMState,
  tmPrepared: readonly boolean[],
  msgs: TwoPhaseState['msgs'],
): TwoPhaseState => ({ rmState, tmState, tmPrepared, msgs });

/** The set of messages sent, its fields in one order. */
const messages = (prepared: readonly boolean[], commit: boolean, abort: boolean): TwoPhaseState['msgs'] => ({ prepared, commit, abort });

/** `s` with resource manager `rm` in local state `to`. */
const withRm = (s: TwoPhaseState, rm: number, to: RMState): TwoPhaseState => state(setAt(s.rmState, rm, to), s.tmState, s.tmPrepared, s.msgs);

/** `s` after the TM decided: it is in `to`, and the decision's message is sent. */
const decided = (s: TwoPhaseState, to: 'committed' | 'aborted'): TwoPhaseState =>
  state(s.rmState, to, s.tmPrepared, messages(s.msgs.prepared, s.msgs.commit || to === 'committed', s.msgs.abort || to === 'aborted'));

const next = (s: TwoPhaseState, a: TwoPhaseAction): TwoPhaseState | undefined => {
  switch (a.type) {
    case 'TMRcvPrepared':
      if (s.tmState !== 'init' || !s.msgs.prepared[a.rm]) return undefined;
      return state(s.rmState, s.tmState, setAt(s.tmPrepared, a.rm, true), s.msgs);
    case 'TMCommit':
      if (s.tmState !== 'init' || !s.tmPrepared.every((p) => p)) return undefined;
      return decided(s, 'committed');
    case 'TMAbort':
      if (s.tmState !== 'init') return undefined;
      return decided(s, 'aborted');
    case 'RMPrepare':
      if (s.rmState[a.rm] !== 'working') return undefined;
      return state(setAt(s.rmState, a.rm, 'prepared'), s.tmState, s.tmPrepared, messages(setAt(s.msgs.prepared, a.rm, true), s.msgs.commit, s.msgs.abort));
    case 'RMChooseToAbort':
      if (s.rmState[a.rm] !== 'working') return undefined;
      return withRm(s, a.rm, 'aborted');
    case 'RMRcvCommitMsg':
      if (!s.msgs.commit) return undefined;
      return withRm(s, a.rm, 'committed');
    case 'RMRcvAbortMsg':
      if (!s.msgs.abort) return undefined;
      return withRm(s, a.rm, 'aborted');
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
  return state(
    order.map((rm) => s.rmState[rm]!),
    s.tmState,
    order.map((rm) => s.tmPrepared[rm]!),
    messages(order.map((rm) => s.msgs.prepared[rm]!), s.msgs.commit, s.msgs.abort),
  );
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
  const init = state(
    rms.map((): RMState => 'working'),
    'init',
    rms.map(() => false),
    messages(rms.map(() => false), false, false),
  );
  const nextState = opts.plantCommitEarly
    ? (s: TwoPhaseState, a: TwoPhaseAction): TwoPhaseState | undefined =>
        a.type === 'TMCommit' && s.tmState === 'init' && s.tmPrepared.some((p) => p)
          ? decided(s, 'committed')
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
