/**
 * Rendering values, actions and state differences for people: compact, deterministic,
 * one line per value.
 */

/** A compact one-line rendering of a value: `{a: 1, b: [2, 3]}`, `Set{1, 2}`, `Map{k → v}`, `5n`. */
export const formatValue = (v: unknown): string => {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return `${v}n`;
    case 'undefined':
      return 'undefined';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
      if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${formatValue(k)} → ${formatValue(x)}`).join(', ')}}`;
      if (v instanceof Set) return `Set{${[...v].map(formatValue).join(', ')}}`;
      const fields = Object.entries(v).filter(([, x]) => x !== undefined);
      return `{${fields.map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}}`;
    }
    default:
      return String(v);
  }
};

/** Renders an action: `Type(field=value, ...)` for `{type: 'Type', ...}` objects. */
export const formatActionData = (a: unknown): string => {
  if (a !== null && typeof a === 'object' && !Array.isArray(a) && typeof (a as { type?: unknown }).type === 'string') {
    const { type, ...rest } = a as { type: string } & Record<string, unknown>;
    const args = Object.entries(rest)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${k}=${formatValue(x)}`);
    return args.length > 0 ? `${type}(${args.join(', ')})` : type;
  }
  return formatValue(a);
};

/** One difference between two states: where, and the values before and after. */
export interface Change {
  /** A path like `blades[1].journal` (empty for the whole state). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** True when the path did not exist before / does not exist after. */
  readonly added?: boolean;
  readonly removed?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/**
 * The differences between two states, as deep as they can be named: fields of plain
 * objects and elements of equal-length arrays are compared one by one; anything else that
 * differs (arrays that changed length, Maps, Sets, primitives) is one change.
 */
export const diffStates = (before: unknown, after: unknown, path = ''): Change[] => {
  if (Object.is(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const b = before[k];
      const a = after[k];
      if (b === undefined && a !== undefined) return [{ path: join(path, k), before: b, after: a, added: true }];
      if (a === undefined && b !== undefined) return [{ path: join(path, k), before: b, after: a, removed: true }];
      return diffStates(b, a, join(path, k));
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffStates(b, after[i], `${path}[${i}]`));
  }
  if (formatValue(before) === formatValue(after)) return [];
  return [{ path, before, after }];
};

/** A change as one line: `path: before → after`. */
export const formatChange = (c: Change): string =>
  c.added
    ? `${c.path} = ${formatValue(c.after)} (new)`
    : c.removed
      ? `${c.path} removed (was ${formatValue(c.before)})`
      : `${c.path === '' ? '(state)' : c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`;

/** The fields of a whole state, one `name = value` line each (for the initial state). */
export const formatState = (s: unknown): string[] =>
  isPlainObject(s)
    ? Object.entries(s)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k} = ${formatValue(v)}`)
    : [formatValue(s)];
