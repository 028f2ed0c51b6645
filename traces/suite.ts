/**
 * The conformance vector suite: deterministic ITF traces that together fire every action
 * of every preset asked for, plus each mutant's counterexample labelled must-reject.
 *
 * - For each preset, one exhaustive BFS; for each action kind, the engine's witness (a
 *   shortest path ending with the kind's first firing) becomes a trace. A trace whose path
 *   is a prefix of another's is dropped, and its action kinds are credited to the longer
 *   one, so every kind stays covered with fewer, longer vectors.
 * - For each preset, three seeded random walks (up to 60 steps or a terminal state), for
 *   interleavings richer than the shortest witnesses.
 * - For each goal a preset is given (a predicate on states), the shortest path to a state
 *   where it holds: behaviours neither the witnesses nor the walks reach, named on purpose
 *   (the ring closing a number no write was stamped with, for instance).
 * - For each mutant, the shortest counterexample on the preset where it shows: a trace
 *   the correct model must reject (the oracle names the step); and the vector of its first
 *   observable difference from the model (mutantStepVector), which tests the bad step itself.
 * Same model, same suite, byte for byte.
 */
import { check } from '../checker/check.ts';
import type { AnyModel } from '../checker/model.ts';
import type { ModelProvider } from '../checker/provider.ts';
import { replay } from '../checker/replay.ts';
import type { PathIndices, Step } from '../checker/result.ts';
import { stringifyItfTrace, toItfTrace } from '../checker/itf.ts';
import { divergences } from './divergence.ts';
import { mulberry32 } from '../checker/prng.ts';

/** One vector: its file name in the suite, what it covers, and its ITF text. */
export interface Vector {
  readonly file: string;
  readonly preset: string;
  readonly mutant?: string;
  /** A conform vector made to catch this mutant: the mutant cannot follow its last step. */
  readonly targets?: string;
  /** A conform vector made to reach this goal of its preset (`Goal`). */
  readonly goal?: string;
  /** 'conform': an implementation's trace like it must be accepted; 'reject': must be refused. */
  readonly expect: 'conform' | 'reject';
  readonly covers: readonly string[];
  readonly property?: string;
  readonly steps: number;
  readonly text: string;
}

/** What the exhaustive check of a preset found, on the way to its vectors (the tests pin it). */
export interface PresetCheck {
  readonly verdict: string;
  readonly distinctStates: number;
  readonly boundaryCut: number;
  readonly neverFired: readonly string[];
  readonly properties: readonly { readonly name: string; readonly status: string }[];
}

export interface SuiteIndex {
  readonly format: 'shuttlecheck-vectors/1';
  readonly vectors: readonly Omit<Vector, 'text'>[];
  /** Action kinds of each preset, and any the suite could not fire (should be empty). */
  readonly coverage: Readonly<Record<string, { readonly actions: readonly string[]; readonly neverFired: readonly string[] }>>;
}

const asVars = (s: unknown): Record<string, unknown> =>
  s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : { state: s };

/** The fields of an action other than its `type`, for `mbt::nondetPicks`. */
const picksOf = (a: unknown): Record<string, unknown> => {
  if (a === undefined) return {};
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return { value: a };
  const { type: _type, ...rest } = a as Record<string, unknown>;
  return rest;
};

/** A path of the model as ITF text, with its meta. */
export const traceText = (model: AnyModel, steps: readonly Step<unknown, unknown>[], meta: Record<string, unknown>): string =>
  stringifyItfTrace(
    toItfTrace({
      states: steps.map((s) => asVars(s.state)),
      actions: steps.map((s, i) => (i === 0 ? 'init' : model.actionName(s.action))),
      nondetPicks: steps.map((s) => picksOf(s.action)),
      meta: { source: 'shuttlecheck vectors', model: model.name, ...meta },
    }),
  );

const isPrefix = (a: PathIndices, b: PathIndices): boolean =>
  a.init === b.init && a.actions.length <= b.actions.length && a.actions.every((x, i) => b.actions[i] === x);

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

