/**
 * What an exhaustive search (one thread or several) hands back: its violation as a path,
 * turned into a counterexample by replay, and its figures, turned into a CheckResult.
 */
import type { ActionIndices } from './actionIndices.ts';
import { birthdayCollisionBound, collisionProbability, fingerprintInto } from './fingerprint.ts';
import type { FpTable } from './fpTable.ts';
import { fpTableBytes } from './fpTable.ts';
import { DEADLOCK, type Model, type ReachabilityProperty } from './model.ts';
import { pathFromParents } from './replay.ts';
import { firstStuck, type StateGraph } from './stateGraph.ts';
import { coverageReport, propertyReports } from './properties.ts';
import { replay, ReplayError } from './replay.ts';
import type { CheckResult, Counterexample, PathIndices, PropertyKind, Strategy } from './result.ts';

/** A violation found by a search, before its path is replayed. */
export interface Found {
  readonly property: string;
  readonly kind: PropertyKind;
  readonly path: PathIndices;
  /** Why, given the path's last state (rebuilt by replay). */
  readonly explain: (last: unknown) => string | undefined;
  /** The last state's fingerprint, to check the replay; absent when only its id is known. */
  readonly fp?: { readonly hi: number; readonly lo: number };
  /** A lasso's loop start (see Counterexample.loop). */
  readonly loop?: number;
}

/** Why a deadlock is one, as reports say it. */
export const DEADLOCK_EXPLANATION = 'no action is enabled and the model does not accept this state as terminal';

/** A deadlock found at the end of `path` (the state's fingerprint, when known, checks the replay). */
export const deadlockFound = (path: PathIndices, fp?: { readonly hi: number; readonly lo: number }): Found => ({
  property: DEADLOCK,
  kind: 'deadlock',
  path,
  explain: () => DEADLOCK_EXPLANATION,
  ...(fp ? { fp } : {}),
});

/**
 * Replays the path of `v` into a counterexample and checks that it reaches the state the
 * search saw (`v.fp`, or some visited state: `known`, both by the representative `canon`
 * under symmetry); a different state means the model is not deterministic.
 */
export const counterexampleOf = <S, A>(
  model: Model<S, A>,
  v: Found,
  known: (hi: number, lo: number) => boolean,
  canon?: (s: S) => S,
): Counterexample<S, A> => {
  const steps = replay(model, v.path);
  const last = steps[steps.length - 1]!;
  const check = { hi: 0, lo: 0 };
  fingerprintInto(canon ? canon(last.state) : last.state, check);
  if (v.fp ? check.hi !== v.fp.hi || check.lo !== v.fp.lo : !known(check.hi, check.lo)) {
    throw new ReplayError('replaying the counterexample reached a different state: the model is not deterministic');
  }
  if (v.loop !== undefined) {
    // A lasso's last state is the state its loop starts from.
    const start = { hi: 0, lo: 0 };
    const loopState = steps[v.loop]!.state;
    fingerprintInto(canon ? canon(loopState) : loopState, start);
    if (start.hi !== check.hi || start.lo !== check.lo) {
      throw new ReplayError('replaying the lasso did not come back to where its loop starts: the model is not deterministic');
    }
  }
  const explanation = v.explain(last.state);
  return {
    property: v.property,
    kind: v.kind,
    ...(explanation !== undefined ? { explanation } : {}),
    path: v.path,
    steps,
    ...(v.loop !== undefined ? { loop: v.loop } : {}),
  };
};

/**
 * As `counterexampleOf`, for a search that saw the violation without the states (a parallel
 * one): an action property's explanation needs the transition, so it is asked of the replay.
 */
export const replayedCounterexample = <S, A>(
  model: Model<S, A>,
  v: Found,
  known: (hi: number, lo: number) => boolean,
  canon?: (s: S) => S,
): Counterexample<S, A> => {
  const cx = counterexampleOf(model, v, known, canon);
  if (v.kind !== 'action') return cx;
  const prop = (model.actionProperties ?? []).find((p) => p.name === v.property)!;
  const before = cx.steps[cx.steps.length - 2]!.state;
  const last = cx.steps[cx.steps.length - 1]!;
  const why = prop.explain?.(before, last.action as A, last.state);
  return { ...cx, ...(why !== undefined ? { explanation: why } : {}) };
};

/** The figures of a finished exhaustive search. */
export interface SearchFigures<S, A> {
  readonly strategy: Strategy;
  readonly started: number;
  readonly counterexample?: Counterexample<S, A>;
  readonly cutBy?: CheckResult['cutBy'];
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly fired: Map<string, number>;
  readonly witnesses: Map<string, PathIndices>;
  readonly boundaryCut: number;
  readonly visitedBytes: number;
  /** Bytes of the action index kept per state: 2, or 4 once a list of candidates needed them. */
  readonly actionIndexBytes: number;
  readonly workers?: number;
  /** What strict checking warned of. */
  readonly warnings?: readonly string[];
  /** Temporal properties that fail besides the counterexample's (all are checked at the end). */
  readonly alsoViolated?: readonly string[];
}

