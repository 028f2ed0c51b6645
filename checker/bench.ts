/**
 * `npm run bench [-- --only NAME] [-- --sizes 6,7,8]`: prints states per second and bytes per
 * state for the engine's reference workloads, each in a fresh child process so one run's
 * heap does not slow the next and peak memory is the run's own:
 * - TwoPhase (the TLA+ example) at N = 7 and 8, beside TLC's published figures;
 * - the system model's presets, through the same provider module the CLI uses.
 * Figures are measured, never asserted: compare a change by running this before and after.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { check } from './check.ts';
import { defaultSystemPath, loadModel } from './loadModel.ts';
import type { AnyModel } from './model.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TWO_PHASE_MODULE = resolve(root, 'test/examples/twoPhaseModule.ts');

/** TLC's figures for TwoPhase on this kind of machine, one worker (from the engine issue). */
const TLC: Record<number, string> = {
  7: 'TLC: 296,448 states in 10.9 s (27,200/s)',
  8: 'TLC: 1,745,408 states in 55.8 s (31,300/s), 2.4 GB',
};

interface Figures {
  name: string;
  verdict: string;
  distinct: number;
  generated: number;
  seconds: number;
  perSecond: number;
  bytesPerState: number;
  peakRssMb: number;
  boundaryCut: number;
}

/** Runs one workload in this process and prints its figures as JSON (child mode). */
const runOne = async (kind: string, arg: string): Promise<void> => {
  let model: AnyModel;
  if (kind === 'twophase') {
    model = (await loadModel({ model: TWO_PHASE_MODULE, params: { N: arg } })).model;
  } else {
    model = (await loadModel({ system: defaultSystemPath(), preset: arg, params: {} })).model;
  }
  const r = check(model);
  const figures: Figures = {
    name: kind === 'twophase' ? `TwoPhase N=${arg}` : `preset ${arg}`,
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

const runChild = (kind: string, arg: string): Figures => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, arg],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Figures;
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' },
      only: { type: 'string' },
      sizes: { type: 'string' },
      presets: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.child) {
    const [kind, arg] = process.argv.slice(-2);
    await runOne(kind!, arg!);
    return;
  }
  const sizes = (values.sizes ?? '7,8').split(',').map(Number);
  const presets = (values.presets ?? 'default,ring,timer,fanout,linkfail17,disaster').split(',');
  const jobs: [string, string][] = [
    ...(values.only === 'system' ? [] : sizes.map((n): [string, string] => ['twophase', String(n)])),
    ...(values.only === 'twophase' ? [] : presets.map((p): [string, string] => ['preset', p])),
  ];
  console.log(`shuttlecheck bench (Node ${process.version}, one core per run, BFS)`);
  console.log(
    `${'workload'.padEnd(16)} ${'verdict'.padEnd(10)} ${'distinct'.padStart(11)} ${'generated'.padStart(12)} ` +
      `${'time s'.padStart(8)} ${'states/s'.padStart(9)} ${'B/state'.padStart(8)} ${'peak RSS'.padStart(9)}`,
  );
  for (const [kind, arg] of jobs) {
    let f: Figures;
    try {
      f = runChild(kind, arg);
    } catch (e) {
      console.log(`${`${kind} ${arg}`.padEnd(16)} failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    console.log(
      `${f.name.padEnd(16)} ${f.verdict.padEnd(10)} ${num(f.distinct).padStart(11)} ${num(f.generated).padStart(12)} ` +
        `${f.seconds.toFixed(1).padStart(8)} ${num(f.perSecond).padStart(9)} ${f.bytesPerState.toFixed(1).padStart(8)} ` +
        `${`${num(f.peakRssMb)} MB`.padStart(9)}` +
        (kind === 'twophase' && TLC[Number(arg)] ? `   ${TLC[Number(arg)]}` : '') +
        (f.boundaryCut > 0 ? `   (${num(f.boundaryCut)} states on the model's bound)` : ''),
    );
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
