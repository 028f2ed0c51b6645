/**
 * `npm run validate -- FILE... [--preset NAME | --config FILE | --model FILE] [--level L]`:
 * checks ITF traces produced by another implementation against the model (see oracle.ts).
 * Exit 0 when every trace conforms, 1 when one does not (its first bad step is named),
 * 2 for bad input (a malformed trace gets the JSON path of the problem).
 *
 * Which model: the flags, else the trace's own `#meta` (`preset`, or an inline `config`
 * object, as the vector suite writes them), else the system's default preset.
 */
import { type CommandMain, failureExitCode, parseFlags, parseParams, runIfMain } from '../checker/flags.ts';
import { readFileSync } from 'node:fs';
import { InputError } from '../checker/errors.ts';
import { defaultSystemPath, loadModel, loadProvider, type Loaded } from '../checker/loadModel.ts';
import { parseItfText, type ItfTrace } from '../checker/itf.ts';
import { observedActions, validateTrace, type OracleLevel, type OracleVerdict } from '../checker/oracle.ts';

const LEVELS: readonly OracleLevel[] = ['full', 'projection', 'actions'];

export const VALIDATE_USAGE = `Usage: npm run validate -- FILE... [options]

  --preset NAME | --config FILE | --model FILE   the model (default: from each trace's #meta,
                              else the system's default preset)
  --param KEY=VALUE           a model parameter (repeatable)
  --level full|projection|actions
                              what the trace shows (default: full when it has every
                              variable of the model, projection when it has some,
                              actions when it has none)
  --json                      one JSON object per file on stdout

Exit codes: 0 every trace conforms, 1 a trace does not, 2 bad input.`;

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

/** Validates one file; throws InputError for bad input. */
export const validateFile = async (
  file: string,
  flags: { preset?: string; config?: string; model?: string; params: Record<string, string>; level?: OracleLevel },
): Promise<{ file: string; level: OracleLevel; model: string; verdict: OracleVerdict }> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const trace = parseItfText(text, file);
  const loaded = await modelForTrace(trace, file, flags);
  const level = flags.level ?? (typeof trace.meta.level === 'string' && LEVELS.includes(trace.meta.level as OracleLevel)
    ? (trace.meta.level as OracleLevel)
    : inferLevel(trace, loaded));
  const actions = observedActions(trace, file);
  const verdict = validateTrace(loaded.model, { states: trace.states, ...(actions ? { actions } : {}) }, { level });
  return { file, level, model: loaded.source, verdict };
};

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
    const params = parseParams(v.param);
    let failed = false;
    for (const file of parsed.positionals) {
      const r = await validateFile(file, {
        params,
        ...(v.preset !== undefined ? { preset: v.preset } : {}),
        ...(v.config !== undefined ? { config: v.config } : {}),
        ...(v.model !== undefined ? { model: v.model } : {}),
        ...(v.level !== undefined ? { level: v.level as OracleLevel } : {}),
      });
      if (!r.verdict.ok) failed = true;
      if (v.json) {
        out.write(`${JSON.stringify(r)}\n`);
      } else if (r.verdict.ok) {
        out.write(`${file}: conforms (${r.verdict.steps} steps, ${r.level}, ${r.model})\n`);
      } else {
        out.write(`${file}: DOES NOT CONFORM at step ${r.verdict.step} (${r.level}, ${r.model}): ${r.verdict.reason}\n`);
      }
    }
    return failed ? 1 : 0;
  } catch (e) {
    return failureExitCode('validate', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
