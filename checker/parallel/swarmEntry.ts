/**
 * A random walker of a swarm (see swarm.ts): loads the model from its spec, runs its share
 * of the walks from its own seed, and posts what it found and the fingerprints it saw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelSpec } from '../loadModel.ts';
import { loadModel } from '../loadModel.ts';
import { simulateAsync } from '../simulate.ts';
import type { CheckOptions } from '../result.ts';

export interface WalkerSetup {
  readonly spec: ModelSpec;
  readonly seed: number;
  readonly runs: number;
  readonly walkLength?: number;
  readonly maxDepth?: number;
}

export interface WalkerReport {
  readonly type: 'done';
  readonly verdict: string;
  readonly property?: string;
  readonly kind?: string;
  readonly explanation?: string;
  readonly path?: { readonly init: number; readonly actions: readonly number[] };
  readonly generated: number;
  readonly depth: number;
  readonly boundaryCut: number;
  readonly fired: readonly (readonly [string, number])[];
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly interrupted: boolean;
}

const setup = workerData as WalkerSetup;
const controller = new AbortController();
parentPort!.on('message', (m: { type: string }) => {
  if (m.type === 'abort') controller.abort();
});
try {
  const { model } = await loadModel(setup.spec);
  const seen: { hi: number[]; lo: number[] } = { hi: [], lo: [] };
  const options: CheckOptions = {
    strategy: 'random',
    seed: setup.seed,
    runs: setup.runs,
    ...(setup.walkLength !== undefined ? { walkLength: setup.walkLength } : {}),
    ...(setup.maxDepth !== undefined ? { maxDepth: setup.maxDepth } : {}),
    signal: controller.signal,
  };
  const r = await simulateAsync(model, options, (hi, lo) => {
    seen.hi.push(hi);
    seen.lo.push(lo);
  });
  const cx = r.counterexample;
  const report: WalkerReport = {
    type: 'done',
    verdict: r.verdict,
    ...(cx ? { property: cx.property, kind: cx.kind, path: cx.path, ...(cx.explanation !== undefined ? { explanation: cx.explanation } : {}) } : {}),
    generated: r.generatedStates,
    depth: r.depth,
    boundaryCut: r.boundaryCut,
    fired: Object.entries(r.coverage),
    hi: Uint32Array.from(seen.hi),
    lo: Uint32Array.from(seen.lo),
    interrupted: r.cutBy === 'interrupted',
  };
  parentPort!.postMessage(report, [report.hi.buffer as ArrayBuffer, report.lo.buffer as ArrayBuffer]);
} catch (e) {
  parentPort!.postMessage({ type: 'failed', message: (e as Error).message, input: (e as Error).name === 'InputError' });
}
parentPort!.close();
