/**
 * `npm run conform -- --impl "CMD" [--suite DIR | --preset NAME ... | --mutant NAME ...] [--json]`:
 * runs a vector suite against another implementation of the replication system over the
 * JSON-lines protocol of traces/DRIVER.md, judges what it reports with the oracle, and
 * prints one verdict per vector. Exit 0 when every vector passes, 1 when one does not, 2 for
 * bad input (unknown preset, missing suite, bad flag).
 *
 * Verdicts. A `conform` vector passes when the implementation accepts every action and the
 * oracle (level `projection`, against the correct model of the vector's configuration)
 * accepts the states it reported. A `reject` vector (a mutant's counterexample) passes when
 * the implementation does not reproduce it: it refuses an action or reports a state other
 * than the vector's, and the oracle accepts what it reported up to there. SKIP: the
 * implementation answered `unsupported` (a configuration or action it does not implement).
 */
import { type CommandMain, failureExitCode, parseFlags, runIfMain } from '../checker/flags.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../checker/errors.ts';
import { defaultSystemPath, loadProvider } from '../checker/loadModel.ts';
import type { AnyModel } from '../checker/model.ts';
import type { ModelProvider } from '../checker/provider.ts';
import { DriverError, ImplProcess, type Reply } from './driver.ts';
import { observeState, REQUIRED_FIELDS } from './driverProjection.ts';
import { parseItfText, type ItfTrace } from '../checker/itf.ts';
import { actionMatches, mismatches, validateTrace, type ObservedAction } from './oracle.ts';
import { buildSuite } from './suite.ts';
import { goalsOf } from './vectorGoals.ts';
import { observedActions } from './validate.ts';
import { formatScore, scoreProblems, scoreSuite } from './conformScore.ts';
import { unitProgress } from '../checker/progressLine.ts';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The canonical suite (`npm run vectors` writes it): what `--score` runs by default. */
const CANONICAL_SUITE = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

export const CONFORM_USAGE = `Usage: npm run conform -- --impl "CMD" [options]
       npm run conform -- --score [--suite DIR | --preset NAME ... | --mutant NAME|all ...]

  --impl CMD          the implementation, run as sh -c CMD; it speaks JSON lines
                      (traces/DRIVER.md)
  --suite DIR         run the ITF vectors (*.itf.json, with #meta) found under DIR
  --preset NAME       build the conform vectors of a preset now (repeatable)
  --mutant NAME|all   build a mutant's must-reject vector now (repeatable)
                      (default without --suite/--preset/--mutant: presets tiny, fanout
                      and ring, and the mutants that show on them or on the default
                      preset, with no fault and no parameter; --mutant all for every
                      mutant whose vector needs no parameter)
  --timeout MS        longest wait for one reply (default 5000)
  --startup MS        longest wait for the first reply of a new process (default 20000)
  --fresh             a new process for every vector (default: one process, every init
                      starts afresh; a new one after a crash or timeout)
  --lockstep          send each request only after the reply to the one before (default:
                      up to 64 requests ahead; the replies must come in request order)
  --allow-unsupported SKIP verdicts do not fail the run (without it, a SKIP fails the
                      run, and a line on stderr says so)
  --json              one JSON object per vector on stdout instead of the table
                      (with --score: one per implementation)
  --score             judge the suite by what it rejects, instead of an implementation:
                      run it (default: the canonical suite, traces/vectors) against the
                      model itself and against each of its mutants (traces/modelImpl.ts),
                      and print per mutant the vectors that reject it

Exit codes: 0 every vector passes (--score: the model passes every vector and every
mutant is rejected by at least two), 1 otherwise, 2 bad input.`;

/** The presets of the default suite: small enough to build in seconds. */
export const DEFAULT_PRESETS = ['tiny', 'fanout', 'ring'] as const;

/**
 * When the provider does not say where each mutant shows (`mutantPresets`), the mutants of
 * PROTOCOL.md section 7 that show on the default preset without parameters.
 */
