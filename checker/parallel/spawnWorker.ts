/** Starting a search worker thread, as both parallel searches do. */
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.ts';
import type { WorkerFailure } from './workerModel.ts';

/**
 * Starts worker `index` on `entry` (a module beside this one, run with tsx's loader by
 * boot.mjs) with `setup` as its workerData. Its messages go to `onMessage`, but for a
 * failure report, which goes to `onFailure` with any error or unclean exit: an InputError
 * when the worker says the input is at fault (the model would not load), else an Error naming it.
 */
export const startSearchWorker = <M>(
  entry: string,
  setup: unknown,
  index: number,
  onMessage: (m: M) => void,
  onFailure: (e: Error) => void,
): Worker => {
  const w = new Worker(new URL('./boot.mjs', import.meta.url), {
    workerData: { entry: new URL(entry, import.meta.url).href, setup },
  });
  w.on('message', (m: M | WorkerFailure) => {
    const f = m as WorkerFailure;
    if (f.type === 'failed') onFailure(f.input ? new InputError(f.message) : new Error(`search worker ${index}: ${f.message}`));
    else onMessage(m as M);
  });
  w.on('error', onFailure);
  w.on('exit', (code) => {
    if (code !== 0) onFailure(new Error(`search worker ${index} exited with code ${code}`));
  });
  return w;
};