/** Vectors that fire every action kind of one preset. Throws if the preset has a violation. */
export const presetVectors = (
  provider: ModelProvider,
  preset: string,
  config?: unknown,
): { vectors: Vector[]; actions: string[]; neverFired: string[]; check: PresetCheck } => {
  const model = provider.fromPreset(preset, { params: {} });
  const r = check(model);
  const summary: PresetCheck = {
    verdict: r.verdict,
    distinctStates: r.distinctStates,
    boundaryCut: r.boundaryCut,
    neverFired: [...r.neverFired],
    properties: r.properties.map((x) => ({ name: x.name, status: x.status })),
  };
  if (r.verdict !== 'ok') throw new Error(`preset ${preset}: expected every property to hold, got ${r.verdict} (${r.property ?? r.cutBy})`);
  const witnesses = Object.entries(r.witnesses ?? {});
  // Longest first, so that shorter witnesses fold into the paths that extend them.
  const kept: { path: PathIndices; covers: string[] }[] = [];
  for (const [name, path] of [...witnesses].sort(([a, p], [b, q]) => q.actions.length - p.actions.length || (a < b ? -1 : 1))) {
    const host = kept.find((k) => isPrefix(path, k.path));
    if (host) host.covers.push(name);
    else kept.push({ path, covers: [name] });
  }
  const vectors = kept
    .map((k) => ({ ...k, covers: k.covers.sort() }))
    .sort((a, b) => (a.covers[0]! < b.covers[0]! ? -1 : 1))
    .map((k, i): Vector => {
      const steps = replay(model, k.path);
      const file = `${safe(preset)}/${String(i + 1).padStart(2, '0')}-${safe(k.covers.join('+')).slice(0, 80)}.itf.json`;
      return {
        file,
        preset,
        expect: 'conform',
        covers: k.covers,
        steps: steps.length - 1,
        text: traceText(model, steps, {
          preset,
          ...(config !== undefined ? { config } : {}),
          expect: 'conform',
          covers: k.covers,
        }),
      };
    });
  return { vectors, actions: Object.keys(r.coverage).sort(), neverFired: [...r.neverFired], check: summary };
};

/**
 * A behaviour a preset's vectors must include: the suite adds the shortest path to a state
 * where `reached` holds. `name` names the vector file (`PRESET/goal-NAME.itf.json`).
 */
export interface Goal {
  readonly name: string;
  readonly why: string;
  readonly reached: (state: unknown) => boolean;
}

/**
 * The shortest path (breadth-first) of a preset's model to a state where `goal` is reached,
 * as a conform vector. Throws when no reachable state reaches it: a goal that cannot be
 * reached tests nothing.
 */
export const goalVector = (provider: ModelProvider, preset: string, goal: Goal, config?: unknown): Vector => {
  const model = provider.fromPreset(preset, { params: {} });
  // The goal as the one invariant "not reached": its counterexample is the shortest path there.
  const r = check({
    ...model,
    invariants: [{ name: `goal ${goal.name}`, holds: (s: unknown) => !goal.reached(s) }],
    actionProperties: [],
    reachability: [],
    temporal: [],
    isTerminalOk: () => true,
  });
  const cx = r.counterexample;
  if (r.verdict !== 'violation' || !cx) throw new Error(`preset ${preset}: goal ${goal.name} is not reachable (${r.verdict})`);
  const covers = [...new Set(cx.steps.slice(1).map((st) => model.actionName(st.action)))].sort();
  return {
    file: `${safe(preset)}/goal-${safe(goal.name)}.itf.json`,
    preset,
    goal: goal.name,
    expect: 'conform',
    covers,
    steps: cx.steps.length - 1,
    text: traceText(model, cx.steps, { preset, ...(config !== undefined ? { config } : {}), expect: 'conform', covers, goal: goal.name, why: goal.why }),
  };
};


/**
 * A seeded random walk of the preset's model, up to `length` steps or a terminal state: a
 * longer, interleaving-rich trace than the coverage witnesses.
 */
export const walkVector = (provider: ModelProvider, preset: string, seed: number, length: number, config?: unknown): Vector => {
  const model = provider.fromPreset(preset, { params: {} });
  const next = mulberry32(seed);
  const inits = model.initStates();
  const path = { init: Math.floor(next() * inits.length), actions: [] as number[] };
  let s = inits[path.init];
  const covers = new Set<string>();
  while (path.actions.length < length) {
    const enabled = model
      .actions(s)
      .map((a, i) => ({ a, i, t: model.nextState(s, a) }))
      .filter((x) => x.t !== undefined);
    if (enabled.length === 0) break;
    const pick = enabled[Math.floor(next() * enabled.length)]!;
    path.actions.push(pick.i);
    covers.add(model.actionName(pick.a));
    s = pick.t;
  }
  const steps = replay(model, path);
  return {
    file: `${safe(preset)}/walk-${seed}.itf.json`,
    preset,
    expect: 'conform',
    covers: [...covers].sort(),
    steps: steps.length - 1,
    text: traceText(model, steps, {
      preset,
      ...(config !== undefined ? { config } : {}),
      expect: 'conform',
      covers: [...covers].sort(),
      walk: { seed, length },
    }),
  };
};