export const FALLBACK_MUTANTS: readonly string[] = [
  'ack-before-increment',
  'apply-incomplete',
  'apply-out-of-order',
  'delete-on-sent',
  'slot-no-data-increment',
  'skip-oldslotcnt-add',
  'one-phase-commit',
  'duplicate-shuttle',
  'sync-before-transfer',
  'apply-arrival-order',
  'seq-wraparound',
  'no-flush-pass',
];

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

// ---- where vectors come from ----

const metaString = (t: ItfTrace, k: string): string | undefined => (typeof t.meta[k] === 'string' ? (t.meta[k] as string) : undefined);

/**
 * Where the correct model first parts from a must-reject vector (see RunnableVector.bad):
 * the bad step, or 'end' when the model allows every step and has a step after the last
 * (the mutant's dead end), or 'hidden' when it allows every step and has none after them:
 * the mutant differs from the model only in what the observable state does not show, and no
 * implementation can be judged by the vector.
 */
export const badStepOf = (model: AnyModel, trace: ItfTrace, name: string): RunnableVector['bad'] | 'end' | 'hidden' => {
  const states = trace.states.map(observeState);
  const actions = observedActions(trace, name) ?? [];
  const options = { level: 'projection', observe: observeState } as const;
  const whole = validateTrace(model, { states, actions }, options);
  if (!whole.ok) {
    const k = whole.step;
    // The same prefix with the bad step's state unobserved: does the model take that action there?
    const enabled = k > 0 && validateTrace(model, { states: [...states.slice(0, k), undefined], actions: actions.slice(0, k + 1) }, options).ok;
    return { step: k, enabled, reason: whole.reason };
  }
  const ends = whole.finalStates;
  return ends.some((e) => model.actions(e).some((a) => model.nextState(e, a) !== undefined)) ? 'end' : 'hidden';
};

/** A vector from parsed ITF: its model and configuration from `#meta` (`config`, else `preset`). */
export const runnableFromItf = (provider: ModelProvider, trace: ItfTrace, name: string): RunnableVector => {
  const expect = metaString(trace, 'expect') ?? 'conform';
  if (expect !== 'conform' && expect !== 'reject') throw new InputError(`${name}: #meta.expect must be "conform" or "reject", got "${expect}"`);
  const preset = metaString(trace, 'preset');
  let config: unknown;
  let model: AnyModel;
  if (trace.meta.config !== undefined) {
    // Judged by the correct protocol, always: a mutant named in the configuration is dropped.
    const c = trace.meta.config;
    config = c !== null && typeof c === 'object' && !Array.isArray(c) && 'mutant' in c ? (({ mutant: _m, ...rest }) => rest)(c as Record<string, unknown>) : c;
    model = provider.fromConfig(config, `${name} #meta.config`, { params: {} });
  } else if (preset !== undefined) {
    const params = trace.meta.params;
    if (params !== undefined && params !== null && typeof params === 'object' && Object.keys(params).length > 0) {
      // The implementation is told a configuration, not a preset and parameters.
      const model = provider.fromPreset(preset, { params: params as Record<string, string> });
      const skip = '#meta has "params" but no "config": the implementation cannot be told its configuration';
      return { name, expect, config: undefined, model, trace, skip };
    }
    if (!provider.presetConfig) throw new InputError(`${name}: the system cannot give the configuration of preset "${preset}"`);
    config = provider.presetConfig(preset);
    model = provider.fromPreset(preset, { params: {} });
  } else {
    throw new InputError(`${name}: #meta has neither "config" nor "preset": the implementation would not know its configuration`);
  }
  const mutant = metaString(trace, 'mutant');
  const property = metaString(trace, 'property');
  const base = { name, expect, config, model, trace, ...(mutant ? { mutant } : {}), ...(property ? { property } : {}) } as const;
  if (expect === 'conform') return base;
  const bad = badStepOf(model, trace, name);
  if (bad === 'end') return base;
  if (bad === 'hidden') {
    const skip = 'not runnable through the driver: the model allows every step of it and has none after it (the mutant differs only in what the observable state does not show)';
    return { ...base, skip };
  }
  return { ...base, bad };
};

const itfFiles = (dir: string): string[] => {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...itfFiles(p));
    else if (e.name.endsWith('.itf.json')) out.push(p);
  }
  return out;
};

