/**
 * TwoPhase as a model module for the CLI, as a user would write one:
 *   npm run check -- --model test/examples/twoPhaseModule.ts --param N=4
 * (`--param bug=commit-early` plants the bug: the TM commits before every RM prepared;
 * `--param symmetry=on` declares the RMs interchangeable).
 */
import { InputError } from '../../checker/errors.ts';
import { twoPhase } from './twoPhase.ts';

export default (params: Readonly<Record<string, string>>) => {
  const { N = '3', bug, symmetry, ...unknown } = params;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InputError(`unknown parameter "${extra[0]}"; TwoPhase takes N, bug and symmetry`);
  if (symmetry !== undefined && symmetry !== 'on') throw new InputError(`symmetry must be on, got "${symmetry}"`);
  if (bug !== undefined && bug !== 'commit-early') throw new InputError(`bug must be commit-early, got "${bug}"`);
  const n = Number(N);
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new InputError(`N must be an integer from 1 to 12, got "${N}"`);
  return twoPhase(n, { plantCommitEarly: bug === 'commit-early', symmetry: symmetry === 'on' });
};
