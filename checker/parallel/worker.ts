/**
 * One worker of a parallel breadth-first search (see protocol.ts): it loads the model
 * itself from the spec, expands the states it holds, and keeps each successor not yet
 * visited that it finds, with the least key it found it by. States never travel between
 * workers: at the end of a level the coordinator tells each worker which of its new states
 * it keeps (another worker may hold the same one). The states a worker holds beyond
 * `frontierLimit` per level (or fewer, when its heap runs short) wait on disk in the binary
 * state encoding.
 */
import { heapUse } from '../memoryGuard.ts';
import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { fingerprintInto, fingerprintRecording, primeFingerprints, type Recording, takeRecording } from '../fingerprint.ts';
import { createFpTable, type FpTable, fpTableView, hasFp, putIfAbsent } from '../fpTable.ts';
import { claim, type ClaimTable, openClaims, TAKEN } from './claims.ts';
import { isDeadlock } from '../properties.ts';
import {
  type ByteSink,
  createByteSink,
  decodeValue,
  encodeValue,
  openStringRegistry,
  readVarint,
  writeVarint,
  append,
} from '../stateCodec.ts';
import { loadWorkerModel } from './workerModel.ts';
import {
  DROPPED,
  type FromWorker,
  type LevelReport,
  ownerOf,
  STAT_EXPANDED,
  STAT_GENERATED,
  STAT_FOUND,
  statBase,
  type ToWorker,
  type WorkerSetup,
} from './protocol.ts';

/** Bytes of spilled states buffered before they are written. */
const SPILL_BYTES = 1 << 22;
/** States expanded between updates of the running figures and looks at the abort flag. */
const POLL_EVERY = 64;

/** Growable typed arrays of the new states a worker owns in the current level. */
interface Owned {
  n: number;
  table: FpTable;
  rank: Uint32Array;
  action: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
  violated: Uint16Array;
  outside: Uint8Array;
  /** 1 for a state this worker keeps; 0 for one another worker claimed first (only its key is reported). */
  held: Uint8Array;
  goals: Uint32Array | undefined;
  /**
   * States with a record index below this are kept as objects, the rest wait on disk: the
   * setup's `frontierLimit`, or less once this worker's heap filled past half its limit.
   */
  inMemory: number;
  /** The first `inMemory` states kept as objects (undefined: not to be expanded). */
  states: unknown[];
  /** Per state kept as an object, the sub-object hashes noted when it was fingerprinted here. */
  recs: (Recording | undefined)[];
  /** For states past the limit: 1 when their encoding is in the spill file, -1 when not kept. */
  spillAt: Float64Array;
}

/** True once this thread's heap is past half of what V8 allows it. */
const heapIsTight = (): boolean => {
  const h = heapUse();
  return h.used > 0.5 * h.limit;
};

const grow32 = (a: Uint32Array, n: number): Uint32Array => {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
};

const createOwned = (expected: number, graph: boolean, inMemory: number): Owned => {
  const cap = Math.max(1024, expected);
  return {
    n: 0,
    inMemory,
    table: createFpTable(expected, true),
    rank: new Uint32Array(cap),
    action: new Uint32Array(cap),
    hi: new Uint32Array(cap),
    lo: new Uint32Array(cap),
    violated: new Uint16Array(cap),
    outside: new Uint8Array(cap),
    held: new Uint8Array(cap),
    goals: graph ? new Uint32Array(cap) : undefined,
    states: [],
    recs: [],
    spillAt: new Float64Array(cap),
  };
};

const ensureOwned = (o: Owned): void => {
  if (o.n < o.rank.length) return;
  const n = o.rank.length * 2;
  o.rank = grow32(o.rank, n);
  o.action = grow32(o.action, n);
  o.hi = grow32(o.hi, n);
  o.lo = grow32(o.lo, n);
  const v = new Uint16Array(n);
  v.set(o.violated);
  o.violated = v;
  const u = new Uint8Array(n);
  u.set(o.outside);
  o.outside = u;
  const h = new Uint8Array(n);
  h.set(o.held);
  o.held = h;
  if (o.goals) o.goals = grow32(o.goals, n);
  const s = new Float64Array(n);
  s.set(o.spillAt);
  o.spillAt = s;
};

