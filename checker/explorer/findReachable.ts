/**
 * Search across the state tree: breadth-first from the initial states, the first state that
 * satisfies a query (search.ts), so its path is a shortest one (and, among the shortest, the
 * first in action-index order). Bounded by a number of states and a time, and it says which
 * bound cut it. States outside the model's boundary are looked at but not expanded. Pure but
 * for the clock; the explorer runs it in a child process (findChild.ts).
 */
import { fingerprintInto } from '../fingerprint.ts';
import { createFpTable, putIfAbsent } from '../fpTable.ts';
import type { AnyModel } from '../model.ts';
import type { PathIndices } from '../result.ts';
import { matches, type Query } from './search.ts';

export interface FindBounds {
  /** Stop after this many distinct states. */
  readonly maxStates: number;
  /** Stop after this many milliseconds. */
  readonly maxMs: number;
}

export const FIND_BOUNDS: FindBounds = { maxStates: 300_000, maxMs: 20_000 };

export interface FindOutcome {
  /** A shortest path to the first matching state, when one was found. */
  readonly path?: PathIndices;
  /** Distinct states looked at. */
  readonly explored: number;
  /** The search stopped at a bound before it found a match or ran out of states. */
  readonly cut?: 'states' | 'time';
  readonly elapsedMs: number;
}

/** How often (in states expanded) the clock is read. */
const CLOCK_EVERY = 64;

export const findReachable = (model: AnyModel, query: Query, bounds: FindBounds = FIND_BOUNDS): FindOutcome => {
  const started = performance.now();
  const seen = createFpTable();
  const fp = { hi: 0, lo: 0 };
  // Per state found: its parent (-1 for an initial state) and the index that led to it.
  const parent: number[] = [];
  const index: number[] = [];
  const pathTo = (id: number): PathIndices => {
    const rev: number[] = [];
    let cur = id;
    while (parent[cur]! >= 0) {
      rev.push(index[cur]!);
      cur = parent[cur]!;
    }
    return { init: index[cur]!, actions: rev.reverse() };
  };
  const done = (extra: { path?: PathIndices; cut?: 'states' | 'time' }): FindOutcome => ({
    ...extra,
    explored: parent.length,
    elapsedMs: performance.now() - started,
  });
  /** Records a state not seen yet: its id, or -1 when it was seen, or -2 when the bound is reached. */
  const add = (s: unknown, from: number, i: number): number => {
    fingerprintInto(s, fp);
    if (putIfAbsent(seen, fp.hi, fp.lo) < 0) return -1;
    if (parent.length >= bounds.maxStates) return -2;
    parent.push(from);
    index.push(i);
    return parent.length - 1;
  };

  let frontier: { id: number; s: unknown }[] = [];
  const inits = model.initStates();
  for (let i = 0; i < inits.length; i++) {
    const id = add(inits[i], -1, i);
    if (id === -2) return done({ cut: 'states' });
    if (id < 0) continue;
    if (matches(inits[i], query)) return done({ path: pathTo(id) });
    frontier.push({ id, s: inits[i] });
  }
  let expanded = 0;
  while (frontier.length > 0) {
    const next: { id: number; s: unknown }[] = [];
    for (const { id, s } of frontier) {
      if (++expanded % CLOCK_EVERY === 0 && performance.now() - started > bounds.maxMs) return done({ cut: 'time' });
      if (model.withinBoundary && !model.withinBoundary(s)) continue;
      const actions = model.actions(s);
      for (let i = 0; i < actions.length; i++) {
        const t = model.nextState(s, actions[i]);
        if (t === undefined) continue;
        const tid = add(t, id, i);
        if (tid === -2) return done({ cut: 'states' });
        if (tid < 0) continue;
        if (matches(t, query)) return done({ path: pathTo(tid) });
        next.push({ id: tid, s: t });
      }
    }
    frontier = next;
  }
  return done({});
};
