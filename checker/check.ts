/**
 * The engine's entry points: `check` (synchronous, for tests and scripts) and `checkAsync`
 * (yields to the event loop every slice, for the CLI: progress lines and Ctrl-C).
 */
import { availableParallelism } from 'node:os';
import { createExplorer } from './explore.ts';
import { loadModel, type Loaded, modelSpecOf, type ModelSpec } from './loadModel.ts';
import { InputError } from './errors.ts';
import { watchMemory } from './memoryGuard.ts';
import type { Model } from './model.ts';
import { checkParallelBfs } from './parallel/coordinator.ts';
import { checkParallelDfs, dfsOneThreadBecause } from './parallel/dfsCoordinator.ts';
import { checkSwarm } from './parallel/swarm.ts';
import type { CheckOptions, CheckResult } from './result.ts';
import { simulate, simulateAsync } from './simulate.ts';

const SLICE_MS = 10;

const validate = (options: CheckOptions): void => {
  const positive = (name: string, v: number | undefined, min: number): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min) && v !== Infinity) {
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
    }
  };
  positive('maxDepth', options.maxDepth, 0);
  positive('maxStates', options.maxStates, 1);
  positive('runs', options.runs, 1);
  positive('walkLength', options.walkLength, 0);
  positive('seed', options.seed, 0);
  positive('workers', options.workers, 1);
  if (options.strict && options.strategy === 'random') throw new RangeError('strict applies to bfs and dfs, not to random simulation');
};

/** The model as checked: without its temporal properties and fairness when `options.temporal` is false. */
const asChecked = <S, A>(model: Model<S, A>, options: CheckOptions): Model<S, A> => {
  if (options.temporal !== false || !model.temporal) return model;
  const { temporal: _t, fairness: _f, ...rest } = model;
  return rest;
};

/** The exhaustive search a BFS/DFS check runs, or undefined for random simulation. */
const exhaustiveSearch = <S, A>(model: Model<S, A>, options: CheckOptions) => {
  validate(options);
  const strategy = options.strategy ?? 'bfs';
  return strategy === 'random' ? undefined : createExplorer(model, options, strategy === 'dfs');
};

/** Checks `model` with the chosen strategy (default BFS) and returns the result. */
export const check = <S, A>(given: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> => {
  const model = asChecked(given, options);
  const search = exhaustiveSearch(model, options);
  if (!search) return simulate(model, options);
  const every = options.progressEveryMs ?? 1000;
  const started = performance.now();
  while (!search.step(performance.now() + (options.onProgress ? every : 1e12))) {
    options.onProgress?.({ ...search.progress(), elapsedMs: performance.now() - started });
  }
  return search.result();
};

/** As `check`, yielding to the event loop between slices of about 10 ms. */
export const checkAsync = async <S, A>(given: Model<S, A>, options: CheckOptions = {}): Promise<CheckResult<S, A>> => {
  const model = asChecked(given, options);
  const search = exhaustiveSearch(model, options);
  if (!search) return simulateAsync(model, options);
  const every = options.progressEveryMs ?? 1000;
  const started = performance.now();
  let lastProgress = started;
  while (!search.step(performance.now() + SLICE_MS)) {
    await new Promise((r) => setImmediate(r));
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= every) {
      lastProgress = now;
      options.onProgress({ ...search.progress(), elapsedMs: now - started });
    }
  }
  return search.result();
};

/** `--workers auto`: one per core the machine offers. */
export const autoWorkers = (): number => Math.max(1, availableParallelism());

/**
 * Checks the model that `spec` names. With more than one worker, breadth-first search runs
 * in that many worker threads, each loading the model from the spec, with the same result
 * as one; random simulation runs a swarm of that many walkers (see parallel/swarm.ts).
 * Depth-first search, and one worker, run in this thread. The memory guard watches the run
 * and stops it, incomplete with its figures so far, before memory runs out.
 */
export const checkSpec = async (
  choice: ModelSpec,
  options: CheckOptions = {},
  loaded?: Loaded,
): Promise<CheckResult> => {
  const spec = modelSpecOf(choice);
  const model = asChecked((loaded ?? (await loadModel(spec))).model, options);
  validate(options);
  const guard = watchMemory(options.maxMemoryBytes);
  const guarded: CheckOptions = {
    ...options,
    signal: options.signal ? AbortSignal.any([options.signal, guard.signal]) : guard.signal,
  };
  try {
    const result = await searchSpec(spec, model, guarded);
    const reached = guard.tripped();
    return reached !== undefined && result.cutBy === 'interrupted' && !options.signal?.aborted
      ? { ...result, cutBy: 'memory', memoryReached: reached }
      : result;
  } finally {
    guard.stop();
  }
};

/** Why temporal properties keep a search on this thread: their graph is built by one explorer. */
export const TEMPORAL_ONE_THREAD = 'temporal properties are checked on the graph of a one-thread search';

/**
 * Why a depth-bounded depth-first search stays on this thread: it expands a state again when
 * it reaches it by a shorter path, which its workers could not know in advance.
 */
export const DFS_BOUNDED_ONE_THREAD = 'a depth-bounded depth-first search expands states again when it finds shorter paths to them, on one thread';

/** Why --strict keeps a search on this thread: its checks run in the one-thread explorer. */
export const STRICT_ONE_THREAD = '--strict checks the model contract on a one-thread search';

const searchSpec = async (spec: ModelSpec, model: Model<unknown, unknown>, options: CheckOptions): Promise<CheckResult> => {
  const workers = options.workers ?? 1;
  const bfs = (options.strategy ?? 'bfs') === 'bfs';
  const saves = options.checkpointDir !== undefined || options.resumeDir !== undefined;
  if (options.strict) {
    if (saves) throw new InputError('--checkpoint and --resume do not apply with --strict (it checks on a one-thread search)');
    const result = await checkAsync(model, options);
    return workers > 1 && bfs && !options.workersAuto ? { ...result, oneThreadBecause: STRICT_ONE_THREAD } : result;
  }
  if ((model.temporal ?? []).length > 0 && (options.strategy ?? 'bfs') !== 'random') {
    if (saves) throw new InputError('--checkpoint and --resume do not apply to a model with temporal properties (checked on a one-thread search)');
    const result = await checkAsync(model, options);
    return workers > 1 ? { ...result, oneThreadBecause: TEMPORAL_ONE_THREAD } : result;
  }
  if (bfs && (workers > 1 || saves)) return checkParallelBfs(spec, model, options);
  if (options.strategy === 'dfs' && workers > 1) {
    if (Number.isFinite(options.maxDepth ?? Infinity)) {
      const result = await checkAsync(model, options);
      return options.workersAuto ? result : { ...result, oneThreadBecause: DFS_BOUNDED_ONE_THREAD };
    }
    const because = options.workersAuto ? dfsOneThreadBecause(model) : undefined;
    if (because) return { ...(await checkAsync(model, options)), oneThreadBecause: because };
    return checkParallelDfs(spec, model, options);
  }
  if (workers > 1 && options.strategy === 'random') return checkSwarm(spec, model, options);
  return checkAsync(model, options);
};
