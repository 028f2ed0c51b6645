/**
 * ITF traces (Apalache ADR-015, https://apalache-mc.org/docs/adr/015adr-trace.html), in
 * and out. Values are mapped by `itfValue.ts`.
 *
 * A trace is `{"#meta": {...}, "params"?: [...], "vars": [...], "states": [...], "loop"?: n}`;
 * each state is `{"#meta": {"index": i}, "<var>": <value>, ...}`. As Quint does, the action
 * that led to a state is the state variable `mbt::actionTaken` and the nondeterministic
 * choices are `mbt::nondetPicks`. Design decision: the initial state carries an action too
 * (the engine writes `"init"`), so `actions` has one entry per state, like Quint's traces,
 * and writing then reading a trace gives back the same arrays.
 */
import { InputError } from './errors.ts';
import { childPath, describeValue, fromItfValue, toItfValue, type ItfValue } from './itfValue.ts';

/** The state variable that holds the action taken to reach a state (Quint's name). */
export const ACTION_TAKEN = 'mbt::actionTaken';
/** The state variable that holds the nondeterministic picks of that action (Quint's name). */
export const NONDET_PICKS = 'mbt::nondetPicks';
/** Where the format is described; written into every trace's `#meta`. */
export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** An ITF trace as JSON. */
export interface ItfTraceJson {
  readonly '#meta': { readonly [k: string]: unknown };
  readonly params?: readonly string[];
  readonly vars: readonly string[];
  readonly states: readonly { readonly [k: string]: unknown }[];
  readonly loop?: number;
}

/** What `toItfTrace` writes. */
export interface ItfTraceInput {
  /**
   * The state variables to write, in order. Defaults to the keys of the first state.
   * Every state must define each of them; keys of a state not listed are not written
   * (so a caller can project states onto the variables an oracle should see).
   */
  readonly vars?: readonly string[];
  /** The states, as plain objects from variable name to value. At least one. */
  readonly states: readonly { readonly [k: string]: unknown }[];
  /** One action per state (the first is how the initial state arose, e.g. `"init"`). */
  readonly actions?: readonly unknown[];
  /** One record of nondeterministic picks per state. */
  readonly nondetPicks?: readonly unknown[];
  /** Extra trace metadata (plain JSON), merged over `format` and `format-description`. */
  readonly meta?: { readonly [k: string]: unknown };
  /** Index of the state where a lasso's loop starts. */
  readonly loop?: number;
}

/** A parsed and validated trace, values decoded to JS values (see `itfValue.ts`). */
export interface ItfTrace {
  /** The trace's `#meta` object, as JSON (empty when absent). */
  readonly meta: { readonly [k: string]: unknown };
  /** Parameter name to value, taken from the initial state (`params`; empty when absent). */
  readonly params: { readonly [k: string]: unknown };
  /** The state variables, without `mbt::` names, in file order. */
  readonly vars: readonly string[];
  /** Per state, variable name to decoded value; no `#meta`, params or `mbt::` keys. */
  readonly states: readonly { readonly [k: string]: unknown }[];
  /** Per state, the decoded `mbt::actionTaken`, or undefined when the trace has none. */
  readonly actions: readonly unknown[] | undefined;
  /** Per state, the decoded `mbt::nondetPicks`, or undefined when the trace has none. */
  readonly nondetPicks: readonly unknown[] | undefined;
  /** The loop start index of a lasso trace, or undefined. */
  readonly loop: number | undefined;
}

const MBT_PREFIX = 'mbt::';

/**
 * The ITF JSON of a trace. Pure and deterministic (no timestamps: put one in `meta` if
 * wanted). Throws a TypeError naming the problem for: no states, a variable missing from
 * a state, a variable named with `#` or `mbt::`, duplicate variables, `actions` or
 * `nondetPicks` of a length other than the number of states, a `loop` out of range,
 * `meta` that is not plain JSON, or a value with no ITF form (see `toItfValue`).
 */
