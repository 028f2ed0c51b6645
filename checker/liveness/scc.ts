/**
 * Strongly connected components of a subgraph of the explored graph (Tarjan's algorithm,
 * with an explicit stack: graphs of millions of states would overflow the call stack).
 */
import type { LivenessGraph } from './graph.ts';

/** The graph's edges grouped by source: the out-edges of state v are `order[start[v] .. start[v+1])`. */
export interface OutEdges {
  readonly start: Uint32Array;
  readonly order: Uint32Array;
}

/** Groups the edges of `g` (over `states` states) by source, each group in recording order. */
export const outEdges = (g: LivenessGraph, states: number): OutEdges => {
  const start = new Uint32Array(states + 1);
  for (let e = 0; e < g.edges; e++) start[(g.src[e] as number) + 1]!++;
  for (let v = 0; v < states; v++) start[v + 1]! += start[v] as number;
  const fill = start.slice(0, states);
  const order = new Uint32Array(g.edges);
  for (let e = 0; e < g.edges; e++) order[fill[g.src[e] as number]!++] = e;
  return { start, order };
};

/** Components: each a list of state ids, and for each state its component's index (-1: none). */
export interface Components {
  readonly list: number[][];
  readonly of: Int32Array;
}

/** The components of the subgraph induced by `nodes` (`member(v)` is true exactly for them). */
export const components = (
  g: LivenessGraph,
  out: OutEdges,
  states: number,
  nodes: readonly number[],
  member: (v: number) => boolean,
): Components => {
  const index = new Int32Array(states).fill(-1);
  const low = new Int32Array(states);
  const onStack = new Uint8Array(states);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  const result: number[][] = [];
  let next = 0;
  for (const root of nodes) {
    if ((index[root] as number) >= 0) continue;
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(out.start[root] as number);
    while (callNode.length > 0) {
      const v = callNode[callNode.length - 1]!;
      const p = callEdge[callEdge.length - 1]!;
      if (p < (out.start[v + 1] as number)) {
        callEdge[callEdge.length - 1] = p + 1;
        const w = g.dst[out.order[p] as number] as number;
        if (!member(w)) continue;
        if ((index[w] as number) < 0) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(out.start[w] as number);
        } else if (onStack[w]) {
          if ((index[w] as number) < (low[v] as number)) low[v] = index[w] as number;
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const u = callNode[callNode.length - 1]!;
        if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        result.push(comp);
      }
    }
  }
  const of = new Int32Array(states).fill(-1);
  result.forEach((comp, c) => {
    for (const v of comp) of[v] = c;
  });
  return { list: result, of };
};
