/**
 * Explaining a log: an implementation wrote down what it saw of its own run (some variables,
 * most actions), and we ask whether some behaviour of the model looks like that from
 * outside. Unlike the oracle's trace (one model step per trace step), a log may leave steps
 * out: an observation may not know its action, and may say that up to `hidden` model steps
 * happened, unlogged, before the step it records.
 *
 * The search keeps the set of model states consistent with the observations so far (keyed by
 * fingerprint, each with one model path that reaches it). At each observation it first adds
 * every state reachable from the set in up to `hidden` steps, then takes the logged step from
 * each of them and keeps the results that match the observed state. An observation that
 * leaves no state is the first one no behaviour explains; the verdict says how many candidate
 * states there were just before it and describes the nearest few. The set is bounded by
 * `maxCandidates`: past it the search stops and says so (`undecided`), rather than drop
 * states and reject a log some dropped state would have explained.
 *
 * Generic (the engine's contract only); deterministic: states and actions are visited in the
 * model's own order, so the same log always gives the same verdict.
 */
import { fingerprint, fingerprintHex } from './fingerprint.ts';
import { formatActionData, formatValue } from './format.ts';
import type { AnyModel } from './model.ts';
import { actionMatches, fits, mismatches, type Mismatch, type ObservedAction } from './oracle.ts';

/** One entry of a log. Index 0 is the initial state (no action, nothing hidden before it). */
export interface Observation {
  /** What was seen after the step: a partial record (a field left out is unconstrained), or undefined for nothing. */
  readonly state: Readonly<Record<string, unknown>> | undefined;
  /** The step's action (name and some fields), or undefined when the log does not know which it was. */
  readonly action: ObservedAction | undefined;
  /** At most this many model steps, not in the log, happened before this step. */
  readonly hidden: number;
  /**
   * The system started afresh here (a restart, or the next run of a long log): the state is
   * one of the model's initial states, whatever came before. Always so at index 0.
   */
  readonly restart?: boolean;
}

export interface ExplainOptions {
  /** How a model state looks from outside (what the observations' states are compared with). */
  readonly observe: (s: unknown) => Readonly<Record<string, unknown>>;
  /** The most model states followed at once; past it the verdict is `undecided`. */
  readonly maxCandidates: number;
  /** How many candidates an `unexplained` verdict describes (default 3). */
  readonly describe?: number;
}

/** What one candidate state did with the observation that nothing explains. */
export interface CandidateNote {
  /** The model steps taken since the previous observation before this candidate (hidden ones), formatted. */
  readonly hiddenSteps: readonly string[];
  /** The model's actions enabled in the candidate, by name. */
  readonly enabled: readonly string[];
  /** The logged step's nearest model step from this candidate and how its state differs, if the step is enabled here. */
  readonly nearest?: { readonly action: string; readonly differences: readonly string[] };
}

export type Explanation =
  | {
      readonly kind: 'explained';
      readonly observations: number;
      /** The model steps of one explaining behaviour (logged and hidden). */
      readonly modelSteps: number;
      /** How many of them the log did not show. */
      readonly hiddenSteps: number;
      /** The model states consistent with the whole log. */
      readonly candidates: number;
      /** One explaining behaviour, its actions formatted, in order ("(start afresh)" where the log restarts). */
      readonly behaviour: readonly string[];
    }
  | {
      readonly kind: 'unexplained';
      /** The first observation no behaviour explains. */
      readonly observation: number;
      readonly reason: string;
      /** The candidate states just before it (after its hidden steps). */
      readonly candidates: number;
      /** The nearest few of them. */
      readonly nearest: readonly CandidateNote[];
    }
  | {
      readonly kind: 'undecided';
      /** The observation where the candidate set passed the bound. */
      readonly observation: number;
      readonly reason: string;
    };

/** A model path, newest step first: actions back to an initial state, and the runs before it (a restart's `before`). */
type Link =
  | { readonly init: number; readonly before: Link | undefined }
  | { readonly prev: Link; readonly action: unknown; readonly hidden: boolean };
