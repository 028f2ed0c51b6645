/**
 * `--trace FILE`: an ITF trace (a counterexample written with `check --out`, a vector, an
 * implementation's log) opened in the explorer. The model follows it as `npm run validate`
 * judges it (checker/oracle.ts): the page shows the path the model takes along the trace,
 * and where the trace departs from the model, the first step no allowed action explains.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { parseItfText, type ItfTrace } from '../itf.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { AnyModel } from '../model.ts';
import { followTrace, observedActions, type OracleLevel } from '../oracle.ts';
import type { ModelChoice } from './modelChoice.ts';
import { pathText } from './session.ts';
import type { TraceInfo } from './server.ts';

export const readTrace = (file: string): ItfTrace => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`--trace ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseItfText(text, file);
};

/** The model for a trace: the flags' choice, else the trace's `#meta` (preset, or an inline config, and params). */
export const choiceForTrace = (trace: ItfTrace, file: string, spec: ModelSpec): ModelChoice => {
  if (spec.model !== undefined || spec.preset !== undefined || spec.config !== undefined) return { spec };
  const meta = trace.meta;
  const metaParams =
    meta.params !== null && typeof meta.params === 'object' && !Array.isArray(meta.params)
      ? Object.fromEntries(Object.entries(meta.params).map(([k, v]) => [k, String(v)]))
      : {};
  const withParams: ModelSpec = { ...spec, params: { ...metaParams, ...spec.params } };
  if (meta.config !== undefined) return { spec: withParams, inlineConfig: { json: meta.config, source: `${file} #meta.config` } };
  return { spec: { ...withParams, ...(typeof meta.preset === 'string' ? { preset: meta.preset } : {}) } };
};

const levelOf = (trace: ItfTrace, model: AnyModel): OracleLevel => {
  if (trace.vars.length === 0) return 'actions';
  const init = model.initStates()[0] as unknown;
  const vars = init !== null && typeof init === 'object' ? Object.keys(init) : ['state'];
  return vars.every((v) => trace.vars.includes(v)) ? 'full' : 'projection';
};

/** Follows the trace through the model: the path it takes, and where it departs. */
export const traceInfo = (model: AnyModel, trace: ItfTrace, file: string): TraceInfo => {
  const actions = observedActions(trace, file);
  const { verdict, path } = followTrace(model, { states: trace.states, ...(actions ? { actions } : {}) }, { level: levelOf(trace, model) });
  return {
    file,
    steps: trace.states.length,
    path: pathText(path),
    ...(verdict.ok ? {} : { departs: { step: verdict.step, reason: verdict.reason } }),
  };
};
