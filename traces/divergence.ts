/**
 * Where a mutant first shows from outside: a breadth-first search over pairs (correct model
 * state, mutant state) that take the same actions (same name and fields) and look the same
 * through an observation, up to the first step where they part:
 * - `refuses`: the model takes a step the mutant cannot take;
 * - `extra`: the mutant takes a step the model cannot take;
 * - `differs`: both take it, and the results look different.
 * The model's path to that step is a trace a correct implementation follows and the mutant
 * cannot (`refuses`, `differs`); the mutant's path is a trace the model rejects at its last
 * step (`extra`, `differs`). These are the vectors that test a mutant's bad step itself, not
 * the property violation it leads to later.
 *
 * Deterministic: pairs are explored in the models' own order of initial states and actions.
 */
import type { AnyModel } from '../checker/model.ts';
import type { Step } from '../checker/result.ts';
import { fingerprint, fingerprintHex } from '../checker/fingerprint.ts';

export interface Divergence {
  readonly kind: 'refuses' | 'extra' | 'differs';
  /** The model's path, ending with the step the mutant cannot take or takes differently (absent for `extra`). */
  readonly modelPath?: readonly Step<unknown, unknown>[];
  /** The mutant's path, ending with the step the model cannot take or takes differently (absent for `refuses`). */
  readonly mutantPath?: readonly Step<unknown, unknown>[];
}

interface Node {
  readonly c: unknown;
  readonly m: unknown;
  readonly parent: Node | undefined;
  readonly cAction: unknown;
  readonly mAction: unknown;
}

const key = (x: unknown): string => fingerprintHex(fingerprint(x));

const path = (n: Node, side: 'c' | 'm'): Step<unknown, unknown>[] => {
  const out: Step<unknown, unknown>[] = [];
  for (let x: Node | undefined = n; x; x = x.parent) out.push({ state: x[side], action: side === 'c' ? x.cAction : x.mAction });
  return out.reverse();
};

/** The enabled actions of a state, by the fingerprint of the action's data, in the model's order. */
const enabled = (model: AnyModel, s: unknown): Map<string, { a: unknown; t: unknown }> => {
  const out = new Map<string, { a: unknown; t: unknown }>();
  for (const a of model.actions(s)) {
    const t = model.nextState(s, a);
    if (t !== undefined) out.set(key(a), { a, t });
  }
  return out;
};

/**
 * The first divergences between `model` and `mutant` under `observe`, shortest first, at most
 * `limit` of them; the search stops after `maxPairs` pairs. States outside the model's
 * boundary (`withinBoundary`) are not explored further.
 */
export const divergences = (
  model: AnyModel,
  mutant: AnyModel,
  observe: (s: unknown) => unknown,
  limit: number,
  maxPairs = 200_000,
): Divergence[] => {
  const found: Divergence[] = [];
  const seen = new Set<string>();
  let frontier: Node[] = [];
  const mInits = mutant.initStates();
  for (const c of model.initStates()) {
    const look = key(observe(c));
    for (const m of mInits) {
      if (key(observe(m)) !== look) continue;
      const k = key([c, m]);
      if (!seen.has(k)) {
        seen.add(k);
        frontier.push({ c, m, parent: undefined, cAction: undefined, mAction: undefined });
      }
    }
  }
  while (frontier.length > 0 && found.length < limit && seen.size < maxPairs) {
    const next: Node[] = [];
    for (const n of frontier) {
      const ce = enabled(model, n.c);
      const me = enabled(mutant, n.m);
      for (const [k, { a, t }] of ce) {
        const mm = me.get(k);
        const child: Node = { c: t, m: mm?.t, parent: n, cAction: a, mAction: mm?.a };
        if (!mm) found.push({ kind: 'refuses', modelPath: path(child, 'c') });
        else if (key(observe(t)) !== key(observe(mm.t))) found.push({ kind: 'differs', modelPath: path(child, 'c'), mutantPath: path(child, 'm') });
        else {
          const pk = key([t, mm.t]);
          if (!seen.has(pk) && (model.withinBoundary?.(t) ?? true)) {
            seen.add(pk);
            next.push(child);
          }
        }
        if (found.length >= limit) return found;
      }
      for (const [k, { a, t }] of me) {
        if (ce.has(k)) continue;
        found.push({ kind: 'extra', mutantPath: path({ c: undefined, m: t, parent: n, cAction: undefined, mAction: a }, 'm') });
        if (found.length >= limit) return found;
      }
    }
    frontier = next;
  }
  return found;
};
