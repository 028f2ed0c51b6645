/**
 * TwoPhase as a model module for the CLI, as a user would write one:
 *   npm run check -- --model test/examples/twoPhaseModule.ts --param N=4
 * (`--param bug=commit-early` plants the bug: the TM commits before every RM prepared).
 */
import { InputError } from '../../checker/errors.ts';
import { twoPhase } from './twoPhase.ts';

export default (params: Readonly<Record<string, string>>) => {
  const { N = '3', bug, ...unknown } = params;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InputError(`unknown parameter "${extra[0]}"; TwoPhase takes N and bug`);
  if (bug !== undefined && bug !== 'commit-early') throw new InputError(`bug must be commit-early, got "${bug}"`);
  const n = Number(N);
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new InputError(`N must be an integer from 1 to 12, got "${N}"`);
  return twoPhase(n, { plantCommitEarly: bug === 'commit-early' });
};
