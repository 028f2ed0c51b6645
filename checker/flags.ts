/**
 * Flag parsing shared by every command (check, validate, vectors, conform): strict, and
 * every problem an InputError naming the flag.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

/** Parses `argv` strictly against `options`; an unknown or malformed flag is an InputError. */
export const parseFlags = <O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) => {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (e) {
    throw new InputError(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
};

/** `--param key=value` values as a record; a malformed one is an InputError. */
export const parseParams = (list: readonly string[] | undefined): Record<string, string> => {
  const params: Record<string, string> = {};
  for (const p of list ?? []) {
    const m = /^([A-Za-z_][\w.-]*)=(.*)$/.exec(p);
    if (!m) throw new InputError(`--param must look like key=value, got "${p}"`);
    params[m[1]!] = m[2]!;
  }
  return params;
};
