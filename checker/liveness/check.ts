/**
 * Temporal properties checked on the explored graph, as TLC checks liveness: a property
 * fails when a fair behaviour avoids what it promises, and such a behaviour, in a finite
 * graph, ends in a cycle. Each kind reduces to one question: is there a fair cycle among
 * the states where the goal fails ("bad" states), reachable through bad states from where
 * the promise starts?
 * - `eventually P`: from an initial state, through states without P;
 * - `alwaysEventually P`: from any reachable state (the behaviour settles among ¬P states);
 * - `P leadsTo Q`: from a state with P and not Q, through states without Q.
 * Every state may stutter (stay forever), so every component is a cycle. A component is
 * fair when, for each weak condition, it takes one of its actions or holds a state where
 * none is enabled, and for each strong condition, it takes one of its actions or enables
 * none anywhere; where a strong condition fails, the states that enable it are dropped and
 * the rest searched again (Emerson and Lei's refinement). States on the model's boundary
 * count as good: what lies beyond them is unknown.
 *
 * The counterexample is a lasso: the shortest way (in steps) from an initial state to the
 * fair component, then a cycle inside it that takes what fairness demands and comes back;
 * an empty cycle means the behaviour stutters in its last state forever.
 */
import type { Model, TemporalProperty } from '../model.ts';
import type { PathIndices } from '../result.ts';
import { labelOf, type LivenessGraph } from './graph.ts';
import { components, outEdges, type OutEdges } from './scc.ts';

/** A temporal property's violation: the lasso's path and where its loop starts. */
export interface Lasso {
  readonly property: string;
  readonly path: PathIndices;
  /** Index of the state (in the path's states, 0 = initial) where the loop starts. */
  readonly loop: number;
  readonly explain: string;
  /** The other temporal properties that fail too (each is checked). */
  readonly alsoViolated: readonly string[];
}

/** A fair component: its states, and the one nearest the sources (where the loop starts). */
interface Fair {
  readonly nodes: number[];
  readonly entry: number;
}

const KIND_WORDS: Record<TemporalProperty<unknown>['kind'], string> = {
  eventually: 'never reaches a state where it holds',
  alwaysEventually: 'settles where it never holds again',
  leadsTo: 'reaches its premise and then never its conclusion',
};

/**
 * The first temporal property of `model` (in declaration order) that fails on the graph of a
 * complete search over `states` states, as a lasso, with the names of the others that fail;
 * `pathTo(id)` is the search's shortest path to a state, `isInit(id)` whether it is an
 * initial state.
 */
