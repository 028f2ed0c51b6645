/**
 * `npm run explore -- [--preset NAME | --config FILE | --model FILE] [--mutant NAME]
 * [--param K=V ...] [--trace FILE] [--port N | --html FILE | --svg FILE]`: the explorer, a page
 * served on 127.0.0.1 for any model (prints the URL on one line; Ctrl-C stops it), or its
 * exports: the offline page, or the sequence chart alone.
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { type CommandMain, failureExitCode, parseFlags, runIfMain } from '../flags.ts';
import type { ModelSpec } from '../loadModel.ts';
import { MODEL_FLAGS, modelSpecFromFlags } from '../modelFlags.ts';
import { checkSpec } from '../check.ts';
import { loadAssets } from './assets.ts';
import { chartSvg } from './chart.ts';
import { type ExportKind, HTML_EXPORT, prepareExportFile, SVG_EXPORT, writeExportFile } from './exportFile.ts';
import { createFinder } from './finder.ts';
import { offlineData, offlineHtml } from './offline.ts';
import type { RunStatus } from './runner.ts';
import { parsePath, pathView } from './session.ts';
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

Exports (no server): of the trace, or else of the shortest counterexample the
check finds. FILE must be new or an earlier export of the same kind.
  --html FILE            one self-contained HTML page: the path, its states, its
                         chart (and the liveness view of a liveness violation)
  --svg FILE             the sequence chart alone, its style inside the file
  --force                replace FILE even when explore did not write it (never a
                         directory)

Serves the explorer on http://127.0.0.1:PORT/ (this machine only) and prints
its address. Ctrl-C stops it. In the page, "Find" searches the path shown, or
every reachable state (breadth-first, the shortest path to the first match; at
most 300,000 states or 20 s, and it says when a bound stopped it). Exit 2 for
bad input; with --html or --svg, exit 1 when there is nothing to export (no
trace, and every property holds).`;

export interface ExploreArgs {
  readonly spec: ModelSpec;
  readonly trace?: string;
  readonly port: number;
  readonly html?: string;
  readonly svg?: string;
  readonly force: boolean;
  readonly help: boolean;
}

export const parseExploreArgs = (argv: readonly string[]): ExploreArgs => {
  const { values: v } = parseFlags(argv, {
    ...MODEL_FLAGS,
    trace: { type: 'string' },
    port: { type: 'string' },
    html: { type: 'string' },
    svg: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const spec = modelSpecFromFlags(v);
  const exporting = v.html !== undefined || v.svg !== undefined;
  if (exporting && v.port !== undefined) throw new InputError(`${v.html !== undefined ? '--html' : '--svg'} writes a file and starts no server: --port does not apply`);
  if (v.force && !exporting) throw new InputError('--force applies to --html and --svg only');
  if (v.html !== undefined && v.svg !== undefined && v.html !== '' && resolve(v.html) === resolve(v.svg)) {
    throw new InputError(`--html and --svg name the same file (${v.html}): give each its own`);
  }
  if (v.port !== undefined && !(/^\d{1,5}$/.test(v.port) && Number(v.port) >= 1 && Number(v.port) <= 65535)) {
    throw new InputError(`--port: expected a port number from 1 to 65535, got ${v.port === '' ? 'nothing' : v.port}`);
  }
  return {
    spec,
    ...(v.trace !== undefined ? { trace: v.trace } : {}),
    port: v.port === undefined ? 0 : Number(v.port),
    ...(v.html !== undefined ? { html: v.html } : {}),
    ...(v.svg !== undefined ? { svg: v.svg } : {}),
    force: v.force ?? false,
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

/** The exports the flags ask for, each with its file. */
const exportsOf = (args: ExploreArgs): [ExportKind, string][] => [
  ...(args.html !== undefined ? [[HTML_EXPORT, args.html] as [ExportKind, string]] : []),
  ...(args.svg !== undefined ? [[SVG_EXPORT, args.svg] as [ExportKind, string]] : []),
];

/**
 * `--html FILE` and `--svg FILE`: the trace, or else the shortest counterexample of a check
 * run here, as one self-contained page and as the sequence chart alone. Every file is checked
 * before any work. Resolves to what was exported, or undefined when there is nothing.
 */
export const exportFiles = async (args: ExploreArgs): Promise<string | undefined> => {
  const files = exportsOf(args);
  for (const [kind, file] of files) prepareExportFile(kind, file, args.force);
  const { choice, model, source, info } = await loadInputs(args);
  let run: RunStatus = { state: 'idle' };
  let path = info ? parsePath(info.path) : undefined;
  if (!info) {
    const r = await checkSpec(choice.spec, { strategy: 'bfs', workers: 1 }, { model, source });
    run = { state: 'done', result: runSummary(r) };
    path = r.counterexample?.path;
  }
  if (path === undefined) return undefined;
  const assets = loadAssets();
  const texts = files.map(([kind, file]): [ExportKind, string, string] => {
    if (kind === HTML_EXPORT) return [kind, file, offlineHtml(assets, offlineData(model, source, path, run, info))];
    const view = pathView(model, path);
    const chart = chartSvg(view.lanes, view.steps, assets.drawing);
    if (chart === undefined) throw new InputError(`--svg ${file}: the model ${model.name} declares no view (Model.view), so it has no sequence chart`);
    return [kind, file, `<?xml version="1.0" encoding="UTF-8"?>\n${SVG_EXPORT.marker}\n${chart}\n`];
  });
  for (const [kind, file, text] of texts) writeExportFile(kind, file, text);
  return info ? `trace ${info.file}` : `the counterexample of ${run.result!.counterexample!.property}`;
};

/** Loads the model (and trace) and starts the server; InputError for bad input. */
export const openExplorer = async (args: ExploreArgs): Promise<Explorer> => {
  const { choice, model, source, info } = await loadInputs(args);
  const runner = createRunner(choice);
  const finder = createFinder(choice);
  try {
    return await startExplorer({ model, source, runner, finder, assets: loadAssets(), ...(info ? { trace: info } : {}) }, args.port);
  } catch (e) {
    await Promise.all([runner.close(), finder.close()]);
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
    const files = exportsOf(args);
    if (files.length > 0) {
      const what = await exportFiles(args);
      if (what === undefined) {
        err.write('explore: nothing to export: no trace given, and the check found no counterexample\n');
        return 1;
      }
      for (const [, file] of files) out.write(`wrote ${file} (${what})\n`);
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
