/**
 * Strict checking (`--strict`, `CheckOptions.strict`): the search checks, as it goes, two
 * parts of the model contract (checker/model.ts) that it otherwise trusts.
 *
 * - Determinism. Before a state is expanded, `actions` and `nextState` (for each action) are
 *   computed again on copies of the state built afresh: one as it is, one with its Sets and
 *   Maps in the canonical order of checker/structural.ts. Each copy is equal to the state as
 *   a value; the lists of actions and each successor must have the same fingerprints as the
 *   state's own. A difference is a ModelContractError naming the state and the action, at
 *   the first state where it shows, instead of a replay that fails at the end (or passes,
 *   when the search happened to keep the object it met first).
 * - Sets and Maps holding members (keys) equal as values: every new state is searched for
 *   them. The engine tells such states apart, so copies nobody meant inflate the count; a
 *   warning, once per kind (Set, Map), says where it was seen first.
 */
import { ModelContractError } from './errors.ts';
import { fingerprint } from './fingerprint.ts';
import { diffStates, formatActionData, formatChange, formatState, formatValue } from './format.ts';
import type { Model } from './model.ts';
import type { PathIndices } from './result.ts';
import { compareValues } from './structural.ts';

/** What a search asks of strict checking. */
export interface StrictChecks<S, A> {
  /** Before state `id` is expanded: throws ModelContractError when `actions` or `nextState` is not deterministic there. */
  expansion(s: S, id: number, candidates: readonly A[]): void;
  /** A new state, `id`: looks for Sets and Maps holding members equal as values. */
  newState(s: S, id: number): void;
  /** The warnings so far, one per kind. */
  warnings(): string[];
}

/**
 * A copy of `v` made of new objects, equal to it as a value; with `canonical`, its Sets and
 * Maps in the canonical order, and `reordered.set` true when that moved anything.
 */
const copyOf = (v: unknown, canonical: boolean, reordered: { set: boolean }): unknown => {
  if (v === null || typeof v !== 'object') return v;
  let out: object;
  if (Array.isArray(v)) out = v.map((x) => copyOf(x, canonical, reordered));
  else if (v instanceof Set) {
    const members = [...v].map((x) => copyOf(x, canonical, reordered));
    if (canonical) sortNoting(members, compareValues, reordered);
    out = new Set(members);
  } else if (v instanceof Map) {
    const entries = [...v].map(([k, x]): [unknown, unknown] => [copyOf(k, canonical, reordered), copyOf(x, canonical, reordered)]);
    if (canonical) sortNoting(entries, (p, q) => compareValues(p[0], q[0]), reordered);
    out = new Map(entries);
  } else {
    const o: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
    for (const k of Object.keys(v)) o[k] = copyOf((v as Record<string, unknown>)[k], canonical, reordered);
    out = o;
  }
  return Object.isFrozen(v) ? Object.freeze(out) : out;
};

/** Sorts `items` in place; notes in `reordered` when that changed their order. */
const sortNoting = <T>(items: T[], order: (a: T, b: T) => number, reordered: { set: boolean }): void => {
  for (let i = 1; i < items.length; i++) {
    if (order(items[i - 1]!, items[i]!) > 0) {
      items.sort(order);
      reordered.set = true;
      return;
    }
  }
};

/** Two values equal by fingerprint (actions that are not plain data: by their rendering). */
const sameValue = (a: unknown, b: unknown, render: (x: unknown) => string): boolean => {
  try {
    const fa = fingerprint(a);
    const fb = fingerprint(b);
    return fa.hi === fb.hi && fa.lo === fb.lo;
  } catch {
    return render(a) === render(b);
  }
};

/** The first of `items` that another equals as a value (objects only: a Set keeps one of each primitive). */
const firstDuplicate = (items: readonly unknown[]): unknown => {
  const objects = items.filter((x) => x !== null && typeof x === 'object');
  if (objects.length < 2) return undefined;
  objects.sort(compareValues);
  for (let i = 1; i < objects.length; i++) if (compareValues(objects[i - 1], objects[i]) === 0) return objects[i];
  return undefined;
};

const where = (path: string): string => (path === '' ? 'the state' : path);

