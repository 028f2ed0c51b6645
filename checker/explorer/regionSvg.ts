/**
 * The liveness region (region.ts) drawn as a small graph, as SVG text: the stuck state at the
 * top, the states below it in rows by their distance from it (a long row wraps), transitions
 * as curved arrows. Marked: the stuck state (red, ringed), the lasso's loop (orange), states
 * where the property would be satisfied (green). Each node carries its path (`data-path`), so
 * a click on it opens that path.
 */
import type { LivenessRegion } from './region.ts';
import { SVG_NS, svgElement, svgText } from './svgText.ts';

const GAP_X = 30;
const GAP_Y = 46;
const PER_ROW = 32;
const LEFT = 64;
const TOP = 20;
const R = 7;

export const regionSvg = (region: LivenessRegion): string => {
  // Rows: by depth, each depth wrapped at PER_ROW nodes.
  const byDepth = new Map<number, number[]>();
  region.nodes.forEach((n, i) => byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), i]));
  const pos: { x: number; y: number }[] = [];
  const labels: string[] = [];
  let row = 0;
  let widest = 1;
  for (const [depth, ids] of [...byDepth].sort(([a], [b]) => a - b)) {
    labels.push(svgElement('text', { class: 'layer', x: 4, y: TOP + row * GAP_Y + 4 }, depth === 0 ? 'stuck' : `+${depth}`));
    ids.forEach((id, k) => {
      pos[id] = { x: LEFT + (k % PER_ROW) * GAP_X, y: TOP + (row + Math.floor(k / PER_ROW)) * GAP_Y };
    });
    widest = Math.max(widest, Math.min(ids.length, PER_ROW));
    row += Math.ceil(ids.length / PER_ROW);
  }
  const width = LEFT + widest * GAP_X;
  const height = TOP + row * GAP_Y - GAP_Y / 2;
  const edges = region.edges.map((e) => {
    const a = pos[e.from]!;
    const b = pos[e.to]!;
    // A gentle curve, bending to the right of the direction of travel, so that a pair of
    // opposite transitions shows as two arrows, and the arrow ends at the node's rim.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const bend = Math.min(40, len / 3);
    const cx = (a.x + b.x) / 2 - (dy / len) * bend;
    const cy = (a.y + b.y) / 2 + (dx / len) * bend;
    const ex = b.x - ((b.x - cx) / Math.hypot(b.x - cx, b.y - cy)) * (R + 2);
    const ey = b.y - ((b.y - cy) / Math.hypot(b.x - cx, b.y - cy)) * (R + 2);
    return svgElement('path', {
      class: `edge${e.loop ? ' loop' : ''}`,
      d: `M${a.x},${a.y} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
      'marker-end': e.loop ? 'url(#region-arrow-loop)' : 'url(#region-arrow)',
    });
  });
  const nodes = region.nodes.map((n, i) => {
    const cls = ['node', i === 0 ? 'stuck' : '', n.loop ? 'loop' : '', n.goal ? 'goal' : ''].filter(Boolean).join(' ');
    const title =
      i === 0
        ? `step ${region.stuckStep}: the stuck state`
        : `${n.depth} step${n.depth === 1 ? '' : 's'} after step ${region.stuckStep}, last ${n.label}${n.goal ? ' (satisfies it)' : ''}${n.loop ? ' (on the loop)' : ''}`;
    const { x, y } = pos[i]!;
    return svgElement('g', { class: cls, 'data-node': i, 'data-path': n.path }, svgElement('title', {}, svgText(title)), svgElement('circle', { cx: x, cy: y, r: i === 0 ? R + 2 : R }));
  });
  const marker = (id: string, fill: string): string =>
    svgElement('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' }, svgElement('path', { d: 'M0,0 L10,5 L0,10 z', fill }));
  return svgElement(
    'svg',
    { xmlns: SVG_NS, class: 'region', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'the region the counterexample cannot leave' },
    svgElement('defs', {}, marker('region-arrow', '#9aa7b4'), marker('region-arrow-loop', '#c76b00')),
    ...labels,
    ...edges,
    ...nodes,
  );
};
