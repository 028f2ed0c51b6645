/**
 * The exhaustive explore loop, shared by breadth-first search (a ring-buffer queue: the
 * first violation found is at the shortest distance from an initial state) and depth-first
 * search (a stack). New states are checked before they are queued, as TLC does. Visited
 * states are kept by fingerprint only; each state gets an id in discovery order with its
 * parent id and the index of the action that reached it, so a counterexample is a list of
 * indices rebuilt by replay.
 *
 * The loop runs in slices (`step(deadline)`) so a caller can report progress, yield to the
 * event loop and honour an abort signal between slices.
 */
import { type ActionIndices, createActionIndices, grownActionIndices, NARROW_LIMIT, widenedFor } from './actionIndices.ts';
import { fingerprintInto, fingerprintRecording, primeFingerprints, type Recording, takeRecording } from './fingerprint.ts';
import { createFpTable, type FpTable, fpTableBytes, hasFp, putIfAbsent } from './fpTable.ts';
import type { Model } from './model.ts';
import { isDeadlock } from './properties.ts';
import { temporalViolation } from './liveness/check.ts';
import { type LivenessGraph, livenessGraphBytes, livenessRecorder } from './liveness/graph.ts';
import { strictChecks } from './strict.ts';
import { symmetryOf } from './symmetry.ts';
import { NO_PARENT, pathFromParents } from './replay.ts';
import type { CheckOptions, CheckResult, PathIndices } from './result.ts';
import { counterexampleOf, deadlockFound, exhaustiveResult, type Found, reachabilityViolation } from './searchResult.ts';
import { addEdge, createStateGraph, markState, type StateGraph, stateGraphBytes, UNEXPANDED } from './stateGraph.ts';

/** `visit`'s answer for a new state that violates an invariant. */
const VIOLATED = -2;

/** A search in progress. */
export interface Search<S, A> {
  /** Runs until finished or `performance.now()` passes `deadline`; true when finished. */
  step(deadline: number): boolean;
  /** Running figures. */
  progress(): { distinctStates: number; generatedStates: number; queued: number; depth: number };
  /** The result; call once `step` returned true. */
  result(): CheckResult<S, A>;
}

/** A breadth-first search paused between two levels, as a parallel search takes it over. */
export interface LevelHandover<S> {
  readonly table: FpTable;
  readonly parents: Uint32Array;
  readonly actionIdx: ActionIndices;
  readonly nextId: number;
  readonly generated: number;
  readonly fired: Map<string, number>;
  readonly witnesses: Map<string, PathIndices>;
  readonly boundaryCut: number;
  readonly depth: number;
  readonly graph: StateGraph | undefined;
  /** The level about to be expanded: its depth, and its states with their ids, in id order. */
  readonly level: number;
  readonly frontier: readonly { readonly state: S; readonly id: number }[];
}

/** A breadth-first search that can stop between levels and hand its work over. */
export interface PausableSearch<S, A> extends Search<S, A> {
  /** True when `step` returned at a level boundary (`pauseAtLevels`). */
  atLevelBoundary(): boolean;
  /** Go on to the end without pausing between levels. */
  stopPausing(): void;
  /** Up to `n` of the states queued for the next level (the search goes on unchanged). */
  peekFrontier(n: number): S[];
  /** The search's work, for another to go on with; this search is then empty. */
  handover(): LevelHandover<S>;
}

type Violation = Found;

/**
 * Creates a BFS (`lifo` false) or DFS (`lifo` true) search over `model`.
 *
 * Breadth-first search works level by level, as the parallel search does, so that the two
 * give the same figures: a violation found while expanding a level is kept (the first in
 * discovery order, i.e. the least), the level is still expanded to its end, and the search
 * stops there; `maxStates` is looked at between levels. Depth-first search stops at its
 * first violation, once the state being expanded is done.
 */
