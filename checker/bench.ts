/**
 * `npm run bench [-- --only twophase|system|explorer|modules] [--sizes 7,8] [--presets a,b] [--workers 1,2] [--large]`:
 * prints states per second, bytes per state and peak memory for the engine's reference
 * workloads, each run in a fresh child process (so one run's heap does not slow the next
 * and peak memory is the run's own), once per worker count, side by side:
 * - TwoPhase (the TLA+ example) at N = 7 and 8 (and 9, about 10^7 states, with --large),
 *   beside TLC's published figures;
 * - the system model's presets, through the same provider module the CLI uses, checked for
 *   their invariants, action and reachability properties (the search workers share); then
 *   the default preset once more with its temporal properties, which one thread checks;
 * - depth-first search of the largest TwoPhase and of the default preset, whose order one
 *   thread walks while the workers expand the states (parallel/dfsCoordinator.ts).
 * Then the explorer's figures (checker/explorer/benchExplorer.ts): a step's answer time, and
 * a 1,000-step trace drawn and scrolled in the page (with a browser); then those of each
 * module package.json lists in `shuttlecheck.bench` (each exports `bench(): Promise<string[]>`;
 * the project's conformance tools are measured that way, as the engine does not import them).
 * For each workload it prints the speed-up over one worker, the parallel efficiency
 * (speed-up divided by workers), and the ratio of its states per second to what the engine
 * did before the parallel search and the faster model. Figures are measured, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkSpec } from './check.ts';
import { InputError } from './errors.ts';
import { benchExplorer } from './explorer/benchExplorer.ts';
import { failureExitCode, parseFlags } from './flags.ts';
import { type ModelSpec, projectConfig } from './loadModel.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TWO_PHASE_MODULE = resolve(root, 'test/examples/twoPhaseModule.ts');

/** TLC's figures for TwoPhase, measured on a 2-core machine like the ones this project is run on. */
const TLC: Record<number, string> = {
  7: 'TLC 1 worker: 10.9 s (27,200/s)',
  8: 'TLC 1 worker: 55.8 s (31,300/s), 2 workers: 51,000/s',
};

/** What the one-thread engine printed before the parallel search and the faster model (quiet machine). */
const BEFORE: Record<string, { readonly text: string; readonly perSecond: number }> = {
  'TwoPhase N=7': { text: 'before: 4.0 s', perSecond: 296_448 / 4.0 },
  'TwoPhase N=8': { text: 'before: 27.6 s, 63,217/s, 26.4 B/state, 435 MB', perSecond: 63_217 },
  'preset default': { text: 'before: 9,629/s, on the default preset of then (225,317 states, 23.4 s)', perSecond: 9_629 },
};

interface Figures {
  name: string;
  workers: number;
  verdict: string;
  distinct: number;
  generated: number;
  seconds: number;
  perSecond: number;
  bytesPerState: number;
  peakRssMb: number;
  boundaryCut: number;
}

/**
 * A workload: TwoPhase at a size, a preset without its temporal properties, or with them;
 * `dfs`: depth-first search of TwoPhase (`N=8`) or of a preset without its temporal properties.
 */
type Kind = 'twophase' | 'preset' | 'temporal' | 'dfs';

const specOf = (kind: Kind, arg: string): ModelSpec =>
  kind === 'twophase'
    ? { model: TWO_PHASE_MODULE, params: { N: arg } }
    : kind === 'dfs' && arg.startsWith('N=')
      ? { model: TWO_PHASE_MODULE, params: { N: arg.slice(2) } }
      : { preset: arg, params: {} };

const nameOf = (kind: Kind, arg: string): string =>
  kind === 'twophase'
    ? `TwoPhase N=${arg}`
    : kind === 'preset'
      ? `preset ${arg}`
      : kind === 'dfs'
        ? `DFS ${arg.startsWith('N=') ? `TwoPhase ${arg}` : arg}`
        : `${arg} +temporal`;

/** Runs one workload in this process and prints its figures as JSON (child mode). */
const runOne = async (kind: Kind, arg: string, workers: number): Promise<void> => {
  const r = await checkSpec(specOf(kind, arg), {
    workers,
    ...(kind === 'preset' || kind === 'dfs' ? { temporal: false } : {}),
    ...(kind === 'dfs' ? { strategy: 'dfs' as const } : {}),
  });
  if (r.oneThreadBecause !== undefined) throw new Error(`${nameOf(kind, arg)} ran on one thread: ${r.oneThreadBecause}`);
  const figures: Figures = {
    name: nameOf(kind, arg),
    workers,
    verdict: r.verdict,
    distinct: r.distinctStates,
    generated: r.generatedStates,
    seconds: r.durationMs / 1000,
    perSecond: r.statesPerSecond,
    bytesPerState: r.bytesPerState,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    boundaryCut: r.boundaryCut,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
};

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

const runChild = (kind: Kind, arg: string, workers: number): Figures => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, arg, String(workers)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Figures;
};

