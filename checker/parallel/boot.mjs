// Entry of a search worker thread: TypeScript sources need tsx's loader in this thread too.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