export function createExplorer<S, A>(model: Model<S, A>, options: CheckOptions, lifo: boolean): Search<S, A>;
export function createExplorer<S, A>(
  model: Model<S, A>,
  options: CheckOptions,
  lifo: false,
  pausing: { readonly sharedTable: boolean; readonly pauseAtLevels: boolean },
): PausableSearch<S, A>;
export function createExplorer<S, A>(
  model: Model<S, A>,
  options: CheckOptions,
  lifo: boolean,
  pausing?: { readonly sharedTable: boolean; readonly pauseAtLevels: boolean },
): PausableSearch<S, A> {
  const started = performance.now();
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const invariants = model.invariants ?? [];
  const actionProps = model.actionProperties ?? [];
  const withinBoundary = model.withinBoundary?.bind(model);
  const canon = symmetryOf(model, options);
  // --strict: the model contract checked as the search goes (strict.ts).
  const strictly = options.strict ? strictChecks(model, (id) => pathFromParents(parents, actionIdx, id)) : undefined;
  // Depth-bounded DFS may reach a state again by a shorter path: then it must be expanded
  // again, so it needs the state's id back from its fingerprint.
  const reexpand = lifo && Number.isFinite(maxDepth);
  // Reachability properties need the explored graph, hence each state's id from its fingerprint.
  const reach = model.reachability ?? [];
  if (reach.length > 31) throw new RangeError(`at most 31 reachability properties, got ${reach.length}`);
  const graph = reach.length > 0 ? createStateGraph() : undefined;
  // Temporal properties need the explored graph too, with each transition's action (liveness/).
  const live = livenessRecorder(model);
  const allVia = reach.reduce((m, r, k) => (r.via ? m : m | (1 << k)), 0);

  const table = createFpTable(1 << 12, reexpand || graph !== undefined || live !== undefined, pausing?.sharedTable ?? false);
  // Pausing between levels: the depth of the level the search last paused before.
  let pauseAtLevels = pausing?.pauseAtLevels ?? false;
  let pausedBefore = -1;
  let paused = false;
  let parents = new Uint32Array(1 << 12);
  // Two bytes a state until a list of candidates (or of initial states) is too long for them.
  let actionIdx = createActionIndices(1 << 12);
  let actionLimit = NARROW_LIMIT;
  let depthOf = reexpand ? new Uint32Array(1 << 12) : undefined;
  let nextId = 0;

  // Frontier: a ring buffer used as a queue (BFS) or a stack (DFS).
  let cap = 1 << 12;
  let fS: (S | undefined)[] = new Array(cap);
  // The sub-object hashes noted when each queued state was fingerprinted: priming it is then free.
  let fR: (Recording | undefined)[] = new Array(cap);
  let fId = new Uint32Array(cap);
  let fDepth = new Uint32Array(cap);
  let head = 0;
  let count = 0;

  const fired = new Map<string, number>();
  const witnesses = new Map<string, PathIndices>();
  let generated = 0;
  let maxDepthSeen = 0;
  let boundaryCut = 0;
  let cutBy: CheckResult['cutBy'];
  let violation: Violation | undefined;
  let finished = false;
  let levelDepth = -1;
  const fp = { hi: 0, lo: 0 };

  const push = (s: S, id: number, depth: number, rec?: Recording): void => {
    if (count === cap) {
      const n = cap * 2;
      const s2: (S | undefined)[] = new Array(n);
      const r2: (Recording | undefined)[] = new Array(n);
      const i2 = new Uint32Array(n);
      const d2 = new Uint32Array(n);
      for (let k = 0; k < count; k++) {
        const j = (head + k) & (cap - 1);
        s2[k] = fS[j];
        r2[k] = fR[j];
        i2[k] = fId[j] as number;
        d2[k] = fDepth[j] as number;
      }
      fS = s2;
      fR = r2;
      fId = i2;
      fDepth = d2;
      head = 0;
      cap = n;
    }
    const j = (head + count) & (cap - 1);
    fS[j] = s;
    fR[j] = rec;
    fId[j] = id;
    fDepth[j] = depth;
    count++;
  };

  const newId = (parent: number, action: number, depth: number): number => {
    const id = nextId++;
    if (id === parents.length) {
      const p2 = new Uint32Array(id * 2);
      p2.set(parents);
      parents = p2;
      actionIdx = grownActionIndices(actionIdx, id * 2);
      if (depthOf) {
        const d2 = new Uint32Array(id * 2);
        d2.set(depthOf);
        depthOf = d2;
      }
    }
    parents[id] = parent;
    actionIdx[id] = action;
    if (depthOf) depthOf[id] = depth;
    return id;
  };

  const checkInvariants = (t: S, id: number): boolean => {
    for (const inv of invariants) {
      if (!inv.holds(t)) {
        if (violation) return false;
        violation = {
          property: inv.name,
          kind: 'invariant',
          path: pathFromParents(parents, actionIdx, id),
          explain: () => inv.explain?.(t),
          fp: { hi: fp.hi, lo: fp.lo },
        };
        return false;
      }
    }
    return true;
  };

  /**
   * Records a reached state; returns its id (-1 when the graph is not kept and the state
   * was seen before), or VIOLATED when it is new and violates an invariant.
   */
  const visit = (t: S, parent: number, action: number, depth: number): number => {
    if (canon) fingerprintInto(canon(t), fp);
    else fingerprintRecording(t, fp);
    const slot = putIfAbsent(table, fp.hi, fp.lo);
    if (slot < 0) {
      if (!table.values) return -1;
      const id = table.values[-1 - slot] as number;
      if (!depthOf || depth >= (depthOf[id] as number)) return id;
      // Reached again by a shorter path: re-expand it from there.
      parents[id] = parent;
      actionIdx[id] = action;
      depthOf[id] = depth;
      push(t, id, depth, canon ? undefined : takeRecording());
      return id;
    }
    const id = newId(parent, action, depth);
    if (strictly) strictly.newState(t, id);
    if (table.values) table.values[slot] = id;
    if (depth > maxDepthSeen) maxDepthSeen = depth;
    if (!checkInvariants(t, id)) return VIOLATED;
    if (graph) {
      let goals = 0;
      for (let k = 0; k < reach.length; k++) if (reach[k]!.goal(t)) goals |= 1 << k;
      markState(graph, id, goals);
    }
    const inside = !withinBoundary || withinBoundary(t);
    live?.state(id, t, inside);
    if (!inside) {
      boundaryCut++;
      if (graph) markState(graph, id, UNEXPANDED);
      return id;
    }
    push(t, id, depth, canon ? undefined : takeRecording());
    return id;
  };

  /** From now on, action indices take four bytes a state. */
  const widen = (count: number): void => {
    actionIdx = widenedFor(actionIdx, count);
    actionLimit = Infinity;
  };

  const start = (): void => {
    const inits = model.initStates();
    if (inits.length > actionLimit) widen(inits.length);
    for (let i = 0; i < inits.length; i++) {
      generated++;
      visit(inits[i] as S, NO_PARENT, i, 0);
    }
  };

  const expand = (s: S, id: number, depth: number, rec: Recording | undefined): void => {
    primeFingerprints(s, rec);
    const candidates = model.actions(s);
    if (candidates.length > actionLimit) widen(candidates.length);
    if (strictly) strictly.expansion(s, id, candidates);
    let enabled = 0;
    if (depth >= maxDepth) {
      // The bound cuts the search only if a successor here is a state not seen yet.
      for (let i = 0; i < candidates.length; i++) {
        const t = model.nextState(s, candidates[i] as A);
        if (t === undefined) continue;
        enabled++;
        fingerprintInto(canon ? canon(t) : t, fp);
        if (!hasFp(table, fp.hi, fp.lo)) {
          cutBy = 'max-depth';
          return;
        }
        // Every successor is known: the graph still needs the transition.
        if (live) live.edge(id, table.values![-1 - putIfAbsent(table, fp.hi, fp.lo)] as number, i, candidates[i] as A);
      }
    } else {
      for (let i = 0; i < candidates.length; i++) {
        const a = candidates[i] as A;
        const t = model.nextState(s, a);
        if (t === undefined) continue;
        enabled++;
        generated++;
        const name = model.actionName(a);
        const times = fired.get(name);
        if (times === undefined) {
          // The first firing of each kind: in BFS, one at the least depth (a shortest witness).
          const path = pathFromParents(parents, actionIdx, id);
          witnesses.set(name, { init: path.init, actions: [...path.actions, i] });
        }
        fired.set(name, (times ?? 0) + 1);
        if (!violation) {
          for (const prop of actionProps) {
            if (!prop.holds(s, a, t)) {
              const path = pathFromParents(parents, actionIdx, id);
              fingerprintInto(canon ? canon(t) : t, fp);
              violation = {
                property: prop.name,
                kind: 'action',
                path: { init: path.init, actions: [...path.actions, i] },
                explain: () => prop.explain?.(s, a, t),
                fp: { hi: fp.hi, lo: fp.lo },
              };
              break;
            }
          }
        }
        const to = visit(t, id, i, depth + 1);
        if (to === VIOLATED) continue;
        live?.edge(id, to, i, a);
        if (graph) {
          let mask = allVia;
          for (let k = 0; k < reach.length; k++) if (reach[k]!.via?.(a)) mask |= 1 << k;
          addEdge(graph, id, to, mask);
        }
      }
    }
    if (enabled === 0 && !violation && isDeadlock(model, s)) {
      fingerprintInto(canon ? canon(s) : s, fp);
      violation = deadlockFound(pathFromParents(parents, actionIdx, id), { hi: fp.hi, lo: fp.lo });
    }
  };

  const step = (deadline: number): boolean => {
    if (finished) return true;
    paused = false;
    if (nextId === 0 && generated === 0) start();
    let n = 0;
    while (count > 0) {
      // BFS: the next state opens a new level (dequeued depth beyond the last expanded one).
      const next = lifo ? (head + count - 1) & (cap - 1) : head;
      const opensLevel = !lifo && (fDepth[next] as number) > levelDepth;
      if (violation && (lifo || opensLevel)) break;
      if (nextId >= maxStates && (lifo || opensLevel)) {
        cutBy = 'max-states';
        break;
      }
      if (pauseAtLevels && opensLevel && pausedBefore !== (fDepth[next] as number)) {
        pausedBefore = fDepth[next] as number;
        paused = true;
        return false;
      }
      if (!lifo) levelDepth = fDepth[next] as number;
      if ((++n & 63) === 0) {
        if (options.signal?.aborted) {
          cutBy = 'interrupted';
          break;
        }
        if (performance.now() > deadline) return false;
      }
      let j: number;
      if (lifo) {
        j = (head + count - 1) & (cap - 1);
      } else {
        j = head;
        head = (head + 1) & (cap - 1);
      }
      count--;
      const s = fS[j] as S;
      const rec = fR[j];
      fS[j] = undefined;
      fR[j] = undefined;
      const id = fId[j] as number;
      const depth = fDepth[j] as number;
      if (depthOf && depth > (depthOf[id] as number)) continue; // a shorter path re-queued it
      expand(s, id, depth, rec);
    }
    if (graph && !violation && !cutBy) checkReachability(graph);
    if (live && !violation && !cutBy) checkTemporal(live.graph);
    finished = true;
    return true;
  };

  /** Reverse reachability on the explored graph: the first state (by id) with no way to a goal. */
  const checkReachability = (g: StateGraph): void => {
    violation = reachabilityViolation(g, reach, nextId, parents, actionIdx);
  };

  /** Temporal properties on the explored graph: the first that fails, as a lasso (and which others fail). */
  let alsoViolated: readonly string[] = [];
  const checkTemporal = (g: LivenessGraph): void => {
    const lasso = temporalViolation(model, g, nextId, (id) => pathFromParents(parents, actionIdx, id), (id) => parents[id] === NO_PARENT);
    if (!lasso) return;
    violation = { property: lasso.property, kind: 'temporal', path: lasso.path, loop: lasso.loop, explain: () => lasso.explain };
    alsoViolated = lasso.alsoViolated;
  };

  const result = (): CheckResult<S, A> => {
    const visitedBytes = fpTableBytes(table) + parents.byteLength + actionIdx.byteLength + (depthOf?.byteLength ?? 0) +
      (graph ? stateGraphBytes(graph) : 0) + (live ? livenessGraphBytes(live.graph) : 0);
    return exhaustiveResult(model, {
      strategy: lifo ? 'dfs' : 'bfs',
      started,
      ...(violation ? { counterexample: counterexampleOf(model, violation, (hi, lo) => hasFp(table, hi, lo), canon) } : {}),
      ...(cutBy ? { cutBy } : {}),
      distinct: nextId,
      generated,
      depth: maxDepthSeen,
      fired,
      witnesses,
      boundaryCut,
      visitedBytes,
      actionIndexBytes: actionIdx.BYTES_PER_ELEMENT,
      ...(strictly ? { warnings: strictly.warnings() } : {}),
      alsoViolated,
    });
  };

  const handover = (): LevelHandover<S> => {
    if (!paused) throw new Error('handover: the search is not paused between levels');
    const frontier: { state: S; id: number }[] = [];
    for (let k = 0; k < count; k++) {
      const j = (head + k) & (cap - 1);
      frontier.push({ state: fS[j] as S, id: fId[j] as number });
      fS[j] = undefined;
      fR[j] = undefined;
    }
    count = 0;
    finished = true;
    return {
      table,
      parents,
      actionIdx,
      nextId,
      generated,
      fired,
      witnesses,
      boundaryCut,
      depth: maxDepthSeen,
      graph,
      level: pausedBefore,
      frontier,
    };
  };

  return {
    step,
    atLevelBoundary: () => paused,
    stopPausing: () => {
      pauseAtLevels = false;
    },
    peekFrontier: (n) => {
      const out: S[] = [];
      for (let k = 0; k < Math.min(n, count); k++) out.push(fS[(head + k) & (cap - 1)] as S);
      return out;
    },
    handover,
    progress: () => ({ distinctStates: nextId, generatedStates: generated, queued: count, depth: maxDepthSeen }),
    result,
  };
};
