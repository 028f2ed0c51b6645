/**
 * What the coordinator of a parallel depth-first search shares with its workers (see
 * dfsCoordinator.ts): one control array of 32-bit words, each worker's stream of entries
 * (dfsRecord.ts) in shared memory, the claim table, and a broadcast channel on which a worker
 * with states to spare hands some to one that has none.
 */
import type { WorkerFailure } from './workerModel.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { StringRegistryBuffer } from '../stateCodec.ts';
import type { ClaimShare } from './claims.ts';

export interface DfsWorkerSetup {
  readonly spec: ModelSpec;
  readonly index: number;
  readonly count: number;
  /** Int32 words, laid out as the CTRL_* offsets say. */
  readonly control: SharedArrayBuffer;
  /** Each worker's stream (Int32 words), written by that worker only (but for the links to expansions). */
  readonly streams: readonly SharedArrayBuffer[];
  /** Words of each stream: a location is stream * streamWords + position. */
  readonly streamWords: number;
  /** The claim table, with values: where the verdict entry of each claimed state is (+ 1). */
  readonly claims: ClaimShare;
  /** Strings of the state encoding in which states are handed over. */
  readonly registry: StringRegistryBuffer;
  /** The broadcast channel's name, unique to the search. */
  readonly channel: string;
  readonly symmetry: boolean;
  /** Write the via masks of actions and the goal bits of states (reachability properties). */
  readonly graph: boolean;
}

/** Set to 1 by the coordinator: stop. */
export const CTRL_ABORT = 0;
/**
 * Workers that have nothing to expand (a worker adds itself before it raises its flag; a
 * worker handing it states lowers the flag, then takes it off). When it equals the number of
 * workers, every claimed state has been expanded and the workers are done.
 */
export const CTRL_IDLE = 1;
/** Set to 1 by a worker that failed (it also says why in a message). */
export const CTRL_FAILED = 2;
/** Worker w's flag: 1 while it waits for states; FULL_STREAM once its stream is full (it expands no more). */
export const ctrlHungry = (w: number): number => 3 + w;
export const FULL_STREAM = 2;
/** Worker w's stream is complete up to this word. */
export const ctrlPublished = (n: number, w: number): number => 3 + n + w;
export const controlWords = (n: number): number => 3 + 2 * n;

/** A handing over on the broadcast channel: states for worker `to`, each the location of its verdict entry, a varint length and its encoding. */
export interface Handover {
  readonly to: number;
  readonly bytes: Uint8Array;
}

/** Worker to coordinator. */
export type FromDfsWorker =
  | { readonly type: 'ready' }
  | WorkerFailure;
