import type { ModelView } from './view.ts';

/**
 * The contract between a model and the engine. The engine knows nothing else about a
 * model: not what its states mean, not what its actions do.
 *
 * States must be immutable values built from plain objects, arrays, Maps, Sets, strings,
 * numbers, booleans, bigints, null and undefined. The engine identifies a state by a
 * structural 64-bit fingerprint (see `fingerprint.ts`), so two states that are equal as
 * values are the same state whatever their key order or Set insertion order.
 *
 * Sets and Maps: a JavaScript Set or Map compares its members (keys) by identity and iterates
 * them in insertion order. A Set of objects can so hold two members equal as values, which
 * the engine counts as another state, and actions listed from a Set can come out in another
 * order for an equal state. Build them with `structural.ts` (`setOf`, `setAdd`, `setUnion`, `mapOf`, `mapSet`,
 * ...), which deduplicate by value and keep one canonical order, and read them with
 * `setHas` and `mapGet`.
 *
 * Determinism: `initStates` and `actions` must return the same items in the same order, and
 * `nextState` the same state, every time they are called on equal states: on the state's
 * value alone, not on object identity, insertion order, randomness or anything kept outside
 * the state. A counterexample is stored as a list of indices into them and rebuilt by
 * replay. `--strict` (`CheckOptions.strict`, see `strict.ts`) checks this at every state
 * expanded, and warns of Sets and Maps holding members equal as values.
 */
export interface Model<S, A> {
  /** A short name used in reports. */
  readonly name: string;

  /** The initial states, in a deterministic order. */
  initStates(): readonly S[];

  /**
   * The candidate actions in state `s`, as data, in a deterministic order. An action may be
   * listed and still be disabled: `nextState` then returns `undefined`.
   */
  actions(s: S): readonly A[];

  /** The state after taking `a` in `s`, or `undefined` when `a` is not enabled in `s`. */
  nextState(s: S, a: A): S | undefined;

  /** A short name for the kind of action, used for coverage (e.g. `a.type`). */
  actionName(a: A): string;

  /** Every action kind the model can produce, so coverage can flag those never enabled. */
  readonly actionNames?: readonly string[];

  /** Human-readable rendering of one action; defaults to a generic rendering of the data. */
  formatAction?(a: A): string;

  /**
   * How to draw a path as a sequence chart (optional; the explorer uses it, the search never
   * does): one lane per component, and the events each transition causes between lanes. See
   * checker/view.ts.
   */
  readonly view?: ModelView<S, A>;

  /** Named state invariants, checked on every reachable state. */
  readonly invariants?: readonly Invariant<S>[];

  /** Named properties of a single transition (before, action, after). */
  readonly actionProperties?: readonly ActionProperty<S, A>[];

  /**
   * Named reachability (liveness) properties: from every reachable state, some `goal` state
   * must be reachable using only transitions whose action passes `via` (default: all), e.g.
   * protocol steps without new faults. Checked on the explored state graph (reverse
   * reachability) after an exhaustive BFS/DFS; states on the boundary count as able to
   * reach the goal, since what lies beyond them is unknown.
   */
  readonly reachability?: readonly ReachabilityProperty<S, A>[];

  /**
   * Temporal (liveness) properties over behaviours: `eventually`, `alwaysEventually` and
   * `leadsTo`, checked after an exhaustive BFS/DFS on the explored graph, under the model's
   * `fairness`. A behaviour may stutter: it may stay in a state forever, unless fairness
   * forbids it. A violation is a lasso: a path, then a cycle it repeats forever (see
   * checker/liveness/). States on the boundary count as able to satisfy the property.
   */
  readonly temporal?: readonly TemporalProperty<S>[];

  /**
   * Fairness of the behaviours `temporal` properties speak of, as in a TLA+ specification's
   * WF/SF conjuncts. Only steps that change the state count: a step from a state to itself
   * is stuttering, for fairness as in TLA+ (`WF_vars`, `SF_vars`).
   */
  readonly fairness?: readonly Fairness<A>[];

  /**
   * A state with no enabled action is a deadlock unless this returns true for it.
   * Omit it for models in which every terminal state is fine (`terminalOk: 'always'`).
   */
  isTerminalOk?(s: S): boolean;

  /** When `'always'`, terminal states are never reported as deadlocks. */
  readonly terminalOk?: 'always';

  /**
   * Symmetry (optional): a representative of the states that differ from `s` only by a
   * permutation of interchangeable components (e.g. sort the resource managers by their
   * local state). Equal for all states of a class, deterministic, and a state of the model.
   * The engine then keeps one state per class (see checker/symmetry.ts); every invariant
   * and action property must judge the states of a class alike.
   */
  canonical?(s: S): S;

  /**
   * A state constraint in the sense of TLC: states outside it are counted and checked
   * against invariants, but not explored further. A run cut by it says so in its result.
   */
  withinBoundary?(s: S): boolean;
}

/** A named predicate that must hold in every reachable state. */
export interface Invariant<S> {
  readonly name: string;
  holds(s: S): boolean;
  /** Optional: why the invariant fails in `s`, for the report. Called only on failure. */
  explain?(s: S): string;
}

/** A named predicate over one transition that must hold for every transition taken. */
export interface ActionProperty<S, A> {
  readonly name: string;
  holds(before: S, action: A, after: S): boolean;
  /** Optional: why the property fails for this transition. Called only on failure. */
  explain?(before: S, action: A, after: S): string;
}

/** From every reachable state a goal state can be reached (see `Model.reachability`). */
export interface ReachabilityProperty<S, A> {
  readonly name: string;
  goal(s: S): boolean;
  /** Which transitions may be used to get there (default: every transition). */
  via?(a: A): boolean;
  /** Optional: why a state cannot reach the goal, for the report. */
  explain?(s: S): string;
}

/**
 * A temporal property of every behaviour (an infinite path from an initial state, which may
 * end by staying in one state forever):
 * - `eventually`: some state of the behaviour satisfies `holds` (TLA+ `<>P`);
 * - `alwaysEventually`: states satisfying `holds` come again and again (`[]<>P`): the
 *   behaviour never settles where it fails;
 * - `leadsTo`: every state satisfying `from` is followed, then or later, by one satisfying
 *   `to` (`P ~> Q`).
 */
export type TemporalProperty<S> =
  | { readonly kind: 'eventually'; readonly name: string; holds(s: S): boolean }
  | { readonly kind: 'alwaysEventually'; readonly name: string; holds(s: S): boolean }
  | { readonly kind: 'leadsTo'; readonly name: string; from(s: S): boolean; to(s: S): boolean };

/**
 * A fairness condition on a set of actions: those whose `actionName` is listed in `actions`,
 * or those `includes` accepts (e.g. one process's steps).
 * - `weak` (TLA+ `WF`): an action of the set that stays enabled is eventually taken;
 * - `strong` (`SF`): an action of the set enabled again and again is eventually taken.
 * An action of the set is enabled in a state when one of them leads to another state.
 */
export type Fairness<A> = {
  readonly kind: 'weak' | 'strong';
  /** How reports name it, e.g. "WF(RManager(rm1))". */
  readonly name: string;
} & ({ readonly actions: readonly string[] } | { includes(a: A): boolean });

/** The name under which a deadlock is reported, as if it were a property. */
export const DEADLOCK = 'deadlock';

/** A model whose state and action types are not known statically (CLI, registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
