/**
 * The coordinator of a parallel breadth-first search (see protocol.ts for the scheme). It
 * visits the initial states itself, then drives the workers level by level: expand, report.
 * At each level's end it merges the workers' new states in key order, gives them their ids
 * (the order a one-worker search finds them in), records each one's parent and action,
 * chooses which worker keeps a state several found, and adds them to the visited set that
 * workers read during the next level.
 *
 * The result is the same as the one-thread search's for any number of workers: the same
 * distinct and generated counts, depth, coverage, witnesses and counterexample.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { type ActionIndices, grownActionIndices, NARROW_LIMIT, widenedFor } from '../actionIndices.ts';
import { fingerprint, fingerprintHex, fingerprintInto } from '../fingerprint.ts';
import { type CheckpointIdentity, readCheckpoint, writeCheckpoint } from './checkpoint.ts';
import { type ClaimShare, type ClaimTable, clearClaims, createClaims, openClaims } from './claims.ts';
import { createFpTable, type FpTable, fpTableBytes, fpTableShare, hasFp, putIfAbsent, reserveFp, valueOfFp } from '../fpTable.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { Model } from '../model.ts';
import { pathFromParents } from '../replay.ts';
import type { CheckOptions, CheckResult, PathIndices, Progress } from '../result.ts';
import { deadlockFound, exhaustiveResult, type Found, reachabilityViolation, replayedCounterexample } from '../searchResult.ts';
import {
  createByteSink,
  createStringRegistryBuffer,
  encodeValue,
  openStringRegistry,
  preloadRegistry,
  registryStrings,
  type StringRegistry,
  writeVarint,
} from '../stateCodec.ts';
import { createExplorer } from '../explore.ts';
import { symmetryOf } from '../symmetry.ts';
import { addEdge, createStateGraph, markState, stateGraphBytes, UNEXPANDED } from '../stateGraph.ts';
import {
  type FromWorker,
  type LevelReport,
  DROPPED,
  ownerOf,
  STAT_EXPANDED,
  STAT_GENERATED,
  STAT_FOUND,
  STAT_WORDS,
  statBase,
  type ToWorker,
  type WorkerSetup,
} from './protocol.ts';
import { startSearchWorker } from './spawnWorker.ts';

/**
 * With `--workers auto`, a search whose states encode to more than this many bytes on
 * average stays on one thread. Measured on a 2-core machine: two workers each expand such
 * states about 1.35 times slower than one thread alone, and each worker's code starts cold, so
 * the replication presets (300 to 500 bytes a state) that take a few seconds lose with a
 * second worker (0.4 to 0.95 times one thread's speed), and only the default preset, 14 s on
 * one thread, gains (1.4 times); TwoPhase (about 40 bytes a state) gains 1.25 times.
 */
export const AUTO_MAX_STATE_BYTES = 256;

/** The largest claim table (slots, 12 bytes each): 192 MiB. */
const MAX_CLAIMS = 1 << 24;

const nextPowerOfTwo = (n: number): number => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};

/**
 * States per worker in the level at which the search moves to the workers. A worker keeps
 * the successors it finds, so the first level shared out by fingerprint decides how evenly
 * the work is spread; the claims then keep it even where states have several parents.
 */
const HANDOVER_PER_WORKER = 64;

/** Slices of the search on this thread between looks at whether the workers are ready. */
const WARM_SLICE_MS = 10;

/** New states per worker and level kept as objects before the rest waits on disk. */
export const DEFAULT_FRONTIER_LIMIT = 1 << 18;

interface Pool {
  readonly workers: Worker[];
  /** Resolves with the next message of every worker (one each). */
  next(): Promise<FromWorker[]>;
  send(w: number, m: ToWorker, transfer?: ArrayBuffer[]): void;
  close(): Promise<void>;
}

