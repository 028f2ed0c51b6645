/**
 * The replication system of the patent as a model family for the engine: presets, the
 * configuration-file format (one system, or several consistency groups), `--param` overrides
 * and named mutants.
 */
import { InputError } from '../checker/errors.ts';
import type { AnyModel, Model } from '../checker/model.ts';
import type { BuildOptions, ModelProvider } from '../checker/provider.ts';
import { type Action, actionNamesFor, candidates, formatAction, step } from './actions.ts';
import { withinBounds } from './bounds.ts';
import { applyParams, type Config, parseConfig, withMutant } from './config.ts';
import { buildGroupsModel } from './groupsModel.ts';
import { applyGroupParams, groupMutantError, groupsConfigJson, isGroupsJson, parseGroupsConfig, withGroupMutant } from './groupsConfig.ts';
import { initStates } from './init.ts';
import { PRESET_NAMES, PRESETS } from './presets.ts';
import { MUTANT_PRESET, ZOO } from './mutantPresets.ts';
import { actionPropertiesFor, invariantsFor, notConverged, reachabilityFor } from './properties.ts';
import { fairnessFor, temporalFor } from './liveness.ts';
import { makeSetup } from './setup.ts';
import type { State } from './state.ts';
import { replicationView } from './view.ts';

/** Builds the model of one validated configuration. */
export const buildModel = (cfg: Config, name = 'replication'): Model<State, Action> => {
  const setup = makeSetup(cfg);
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
    withinBoundary: (s) => withinBounds(s, cfg),
  };
};

/** A configuration of one system, or of several consistency groups (a "groups" field, PROTOCOL.md §10). */
const build = (json: unknown, source: string, options: BuildOptions, name: string): AnyModel => {
  if (isGroupsJson(json)) {
    const cfg = withGroupMutant(applyGroupParams(parseGroupsConfig(json, source), options.params), options.mutant);
    return buildGroupsModel(cfg, name, source);
  }
  const notHere = options.mutant === undefined ? undefined : groupMutantError(source, options.mutant);
  if (notHere) throw notHere;
  const cfg = withMutant(applyParams(parseConfig(json, source), options.params), options.mutant);
  return buildModel(cfg, name);
};

/** The whole configuration the parameters make of `json`, every field written out (JSON: no mutant). */
const withParams = (json: unknown, source: string, params: Readonly<Record<string, string>>): unknown =>
  isGroupsJson(json)
    ? groupsConfigJson(applyGroupParams(parseGroupsConfig(json, source), params))
    : (JSON.parse(JSON.stringify(applyParams(parseConfig(json, source), params))) as unknown);

const system: ModelProvider = {
  name: 'replication',
  presets: PRESET_NAMES,
  defaultPreset: 'default',
  mutants: ZOO,
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
    return withParams(p.json, `preset ${name}`, params);
  },
  fromPreset: (name, options) => {
    const p = (PRESETS as Record<string, { json: unknown }>)[name];
    if (!p) throw new InputError(`unknown preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
    return build(p.json, `preset ${name}`, options, name);
  },
  fromConfig: (json, source, options) => build(json, source, options, source),
};

export default system;
