/**
 * Heavy computations of the tests that no source module exports as one function, for
 * `runInChild` (inChild.ts): each runs in the test file's child process and returns plain
 * data. (Where a source module already exports the computation, e.g. `checkSpec` or
 * `modeRows`, the tests call that directly in the child.)
 */
import { check } from '../checker/check.ts';
import type { CheckResult } from '../checker/result.ts';
import { MUTANT_PRESET, type ZooMutant } from '../model/mutantPresets.ts';
import { runMutant, type MutantRow } from '../model/mutants.ts';
import system from '../model/system.ts';
import { buildSuite, type Vector } from '../traces/suite.ts';
import { observeState } from '../traces/driverProjection.ts';
import { CANONICAL_PRESETS, suiteFiles } from '../traces/vectors.ts';
import { twoPhase } from './examples/twoPhase.ts';

/** `check(twoPhase(n))`, breadth-first. */
export const checkTwoPhase = (n: number): CheckResult => check(twoPhase(n)) as CheckResult;

/** The baselines `runMutant` has computed in this process, per preset and parameters. */
const baselines = new Map<string, MutantRow['baseline']>();

/**
 * `runMutant(mutant, baselines)` with this process's baseline cache. With `baselineHere`
 * false the unmutated model is not checked (its row says "not run here"): the caller knows
 * that another test checks that preset exhaustively.
 */
export const mutantRow = (mutant: ZooMutant, baselineHere = true): MutantRow => {
  if (baselineHere) return runMutant(mutant, baselines);
  const { preset, params = {} } = MUTANT_PRESET[mutant];
  return runMutant(mutant, new Map([[`${preset} ${JSON.stringify(params)}`, { verdict: 'not run here', states: 0, ms: 0 }]]));
};

/** The canonical vector suite as the model generates it now: `suiteFiles(system, CANONICAL_PRESETS, true)`. */
export const canonicalSuite = () => suiteFiles(system, CANONICAL_PRESETS, true);

/**
 * The must-reject vectors of (mutant, preset) pairs, as conform's buildRunnable(system, [],
 * pairs) builds them before it parses each into a RunnableVector (whose model cannot cross).
 */
export const mutantVectors = (pairs: readonly (readonly [string, string])[]): Vector[] =>
  buildSuite(system, [], pairs, (p) => system.presetConfig?.(p), observeState).vectors;
