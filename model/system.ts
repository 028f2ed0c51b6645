/**
 * The replication system of the patent as a model family for the engine: presets, the
 * configuration-file format, `--param` overrides and named mutants.
 */
import { InputError } from '../checker/errors.ts';
import type { Model } from '../checker/model.ts';
import type { BuildOptions, ModelProvider } from '../checker/provider.ts';
import { type Action, actionNamesFor, candidates, formatAction, step } from './actions.ts';
import { applyParams, type Config, MUTANTS, parseConfig, withMutant } from './config.ts';
import { initStates } from './init.ts';
import { PRESET_NAMES, PRESETS } from './presets.ts';
import { MUTANT_PRESET } from './mutantPresets.ts';
import { actionPropertiesFor, invariantsFor, notConverged, reachabilityFor } from './properties.ts';
import { fairnessFor, temporalFor } from './liveness.ts';
import { makeSetup } from './setup.ts';
import type { State } from './state.ts';
import { replicationView } from './view.ts';

/** Builds the model of one validated configuration. */
export const buildModel = (cfg: Config, name = 'replication'): Model<State, Action> => {
  const setup = makeSetup(cfg);
  const seq = cfg.sequencer;
  const inits = initStates(setup);
  return {
    name: cfg.mutant ? `${name} [mutant ${cfg.mutant}]` : name,
    initStates: () => inits,
    actions: (s) => candidates(s, setup),
    nextState: (s, a) => step(s, setup, a),
    actionName: (a) => a.type,
    actionNames: actionNamesFor(setup),
    formatAction,
    view: replicationView(setup),
    invariants: invariantsFor(setup),
    actionProperties: actionPropertiesFor(setup),
    reachability: reachabilityFor(setup),
    temporal: temporalFor(setup),
    fairness: fairnessFor(setup),
    isTerminalOk: (s) => notConverged(s, setup) === null,
    // State constraint (TLC style): sequence numbers above maxSeq, or the clock past maxTicks.
    withinBoundary: (s) =>
      seq.kind === 'timer' ? s.clock!.t <= seq.maxTicks : s.shuttles.every((sh) => sh.shSlotNo <= cfg.bounds.maxSeq),
  };
};

const build = (json: unknown, source: string, options: BuildOptions, name: string): Model<State, Action> => {
  const cfg = withMutant(applyParams(parseConfig(json, source), options.params), options.mutant);
  return buildModel(cfg, name);
};

const system: ModelProvider = {
  name: 'replication',
  presets: PRESET_NAMES,
  defaultPreset: 'default',
  mutants: MUTANTS,
  mutantPresets: MUTANT_PRESET,
  describePreset: (name) => {
    const p = (PRESETS as Record<string, { description: string }>)[name];
    if (!p) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
    return p.description;
  },
  presetConfig: (name, params = {}) => {
    const p = (PRESETS as Record<string, { json: unknown }>)[name];
    if (!p) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
    if (Object.keys(params).length === 0) return p.json;
    // The whole configuration the parameters make, every field written out (JSON: no mutant).
    return JSON.parse(JSON.stringify(applyParams(parseConfig(p.json, `preset ${name}`), params))) as unknown;
  },
  fromPreset: (name, options) => {
    const p = (PRESETS as Record<string, { json: unknown }>)[name];
    if (!p) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
    return build(p.json, `preset ${name}`, options, name);
  },
  fromConfig: (json, source, options) => build(json, source, options, source),
};

export default system;