export const temporalViolation = <S, A>(
  model: Model<S, A>,
  g: LivenessGraph,
  states: number,
  pathTo: (id: number) => PathIndices,
  isInit: (id: number) => boolean,
): Lasso | undefined => {
  const props = model.temporal ?? [];
  const fairness = model.fairness ?? [];
  let weak = 0;
  let strong = 0;
  fairness.forEach((f, k) => {
    if (f.kind === 'weak') weak |= 1 << k;
    else strong |= 1 << k;
  });
  weak >>>= 0;
  strong >>>= 0;
  const out = outEdges(g, states);
  let first: Omit<Lasso, 'alsoViolated'> | undefined;
  const alsoViolated: string[] = [];
  // Per state, the fairness conditions with an action enabled there (a step to another state).
  const enabled = new Uint32Array(states);
  for (let e = 0; e < g.edges; e++) enabled[g.src[e] as number]! |= g.fair[e] as number;

  for (let k = 0; k < props.length; k++) {
    const p = props[k]!;
    const bad = (v: number): boolean => (labelOf(g, v, k) & 2) === 0 && g.unexpanded[v] === 0;
    const sources: number[] = [];
    for (let v = 0; v < states; v++) {
      if (!bad(v)) continue;
      if (p.kind === 'eventually' ? isInit(v) : p.kind === 'leadsTo' ? (labelOf(g, v, k) & 1) !== 0 : true) sources.push(v);
    }
    if (sources.length === 0) continue;
    // Breadth-first through bad states from the sources: distance, the edge it came by.
    const dist = new Int32Array(states).fill(-1);
    const via = new Int32Array(states).fill(-1);
    const reached: number[] = [];
    for (const v of sources) {
      dist[v] = 0;
      reached.push(v);
    }
    for (let h = 0; h < reached.length; h++) {
      const v = reached[h]!;
      for (let q = out.start[v] as number; q < (out.start[v + 1] as number); q++) {
        const e = out.order[q] as number;
        const w = g.dst[e] as number;
        if ((dist[w] as number) >= 0 || !bad(w)) continue;
        dist[w] = (dist[v] as number) + 1;
        via[w] = e;
        reached.push(w);
      }
    }
    const inReached = (v: number): boolean => (dist[v] as number) >= 0;
    const fair = fairComponent(g, out, states, enabled, weak, strong, reached, inReached, dist);
    if (!fair) continue;
    if (first) {
      alsoViolated.push(p.name);
      continue;
    }
    // The stem: the search's path to the source, then the bad states' path to the entry.
    const stem: number[] = [];
    let v = fair.entry;
    while ((via[v] as number) >= 0) {
      const e = via[v] as number;
      stem.push(g.act[e] as number);
      v = g.src[e] as number;
    }
    const head = pathTo(v);
    const prefix = [...head.actions, ...stem.reverse()];
    const cycle = loopThrough(g, out, enabled, weak, strong, fair);
    first = {
      property: p.name,
      path: { init: head.init, actions: [...prefix, ...cycle] },
      loop: prefix.length,
      explain:
        `a fair behaviour ${KIND_WORDS[p.kind]}: ` +
        (cycle.length === 0
          ? `it stays in state ${prefix.length} forever (${fairness.length === 0 ? 'the model declares no fairness, so nothing makes it move' : 'no action under a fairness condition is enabled there'})`
          : `from state ${prefix.length} it repeats the last ${cycle.length} step(s) forever`),
    };
  }
  return first ? { ...first, alsoViolated } : undefined;
};

/** Which of `nodes` (in one component) is nearest to the sources, least id on a tie. */
const nearest = (nodes: readonly number[], dist: Int32Array): number => {
  let best = nodes[0]!;
  for (const v of nodes) {
    const d = dist[v] as number;
    const b = dist[best] as number;
    if (d < b || (d === b && v < best)) best = v;
  }
  return best;
};

/** The fair component among `nodes` whose nearest state is nearest the sources, if any. */
const fairComponent = (
  g: LivenessGraph,
  out: OutEdges,
  states: number,
  enabled: Uint32Array,
  weak: number,
  strong: number,
  nodes: readonly number[],
  member: (v: number) => boolean,
  dist: Int32Array,
): Fair | undefined => {
  let best: Fair | undefined;
  const better = (f: Fair | undefined): void => {
    if (!f) return;
    if (!best) {
      best = f;
      return;
    }
    const d = dist[f.entry] as number;
    const b = dist[best.entry] as number;
    if (d < b || (d === b && f.entry < best.entry)) best = f;
  };
  const comps = components(g, out, states, nodes, member);
  comps.list.forEach((comp, c) => {
    const inComp = (v: number): boolean => comps.of[v] === c;
    const { taken, anyEnabled, allEnabled } = summary(g, out, enabled, comp, inComp);
    const unmetStrong = (strong & anyEnabled & ~taken) >>> 0;
    if (unmetStrong !== 0) {
      // A strong condition enabled here and never taken: only the states that do not enable it may cycle.
      const rest = comp.filter((v) => ((enabled[v] as number) & unmetStrong) === 0);
      if (rest.length > 0) {
        const keep = new Set(rest);
        better(fairComponent(g, out, states, enabled, weak, strong, rest, (v) => keep.has(v), dist));
      }
      return;
    }
    if ((weak & allEnabled & ~taken) >>> 0 !== 0) return;
    better({ nodes: comp, entry: nearest(comp, dist) });
  });
  return best;
};