const main = async (): Promise<void> => {
  const { values } = parseFlags(
    process.argv.slice(2),
    {
      child: { type: 'boolean' },
      only: { type: 'string' },
      sizes: { type: 'string' },
      presets: { type: 'string' },
      workers: { type: 'string' },
      large: { type: 'boolean' },
    },
    true,
  );
  if (values.child) {
    const [kind, arg, workers] = process.argv.slice(-3);
    await runOne(kind as Kind, arg!, Number(workers));
    return;
  }
  const sizes = (values.sizes ?? (values.large ? '7,8,9' : '7,8')).split(',').map(Number);
  const presets = (values.presets ?? 'default,ring,timer,fanout,linkfail,restart,disaster').split(',');
  const workerCounts = (values.workers ?? '1,2').split(',').map(Number);
  if (values.only !== undefined && !['twophase', 'system', 'explorer', 'modules'].includes(values.only)) {
    throw new InputError(`--only: expected twophase, system, explorer or modules, got "${values.only}"`);
  }
  if (values.only === 'explorer') {
    for (const line of await benchExplorer()) console.log(line);
    return;
  }
  if (values.only === 'modules') {
    await benchModules();
    return;
  }
  const system = values.only !== 'twophase';
  const largest = Math.max(...sizes);
  const jobs: [Kind, string][] = [
    ...(values.only === 'system' ? [] : sizes.map((n): [Kind, string] => ['twophase', String(n)])),
    ...(values.only === 'system' ? [] : [['dfs', `N=${largest}`] as [Kind, string]]),
    ...(system ? presets.map((p): [Kind, string] => ['preset', p]) : []),
    ...(system && presets.includes('default') ? [['temporal', 'default'] as [Kind, string], ['dfs', 'default'] as [Kind, string]] : []),
  ];
  console.log(`shuttlecheck bench (Node ${process.version}, BFS unless the row says DFS; each row a fresh process)`);
  if (system) console.log('presets: invariants, action and reachability properties; "+temporal": with the temporal properties too (one thread)');
  console.log(
    `${'workload'.padEnd(16)} ${'workers'.padStart(7)} ${'verdict'.padEnd(10)} ${'distinct'.padStart(11)} ${'generated'.padStart(12)} ` +
      `${'time s'.padStart(8)} ${'states/s'.padStart(9)} ${'B/state'.padStart(8)} ${'peak RSS'.padStart(9)} ${'speed-up'.padStart(8)} ${'effic.'.padStart(6)} ${'vs before'.padStart(9)}`,
  );
  for (const [kind, arg] of jobs) {
    let base: Figures | undefined;
    for (const workers of kind === 'temporal' ? [1] : workerCounts) {
      let f: Figures;
      try {
        f = runChild(kind, arg, workers);
      } catch (e) {
        console.log(`${`${kind} ${arg}`.padEnd(16)} ${String(workers).padStart(7)} failed: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      if (workers === 1) base = f;
      const speedUp = base ? base.seconds / f.seconds : undefined;
      const before = BEFORE[f.name];
      const notes = [
        ...(workers === 1 && kind === 'twophase' && TLC[Number(arg)] ? [TLC[Number(arg)]!] : []),
        ...(workers === 1 && before ? [before.text] : []),
        ...(f.boundaryCut > 0 && workers === 1 ? [`${num(f.boundaryCut)} states on the model's bound`] : []),
      ];
      console.log(
        `${f.name.padEnd(16)} ${String(workers).padStart(7)} ${f.verdict.padEnd(10)} ${num(f.distinct).padStart(11)} ${num(f.generated).padStart(12)} ` +
          `${f.seconds.toFixed(1).padStart(8)} ${num(f.perSecond).padStart(9)} ${f.bytesPerState.toFixed(1).padStart(8)} ` +
          `${`${num(f.peakRssMb)} MB`.padStart(9)} ${(speedUp ? `${speedUp.toFixed(2)}x` : '').padStart(8)} ` +
          `${(speedUp ? (speedUp / workers).toFixed(2) : '').padStart(6)} ` +
          `${(before ? `${(f.perSecond / before.perSecond).toFixed(2)}x` : '').padStart(9)}` +
          (notes.length ? `   ${notes.join('; ')}` : ''),
      );
    }
  }
  if (values.only === undefined) {
    console.log('');
    for (const line of await benchExplorer()) console.log(line);
    await benchModules();
  }
};

/** Runs the benchmark modules package.json lists in `shuttlecheck.bench` and prints their lines. */
const benchModules = async (): Promise<void> => {
  const list = projectConfig().bench ?? [];
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) {
    throw new InputError('package.json: "shuttlecheck.bench" must be a list of module paths');
  }
  for (const rel of list as string[]) {
    const mod = (await import(pathToFileURL(resolve(root, rel)).href)) as { bench?: unknown };
    if (typeof mod.bench !== 'function') throw new InputError(`${rel}: exports no bench() function`);
    console.log('');
    for (const line of (await (mod.bench as () => Promise<string[]>)()) ?? []) console.log(line);
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    process.exitCode = failureExitCode('bench', e, process.stderr);
  });
}
