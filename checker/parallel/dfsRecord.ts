/**
 * Expansion records of the parallel depth-first search (see dfsCoordinator.ts): what
 * expanding a state shows, and what checking a new state shows, written as 32-bit words so
 * that a thread that never holds the states can take the very steps a one-thread search
 * takes.
 *
 * Each writing thread appends to a stream of its own. Entries, told apart by their first word:
 * - a state expanded: [enabled, flags, hi, lo], then per enabled action, in candidate order,
 *   [action index, successor hi, successor lo, name | (action property + 1) << 16], and with
 *   reachability properties one more word, the via mask of the action;
 * - a state checked, by the thread that claimed it when it first met it:
 *   [VERDICT_ENTRY, hi, lo, invariant + 1 | outside << 16, goal bits, expansion], where
 *   `expansion` is where the state's expansion is (+ 1), set once it is written (0 before);
 * - an action name met for the first time: [NAME_ENTRY, its number, length, code units...].
 * The checks and names an expansion brings are written after its entry; a reader takes a
 * stream up to where its writer has published it, which is always between two expansions.
 * A place in the streams (a "location") is the stream's number times the words of a stream,
 * plus the position in it.
 *
 * What an entry says depends on the state alone (the model is deterministic), so two entries
 * of one state, written by two threads, say the same.
 */
import { fingerprintInto, fingerprintRecording, primeFingerprints, type Recording, takeRecording } from '../fingerprint.ts';
import type { Model } from '../model.ts';
import { isDeadlock } from '../properties.ts';

export const NAME_ENTRY = -1;
export const VERDICT_ENTRY = -2;
/** Words of a state entry before its successors. */
export const HEADER_WORDS = 4;
export const VERDICT_WORDS = 6;
/** Offsets in a verdict entry. */
export const V_VERDICT = 3;
export const V_GOALS = 4;
export const V_EXPANSION = 5;
/** `flags`: no action is enabled and the model does not accept the state as terminal. */
export const FLAG_DEADLOCK = 1;
/** In a verdict: the state lies outside the model's boundary (it is not expanded). */
export const OUTSIDE = 1 << 16;
/** In a verdict entry's verdict word: nobody claimed the state in the claim table (it was full, or the coordinator checked it). */
export const UNCLAIMED = 1 << 17;
/** The verdict proper, without UNCLAIMED. */
export const VERDICT_MASK = 0x1ffff;

/** Words a successor takes. */
export const successorWords = (graph: boolean): number => (graph ? 5 : 4);

/** Where entries are appended: a fixed array (a worker's share of shared memory) or one that grows. */
export interface RecordSink {
  words: Int32Array;
  pos: number;
  /** Makes room for `n` more words after `pos`; false when there is none (a fixed array is full). */
  room(n: number): boolean;
}

/** A sink in local memory that grows as needed. */
export const growingSink = (): RecordSink => {
  const sink: RecordSink = {
    words: new Int32Array(1 << 12),
    pos: 0,
    room: (n) => {
      if (sink.pos + n <= sink.words.length) return true;
      let cap = sink.words.length * 2;
      while (cap < sink.pos + n) cap *= 2;
      const w = new Int32Array(cap);
      w.set(sink.words);
      sink.words = w;
      return true;
    },
  };
  return sink;
};

/** `invariant + 1 | outside << 16` for a state found: 0 when it is fine and to be expanded. */
export const stateVerdict = <S>(model: Model<S, unknown>, s: S): number => {
  const invariants = model.invariants ?? [];
  for (let k = 0; k < invariants.length; k++) if (!invariants[k]!.holds(s)) return k + 1;
  return model.withinBoundary && !model.withinBoundary(s) ? OUTSIDE : 0;
};

/** The goal bits of the reachability properties that `s` satisfies. */
export const goalBits = <S>(model: Model<S, unknown>, s: S): number => {
  const reach = model.reachability ?? [];
  let goals = 0;
  for (let k = 0; k < reach.length; k++) if (reach[k]!.goal(s)) goals |= 1 << k;
  return goals;
};

/** The successors an expansion kept: fine, and this thread's to expand (see `Expander.expand`). */
export interface Kept<S> {
  n: number;
  states: S[];
  recs: (Recording | undefined)[];
  his: number[];
  los: number[];
  /** Where each one's verdict entry is in the sink. */
  at: number[];
  /** What `claim` answered for each. */
  slots: number[];
  /**
   * Successors checked by the last expansion: the kept ones, then (from n on, in the same
   * arrays, without states) those that break an invariant or lie outside the boundary.
   */
  checked: number;
}

/** Writes the entries of `model`'s states (see the module comment). */
export interface Expander<S> {
  /**
   * Appends the expansion of `s` (fingerprint hi:lo, primed from `rec` when given) to
   * `sink`, then the verdict of each successor that is this thread's to check: those for
   * which `claim` answers a number >= -1 (-2: another thread's). Those found fine are left
   * in `kept`. False, with nothing written, when the sink is full.
   */
  expand(s: S, hi: number, lo: number, rec: Recording | undefined, sink: RecordSink, claim: (hi: number, lo: number) => number): boolean;
  /** The successors the last expansion kept. */
  readonly kept: Kept<S>;
  /**
   * Appends the verdict entry of state `s` (fingerprint hi:lo), marked `unclaimed` when no
   * claim tells where it is; where it is, or -1 when the sink is full.
   */
  check(s: S, hi: number, lo: number, sink: RecordSink, unclaimed: boolean): number;
}

/** `claim`'s answer for a successor that another thread checks. */
export const NOT_MINE = -2;

