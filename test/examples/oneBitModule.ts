/**
 * The one-bit mutual exclusion algorithm as a model module for the CLI:
 *   npm run check -- --model test/examples/oneBitModule.ts [--param fair=off]
 */
import { InputError } from '../../checker/errors.ts';
import { oneBit } from './oneBit.ts';

export default (params: Readonly<Record<string, string>>) => {
  const { fair = 'on', ...unknown } = params;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InputError(`unknown parameter "${extra[0]}"; OneBit2Procs takes fair`);
  if (fair !== 'on' && fair !== 'off') throw new InputError(`fair must be on or off, got "${fair}"`);
  return oneBit({ fair: fair === 'on' });
};
