/**
 * Symmetry reduction (TLC's SYMMETRY, Stateright's representative): a model whose
 * components are interchangeable declares `canonical(s)`, a representative of the states
 * that differ from `s` only by a permutation of those components. The engine then keeps one
 * state per class: it identifies a state by the fingerprint of its representative, while
 * it expands and reports the states themselves, so counterexamples replay as they are.
 *
 * Sound only when every invariant and action property is symmetric too (it judges all the
 * states of a class alike). Reachability and temporal properties are refused under symmetry:
 * the engine cannot tell whether their goals (and fairness) are symmetric.
 */
import { InputError } from './errors.ts';
import type { Model } from './model.ts';
import type { CheckOptions } from './result.ts';

/** The representative function the search uses, or undefined when it keeps every state. */
export const symmetryOf = <S>(model: Model<S, unknown>, options: CheckOptions): ((s: S) => S) | undefined => {
  if (!model.canonical || options.symmetry === false) return undefined;
  if ((model.reachability ?? []).length > 0 && (options.strategy ?? 'bfs') !== 'random') {
    throw new InputError(
      `${model.name} declares a symmetry and reachability properties: reachability is not checked on a symmetry-reduced graph; run without symmetry (--no-symmetry)`,
    );
  }
  if ((model.temporal ?? []).length > 0 && (options.strategy ?? 'bfs') !== 'random') {
    throw new InputError(
      `${model.name} declares a symmetry and temporal properties: they are not checked on a symmetry-reduced graph; run without symmetry (--no-symmetry)`,
    );
  }
  return model.canonical.bind(model);
};