/** Where a mutant's vectors run: its preset, its parameters, and the whole configuration they make. */
const mutantMeta = (provider: ModelProvider, preset: string, params: Readonly<Record<string, string>>): Record<string, unknown> => {
  const config = provider.presetConfig?.(preset, params);
  return { preset, ...(Object.keys(params).length > 0 ? { params } : {}), ...(config !== undefined ? { config } : {}) };
};

/** A mutant's shortest counterexample on a preset where it shows, as a vector and as steps. */
const counterexample = (
  provider: ModelProvider,
  mutant: string,
  preset: string,
  params: Readonly<Record<string, string>>,
): { vector: Vector; steps: readonly Step<unknown, unknown>[] } => {
  const model = provider.fromPreset(preset, { params, mutant });
  const r = check(model);
  const cx = r.counterexample;
  if (r.verdict !== 'violation' || !cx) throw new Error(`mutant ${mutant} on preset ${preset}: not caught (${r.verdict})`);
  const vector: Vector = {
    file: `mutants/${safe(mutant)}.itf.json`,
    preset,
    mutant,
    expect: 'reject',
    covers: [],
    property: cx.property,
    steps: cx.steps.length - 1,
    text: traceText(model, cx.steps, { ...mutantMeta(provider, preset, params), mutant, expect: 'reject', property: cx.property }),
  };
  return { vector, steps: cx.steps };
};

/** The must-reject vector of one mutant on a preset where it shows. Throws if it is not caught there. */
export const mutantVector = (provider: ModelProvider, mutant: string, preset: string, params: Readonly<Record<string, string>> = {}): Vector =>
  counterexample(provider, mutant, preset, params).vector;

/**
 * What an implementation shows of a model state (for the replication system, the driver's
 * projection, traces/driverProjection.ts): a mutant's first difference is the first one seen
 * through it. By default the whole state.
 */
export type Observe = (s: unknown) => unknown;
const wholeState: Observe = (s) => s;

/** How many first divergences the search collects, and how many state pairs it explores at most. */
const DIVERGENCES = 10;
const DIVERGENCE_PAIRS = 50_000;

/** Whether the steps of `a` are the first steps of `b` (same actions, same fields). */
const stepsPrefix = (model: AnyModel, a: readonly Step<unknown, unknown>[], b: readonly Step<unknown, unknown>[]): boolean =>
  a.length <= b.length && a.every((st, i) => i === 0 || JSON.stringify([model.actionName(st.action), st.action]) === JSON.stringify([model.actionName(b[i]!.action), b[i]!.action]));

/**
 * The vector of a mutant's first observable difference from the model (traces/divergence.ts),
 * beside its counterexample: it tests the bad step itself. Preferably a conform vector, the
 * model's path to the first step the mutant cannot take or takes to another state (a correct
 * implementation must pass it, the mutant cannot); when the mutant only adds steps, the
 * mutant's path to its first step the model does not take, must-reject, unless that is where
 * the counterexample goes wrong too (then a later one). Undefined when the search finds none.
 */
export const mutantStepVector = (
  provider: ModelProvider,
  mutant: string,
  preset: string,
  params: Readonly<Record<string, string>>,
  counterexampleSteps: readonly Step<unknown, unknown>[],
  observe: Observe = wholeState,
): Vector | undefined => {
  const model = provider.fromPreset(preset, { params });
  const broken = provider.fromPreset(preset, { params, mutant });
  const found = divergences(model, broken, observe, DIVERGENCES, DIVERGENCE_PAIRS);
  const meta = mutantMeta(provider, preset, params);
  const follow = found.find((d) => d.modelPath !== undefined);
  if (follow?.modelPath) {
    const steps = follow.modelPath;
    const covers = [...new Set(steps.slice(1).map((st) => model.actionName(st.action)))].sort();
    return {
      file: `mutants/${safe(mutant)}.model-step.itf.json`,
      preset,
      targets: mutant,
      expect: 'conform',
      covers,
      steps: steps.length - 1,
      text: traceText(model, steps, { ...meta, targets: mutant, expect: 'conform', covers }),
    };
  }
  const extras = found.filter((d) => d.mutantPath !== undefined);
  const notTheSame = extras.find((d) => !stepsPrefix(broken, d.mutantPath!, counterexampleSteps)) ?? extras[0];
  if (!notTheSame?.mutantPath) return undefined;
  const steps = notTheSame.mutantPath;
  return {
    file: `mutants/${safe(mutant)}.mutant-step.itf.json`,
    preset,
    mutant,
    expect: 'reject',
    covers: [],
    steps: steps.length - 1,
    text: traceText(broken, steps, { ...meta, mutant, expect: 'reject' }),
  };
};

