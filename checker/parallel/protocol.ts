/**
 * Messages between the coordinator of a parallel breadth-first search and its workers.
 *
 * The search runs level by level. Each worker expands the states it holds; a successor not in
 * the visited set is claimed in the level's shared claim table (claims.ts), and the worker
 * that claims it first keeps it (checks it and holds it for the next level), with a key:
 * (rank of its parent in the previous level, index of the action), the least key by which
 * that worker found it. A worker that finds a state claimed by another reports only its key.
 * States never move between workers, since encoding and decoding a state costs about as much
 * as expanding it; only fingerprints and keys do. At the end of a level the coordinator merges
 * the workers' reports in key order: that order is exactly the order in which a one-worker
 * search discovers the states, so state ids, parent links, counts and the counterexample
 * chosen do not depend on the number of workers. When the claim table is full, workers keep
 * what they find unclaimed, and a state several workers keep goes to the one its fingerprint
 * hashes to, the others dropping their copies.
 */
import type { WorkerFailure } from './workerModel.ts';
import type { FpTableShare } from '../fpTable.ts';
import type { ClaimShare } from './claims.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { StringRegistryBuffer } from '../stateCodec.ts';

/** What a worker is started with (its workerData). */
export interface WorkerSetup {
  readonly spec: ModelSpec;
  readonly index: number;
  readonly count: number;
  readonly registry: StringRegistryBuffer;
  /** Int32 words: [0] abort flag; then per worker 4 words of running figures (see STAT_*). */
  readonly control: SharedArrayBuffer;
  /** Keep the explored graph's edges (the model has reachability properties). */
  readonly graph: boolean;
  /** New states a worker keeps as objects per level before it spills the rest to disk. */
  readonly frontierLimit: number;
  /** Directory for spill files (created by the coordinator, removed after the search). */
  readonly spillDir: string;
  /** Identify states by the model's representative (`Model.canonical`). */
  readonly symmetry: boolean;
  /** Keep a level's states until the level is done, so an interruption can still checkpoint them. */
  readonly keepFrontier: boolean;
}

/** Offsets of a worker's running figures in the control words, after the abort flag. */
export const STAT_GENERATED = 0;
export const STAT_EXPANDED = 1;
/** New states this worker keeps of the level so far. */
export const STAT_FOUND = 2;
export const STAT_WORDS = 4;
export const statBase = (worker: number): number => 1 + worker * STAT_WORDS;

export type ToWorker =
  /**
   * The search moves to the workers: own these states of the next level, each a varint
   * rank, then its path from an initial state (varints: initial state index, number of
   * actions, action indices) for the worker to replay.
   */
  | { readonly type: 'adopt'; readonly bytes: Uint8Array }
  /**
   * Expand the states held from the previous level. `ranks` (absent for level 0) gives the
   * rank of each of the worker's reported new states, in the order it reported them, or
   * DROPPED for a state another worker keeps.
   */
  | {
      readonly type: 'expand';
      readonly level: number;
      readonly parentBase: number;
      readonly ranks?: Uint32Array;
      readonly table?: FpTableShare;
      /** The level's claim table (cleared), when it is another than the previous level's. */
      readonly claims?: ClaimShare;
      /** At the depth bound: only look for a successor not yet seen. */
      readonly bound: boolean;
    }
  /**
   * Write the frontier to `path` (each state a varint rank and its encoding): with `next`,
   * the level about to be expanded (and its `ranks`, as `expand` would bring them), else
   * the level whose expansion was interrupted.
   */
  | { readonly type: 'writeFrontier'; readonly path: string; readonly next: boolean; readonly ranks?: Uint32Array }
  /** Resuming: own the states of these frontier files that hash to this worker. */
  | { readonly type: 'adoptFiles'; readonly paths: readonly string[] }
  | { readonly type: 'stop' };

/** A worker's new states of one level, sorted by key, and what it saw while expanding. */
export interface LevelReport {
  readonly type: 'level';
  readonly count: number;
  readonly rank: Uint32Array;
  readonly action: Uint32Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  /** Per state: index of the first invariant it violates + 1, or 0. */
  readonly violated: Uint16Array;
  /** Per state: 1 when outside the model's boundary (not expanded). */
  readonly outside: Uint8Array;
  /**
   * Per state: 1 when this worker keeps it (and `violated`, `outside` and `goals` are set),
   * 0 when another worker claimed it first and only its key is reported here.
   */
  readonly held: Uint8Array;
  /** Per state, with `graph`: goal bits of the reachability properties. */
  readonly goals?: Uint32Array;
  readonly generated: number;
  readonly fired: readonly (readonly [string, number])[];
  /** Per action name: the least (rank, action index) of a transition of that kind. */
  readonly witnesses: readonly (readonly [string, number, number])[];
  /** The least transition violating an action property: rank, action index, property index. */
  readonly actionViolation?: readonly [number, number, number];
  /** The least rank of a deadlocked state. */
  readonly deadlock?: number;
  /** At the depth bound: a successor not yet seen exists. */
  readonly cut: boolean;
  /** With `graph`: edges from a state id to a fingerprint, and the properties admitting them. */
  readonly edges?: { readonly from: Uint32Array; readonly hi: Uint32Array; readonly lo: Uint32Array; readonly mask: Uint32Array };
}

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'written' }
  | LevelReport
  | WorkerFailure;

/** The rank of a reported new state that another worker keeps. */
export const DROPPED = 0xffffffff;

/** The worker a fingerprint hashes to: it keeps a state several workers found, and adopts it on a resume. */
export const ownerOf = (hi: number, lo: number, workers: number): number => ((hi ^ (lo >>> 7)) >>> 0) % workers;