/** Every `*.itf.json` under `dir`, sorted by path. */
export const loadSuiteDir = (provider: ModelProvider, dir: string): RunnableVector[] => {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new InputError(`--suite ${dir}: no such directory`);
  const files = itfFiles(dir);
  if (files.length === 0) throw new InputError(`--suite ${dir}: no *.itf.json vectors in it`);
  return files.map((f) => runnableFromItf(provider, parseItfText(readFileSync(f, 'utf8'), f), relative(dir, f)));
};

/**
 * The provider's mutants that a conformance vector can show: all but those marked
 * `conformance: false` (they break what one implementation's trace does not contain).
 */
export const conformanceMutants = (provider: ModelProvider): string[] =>
  (provider.mutants ?? []).filter((m) => provider.mutantPresets?.[m]?.conformance !== false);

/**
 * The mutants whose must-reject vector runs on a preset's own configuration, as
 * [mutant, preset]. A mutant that shows only with parameters is left out of `all` (its
 * vector would need a configuration the preset does not have) and refused by name; so is a
 * mutant no conformance vector can show.
 */
export const mutantPairs = (provider: ModelProvider, wanted: readonly string[] | 'all'): [string, string][] => {
  const known = provider.mutants ?? [];
  const where = (m: string): { preset: string; params?: Readonly<Record<string, string>> } | undefined =>
    provider.mutantPresets ? provider.mutantPresets[m] : FALLBACK_MUTANTS.includes(m) ? { preset: provider.defaultPreset } : undefined;
  const out: [string, string][] = [];
  for (const m of wanted === 'all' ? known : wanted) {
    if (!known.includes(m)) throw new InputError(`unknown mutant "${m}" (known: ${known.join(', ')})`);
    if (!conformanceMutants(provider).includes(m)) {
      if (wanted === 'all') continue;
      throw new InputError(`mutant "${m}" breaks what one implementation's trace does not contain (its system marks it conformance: false): no vector for it`);
    }
    const w = where(m);
    if (!w || (w.params && Object.keys(w.params).length > 0)) {
      if (wanted === 'all') continue;
      throw new InputError(`mutant "${m}" has no preset where it shows without parameters: no vector for it`);
    }
    out.push([m, w.preset]);
  }
  return out;
};

/**
 * The mutants of the default run: those that show, without parameters, on one of its presets
 * or on the system's default preset. The others show only with a fault or a configuration of
 * their own, which an implementation of the fault-free protocol rightly says it does not
 * support (SKIP, failing the run): `--mutant all` asks for them.
 */
export const defaultMutantPairs = (provider: ModelProvider): [string, string][] =>
  mutantPairs(provider, 'all').filter(([, preset]) => preset === provider.defaultPreset || (DEFAULT_PRESETS as readonly string[]).includes(preset));

/** Builds vectors now (traces/suite.ts) for presets and mutants. */
export const buildRunnable = (provider: ModelProvider, presets: readonly string[], mutants: readonly (readonly [string, string])[]): RunnableVector[] => {
  for (const p of presets) if (!provider.presets.includes(p)) throw new InputError(`unknown preset "${p}" (known: ${provider.presets.join(', ')})`);
  const { vectors } = buildSuite(provider, presets, mutants, (p) => provider.presetConfig?.(p), observeState, goalsOf);
  return vectors.map((v) => runnableFromItf(provider, parseItfText(v.text, v.file), v.file));
};

// ---- the table ----

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export const formatTable = (results: readonly VectorResult[]): string => {
  const w = Math.max(6, ...results.map((r) => r.vector.length));
  const lines = [`${pad('vector', w)}  ${pad('expect', 7)}  verdict  ${pad('step', 4)}  reason`];
  for (const r of results) {
    lines.push(`${pad(r.vector, w)}  ${pad(r.expect, 7)}  ${pad(r.verdict, 7)}  ${pad(r.step === null ? '-' : String(r.step), 4)}  ${r.reason}`);
  }
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  lines.push(`${results.length} vectors: ${count('PASS')} PASS, ${count('FAIL')} FAIL, ${count('SKIP')} SKIP`);
  return `${lines.join('\n')}\n`;
};

