/**
 * The liveness view: where a liveness counterexample gets stuck, and the region it cannot
 * leave. For a reachability property, the stuck state is the counterexample's last state and
 * the region is what the actions the property allows (`via`) reach from it: none of it
 * satisfies the goal. For a temporal property's lasso, the stuck state is where the loop
 * starts, and the region is what any action reaches from it, with the loop's states and
 * steps marked and the states where the property would be satisfied marked too: fairness
 * does not force the behaviour to them. Bounded (states and time), and it says when it is
 * cut. Only the model contract is used.
 */
import { fingerprint, fingerprintHex } from '../fingerprint.ts';
import type { AnyModel } from '../model.ts';
import { actionFormatter } from '../report.ts';
import type { PathIndices } from '../result.ts';
import { followPath, PathError, pathText } from './session.ts';

/** A state of the region; node 0 is the stuck state. */
export interface RegionNode {
  /** The path from an initial state to this state, through the stuck state (a shortest way from it). */
  readonly path: string;
  /** Steps from the stuck state. */
  readonly depth: number;
  /** The action that first reached it from the node before (none for the stuck state). */
  readonly label?: string;
  /** The goal (reachability), or what the temporal property waits for, holds here. */
  readonly goal?: true;
  /** On the lasso's loop. */
  readonly loop?: true;
}

/** A transition between two states of the region (indices into `nodes`). */
export interface RegionEdge {
  readonly from: number;
  readonly to: number;
  /** A step of the lasso's loop. */
  readonly loop?: true;
}

export interface LivenessRegion {
  readonly property: string;
  readonly kind: 'reachability' | 'temporal';
  /** The step of the counterexample that is stuck: its last (reachability) or the loop's start (temporal). */
  readonly stuckStep: number;
  readonly nodes: readonly RegionNode[];
  readonly edges: readonly RegionEdge[];
  /** Why the region was cut short, when it was: more states than the bound, or out of time. */
  readonly cut?: 'states' | 'time';
  /** Why the counterexample is stuck, in one or two sentences. */
  readonly why: string;
}

export interface RegionBounds {
  readonly maxStates: number;
  readonly maxMs: number;
}

export const REGION_BOUNDS: RegionBounds = { maxStates: 200, maxMs: 2000 };

const keyOf = (s: unknown): string => fingerprintHex(fingerprint(s));

