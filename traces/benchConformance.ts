/**
 * How fast the conformance tools are (issue 11, item 7), as printable lines for the benchmark:
 * - `npm run conform` on the canonical suite (traces/vectors) with the bundled implementation
 *   (test/impl/blade.ts): steps played per second over the whole run (the implementation's
 *   start-up included), and without its start-up; the suite's loading (parsing, and the
 *   oracle finding each must-reject vector's bad step) is timed apart;
 * - `npm run validate` on a log of 10,000 steps that the bundled implementation writes now
 *   (`--walk 10000` on the default preset's configuration, into a temporary directory that is
 *   removed afterwards): logged steps explained per second.
 * Each figure is the best of `rounds` runs (default 2), as the machine may be shared.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultSystemPath, loadProvider } from '../checker/loadModel.ts';
import { loadSuiteDir, runConformance, type RunnableVector } from './conform.ts';
import { ImplProcess } from './driver.ts';
import { validateFile } from './validate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SUITE = join(ROOT, 'traces/vectors');
/** The bundled implementation, started as the README shows it. */
const BLADE = `${join(ROOT, 'node_modules/.bin/tsx')} ${join(ROOT, 'test/impl/blade.ts')}`;
const LOG_STEPS = 10_000;

/** The steps the harness plays of a vector: all, or a must-reject vector's up to its bad step. */
const played = (v: RunnableVector): number => (v.bad ? v.bad.step : v.trace.states.length - 1);

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Runs a command to its end; rejects when it fails. */
const run = (command: string, args: readonly string[]): Promise<void> =>
  new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err.trim()}`))));
  });

/** Milliseconds from starting the implementation to its answer to one `init`. */
const startupMs = async (config: unknown): Promise<number> => {
  const t0 = performance.now();
  const p = new ImplProcess(BLADE, 5000, 20000);
  try {
    await p.request({ type: 'init', config });
    return performance.now() - t0;
  } finally {
    await p.close();
  }
};

/** The benchmark's lines: conform on the suite, validate on a 10,000-step log. */
export const benchConformance = async (rounds = 2): Promise<string[]> => {
  const provider = await loadProvider(defaultSystemPath());
  const lines: string[] = [];

  // ---- npm run conform on the canonical suite ----
  let loadMs = Infinity;
  let vectors: RunnableVector[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    vectors = loadSuiteDir(provider, SUITE);
    loadMs = Math.min(loadMs, performance.now() - t0);
  }
  const steps = vectors.reduce((n, v) => n + played(v), 0);
  let runMs = Infinity;
  for (let r = 0; r < rounds; r++) {
    // Each round loads its own vectors, so the oracle's judgement of each vector is timed too.
    const fresh = r === 0 ? vectors : loadSuiteDir(provider, SUITE);
    const t0 = performance.now();
    const results = await runConformance(BLADE, fresh);
    runMs = Math.min(runMs, performance.now() - t0);
    const failed = results.filter((x) => x.verdict !== 'PASS');
    if (failed.length > 0) throw new Error(`benchConformance: the bundled implementation did not pass ${failed[0]!.vector}: ${failed[0]!.reason}`);
  }
  let startMs = Infinity;
  for (let r = 0; r < rounds; r++) startMs = Math.min(startMs, await startupMs(vectors[0]!.config));
  const after = Math.max(1, runMs - startMs);
  lines.push(
    `conform, canonical suite (${vectors.length} vectors, ${fmt(steps)} steps) against test/impl/blade.ts: ` +
      `${fmt((steps * 1000) / runMs)} steps/s (${fmt(runMs)} ms, the implementation's start-up of ${fmt(startMs)} ms included); ` +
      `${fmt((steps * 1000) / after)} steps/s after it; ` +
      `${fmt((steps * 1000) / (loadMs + runMs))} steps/s with the suite's loading (${fmt(loadMs)} ms)`,
  );

  // ---- npm run validate on a 10,000-step log ----
  const dir = mkdtempSync(join(tmpdir(), 'sc-benchlog-'));
  try {
    const config = join(dir, 'default.json');
    writeFileSync(config, JSON.stringify(provider.presetConfig!('default')));
    const [tsx, blade] = BLADE.split(' ') as [string, string];
    // The log goes to a directory of its own: the blade refuses one holding other files.
    const logDir = join(dir, 'log');
    await run(tsx, [blade, '--walk', String(LOG_STEPS), '--config', config, '--log', logDir]);
    const log = join(logDir, 'run-1.itf.json');
    let best = Infinity;
    let observations = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const result = await validateFile(log, { params: {} });
      best = Math.min(best, performance.now() - t0);
      if (result.kind !== 'log' || result.explanation.kind !== 'explained') throw new Error('benchConformance: the 10,000-step log was not explained');
      observations = result.explanation.observations;
    }
    lines.push(
      `validate, a log of ${fmt(LOG_STEPS)} steps (${fmt(observations)} logged states, default preset, every field and action): ` +
        `${fmt((LOG_STEPS * 1000) / best)} steps/s (${fmt(best)} ms, reading the file included)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
};

/** The benchmark's entry (package.json's `shuttlecheck.bench` lists this module for `npm run bench`). */
export const bench = (): Promise<string[]> => benchConformance();
