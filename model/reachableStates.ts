/**
 * Every reachable state of a model, visited once (breadth-first, by fingerprint), for the
 * measures a property cannot express: the most of something over all states, or over the
 * states where a behaviour ends (claims.ts, cascade.ts). The engine's search reports
 * verdicts; this only visits.
 */
import { fingerprint, fingerprintHex } from '../checker/fingerprint.ts';
import type { Model } from '../checker/model.ts';

/**
 * Calls `visit` on every reachable state with the actions enabled in it (none: a behaviour
 * ends there; null: outside the model's boundary, not expanded). Returns how many states
 * were visited.
 */
export const forEachReachable = <S, A>(m: Model<S, A>, visit: (s: S, enabled: readonly A[] | null) => void): number => {
  const seen = new Set<string>();
  const queue: S[] = [];
  const reach = (s: S): void => {
    const k = fingerprintHex(fingerprint(s));
    if (!seen.has(k)) (seen.add(k), queue.push(s));
  };
  for (const s of m.initStates()) reach(s);
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    if (m.withinBoundary && !m.withinBoundary(s)) {
      visit(s, null);
      continue;
    }
    const enabled: A[] = [];
    for (const a of m.actions(s)) {
      const n = m.nextState(s, a);
      if (!n) continue;
      enabled.push(a);
      reach(n);
    }
    visit(s, enabled);
  }
  return seen.size;
};
