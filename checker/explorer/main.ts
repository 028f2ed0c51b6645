/**
 * `npm run explore -- [--preset NAME | --config FILE | --model FILE] [--mutant NAME]
 * [--param K=V ...] [--trace FILE] [--port N]`: the explorer, a page served on 127.0.0.1
 * for any model. Prints the URL on one line; Ctrl-C stops it.
 */
import { InputError } from '../errors.ts';
import { type CommandMain, failureExitCode, parseFlags, parseParams, runIfMain } from '../flags.ts';
import type { ModelSpec } from '../loadModel.ts';
import { checkSpec } from '../check.ts';
import { loadAssets } from './assets.ts';
import { prepareHtmlFile, writeHtmlFile } from './htmlFile.ts';
import { offlineData, offlineHtml } from './offline.ts';
import type { RunStatus } from './runner.ts';
import { parsePath } from './session.ts';
import { loadChoice, type ModelChoice } from './modelChoice.ts';
import { createRunner } from './runner.ts';
import { runSummary } from './runSummary.ts';
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
  --html FILE            no server: write one self-contained HTML file of the
                         trace, or else of the shortest counterexample the check
                         finds (FILE must be new or an earlier export)

Serves the explorer on http://127.0.0.1:PORT/ (this machine only) and prints
its address. Ctrl-C stops it. Exit 2 for bad input; with --html, exit 1 when
there is nothing to export (no trace, and every property holds).`;

export interface ExploreArgs {
  readonly spec: ModelSpec;
  readonly trace?: string;
  readonly port: number;
  readonly html?: string;
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
    html: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.preset !== undefined && v.config !== undefined) throw new InputError('--preset and --config cannot be used together: choose one');
  if (v.html !== undefined && v.port !== undefined) throw new InputError('--html writes a file and starts no server: --port does not apply');
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
    ...(v.html !== undefined ? { html: v.html } : {}),
    help: v.help ?? false,
  };
};

/** The model, and the trace followed through it, as the flags choose them. */
const loadInputs = async (args: ExploreArgs) => {
  const trace = args.trace !== undefined ? readTrace(args.trace) : undefined;
  const choice: ModelChoice = trace ? choiceForTrace(trace, args.trace!, args.spec) : { spec: args.spec };
  const { model, source } = await loadChoice(choice);
  const info: TraceInfo | undefined = trace ? traceInfo(model, trace, args.trace!) : undefined;
  return { choice, model, source, info };
};

/**
 * `--html FILE`: the trace, or else the shortest counterexample of a check run here, as one
 * self-contained page. Resolves to what was exported, or undefined when there is nothing.
 */
export const exportHtml = async (args: ExploreArgs & { html: string }): Promise<string | undefined> => {
  prepareHtmlFile(args.html);
  const { choice, model, source, info } = await loadInputs(args);
  let run: RunStatus = { state: 'idle' };
  let path = info ? parsePath(info.path) : undefined;
  if (!info) {
    const r = await checkSpec(choice.spec, { strategy: 'bfs', workers: 1 }, { model, source });
    run = { state: 'done', result: runSummary(r) };
    path = r.counterexample?.path;
  }
  if (path === undefined) return undefined;
  writeHtmlFile(args.html, offlineHtml(loadAssets(), offlineData(model, source, path, run, info)));
  return info ? `trace ${info.file}` : `the counterexample of ${run.result!.counterexample!.property}`;
};

/** Loads the model (and trace) and starts the server; InputError for bad input. */
export const openExplorer = async (args: ExploreArgs): Promise<Explorer> => {
  const { choice, model, source, info } = await loadInputs(args);
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
    if (args.html !== undefined) {
      const what = await exportHtml({ ...args, html: args.html });
      if (what === undefined) {
        err.write('explore: nothing to export: no trace given, and the check found no counterexample\n');
        return 1;
      }
      out.write(`wrote ${args.html} (${what})\n`);
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