const startPool = (spec: ModelSpec, count: number, base: Omit<WorkerSetup, 'index' | 'count' | 'spec'>): Pool => {
  const inbox: FromWorker[][] = Array.from({ length: count }, () => []);
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  const workers = Array.from({ length: count }, (_, index) => {
    const setup: WorkerSetup = { ...base, spec, index, count };
    return startSearchWorker<FromWorker>(
      './entry.ts',
      setup,
      index,
      (m) => {
        inbox[index]!.push(m);
        waiting?.();
      },
      (e) => {
        failure ??= e;
        waiting?.();
      },
    );
  });
  return {
    workers,
    next: async () => {
      for (;;) {
        if (failure) throw failure;
        if (inbox.every((q) => q.length > 0)) return inbox.map((q) => q.shift()!);
        await new Promise<void>((r) => (waiting = r));
        waiting = undefined;
      }
    },
    send: (w, m, transfer = []) => workers[w]!.postMessage(m, transfer),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
};

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What a checkpoint must match to be resumed by this search. */
const checkpointIdentity = (spec: ModelSpec, model: Model<unknown, unknown>, options: CheckOptions): CheckpointIdentity => ({
  version: VERSION,
  spec,
  model: model.name,
  modelFingerprint: fingerprintHex(fingerprint({ inits: model.initStates(), actions: model.actionNames ?? [] })),
  maxDepth: Number.isFinite(options.maxDepth ?? Infinity) ? options.maxDepth! : null,
});

/** Why `--workers auto` keeps a search of states this large (bytes encoded, on average) on one thread. */
export const largeStatesBecause = (bytes: number): string =>
  `its states average ${Math.round(bytes)} bytes encoded (over ${AUTO_MAX_STATE_BYTES}): workers expanding states this large gain little over one thread, for much more processor time (--workers N to insist)`;

/** The average size of the binary encoding of `sample`. */
export const averageEncodedBytes = (sample: readonly unknown[], codec: StringRegistry): number => {
  if (sample.length === 0) return 0;
  const sink = createByteSink();
  for (const s of sample) encodeValue(sink, codec, s);
  return sink.length / sample.length;
};

/** The least of the workers' per-level candidates, compared by (rank, action). */
const lessKey = (r1: number, a1: number, r2: number, a2: number): boolean => r1 < r2 || (r1 === r2 && a1 < a2);

/**
 * Checks the model of `spec` (already loaded here as `model`) by breadth-first search with
 * `options.workers` worker threads.
 */
export const checkParallelBfs = async <S, A>(spec: ModelSpec, model: Model<S, A>, options: CheckOptions): Promise<CheckResult<S, A>> => {
  const started = performance.now();
  const N = options.workers ?? 1;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const invariants = model.invariants ?? [];
  const actionProps = model.actionProperties ?? [];
  const reach = model.reachability ?? [];
  if (reach.length > 31) throw new RangeError(`at most 31 reachability properties, got ${reach.length}`);
  let graph = reach.length > 0 ? createStateGraph() : undefined;
  const canon = symmetryOf(model, options);

  const identity = options.checkpointDir !== undefined || options.resumeDir !== undefined ? checkpointIdentity(spec, model, options) : undefined;

  // The search starts on this thread while the workers start, and moves to them at the
  // first level boundary after they are ready: a small model is done before that.
  const warm = createExplorer(model, options, false, { sharedTable: true, pauseAtLevels: true });
  const control = new SharedArrayBuffer((1 + N * STAT_WORDS) * 4);
  const controlWords = new Int32Array(control);
  const spillDir = mkdtempSync(join(tmpdir(), 'sc-spill-'));
  const registry = createStringRegistryBuffer();
  const pool = startPool(spec, N, {
    registry,
    control,
    graph: graph !== undefined,
    frontierLimit: options.frontierLimit ?? DEFAULT_FRONTIER_LIMIT,
    spillDir,
    keepFrontier: options.checkpointDir !== undefined,
    symmetry: canon !== undefined,
  });
  let ready = false;
  const whenReady = pool.next().then(() => {
    ready = true;
  });
  whenReady.catch(() => undefined); // seen again where it is awaited

  let table!: FpTable;
  let parents!: Uint32Array;
  let actionIdx!: ActionIndices;
  let nextId = 0;
  const ensureIds = (n: number): void => {
    if (n <= parents.length) return;
    let cap = parents.length * 2;
    while (cap < n) cap *= 2;
    const p = new Uint32Array(cap);
    p.set(parents);
    parents = p;
    actionIdx = grownActionIndices(actionIdx, cap);
  };

  let fired = new Map<string, number>();
  let witnesses = new Map<string, PathIndices>();
  let generated = 0;
  let depth = 0;
  let boundaryCut = 0;
  let cutBy: CheckResult['cutBy'];
  let violation: Found | undefined;

  const deadlockAt = (id: number): Found => deadlockFound(pathFromParents(parents, actionIdx, id));

  const onAbort = (): void => {
    Atomics.store(controlWords, 0, 1);
  };
  options.signal?.addEventListener('abort', onAbort);

  // Progress: the committed figures plus what the workers report of the level under way.
  let levelSize = 0;
  let previousLevel = 0;
  let handedOver = false;
  const every = options.progressEveryMs ?? 1000;
  const progress = (): Progress => {
    if (!handedOver) return { ...warm.progress(), elapsedMs: performance.now() - started };
    let gen = 0;
    let expanded = 0;
    let owned = 0;
    for (let w = 0; w < N; w++) {
      gen += Atomics.load(controlWords, statBase(w) + STAT_GENERATED);
      expanded += Atomics.load(controlWords, statBase(w) + STAT_EXPANDED);
      owned += Atomics.load(controlWords, statBase(w) + STAT_FOUND);
    }
    // Levels shrinking by a ratio r leave about (next level) * r / (1 - r) states after it.
    const r = previousLevel > 0 ? levelSize / previousLevel : 1;
    const nextLevel = levelSize * r;
    return {
      distinctStates: nextId + owned,
      generatedStates: generated + gen,
      queued: Math.max(0, levelSize - expanded) + owned,
      depth,
      elapsedMs: performance.now() - started,
      ...(r < 0.95 ? { remainingEstimate: Math.max(0, Math.round(nextLevel / (1 - r) - owned)) } : {}),
    };
  };
  const timer = options.onProgress ? setInterval(() => options.onProgress!(progress()), every) : undefined;

  let level = 0;
  let levelBase = 0; // the id of rank 0 in the level being expanded
  let ranks: Uint32Array[] | undefined;
  const codec = openStringRegistry(registry);

  /**
   * Writes a checkpoint between levels: `next` before the level about to be expanded
   * (its ranks go to the workers with it), `current` for a level whose expansion was
   * interrupted (the figures are still those from before it).
   */
  const saveCheckpoint = async (which: 'next' | 'current'): Promise<void> => {
    const dir = options.checkpointDir!;
    const files = Array.from({ length: N }, (_, w) => `frontier-${w}.bin`);
    for (let w = 0; w < N; w++) {
      const r = which === 'next' ? ranks?.[w] : undefined;
      const m: ToWorker = { type: 'writeFrontier', path: join(dir, files[w]!), next: which === 'next', ...(r ? { ranks: r } : {}) };
      pool.send(w, m, r ? [r.buffer as ArrayBuffer] : []);
    }
    if (which === 'next') ranks = undefined;
    await pool.next();
    writeCheckpoint(
      dir,
      identity!,
      {
        nextId,
        generated,
        depth,
        boundaryCut,
        level,
        levelBase,
        levelSize,
        fired: [...fired],
        witnesses: [...witnesses],
        tableCapacity: table.hi.length,
        tableSize: table.size,
        edges: graph?.edges ?? 0,
      },
      {
        hi: table.hi,
        lo: table.lo,
        ...(table.values ? { values: table.values } : {}),
        parents,
        actionIdx,
        ...(graph ? { graph } : {}),
        strings: registryStrings(codec),
      },
      files,
    );
  };

  try {
    if (options.resumeDir !== undefined) {
      // Go on from a checkpoint: its visited set, links, figures and frontier.
      const c = readCheckpoint(options.resumeDir, identity!);
      table = createFpTable(1, graph !== undefined, true);
      table.hi = new Uint32Array(new SharedArrayBuffer(c.hi.byteLength));
      table.hi.set(c.hi);
      table.lo = new Uint32Array(new SharedArrayBuffer(c.lo.byteLength));
      table.lo.set(c.lo);
      table.mask = c.hi.length - 1;
      table.size = c.tableSize;
      if (table.values && c.values) table.values = c.values;
      parents = new Uint32Array(Math.max(1024, c.nextId));
      parents.set(c.parents);
      actionIdx = grownActionIndices(c.actionIdx, Math.max(1024, c.nextId));
      nextId = c.nextId;
      generated = c.generated;
      depth = c.depth;
      boundaryCut = c.boundaryCut;
      fired = new Map(c.fired);
      witnesses = new Map(c.witnesses);
      if (graph && c.graph) {
        graph.src = c.graph.src;
        graph.dst = c.graph.dst;
        graph.mask = c.graph.mask;
        graph.marks = c.graph.marks;
        graph.edges = c.edges;
      }
      level = c.level;
      levelBase = c.levelBase;
      levelSize = c.levelSize;
      preloadRegistry(codec, c.strings);
      await whenReady;
      handedOver = true;
      for (let w = 0; w < N; w++) pool.send(w, { type: 'adoptFiles', paths: c.frontierFiles });
      await pool.next();
    } else {
      // Checkpoints are written by the level loop below: a search that writes them goes there
      // from the first level. Otherwise the search hands over a level wide enough to be shared
      // out, since states stay with the worker that found them and the first shares decide how
      // evenly the work is spread (tests that wait for the workers: as soon as each can have
      // a state).
      if (options.waitForWorkers || options.checkpointDir !== undefined) await whenReady;
      const least = options.checkpointDir !== undefined ? 1 : options.waitForWorkers ? N : HANDOVER_PER_WORKER * N;
      const wide = (): boolean => warm.peekFrontier(least).length >= least;
      while (!warm.step(performance.now() + WARM_SLICE_MS)) {
        if (ready && warm.atLevelBoundary() && wide()) break;
        await new Promise((r) => setImmediate(r));
      }
      if (!warm.atLevelBoundary()) return { ...warm.result(), workers: 1 };
      await whenReady;
      const bytes = options.workersAuto ? averageEncodedBytes(warm.peekFrontier(256), codec) : 0;
      if (bytes > AUTO_MAX_STATE_BYTES) {
        // Large states: this thread is faster alone (see AUTO_MAX_STATE_BYTES).
        warm.stopPausing();
        while (!warm.step(performance.now() + WARM_SLICE_MS)) await new Promise((r) => setImmediate(r));
        const because = largeStatesBecause(bytes);
        return { ...warm.result(), workers: 1, oneThreadBecause: because };
      }
      handedOver = true;

      // Take the paused search over: its visited set, links and figures, and its next level.
      const h = warm.handover();
      table = h.table;
      parents = h.parents;
      actionIdx = h.actionIdx;
      nextId = h.nextId;
      generated = h.generated;
      fired = h.fired;
      witnesses = h.witnesses;
      boundaryCut = h.boundaryCut;
      depth = h.depth;
      if (h.graph) graph = h.graph;
      levelBase = h.frontier.length > 0 ? h.frontier[0]!.id : nextId;
      const boxes = Array.from({ length: N }, () => createByteSink());
      const fp = { hi: 0, lo: 0 };
      // Each state goes as its path from an initial state, which the worker replays: the
      // model's own objects, where decoded ones would have other shapes (hidden classes)
      // and slow every later step that touches them or what they share with successors.
      for (const { state, id } of h.frontier) {
        fingerprintInto(canon ? canon(state) : state, fp);
        const box = boxes[ownerOf(fp.hi, fp.lo, N)]!;
        const path = pathFromParents(parents, actionIdx, id);
        writeVarint(box, id - levelBase);
        writeVarint(box, path.init);
        writeVarint(box, path.actions.length);
        for (const a of path.actions) writeVarint(box, a);
      }
      for (let w = 0; w < N; w++) {
        const bytes = boxes[w]!.bytes.slice(0, boxes[w]!.length);
        pool.send(w, { type: 'adopt', bytes }, [bytes.buffer]);
      }
      levelSize = h.frontier.length;
      level = h.level;
    }

    let lastCheckpoint = performance.now();
    let tableChanged = true;
    let claims: ClaimTable | undefined;
    let lastFresh = 0;
    while (levelSize > 0 && !violation) {
      if (Atomics.load(controlWords, 0) !== 0) {
        cutBy = 'interrupted';
        if (options.checkpointDir !== undefined) await saveCheckpoint('next');
        break;
      }
      if (options.checkpointDir !== undefined && performance.now() - lastCheckpoint >= (options.checkpointEveryMs ?? 300_000)) {
        await saveCheckpoint('next');
        lastCheckpoint = performance.now();
      }
      if (nextId >= maxStates) {
        cutBy = 'max-states';
        break;
      }
      const bound = level >= maxDepth;
      // The level's claims: room for twice the larger of this level and the last one's new
      // states (past 3/4 of it, workers keep what they find without claiming). A table far
      // larger than that is replaced rather than cleared, which would touch all of it.
      const want = Math.min(options.maxClaims ?? MAX_CLAIMS, nextPowerOfTwo(Math.max(1024, Math.ceil((2 * Math.max(levelSize, lastFresh)) / 0.75))));
      let newClaims: ClaimShare | undefined;
      if (claims === undefined || claims.capacity < want || claims.capacity > 4 * want) {
        newClaims = createClaims(want);
        claims = openClaims(newClaims);
      } else clearClaims(claims);
      for (let w = 0; w < N; w++) {
        const r = ranks?.[w];
        pool.send(
          w,
          {
            type: 'expand',
            level,
            parentBase: levelBase,
            bound,
            ...(r ? { ranks: r } : {}),
            ...(tableChanged ? { table: fpTableShare(table) } : {}),
            ...(newClaims ? { claims: newClaims } : {}),
          },
          r ? [r.buffer as ArrayBuffer] : [],
        );
      }
      tableChanged = false;
      const reports = (await pool.next()) as LevelReport[];
      if (Atomics.load(controlWords, 0) !== 0) {
        cutBy = 'interrupted';
        if (options.checkpointDir !== undefined) await saveCheckpoint('current');
        break;
      }
      if (bound) {
        if (reports.some((r) => r.cut)) cutBy = 'max-depth';
        const stuck = reports.reduce((m, r) => (r.deadlock !== undefined && r.deadlock < m ? r.deadlock : m), Infinity);
        if (stuck < Infinity) violation = deadlockAt(levelBase + stuck);
        break;
      }

      // Merge the workers' sorted lists: ids in key order, each state once (the first time
      // is by its least key), kept by one of the workers that hold it.
      const found = reports.reduce((n, r) => n + r.count, 0);
      const newBase = nextId;
      ensureIds(nextId + found);
      const levelFound = createFpTable(found, true); // fingerprint -> id - newBase, for this level
      const NONE = -1; // (workers are numbered 0 to 255)
      const keeperW = new Int16Array(found).fill(NONE);
      const keeperK = new Uint32Array(found);
      const newHi = new Uint32Array(found);
      const newLo = new Uint32Array(found);
      const levelRanks = reports.map((r) => new Uint32Array(r.count).fill(DROPPED));
      ranks = levelRanks;
      const at = new Array<number>(N).fill(0);
      /** Makes worker w's record k the keeper of the state ranked `rank` in the new level. */
      const keep = (rank: number, w: number, k: number): void => {
        if (keeperW[rank] !== NONE) levelRanks[keeperW[rank]!]![keeperK[rank]!] = DROPPED;
        levelRanks[w]![k] = rank;
        keeperW[rank] = w;
        keeperK[rank] = k;
      };
      for (let n = 0; n < found; n++) {
        let best = -1;
        for (let w = 0; w < N; w++) {
          const k = at[w]!;
          const r = reports[w]!;
          if (k >= r.count) continue;
          if (best < 0) {
            best = w;
            continue;
          }
          const b = reports[best]!;
          const kb = at[best]!;
          if (lessKey(r.rank[k] as number, r.action[k] as number, b.rank[kb] as number, b.action[kb] as number)) best = w;
        }
        const r = reports[best]!;
        const k = at[best]!++;
        const hi = r.hi[k] as number;
        const lo = r.lo[k] as number;
        const held = r.held[k] === 1;
        const slot = putIfAbsent(levelFound, hi, lo);
        if (slot < 0) {
          // Found before by a lesser key. Usually one worker holds a state; when several do
          // (the claims were full), the one it hashes to keeps it.
          const rank = levelFound.values![-1 - slot] as number;
          if (held && (keeperW[rank] === NONE || (best === ownerOf(hi, lo, N) && keeperW[rank] !== best))) keep(rank, best, k);
          continue;
        }
        const id = nextId++;
        const rank = id - newBase;
        levelFound.values![slot] = rank;
        if (held) keep(rank, best, k);
        newHi[rank] = hi;
        newLo[rank] = lo;
        parents[id] = levelBase + (r.rank[k] as number);
        const action = r.action[k] as number;
        // An index past two bytes: from now on the links keep four a state.
        if (action >= NARROW_LIMIT) actionIdx = widenedFor(actionIdx, action + 1);
        actionIdx[id] = action;
      }
      // What the keepers saw of each new state, in id order.
      let firstBad: { w: number; k: number; id: number } | undefined;
      let expandable = 0;
      for (let rank = 0; rank < nextId - newBase; rank++) {
        const w = keeperW[rank]!;
        if (w === NONE) throw new Error('parallel search: a new state is kept by no worker');
        const r = reports[w]!;
        const k = keeperK[rank]!;
        const id = newBase + rank;
        if (r.violated[k]) firstBad ??= { w, k, id };
        else if (r.outside[k]) {
          boundaryCut++;
          if (graph) markState(graph, id, UNEXPANDED);
        } else expandable++;
        if (graph && !r.violated[k]) markState(graph, id, r.goals![k] as number);
      }
      const fresh = nextId - newBase;
      lastFresh = fresh;
      const before = table.hi.length;
      reserveFp(table, fresh);
      if (table.hi.length !== before) tableChanged = true;
      for (let rank = 0; rank < fresh; rank++) {
        const slot = putIfAbsent(table, newHi[rank] as number, newLo[rank] as number);
        if (slot < 0) throw new Error('parallel search: a state of the visited set was reported new');
        if (table.values) table.values[slot] = newBase + rank;
      }
      if (fresh > 0) depth = level + 1;

      // Figures of the level.
      const levelWitness = new Map<string, [number, number]>();
      for (const r of reports) {
        generated += r.generated;
        for (const [name, n] of r.fired) fired.set(name, (fired.get(name) ?? 0) + n);
        for (const [name, rank, i] of r.witnesses) {
          if (witnesses.has(name)) continue;
          const w = levelWitness.get(name);
          if (!w || lessKey(rank, i, w[0], w[1])) levelWitness.set(name, [rank, i]);
        }
      }
      for (const [name, [rank, i]] of levelWitness) {
        const p = pathFromParents(parents, actionIdx, levelBase + rank);
        witnesses.set(name, { init: p.init, actions: [...p.actions, i] });
      }
      if (graph) {
        for (const r of reports) {
          const e = r.edges!;
          for (let k = 0; k < e.from.length; k++) {
            const to = valueOfFp(table, e.hi[k] as number, e.lo[k] as number);
            if (to >= 0) addEdge(graph, e.from[k] as number, to, e.mask[k] as number);
          }
        }
      }

      // The least violation of the level, in the order a one-thread search meets them:
      // by (parent rank, action index); an action property before the state it leads to;
      // a deadlock after all of its state's actions.
      let key: [number, number] | undefined;
      const consider = (rank: number, action: number, make: () => Found): void => {
        if (key && !lessKey(rank, action, key[0], key[1])) return;
        key = [rank, action];
        violation = make();
      };
      for (const r of reports) {
        if (r.deadlock !== undefined) {
          const id = levelBase + r.deadlock;
          consider(r.deadlock, Infinity, () => deadlockAt(id));
        }
      }
      if (firstBad) {
        const r = reports[firstBad.w]!;
        const k = firstBad.k;
        const id = firstBad.id;
        const inv = invariants[(r.violated[k] as number) - 1]!;
        consider(r.rank[k] as number, (r.action[k] as number) + 0.5, () => ({
          property: inv.name,
          kind: 'invariant',
          path: pathFromParents(parents, actionIdx, id),
          explain: (last) => inv.explain?.(last as S),
          fp: { hi: r.hi[k] as number, lo: r.lo[k] as number },
        }));
      }
      for (const r of reports) {
        if (!r.actionViolation) continue;
        const [rank, i, k] = r.actionViolation;
        const prop = actionProps[k]!;
        consider(rank, i, () => {
          const p = pathFromParents(parents, actionIdx, levelBase + rank);
          return {
            property: prop.name,
            kind: 'action',
            path: { init: p.init, actions: [...p.actions, i] },
            explain: () => undefined,
          };
        });
      }

      levelBase = newBase;
      previousLevel = levelSize;
      levelSize = expandable;
      level++;
    }

    // Reachability on the whole graph, when the search was complete.
    if (graph && !violation && !cutBy) violation = reachabilityViolation(graph, reach, nextId, parents, actionIdx);
  } finally {
    if (timer) clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
    rmSync(spillDir, { recursive: true, force: true });
  }

  const counterexample = violation ? replayedCounterexample(model, violation as Found, (hi, lo) => hasFp(table, hi, lo), canon) : undefined;
  const visitedBytes = fpTableBytes(table) + parents.byteLength + actionIdx.byteLength + (graph ? stateGraphBytes(graph) : 0);
  return exhaustiveResult(model, {
    strategy: 'bfs',
    started,
    ...(counterexample ? { counterexample } : {}),
    ...(cutBy ? { cutBy } : {}),
    distinct: nextId,
    generated,
    depth,
    fired,
    witnesses,
    boundaryCut,
    visitedBytes,
    actionIndexBytes: actionIdx.BYTES_PER_ELEMENT,
    workers: N,
  });
};