/** Seeds and length of the random walks each preset adds to its coverage vectors. */
export const WALK_SEEDS: readonly number[] = [1, 2, 3];
export const WALK_LENGTH = 60;

/** The whole suite for the given presets and (mutant, preset) pairs. */
type Mutants = readonly (readonly [mutant: string, preset: string, params?: Readonly<Record<string, string>>])[];
/** The vectors, their index, and (not written to the suite) what each preset's exhaustive check found. */
type Suite = { vectors: Vector[]; index: SuiteIndex; checks: Record<string, PresetCheck> };

/** A finished part of a suite: a preset's conform vectors, or a mutant's must-reject vector. */
export type SuiteUnit =
  | { readonly kind: 'preset'; readonly preset: string; readonly vectors: number; readonly actions: number }
  | {
      readonly kind: 'mutant';
      readonly mutant: string;
      readonly preset: string;
      readonly params: Readonly<Record<string, string>>;
      readonly property: string;
      readonly steps: number;
    };

/** The suite, one preset or mutant at a time: a caller may pause between the yields. */
function* suiteSteps(
  provider: ModelProvider,
  presets: readonly string[],
  mutants: Mutants,
  configOf: (preset: string) => unknown,
  observe: Observe,
  goalsOf: (preset: string) => readonly Goal[],
): Generator<SuiteUnit, Suite> {
  const vectors: Vector[] = [];
  const coverage: Record<string, { actions: string[]; neverFired: string[] }> = {};
  const checks: Record<string, PresetCheck> = {};
  for (const p of presets) {
    const { vectors: vs, actions, neverFired, check: found } = presetVectors(provider, p, configOf(p));
    checks[p] = found;
    vectors.push(...vs);
    for (const seed of WALK_SEEDS) vectors.push(walkVector(provider, p, seed, WALK_LENGTH, configOf(p)));
    const goals = goalsOf(p);
    for (const g of goals) vectors.push(goalVector(provider, p, g, configOf(p)));
    coverage[p] = { actions, neverFired };
    yield { kind: 'preset', preset: p, vectors: vs.length + WALK_SEEDS.length + goals.length, actions: actions.length };
  }
  for (const [m, p, params = {}] of mutants) {
    const { vector: v, steps } = counterexample(provider, m, p, params);
    vectors.push(v);
    const step = mutantStepVector(provider, m, p, params, steps, observe);
    if (step) vectors.push(step);
    yield { kind: 'mutant', mutant: m, preset: p, params, property: v.property!, steps: v.steps };
  }
  return {
    vectors,
    checks,
    index: {
      format: 'shuttlecheck-vectors/1',
      vectors: vectors.map(({ text: _text, ...rest }) => rest),
      coverage,
    },
  };
}

export const buildSuite = (
  provider: ModelProvider,
  presets: readonly string[],
  mutants: Mutants,
  configOf: (preset: string) => unknown = () => undefined,
  observe: Observe = wholeState,
  goalsOf: (preset: string) => readonly Goal[] = () => [],
): Suite => {
  const steps = suiteSteps(provider, presets, mutants, configOf, observe, goalsOf);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
};

/**
 * As `buildSuite`, yielding to the event loop between presets and mutants (long runs stay
 * responsive), and telling `onUnit` of each as it is done.
 */
export const buildSuiteAsync = async (
  provider: ModelProvider,
  presets: readonly string[],
  mutants: Mutants,
  configOf: (preset: string) => unknown = () => undefined,
  onUnit: (u: SuiteUnit) => void = () => undefined,
  observe: Observe = wholeState,
  goalsOf: (preset: string) => readonly Goal[] = () => [],
): Promise<Suite> => {
  const steps = suiteSteps(provider, presets, mutants, configOf, observe, goalsOf);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onUnit(r.value);
    await new Promise((resolve) => setImmediate(resolve));
  }
};
