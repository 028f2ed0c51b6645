/**
 * An implementation's log of its own run, as `npm run validate` reads it (traces/DRIVER.md
 * section 9): an ITF trace whose states carry only what the implementation sees, under
 * these conventions:
 * - `#meta.observe: "driver"`: the state variables are fields of the driver's observable
 *   state (DRIVER.md section 2.1, traces/driverProjection.ts), any subset of them, and
 *   inside them any record may leave fields out; without it they are the model's own
 *   variables;
 * - `mbt::actionTaken` is the step's action, or `"?"` when the log does not know it (and
 *   `mbt::nondetPicks` its fields, or `{}`); a log without `mbt::actionTaken` knows none;
 * - a state's `#meta.hidden: K` says that up to K model steps the log does not show happened
 *   between the state before it and the step it records;
 * - a later state whose action is `"init"` starts afresh: the system was started again (a
 *   restart, or the next run of a long log) and that state is an initial state.
 * This module turns such a file into the observations of checker/explainLog.ts, and refuses
 * a malformed one with an InputError that names the JSON path of the problem.
 */
import { InputError } from '../checker/errors.ts';
import type { Observation } from '../checker/explainLog.ts';
import { parseItfTrace, type ItfTrace } from '../checker/itf.ts';
import type { AnyModel } from '../checker/model.ts';
import { observedActions } from '../checker/oracle.ts';
import { OBSERVABLE_FIELDS } from './driverProjection.ts';

/** The `mbt::actionTaken` of a step whose action the log does not know. */
export const UNKNOWN_ACTION = '?';
/** The one value of `#meta.observe`: states show the driver's observable state. */
export const DRIVER_OBSERVATION = 'driver';
/** The largest `#meta.hidden` a log may give one step. */
export const MAX_HIDDEN = 10_000;

/** A log read from a file: the ITF trace and its observations. */
export interface ImplLog {
  readonly trace: ItfTrace;
  /** Whether the states are the driver's observable state (else the model's variables). */
  readonly driver: boolean;
  readonly observations: readonly Observation[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `#meta.hidden` of each raw state (0 when absent), checked. */
const hiddenCounts = (json: Record<string, unknown>, source: string): number[] =>
  (json.states as unknown[]).map((s, i) => {
    const meta = isObject(s) ? s['#meta'] : undefined;
    const h = isObject(meta) ? meta.hidden : undefined;
    if (h === undefined) return 0;
    const path = `${source}: $.states[${i}]["#meta"].hidden`;
    if (typeof h !== 'number' || !Number.isInteger(h) || h < 0 || h > MAX_HIDDEN) {
      throw new InputError(`${path}: expected a whole number of hidden steps from 0 to ${MAX_HIDDEN.toLocaleString('en')}, got ${JSON.stringify(h)}`);
    }
    if (i === 0 && h > 0) throw new InputError(`${path}: the initial state has no step before it, so nothing can be hidden there (got ${h})`);
    return h;
  });

/** True when a parsed ITF file uses the log conventions (a driver observation, a hidden count, an unknown action, a restart). */
export const isImplLog = (json: unknown): boolean => {
  if (!isObject(json)) return false;
  const meta = json['#meta'];
  if (isObject(meta) && meta.observe !== undefined) return true;
  const states = Array.isArray(json.states) ? json.states : [];
  return states.some(
    (s, i) =>
      isObject(s) &&
      ((isObject(s['#meta']) && s['#meta'].hidden !== undefined) || s['mbt::actionTaken'] === UNKNOWN_ACTION || (i > 0 && s['mbt::actionTaken'] === 'init')),
  );
};

/** Reads a log (ITF JSON already parsed from `source`); throws InputError for a malformed one. */
export const readImplLog = (json: unknown, source: string): ImplLog => {
  const trace = parseItfTrace(json, source);
  const raw = json as Record<string, unknown>;
  const observe = trace.meta.observe;
  if (observe !== undefined && observe !== DRIVER_OBSERVATION) {
    throw new InputError(`${source}: $["#meta"].observe: expected "${DRIVER_OBSERVATION}" (the states show the driver's observable state), got ${JSON.stringify(observe)}`);
  }
  const driver = observe === DRIVER_OBSERVATION;
  if (driver) {
    trace.vars.forEach((v) => {
      if (!(OBSERVABLE_FIELDS as readonly string[]).includes(v)) {
        throw new InputError(`${source}: $.vars: "${v}" is not a field of the driver's observable state (traces/DRIVER.md section 2.1: ${OBSERVABLE_FIELDS.join(', ')})`);
      }
    });
  }
  const hidden = hiddenCounts(raw, source);
  // The unknown action is taken out before the ITF actions are read as names and fields.
  const known: ItfTrace = {
    ...trace,
    actions: trace.actions?.map((a, i) => (i === 0 || a === UNKNOWN_ACTION ? undefined : a)),
  };
  const actions = observedActions(known, source);
  const first = trace.actions?.[0];
  if (first !== undefined && first !== 'init' && first !== UNKNOWN_ACTION && first !== null) {
    throw new InputError(`${source}: $.states[0]["mbt::actionTaken"]: the initial state's action is "init" (or "${UNKNOWN_ACTION}"), got ${JSON.stringify(first)}`);
  }
  const observations = trace.states.map((state, i): Observation => {
    const restart = i > 0 && trace.actions?.[i] === 'init';
    if (restart && hidden[i]! > 0) {
      throw new InputError(`${source}: $.states[${i}]["#meta"].hidden: a state that starts afresh ("init") has no step before it to hide (got ${hidden[i]})`);
    }
    return {
      state: Object.keys(state).length > 0 ? state : undefined,
      action: i === 0 || restart ? undefined : actions?.[i],
      hidden: hidden[i]!,
      ...(restart ? { restart } : {}),
    };
  });
  return { trace, driver, observations };
};

/** Refuses a log that names an action the model does not have (a typo would otherwise read as a conformance failure). */
export const checkActionNames = (log: ImplLog, model: AnyModel, source: string): void => {
  const names = model.actionNames;
  if (!names || names.length === 0) return;
  log.observations.forEach((o, i) => {
    if (o.action !== undefined && !names.includes(o.action.name)) {
      throw new InputError(
        `${source}: $.states[${i}]["mbt::actionTaken"]: "${o.action.name}" is not an action of the model (its actions: ${names.join(', ')}; "${UNKNOWN_ACTION}" for an unknown one)`,
      );
    }
  });
};