export function toItfTrace(input: ItfTraceInput): ItfTraceJson {
  const { states } = input;
  if (states.length === 0) throw new TypeError('toItfTrace: a trace needs at least one state');
  const vars = input.vars ?? Object.keys(states[0]!);
  const seen = new Set<string>();
  for (const v of vars) {
    if (v.startsWith('#') || v.startsWith(MBT_PREFIX)) {
      throw new TypeError(`toItfTrace: variable name ${JSON.stringify(v)} is reserved (starts with "#" or "mbt::")`);
    }
    if (seen.has(v)) throw new TypeError(`toItfTrace: variable ${JSON.stringify(v)} is listed twice`);
    seen.add(v);
  }
  for (const [name, arr] of [['actions', input.actions], ['nondetPicks', input.nondetPicks]] as const) {
    if (arr !== undefined && arr.length !== states.length) {
      throw new TypeError(
        `toItfTrace: ${name} must have one entry per state (${states.length}), got ${arr.length}`,
      );
    }
  }
  if (input.loop !== undefined && !(Number.isInteger(input.loop) && input.loop >= 0 && input.loop < states.length)) {
    throw new TypeError(`toItfTrace: loop must be a state index in [0, ${states.length - 1}], got ${input.loop}`);
  }
  const meta = { format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION, ...(input.meta ?? {}) };
  assertPlainJson(meta, '$["#meta"]');
  const outStates = states.map((s, i) => {
    const path = `$.states[${i}]`;
    const out: Record<string, unknown> = { '#meta': { index: i } };
    for (const v of vars) {
      if (!Object.hasOwn(s, v) || s[v] === undefined) {
        throw new TypeError(`toItfTrace: ${path}: missing variable ${JSON.stringify(v)}`);
      }
      setOwn(out, v, toItfValue(s[v], childPath(path, v)));
    }
    if (input.actions) out[ACTION_TAKEN] = toItfValue(input.actions[i], childPath(path, ACTION_TAKEN));
    if (input.nondetPicks) out[NONDET_PICKS] = toItfValue(input.nondetPicks[i], childPath(path, NONDET_PICKS));
    return out;
  });
  return {
    '#meta': meta,
    vars: [...vars, ...(input.actions ? [ACTION_TAKEN] : []), ...(input.nondetPicks ? [NONDET_PICKS] : [])],
    states: outStates,
    ...(input.loop !== undefined ? { loop: input.loop } : {}),
  };
}

/**
 * The text of an ITF trace file: compact JSON with one state per line, so traces diff
 * line by line, and a final newline. Deterministic.
 */
export function stringifyItfTrace(trace: ItfTraceJson): string {
  const { states, ...head } = trace;
  const headText = JSON.stringify(head);
  const body = states.map((s) => JSON.stringify(s)).join(',\n  ');
  return `${headText.slice(0, -1)},\n "states": [\n  ${body}\n ]\n}\n`;
}

/**
 * Parses ITF text read from `source`: JSON syntax errors become an InputError naming the
 * file, then `parseItfTrace` validates.
 */
export function parseItfText(text: string, source: string): ItfTrace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  return parseItfTrace(json, source);
}

/**
 * Validates an ITF trace (parsed JSON) read from `source` and decodes its values. Throws
 * an InputError `<source>: <JSON path>: <problem>`, e.g.
 * `trace.itf.json: $.states[3].blades: expected an ITF value, got null`, for: a trace that
 * is not an object, unknown top-level keys, `#meta` not an object, `vars`/`params` not
 * arrays of strings, a state variable listed twice, no states, a state that is not an
 * object, a state `#meta.index` that differs from its position, a missing variable or an
 * undeclared one, `mbt::actionTaken`/`mbt::nondetPicks` present in some states only, a
 * `loop` out of range, and every value error of `fromItfValue`. Other `mbt::` variables
 * are ignored; Quint may list `mbt::` names in `vars` more than once.
 */
