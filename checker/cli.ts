/**
 * `npm run check -- [options]` / `shuttlecheck [options]`: checks a model and reports.
 * See USAGE in args.ts for the flags and exit codes.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toItfTrace, stringifyItfTrace } from './itf.ts';
import { toItfValue } from './itfValue.ts';
import { parseCliArgs, USAGE, type CliArgs } from './args.ts';
import { autoWorkers, checkSpec } from './check.ts';
import { choicesOf, formatChoices } from './choices.ts';
import { prepareCheckpointDir } from './parallel/checkpoint.ts';
import { InputError, isInputError, isModelContractError } from './errors.ts';
import { prepareOutputDir, writeOutputFiles, type OutputDir } from './outputDir.ts';
import { defaultSystemPath, loadModel, loadProvider } from './loadModel.ts';
import type { AnyModel } from './model.ts';
import { progressReporter } from './progressLine.ts';
import { formatCounterexample, formatSummary, jsonSummary } from './report.ts';
import type { CheckResult, Counterexample } from './result.ts';

/** Exit codes. */
export const EXIT = { ok: 0, violation: 1, badInput: 2, incomplete: 3, internal: 4, interrupted: 130 } as const;

/** Signals closer together than this are one Ctrl-C delivered twice. */
const SAME_INTERRUPT_MS = 1000;

const asVars = (s: unknown): Record<string, unknown> =>
  s !== null && typeof s === 'object' && !Array.isArray(s) && !(s instanceof Map) && !(s instanceof Set)
    ? (s as Record<string, unknown>)
    : { state: s };

/** The counterexample as an ITF trace, the action under `mbt::actionTaken`. */
export const counterexampleItf = (model: AnyModel, cx: Counterexample<unknown, unknown>, source: string): string =>
  stringifyItfTrace(
    toItfTrace({
      states: cx.steps.map((s) => asVars(s.state)),
      actions: cx.steps.map((s, i) => (i === 0 ? 'init' : model.actionName(s.action))),
      nondetPicks: cx.steps.map((s) => {
        const a = s.action as unknown;
        if (a === null || typeof a !== 'object' || Array.isArray(a)) return a === undefined ? {} : { action: a };
        const { type: _type, ...rest } = a as Record<string, unknown>;
        return rest;
      }),
      meta: {
        source: `shuttlecheck ${source}`,
        model: model.name,
        property: cx.property,
        kind: cx.kind,
        ...(cx.explanation ? { explanation: cx.explanation } : {}),
        path: [cx.path.init, ...cx.path.actions],
      },
      ...(cx.loop !== undefined ? { loop: cx.loop } : {}),
    }),
  );

/** What `--out DIR` receives: summary.json, and counterexample.itf.json when there is one. */
const OUT_FILES: readonly string[] = ['summary.json', 'counterexample.itf.json'];

/**
 * Checks every directory the search writes into, before the model is loaded and the search
 * runs (checker/outputDir.ts); the `--out` directory, undefined without --out.
 */
const prepareDirs = (args: CliArgs): OutputDir | undefined => {
  if (args.out !== undefined && args.checkpoint !== undefined && resolve(args.out) === resolve(args.checkpoint)) {
    throw new InputError(`--out ${args.out}: the same directory as --checkpoint; give each its own`);
  }
  if (args.checkpoint !== undefined) prepareCheckpointDir(args.checkpoint, args.force);
  if (args.out === undefined) return undefined;
  return prepareOutputDir(args.out, { flag: '--out', writer: 'shuttlecheck check', force: args.force, writes: (n) => OUT_FILES.includes(n) });
};

const outFiles = (model: AnyModel, result: CheckResult, source: string): Map<string, string> => {
  const files = new Map([[OUT_FILES[0]!, `${JSON.stringify(jsonSummary(model, result, toItfValue, { source }), null, 2)}\n`]]);
  if (result.counterexample) files.set(OUT_FILES[1]!, counterexampleItf(model, result.counterexample, source));
  return files;
};

const exitCodeOf = (r: CheckResult): number =>
  r.verdict === 'ok'
    ? EXIT.ok
    : r.verdict === 'violation'
      ? EXIT.violation
      : r.cutBy === 'interrupted'
        ? EXIT.interrupted
        : EXIT.incomplete;

