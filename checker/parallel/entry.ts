/** A search worker thread: runs the worker loop with the setup it was given. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerSetup } from './protocol.ts';
import { runWorker } from './worker.ts';

const data = workerData as { setup: WorkerSetup };
await runWorker(data.setup, parentPort!);
