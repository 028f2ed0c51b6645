import type { Model } from '../../checker/model.ts';

type S = { readonly n: number };
type A = { readonly type: 'Inc' } | { readonly type: 'Reset' };

const model: Model<S, A> = {
  name: 'counter',
  initStates: () => [{ n: 0 }],
  actions: () => [{ type: 'Inc' }, { type: 'Reset' }],
  nextState: (s, a) => (a.type === 'Inc' ? (s.n < 5 ? { n: s.n + 1 } : undefined) : { n: 0 }),
  actionName: (a) => a.type,
  invariants: [{ name: 'below five', holds: (s) => s.n < 5, explain: (s) => `n = ${s.n}` }],
};
export default model;
