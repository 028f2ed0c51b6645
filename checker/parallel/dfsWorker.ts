/**
 * One worker of a parallel depth-first search (see dfsCoordinator.ts). It expands, last in
 * first out, the states it holds, and writes what each expansion shows to its stream
 * (dfsRecord.ts). A successor is held by the worker that claims it first in the shared claim
 * table, which also checks it. A worker left with nothing raises its hungry flag; another
 * hands it the older half of its states, encoded, on the broadcast channel. When every worker
 * is hungry, all is expanded.
 */
import { BroadcastChannel, type MessagePort } from 'node:worker_threads';
import { fingerprintInto, type Recording } from '../fingerprint.ts';
import { createFpTable, putIfAbsent } from '../fpTable.ts';
import { append, createByteSink, decodeValue, encodeValue, openStringRegistry, readVarint, writeVarint } from '../stateCodec.ts';
import { claimSlot, FULL, openClaims, setClaimValue, SLOT_TAKEN } from './claims.ts';
import { loadWorkerModel } from './workerModel.ts';
import { createExpander, NOT_MINE, type RecordSink, V_EXPANSION, V_VERDICT, VERDICT_MASK } from './dfsRecord.ts';
import { CTRL_ABORT, CTRL_FAILED, CTRL_IDLE, FULL_STREAM, ctrlHungry, ctrlPublished, type DfsWorkerSetup, type FromDfsWorker, type Handover } from './dfsProtocol.ts';

/** States expanded between looks at the abort flag and at hungry workers. */
const POLL_EVERY = 64;

