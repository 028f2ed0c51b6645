/**
 * Flag parsing shared by every command (check, validate, vectors, conform): strict, and
 * every problem an InputError naming the flag.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';
import { InputError, isInputError } from './errors.ts';

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

/**
 * The exit code for an error that ended a command: 2 with a one-line message for bad
 * input, 4 with the stack for anything else (an internal error).
 */
export const failureExitCode = (command: string, e: unknown, err: NodeJS.WritableStream): number => {
  if (isInputError(e)) {
    err.write(`${command}: ${e.message}\n`);
    return 2;
  }
  err.write(`${command}: internal error: ${(e as Error).stack ?? String(e)}\n`);
  return 4;
};

/** Runs `main` with the process's arguments when `moduleUrl` is the script node was started with. */
export const runIfMain = (moduleUrl: string, main: (argv: readonly string[]) => Promise<number>): void => {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.exitCode = failureExitCode('shuttlecheck', e, process.stderr);
    },
  );
};
