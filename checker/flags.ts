/**
 * Flag parsing shared by every command (check, validate, vectors, conform): strict, and
 * every problem an InputError naming the flag.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';
import { InputError, isInputError } from './errors.ts';

/**
 * `--flag -1` as `--flag=-1`: a value that reads as a negative number, after a flag that
 * takes a value, is that value (parseArgs would call it an ambiguous flag), so the flag's
 * own check can say what is wrong with it.
 */
export const attachNegativeValues = (argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a === '--') return [...out, ...argv.slice(i)];
    if (/^--[^=]+$/.test(a) && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
};

/** parseArgs's message for a flag it does not know, in one line. */
const unknownOptionMessage = (e: Error & { code?: string }, allowPositionals: boolean): string | undefined => {
  const flag = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']*)'/.exec(e.message)?.[1] : undefined;
  if (flag === undefined) return undefined;
  const asFile = allowPositionals ? `; a file whose name starts with '-' goes after '--', as in: -- ${flag}` : '';
  return `Unknown option '${flag}' (see --help${asFile})`;
};

/** A command's entry point: its flags, and where its result and its messages go; resolves to the exit code. */
export type CommandMain = (argv: readonly string[], out?: NodeJS.WritableStream, err?: NodeJS.WritableStream) => Promise<number>;

/** Parses `argv` strictly against `options`; an unknown or malformed flag is an InputError. */
export const parseFlags = <O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) => {
  try {
    return parseArgs({ args: attachNegativeValues(argv, options), options, strict: true, allowPositionals });
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new InputError(unknownOptionMessage(err, allowPositionals) ?? `${err.message.split('\n')[0]} (see --help)`);
  }
};

/** `--param key=value` values as a record; a malformed one, or a key given twice, is an InputError. */
export const parseParams = (list: readonly string[] | undefined): Record<string, string> => {
  const params: Record<string, string> = {};
  for (const p of list ?? []) {
    const m = /^([A-Za-z_][\w.-]*)=(.*)$/.exec(p);
    if (!m) throw new InputError(`--param must look like key=value, got "${p}"`);
    const [, key, value] = m as unknown as [string, string, string];
    if (Object.hasOwn(params, key)) {
      throw new InputError(`--param ${key} is given twice (${key}=${params[key]} and ${key}=${value}): give each key once`);
    }
    params[key] = value;
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
