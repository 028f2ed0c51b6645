/** A depth-first search worker thread: runs the worker loop with the setup it was given. */
import { parentPort, workerData } from 'node:worker_threads';
import type { DfsWorkerSetup } from './dfsProtocol.ts';
import { runDfsWorker } from './dfsWorker.ts';

const data = workerData as { setup: DfsWorkerSetup };
await runDfsWorker(data.setup, parentPort!);