/** The fairness conditions a component takes, enables somewhere, and enables everywhere. */
const summary = (g: LivenessGraph, out: OutEdges, enabled: Uint32Array, comp: readonly number[], inComp: (v: number) => boolean) => {
  let taken = 0;
  let anyEnabled = 0;
  let allEnabled = 0xffffffff;
  for (const v of comp) {
    anyEnabled |= enabled[v] as number;
    allEnabled &= enabled[v] as number;
    for (let q = out.start[v] as number; q < (out.start[v + 1] as number); q++) {
      const e = out.order[q] as number;
      if (inComp(g.dst[e] as number)) taken |= g.fair[e] as number;
    }
  }
  return { taken: taken >>> 0, anyEnabled: anyEnabled >>> 0, allEnabled: allEnabled >>> 0 };
};

/**
 * A cycle from the component's entry back to it (action indices) that takes an action of
 * each fairness condition the component takes, and passes a state where each weak
 * condition it does not take is disabled; empty when stuttering at the entry is fair. It is
 * built greedily: from where it is, go to the nearest state or step that meets a demand not
 * met yet, until none is left; then back to the entry.
 */
const loopThrough = (
  g: LivenessGraph,
  out: OutEdges,
  enabled: Uint32Array,
  weak: number,
  strong: number,
  fair: Fair,
): number[] => {
  const members = new Set(fair.nodes);
  const inComp = (v: number): boolean => members.has(v);
  const { taken } = summary(g, out, enabled, fair.nodes, inComp);
  // Demands: a step of each condition the component takes; for each weak one it does not
  // take, a state where it is disabled.
  let needStep = ((weak | strong) & taken) >>> 0;
  let needIdle = (weak & ~taken) >>> 0;
  const cycle: number[] = [];
  let cur = fair.entry;
  const arrive = (v: number): void => {
    needIdle = (needIdle & (enabled[v] as number)) >>> 0;
  };
  arrive(cur);
  while (needStep !== 0 || needIdle !== 0) {
    // Breadth-first from `cur` inside the component to the nearest state or step that helps.
    const via = new Map<number, number>([[cur, -1]]);
    const queue = [cur];
    let target = -1;
    let step = -1;
    for (let h = 0; h < queue.length && target < 0; h++) {
      const v = queue[h]!;
      if ((needIdle & ~(enabled[v] as number)) >>> 0 !== 0) {
        target = v;
        break;
      }
      for (let q = out.start[v] as number; q < (out.start[v + 1] as number); q++) {
        const e = out.order[q] as number;
        const w = g.dst[e] as number;
        if (!inComp(w)) continue;
        if ((g.fair[e] as number) & needStep) {
          target = v;
          step = e;
          break;
        }
        if (!via.has(w)) {
          via.set(w, e);
          queue.push(w);
        }
      }
    }
    if (target < 0) throw new Error('liveness: a fair component with a fairness demand no state or step of it meets');
    const path: number[] = [];
    for (let v = target; v !== cur; ) {
      const e = via.get(v)!;
      path.push(e);
      v = g.src[e] as number;
    }
    if (step >= 0) path.unshift(step);
    for (const e of path.reverse()) {
      cycle.push(g.act[e] as number);
      needStep = (needStep & ~(g.fair[e] as number)) >>> 0;
      cur = g.dst[e] as number;
      arrive(cur);
    }
  }
  cycle.push(...pathWithin(g, out, inComp, cur, fair.entry));
  return cycle;
};

/** The shortest path (action indices) from `from` to `to` inside `inComp`. */
const pathWithin = (g: LivenessGraph, out: OutEdges, inComp: (v: number) => boolean, from: number, to: number): number[] => {
  if (from === to) return [];
  const via = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let h = 0; h < queue.length && !via.has(to); h++) {
    const v = queue[h]!;
    for (let q = out.start[v] as number; q < (out.start[v + 1] as number); q++) {
      const e = out.order[q] as number;
      const w = g.dst[e] as number;
      if (via.has(w) || !inComp(w)) continue;
      via.set(w, e);
      queue.push(w);
    }
  }
  const path: number[] = [];
  for (let v = to; v !== from; ) {
    const e = via.get(v)!;
    path.push(g.act[e] as number);
    v = g.src[e] as number;
  }
  return path.reverse();
};