const positiveInt = (flag: string, v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  if (!/^[1-9][0-9]*$/.test(v)) throw new InputError(`${flag}: expected a whole number of milliseconds ≥ 1, got ${v === '' ? 'nothing' : v}`);
  return Number(v);
};

/** The line that says why SKIP verdicts failed the run, if they did. */
export const skipNote = (results: readonly VectorResult[], allowUnsupported: boolean): string | undefined => {
  const skipped = results.filter((r) => r.verdict === 'SKIP').length;
  if (skipped === 0 || allowUnsupported) return undefined;
  return `conform: ${skipped} SKIP verdict${skipped === 1 ? '' : 's'} (what the implementation does not support) fail${skipped === 1 ? 's' : ''} the run: exit 1 (--allow-unsupported lets them pass)`;
};

/** Runs the CLI; resolves to the exit code. */
export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  try {
    const parsed = parseFlags(
      argv,
      {
        impl: { type: 'string' },
        suite: { type: 'string' },
        preset: { type: 'string', multiple: true },
        mutant: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        startup: { type: 'string' },
        fresh: { type: 'boolean' },
        lockstep: { type: 'boolean' },
        'allow-unsupported': { type: 'boolean' },
        json: { type: 'boolean' },
        score: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    );
    const v = parsed.values;
    if (v.help) {
      out.write(`${CONFORM_USAGE}\n`);
      return 0;
    }
    if (v.score && v.impl !== undefined) throw new InputError('--score runs the model and its mutants as the implementations; it takes no --impl');
    if (!v.score && (v.impl === undefined || v.impl.trim() === '')) throw new InputError('--impl "CMD" is required (see --help)');
    if (v.suite !== undefined && (v.preset !== undefined || v.mutant !== undefined)) {
      throw new InputError('--suite reads its vectors from a directory; it cannot be combined with --preset or --mutant');
    }
    const options = {
      timeoutMs: positiveInt('--timeout', v.timeout, 5000),
      startupMs: positiveInt('--startup', v.startup, 20000),
      fresh: v.fresh === true,
      lockstep: v.lockstep === true,
    };
    const provider = await loadProvider(defaultSystemPath());
    let vectors: RunnableVector[];
    if (v.suite !== undefined) {
      vectors = loadSuiteDir(provider, v.suite);
    } else if (v.score && v.preset === undefined && v.mutant === undefined) {
      vectors = loadSuiteDir(provider, CANONICAL_SUITE);
    } else if (v.preset === undefined && v.mutant === undefined) {
      vectors = buildRunnable(provider, DEFAULT_PRESETS, defaultMutantPairs(provider));
    } else {
      const wanted = v.mutant ?? [];
      vectors = buildRunnable(provider, v.preset ?? [], wanted.includes('all') ? mutantPairs(provider, 'all') : mutantPairs(provider, wanted));
    }
    if (v.score) {
      const mutants = conformanceMutants(provider);
      const finished = unitProgress(err, 'conform --score', mutants.length + 1);
      const rows = await scoreSuite(vectors, mutants, options, (row) =>
        finished(row.mutant === undefined ? 'the model' : `mutant ${row.mutant}`, `rejected by ${row.rejectedBy.length} of ${row.results.length} vectors`),
      );
      if (v.json) for (const row of rows) out.write(`${JSON.stringify({ mutant: row.mutant ?? null, rejectedBy: row.rejectedBy })}\n`);
      else out.write(formatScore(rows));
      const problems = scoreProblems(rows);
      for (const p of problems) err.write(`conform --score: ${p}\n`);
      return problems.length === 0 ? 0 : 1;
    }
    const results = await runConformance(v.impl!, vectors, options, (r) => {
      if (v.json) out.write(`${JSON.stringify(r)}\n`);
    });
    if (!v.json) out.write(formatTable(results));
    const note = skipNote(results, v['allow-unsupported'] === true);
    if (note) err.write(`${note}\n`);
    const ok = results.every((r) => r.verdict === 'PASS' || (r.verdict === 'SKIP' && v['allow-unsupported'] === true));
    return ok ? 0 : 1;
  } catch (e) {
    return failureExitCode('conform', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