/** Records of one rank up to this many are sorted by insertion, more by the engine's sort. */
const SMALL_GROUP = 32;

/**
 * The record indices 0..n-1 ordered by (rank, action): a counting sort on the rank (ranks
 * are below the previous level's size), then the few records of one rank by action.
 */
export const sortByKey = (rank: Uint32Array, action: Uint32Array, n: number): Uint32Array => {
  let maxRank = 0;
  for (let k = 0; k < n; k++) if ((rank[k] as number) > maxRank) maxRank = rank[k] as number;
  const start = new Uint32Array(maxRank + 2);
  for (let k = 0; k < n; k++) start[(rank[k] as number) + 1]!++;
  for (let r = 0; r <= maxRank; r++) start[r + 1]! += start[r] as number;
  const order = new Uint32Array(n);
  const fill = start.slice(0, maxRank + 1);
  for (let k = 0; k < n; k++) order[fill[rank[k] as number]!++] = k;
  for (let r = 0; r <= maxRank; r++) {
    if ((start[r + 1] as number) - (start[r] as number) > SMALL_GROUP) {
      // A state with many new successors (a model may list any number of actions).
      order.subarray(start[r] as number, start[r + 1] as number).sort((x, y) => (action[x] as number) - (action[y] as number));
      continue;
    }
    // Insertion sort of one rank's records by action index (a state has few successors here).
    for (let i = (start[r] as number) + 1; i < (start[r + 1] as number); i++) {
      const x = order[i] as number;
      let j = i - 1;
      while (j >= (start[r] as number) && (action[order[j] as number] as number) > (action[x] as number)) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = x;
    }
  }
  return order;
};

