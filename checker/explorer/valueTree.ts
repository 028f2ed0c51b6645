/**
 * A state as a tree the page can draw, with what changed since the previous state marked:
 * records by field, arrays by index, Maps by key, Sets by element; everything else is a leaf
 * shown as one line (checker/format.ts). Plain JSON, so it crosses HTTP unchanged.
 */
import { formatValue } from '../format.ts';

/** A node of the tree. `changed`: this value differs from the previous state's at the same place. */
export type TreeNode =
  | { readonly t: 'leaf'; readonly text: string; readonly changed?: true; readonly added?: true; readonly was?: string }
  | {
      readonly t: 'record' | 'array' | 'map' | 'set';
      /** Each part with its label: a field name, `[i]`, a Map key or a Set element. */
      readonly kids: readonly (readonly [string, TreeNode])[];
      /** Parts the previous state had here and this one has not, with their old values. */
      readonly gone?: readonly (readonly [string, string])[];
      readonly changed?: true;
      readonly added?: true;
      /** One-line rendering, shown when the node is collapsed. */
      readonly text: string;
    };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);

/** The parts of a container value, by label; undefined for a leaf. */
const partsOf = (v: unknown): { kind: 'record' | 'array' | 'map' | 'set'; parts: [string, unknown][] } | undefined => {
  if (Array.isArray(v)) return { kind: 'array', parts: v.map((x, i) => [`[${i}]`, x]) };
  if (v instanceof Map) return { kind: 'map', parts: [...v].map(([k, x]) => [formatValue(k), x]) };
  if (v instanceof Set) return { kind: 'set', parts: [...v].map((x) => [formatValue(x), x]) };
  if (isRecord(v)) return { kind: 'record', parts: Object.entries(v).filter(([, x]) => x !== undefined) };
  return undefined;
};

const NONE = Symbol('none');

/**
 * The tree of `value`, marked against `before` (the previous state's value at the same
 * place; `NONE` at the initial state, where nothing is marked).
 */
export const valueTree = (value: unknown, before: unknown = NONE): TreeNode => build(value, before, before === NONE);

const build = (v: unknown, b: unknown, initial: boolean): TreeNode => {
  const text = formatValue(v);
  const same = initial || Object.is(v, b);
  const mine = partsOf(v);
  if (!mine) {
    if (same || (b !== NONE && formatValue(b) === text)) return { t: 'leaf', text };
    return b === NONE ? { t: 'leaf', text, added: true } : { t: 'leaf', text, changed: true, was: formatValue(b) };
  }
  const theirs = !initial && b !== NONE ? partsOf(b) : undefined;
  const old = theirs && theirs.kind === mine.kind ? new Map(theirs.parts) : undefined;
  const kids = mine.parts.map(([label, x]): [string, TreeNode] => {
    if (same) return [label, build(x, x, true)];
    if (old === undefined) return [label, build(x, NONE, b === NONE)];
    return [label, build(x, old.has(label) ? old.get(label) : NONE, false)];
  });
  const labels = new Set(mine.parts.map(([l]) => l));
  const gone = same || !old ? [] : [...old].filter(([l]) => !labels.has(l)).map(([l, x]): [string, string] => [l, formatValue(x)]);
  const changed = !same && (old === undefined || gone.length > 0 || kids.some(([, k]) => k.changed || k.added));
  return {
    t: mine.kind,
    kids,
    text,
    ...(gone.length > 0 ? { gone } : {}),
    ...(changed ? (b === NONE ? { added: true as const } : { changed: true as const }) : {}),
  };
};
