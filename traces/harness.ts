/**
 * The conformance harness: plays vectors against an implementation's process over the
 * JSON-lines protocol of traces/DRIVER.md (up to PIPELINE_DEPTH requests ahead of the
 * replies), and judges what it reports with the oracle: a verdict per vector. `npm run
 * conform` (conform.ts) and the suite's score (conformScore.ts) run vectors through it.
 */
import type { ItfTrace } from '../checker/itf.ts';
import type { AnyModel } from '../checker/model.ts';
import { DriverError, ImplProcess, type Reply } from './driver.ts';
import { observeState, REQUIRED_FIELDS } from './driverProjection.ts';
import { actionMatches, mismatches, validateTrace, type ObservedAction } from './oracle.ts';
import { observedActions } from './validate.ts';

/** A vector ready to run: its configuration for the implementation and its model for the oracle. */
export interface RunnableVector {
  readonly name: string;
  readonly expect: 'conform' | 'reject';
  readonly config: unknown;
  readonly model: AnyModel;
  readonly trace: ItfTrace;
  /** Why the vector cannot be run (it is reported SKIP), if it cannot. */
  readonly skip?: string;
  readonly mutant?: string;
  readonly property?: string;
  /**
   * A must-reject vector's bad step: the first step the correct model does not allow (by
   * the observable state), whether the model takes that step's action there at all (to
   * another state), and the oracle's reason; absent when the model allows every step (the
   * mutant's violation is a dead end after the last one).
   */
  readonly bad?: { readonly step: number; readonly enabled: boolean; readonly reason: string };
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface VectorResult {
  readonly vector: string;
  readonly expect: 'conform' | 'reject';
  readonly verdict: Verdict;
  /** The step the verdict is about (first failing step; for a passing reject vector, where the implementation left it). */
  readonly step: number | null;
  readonly reason: string;
  /** `log` strings the implementation attached to its replies, with their step. */
  readonly log: readonly { readonly step: number; readonly text: string }[];
  readonly ms: number;
}

export interface ConformOptions {
  readonly timeoutMs?: number;
  readonly startupMs?: number;
  readonly fresh?: boolean;
  /** Wait for each reply before the next request (default: up to PIPELINE_DEPTH requests ahead). */
  readonly lockstep?: boolean;
}

const describeAction = (a: ObservedAction | undefined): string =>
  a === undefined
    ? '?'
    : `${a.name}(${Object.entries(a.fields ?? {})
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ')})`;

const firstMismatch = (reported: Record<string, unknown>, expected: Record<string, unknown>): string | undefined => {
  const ms = mismatches(reported, expected, false);
  if (ms.length === 0) return undefined;
  const m = ms[0]!;
  return `${m.path} is ${JSON.stringify(m.observed)} here but ${JSON.stringify(m.model)} in the vector`;
};

type Outcome =
  | { kind: 'done' }
  | { kind: 'refused'; step: number; why: string }
  | { kind: 'unsupported'; step: number; why: string }
  | { kind: 'diverged'; step: number; how: string }
  | { kind: 'broken'; step: number; why: string };

/** Checks the shape of a state reply; returns the problem or undefined. */
const badState = (state: unknown): string | undefined => {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return '"state" must be a JSON object';
  const missing = REQUIRED_FIELDS.filter((f) => !(f in (state as object)));
  return missing.length > 0 ? `"state" lacks ${missing.join(', ')}` : undefined;
};

/**
 * A vector as the harness compares with what an implementation reports, computed once per
 * vector (a scored suite runs every vector against twenty implementations): its states'
 * observable projections, as objects and as JSON, and how many of its leading states the
 * oracle accepts (all of a conform vector; a must-reject vector's up to its bad step).
 */
interface Expected {
  readonly states: readonly Record<string, unknown>[];
  readonly json: readonly string[];
  readonly accepted: number;
}
const expectedMemo = new WeakMap<RunnableVector, Expected>();
const expectedOf = (v: RunnableVector, actions: readonly (ObservedAction | undefined)[]): Expected => {
  const known = expectedMemo.get(v);
  if (known) return known;
  const states = v.trace.states.map(observeState);
  let accepted = v.bad?.step ?? states.length;
  if (v.expect === 'conform') {
    const own = validateTrace(v.model, { states, actions }, { level: 'projection', observe: observeState });
    accepted = own.ok ? states.length : own.step;
  }
  const e: Expected = { states, json: states.map((x) => JSON.stringify(x)), accepted };
  expectedMemo.set(v, e);
  return e;
};

/** How many requests the harness sends ahead of the replies it has read (DRIVER.md section 1). */
export const PIPELINE_DEPTH = 64;

/**
 * Plays one vector against a live process; fills `states` with what it reported. The steps are
 * sent ahead of their replies (up to PIPELINE_DEPTH at a time), so the two processes do not
 * wait for each other at every step; the replies are judged in order, exactly as if each step
 * had waited for the one before. `unread` counts the requests already sent past the step that
 * ended the vector, whose replies the caller must read (and ignore) before the next vector.
 */
const play = async (
  proc: ImplProcess,
  v: RunnableVector,
  actions: readonly (ObservedAction | undefined)[],
  states: Record<string, unknown>[],
  log: { step: number; text: string }[],
  depth: number,
): Promise<{ outcome: Outcome; unread: number }> => {
  const expected = expectedOf(v, actions);
  // A must-reject vector is played up to its bad step: what comes after it does not matter.
  const last = v.bad ? v.bad.step : v.trace.states.length - 1;
  let sent = 0;
  let sending = true;
  const sendUpTo = (k: number): void => {
    for (; sending && sent <= Math.min(k, last); sent++) {
      const message: Record<string, unknown> =
        sent === 0 ? { type: 'init', config: v.config } : { type: 'step', index: sent, action: { name: actions[sent]?.name, fields: actions[sent]?.fields ?? {} } };
      try {
        proc.send(message);
      } catch (e) {
        // It exited or flooded: the replies it wrote before are still read, then the reason.
        if (!(e instanceof DriverError)) throw e;
        sending = false;
      }
    }
  };
  const end = (outcome: Outcome, i: number) => ({ outcome, unread: sent - i - 1 });
  for (let i = 0; i <= last; i++) {
    sendUpTo(i + depth - 1);
    let reply: Reply;
    try {
      reply = await proc.nextReply();
    } catch (e) {
      if (e instanceof DriverError) return end({ kind: 'broken', step: i, why: e.message }, i);
      throw e;
    }
    if (typeof reply.log === 'string') log.push({ step: i, text: reply.log });
    const what = i === 0 ? 'init' : describeAction(actions[i]);
    if (typeof reply.unsupported === 'string') return end({ kind: 'unsupported', step: i, why: `${what}: ${reply.unsupported}` }, i);
    if (typeof reply.refused === 'string') return end({ kind: 'refused', step: i, why: `refused ${what}: ${reply.refused}` }, i);
    if (!('state' in reply)) return end({ kind: 'broken', step: i, why: 'malformed reply: expected "state", "refused" or "unsupported"' }, i);
    const bad = badState(reply.state);
    if (bad) return end({ kind: 'broken', step: i, why: `malformed reply: ${bad}` }, i);
    states.push(reply.state as Record<string, unknown>);
    if (JSON.stringify(reply.state) === expected.json[i]) continue;
    const how = firstMismatch(reply.state as Record<string, unknown>, expected.states[i]!);
    if (how) return end({ kind: 'diverged', step: i, how }, i);
  }
  return end({ kind: 'done' }, last);
};

/** Reads and ignores `n` replies; false when the process cannot be spoken to any more. */
const drain = async (proc: ImplProcess, n: number): Promise<boolean> => {
  try {
    for (let k = 0; k < n; k++) await proc.nextReply();
    return true;
  } catch (e) {
    if (e instanceof DriverError) return false;
    throw e;
  }
};

/**
 * The model states that explain an observed trace (the oracle's candidates at its end), or
 * undefined when none does. Projection level, as `judge` uses.
 */
const modelStatesAfter = (
  model: AnyModel,
  actions: readonly (ObservedAction | undefined)[],
  states: readonly Record<string, unknown>[],
): unknown[] | undefined => {
  const fits = (s: unknown, i: number) => mismatches(states[i], observeState(s), false).length === 0;
  let current = model.initStates().filter((s) => fits(s, 0));
  for (let i = 1; i < states.length && current.length > 0; i++) {
    const next: unknown[] = [];
    for (const s of current) {
      for (const a of model.actions(s)) {
        const t = model.nextState(s, a);
        if (t === undefined || (actions[i] && !actionMatches(model, a, actions[i]!))) continue;
        if (fits(t, i)) next.push(t);
      }
    }
    current = next.slice(0, 1000);
  }
  return current.length > 0 ? current : undefined;
};

const picksOf = (a: unknown): Record<string, unknown> => {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return { value: a };
  const { type: _type, ...rest } = a as Record<string, unknown>;
  return rest;
};

/**
 * A must-reject vector whose every step the correct model allows: the mutant's violation is
 * where the trace ends (a deadlock: the mutant can do nothing more). The implementation
 * passes when it takes a step the correct model takes there; it reproduces the deadlock when
 * it refuses them all. Returns a verdict, or an outcome to judge as usual.
 */
const beyondTheEnd = async (
  proc: ImplProcess,
  v: RunnableVector,
  actions: readonly (ObservedAction | undefined)[],
  states: Record<string, unknown>[],
  log: { step: number; text: string }[],
): Promise<{ verdict: Verdict; step: number; reason: string } | Outcome> => {
  const ends = modelStatesAfter(v.model, actions, states);
  if (!ends) return { kind: 'done' }; // the oracle names the step
  const step = states.length;
  const property = v.property ? ` (${v.property})` : '';
  const tried: string[] = [];
  for (const s of ends.slice(0, 1)) {
    for (const a of v.model.actions(s)) {
      const t = v.model.nextState(s, a);
      if (t === undefined) continue;
      const action: ObservedAction = { name: v.model.actionName(a), fields: picksOf(a) };
      tried.push(describeAction(action));
      let reply: Reply;
      try {
        reply = await proc.request({ type: 'step', index: step, action: { name: action.name, fields: action.fields } });
      } catch (e) {
        if (e instanceof DriverError) return { kind: 'broken', step, why: e.message };
        throw e;
      }
      if (typeof reply.log === 'string') log.push({ step, text: reply.log });
      if (typeof reply.refused === 'string' || typeof reply.unsupported === 'string') continue;
      const bad = 'state' in reply ? badState(reply.state) : 'expected "state", "refused" or "unsupported"';
      if (bad) return { kind: 'broken', step, why: `malformed reply: ${bad}` };
      const how = firstMismatch(reply.state as Record<string, unknown>, observeState(t));
      if (how) return { verdict: 'FAIL', step, reason: `after the mutant's trace, ${describeAction(action)} ${how.replace('in the vector', 'in the model')}` };
      return { verdict: 'PASS', step, reason: `took ${describeAction(action)} where the mutant is stuck${property}` };
    }
  }
  return {
    verdict: 'FAIL',
    step,
    reason: `reproduced the mutant's dead end${property}: refused every step the model takes there (${tried.join(', ') || 'none'})`,
  };
};

/** Judges one vector's outcome with the oracle. */
const judge = (
  v: RunnableVector,
  actions: readonly (ObservedAction | undefined)[],
  states: readonly Record<string, unknown>[],
  outcome: Outcome,
): { verdict: Verdict; step: number | null; reason: string } => {
  if (outcome.kind === 'broken') return { verdict: 'FAIL', step: outcome.step, reason: outcome.why };
  // States that are the vector's own, where the oracle accepts the vector, need no oracle.
  const expected = expectedOf(v, actions);
  const asVector = states.length <= expected.accepted && states.every((x, i) => JSON.stringify(x) === expected.json[i]);
  if (!asVector) {
    const oracle = validateTrace(v.model, { states, actions: actions.slice(0, states.length) }, { level: 'projection', observe: observeState });
    if (!oracle.ok) return { verdict: 'FAIL', step: oracle.step, reason: oracle.reason };
  }
  const last = v.trace.states.length - 1;
  if (outcome.kind === 'unsupported') return { verdict: 'SKIP', step: outcome.step, reason: `unsupported: ${outcome.why}` };
  if (v.expect === 'conform') {
    if (outcome.kind === 'refused') return { verdict: 'FAIL', step: outcome.step, reason: outcome.why };
    if (outcome.kind === 'diverged') {
      // The model moves deterministically, so a state other than the vector's is one the
      // oracle rejects; reaching here means the projection hides the difference.
      return { verdict: 'FAIL', step: outcome.step, reason: `reported a state other than the vector's: ${outcome.how}` };
    }
    return { verdict: 'PASS', step: null, reason: `${last} steps conform` };
  }
  // A must-reject vector: every step before the bad one is a step of the model, which the
  // implementation must take as the vector does; the bad step it must refuse (when the model
  // does not take it either) or take to another state.
  const property = v.property ? ` (${v.property})` : '';
  // Without a bad step, the mutant goes wrong after the vector's last step (a dead end).
  const bad = v.bad?.step ?? v.trace.states.length;
  if (outcome.kind === 'refused' || outcome.kind === 'diverged') {
    const what = outcome.kind === 'refused' ? outcome.why : `left the vector: ${outcome.how}`;
    if (outcome.step < bad) {
      return { verdict: 'FAIL', step: outcome.step, reason: `${what}, before the mutant's bad step ${bad}: the model takes step ${outcome.step} as the vector does` };
    }
    if (outcome.kind === 'refused' && v.bad?.enabled) {
      return { verdict: 'FAIL', step: outcome.step, reason: `${what}: the model takes this step (the mutant's bad step) to another state` };
    }
    return { verdict: 'PASS', step: outcome.step, reason: outcome.kind === 'refused' ? what : `left the mutant's trace at its bad step: ${outcome.how}` };
  }
  if (v.bad) {
    return {
      verdict: 'FAIL',
      step: v.bad.step,
      reason: `reported the mutant's state at its bad step${property}: what it reports does not show where the mutant goes wrong (${v.bad.reason})`,
    };
  }
  return { verdict: 'FAIL', step: last, reason: `reproduced the mutant's trace${property}, and the projection cannot tell it from the model` };
};

/** Runs vectors against `command`; one result per vector, in order. */
export const runConformance = async (
  command: string,
  vectors: readonly RunnableVector[],
  options: ConformOptions = {},
  onResult?: (r: VectorResult) => void,
): Promise<VectorResult[]> => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const startupMs = options.startupMs ?? 20000;
  const results: VectorResult[] = [];
  let proc: ImplProcess | undefined;
  // Fresh processes in a row that never answered their first message: after two, the
  // implementation hangs, and the rest of the vectors are not run (each would wait again).
  let silentStarts = 0;
  try {
    for (const v of vectors) {
      const t0 = Date.now();
      if (silentStarts >= 2) {
        const reason = `not run: the implementation did not answer its first message in two fresh processes (--startup ${startupMs} ms)`;
        const r: VectorResult = { vector: v.name, expect: v.expect, verdict: 'FAIL', step: 0, reason, log: [], ms: 0 };
        results.push(r);
        onResult?.(r);
        continue;
      }
      if (v.skip !== undefined) {
        const r: VectorResult = { vector: v.name, expect: v.expect, verdict: 'SKIP', step: null, reason: v.skip, log: [], ms: 0 };
        results.push(r);
        onResult?.(r);
        continue;
      }
      if (!proc || !proc.alive || options.fresh) {
        await proc?.close();
        proc = new ImplProcess(command, timeoutMs, startupMs);
      }
      const actions = observedActions(v.trace, v.name) ?? [];
      const states: Record<string, unknown>[] = [];
      const log: { step: number; text: string }[] = [];
      const played = await play(proc, v, actions, states, log, options.lockstep ? 1 : PIPELINE_DEPTH);
      let outcome = played.outcome;
      // The replies to steps sent past the end of the vector: read, ignored; a process that
      // cannot answer them is replaced before the next vector.
      const reusable = outcome.kind === 'broken' || (await drain(proc, played.unread));
      let extra: { verdict: Verdict; step: number; reason: string } | undefined;
      if (outcome.kind === 'done' && v.expect === 'reject' && !v.bad) {
        const o = await beyondTheEnd(proc, v, actions, states, log);
        if ('kind' in o) outcome = o;
        else extra = o;
      }
      if (outcome.kind === 'broken' || !reusable) {
        // The process cannot be trusted any more: the next vector gets a new one.
        silentStarts = !proc.answered && proc.alive ? silentStarts + 1 : 0;
        await proc.close(0);
        proc = undefined;
      } else {
        try {
          proc.send({ type: 'end' });
        } catch {
          // It exited after its last reply; the next vector starts a new one.
        }
      }
      const r: VectorResult = { vector: v.name, expect: v.expect, ...(extra ?? judge(v, actions, states, outcome)), log, ms: Date.now() - t0 };
      results.push(r);
      onResult?.(r);
    }
  } finally {
    await proc?.close();
  }
  return results;
};