export const runWorker = async (setup: WorkerSetup, port: MessagePort): Promise<void> => {
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const model = await loadWorkerModel(setup.spec, post);
  if (!model) return;
  const N = setup.count;
  const me = setup.index;
  const registry = openStringRegistry(setup.registry);
  const control = new Int32Array(setup.control);
  const stat = statBase(me);
  const invariants = model.invariants ?? [];
  const actionProps = model.actionProperties ?? [];
  const reach = model.reachability ?? [];
  const allVia = reach.reduce((m, r, k) => (r.via ? m : m | (1 << k)), 0);
  const withinBoundary = model.withinBoundary?.bind(model);
  const canon = setup.symmetry ? model.canonical?.bind(model) : undefined;
  const inits = model.initStates();
  const freeze = inits.length > 0 && typeof inits[0] === 'object' && inits[0] !== null && Object.isFrozen(inits[0]);

  let visited: FpTable | undefined;
  let owned = createOwned(1024, setup.graph, setup.frontierLimit);
  // The frontier: the previous level's owned states, and their ranks by record index.
  let frontier = owned;
  let frontierRanks = new Uint32Array(0);
  let spillPath = join(setup.spillDir, `w${me}-a.bin`);
  let nextSpillPath = join(setup.spillDir, `w${me}-b.bin`);
  let spill: { fd: number; sink: ByteSink; written: number } | undefined;

  const scratch = createByteSink(4096);
  const fp = { hi: 0, lo: 0 };

  // Level figures.
  let generated = 0;
  /** States this worker keeps of the level under way. */
  let held = 0;
  /** The level's claims, shared by the workers (absent: every state found is kept). */
  let claims: ClaimTable | undefined;
  /** Per action name: times fired in this level, and its least (rank, action index). */
  const kinds = new Map<string, { fired: number; rank: number; action: number }>();
  let actionViolation: [number, number, number] | undefined;
  let deadlock: number | undefined;
  let cut = false;
  let edges: { from: Uint32Array; hi: Uint32Array; lo: Uint32Array; mask: Uint32Array; n: number } | undefined;

  const addEdge = (from: number, hi: number, lo: number, mask: number): void => {
    if (!edges || mask === 0) return;
    if (edges.n === edges.from.length) {
      const n = edges.n * 2;
      edges = { from: grow32(edges.from, n), hi: grow32(edges.hi, n), lo: grow32(edges.lo, n), mask: grow32(edges.mask, n), n: edges.n };
    }
    edges.from[edges.n] = from;
    edges.hi[edges.n] = hi;
    edges.lo[edges.n] = lo;
    edges.mask[edges.n] = mask;
    edges.n++;
  };

  const keepState = (o: Owned, idx: number, s: unknown, rec?: Recording): void => {
    if (idx < o.inMemory) {
      // Every 4096 states, look at the heap: past half its limit, the rest of the level goes to disk.
      if ((idx & 4095) === 4095 && heapIsTight()) {
        o.inMemory = idx;
      } else {
        o.states[idx] = s;
        o.recs[idx] = rec;
        return;
      }
    }
    if (!spill) spill = { fd: openSync(nextSpillPath, 'w'), sink: createByteSink(SPILL_BYTES + 65536), written: 0 };
    o.spillAt[idx] = 1;
    scratch.length = 0;
    encodeValue(scratch, registry, s);
    writeVarint(spill.sink, scratch.length);
    append(spill.sink, scratch);
    if (spill.sink.length >= SPILL_BYTES) {
      writeSync(spill.fd, spill.sink.bytes, 0, spill.sink.length);
      spill.written += spill.sink.length;
      spill.sink.length = 0;
    }
  };

  /** Records a new state's key as record `owned.n` (the slot `known` took for it). */
  const record = (hi: number, lo: number, rank: number, action: number): number => {
    const o = owned;
    ensureOwned(o);
    const idx = o.n++;
    o.rank[idx] = rank;
    o.action[idx] = action;
    o.hi[idx] = hi;
    o.lo[idx] = lo;
    o.spillAt[idx] = -1;
    return idx;
  };

  /** A state this worker claimed in this level: record it, check it, keep it for expansion. */
  const admit = (hi: number, lo: number, rank: number, action: number, s: unknown, rec?: Recording): void => {
    const o = owned;
    const idx = record(hi, lo, rank, action);
    o.held[idx] = 1;
    held++;
    let bad = 0;
    for (let k = 0; k < invariants.length; k++) {
      if (!invariants[k]!.holds(s)) {
        bad = k + 1;
        break;
      }
    }
    o.violated[idx] = bad;
    if (bad) return;
    if (o.goals) {
      let goals = 0;
      for (let k = 0; k < reach.length; k++) if (reach[k]!.goal(s)) goals |= 1 << k;
      o.goals[idx] = goals;
    }
    if (withinBoundary && !withinBoundary(s)) {
      o.outside[idx] = 1;
      return;
    }
    keepState(o, idx, s, rec);
  };

  /**
   * A successor keyed (rank, action), not in the visited set: true when this worker already
   * found it in this level (its key is lowered if this one is less), false when it is new
   * here (its slot is then taken for record `owned.n`, which `admit` fills).
   */
  const known = (hi: number, lo: number, rank: number, action: number): boolean => {
    const o = owned;
    const slot = putIfAbsent(o.table, hi, lo);
    if (slot >= 0) {
      o.table.values![slot] = o.n;
      return false;
    }
    const idx = o.table.values![-1 - slot] as number;
    const r = o.rank[idx] as number;
    if (rank < r || (rank === r && action < (o.action[idx] as number))) {
      o.rank[idx] = rank;
      o.action[idx] = action;
    }
    return true;
  };

  /**
   * The frontier's states in record order, with their ranks: from memory, then from the
   * spill file. States another worker keeps (rank DROPPED) are skipped.
   */
  function* frontierStates(): Generator<[unknown, number, Recording | undefined]> {
    const o = frontier;
    const limit = Math.min(o.n, o.inMemory);
    for (let idx = 0; idx < limit; idx++) {
      const s = o.states[idx];
      if (s === undefined) continue;
      const rec = o.recs[idx];
      const rank = frontierRanks[idx] as number;
      if (!setup.keepFrontier || rank === DROPPED) {
        o.states[idx] = undefined;
        o.recs[idx] = undefined;
      }
      if (rank !== DROPPED) yield [s, rank, rec];
    }
    if (o.n <= o.inMemory) return;
    // Spilled states: length-prefixed encodings, in record order.
    const fd = openSync(spillPath, 'r');
    try {
      let buf = new Uint8Array(SPILL_BYTES);
      const src = { bytes: buf, pos: 0 };
      let have = 0;
      let offset = 0;
      /** Makes sure `need` bytes from src.pos are in the buffer. */
      const fill = (need: number): void => {
        if (src.pos + need <= have) return;
        buf.copyWithin(0, src.pos, have);
        have -= src.pos;
        src.pos = 0;
        if (need > buf.length) {
          const b = new Uint8Array(need * 2);
          b.set(buf.subarray(0, have));
          buf = b;
        }
        while (have < need) {
          const got = readSync(fd, buf, have, buf.length - have, offset);
          if (got === 0) throw new Error(`spill file ${spillPath} is truncated`);
          offset += got;
          have += got;
        }
        src.bytes = buf;
      };
      for (let idx = o.inMemory; idx < o.n; idx++) {
        if ((o.spillAt[idx] as number) < 0) continue;
        fill(Math.min(10, SPILL_BYTES));
        const len = readVarint(src);
        fill(len);
        const end = src.pos + len;
        const rank = frontierRanks[idx] as number;
        if (rank === DROPPED) {
          src.pos = end;
          continue;
        }
        const state = decodeValue(src, registry, freeze);
        src.pos = end;
        yield [state, rank, undefined];
      }
    } finally {
      closeSync(fd);
    }
  }

  const expand = (s: unknown, rank: number, parentId: number, rec: Recording | undefined): void => {
    primeFingerprints(s, rec);
    const candidates = model.actions(s);
    let enabled = 0;
    for (let i = 0; i < candidates.length; i++) {
      const a = candidates[i];
      const t = model.nextState(s, a);
      if (t === undefined) continue;
      enabled++;
      generated++;
      const name = model.actionName(a);
      const kind = kinds.get(name);
      if (kind === undefined) kinds.set(name, { fired: 1, rank, action: i });
      else {
        kind.fired++;
        if (rank < kind.rank || (rank === kind.rank && i < kind.action)) {
          kind.rank = rank;
          kind.action = i;
        }
      }
      if (!actionViolation || rank < actionViolation[0] || (rank === actionViolation[0] && i < actionViolation[1])) {
        for (let k = 0; k < actionProps.length; k++) {
          if (!actionProps[k]!.holds(s, a, t)) {
            actionViolation = [rank, i, k];
            break;
          }
        }
      }
      if (canon) fingerprintInto(canon(t), fp);
      else fingerprintRecording(t, fp);
      const hi = fp.hi;
      const lo = fp.lo;
      if (edges) {
        let mask = allVia;
        for (let k = 0; k < reach.length; k++) if (reach[k]!.via?.(a)) mask |= 1 << k;
        addEdge(parentId, hi, lo, mask);
      }
      if (hasFp(visited!, hi, lo)) continue;
      if (known(hi, lo, rank, i)) continue;
      // New here: keep it if no other worker did (or the claims are full), else report its key.
      if (claims === undefined || claim(claims, hi, lo) !== TAKEN) admit(hi, lo, rank, i, t, canon ? undefined : takeRecording());
      else record(hi, lo, rank, i);
    }
    if (enabled === 0 && isDeadlock(model, s) && (deadlock === undefined || rank < deadlock)) deadlock = rank;
  };

  /**
   * At the depth bound `s` is not expanded, only looked at: -1 when some successor is a
   * state not seen yet (the bound cuts the search), else the number of enabled actions.
   */
  const atBound = (s: unknown): number => {
    primeFingerprints(s);
    let enabled = 0;
    for (const a of model.actions(s)) {
      const t = model.nextState(s, a);
      if (t === undefined) continue;
      enabled++;
      fingerprintInto(canon ? canon(t) : t, fp);
      if (!hasFp(visited!, fp.hi, fp.lo)) return -1;
    }
    return enabled;
  };

  /** The states owned of the last level become the frontier, with their ranks. */
  const promote = (ranks: Uint32Array | undefined): void => {
    if (ranks) frontierRanks = ranks as Uint32Array<ArrayBuffer>;
    frontier = owned;
    owned = createOwned(Math.max(1024, frontier.n * 2), setup.graph, setup.frontierLimit);
    rmSync(spillPath, { force: true }); // the previous frontier's spilled states
    [spillPath, nextSpillPath] = [nextSpillPath, spillPath];
    if (spill) {
      writeSync(spill.fd, spill.sink.bytes, 0, spill.sink.length);
      closeSync(spill.fd);
      spill = undefined;
    }
  };
  let promoted = false;

  /** Writes the frontier's states with their ranks to `path` (a temporary name, then renamed). */
  const writeFrontier = (path: string): void => {
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      const sink = createByteSink(1 << 20);
      for (const [s, rank] of frontierStates()) {
        writeVarint(sink, rank);
        scratch.length = 0;
        encodeValue(scratch, registry, s);
        writeVarint(sink, scratch.length);
        append(sink, scratch);
        if (sink.length >= 1 << 20) {
          writeSync(fd, sink.bytes, 0, sink.length);
          sink.length = 0;
        }
      }
      writeSync(fd, sink.bytes, 0, sink.length);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  };

  /** Resuming: own the states of the frontier files that hash here. */
  const adoptFiles = (paths: readonly string[]): void => {
    owned = createOwned(1024, setup.graph, setup.frontierLimit);
    const ranks: number[] = [];
    for (const path of paths) {
      const bytes = new Uint8Array(readFileSync(path));
      const src = { bytes, pos: 0 };
      while (src.pos < bytes.length) {
        const rank = readVarint(src);
        const len = readVarint(src);
        const end = src.pos + len;
        const s = decodeValue(src, registry, freeze);
        src.pos = end;
        fingerprintInto(canon ? canon(s) : s, fp);
        if (ownerOf(fp.hi, fp.lo, N) !== me) continue;
        ranks.push(rank);
        const k = owned.n++;
        ensureOwned(owned);
        owned.spillAt[k] = -1;
        keepState(owned, k, s);
      }
    }
    sortedToRecord = new Uint32Array(owned.n).map((_, k) => k);
    frontierRanks = Uint32Array.from(ranks);
  };

  const expandLevel = (m: Extract<ToWorker, { type: 'expand' }>): void => {
    if (m.table) visited = fpTableView(m.table);
    if (m.claims) claims = openClaims(m.claims);
    held = 0;
    if (!promoted) promote(m.ranks);
    promoted = false;
    generated = 0;
    kinds.clear();
    actionViolation = undefined;
    deadlock = undefined;
    cut = false;
    edges = setup.graph ? { from: new Uint32Array(1024), hi: new Uint32Array(1024), lo: new Uint32Array(1024), mask: new Uint32Array(1024), n: 0 } : undefined;
    Atomics.store(control, stat + STAT_GENERATED, 0);
    Atomics.store(control, stat + STAT_EXPANDED, 0);
    Atomics.store(control, stat + STAT_FOUND, 0);
    let n = 0;
    for (const [s, rank, rec] of frontierStates()) {
      if ((++n & (POLL_EVERY - 1)) === 0) {
        Atomics.store(control, stat + STAT_EXPANDED, n);
        Atomics.store(control, stat + STAT_GENERATED, generated);
        Atomics.store(control, stat + STAT_FOUND, held);
        if (Atomics.load(control, 0) !== 0) break;
      }
      if (m.bound) {
        const enabled = atBound(s);
        if (enabled < 0) cut = true;
        else if (enabled === 0 && isDeadlock(model, s) && (deadlock === undefined || rank < deadlock)) deadlock = rank;
        continue;
      }
      expand(s, rank, m.parentBase + rank, rec);
    }
    Atomics.store(control, stat + STAT_EXPANDED, n);
    Atomics.store(control, stat + STAT_FOUND, held);
    report();
  };

  /** Sorts the level's new states by key and sends them to the coordinator. */
  const report = (): void => {
    const o = owned;
    const order = sortByKey(o.rank, o.action, o.n);
    const pick32 = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(o.n);
      for (let k = 0; k < o.n; k++) b[k] = a[order[k] as number] as number;
      return b;
    };
    const violated = new Uint16Array(o.n);
    const outside = new Uint8Array(o.n);
    const heldSorted = new Uint8Array(o.n);
    for (let k = 0; k < o.n; k++) {
      heldSorted[k] = o.held[order[k] as number] as number;
      violated[k] = o.violated[order[k] as number] as number;
      outside[k] = o.outside[order[k] as number] as number;
    }
    // Ranks come back in sorted order; the frontier is walked in record order: remember the map.
    sortedToRecord = order;
    const r: LevelReport = {
      type: 'level',
      count: o.n,
      rank: pick32(o.rank),
      action: pick32(o.action),
      hi: pick32(o.hi),
      lo: pick32(o.lo),
      violated,
      outside,
      held: heldSorted,
      ...(o.goals ? { goals: pick32(o.goals) } : {}),
      generated,
      fired: [...kinds].map(([name, k]) => [name, k.fired] as const),
      witnesses: [...kinds].map(([name, k]) => [name, k.rank, k.action] as const),
      ...(actionViolation ? { actionViolation } : {}),
      ...(deadlock !== undefined ? { deadlock } : {}),
      cut,
      ...(edges
        ? { edges: { from: edges.from.slice(0, edges.n), hi: edges.hi.slice(0, edges.n), lo: edges.lo.slice(0, edges.n), mask: edges.mask.slice(0, edges.n) } }
        : {}),
    };
    const transfer = [r.rank, r.action, r.hi, r.lo, violated, outside, heldSorted, r.goals, r.edges?.from, r.edges?.hi, r.edges?.lo, r.edges?.mask]
      .filter((a) => a !== undefined)
      .map((a) => a.buffer as ArrayBuffer);
    post(r, transfer);
  };
  let sortedToRecord: Uint32Array = new Uint32Array(0);

  /** Ranks arrive in the order reported (sorted by key); store them by record index. */
  const ranksByRecord = (sortedRanks: Uint32Array): Uint32Array => {
    const byRecord = new Uint32Array(sortedRanks.length);
    for (let k = 0; k < sortedRanks.length; k++) byRecord[sortedToRecord[k] as number] = sortedRanks[k] as number;
    return byRecord;
  };

  port.on('message', (m: ToWorker) => {
    try {
      switch (m.type) {
        case 'adopt': {
          // The search moves here: own these states of the next level, with their ranks.
          owned = createOwned(1024, setup.graph, setup.frontierLimit);
          const src = { bytes: m.bytes, pos: 0 };
          const ranks: number[] = [];
          while (src.pos < m.bytes.length) {
            ranks.push(readVarint(src));
            let state = inits[readVarint(src)];
            for (let steps = readVarint(src); steps > 0; steps--) {
              const a = model.actions(state)[readVarint(src)];
              state = a === undefined ? undefined : model.nextState(state, a);
              if (state === undefined) throw new Error('adopt: a path does not replay (the model is not deterministic)');
            }
            const k = owned.n++;
            ensureOwned(owned);
            owned.spillAt[k] = -1;
            keepState(owned, k, state);
          }
          sortedToRecord = new Uint32Array(owned.n).map((_, k) => k);
          frontierRanks = Uint32Array.from(ranks);
          break;
        }
        case 'expand':
          expandLevel(m.ranks ? { ...m, ranks: ranksByRecord(m.ranks) } : m);
          break;
        case 'writeFrontier':
          if (m.next) {
            promote(m.ranks ? ranksByRecord(m.ranks) : undefined);
            promoted = true;
          }
          writeFrontier(m.path);
          post({ type: 'written' });
          break;
        case 'adoptFiles':
          adoptFiles(m.paths);
          post({ type: 'written' });
          break;
        case 'stop':
          if (spill) closeSync(spill.fd);
          port.close();
          break;
      }
    } catch (e) {
      post({ type: 'failed', message: (e as Error).stack ?? String(e), input: false });
    }
  });
  post({ type: 'ready' });
};