export function parseItfTrace(json: unknown, source: string): ItfTrace {
  const fail = (path: string, problem: string): never => {
    throw new InputError(`${source}: ${path}: ${problem}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

  if (!isObject(json)) return fail('$', `expected an ITF trace object {"vars": [...], "states": [...]}, got ${describeValue(json)}`);
  const allowed = new Set(['#meta', 'params', 'vars', 'states', 'loop']);
  for (const k of Object.keys(json)) {
    if (!allowed.has(k)) fail(childPath('$', k), `unknown trace field (expected #meta, params, vars, states, loop)`);
  }
  const meta = json['#meta'] ?? {};
  if (!isObject(meta)) fail('$["#meta"]', `expected an object, got ${describeValue(meta)}`);

  const stringList = (v: unknown, path: string): string[] => {
    if (!Array.isArray(v)) return fail(path, `expected an array of strings, got ${describeValue(v)}`);
    v.forEach((x, i) => {
      if (typeof x !== 'string') fail(childPath(path, i), `expected a string, got ${describeValue(x)}`);
    });
    return v as string[];
  };
  const params = json.params === undefined ? [] : stringList(json.params, '$.params');
  if (!('vars' in json)) fail('$', 'missing field "vars"');
  const declared = stringList(json.vars, '$.vars');
  const vars: string[] = [];
  const seen = new Set<string>();
  declared.forEach((v, i) => {
    if (v.startsWith(MBT_PREFIX)) return;
    if (v.startsWith('#')) fail(childPath('$.vars', i), `variable name ${JSON.stringify(v)} starts with "#", which ITF reserves`);
    if (seen.has(v)) fail(childPath('$.vars', i), `variable ${JSON.stringify(v)} is listed twice`);
    seen.add(v);
    vars.push(v);
  });
  params.forEach((p, i) => {
    if (seen.has(p)) fail(childPath('$.params', i), `${JSON.stringify(p)} is both a parameter and a variable`);
  });

  if (!('states' in json)) fail('$', 'missing field "states"');
  const rawStates = json.states;
  if (!Array.isArray(rawStates)) return fail('$.states', `expected an array of states, got ${describeValue(rawStates)}`);
  if (rawStates.length === 0) fail('$.states', 'expected at least one state, got none');

  const paramValues: Record<string, unknown> = {};
  const states: Record<string, unknown>[] = [];
  const actions: unknown[] = [];
  const picks: unknown[] = [];
  const firstHas = { action: false, picks: false };
  rawStates.forEach((s: unknown, i) => {
    const path = `$.states[${i}]`;
    if (!isObject(s)) return fail(path, `expected a state object, got ${describeValue(s)}`);
    const sMeta = s['#meta'];
    if (sMeta !== undefined) {
      if (!isObject(sMeta)) fail(`${path}["#meta"]`, `expected an object, got ${describeValue(sMeta)}`);
      else if (sMeta.index !== undefined && sMeta.index !== i) {
        fail(`${path}["#meta"].index`, `expected ${i} (the state's position), got ${describeValue(sMeta.index)}`);
      }
    }
    for (const k of Object.keys(s)) {
      if (k === '#meta' || k.startsWith(MBT_PREFIX) || seen.has(k) || (i === 0 && params.includes(k))) continue;
      fail(childPath(path, k), `variable ${JSON.stringify(k)} is not declared in $.vars`);
    }
    const state: Record<string, unknown> = {};
    for (const v of vars) {
      if (!Object.hasOwn(s, v)) fail(path, `missing variable ${JSON.stringify(v)}`);
      setOwn(state, v, fromItfValue(s[v], source, childPath(path, v)));
    }
    if (i === 0) {
      for (const p of params) {
        if (!Object.hasOwn(s, p)) fail(path, `missing parameter ${JSON.stringify(p)} (parameters are set in the initial state)`);
        setOwn(paramValues, p, fromItfValue(s[p], source, childPath(path, p)));
      }
    }
    states.push(state);
    const hasAction = Object.hasOwn(s, ACTION_TAKEN);
    const hasPicks = Object.hasOwn(s, NONDET_PICKS);
    if (i === 0) {
      firstHas.action = hasAction;
      firstHas.picks = hasPicks;
    }
    for (const [name, has, first, out] of [
      [ACTION_TAKEN, hasAction, firstHas.action, actions],
      [NONDET_PICKS, hasPicks, firstHas.picks, picks],
    ] as const) {
      if (has !== first) {
        fail(path, has ? `has ${name} but state 0 has none` : `missing ${name}, which state 0 has`);
      }
      if (has) out.push(fromItfValue(s[name], source, childPath(path, name)));
    }
  });

  let loop: number | undefined;
  if (json.loop !== undefined) {
    const l = json.loop;
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= rawStates.length) {
      fail('$.loop', `expected a state index in [0, ${rawStates.length - 1}], got ${describeValue(l)}`);
    }
    loop = l as number;
  }
  return {
    meta: meta as Record<string, unknown>,
    params: paramValues,
    vars,
    states,
    actions: firstHas.action ? actions : undefined,
    nondetPicks: firstHas.picks ? picks : undefined,
    loop,
  };
}

/** Sets an own enumerable property, also for a key such as "__proto__". */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Throws a TypeError at the first part of `v` that JSON cannot carry unchanged. */
function assertPlainJson(v: unknown, path: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`toItfTrace: ${path}: ${v} is not JSON`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertPlainJson(x, childPath(path, i)));
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) assertPlainJson(x, childPath(path, k));
    return;
  }
  throw new TypeError(`toItfTrace: ${path}: ${describeValue(v)} is not plain JSON`);
}

/** Re-exported for callers that need single values; see `itfValue.ts`. */
export { fromItfValue, toItfValue, type ItfValue };
