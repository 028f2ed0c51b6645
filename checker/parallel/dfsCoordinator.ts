/**
 * Parallel depth-first search with the one-thread search's result.
 *
 * The order in which a depth-first search meets states is inherently sequential, so this
 * thread still walks it, state by state, exactly as the one-thread search does (explore.ts):
 * the same stack, the same ids, parents, depths, counts, witnesses, and the same first
 * violation. What it no longer does is the costly part of each step: computing successors,
 * fingerprinting them, checking invariants and action properties. The workers do that
 * (dfsWorker.ts), each expanding the states it claimed, in any order, and writing what each
 * expansion shows to its stream (dfsRecord.ts); this thread reads the streams and, when the
 * walk reaches a state, takes its expansion from there, waiting for it if it is not written
 * yet. An expansion depends on the state alone, so the walk is the same whoever wrote it.
 *
 * A worker whose stream is full stops. The states nobody else will expand (those it held,
 * and all once every worker has stopped) this thread expands itself, as the one-thread search
 * does: from the state object when it found the state so, else rebuilt by replay of its path.
 * So memory stays bounded: past about 3 million states of TwoPhase, the walk goes on alone.
 *
 * Before the workers are up, this thread runs the one-thread search; a model it finishes in
 * that time does not wait for them.
 */
import { type ActionIndices, createActionIndices, grownActionIndices, NARROW_LIMIT, widenedFor } from '../actionIndices.ts';
import { createExplorer } from '../explore.ts';
import { fingerprintInto } from '../fingerprint.ts';
import { createFpTable, fpTableBytes, hasFp, putIfAbsent, valueOfFp } from '../fpTable.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { Model } from '../model.ts';
import { NO_PARENT, pathFromParents, replay } from '../replay.ts';
import type { CheckOptions, CheckResult, PathIndices } from '../result.ts';
import { deadlockFound, exhaustiveResult, type Found, reachabilityViolation, replayedCounterexample } from '../searchResult.ts';
import { createStringRegistryBuffer, openStringRegistry } from '../stateCodec.ts';
import { addEdge, createStateGraph, markState, stateGraphBytes, UNEXPANDED } from '../stateGraph.ts';
import { symmetryOf } from '../symmetry.ts';
import { claimValue, type ClaimShare, createClaims, openClaims } from './claims.ts';
import { AUTO_MAX_STATE_BYTES, averageEncodedBytes, largeStatesBecause } from './coordinator.ts';
import { startSearchWorker } from './spawnWorker.ts';
import {
  controlWords,
  CTRL_ABORT,
  CTRL_FAILED,
  CTRL_IDLE,
  ctrlHungry,
  ctrlPublished,
  FULL_STREAM,
  type DfsWorkerSetup,
  type FromDfsWorker,
} from './dfsProtocol.ts';
import {
  createExpander,
  FLAG_DEADLOCK,
  goalBits,
  growingSink,
  HEADER_WORDS,
  NAME_ENTRY,
  NOT_MINE,
  OUTSIDE,
  stateVerdict,
  successorWords,
  UNCLAIMED,
  V_EXPANSION,
  V_GOALS,
  V_VERDICT,
  VERDICT_ENTRY,
  VERDICT_WORDS,
} from './dfsRecord.ts';

/**
 * Words of a worker's stream: 256 MiB, taken from memory only as it is written. Measured on
 * TwoPhase N=9 (10,340,352 states) with two workers: 81 s and 1.0 GB peak with these, 62 s
 * and 3.0 GB with four times the room (and a claim table four times as large); one thread
 * alone takes 71 s and 390 MB.
 */
const STREAM_WORDS = 1 << 26;
/** Locations (stream * words + position, + 1) must be positive 32-bit integers. */
const LOCATIONS = 2 ** 31 - 2;
/** The claim table's slots by default (12 bytes each): 3 million states before workers may expand one twice. */
const DFS_CLAIMS = 1 << 22;
/** A stack entry's verdict location when this thread checked the state: it expands it too. */
const OWN_CHECKED = -3;
/** `visit`'s answer for a new state that violates an invariant. */
const VIOLATED = -2;
/** How long this thread sleeps when the expansion it needs is not written yet. */
const NAP_MS = 0.2;
/** How long this thread waits for a verdict another thread is writing before it gives up on that thread. */
const STALL_MS = 60_000;
const nap = new Int32Array(new SharedArrayBuffer(4));

