/**
 * `npm run validate -- FILE... [--preset NAME | --config FILE | --model FILE] [--level L]`:
 * checks ITF traces produced by another implementation against the model (see oracle.ts).
 * Exit 0 when every trace conforms, 1 when one does not (its first bad step is named),
 * 2 for bad input (a malformed trace gets the JSON path of the problem), 3 when a log
 * leaves so much unobserved that the search passed its bound (`--max-candidates`).
 *
 * An implementation's log (traces/implLog.ts: the driver's observable state, unknown
 * actions, hidden steps) is explained by checker/explainLog.ts; any other trace is followed
 * step for step by the oracle.
 *
 * Which model: the flags, else the trace's own `#meta` (`preset`, or an inline `config`
 * object, as the vector suite writes them), else the system's default preset.
 */
import { type CommandMain, failureExitCode, parseFlags, parseParams, runIfMain } from '../checker/flags.ts';
import { readFileSync } from 'node:fs';
import { InputError } from '../checker/errors.ts';
import { defaultSystemPath, loadModel, loadProvider, type Loaded } from '../checker/loadModel.ts';
import { parseItfTrace, type ItfTrace } from '../checker/itf.ts';
import { observedActions, validateTrace, type OracleLevel, type OracleVerdict } from '../checker/oracle.ts';
import { explainLog, type Explanation } from '../checker/explainLog.ts';
import { match } from 'ts-pattern';
import { observeState } from './driverProjection.ts';
import { checkActionNames, isImplLog, readImplLog } from './implLog.ts';

const LEVELS: readonly OracleLevel[] = ['full', 'projection', 'actions'];

export const VALIDATE_USAGE = `Usage: npm run validate -- FILE... [options]

  --preset NAME | --config FILE | --model FILE   the model (default: from each trace's #meta,
                              else the system's default preset)
  --param KEY=VALUE           a model parameter (repeatable)
  --level full|projection|actions
                              what the trace shows (default: full when it has every
                              variable of the model, projection when it has some,
                              actions when it has none)
  --max-candidates N          an implementation's log (traces/DRIVER.md section 9): the
                              most model states followed at once (default 100000); past
                              it the log is undecided (exit 3)
  --json                      one JSON object per file on stdout

Exit codes: 0 every trace conforms, 1 a trace does not, 2 bad input, 3 a log is
undecided (its candidate states passed --max-candidates).`;

/** The default bound on the model states a log's search follows at once. */
export const DEFAULT_MAX_CANDIDATES = 100_000;

export { observedActions } from '../checker/oracle.ts';

/** The model a trace is judged by: the flags' choice, else the trace's #meta (config or preset, and params). */
export const modelForTrace = async (
  trace: ItfTrace,
  source: string,
  flags: { preset?: string; config?: string; model?: string; params: Record<string, string> },
): Promise<Loaded> => {
  if (flags.preset !== undefined || flags.config !== undefined || flags.model !== undefined) return loadModel(flags);
  // A trace is always judged by the correct protocol: a vector made by a mutant says
  // `mutant` in its meta precisely because the correct model must reject it.
  const meta = trace.meta;
  const metaParams =
    meta.params !== null && typeof meta.params === 'object' && !Array.isArray(meta.params)
      ? Object.fromEntries(Object.entries(meta.params).map(([k, v]) => [k, String(v)]))
      : {};
  const options = { params: { ...metaParams, ...flags.params } };
  if (meta.config !== undefined) {
    const provider = await loadProvider(defaultSystemPath());
    const name = typeof meta.preset === 'string' ? `preset ${meta.preset}` : 'a configuration';
    return {
      model: provider.fromConfig(meta.config, `${source} #meta.config`, options),
      source: `${name}, configuration from #meta`,
      provider,
    };
  }
  return loadModel({ ...(typeof meta.preset === 'string' ? { preset: meta.preset } : {}), ...options });
};

const inferLevel = (trace: ItfTrace, loaded: Loaded): OracleLevel => {
  if (trace.vars.length === 0) return 'actions';
  const init = loaded.model.initStates()[0] as unknown;
  const vars = init !== null && typeof init === 'object' ? Object.keys(init) : ['state'];
  return vars.every((v) => trace.vars.includes(v)) ? 'full' : 'projection';
};

type ValidateFlags = {
  preset?: string;
  config?: string;
  model?: string;
  params: Record<string, string>;
  level?: OracleLevel;
  maxCandidates?: number;
};

/** What validating one file found: a trace's oracle verdict, or a log's explanation. */
export type FileResult =
  | { readonly kind: 'trace'; readonly file: string; readonly level: OracleLevel; readonly model: string; readonly verdict: OracleVerdict }
  | { readonly kind: 'log'; readonly file: string; readonly observation: 'driver' | 'model'; readonly model: string; readonly explanation: Explanation };

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

/** Validates one file; throws InputError for bad input. */
export const validateFile = async (file: string, flags: ValidateFlags): Promise<FileResult> => {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (isImplLog(json)) {
    if (flags.level !== undefined) throw new InputError(`${file}: --level is for traces; an implementation's log says what it observed itself (traces/DRIVER.md section 9)`);
    const log = readImplLog(json, file);
    const loaded = await modelForTrace(log.trace, file, flags);
    checkActionNames(log, loaded.model, file);
    const observe = log.driver ? observeState : (s: unknown) => (s !== null && typeof s === 'object' ? (s as Record<string, unknown>) : { state: s });
    const explanation = explainLog(loaded.model, log.observations, { observe, maxCandidates: flags.maxCandidates ?? DEFAULT_MAX_CANDIDATES });
    return { kind: 'log', file, observation: log.driver ? 'driver' : 'model', model: loaded.source, explanation };
  }
  const trace = parseItfTrace(json, file);
  const loaded = await modelForTrace(trace, file, flags);
  const level = flags.level ?? (typeof trace.meta.level === 'string' && LEVELS.includes(trace.meta.level as OracleLevel)
    ? (trace.meta.level as OracleLevel)
    : inferLevel(trace, loaded));
  const actions = observedActions(trace, file);
  const verdict = validateTrace(loaded.model, { states: trace.states, ...(actions ? { actions } : {}) }, { level });
  return { kind: 'trace', file, level, model: loaded.source, verdict };
};