export const runDfsWorker = async (setup: DfsWorkerSetup, port: MessagePort): Promise<void> => {
  const post = (m: FromDfsWorker): void => port.postMessage(m);
  const model = await loadWorkerModel(setup.spec, post);
  if (!model) return;
  const N = setup.count;
  const me = setup.index;
  const control = new Int32Array(setup.control);
  const claims = openClaims(setup.claims);
  const registry = openStringRegistry(setup.registry);
  const canon = setup.symmetry ? model.canonical?.bind(model) : undefined;
  const inits = model.initStates();
  const freeze = inits.length > 0 && typeof inits[0] === 'object' && inits[0] !== null && Object.isFrozen(inits[0]);
  const expander = createExpander(model, canon, setup.graph);
  const kept = expander.kept;
  const streamWords = setup.streamWords;
  const streams = setup.streams.map((b) => new Int32Array(b));
  const words = streams[me]!;
  const sink: RecordSink = { words, pos: 0, room: (n) => sink.pos + n <= words.length };
  const publish = (): void => {
    Atomics.store(control, ctrlPublished(N, me), sink.pos);
  };
  /** The location of position `pos` of this worker's stream. */
  const here = (pos: number): number => me * streamWords + pos;

  // The states this worker holds, last in first out: each with its fingerprint, sub-object
  // hashes, and the location of its verdict entry (which its expansion is linked from).
  let stack: unknown[] = [];
  let recs: (Recording | undefined)[] = [];
  let his: number[] = [];
  let los: number[] = [];
  let locs: number[] = [];
  // What this worker has met, so that it asks the shared claim table once a state (and once
  // that table is full, checks what it has not met before).
  const met = createFpTable(1 << 12);
  const mine = (hi: number, lo: number): number => {
    if (putIfAbsent(met, hi, lo) < 0) return NOT_MINE;
    const slot = claimSlot(claims, hi, lo);
    return slot === SLOT_TAKEN ? NOT_MINE : slot === FULL ? -1 : slot;
  };
  const keep = (t: unknown, hi: number, lo: number, rec: Recording | undefined, loc: number): void => {
    stack.push(t);
    recs.push(rec);
    his.push(hi);
    los.push(lo);
    locs.push(loc);
  };
  /** After an expansion or check was published: tell where the verdicts are, keep the fine states. */
  const settle = (): void => {
    for (let j = 0; j < kept.checked; j++) {
      const slot = kept.slots[j]!;
      if (slot >= 0) setClaimValue(claims, slot, here(kept.at[j]!) + 1);
    }
    for (let j = 0; j < kept.n; j++) keep(kept.states[j], kept.his[j]!, kept.los[j]!, kept.recs[j], here(kept.at[j]!));
  };
  /** Links the verdict entry at `loc` to the expansion at `to`. */
  const link = (loc: number, to: number): void => {
    const src = Math.floor(loc / streamWords);
    Atomics.store(streams[src]!, loc - src * streamWords + V_EXPANSION, to + 1);
  };

  const inbox: Uint8Array[] = [];
  const channel = new BroadcastChannel(setup.channel);
  channel.onmessage = (e: unknown): void => {
    const m = (e as { data: Handover }).data;
    if (m.to === me) inbox.push(m.bytes);
  };

  /** Hands the older half of this worker's states to a hungry worker, if one is waiting. */
  const feed = (): void => {
    if (Atomics.load(control, CTRL_IDLE) === 0 || stack.length < 2) return;
    for (let w = 0; w < N; w++) {
      if (w === me || Atomics.compareExchange(control, ctrlHungry(w), 1, 0) !== 1) continue;
      Atomics.sub(control, CTRL_IDLE, 1);
      const half = stack.length >> 1;
      const out = createByteSink(1 << 16);
      const one = createByteSink(1 << 10);
      for (let k = 0; k < half; k++) {
        one.length = 0;
        encodeValue(one, registry, stack[k]);
        writeVarint(out, locs[k]!);
        writeVarint(out, one.length);
        append(out, one);
      }
      stack = stack.slice(half);
      recs = recs.slice(half);
      his = his.slice(half);
      los = los.slice(half);
      locs = locs.slice(half);
      const bytes = out.bytes.slice(0, out.length);
      channel.postMessage({ to: w, bytes } satisfies Handover);
      return;
    }
  };

  /** Takes states handed over: their encodings, each after its length. */
  const adopt = (bytes: Uint8Array): void => {
    const src = { bytes, pos: 0 };
    const fp = { hi: 0, lo: 0 };
    while (src.pos < bytes.length) {
      const loc = readVarint(src);
      const end = readVarint(src) + src.pos;
      const s = decodeValue(src, registry, freeze);
      src.pos = end;
      fingerprintInto(canon ? canon(s) : s, fp);
      keep(s, fp.hi, fp.lo, undefined, loc);
    }
  };

  try {
    // The initial states: each is checked and held by the worker that claims it.
    const fp = { hi: 0, lo: 0 };
    const checked: [unknown, number, number, number, number][] = [];
    for (const s of inits) {
      fingerprintInto(canon ? canon(s) : s, fp);
      const slot = mine(fp.hi, fp.lo);
      if (slot === NOT_MINE) continue;
      const at = expander.check(s, fp.hi, fp.lo, sink, slot < 0);
      if (at < 0) throw new Error('no room in the stream for the initial states');
      checked.push([s, fp.hi, fp.lo, slot, at]);
    }
    publish();
    for (const [s, hi, lo, slot, at] of checked) {
      if (slot >= 0) setClaimValue(claims, slot, here(at) + 1);
      if ((words[at + V_VERDICT]! & VERDICT_MASK) === 0) keep(s, hi, lo, undefined, here(at));
    }
    post({ type: 'ready' });
    let expanded = 0;
    for (;;) {
      while (stack.length > 0) {
        if ((++expanded & (POLL_EVERY - 1)) === 0) {
          if (Atomics.load(control, CTRL_ABORT) !== 0) return;
          feed();
        }
        const s = stack.pop();
        const rec = recs.pop();
        const hi = his.pop()!;
        const lo = los.pop()!;
        const loc = locs.pop()!;
        const start = sink.pos;
        if (!expander.expand(s, hi, lo, rec, sink, mine)) {
          // The stream is full: stop here; what is left is the coordinator's to expand.
          Atomics.store(control, ctrlHungry(me), FULL_STREAM);
          Atomics.add(control, CTRL_IDLE, 1);
          return;
        }
        publish();
        link(loc, here(start));
        settle();
      }
      // Nothing left: wait for states, or for every worker to be done.
      Atomics.add(control, CTRL_IDLE, 1);
      Atomics.store(control, ctrlHungry(me), 1);
      for (;;) {
        await new Promise((r) => setTimeout(r, 1));
        if (inbox.length > 0) {
          for (const bytes of inbox.splice(0)) adopt(bytes);
          break;
        }
        if (Atomics.load(control, CTRL_IDLE) === N || Atomics.load(control, CTRL_ABORT) !== 0) {
          return;
        }
      }
    }
  } catch (e) {
    Atomics.store(control, CTRL_FAILED, 1);
    post({ type: 'failed', message: (e as Error).stack ?? String(e), input: false });
  } finally {
    channel.close();
  }
};