let searches = 0;

/**
 * With `--workers auto`, why a depth-first search should stay on one thread, if it should:
 * as the level search does, when its states are large (see AUTO_MAX_STATE_BYTES). Measured:
 * two workers make the linkfail preset (3.7 s on one thread) 1.24 times slower.
 */
export const dfsOneThreadBecause = <S, A>(model: Model<S, A>): string | undefined => {
  const bytes = averageEncodedBytes(firstStates(model, 256), openStringRegistry(createStringRegistryBuffer()));
  return bytes > AUTO_MAX_STATE_BYTES ? largeStatesBecause(bytes) : undefined;
};

/** Up to `n` states, breadth-first from the initial ones: a sample of what the search will hold. */
const firstStates = <S, A>(model: Model<S, A>, n: number): S[] => {
  const out = [...model.initStates()].slice(0, n);
  for (let k = 0; k < out.length && out.length < n; k++) {
    const s = out[k]!;
    for (const a of model.actions(s)) {
      const t = model.nextState(s, a);
      if (t !== undefined && out.length < n) out.push(t);
    }
  }
  return out;
};

/**
 * Checks `model` (loaded from `spec`) by depth-first search with `options.workers` worker
 * threads; unbounded depth, no temporal properties, not strict (the caller sees to that).
 */
export const checkParallelDfs = async <S, A>(spec: ModelSpec, model: Model<S, A>, options: CheckOptions): Promise<CheckResult<S, A>> => {
  const started = performance.now();
  const N = options.workers ?? 1;
  const reach = model.reachability ?? [];
  if (reach.length > 31) throw new RangeError(`at most 31 reachability properties, got ${reach.length}`);
  const graph = reach.length > 0 ? createStateGraph() : undefined;
  const canon = symmetryOf(model, options);
  const invariants = model.invariants ?? [];
  const actionProps = model.actionProperties ?? [];

  // Workers, their streams and the claim table.
  const streamWords = Math.min(options.dfsStreamWords ?? STREAM_WORDS, Math.floor(LOCATIONS / (N + 1)));
  const control = new SharedArrayBuffer(controlWords(N) * 4);
  const ctrl = new Int32Array(control);
  const streams = Array.from({ length: N }, () => new SharedArrayBuffer(streamWords * 4));
  const claims = createClaims(options.maxClaims ?? DFS_CLAIMS, true);
  const channel = `shuttlecheck-dfs-${process.pid}-${++searches}`;
  const registry = createStringRegistryBuffer();
  let failure: Error | undefined;
  let ready = 0;
  const workers = streams.map((_, index) => {
    const setup: DfsWorkerSetup = {
      spec,
      index,
      count: N,
      control,
      streams,
      streamWords,
      claims,
      registry,
      channel,
      symmetry: canon !== undefined,
      graph: graph !== undefined,
    };
    return startSearchWorker<FromDfsWorker>(
      './dfsEntry.ts',
      setup,
      index,
      () => ready++,
      (e) => {
        failure ??= e;
      },
    );
  });
  const stop = async (): Promise<void> => {
    Atomics.store(ctrl, CTRL_ABORT, 1);
    await Promise.all(workers.map((w) => w.terminate()));
  };

  try {
    // While the workers start, the one-thread search runs here; done first, it is the answer
    // (unless the caller waits for the workers).
    const alone = options.waitForWorkers ? undefined : createExplorer(model, options, true);
    while (ready < N) {
      if (failure) throw failure;
      if (alone?.step(performance.now() + 10)) return { ...alone.result(), workers: 1 };
      await new Promise((r) => (alone ? setImmediate(r) : setTimeout(r, 1)));
    }
    (globalThis as any).__alone=performance.now()-started;
    return await walk(model, options, { N, ctrl, streams, streamWords, claims, graph, canon, invariants, actionProps, started, failed: () => failure });
  } finally {
    await stop();
  }
};

interface Shared<S, A> {
  readonly N: number;
  readonly ctrl: Int32Array;
  readonly streams: readonly SharedArrayBuffer[];
  readonly streamWords: number;
  readonly claims: ClaimShare;
  readonly graph: ReturnType<typeof createStateGraph> | undefined;
  readonly canon: ((s: S) => S) | undefined;
  readonly invariants: NonNullable<Model<S, A>['invariants']>;
  readonly actionProps: NonNullable<Model<S, A>['actionProperties']>;
  readonly started: number;
  readonly failed: () => Error | undefined;
}