interface Candidate {
  readonly state: unknown;
  readonly link: Link;
}

const keyOf = (s: unknown): string => fingerprintHex(fingerprint(s));

const describeObserved = (o: ObservedAction | undefined): string =>
  o === undefined
    ? 'an unknown action'
    : o.fields && Object.keys(o.fields).length > 0
      ? `${o.name}(${Object.entries(o.fields)
          .map(([k, v]) => `${k}=${formatValue(v)}`)
          .join(', ')})`
      : o.name;

const describeMismatch = (m: Mismatch): string => `${m.path} is ${formatValue(m.observed)} in the log but ${formatValue(m.model)} in the model`;

/** Explains a log by the model; see the module comment. */
export const explainLog = (model: AnyModel, log: readonly Observation[], options: ExplainOptions): Explanation => {
  const { observe, maxCandidates: max } = options;
  const format = (a: unknown): string => (model.formatAction ? model.formatAction(a) : formatActionData(a));
  const matches = (o: Observation, t: unknown): boolean => o.state === undefined || fits(o.state, observe(t));
  const tooMany = (i: number, where: string): Explanation => ({
    kind: 'undecided',
    observation: i,
    reason:
      `more than ${max.toLocaleString('en')} model states are consistent with the log ${where}: the search stops here rather than drop` +
      ` some of them (the bound is --max-candidates; log more variables or the actions, or fewer hidden steps, to narrow it)`,
  });

  if (log.length === 0) return { kind: 'unexplained', observation: 0, reason: 'the log has no observation', candidates: 0, nearest: [] };
  /** The initial states that look like observation i, each after the run explained so far; or the verdict. */
  const start = (i: number, before: Link | undefined): Map<string, Candidate> | Explanation => {
    const o = log[i]!;
    const out = new Map<string, Candidate>();
    let closest: Mismatch[] | undefined;
    const inits = model.initStates();
    inits.forEach((s, init) => {
      if (o.state !== undefined && !fits(o.state, observe(s))) {
        const ms = mismatches(o.state, observe(s), false);
        if (!closest || ms.length < closest.length) closest = ms;
        return;
      }
      const k = keyOf(s);
      if (!out.has(k)) out.set(k, { state: s, link: { init, before } });
    });
    if (out.size === 0) {
      const which = i === 0 ? 'the first observation' : `observation ${i}, where the log starts afresh`;
      const reason = `no initial state of the model looks like ${which}: ${(closest ?? []).slice(0, 5).map(describeMismatch).join('; ')}`;
      return { kind: 'unexplained', observation: i, reason, candidates: inits.length, nearest: [] };
    }
    return out.size > max ? tooMany(i, `at observation ${i}`) : out;
  };
  const first = start(0, undefined);
  if (!(first instanceof Map)) return first;
  let current = first;

  for (let i = 1; i < log.length; i++) {
    const o = log[i]!;
    if (o.restart) {
      const again = start(i, current.values().next().value!.link);
      if (!(again instanceof Map)) return again;
      current = again;
      continue;
    }
    // Every state reachable in up to o.hidden unlogged steps, each kept once (its shortest path).
    let pool = current;
    if (o.hidden > 0) {
      pool = new Map(current);
      let layer = [...current.values()];
      for (let h = 0; h < o.hidden && layer.length > 0; h++) {
        const next: Candidate[] = [];
        for (const c of layer) {
          for (const a of model.actions(c.state)) {
            const t = model.nextState(c.state, a);
            if (t === undefined) continue;
            const k = keyOf(t);
            if (pool.has(k)) continue;
            const n = { state: t, link: { prev: c.link, action: a, hidden: true } };
            pool.set(k, n);
            next.push(n);
            if (pool.size > max) return tooMany(i, `after observation ${i - 1} and up to ${o.hidden} hidden steps`);
          }
        }
        layer = next;
      }
    }
    // The logged step itself.
    const next = new Map<string, Candidate>();
    for (const c of pool.values()) {
      for (const a of model.actions(c.state)) {
        if (o.action !== undefined && !actionMatches(model, a, o.action)) continue;
        const t = model.nextState(c.state, a);
        if (t === undefined || !matches(o, t)) continue;
        const k = keyOf(t);
        if (next.has(k)) continue;
        next.set(k, { state: t, link: { prev: c.link, action: a, hidden: false } });
        if (next.size > max) return tooMany(i, `at observation ${i}`);
      }
    }
    if (next.size === 0) return unexplained(model, log, i, pool, options, format);
    current = next;
  }

  const finals = [...current.values()];
  const behaviour: string[] = [];
  let hiddenSteps = 0;
  let steps = 0;
  for (let l: Link | undefined = finals[0]!.link; l !== undefined; ) {
    if ('prev' in l) {
      behaviour.push(format(l.action));
      steps++;
      if (l.hidden) hiddenSteps++;
      l = l.prev;
    } else {
      if (l.before !== undefined) behaviour.push('(start afresh)');
      l = l.before;
    }
  }
  behaviour.reverse();
  return { kind: 'explained', observations: log.length, modelSteps: steps, hiddenSteps, candidates: finals.length, behaviour };
};

