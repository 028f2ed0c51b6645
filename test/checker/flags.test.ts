import { describe, expect, it } from 'vitest';
import { isInputError } from '../../checker/errors.ts';
import { attachNegativeValues, parseFlags, parseParams } from '../../checker/flags.ts';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(isInputError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
};

const OPTIONS = { depth: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('flags', () => {
  it('a negative number after a flag that takes a value is that value, not a flag', () => {
    expect(attachNegativeValues(['--depth', '-1', '--json'], OPTIONS)).toEqual(['--depth=-1', '--json']);
    expect(attachNegativeValues(['--depth', '-.5'], OPTIONS)).toEqual(['--depth=-.5']);
    expect(parseFlags(['--depth', '-1'], OPTIONS).values.depth).toBe('-1');
    // Not after a boolean flag, not a word, not after '--'.
    expect(attachNegativeValues(['--json', '-1'], OPTIONS)).toEqual(['--json', '-1']);
    expect(attachNegativeValues(['--depth', '-x'], OPTIONS)).toEqual(['--depth', '-x']);
    expect(attachNegativeValues(['--', '--depth', '-1'], OPTIONS)).toEqual(['--', '--depth', '-1']);
  });

  it('an unknown flag is one line with its quotes balanced', () => {
    const withFiles = message(() => parseFlags(['--bogus'], OPTIONS, true));
    expect(withFiles).toBe("Unknown option '--bogus' (see --help; a file whose name starts with '-' goes after '--', as in: -- --bogus)");
    expect(withFiles.split("'").length % 2).toBe(1);
    expect(message(() => parseFlags(['--bogus'], OPTIONS))).toBe("Unknown option '--bogus' (see --help)");
  });

  it('--param: a key given twice is an error naming it; different keys are fine', () => {
    expect(parseParams(['a=1', 'b=2'])).toEqual({ a: '1', b: '2' });
    expect(message(() => parseParams(['N=3', 'M=1', 'N=4']))).toBe('--param N is given twice (N=3 and N=4): give each key once');
  });
});