/** `--list`: the system's (or --model provider's) presets and mutants, as text or JSON. */
const listChoices = async (args: CliArgs): Promise<string> => {
  const provider = await loadProvider(args.model ?? args.system ?? defaultSystemPath(), args.model ? '--model' : '--system');
  const choices = choicesOf(provider);
  return args.json ? JSON.stringify(choices) : formatChoices(choices);
};

/** Runs the CLI; resolves to the exit code. Output goes to the given streams. */
export const main = async (
  argv: readonly string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> => {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (args.list) {
      io.stdout.write(`${await listChoices(args)}\n`);
      return EXIT.ok;
    }
  } catch (e) {
    if (isInputError(e)) {
      io.stderr.write(`shuttlecheck: ${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }

  try {
    const out = prepareDirs(args);
    const loaded = await loadModel(args);
    const { model, source } = loaded;
    // What is being checked, before the search (which may take long, or fail).
    if (!args.json) io.stdout.write(`Checking ${source}\n`);
    const controller = new AbortController();
    // One Ctrl-C can arrive twice: from the terminal (to the whole process group) and again
    // from a wrapper that relays it (npx, tsx). A second SIGINT within a second is the same
    // key press; a later one means "quit now".
    let firstInterrupt: number | undefined;
    const onSigint = (): void => {
      const now = performance.now();
      if (firstInterrupt !== undefined) {
        if (now - firstInterrupt > SAME_INTERRUPT_MS) process.exit(EXIT.interrupted);
        return;
      }
      firstInterrupt = now;
      io.stderr.write('\nshuttlecheck: interrupted; finishing with partial statistics (Ctrl-C again to quit now)\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    const progress = args.quiet ? undefined : progressReporter(io.stderr, args.progressEvery);
    let result: CheckResult;
    try {
      result = await checkSpec(args, {
        strategy: args.strategy,
        workers: args.workers ?? autoWorkers(),
        ...(args.workers === undefined ? { workersAuto: true } : {}),
        ...(args.noSymmetry ? { symmetry: false } : {}),
        ...(args.noTemporal ? { temporal: false } : {}),
        ...(args.strict ? { strict: true } : {}),
        ...(args.maxMemory !== undefined ? { maxMemoryBytes: args.maxMemory } : {}),
        ...(args.checkpoint !== undefined ? { checkpointDir: args.checkpoint } : {}),
        ...(args.checkpointEvery !== undefined ? { checkpointEveryMs: args.checkpointEvery * 1000 } : {}),
        ...(args.resume !== undefined ? { resumeDir: args.resume } : {}),
        ...(args.maxDepth !== undefined ? { maxDepth: args.maxDepth } : {}),
        ...(args.maxStates !== undefined ? { maxStates: args.maxStates } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.runs !== undefined ? { runs: args.runs } : {}),
        signal: controller.signal,
        ...(progress ? { onProgress: progress.onProgress, progressEveryMs: progress.everyMs } : {}),
      }, loaded);
    } finally {
      progress?.done();
      process.off('SIGINT', onSigint);
    }

    if (result.oneThreadBecause && !args.quiet) io.stderr.write(`shuttlecheck: searched on one thread: ${result.oneThreadBecause}\n`);
    for (const w of result.warnings ?? []) io.stderr.write(`shuttlecheck: warning: ${w}\n`);
    // A failure to write --out is reported after the verdict, which is printed in any case.
    const { written, error: writeError } = out ? writeOutputFiles(out, outFiles(model, result, source)) : { written: [] };

    if (args.json) {
      io.stdout.write(`${JSON.stringify(jsonSummary(model, result, toItfValue, { source, written }))}\n`);
    } else {
      io.stdout.write(`${formatSummary(result)}\n`);
      if (result.counterexample) io.stdout.write(`\n${formatCounterexample(model, result.counterexample)}\n`);
      for (const w of written) io.stdout.write(`wrote ${w}\n`);
    }
    if (writeError) {
      io.stderr.write(`shuttlecheck: ${writeError.message}\n`);
      return EXIT.badInput;
    }
    return exitCodeOf(result);
  } catch (e) {
    if (isInputError(e)) {
      io.stderr.write(`shuttlecheck: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (isModelContractError(e)) {
      // The model's fault, found by --strict: the message names the state and the action; no stack.
      io.stderr.write(`shuttlecheck: ${e.message}\n`);
      return EXIT.internal;
    }
    io.stderr.write(`shuttlecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`shuttlecheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