/** The depth-first walk over the workers' streams (see the module comment). */
const walk = async <S, A>(model: Model<S, A>, options: CheckOptions, sh: Shared<S, A>): Promise<CheckResult<S, A>> => {
  const { N, ctrl, streamWords, graph, canon, invariants, actionProps } = sh;
  const maxStates = options.maxStates ?? Infinity;
  const per = successorWords(graph !== undefined);
  const reach = model.reachability ?? [];
  const claims = openClaims(sh.claims);

  // The streams: the workers', then this thread's own (source N) for what it expands itself.
  const own = growingSink();
  const views = sh.streams.map((b) => new Int32Array(b));
  const view = (src: number): Int32Array => (src === N ? own.words : views[src]!);
  // This thread's stream is read up to here: never while an entry is being written.
  let ownPublished = 0;
  const published = (src: number): number => (src === N ? ownPublished : Atomics.load(ctrl, ctrlPublished(N, src)));
  const scanned = new Array<number>(N + 1).fill(0);
  // Action names: each source numbers them its own way; this thread numbers them in turn.
  const nameList: string[] = [];
  const nameNumbers = new Map<string, number>();
  const globalName: number[][] = Array.from({ length: N + 1 }, () => []);
  let firedBy = new Float64Array(16);
  // Where the verdicts are that no claim tells of (UNCLAIMED), by fingerprint.
  const unclaimed = createFpTable(1 << 10, true);

  /** Reads what source `src` has published since the last look: names, and verdicts no claim tells of. */
  const scan = (src: number): void => {
    const w = view(src);
    const end = published(src);
    let pos = scanned[src]!;
    while (pos < end) {
      const first = w[pos] as number;
      if (first >= 0) pos += HEADER_WORDS + first * per;
      else if (first === VERDICT_ENTRY) {
        if (src !== N && ((w[pos + V_VERDICT] as number) & UNCLAIMED) !== 0) {
          const slot = putIfAbsent(unclaimed, (w[pos + 1] as number) >>> 0, (w[pos + 2] as number) >>> 0);
          if (slot >= 0) unclaimed.values![slot] = src * streamWords + pos;
        }
        pos += VERDICT_WORDS;
      } else if (first === NAME_ENTRY) {
        const len = w[pos + 2] as number;
        let name = '';
        for (let c = 0; c < len; c++) name += String.fromCharCode(w[pos + 3 + c] as number);
        let g = nameNumbers.get(name);
        if (g === undefined) {
          g = nameList.length;
          nameList.push(name);
          nameNumbers.set(name, g);
          if (g >= firedBy.length) {
            const f = new Float64Array(firedBy.length * 2);
            f.set(firedBy);
            firedBy = f;
          }
        }
        globalName[src]![w[pos + 1] as number] = g;
        pos += 3 + len;
      } else throw new Error(`parallel depth-first search: stream ${src} is corrupt at word ${pos}`);
    }
    scanned[src] = pos;
  };
  const scanAll = (): void => {
    for (let src = 0; src <= N; src++) scan(src);
  };
  /** The source of a location: this thread's own stream starts after the workers' and has no end. */
  const sourceOf = (loc: number): number => Math.min(N, Math.floor(loc / streamWords));
  const word = (loc: number, offset: number): number => {
    const src = sourceOf(loc);
    return view(src)[loc - src * streamWords + offset] as number;
  };

  /**
   * Where this thread's own verdict entry of a state is, among those written since its stream
   * was last started over (they are read at once, by the expansion they follow), or -1.
   */
  const ownVerdictAt = (hi: number, lo: number): number => {
    const w = own.words;
    for (let pos = 0; pos < ownPublished; ) {
      const first = w[pos] as number;
      if (first >= 0) pos += HEADER_WORDS + first * per;
      else if (first === VERDICT_ENTRY) {
        if ((w[pos + 1] as number) >>> 0 === hi && (w[pos + 2] as number) >>> 0 === lo) return N * streamWords + pos;
        pos += VERDICT_WORDS;
      } else pos += 3 + (w[pos + 2] as number);
    }
    return -1;
  };

  /** Where the verdict entry of a state is, or -1 when it is not written yet. */
  const verdictAt = (hi: number, lo: number): number => {
    const mine = ownVerdictAt(hi, lo);
    if (mine >= 0) return mine;
    const v = claimValue(claims, hi, lo);
    if (v > 0) return v - 1;
    if (v === 0) return -1;
    let loc = valueOfFp(unclaimed, hi, lo);
    if (loc < 0) {
      scanAll();
      loc = valueOfFp(unclaimed, hi, lo);
    }
    return loc;
  };

  /** Appends to this thread's stream; where, as a location. */
  const ownLocation = (pos: number): number => {
    if (N * streamWords + pos > LOCATIONS) throw new Error('parallel depth-first search: out of room for the states this thread had to expand; run it with --workers 1');
    return N * streamWords + pos;
  };

  // The walk's own figures, as explore.ts keeps them.
  const table = createFpTable(1 << 12, graph !== undefined);
  let parents = new Uint32Array(1 << 12);
  let actionIdx: ActionIndices = createActionIndices(1 << 12);
  let nextId = 0;
  let sHi = new Uint32Array(1 << 10);
  let sLo = new Uint32Array(1 << 10);
  let sId = new Uint32Array(1 << 10);
  let sDepth = new Uint32Array(1 << 10);
  let sAt = new Int32Array(1 << 10);
  // The state itself, for those this thread found by expanding their parent itself.
  const sObj: (S | undefined)[] = [];
  let count = 0;
  const witnesses = new Map<string, PathIndices>();
  let generated = 0;
  let maxDepthSeen = 0;
  let boundaryCut = 0;
  let cutBy: CheckResult['cutBy'];
  let violation: Found | undefined;

  const push = (hi: number, lo: number, id: number, depth: number, at: number, obj: S | undefined): void => {
    if (count === sHi.length) {
      const n = count * 2;
      const grow = <T extends Uint32Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      sHi = grow(sHi, new Uint32Array(n));
      sLo = grow(sLo, new Uint32Array(n));
      sId = grow(sId, new Uint32Array(n));
      sDepth = grow(sDepth, new Uint32Array(n));
      sAt = grow(sAt, new Int32Array(n));
    }
    sHi[count] = hi;
    sLo[count] = lo;
    sId[count] = id;
    sDepth[count] = depth;
    sAt[count] = at;
    sObj[count] = obj;
    count++;
  };

  const newId = (parent: number, action: number): number => {
    const id = nextId++;
    if (id === parents.length) {
      const p = new Uint32Array(id * 2);
      p.set(parents);
      parents = p;
      actionIdx = grownActionIndices(actionIdx, id * 2);
    }
    if (action >= NARROW_LIMIT && actionIdx.BYTES_PER_ELEMENT < 4) actionIdx = widenedFor(actionIdx, action + 1);
    parents[id] = parent;
    actionIdx[id] = action;
    return id;
  };

  /**
   * A new state's id, given its fresh slot in the visited set, where its verdict entry is (-1:
   * its verdict and goal bits are given), and the state itself when this thread holds it;
   * VIOLATED when it violates an invariant.
   */
  const admit = (
    slot: number,
    hi: number,
    lo: number,
    parent: number,
    action: number,
    depth: number,
    at: number,
    verdict: number,
    goals: number,
    obj: S | undefined,
  ): number => {
    const id = newId(parent, action);
    if (table.values) table.values[slot] = id;
    if (depth > maxDepthSeen) maxDepthSeen = depth;
    const broken = verdict & 0xffff;
    if (broken !== 0) {
      if (!violation) {
        const inv = invariants[broken - 1]!;
        violation = {
          property: inv.name,
          kind: 'invariant',
          path: pathFromParents(parents, actionIdx, id),
          explain: (last) => inv.explain?.(last as S),
          fp: { hi, lo },
        };
      }
      return VIOLATED;
    }
    if (graph) markState(graph, id, goals);
    if (verdict & OUTSIDE) {
      boundaryCut++;
      if (graph) markState(graph, id, UNEXPANDED);
      return id;
    }
    push(hi, lo, id, depth, at >= N * streamWords ? OWN_CHECKED : at, obj);
    return id;
  };

  /** The id of a state seen before (-1 without the graph, which alone needs it). */
  const seenId = (slot: number): number => (table.values ? (table.values[-1 - slot] as number) : -1);

  // The initial states, checked here.
  const inits = model.initStates();
  const fp = { hi: 0, lo: 0 };
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i] as S;
    generated++;
    fingerprintInto(canon ? canon(s) : s, fp);
    const slot = putIfAbsent(table, fp.hi, fp.lo);
    if (slot >= 0) {
      const verdict = stateVerdict(model, s);
      admit(slot, fp.hi, fp.lo, NO_PARENT, i, 0, -1, verdict, graph && (verdict & 0xffff) === 0 ? goalBits(model, s) : 0, s);
    }
  }

  const workersDone = (): boolean => Atomics.load(ctrl, CTRL_IDLE) === N;

  /** The state with this id, rebuilt by replay. */
  const rebuild = (id: number): S => {
    const steps = replay(model, pathFromParents(parents, actionIdx, id));
    return steps[steps.length - 1]!.state;
  };

  /**
   * Where the expansion of the stack's top state is, or -1 when it is not written yet. Once
   * the workers are done, what is missing is expanded here.
   */
  const expansionAt = (k: number): number => {
    const hi = sHi[k] as number;
    const lo = sLo[k] as number;
    const finished = workersDone();
    if ((sAt[k] as number) === -1) sAt[k] = verdictAt(hi, lo);
    const at = sAt[k] as number;
    let stopped = false;
    if (at >= 0) {
      const src = sourceOf(at);
      const linked = Atomics.load(view(src), at - src * streamWords + V_EXPANSION);
      if (linked > 0) return linked - 1;
      // Its checker ran out of room: it will not expand it (unless it handed it on).
      stopped = Atomics.load(ctrl, ctrlHungry(src)) === FULL_STREAM;
    }
    if (!finished && !stopped && at !== OWN_CHECKED) return -1;
    // Nobody else will expand it: expand it here, checking its new successors (as the
    // one-thread search does), into this thread's stream, started over (what it held is read).
    const s = sObj[k] ?? rebuild(sId[k] as number);
    own.pos = 0;
    ownPublished = 0;
    scanned[N] = 0;
    expander.expand(s, hi, lo, undefined, own, unseen);
    ownPublished = own.pos;
    scan(N);
    return ownLocation(0);
  };
  const expander = createExpander(model, canon, graph !== undefined);
  /** The claim this thread makes of the successors it finds: those not visited yet, it checks. */
  const unseen = (h: number, l: number): number => (hasFp(table, h, l) ? NOT_MINE : -1);

  /** Where the verdict entry of the new successor hi:lo of state `parent` by action `i` is; waits for it if need be. */
  const verdictOf = (hi: number, lo: number, parent: number, i: number): number => {
    const since = performance.now();
    for (;;) {
      const finished = workersDone();
      const at = verdictAt(hi, lo);
      if (at >= 0) return at;
      if (finished) {
        const s = rebuild(parent);
        const t = model.nextState(s, model.actions(s)[i] as A) as S;
        const pos = expander.check(t, hi, lo, own, true);
        ownPublished = own.pos;
        scan(N);
        return ownLocation(pos);
      }
      if (Atomics.load(ctrl, CTRL_FAILED) !== 0) throw sh.failed() ?? new Error('parallel depth-first search: a worker failed');
      if (performance.now() - since > STALL_MS) throw new Error('parallel depth-first search: a worker stopped answering');
      Atomics.wait(nap, 0, 0, NAP_MS);
    }
  };

  /** The stack's top state expanded, from its expansion at `loc`. */
  const consume = (loc: number, id: number, depth: number, hi: number, lo: number): void => {
    const src = sourceOf(loc);
    let w = view(src);
    // An expansion of this thread's: the successors it kept, in order, with their objects.
    const kept = src === N ? expander.kept : undefined;
    let nextKept = 0;
    let p = loc - src * streamWords;
    const enabled = w[p] as number;
    const flags = w[p + 1] as number;
    p += HEADER_WORDS;
    const names = globalName[src]!;
    for (let k = 0; k < enabled; k++, p += per) {
      const i = w[p] as number;
      const tHi = (w[p + 1] as number) >>> 0;
      const tLo = (w[p + 2] as number) >>> 0;
      const nameProp = w[p + 3] as number;
      generated++;
      let g = names[nameProp & 0xffff];
      if (g === undefined) {
        scan(src);
        g = names[nameProp & 0xffff]!;
      }
      if ((firedBy[g] as number) === 0) {
        const path = pathFromParents(parents, actionIdx, id);
        witnesses.set(nameList[g]!, { init: path.init, actions: [...path.actions, i] });
      }
      firedBy[g]!++;
      const prop = nameProp >>> 16;
      if (!violation && prop !== 0) {
        const path = pathFromParents(parents, actionIdx, id);
        violation = {
          property: actionProps[prop - 1]!.name,
          kind: 'action',
          path: { init: path.init, actions: [...path.actions, i] },
          explain: () => undefined,
          fp: { hi: tHi, lo: tLo },
        };
      }
      const obj = kept && nextKept < kept.n && kept.his[nextKept] === tHi && kept.los[nextKept] === tLo ? kept.states[nextKept++] : undefined;
      const slot = putIfAbsent(table, tHi, tLo);
      let to: number;
      if (slot < 0) to = seenId(slot);
      else {
        const at = verdictOf(tHi, tLo, id, i);
        to = admit(slot, tHi, tLo, id, i, depth + 1, at, word(at, V_VERDICT), word(at, V_GOALS), obj);
        if (src === N) w = view(src); // this thread's stream may have grown
      }
      if (to === VIOLATED) continue;
      if (graph) addEdge(graph, id, to, w[p + 4] as number);
    }
    if (enabled === 0 && !violation && (flags & FLAG_DEADLOCK) !== 0) {
      violation = deadlockFound(pathFromParents(parents, actionIdx, id), { hi, lo });
    }
  };

  const every = options.progressEveryMs ?? 1000;
  const progress = (): void =>
    options.onProgress?.({
      distinctStates: nextId,
      generatedStates: generated,
      queued: count,
      depth: maxDepthSeen,
      elapsedMs: performance.now() - sh.started,
    });
  const timer = options.onProgress ? setInterval(progress, every) : undefined;
  try {
    let n = 0;
    let deadline = performance.now() + 10;
    while (count > 0) {
      if (violation) break;
      if (nextId >= maxStates) {
        cutBy = 'max-states';
        break;
      }
      if ((++n & 63) === 0 && performance.now() > deadline) {
        const failure = sh.failed();
        if (failure) throw failure;
        if (options.signal?.aborted) {
          cutBy = 'interrupted';
          break;
        }
        await new Promise((r) => setImmediate(r));
        deadline = performance.now() + 10;
      }
      const top = count - 1;
      const loc = expansionAt(top);
      if (loc < 0) {
        // Not written yet: nap, and now and then let the event loop run.
        if (performance.now() > deadline) n = 63;
        else Atomics.wait(nap, 0, 0, NAP_MS);
        continue;
      }
      count--;
      sObj[top] = undefined;
      consume(loc, sId[top] as number, sDepth[top] as number, sHi[top] as number, sLo[top] as number);
    }
    if (graph && !violation && !cutBy) violation = reachabilityViolation(graph, reach, nextId, parents, actionIdx);
  } finally {
    if (timer) clearInterval(timer);
  }

  const counterexample = violation ? replayedCounterexample(model, violation, (hi, lo) => hasFp(table, hi, lo), canon) : undefined;
  let streamBytes = own.words.byteLength;
  for (let src = 0; src < N; src++) streamBytes += published(src) * 4;
  const visitedBytes = fpTableBytes(table) + parents.byteLength + actionIdx.byteLength + fpTableBytes(unclaimed) + streamBytes +
    (graph ? stateGraphBytes(graph) : 0);
  const fired = new Map(nameList.map((name, g) => [name, firedBy[g] as number]));
  return exhaustiveResult(model, {
    strategy: 'dfs',
    started: sh.started,
    ...(counterexample ? { counterexample } : {}),
    ...(cutBy ? { cutBy } : {}),
    distinct: nextId,
    generated,
    depth: maxDepthSeen,
    fired,
    witnesses,
    boundaryCut,
    visitedBytes,
    actionIndexBytes: actionIdx.BYTES_PER_ELEMENT,
    workers: N,
  });
};
