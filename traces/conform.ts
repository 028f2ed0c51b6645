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
import { observedActions } from './validate.ts';

export const CONFORM_USAGE = `Usage: npm run conform -- --impl "CMD" [options]

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
  --allow-unsupported SKIP verdicts do not fail the run (without it, a SKIP fails the
                      run, and a line on stderr says so)
  --json              one JSON object per vector on stdout instead of the table

Exit codes: 0 every vector passes, 1 one does not, 2 bad input.`;

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

/** Plays one vector against a live process; fills `states` with what it reported. */
const play = async (
  proc: ImplProcess,
  v: RunnableVector,
  actions: readonly (ObservedAction | undefined)[],
  states: Record<string, unknown>[],
  log: { step: number; text: string }[],
): Promise<Outcome> => {
  const expected = (i: number) => observeState(v.trace.states[i]);
  for (let i = 0; i < v.trace.states.length; i++) {
    const message: Record<string, unknown> =
      i === 0 ? { type: 'init', config: v.config } : { type: 'step', index: i, action: { name: actions[i]?.name, fields: actions[i]?.fields ?? {} } };
    let reply: Reply;
    try {
      reply = await proc.request(message);
    } catch (e) {
      if (e instanceof DriverError) return { kind: 'broken', step: i, why: e.message };
      throw e;
    }
    if (typeof reply.log === 'string') log.push({ step: i, text: reply.log });
    const what = i === 0 ? 'init' : describeAction(actions[i]);
    if (typeof reply.unsupported === 'string') return { kind: 'unsupported', step: i, why: `${what}: ${reply.unsupported}` };
    if (typeof reply.refused === 'string') return { kind: 'refused', step: i, why: `refused ${what}: ${reply.refused}` };
    if (!('state' in reply)) return { kind: 'broken', step: i, why: 'malformed reply: expected "state", "refused" or "unsupported"' };
    const bad = badState(reply.state);
    if (bad) return { kind: 'broken', step: i, why: `malformed reply: ${bad}` };
    states.push(reply.state as Record<string, unknown>);
    const how = firstMismatch(reply.state as Record<string, unknown>, expected(i));
    if (how) return { kind: 'diverged', step: i, how };
  }
  return { kind: 'done' };
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
  const oracle = validateTrace(v.model, { states, actions: actions.slice(0, states.length) }, { level: 'projection', observe: observeState });
  if (!oracle.ok) return { verdict: 'FAIL', step: oracle.step, reason: oracle.reason };
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
  const property = v.property ? ` (${v.property})` : '';
  if (outcome.kind === 'refused') return { verdict: 'PASS', step: outcome.step, reason: `${outcome.why}` };
  if (outcome.kind === 'diverged') return { verdict: 'PASS', step: outcome.step, reason: `left the mutant's trace: ${outcome.how}` };
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
      let outcome = await play(proc, v, actions, states, log);
      let extra: { verdict: Verdict; step: number; reason: string } | undefined;
      if (outcome.kind === 'done' && v.expect === 'reject') {
        const o = await beyondTheEnd(proc, v, actions, states, log);
        if ('kind' in o) outcome = o;
        else extra = o;
      }
      if (outcome.kind === 'broken') {
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
  return { name, expect, config, model, trace, ...(mutant ? { mutant } : {}), ...(property ? { property } : {}) };
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
 * The mutants whose must-reject vector runs on a preset's own configuration, as
 * [mutant, preset]. A mutant that shows only with parameters is left out of `all` (its
 * vector would need a configuration the preset does not have) and refused by name.
 */
export const mutantPairs = (provider: ModelProvider, wanted: readonly string[] | 'all'): [string, string][] => {
  const known = provider.mutants ?? [];
  const where = (m: string): { preset: string; params?: Readonly<Record<string, string>> } | undefined =>
    provider.mutantPresets ? provider.mutantPresets[m] : FALLBACK_MUTANTS.includes(m) ? { preset: provider.defaultPreset } : undefined;
  const out: [string, string][] = [];
  for (const m of wanted === 'all' ? known : wanted) {
    if (!known.includes(m)) throw new InputError(`unknown mutant "${m}" (known: ${known.join(', ')})`);
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
  const { vectors } = buildSuite(provider, presets, mutants, (p) => provider.presetConfig?.(p));
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
        'allow-unsupported': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    );
    const v = parsed.values;
    if (v.help) {
      out.write(`${CONFORM_USAGE}\n`);
      return 0;
    }
    if (v.impl === undefined || v.impl.trim() === '') throw new InputError('--impl "CMD" is required (see --help)');
    if (v.suite !== undefined && (v.preset !== undefined || v.mutant !== undefined)) {
      throw new InputError('--suite reads its vectors from a directory; it cannot be combined with --preset or --mutant');
    }
    const options = {
      timeoutMs: positiveInt('--timeout', v.timeout, 5000),
      startupMs: positiveInt('--startup', v.startup, 20000),
      fresh: v.fresh === true,
    };
    const provider = await loadProvider(defaultSystemPath());
    let vectors: RunnableVector[];
    if (v.suite !== undefined) {
      vectors = loadSuiteDir(provider, v.suite);
    } else if (v.preset === undefined && v.mutant === undefined) {
      vectors = buildRunnable(provider, DEFAULT_PRESETS, defaultMutantPairs(provider));
    } else {
      const wanted = v.mutant ?? [];
      vectors = buildRunnable(provider, v.preset ?? [], wanted.includes('all') ? mutantPairs(provider, 'all') : mutantPairs(provider, wanted));
    }
    const results = await runConformance(v.impl, vectors, options, (r) => {
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
