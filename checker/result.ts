/**
 * What a check is asked to do and what it reports. Types only; the loops are elsewhere.
 */

/** The search strategies. */
export type Strategy = 'bfs' | 'dfs' | 'random';

export interface CheckOptions {
  readonly strategy?: Strategy;
  /** Do not expand states at this many steps from an initial state. */
  readonly maxDepth?: number;
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /** Random simulation: the fast-check seed (default 0) and number of walks (default 1000). */
  readonly seed?: number;
  readonly runs?: number;
  /** Random simulation: steps per walk (default 100, or maxDepth when given). */
  readonly walkLength?: number;
  /**
   * Check the model's temporal properties (default true). Off, they are not checked (nor
   * listed), the liveness graph is not kept, and a breadth-first search may use workers.
   */
  readonly temporal?: boolean;
  /** Use the model's symmetry (`Model.canonical`) when it declares one (default true). */
  readonly symmetry?: boolean;
  /** Called about every `progressEveryMs` with the running figures. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs?: number;
  /** Aborting stops the search at the next check (every few milliseconds). */
  readonly signal?: AbortSignal;
  /**
   * Resident memory, in bytes, at which `checkSpec` stops the search as incomplete (cutBy
   * 'memory'); default nine tenths of the machine's memory. The JavaScript heap is watched too.
   */
  readonly maxMemoryBytes?: number;
  /**
   * Breadth-first search: worker threads to search with (default 1: this thread). Any
   * number gives the same result (see checker/parallel/protocol.ts). Needs the model as a
   * `ModelSpec` (checkSpec), since each worker loads it in its own thread.
   */
  readonly workers?: number;
  /**
   * The worker count was chosen for the user (`--workers auto`): a search whose states are
   * large then stays on one thread (see parallel/coordinator.ts, AUTO_MAX_STATE_BYTES).
   */
  readonly workersAuto?: boolean;
  /**
   * Parallel search: move to the workers as soon as they are ready and each can have a state
   * (default: the search starts on this thread and moves to the workers once they are ready
   * and a level has 64 states a worker, so that a small model does not wait for them).
   */
  readonly waitForWorkers?: boolean;
  /**
   * Breadth-first search: write a checkpoint into this directory every `checkpointEveryMs`
   * (default 5 minutes) and when interrupted (see parallel/checkpoint.ts). The directory is
   * checked by the caller (`prepareCheckpointDir`).
   */
  readonly checkpointDir?: string;
  readonly checkpointEveryMs?: number;
  /** Breadth-first search: go on from the checkpoint in this directory. */
  readonly resumeDir?: string;
  /** Parallel search: new states per worker and level kept as objects before the rest is spilled to disk. */
  readonly frontierLimit?: number;
  /** Parallel search: the most slots of a claim table (a power of two; tests make it small to fill it). */
  readonly maxClaims?: number;
  /** Parallel depth-first search: words of each worker's stream of expansions (tests make it small to fill it). */
  readonly dfsStreamWords?: number;
  /**
   * BFS/DFS (`--strict`): check the model contract as the search goes (see strict.ts):
   * `actions` and `nextState` recomputed on equal copies of each expanded state (a difference
   * is a ModelContractError naming the state and the action), and a warning when a Set or Map
   * holds members (keys) equal as values. On one thread; several times slower.
   */
  readonly strict?: boolean;
}

/** Running figures of a search. */
export interface Progress {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly queued: number;
  readonly depth: number;
  readonly elapsedMs: number;
  /**
   * Parallel BFS: a guess at the distinct states still to come, from the shrinking of the
   * last levels (absent while levels still grow: nothing can be said then).
   */
  readonly remainingEstimate?: number;
}

/**
 * - `ok`: every property holds in every state explored, and the search was complete
 *   (BFS/DFS), or no run found a violation (random: `exhaustive` is false);
 * - `violation`: a property failed, see `property` and `counterexample`;
 * - `incomplete`: an engine bound (depth, states) or an interruption cut the search before
 *   any violation was found.
 */
export type Verdict = 'ok' | 'violation' | 'incomplete';

/** One step of a counterexample: the action taken (none for the initial state) and the state reached. */
export interface Step<S, A> {
  readonly action: A | undefined;
  readonly state: S;
}