export const exhaustiveResult = <S, A>(model: Model<S, A>, f: SearchFigures<S, A>): CheckResult<S, A> => {
  const durationMs = performance.now() - f.started;
  const cx = f.counterexample;
  const verdict = cx ? 'violation' : f.cutBy ? 'incomplete' : 'ok';
  const anyModel = model as Model<unknown, unknown>;
  const { coverage, neverFired } = coverageReport(anyModel, f.fired);
  return {
    model: model.name,
    strategy: f.strategy,
    verdict,
    ...(cx ? { property: cx.property, counterexample: cx } : {}),
    properties: propertyReports(anyModel, cx?.property, f.cutBy ? 'incomplete' : 'exhaustive', f.alsoViolated),
    distinctStates: f.distinct,
    generatedStates: f.generated,
    depth: f.depth,
    durationMs,
    statesPerSecond: durationMs > 0 ? Math.round((f.distinct * 1000) / durationMs) : f.distinct,
    coverage,
    neverFired,
    witnesses: Object.fromEntries([...f.witnesses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    boundaryCut: f.boundaryCut,
    ...(f.cutBy && !cx ? { cutBy: f.cutBy } : {}),
    exhaustive: verdict === 'ok',
    visitedBytes: f.visitedBytes,
    bytesPerState: f.distinct > 0 ? f.visitedBytes / f.distinct : 0,
    actionIndexBytes: f.actionIndexBytes,
    collisionProbability: collisionProbability(f.distinct, f.generated),
    birthdayCollisionBound: birthdayCollisionBound(f.distinct),
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
    ...(f.warnings !== undefined && f.warnings.length > 0 ? { warnings: f.warnings } : {}),
  };
};

/**
 * Reverse reachability on the explored graph of a complete search: the first
 * reachability property with a state (the least id) from which no goal is reachable.
 */
export const reachabilityViolation = <S>(
  graph: StateGraph,
  reach: readonly ReachabilityProperty<S, unknown>[],
  states: number,
  parents: Uint32Array,
  actionIdx: ActionIndices,
): Found | undefined => {
  for (let k = 0; k < reach.length; k++) {
    const stuck = firstStuck(graph, states, k);
    if (stuck < 0) continue;
    const prop = reach[k]!;
    return {
      property: prop.name,
      kind: 'reachability',
      path: pathFromParents(parents, actionIdx, stuck),
      explain: (last) => prop.explain?.(last as S) ?? 'no state satisfying the goal is reachable from here by the allowed actions',
    };
  }
  return undefined;
};

/** The figures of random walks (one thread's or a swarm's). */
export interface WalkFigures<S, A> {
  readonly started: number;
  readonly counterexample?: Counterexample<S, A>;
  readonly interrupted: boolean;
  /** The fingerprints of every state the walks met. */
  readonly table: FpTable;
  readonly generated: number;
  readonly depth: number;
  readonly fired: Map<string, number>;
  readonly boundaryCut: number;
  readonly seed: number;
  readonly runs: number;
  readonly workers?: number;
}

export const randomResult = <S, A>(model: Model<S, A>, f: WalkFigures<S, A>): CheckResult<S, A> => {
  const durationMs = performance.now() - f.started;
  const cx = f.counterexample;
  const anyModel = model as Model<unknown, unknown>;
  const { coverage, neverFired } = coverageReport(anyModel, f.fired);
  const visitedBytes = fpTableBytes(f.table);
  const n = f.table.size;
  return {
    model: model.name,
    strategy: 'random',
    verdict: cx ? 'violation' : f.interrupted ? 'incomplete' : 'ok',
    ...(cx ? { property: cx.property, counterexample: cx } : {}),
    properties: propertyReports(anyModel, cx?.property, f.interrupted ? 'incomplete' : 'random'),
    distinctStates: n,
    generatedStates: f.generated,
    depth: f.depth,
    durationMs,
    statesPerSecond: durationMs > 0 ? Math.round((n * 1000) / durationMs) : n,
    coverage,
    neverFired,
    boundaryCut: f.boundaryCut,
    ...(f.interrupted && !cx ? { cutBy: 'interrupted' as const } : {}),
    exhaustive: false,
    visitedBytes,
    bytesPerState: n > 0 ? visitedBytes / n : 0,
    collisionProbability: collisionProbability(n, f.generated),
    birthdayCollisionBound: birthdayCollisionBound(n),
    seed: f.seed,
    runs: f.runs,
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
  };
};
