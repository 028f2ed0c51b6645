/**
 * A model whose size is chosen by its parameters, for scale runs of the engine: K counters,
 * each counting from 0 to M-1 by steps of its own (M^K states, K successors at most).
 *   npm run check -- --model test/examples/grid.ts --param K=4 --param M=100   (10^8 states)
 */
import { InputError } from '../../checker/errors.ts';
import type { Model } from '../../checker/model.ts';

type GridState = readonly number[];
type GridAction = number;

export const grid = (k: number, m: number): Model<GridState, GridAction> => {
  const counters = Array.from({ length: k }, (_, i) => i);
  return {
    name: `Grid(K=${k}, M=${m})`,
    initStates: () => [counters.map(() => 0)],
    actions: () => counters,
    nextState: (s, i) => {
      if (s[i]! >= m - 1) return undefined;
      const t = s.slice();
      t[i] = s[i]! + 1;
      return t;
    },
    actionName: () => 'Inc',
    terminalOk: 'always',
    invariants: [{ name: 'in range', holds: (s) => s.every((c) => c >= 0 && c < m) }],
  };
};

export default (params: Readonly<Record<string, string>>) => {
  const { K = '2', M = '10', ...unknown } = params;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InputError(`unknown parameter "${extra[0]}"; Grid takes K and M`);
  const k = Number(K);
  const m = Number(M);
  if (!Number.isInteger(k) || k < 1 || k > 16) throw new InputError(`K must be an integer from 1 to 16, got "${K}"`);
  if (!Number.isInteger(m) || m < 1 || m > 1e6) throw new InputError(`M must be an integer from 1 to 10^6, got "${M}"`);
  return grid(k, m);
};
