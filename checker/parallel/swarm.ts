/**
 * Random simulation with several worker threads: a swarm of independent walkers. Walker w
 * runs its share of the walks from its own seed, derived from the run's seed and w (walker
 * 0 keeps the run's seed itself), so a run is repeated exactly by the same seed and number of
 * workers. When several walkers find a violation, the one of the least walker index is
 * reported, whichever finished first; distinct states are the union of what all saw.
 */
import { Worker } from 'node:worker_threads';
import { createFpTable, putIfAbsent } from '../fpTable.ts';
import { InputError } from '../errors.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { Model } from '../model.ts';
import { replay } from '../replay.ts';
import { randomResult } from '../searchResult.ts';
import type { CheckOptions, CheckResult, Counterexample, PropertyKind } from '../result.ts';
import type { WalkerReport, WalkerSetup } from './swarmEntry.ts';

/** The random seed of walker `w` of a swarm started from `seed`. */
export const walkerSeed = (seed: number, w: number): number => (w === 0 ? seed : (seed ^ Math.imul(w, 0x9e3779b1)) >>> 1);

type Answer = WalkerReport | { readonly type: 'failed'; readonly message: string; readonly input: boolean };

const runWalker = (setup: WalkerSetup, signal: AbortSignal | undefined): Promise<WalkerReport> =>
  new Promise((resolve, reject) => {
    const w = new Worker(new URL('./boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./swarmEntry.ts', import.meta.url).href, ...setup },
    });
    const onAbort = (): void => w.postMessage({ type: 'abort' });
    signal?.addEventListener('abort', onAbort);
    let answered = false;
    w.on('message', (m: Answer) => {
      answered = true;
      signal?.removeEventListener('abort', onAbort);
      if (m.type === 'failed') reject(m.input ? new InputError(m.message) : new Error(`random walker: ${m.message}`));
      else resolve(m);
    });
    w.on('error', reject);
    w.on('exit', (code) => {
      if (!answered) reject(new Error(`random walker exited with code ${code} without an answer`));
    });
  });

export const checkSwarm = async <S, A>(spec: ModelSpec, model: Model<S, A>, options: CheckOptions): Promise<CheckResult<S, A>> => {
  const started = performance.now();
  const N = options.workers ?? 1;
  const seed = options.seed ?? 0;
  const runs = options.runs ?? 1000;
  const reports = await Promise.all(
    Array.from({ length: N }, (_, w) =>
      runWalker(
        {
          spec,
          seed: walkerSeed(seed, w),
          runs: Math.floor(runs / N) + (w < runs % N ? 1 : 0),
          ...(options.walkLength !== undefined ? { walkLength: options.walkLength } : {}),
          ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
        },
        options.signal,
      ),
    ),
  );
  const table = createFpTable();
  const fired = new Map<string, number>();
  for (const r of reports) {
    for (let k = 0; k < r.hi.length; k++) putIfAbsent(table, r.hi[k] as number, r.lo[k] as number);
    for (const [name, n] of r.fired) fired.set(name, (fired.get(name) ?? 0) + n);
  }
  const found = reports.find((r) => r.path !== undefined);
  let counterexample: Counterexample<S, A> | undefined;
  if (found?.path) {
    counterexample = {
      property: found.property!,
      kind: found.kind as PropertyKind,
      ...(found.explanation !== undefined ? { explanation: found.explanation } : {}),
      path: found.path,
      steps: replay(model, found.path),
    };
  }
  return randomResult(model, {
    started,
    ...(counterexample ? { counterexample } : {}),
    interrupted: reports.some((r) => r.interrupted),
    table,
    generated: reports.reduce((n, r) => n + r.generated, 0),
    depth: Math.max(0, ...reports.map((r) => r.depth)),
    fired,
    boundaryCut: reports.reduce((n, r) => n + r.boundaryCut, 0),
    seed,
    runs,
    workers: N,
  });
};
