/**
 * The textbook models as a ModelProvider (presets and a mutant), as a user's own system
 * would be: npm run check -- --model test/examples/textbook.ts --preset twoPhase3
 */
import { InputError } from '../../checker/errors.ts';
import type { ModelProvider } from '../../checker/provider.ts';
import { dieHard } from './dieHard.ts';
import { twoPhase } from './twoPhase.ts';

const provider: ModelProvider = {
  name: 'textbook',
  presets: ['twoPhase3', 'dieHardFree'],
  defaultPreset: 'twoPhase3',
  mutants: ['commit-early'],
  describePreset: (p) => (p === 'twoPhase3' ? 'two-phase commit, 3 resource managers' : 'DieHard without the puzzle invariant'),
  fromPreset: (name, { mutant }) => {
    if (name === 'twoPhase3') return twoPhase(3, { plantCommitEarly: mutant === 'commit-early' });
    if (mutant !== undefined) throw new InputError(`mutant ${mutant} does not apply to ${name}`);
    return dieHard(false);
  },
  fromConfig: (json, source) => {
    const n = (json as { n?: unknown } | null)?.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InputError(`${source}: "n" must be an integer >= 1`);
    return twoPhase(n);
  },
};
export default provider;
