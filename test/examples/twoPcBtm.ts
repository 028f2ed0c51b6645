/**
 * 2PCwithBTM, two-phase commit with a backup transaction manager, from the TLA+ examples
 * (specifications/transaction_commit/2PCwithBTM.tla, Murat Demirbas's variant of Gray and
 * Lamport's commit): the PlusCal translation written step for step, for the engine's
 * liveness tests. Processes: the resource managers 0..n-1 (label RS), the transaction
 * manager (TS, TC, F1, TA, F2) and the backup (BTS, BTC, BTA). Each disjunct of the
 * translation's Next is its own action, in the translation's order. With RMMAYFAIL and
 * TMMAYFAIL true and 3 RMs it has TLC's 1,245 distinct states and depth (15 counted in
 * states as TLC does, 14 steps here). TLC reports 5,841 states generated where this model
 * generates 4,851 transitions: TLC enumerates a guard's disjuncts and ∃-witnesses one by
 * one (canCommit, canAbort, Decide's abort guard), so it can generate one successor several
 * times; only the distinct states and the depth are compared.
 *
 * Temporal property Termination, `<>(every process is Done)`; fairness as the translation's
 * Spec: weak fairness of each RManager(rm), of TManager and of BTManager.
 */
import type { Fairness, Model } from '../../checker/model.ts';

type RmState = 'working' | 'prepared' | 'committed' | 'aborted' | 'failed';
type TmState = 'init' | 'commit' | 'abort' | 'hidden';

export interface BtmState {
  readonly rmState: readonly RmState[];
  readonly tmState: TmState;
  /** pc of each RM, then of the TM, then of the backup TM. */
  readonly pcRm: readonly string[];
  readonly pcTm: string;
  readonly pcBtm: string;
}

/** The branches of RS(self): Prepare, Decide (commit or abort), Fail, and leaving the loop. */
type RsBranch = 'prepare' | 'commit' | 'abort' | 'fail' | 'exit';
export type BtmAction =
  | { readonly type: 'TS'; readonly to: 'TC' | 'TA' }
  | { readonly type: 'TC' | 'F1' | 'TA' | 'F2' | 'BTC' | 'BTA' | 'Terminating' }
  | { readonly type: 'BTS'; readonly to: 'BTC' | 'BTA' }
  | { readonly type: 'RS'; readonly rm: number; readonly branch: RsBranch };

export interface BtmOptions {
  readonly rms: number;
  readonly rmMayFail: boolean;
  readonly tmMayFail: boolean;
  /** The translation's fairness (weak, per process); false: none, any process may stop. */
  readonly fair: boolean;
}

const setAt = <T>(xs: readonly T[], i: number, v: T): readonly T[] => xs.map((x, k) => (k === i ? v : x));

