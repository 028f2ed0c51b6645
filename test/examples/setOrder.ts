/**
 * A model whose `actions` follow a Set's iteration order, as a model module
 * (`--param sets=plain|structural`). Three tokens c, b, a are taken (in that order of the
 * actions) and dropped; a Drop action is listed for each held token, in the order the Set
 * iterates them.
 * - `sets=plain` adds to a plain Set: taking c then b gives Set{c, b}, taking b then c gives
 *   Set{b, c}, equal states whose Drop actions come in other orders. The contract is broken
 *   at the first state expanded with its tokens out of canonical order: {c, b}, the fifth
 *   state in breadth-first order (#4, reached by action indices 0, 0).
 * - `sets=structural` (the default) keeps the Set in canonical order (setAdd/setRemove): the
 *   same 8 states, and the contract holds.
 */
import { InputError } from '../../checker/errors.ts';
import type { Model } from '../../checker/model.ts';
import { setAdd, setHas, setRemove } from '../../checker/structural.ts';

type Token = 'a' | 'b' | 'c';
export type HeldState = { readonly held: ReadonlySet<Token> };
export type TokenAction = { readonly type: 'Take' | 'Drop'; readonly x: Token };

const TOKENS: readonly Token[] = ['c', 'b', 'a'];

const tokens = (
  name: string,
  add: (s: ReadonlySet<Token>, x: Token) => ReadonlySet<Token>,
  remove: (s: ReadonlySet<Token>, x: Token) => ReadonlySet<Token>,
): Model<HeldState, TokenAction> => ({
  name,
  initStates: () => [{ held: new Set() }],
  actions: (s) => [
    ...TOKENS.filter((x) => !setHas(s.held, x)).map((x): TokenAction => ({ type: 'Take', x })),
    ...[...s.held].map((x): TokenAction => ({ type: 'Drop', x })),
  ],
  nextState: (s, a) => ({ held: a.type === 'Take' ? add(s.held, a.x) : remove(s.held, a.x) }),
  actionName: (a) => a.type,
  terminalOk: 'always',
});

/** Tokens held in a plain Set, in insertion order. */
export const plainTokens = (): Model<HeldState, TokenAction> =>
  tokens('set-order-plain', (s, x) => new Set([...s, x]), (s, x) => new Set([...s].filter((y) => y !== x)));

/** Tokens held in a structural set, in canonical order. */
export const structuralTokens = (): Model<HeldState, TokenAction> => tokens('set-order', setAdd, setRemove);

export default (params: Readonly<Record<string, string>>) => {
  const { sets = 'structural', ...rest } = params;
  if (Object.keys(rest).length > 0) throw new InputError(`unknown parameter "${Object.keys(rest)[0]}"; this model takes sets`);
  if (sets === 'plain') return plainTokens();
  if (sets === 'structural') return structuralTokens();
  throw new InputError(`sets must be plain or structural, got "${sets}"`);
};