/** A path as indices, enough to replay it: the initial-state index, then action indices. */
export interface PathIndices {
  readonly init: number;
  readonly actions: readonly number[];
}

export interface Counterexample<S, A> {
  /** The property violated: an invariant's, action property's or reachability property's name, or 'deadlock'. */
  readonly property: string;
  readonly kind: PropertyKind;
  /** Why, when the property said so. */
  readonly explanation?: string;
  readonly path: PathIndices;
  readonly steps: readonly Step<S, A>[];
  /**
   * Temporal properties: the counterexample is a lasso, and this is the index of the step
   * whose state the behaviour returns to after the last step, forever. When it is the last
   * step, the behaviour stays in that state forever (stuttering).
   */
  readonly loop?: number;
}

/** How each property fared. */
export type PropertyStatus =
  | 'holds'
  | 'violated'
  | 'not violated (search incomplete)'
  | 'not violated (random)'
  | 'not checked (random)';

/**
 * Invariants (states), action properties (transitions), deadlock (terminal states),
 * reachability and temporal properties (the graph).
 */
export type PropertyKind = 'invariant' | 'action' | 'deadlock' | 'reachability' | 'temporal';

export interface PropertyReport {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly status: PropertyStatus;
}

export interface CheckResult<S = unknown, A = unknown> {
  readonly model: string;
  readonly strategy: Strategy;
  readonly verdict: Verdict;
  /** The violated property, when verdict is 'violation'. */
  readonly property?: string;
  readonly counterexample?: Counterexample<S, A>;
  readonly properties: readonly PropertyReport[];
  readonly distinctStates: number;
  readonly generatedStates: number;
  /** Longest path explored (BFS: the diameter reached). */
  readonly depth: number;
  readonly durationMs: number;
  readonly statesPerSecond: number;
  /** Times each action kind fired (transitions taken), by action name. */
  readonly coverage: Readonly<Record<string, number>>;
  /** Declared action kinds that never fired. */
  readonly neverFired: readonly string[];
  /**
   * For each action kind that fired, a path ending with its first firing (BFS: a shortest
   * one). Replay it to get a trace that exercises that action, e.g. for a vector suite.
   */
  readonly witnesses?: Readonly<Record<string, PathIndices>>;
  /** States outside the model's boundary (not expanded). Non-zero means the boundary cut the search. */
  readonly boundaryCut: number;
  /**
   * Why the search was incomplete, when it was: a `--max-depth`/`--max-states` bound, Ctrl-C
   * (the abort signal), or the memory guard (see memoryGuard.ts).
   */
  readonly cutBy?: 'max-depth' | 'max-states' | 'interrupted' | 'memory';
  /** With cutBy 'memory': which limit was reached. */
  readonly memoryReached?: string;
  /** True for BFS/DFS runs that explored every reachable state within the boundary. */
  readonly exhaustive: boolean;
  /** Bytes of the visited table and per-state arrays, and that divided by distinct states. */
  readonly visitedBytes: number;
  readonly bytesPerState: number;
  /**
   * Exhaustive searches: bytes of the action index kept per state (counted in `visitedBytes`):
   * 2, or 4 when a state listed more than 65,536 candidate actions or the model has more than
   * 65,536 initial states.
   */
  readonly actionIndexBytes?: number;
  /**
   * TLC's optimistic estimate of the fingerprint-collision probability, n·(g−n)/2^64 for n
   * distinct and g generated states (TLC's "calculated (optimistic)").
   */
  readonly collisionProbability: number;
  /** The birthday bound n(n−1)/2^65: the probability that two of the n distinct states share a fingerprint. */
  readonly birthdayCollisionBound: number;
  /** Worker threads that searched (parallel breadth-first search). */
  readonly workers?: number;
  /** Why a search asked to use several workers ran on one thread (`--workers auto`). */
  readonly oneThreadBecause?: string;
  /** What `strict` found that does not stop the search, one line per kind (absent: nothing, or not strict). */
  readonly warnings?: readonly string[];
  /** Random simulation: seed and runs used, so the run can be repeated. */
  readonly seed?: number;
  readonly runs?: number;
}