/** The exit code a file's result asks for: 0 conforms, 1 does not, 3 undecided. */
export const resultCode = (r: FileResult): 0 | 1 | 3 =>
  match(r)
    .with({ kind: 'trace' }, (t) => (t.verdict.ok ? 0 : 1) as 0 | 1)
    .with({ kind: 'log', explanation: { kind: 'explained' } }, () => 0 as const)
    .with({ kind: 'log', explanation: { kind: 'unexplained' } }, () => 1 as const)
    .with({ kind: 'log', explanation: { kind: 'undecided' } }, () => 3 as const)
    .exhaustive();

const plural = (n: number, what: string): string => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;

/** The human-readable report of one file: a line, and for an unexplained log the candidates it had. */
export const formatResult = (r: FileResult): string =>
  match(r)
    .with({ kind: 'trace' }, ({ file, level, model, verdict }) =>
      verdict.ok
        ? `${file}: conforms (${verdict.steps} steps, ${level}, ${model})\n`
        : `${file}: DOES NOT CONFORM at step ${verdict.step} (${level}, ${model}): ${verdict.reason}\n`,
    )
    .with({ kind: 'log' }, ({ file, observation, model, explanation }) => {
      const what = `log of the ${observation === 'driver' ? "driver's observable state" : "model's variables"}, ${model}`;
      return match(explanation)
        .with(
          { kind: 'explained' },
          (e) =>
            `${file}: conforms (${what}): ${plural(e.observations, 'observation')} explained by a model behaviour of ${plural(e.modelSteps, 'step')}` +
            `, ${e.hiddenSteps.toLocaleString('en')} of them not in the log; ${plural(e.candidates, 'model state')} fit${e.candidates === 1 ? 's' : ''} the whole log\n`,
        )
        .with({ kind: 'unexplained' }, (e) => {
          const lines = [`${file}: DOES NOT CONFORM at step ${e.observation} (${what}): ${e.reason}`];
          if (e.candidates > 0) {
            lines.push(`  ${plural(e.candidates, 'candidate model state')} before it; ${e.nearest.length === e.candidates ? 'each' : `the nearest ${e.nearest.length}`}:`);
          }
          e.nearest.forEach((n, k) => {
            const via = n.hiddenSteps.length > 0 ? ` (after hidden steps ${n.hiddenSteps.join(', ')})` : '';
            const step = n.nearest
              ? n.nearest.differences.length > 0
                ? `${n.nearest.action} differs: ${n.nearest.differences.join('; ')}`
                : `${n.nearest.action} fits`
              : 'the logged step is not enabled';
            lines.push(`  ${k + 1}.${via} ${step}; enabled there: ${n.enabled.join(', ') || 'none'}`);
          });
          return `${lines.join('\n')}\n`;
        })
        .with({ kind: 'undecided' }, (e) => `${file}: UNDECIDED at step ${e.observation} (${what}): ${e.reason}\n`)
        .exhaustive();
    })
    .exhaustive();

/** Runs the validator CLI; resolves to the exit code. */
export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  try {
    const parsed = parseFlags(
      argv,
      {
        preset: { type: 'string' },
        config: { type: 'string' },
        model: { type: 'string' },
        param: { type: 'string', multiple: true },
        level: { type: 'string' },
        'max-candidates': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    const v = parsed.values;
    if (v.help) {
      out.write(`${VALIDATE_USAGE}\n`);
      return 0;
    }
    if (parsed.positionals.length === 0) throw new InputError('no trace file given (see --help)');
    if (v.level !== undefined && !LEVELS.includes(v.level as OracleLevel)) {
      throw new InputError(`--level must be full, projection or actions, got "${v.level}"`);
    }
    const maxText = v['max-candidates'];
    if (maxText !== undefined && !/^[1-9][0-9]*$/.test(maxText)) {
      throw new InputError(`--max-candidates: expected a whole number ≥ 1, got ${maxText === '' ? 'nothing' : JSON.stringify(maxText)}`);
    }
    const params = parseParams(v.param);
    let code: 0 | 1 | 3 = 0;
    for (const file of parsed.positionals) {
      const r = await validateFile(file, {
        params,
        ...(v.preset !== undefined ? { preset: v.preset } : {}),
        ...(v.config !== undefined ? { config: v.config } : {}),
        ...(v.model !== undefined ? { model: v.model } : {}),
        ...(v.level !== undefined ? { level: v.level as OracleLevel } : {}),
        ...(maxText !== undefined ? { maxCandidates: Number(maxText) } : {}),
      });
      // The worst result decides: does not conform (1) over undecided (3) over conforms (0).
      const c = resultCode(r);
      if (c === 1 || (c === 3 && code === 0)) code = c;
      out.write(v.json ? `${JSON.stringify(r)}\n` : formatResult(r));
    }
    return code;
  } catch (e) {
    return failureExitCode('validate', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
