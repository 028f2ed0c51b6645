/**
 * The smallest trap of a Set of objects, as a model module (`--param sets=plain|structural`).
 * In TLA+, `Init == msgs = {}` and `Next == msgs' = msgs \cup {[type |-> "Commit"]}` have 2
 * distinct states.
 * - `sets=structural` (the default) builds msgs with setAdd (checker/structural.ts): 2 states,
 *   as TLC finds.
 * - `sets=plain` builds it with `new Set([...msgs, { type: 'Commit' }])`: a Set keeps each new
 *   `{type: 'Commit'}` beside the equal ones already there (it compares objects by identity),
 *   so every step is a new state: 50 of them up to the model's bound of 49 members, and
 *   nothing says why unless the search is --strict.
 */
import { InputError } from '../../checker/errors.ts';
import type { Model } from '../../checker/model.ts';
import { setAdd } from '../../checker/structural.ts';

type Msg = { readonly type: 'Commit' };
export type MsgsState = { readonly msgs: ReadonlySet<Msg> };

/** The model, with msgs built by `add`. */
const commitMsgs = (name: string, add: (msgs: ReadonlySet<Msg>, m: Msg) => ReadonlySet<Msg>): Model<MsgsState, 'SendCommit'> => ({
  name,
  initStates: () => [{ msgs: new Set() }],
  actions: () => ['SendCommit'],
  nextState: (s) => ({ msgs: add(s.msgs, { type: 'Commit' }) }),
  actionName: (a) => a,
  terminalOk: 'always',
  withinBoundary: (s) => s.msgs.size < 49,
});

/** msgs as a structural set: 2 states. */
export const structuralMsgs = (): Model<MsgsState, 'SendCommit'> => commitMsgs('commit-msgs', (msgs, m) => setAdd(msgs, m));

/** msgs as a plain Set of objects: a new state every step, up to the bound (50 states). */
export const plainMsgs = (): Model<MsgsState, 'SendCommit'> => commitMsgs('commit-msgs-plain', (msgs, m) => new Set([...msgs, m]));

export default (params: Readonly<Record<string, string>>) => {
  const { sets = 'structural', ...rest } = params;
  if (Object.keys(rest).length > 0) throw new InputError(`unknown parameter "${Object.keys(rest)[0]}"; this model takes sets`);
  if (sets === 'plain') return plainMsgs();
  if (sets === 'structural') return structuralMsgs();
  throw new InputError(`sets must be plain or structural, got "${sets}"`);
};