export const twoPcBtm = (o: BtmOptions): Model<BtmState, BtmAction> => {
  const rms = Array.from({ length: o.rms }, (_, i) => i);
  const canCommit = (s: BtmState): boolean => s.rmState.every((r) => r === 'prepared') || s.rmState.includes('committed');
  const canAbort = (s: BtmState): boolean =>
    s.rmState.some((r) => r === 'aborted' || r === 'failed') && !s.rmState.includes('committed');
  const guard = (s: BtmState, to: string): boolean => (to === 'TC' || to === 'BTC' ? canCommit(s) : canAbort(s));

  const rs = (s: BtmState, rm: number, branch: RsBranch): BtmState | undefined => {
    if (s.pcRm[rm] !== 'RS') return undefined;
    const deciding = s.rmState[rm] === 'working' || s.rmState[rm] === 'prepared';
    if (branch === 'exit') return deciding ? undefined : { ...s, pcRm: setAt(s.pcRm, rm, 'Done') };
    if (!deciding) return undefined;
    switch (branch) {
      case 'prepare':
        return s.rmState[rm] === 'working' ? { ...s, rmState: setAt(s.rmState, rm, 'prepared') } : undefined;
      case 'commit':
        return s.tmState === 'commit' ? { ...s, rmState: setAt(s.rmState, rm, 'committed') } : undefined;
      case 'abort':
        return s.rmState[rm] === 'working' || s.tmState === 'abort' ? { ...s, rmState: setAt(s.rmState, rm, 'aborted') } : undefined;
      case 'fail':
        // Fail(p) is always a step: when failing is not allowed, nothing changes.
        return o.rmMayFail && !s.rmState.includes('failed') ? { ...s, rmState: setAt(s.rmState, rm, 'failed') } : s;
    }
  };

  const next = (s: BtmState, a: BtmAction): BtmState | undefined => {
    switch (a.type) {
      case 'TS':
        if (s.pcTm !== 'TS' || !guard(s, a.to)) return undefined;
        return { ...s, pcTm: a.to };
      case 'TC':
        return s.pcTm === 'TC' ? { ...s, tmState: 'commit', pcTm: 'F1' } : undefined;
      case 'F1':
      case 'F2':
        if (s.pcTm !== a.type) return undefined;
        return { ...s, tmState: o.tmMayFail ? 'hidden' : s.tmState, pcTm: 'Done' };
      case 'TA':
        return s.pcTm === 'TA' ? { ...s, tmState: 'abort', pcTm: 'F2' } : undefined;
      case 'BTS':
        if (s.pcBtm !== 'BTS' || s.tmState !== 'hidden' || !guard(s, a.to)) return undefined;
        return { ...s, pcBtm: a.to };
      case 'BTC':
        return s.pcBtm === 'BTC' ? { ...s, tmState: 'commit', pcBtm: 'Done' } : undefined;
      case 'BTA':
        return s.pcBtm === 'BTA' ? { ...s, tmState: 'abort', pcBtm: 'Done' } : undefined;
      case 'RS':
        return rs(s, a.rm, a.branch);
      case 'Terminating':
        // All done: the translation lets the behaviour stutter instead of deadlocking.
        return allDone(s) ? s : undefined;
    }
  };

  const allDone = (s: BtmState): boolean => s.pcRm.every((p) => p === 'Done') && s.pcTm === 'Done' && s.pcBtm === 'Done';

  const actions: readonly BtmAction[] = [
    { type: 'TS', to: 'TC' },
    { type: 'TS', to: 'TA' },
    { type: 'TC' },
    { type: 'F1' },
    { type: 'TA' },
    { type: 'F2' },
    { type: 'BTS', to: 'BTC' },
    { type: 'BTS', to: 'BTA' },
    { type: 'BTC' },
    { type: 'BTA' },
    ...rms.flatMap((rm) =>
      (['prepare', 'commit', 'abort', 'fail', 'exit'] as const).map((branch) => ({ type: 'RS' as const, rm, branch })),
    ),
    { type: 'Terminating' },
  ];
  const TM = new Set(['TS', 'TC', 'F1', 'TA', 'F2']);
  const BTM = new Set(['BTS', 'BTC', 'BTA']);
  const fairness: Fairness<BtmAction>[] = o.fair
    ? [
        ...rms.map((rm) => ({ kind: 'weak' as const, name: `WF(RManager(${rm}))`, includes: (a: BtmAction) => a.type === 'RS' && a.rm === rm })),
        { kind: 'weak', name: 'WF(TManager)', actions: [...TM] },
        { kind: 'weak', name: 'WF(BTManager)', actions: [...BTM] },
      ]
    : [];

  return {
    name: `2PCwithBTM(${o.rms}${o.fair ? '' : ', no fairness'})`,
    initStates: () => [
      { rmState: rms.map(() => 'working'), tmState: 'init', pcRm: rms.map(() => 'RS'), pcTm: 'TS', pcBtm: 'BTS' },
    ],
    actions: () => actions,
    nextState: next,
    actionName: (a) => (a.type === 'RS' ? `RS:${a.branch}` : a.type),
    formatAction: (a) => ('rm' in a ? `RS(rm${a.rm + 1}) ${a.branch}` : 'to' in a ? `${a.type} → ${a.to}` : a.type),
    actionNames: ['TS', 'TC', 'F1', 'TA', 'F2', 'BTS', 'BTC', 'BTA', 'Terminating', ...['prepare', 'commit', 'abort', 'fail', 'exit'].map((b) => `RS:${b}`)],
    invariants: [
      {
        name: 'Consistency',
        holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
      },
    ],
    temporal: [{ kind: 'eventually', name: 'Termination', holds: allDone }],
    fairness,
  };
};