/** The property and what is asked of it: where it is satisfied, and which actions it may use. */
const propertyOf = (model: AnyModel, name: string) => {
  const r = (model.reachability ?? []).find((p) => p.name === name);
  if (r) return { kind: 'reachability' as const, goal: (s: unknown) => r.goal(s), via: (a: unknown) => r.via?.(a) ?? true, words: `the goal of "${name}"` };
  const t = (model.temporal ?? []).find((p) => p.name === name);
  if (!t) throw new PathError(`the model has no reachability or temporal property named ${JSON.stringify(name)}`);
  return {
    kind: 'temporal' as const,
    goal: (s: unknown) => (t.kind === 'leadsTo' ? t.to(s) : t.holds(s)),
    via: () => true,
    words: t.kind === 'leadsTo' ? `the conclusion of "${name}"` : `what "${name}" waits for`,
  };
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * The region of the counterexample `path` of property `name` (`loop`: the lasso's loop start,
 * for a temporal property). PathError when the path or the property does not fit the model.
 */
export const livenessRegion = (
  model: AnyModel,
  path: PathIndices,
  name: string,
  loop?: number,
  bounds: RegionBounds = REGION_BOUNDS,
): LivenessRegion => {
  const prop = propertyOf(model, name);
  const steps = followPath(model, path);
  const last = steps.length - 1;
  if (prop.kind === 'temporal' && (loop === undefined || !Number.isInteger(loop) || loop < 0 || loop > last)) {
    throw new PathError(`a temporal property's region needs the step its loop starts at, from 0 to ${last}`);
  }
  const stuckStep = prop.kind === 'temporal' ? loop! : last;
  const stuckPath = { init: path.init, actions: path.actions.slice(0, stuckStep) };
  // The lasso's loop: the states from its start to the last step, and the steps between them.
  const loopKeys = new Set(prop.kind === 'temporal' ? steps.slice(stuckStep).map((s) => keyOf(s.state)) : []);
  const loopSteps = new Set<string>();
  if (prop.kind === 'temporal' && stuckStep < last) {
    for (let k = stuckStep; k < last; k++) loopSteps.add(`${keyOf(steps[k]!.state)}>${keyOf(steps[k + 1]!.state)}`);
    loopSteps.add(`${keyOf(steps[last]!.state)}>${keyOf(steps[stuckStep]!.state)}`);
  }

  const fmt = actionFormatter(model);
  const started = performance.now();
  const start = steps[stuckStep]!.state;
  const ids = new Map<string, number>([[keyOf(start), 0]]);
  const nodes: RegionNode[] = [];
  const states: unknown[] = [start];
  const edges: RegionEdge[] = [];
  const edgeSeen = new Set<string>();
  const node = (s: unknown, p: PathIndices, depth: number, label?: string): RegionNode => ({
    path: pathText(p),
    depth,
    ...(label !== undefined ? { label } : {}),
    ...(prop.goal(s) ? { goal: true as const } : {}),
    ...(loopKeys.has(keyOf(s)) ? { loop: true as const } : {}),
  });
  const paths: PathIndices[] = [stuckPath];
  nodes.push(node(start, stuckPath, 0));
  let cut: LivenessRegion['cut'];
  // Breadth-first from the stuck state; states beyond the bound are not added, but edges
  // between states already in the region still are.
  for (let i = 0; i < states.length; i++) {
    if (performance.now() - started > bounds.maxMs) {
      cut = 'time';
      break;
    }
    const s = states[i];
    if (model.withinBoundary && !model.withinBoundary(s)) continue;
    model.actions(s).forEach((a, index) => {
      if (!prop.via(a)) return;
      const t = model.nextState(s, a);
      if (t === undefined) return;
      const key = keyOf(t);
      let id = ids.get(key);
      if (id === undefined) {
        if (states.length >= bounds.maxStates) {
          cut ??= 'states';
          return;
        }
        id = states.length;
        ids.set(key, id);
        states.push(t);
        const p = { init: paths[i]!.init, actions: [...paths[i]!.actions, index] };
        paths.push(p);
        nodes.push(node(t, p, nodes[i]!.depth + 1, fmt(a)));
      }
      const edgeKey = `${i}>${id}`;
      if (id === i || edgeSeen.has(edgeKey)) return;
      edgeSeen.add(edgeKey);
      const onLoop = loopSteps.has(`${keyOf(s)}>${key}`);
      edges.push({ from: i, to: id, ...(onLoop ? { loop: true as const } : {}) });
    });
  }
  return { property: name, kind: prop.kind, stuckStep, nodes, edges, ...(cut ? { cut } : {}), why: explain(prop.kind, prop.words, stuckStep, last, nodes, cut) };
};

const explain = (
  kind: 'reachability' | 'temporal',
  words: string,
  stuck: number,
  last: number,
  nodes: readonly RegionNode[],
  cut: LivenessRegion['cut'],
): string => {
  const goals = nodes.filter((n) => n.goal).length;
  const shown = cut ? `the first ${plural(nodes.length, 'state')} reachable from it (the region is cut there: ${cut === 'states' ? 'more states than are drawn' : 'out of time'})` : `all ${plural(nodes.length, 'state')} reachable from it`;
  if (kind === 'reachability') {
    if (goals > 0) return `Step ${stuck} is not stuck: ${plural(goals, 'state')} of the region (in green) ${goals === 1 ? 'satisfies' : 'satisfy'} ${words}.`;
    return `No state in this region satisfies ${words}, and the actions it allows never lead out of it: ${shown} are drawn, none satisfies it, so from step ${stuck} the goal can never be reached.`;
  }
  const loopText =
    stuck === last
      ? `The behaviour stays in step ${stuck} forever (no fairness condition makes it move on), and ${words} does not hold there.`
      : `The behaviour repeats steps ${stuck} to ${last} forever (the loop, in orange) without ${words}: no state of the loop satisfies it.`;
  const region =
    goals === 0
      ? ` None of ${shown} (drawn) satisfies it either.`
      : ` Of ${shown} (drawn), ${plural(goals, 'state')} (in green) would satisfy it, but no fairness condition forces the behaviour there.`;
  return loopText + region;
};
