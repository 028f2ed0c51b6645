/**
 * The explored graph as temporal properties need it, kept only when a model declares some:
 * every transition that changes the state (source id, target id, the index of its action
 * among the source's candidates, a bit per fairness condition that covers it), and per state
 * two bits per property (`from` of a leads-to; the goal: `holds` or `to`) and whether it was
 * expanded. Steps from a state to itself are stuttering and are not kept.
 */
import type { Fairness, Model, TemporalProperty } from '../model.ts';

/** At most this many fairness conditions (one bit each per transition). */
export const MAX_FAIRNESS = 32;

export interface LivenessGraph {
  src: Uint32Array;
  dst: Uint32Array;
  act: Uint32Array;
  fair: Uint32Array;
  edges: number;
  /** Words of labels per state: two bits per property. */
  readonly words: number;
  /** State v's labels are words v*words..: bit 2k = `from` of property k, bit 2k+1 = its goal. */
  labels: Uint32Array;
  /** Per state id: 1 when the state was not expanded (on the model's boundary). */
  unexpanded: Uint8Array;
}

/** What the explorer tells the recorder: each new state once, each transition. */
export interface LivenessRecorder<S, A> {
  state(id: number, s: S, expanded: boolean): void;
  edge(from: number, to: number, actionIndex: number, a: A): void;
  readonly graph: LivenessGraph;
}

const grown = <T extends Uint32Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T => {
  if (need < a.length) return a;
  let n = a.length * 2;
  while (n <= need) n *= 2;
  const b = make(n);
  b.set(a);
  return b;
};

/** The fairness bits of an action: one per condition that covers it. */
const fairnessBits = <A>(model: Model<unknown, A>, fairness: readonly Fairness<A>[]): ((a: A) => number) => {
  const byName = new Map<string, number>();
  const predicates: [number, (a: A) => boolean][] = [];
  fairness.forEach((f, k) => {
    if ('actions' in f) for (const name of f.actions) byName.set(name, (byName.get(name) ?? 0) | (1 << k));
    else predicates.push([1 << k, (a) => f.includes(a)]);
  });
  return (a) => {
    let bits = byName.get(model.actionName(a)) ?? 0;
    for (const [bit, includes] of predicates) if (includes(a)) bits |= bit;
    return bits >>> 0;
  };
};

/** A recorder for `model`'s temporal properties, or undefined when it declares none. */
export const livenessRecorder = <S, A>(model: Model<S, A>): LivenessRecorder<S, A> | undefined => {
  const props: readonly TemporalProperty<S>[] = model.temporal ?? [];
  if (props.length === 0) return undefined;
  const fairness = model.fairness ?? [];
  if (fairness.length > MAX_FAIRNESS) throw new RangeError(`at most ${MAX_FAIRNESS} fairness conditions, got ${fairness.length}`);
  const bitsOf = fairnessBits(model as Model<unknown, A>, fairness);
  const g: LivenessGraph = {
    src: new Uint32Array(1 << 12),
    dst: new Uint32Array(1 << 12),
    act: new Uint32Array(1 << 12),
    fair: new Uint32Array(1 << 12),
    edges: 0,
    words: Math.ceil(props.length / 16),
    labels: new Uint32Array(1 << 12),
    unexpanded: new Uint8Array(1 << 12),
  };
  const u32 = (n: number) => new Uint32Array(n);
  return {
    graph: g,
    state: (id, s, expanded) => {
      const base = id * g.words;
      g.labels = grown(g.labels, base + g.words - 1, u32);
      props.forEach((p, k) => {
        const at = base + (k >> 4);
        const shift = 2 * (k & 15);
        let bits = 0;
        if (p.kind === 'leadsTo') {
          if (p.from(s)) bits |= 1;
          if (p.to(s)) bits |= 2;
        } else if (p.holds(s)) bits |= 2;
        g.labels[at] = ((g.labels[at] as number) | (bits << shift)) >>> 0;
      });
      g.unexpanded = grown(g.unexpanded, id, (n) => new Uint8Array(n));
      g.unexpanded[id] = expanded ? 0 : 1;
    },
    edge: (from, to, actionIndex, a) => {
      if (from === to) return;
      const e = g.edges++;
      if (e >= g.src.length) {
        g.src = grown(g.src, e, u32);
        g.dst = grown(g.dst, e, u32);
        g.act = grown(g.act, e, u32);
        g.fair = grown(g.fair, e, u32);
      }
      g.src[e] = from;
      g.dst[e] = to;
      g.act[e] = actionIndex;
      g.fair[e] = bitsOf(a);
    },
  };
};

/** Property k's label bits of state v: 1 for `from`, 2 for the goal. */
export const labelOf = (g: LivenessGraph, v: number, k: number): number => ((g.labels[v * g.words + (k >> 4)] as number) >>> (2 * (k & 15))) & 3;

/** Bytes held by the graph's arrays. */
export const livenessGraphBytes = (g: LivenessGraph): number =>
  g.src.byteLength + g.dst.byteLength + g.act.byteLength + g.fair.byteLength + g.labels.byteLength + g.unexpanded.byteLength;
