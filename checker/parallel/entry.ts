/** A search worker thread: runs the worker loop with the setup and peer ports it was given. */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { WorkerSetup } from './protocol.ts';
import { runWorker } from './worker.ts';

const data = workerData as { setup: WorkerSetup; peers: (MessagePort | undefined)[] };
await runWorker(data.setup, parentPort!, data.peers);
