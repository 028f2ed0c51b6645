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
import { observeState } from './driverProjection.ts';
import { parseItfText, type ItfTrace } from '../checker/itf.ts';
import { validateTrace } from './oracle.ts';
import { buildSuite } from './suite.ts';
import { goalsOf } from './vectorGoals.ts';
import { observedActions } from './validate.ts';
import { formatScore, scoreProblems, scoreSuite } from './conformScore.ts';
import { runConformance, type RunnableVector, type Verdict, type VectorResult } from './harness.ts';
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

// The harness itself (running vectors against a process) is traces/harness.ts; conform.ts and
// conformScore.ts both build on it.
export { PIPELINE_DEPTH, runConformance, type ConformOptions, type RunnableVector, type Verdict, type VectorResult } from './harness.ts';

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