/** The verdict for observation `i`, which no state of `pool` explains: the nearest candidates described. */
const unexplained = (
  model: AnyModel,
  log: readonly Observation[],
  i: number,
  pool: ReadonlyMap<string, Candidate>,
  options: ExplainOptions,
  format: (a: unknown) => string,
): Explanation => {
  const o = log[i]!;
  // Judge at most this many candidates for the description (the verdict itself is already known).
  const LOOK_AT = 2000;
  type Scored = { note: CandidateNote; score: number; order: number };
  const scored: Scored[] = [];
  let order = 0;
  let anyEnabled = false;
  for (const c of pool.values()) {
    if (order >= LOOK_AT) break;
    const enabled = new Set<string>();
    let nearest: { action: string; ms: Mismatch[] } | undefined;
    for (const a of model.actions(c.state)) {
      const t = model.nextState(c.state, a);
      if (t === undefined) continue;
      enabled.add(model.actionName(a));
      if (o.action !== undefined && !actionMatches(model, a, o.action)) continue;
      anyEnabled = true;
      const ms = o.state === undefined ? [] : mismatches(o.state, options.observe(t), false);
      if (!nearest || ms.length < nearest.ms.length) nearest = { action: format(a), ms };
    }
    const hiddenSteps: string[] = [];
    for (let l: Link = c.link; 'prev' in l && l.hidden; l = l.prev) hiddenSteps.push(format(l.action));
    hiddenSteps.reverse();
    const note: CandidateNote = {
      hiddenSteps,
      enabled: [...enabled].sort(),
      ...(nearest ? { nearest: { action: nearest.action, differences: nearest.ms.slice(0, 5).map(describeMismatch) } } : {}),
    };
    // Nearest first: a candidate where the step is enabled, by how many fields differ; then the rest.
    scored.push({ note, score: nearest ? nearest.ms.length : Number.MAX_SAFE_INTEGER, order: order++ });
  }
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  const what = describeObserved(o.action);
  const hiddenNote = o.hidden > 0 ? ` and up to ${o.hidden} hidden step${o.hidden === 1 ? '' : 's'} after them` : '';
  const states = pool.size === 1 ? 'the one model state' : `any of the ${pool.size.toLocaleString('en')} model states`;
  const before = `${states} consistent with observations 0-${i - 1}${hiddenNote}`;
  const reason =
    o.action !== undefined && !anyEnabled
      ? `${what} is not enabled in ${before}`
      : `no model step${o.action !== undefined ? ` ${what}` : ''} from ${before} reaches the observed state`;
  return { kind: 'unexplained', observation: i, reason, candidates: pool.size, nearest: scored.slice(0, options.describe ?? 3).map((s) => s.note) };
};
