/**
 * The explored state graph, kept only when a model declares reachability properties:
 * edges (source id, target id, a bit per property saying whether the property's `via`
 * admits the edge's action) and, per state, a bit per property for "is a goal" and a flag
 * for "not expanded" (on the boundary). Reverse reachability from the goals then finds the
 * states that cannot reach one.
 */

/** The graph under construction. At most 32 reachability properties. */
export interface StateGraph {
  src: Uint32Array;
  dst: Uint32Array;
  mask: Uint32Array;
  edges: number;
  /** Per state id: goal bits, and bit 31 set for a state that was not expanded. */
  marks: Uint32Array;
}

export const UNEXPANDED = 0x80000000;

export const createStateGraph = (): StateGraph => ({
  src: new Uint32Array(1 << 16),
  dst: new Uint32Array(1 << 16),
  mask: new Uint32Array(1 << 16),
  edges: 0,
  marks: new Uint32Array(1 << 16),
});

const grown = (a: Uint32Array, need: number): Uint32Array => {
  if (need < a.length) return a;
  let n = a.length * 2;
  while (n <= need) n *= 2;
  const b = new Uint32Array(n);
  b.set(a);
  return b;
};

/** Records an edge whose action is admitted by the properties in `mask`. */
export const addEdge = (g: StateGraph, from: number, to: number, mask: number): void => {
  if (mask === 0) return;
  const e = g.edges++;
  if (e >= g.src.length) {
    g.src = grown(g.src, e);
    g.dst = grown(g.dst, e);
    g.mask = grown(g.mask, e);
  }
  g.src[e] = from;
  g.dst[e] = to;
  g.mask[e] = mask;
};

/** Sets the marks of state `id` (goal bits, UNEXPANDED). */
export const markState = (g: StateGraph, id: number, bits: number): void => {
  g.marks = grown(g.marks, id);
  g.marks[id] = ((g.marks[id] as number) | bits) >>> 0;
};

/**
 * The smallest state id (of `states` ids) from which no goal of property `k` is reachable
 * along edges admitted by `k`, or -1 when every state can reach one. Unexpanded states
 * count as able to reach a goal.
 */
export const firstStuck = (g: StateGraph, states: number, k: number): number => {
  const bit = 1 << k;
  // Reverse adjacency in CSR form, for the admitted edges only.
  const start = new Uint32Array(states + 1);
  for (let e = 0; e < g.edges; e++) {
    if ((g.mask[e] as number) & bit) {
      const d = (g.dst[e] as number) + 1;
      start[d] = (start[d] as number) + 1;
    }
  }
  for (let i = 0; i < states; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, states);
  const preds = new Uint32Array(start[states] as number);
  for (let e = 0; e < g.edges; e++) {
    if (!((g.mask[e] as number) & bit)) continue;
    const d = g.dst[e] as number;
    const at = fill[d] as number;
    preds[at] = g.src[e] as number;
    fill[d] = at + 1;
  }
  const reached = new Uint8Array(states);
  const queue = new Uint32Array(states);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < states; i++) {
    const m = g.marks[i] as number;
    if (m & bit || m & UNEXPANDED) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    const v = queue[head++] as number;
    for (let p = start[v] as number; p < (start[v + 1] as number); p++) {
      const u = preds[p] as number;
      if (!reached[u]) {
        reached[u] = 1;
        queue[tail++] = u;
      }
    }
  }
  for (let i = 0; i < states; i++) if (!reached[i]) return i;
  return -1;
};

/** Bytes held by the graph's arrays. */
export const stateGraphBytes = (g: StateGraph): number =>
  g.src.byteLength + g.dst.byteLength + g.mask.byteLength + g.marks.byteLength;