/** Strict checks for a search of `model`; `pathOf(id)` gives the path the search recorded to state `id`. */
export const strictChecks = <S, A>(model: Model<S, A>, pathOf: (id: number) => PathIndices): StrictChecks<S, A> => {
  const render = (a: unknown): string => (model.formatAction ? model.formatAction(a as A) : formatActionData(a));
  const warned = new Map<'set' | 'map', string>();

  /** Where the search met state `id`, and the state, for a message. */
  const place = (id: number): string => {
    const p = pathOf(id);
    return p.actions.length === 0 ? `initial state ${p.init}` : `reached from initial state ${p.init} by action indices ${p.actions.join(', ')}`;
  };
  const stateLines = (s: S): string => formatState(s).map((l) => `\n    ${l}`).join('');

  /** Compares the state's actions and successors with those of `copy`; the difference, in words, or undefined. */
  const difference = (s: S, candidates: readonly A[], copy: S, other: string): string | undefined => {
    const again = model.actions(copy);
    if (again.length !== candidates.length) {
      return `actions(s) lists ${candidates.length} candidate action(s) for the state, ${again.length} for ${other}`;
    }
    for (let i = 0; i < candidates.length; i++) {
      if (!sameValue(candidates[i], again[i], render)) {
        return `actions(s) lists ${render(candidates[i])} at index ${i} for the state, ${render(again[i])} for ${other}`;
      }
    }
    for (let i = 0; i < candidates.length; i++) {
      const a = candidates[i] as A;
      const t = model.nextState(s, a);
      const u = model.nextState(copy, again[i] as A);
      if ((t === undefined) !== (u === undefined)) {
        const [x, y] = t === undefined ? ['disabled', 'enabled'] : ['enabled', 'disabled'];
        return `action ${render(a)} (index ${i}) is ${x} in the state, ${y} in ${other}`;
      }
      if (t !== undefined && !sameValue(t, u, render)) {
        const change = diffStates(t, u)[0];
        return `nextState(s, ${render(a)}) (index ${i}) gives another state for ${other}` +
          (change ? ` (first difference, the state's successor → the copy's: ${formatChange(change)})` : '');
      }
    }
    return undefined;
  };

  const expansion = (s: S, id: number, candidates: readonly A[]): void => {
    const reordered = { set: false };
    const same = difference(s, candidates, copyOf(s, false, reordered) as S, 'an equal copy of it');
    if (same !== undefined) {
      throw new ModelContractError(
        `the model is not deterministic at state #${id} (${place(id)}): ${same}. ` +
          `actions and nextState must depend on the state's value alone, not on object identity, randomness ` +
          `or anything kept outside the state.\n  state #${id}:${stateLines(s)}`,
      );
    }
    const canonical = copyOf(s, true, reordered) as S;
    if (!reordered.set) return;
    const order = difference(s, candidates, canonical, 'an equal copy of it with its Sets and Maps in canonical order');
    if (order !== undefined) {
      throw new ModelContractError(
        `the model is not deterministic at state #${id} (${place(id)}): ${order}. ` +
          `actions or nextState depend on the order of a Set or Map, which equal states may hold in other orders ` +
          `(insertion order): build it with setOf/setAdd or mapOf/mapSet (checker/structural.ts), or list the actions ` +
          `in an order of their values.\n  state #${id}:${stateLines(s)}`,
      );
    }
  };

  const scan = (v: unknown, path: string, id: number): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) scan(v[i], `${path}[${i}]`, id);
    } else if (v instanceof Set) {
      if (!warned.has('set')) {
        const dup = firstDuplicate([...v]);
        if (dup !== undefined) {
          warned.set(
            'set',
            `${where(path)} is a Set holding members equal as values (${formatValue(dup)} more than once), first in state #${id}: ` +
              `a Set compares objects by identity while the engine identifies states by value, so it counts such states apart; ` +
              `build the Set with setOf/setAdd/setUnion (checker/structural.ts)`,
          );
        }
      }
      for (const m of v) scan(m, `${path}{}`, id);
    } else if (v instanceof Map) {
      if (!warned.has('map')) {
        const dup = firstDuplicate([...v.keys()]);
        if (dup !== undefined) {
          warned.set(
            'map',
            `${where(path)} is a Map with keys equal as values (${formatValue(dup)} more than once), first in state #${id}: ` +
              `a Map compares keys by identity while the engine identifies states by value, so it counts such states apart; ` +
              `build the Map with mapOf/mapSet (checker/structural.ts)`,
          );
        }
      }
      for (const [k, x] of v) {
        scan(k, `${path}{}`, id);
        scan(x, `${path}.get(${formatValue(k)})`, id);
      }
    } else {
      for (const k of Object.keys(v)) scan((v as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`, id);
    }
  };

  return {
    expansion,
    newState: (s, id) => {
      if (warned.size < 2) scan(s, '', id);
    },
    warnings: () => [...warned.values()],
  };
};
