/**
 * Search within a path: the steps whose state satisfies a query, e.g.
 * `secondaryBlades[1].journal` (non-empty, non-zero, true), `writes[0].status = 2` or
 * `site != "running"`. A query is a place in the state (fields by name, elements by `[i]`,
 * Map entries by key) and optionally `=` or `!=` a value written as the state panel shows it.
 */
import { formatValue } from '../format.ts';
import type { AnyModel } from '../model.ts';
import type { PathIndices } from '../result.ts';
import { followPath, PathError } from './session.ts';

export interface Query {
  readonly place: readonly (string | number)[];
  readonly op: 'set' | '=' | '!=';
  readonly value?: string;
}

const USAGE = 'a search is PLACE, PLACE = VALUE or PLACE != VALUE, e.g. secondaryBlades[1].journal or writes[0].status = 2';

export const parseQuery = (text: string): Query => {
  const m = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d{1,9}\])*)\s*(?:(!?=)\s*(.+?))?\s*$/.exec(text);
  if (!m || text.length > 1000) throw new PathError(USAGE);
  const place = [...m[1]!.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((p) => (p[1] !== undefined ? p[1] : Number(p[2])));
  if (m[2] === undefined) return { place, op: 'set' };
  if (m[3]!.trim() === '') throw new PathError(USAGE);
  return { place, op: m[2] === '=' ? '=' : '!=', value: m[3]!.trim() };
};

const NOWHERE = Symbol('nowhere');

const valueAt = (state: unknown, place: readonly (string | number)[]): unknown =>
  place.reduce<unknown>((v, key) => {
    if (v === NOWHERE || v === null || typeof v !== 'object') return NOWHERE;
    if (Array.isArray(v)) return typeof key === 'number' && key < v.length ? v[key] : NOWHERE;
    if (v instanceof Map) return v.has(key) ? v.get(key) : NOWHERE;
    return typeof key === 'string' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : NOWHERE;
  }, state);

const isSet = (v: unknown): boolean => {
  if (v === NOWHERE || v === undefined || v === null || v === false || v === 0 || v === '' || v === 0n) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
};

/** A value as the user may type it: as the state panel shows it, or strings without quotes. */
const sameText = (v: unknown, typed: string): boolean => {
  const shown = formatValue(v);
  return shown === typed || (typeof v === 'string' && v === typed) || shown.replace(/\s+/g, '') === typed.replace(/\s+/g, '');
};

export const matches = (state: unknown, q: Query): boolean => {
  const v = valueAt(state, q.place);
  if (q.op === 'set') return isSet(v);
  const equal = v !== NOWHERE && sameText(v, q.value!);
  return q.op === '=' ? equal : !equal;
};

/** The steps of the path whose state satisfies the query. */
export const searchPath = (model: AnyModel, path: PathIndices, query: string): number[] => {
  const q = parseQuery(query);
  return followPath(model, path).flatMap((st, k) => (matches(st.state, q) ? [k] : []));
};