export const createExpander = <S, A>(model: Model<S, A>, canon: ((s: S) => S) | undefined, graph: boolean): Expander<S> => {
  const actionProps = model.actionProperties ?? [];
  const reach = model.reachability ?? [];
  const allVia = reach.reduce((m, r, k) => (r.via ? m : m | (1 << k)), 0);
  const names = new Map<string, number>();
  const fresh: string[] = [];
  const fp = { hi: 0, lo: 0 };
  const per = successorWords(graph);
  const kept: Kept<S> = { n: 0, states: [], recs: [], his: [], los: [], at: [], slots: [], checked: 0 };
  // The verdicts of the expansion under way, written after it: verdict and goal bits of kept[k] (and of the rest after them).
  let pending: number[] = [];

  const nameOf = (a: A): number => {
    const name = model.actionName(a);
    let k = names.get(name);
    if (k === undefined) {
      k = names.size;
      names.set(name, k);
      fresh.push(name);
    }
    return k;
  };

  const judge = (t: S): number => stateVerdict(model, t);
  const goalsOf = (t: S, verdict: number): number => (graph && (verdict & 0xffff) === 0 ? goalBits(model, t) : 0);

  const writeVerdict = (w: Int32Array, pos: number, hi: number, lo: number, verdict: number, goals: number): void => {
    w[pos] = VERDICT_ENTRY;
    w[pos + 1] = hi;
    w[pos + 2] = lo;
    w[pos + V_VERDICT] = verdict;
    w[pos + V_GOALS] = goals;
    w[pos + V_EXPANSION] = 0;
  };

  return {
    kept,
    check: (s, hi, lo, sink, unclaimed) => {
      if (!sink.room(VERDICT_WORDS)) return -1;
      const verdict = judge(s);
      const at = sink.pos;
      writeVerdict(sink.words, at, hi, lo, verdict | (unclaimed ? UNCLAIMED : 0), goalsOf(s, verdict));
      sink.pos += VERDICT_WORDS;
      return at;
    },
    expand: (s, hi, lo, rec, sink, claim) => {
      const start = sink.pos;
      kept.n = 0;
      kept.checked = 0;
      // Successors checked here but not kept (broken or outside): hi, lo, verdict, goals.
      const others: number[] = [];
      pending = [];
      primeFingerprints(s, rec);
      const candidates = model.actions(s);
      let enabled = 0;
      let pos = start + HEADER_WORDS;
      for (let i = 0; i < candidates.length; i++) {
        const a = candidates[i] as A;
        const t = model.nextState(s, a);
        if (t === undefined) continue;
        enabled++;
        sink.pos = pos;
        if (!sink.room(per + HEADER_WORDS)) {
          sink.pos = start;
          kept.n = 0;
          return false;
        }
        const w = sink.words;
        let prop = 0;
        for (let k = 0; k < actionProps.length; k++) {
          if (!actionProps[k]!.holds(s, a, t)) {
            prop = k + 1;
            break;
          }
        }
        if (canon) fingerprintInto(canon(t), fp);
        else fingerprintRecording(t, fp);
        const tHi = fp.hi;
        const tLo = fp.lo;
        w[pos] = i;
        w[pos + 1] = tHi;
        w[pos + 2] = tLo;
        w[pos + 3] = nameOf(a) | (prop << 16);
        if (graph) {
          let mask = allVia;
          for (let k = 0; k < reach.length; k++) if (reach[k]!.via?.(a)) mask |= 1 << k;
          w[pos + 4] = mask;
        }
        pos += per;
        const slot = claim(tHi, tLo);
        if (slot === NOT_MINE) continue;
        const tRec = canon ? undefined : takeRecording();
        const verdict = judge(t);
        const goals = goalsOf(t, verdict);
        if (verdict !== 0) {
          others.push(tHi, tLo, verdict, goals, slot);
          continue;
        }
        const k = kept.n++;
        kept.states[k] = t;
        kept.recs[k] = tRec;
        kept.his[k] = tHi;
        kept.los[k] = tLo;
        kept.slots[k] = slot;
        pending.push(goals);
      }
      // The verdicts and new names, after the expansion.
      let extra = (kept.n + others.length / 5) * VERDICT_WORDS;
      for (const name of fresh) extra += 3 + name.length;
      sink.pos = pos;
      if (!sink.room(extra)) {
        sink.pos = start;
        kept.n = 0;
        return false;
      }
      const w = sink.words;
      w[start] = enabled;
      w[start + 1] = enabled === 0 && isDeadlock(model, s) ? FLAG_DEADLOCK : 0;
      w[start + 2] = hi;
      w[start + 3] = lo;
      for (let k = 0; k < kept.n; k++) {
        kept.at[k] = pos;
        writeVerdict(w, pos, kept.his[k]!, kept.los[k]!, kept.slots[k]! < 0 ? UNCLAIMED : 0, pending[k]!);
        pos += VERDICT_WORDS;
      }
      // The others are appended to `kept`'s arrays past n, so their slots can be told where they are.
      for (let k = 0, j = kept.n; k < others.length; k += 5, j++) {
        kept.his[j] = others[k]!;
        kept.los[j] = others[k + 1]!;
        kept.slots[j] = others[k + 4]!;
        kept.at[j] = pos;
        writeVerdict(w, pos, others[k]!, others[k + 1]!, others[k + 2]! | (others[k + 4]! < 0 ? UNCLAIMED : 0), others[k + 3]!);
        pos += VERDICT_WORDS;
      }
      kept.checked = kept.n + others.length / 5;
      for (const name of fresh) {
        w[pos] = NAME_ENTRY;
        w[pos + 1] = names.get(name)!;
        w[pos + 2] = name.length;
        for (let c = 0; c < name.length; c++) w[pos + 3 + c] = name.charCodeAt(c);
        pos += 3 + name.length;
      }
      fresh.length = 0;
      sink.pos = pos;
      return true;
    },
  };
};
