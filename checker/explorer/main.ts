/**
 * `npm run explore -- [--preset NAME | --config FILE | --model FILE] [--mutant NAME]
 * [--param K=V ...] [--trace FILE] [--port N]`: the explorer, a page served on 127.0.0.1
 * for any model. Prints the URL on one line; Ctrl-C stops it.
 */
import { InputError } from '../errors.ts';
import { type CommandMain, failureExitCode, parseFlags, parseParams, runIfMain } from '../flags.ts';
import type { ModelSpec } from '../loadModel.ts';
import { loadAssets } from './assets.ts';
import { loadChoice, type ModelChoice } from './modelChoice.ts';
import { createRunner } from './runner.ts';
import { type Explorer, startExplorer, type TraceInfo } from './server.ts';
import { choiceForTrace, readTrace, traceInfo } from './trace.ts';

export const EXPLORE_USAGE = `Usage: npm run explore -- [options]

  --preset NAME | --config FILE | --model FILE   the model (as for npm run check)
  --param KEY=VALUE      a model parameter (repeatable)
  --mutant NAME          a deliberately broken variant of the protocol
  --trace FILE           open an ITF trace (a counterexample, a vector, an
                         implementation's log); without a model flag, the trace's
                         #meta names the model
  --port N               listen on this port (default: a free one)

Serves the explorer on http://127.0.0.1:PORT/ (this machine only) and prints
its address. Ctrl-C stops it. Exit 2 for bad input.`;

export interface ExploreArgs {
  readonly spec: ModelSpec;
  readonly trace?: string;
  readonly port: number;
  readonly help: boolean;
}

export const parseExploreArgs = (argv: readonly string[]): ExploreArgs => {
  const { values: v } = parseFlags(argv, {
    preset: { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    system: { type: 'string' },
    param: { type: 'string', multiple: true },
    mutant: { type: 'string' },
    trace: { type: 'string' },
    port: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.preset !== undefined && v.config !== undefined) throw new InputError('--preset and --config cannot be used together: choose one');
  if (v.port !== undefined && !(/^\d{1,5}$/.test(v.port) && Number(v.port) >= 1 && Number(v.port) <= 65535)) {
    throw new InputError(`--port: expected a port number from 1 to 65535, got ${v.port === '' ? 'nothing' : v.port}`);
  }
  return {
    spec: {
      params: parseParams(v.param),
      ...(v.preset !== undefined ? { preset: v.preset } : {}),
      ...(v.config !== undefined ? { config: v.config } : {}),
      ...(v.model !== undefined ? { model: v.model } : {}),
      ...(v.system !== undefined ? { system: v.system } : {}),
      ...(v.mutant !== undefined ? { mutant: v.mutant } : {}),
    },
    ...(v.trace !== undefined ? { trace: v.trace } : {}),
    port: v.port === undefined ? 0 : Number(v.port),
    help: v.help ?? false,
  };
};

/** Loads the model (and trace) and starts the server; InputError for bad input. */
export const openExplorer = async (args: ExploreArgs): Promise<Explorer> => {
  const trace = args.trace !== undefined ? readTrace(args.trace) : undefined;
  const choice: ModelChoice = trace ? choiceForTrace(trace, args.trace!, args.spec) : { spec: args.spec };
  const { model, source } = await loadChoice(choice);
  const info: TraceInfo | undefined = trace ? traceInfo(model, trace, args.trace!) : undefined;
  const runner = createRunner(choice);
  try {
    return await startExplorer({ model, source, runner, assets: loadAssets(), ...(info ? { trace: info } : {}) }, args.port);
  } catch (e) {
    await runner.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new InputError(`--port ${args.port}: cannot listen there (${code === 'EADDRINUSE' ? 'in use' : 'not allowed'})`);
    }
    throw e;
  }
};

export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  let explorer: Explorer;
  try {
    const args = parseExploreArgs(argv);
    if (args.help) {
      out.write(`${EXPLORE_USAGE}\n`);
      return 0;
    }
    explorer = await openExplorer(args);
  } catch (e) {
    return failureExitCode('explore', e, err);
  }
  out.write(`Explorer: ${explorer.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await explorer.close();
  err.write('explore: stopped\n');
  return 0;
};

runIfMain(import.meta.url, (argv) => main(argv));
