/**
 * The oracle: does a trace that some implementation produced describe a behaviour the
 * model allows? It follows the trace step by step, keeping every model state consistent
 * with what was observed so far (with partial observation there may be several), and
 * names the first step no model state can explain, with the reason.
 *
 * Three levels of observation:
 * - `full`: each trace state is the whole model state (every variable, exact values);
 * - `projection`: each trace state shows some variables, and within records only some
 *   fields: what is shown must match, what is not shown is unconstrained;
 * - `actions`: only the actions are observed (states are ignored).
 * An observed action is a name (the model's `actionName`) with optional fields that must
 * equal the model action's fields of the same name.
 *
 * Generic (the engine's contract only): `npm run validate` and the conformance driver in
 * traces/ use it, and so does the explorer, which also asks where in the model the trace
 * goes (`followTrace`).
 */
import { fingerprintHex, fingerprint } from './fingerprint.ts';
import { formatActionData, formatValue } from './format.ts';
import { InputError } from './errors.ts';
import type { ItfTrace } from './itf.ts';
import type { AnyModel } from './model.ts';
import type { PathIndices } from './result.ts';

export type OracleLevel = 'full' | 'projection' | 'actions';

/** An observed action: the model's action name and, optionally, some of its fields. */
export interface ObservedAction {
  readonly name: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** What an implementation reported: a state (possibly partial) and the action per step. */
export interface ObservedTrace {
  /** Per step; `undefined` where nothing was observed. Index 0 is the initial state. */
  readonly states: readonly (Readonly<Record<string, unknown>> | undefined)[];
  /** Per step (index 0 is ignored: the initial state has no action); may be absent. */
  readonly actions?: readonly (ObservedAction | undefined)[];
}

export type OracleVerdict =
  | {
      readonly ok: true;
      readonly steps: number;
      readonly candidates: number;
      /** The model states consistent with the whole trace (at most `maxCandidates`). */
      readonly finalStates: readonly unknown[];
    }
  | {
      readonly ok: false;
      /** The first step (0 = the initial state) that no model behaviour explains. */
      readonly step: number;
      readonly reason: string;
    };

export interface OracleOptions {
  readonly level: OracleLevel;
  /** How a model state is observed (default: the state itself, or `{ state }` if not a record). */
  readonly observe?: (s: unknown) => Readonly<Record<string, unknown>>;
  /** Stop following more model states than this per step (default 100,000). */
  readonly maxCandidates?: number;
}

/** A difference between what was observed and what the model has. */
export interface Mismatch {
  readonly path: string;
  readonly observed: unknown;
  readonly model: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);

const sameValue = (a: unknown, b: unknown): boolean =>
  (a === undefined || a === null) && (b === undefined || b === null)
    ? true
    : fingerprintHex(fingerprint(a)) === fingerprintHex(fingerprint(b));

/**
 * Where `observed` differs from `actual`. With `exact` false, fields missing from an
 * observed record are unconstrained (projection); with `exact` true they must be absent
 * from the model too. ITF has no `undefined`, so null and undefined are the same here.
 */
export const mismatches = (observed: unknown, actual: unknown, exact: boolean, path = '$'): Mismatch[] => {
  if (isRecord(observed) && isRecord(actual)) {
    const out: Mismatch[] = [];
    for (const k of Object.keys(observed)) {
      if (!(k in actual) && observed[k] !== null && observed[k] !== undefined) {
        out.push({ path: `${path}.${k}`, observed: observed[k], model: undefined });
      } else {
        out.push(...mismatches(observed[k], actual[k], exact, `${path}.${k}`));
      }
    }
    if (exact) {
      for (const k of Object.keys(actual)) {
        if (!(k in observed) && actual[k] !== undefined && actual[k] !== null) {
          out.push({ path: `${path}.${k}`, observed: undefined, model: actual[k] });
        }
      }
    }
    return out;
  }
  if (Array.isArray(observed) && Array.isArray(actual) && observed.length === actual.length) {
    return observed.flatMap((o, i) => mismatches(o, actual[i], exact, `${path}[${i}]`));
  }
  return sameValue(observed, actual) ? [] : [{ path, observed, model: actual }];
};

/**
 * True when `actual` shows what `observed` shows, fields left out of an observed record
 * unconstrained: the fast form of `mismatches(observed, actual, false).length === 0`, for
 * inner loops (plain values compared directly, anything else as `mismatches` compares it).
 */
export const fits = (observed: unknown, actual: unknown): boolean => {
  if (observed === actual) return true;
  if (observed === null || observed === undefined) return actual === null || actual === undefined;
  // Two plain values that are not === differ; a bigint may equal a number of the same value.
  if (typeof observed !== 'object') return (typeof observed === 'bigint' || typeof actual === 'bigint') && mismatches(observed, actual, false).length === 0;
  if (Array.isArray(observed)) {
    if (!Array.isArray(actual) || actual.length !== observed.length) return mismatches(observed, actual, false).length === 0;
    for (let i = 0; i < observed.length; i++) if (!fits(observed[i], actual[i])) return false;
    return true;
  }
  if (isRecord(observed) && isRecord(actual)) {
    for (const k in observed) {
      const o = observed[k];
      if (!(k in actual)) {
        if (o !== null && o !== undefined) return false;
      } else if (!fits(o, actual[k])) return false;
    }
    return true;
  }
  return mismatches(observed, actual, false).length === 0;
};

const defaultObserve = (s: unknown): Readonly<Record<string, unknown>> => (isRecord(s) ? s : { state: s });

const actionFields = (a: unknown): Record<string, unknown> => (isRecord(a) ? a : { value: a });

/** True when the model action `a` is the observed action. */
export const actionMatches = (model: AnyModel, a: unknown, observed: ObservedAction): boolean => {
  if (model.actionName(a) !== observed.name) return false;
  const fields = actionFields(a);
  return Object.entries(observed.fields ?? {}).every(([k, v]) => sameValue(v, fields[k]));
};

const describeObserved = (o: ObservedAction): string =>
  o.fields && Object.keys(o.fields).length > 0
    ? `${o.name}(${Object.entries(o.fields)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(', ')})`
    : o.name;

const describeMismatches = (ms: readonly Mismatch[]): string =>
  ms
    .slice(0, 5)
    .map((m) => `${m.path} is ${formatValue(m.observed)} in the trace but ${formatValue(m.model)} in the model`)
    .join('; ') + (ms.length > 5 ? `; and ${ms.length - 5} more` : '');

/** A model path kept per candidate state: the initial state's index, then action indices (a linked list, newest first). */
type PathLink = { readonly init: number } | { readonly prev: PathLink; readonly index: number };

const pathOf = (link: PathLink): PathIndices => {
  const actions: number[] = [];
  let l = link;
  while ('prev' in l) {
    actions.push(l.index);
    l = l.prev;
  }
  return { init: l.init, actions: actions.reverse() };
};

/** The verdict, and a path through the model that follows the trace as far as it conforms. */
export interface TraceFollowed {
  readonly verdict: OracleVerdict;
  /** One model path consistent with the steps that conform (all of them when the verdict is ok). */
  readonly path: PathIndices;
}

/** Follows the trace through the model; see the module comment. */
export const validateTrace = (model: AnyModel, trace: ObservedTrace, options: OracleOptions): OracleVerdict =>
  followTrace(model, trace, options).verdict;

/** As validateTrace, and where in the model the trace went: a path up to its last step that conforms. */
export const followTrace = (model: AnyModel, trace: ObservedTrace, options: OracleOptions): TraceFollowed => {
  const observe = options.observe ?? defaultObserve;
  const max = options.maxCandidates ?? 100_000;
  const exact = options.level === 'full';
  const checkStates = options.level !== 'actions';
  const stateMismatch = (s: unknown, i: number): Mismatch[] => {
    const o = trace.states[i];
    return checkStates && o !== undefined ? mismatches(o, observe(s), exact) : [];
  };
  /** stateMismatch(s, i) is empty: without listing differences (fits) where fields may be left out. */
  const stateFits = (s: unknown, i: number): boolean => {
    const o = trace.states[i];
    if (!checkStates || o === undefined) return true;
    return exact ? mismatches(o, observe(s), true).length === 0 : fits(o, observe(s));
  };
  type Candidate = { readonly state: unknown; readonly link: PathLink };
  const add = (into: Map<string, Candidate>, state: unknown, link: PathLink): void => {
    if (into.size >= max) return;
    const key = fingerprintHex(fingerprint(state));
    if (!into.has(key)) into.set(key, { state, link });
  };

  let candidates = new Map<string, Candidate>();
  let closest: Mismatch[] | undefined;
  model.initStates().forEach((s, init) => {
    const ms = stateMismatch(s, 0);
    if (ms.length === 0) add(candidates, s, { init });
    else if (!closest || ms.length < closest.length) closest = ms;
  });
  if (candidates.size === 0) {
    const reason = `no initial state of the model matches: ${describeMismatches(closest ?? [])}`;
    return { verdict: { ok: false, step: 0, reason }, path: { init: 0, actions: [] } };
  }

  const steps = Math.max(trace.states.length, trace.actions?.length ?? 0);
  for (let i = 1; i < steps; i++) {
    const observedAction = trace.actions?.[i];
    const next = new Map<string, Candidate>();
    // The common case first: only the observed action's successors, compared without listing differences.
    for (const { state: s, link } of candidates.values()) {
      model.actions(s).forEach((a, index) => {
        if (observedAction && !actionMatches(model, a, observedAction)) return;
        const t = model.nextState(s, a);
        if (t !== undefined && stateFits(t, i)) add(next, t, { prev: link, index });
      });
    }
    if (next.size === 0) {
      // No step fits: go over the candidates again for what the reason names.
      let actionEnabled = false;
      let nearest: { action: unknown; ms: Mismatch[] } | undefined;
      const enabledNames = new Set<string>();
      for (const { state: s } of candidates.values()) {
        for (const a of model.actions(s)) {
          const t = model.nextState(s, a);
          if (t === undefined) continue;
          enabledNames.add(model.actionName(a));
          if (observedAction && !actionMatches(model, a, observedAction)) continue;
          actionEnabled = true;
          const ms = stateMismatch(t, i);
          if (!nearest || ms.length < nearest.ms.length) nearest = { action: a, ms };
        }
      }
      const path = pathOf(candidates.values().next().value!.link);
      const where = candidates.size === 1 ? 'in the model state' : `in any of the ${candidates.size} model states`;
      if (observedAction && !actionEnabled) {
        const reason =
          `action ${describeObserved(observedAction)} is not enabled ${where} consistent with steps 0-${i - 1}` +
          ` (enabled: ${[...enabledNames].sort().join(', ') || 'none'})`;
        return { verdict: { ok: false, step: i, reason }, path };
      }
      const reason =
        `no step the model allows reaches the observed state` +
        (nearest
          ? `; the closest, ${model.formatAction ? model.formatAction(nearest.action) : formatActionData(nearest.action)}, differs: ${describeMismatches(nearest.ms)}`
          : ` (no action is enabled ${where})`);
      return { verdict: { ok: false, step: i, reason }, path };
    }
    candidates = next;
  }
  const finals = [...candidates.values()];
  return {
    verdict: { ok: true, steps, candidates: candidates.size, finalStates: finals.map((c) => c.state) },
    path: pathOf(finals[0]!.link),
  };
};

/** The observed actions of a parsed trace (`mbt::actionTaken` names, `mbt::nondetPicks` fields). */
export const observedActions = (trace: ItfTrace, source: string): (ObservedAction | undefined)[] | undefined =>
  trace.actions?.map((a, i) => {
    if (i === 0 || a === undefined || a === null) return undefined;
    if (typeof a !== 'string') {
      throw new InputError(`${source}: $.states[${i}]["mbt::actionTaken"]: expected the action's name (a string)`);
    }
    const picks = trace.nondetPicks?.[i];
    if (picks !== undefined && picks !== null && (typeof picks !== 'object' || Array.isArray(picks))) {
      throw new InputError(`${source}: $.states[${i}]["mbt::nondetPicks"]: expected a record of the action's fields`);
    }
    return { name: a, ...(picks ? { fields: picks as Record<string, unknown> } : {}) };
  });
