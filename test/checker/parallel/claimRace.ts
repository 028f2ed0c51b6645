/**
 * A worker of the claim race in claims.test.ts: claims every fingerprint of its list in the
 * shared table and answers with the indices it claimed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { claim, CLAIMED, openClaims } from '../../../checker/parallel/claims.ts';

const { share, his, los, start } = workerData as {
  share: Parameters<typeof openClaims>[0];
  his: Uint32Array;
  los: Uint32Array;
  start: Int32Array;
};
const t = openClaims(share);
// Both workers wait for one signal, so that their claims overlap in time.
Atomics.wait(start, 0, 0);
const won: number[] = [];
for (let k = 0; k < his.length; k++) if (claim(t, his[k]!, los[k]!) === CLAIMED) won.push(k);
parentPort!.postMessage(won);
